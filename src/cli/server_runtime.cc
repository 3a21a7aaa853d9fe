#include "cli/server_runtime.h"

#include <malloc.h>
#include <signal.h>

#include <cstdio>

#include "api/api.h"
#include "cli/lake_services.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/thread_pool.h"
#include "delivery/delivery_service.h"
#include "sql/query_engine.h"
#include "storage/data_dir.h"
#include "storage/local_store.h"
#include "stream/stream_service.h"

namespace tarn::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so that the
// main thread can take them synchronously with sigwait (no async-signal-safety concerns).
sigset_t BlockStopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

int Fail(const Status& status) {
    std::fprintf(stderr, "tarn: %s\n", status.message().c_str());
    return 1;
}

stream::StreamServiceOptions StreamOptions(const ServerFlags& flags) {
    stream::StreamServiceOptions options;
    options.dir = flags.data_dir + "/streams";
    options.limits.records_per_second = flags.shard_records_per_second;
    options.limits.bytes_per_second = flags.shard_bytes_per_second;
    options.commit_max_wait = std::chrono::microseconds(flags.commit_max_wait_us);
    options.cache_window_bytes = static_cast<uint64_t>(flags.log_cache_window_mb) << 20;
    options.iterator_ttl = std::chrono::milliseconds(flags.iterator_ttl_ms);
    return options;
}

// Creates the stream when it is missing and waits until it is ACTIVE.
Status EnsureStream(stream::StreamService& streams, const std::string& name, uint32_t shards) {
    auto existing = streams.DescribeStream(name);
    if (existing.ok() && existing->status == stream::StreamStatus::kActive) return Status::Ok();
    if (!existing.ok()) {
        if (existing.status().code() != StatusCode::kNotFound) return existing.status();
        stream::CreateStreamRequest request;
        request.name = name;
        request.shard_count = shards;
        TARN_RETURN_IF_ERROR(streams.CreateStream(request).status());
        TARN_LOG_INFO("server.stream_created", {{"stream", name}, {"shards", shards}});
    }
    streams.WaitForTransitions();
    TARN_ASSIGN_OR_RETURN(auto meta, streams.DescribeStream(name));
    if (meta.status != stream::StreamStatus::kActive) {
        return Status::FailedPrecondition("stream " + name + " is " +
                                          std::string(stream::StreamStatusName(meta.status)) +
                                          ", not ACTIVE");
    }
    return Status::Ok();
}

// Creates `tarn up`'s delivery stream (stream `events` -> raw/events/) unless it exists.
Status EnsureDefaultDelivery(delivery::DeliveryService& deliveries) {
    if (deliveries.Describe(kDefaultDeliveryName).ok()) return Status::Ok();
    delivery::DeliveryStreamConfig config;
    config.name = kDefaultDeliveryName;
    config.type = delivery::DeliveryStreamType::kKinesisStreamAsSource;
    config.source_stream_name = kDefaultStreamName;
    config.source_stream_arn =
        std::string("arn:aws:kinesis:us-east-1:000000000000:stream/") + kDefaultStreamName;
    config.source_role_arn = "arn:aws:iam::000000000000:role/tarn-delivery";
    config.role_arn = config.source_role_arn;
    config.bucket_arn = "arn:aws:s3:::tarn-lake";
    config.compression = delivery::CompressionFormat::kGzip;
    config.buffering.interval_seconds = kDefaultDeliveryIntervalSeconds;
    auto created = deliveries.Create(config);
    if (created.status().code() == StatusCode::kAlreadyExists) return Status::Ok();
    return created.status();
}

// A server allocates and frees request-sized buffers (a PutRecords body is up to 5 MiB) all day.
// glibc's defaults hand large blocks back to the OS on free (mmap/munmap, heap trimming), so the
// next request faults fresh pages in again, which on a VM costs more than the work done with them.
// Keep freed memory in the process instead; its high-water mark is bounded by the requests in
// flight.
void KeepFreedMemory() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);   // the largest value glibc allows on 64-bit
    mallopt(M_TRIM_THRESHOLD, 512 << 20);  // trim only past 512 MiB of free top-of-heap memory
}

}  // namespace

int RunServer(const ServerFlags& flags, const std::function<void(const std::string&)>& on_ready) {
    LogLevel level;
    if (!ParseLogLevel(flags.log_level, &level)) {
        std::fprintf(stderr, "tarn: unknown --log-level '%s' (debug, info, warn, error, off)\n",
                     flags.log_level.c_str());
        return 2;
    }
    SetLogLevel(level);
    KeepFreedMemory();
    const sigset_t stop_signals = BlockStopSignals();

    auto lock = storage::DataDirLock::Acquire(flags.data_dir);
    if (!lock.ok()) return Fail(lock.status());
    // The lake's embedded local store; a crashed writer's half-written temporaries go first.
    auto lake = storage::LocalStore::Open(flags.data_dir + "/lake");
    if (!lake.ok()) return Fail(lake.status());
    if (auto removed = (*lake)->RemoveTemporaries(); !removed.ok()) {
        return Fail(removed.status());
    } else if (*removed > 0) {
        TARN_LOG_INFO("server.temporaries_removed", {{"count", *removed}});
    }

    auto lake_services =
        OpenLakeServices(flags.data_dir, lake->get(), flags.create_default_crawler);
    if (!lake_services.ok()) return Fail(lake_services.status());

    auto streams = stream::StreamService::Open(StreamOptions(flags));
    if (!streams.ok()) return Fail(streams.status());
    if (flags.create_events_stream) {
        Status s = EnsureStream(**streams, kDefaultStreamName, kDefaultStreamShards);
        if (!s.ok()) return Fail(s);
    }

    // Delivery streams read the streams and write the lake: opened after both (replaying the
    // intents that lake recovery left to them), closed before both.
    auto deliveries = delivery::DeliveryService::Open({.streams = streams->get(),
                                                       .catalog = (*lake_services)->catalog.get(),
                                                       .lake = (*lake_services)->commit.get(),
                                                       .store = lake->get()});
    if (!deliveries.ok()) return Fail(deliveries.status());
    if (flags.create_default_delivery) {
        Status s = EnsureDefaultDelivery(**deliveries);
        if (!s.ok()) return Fail(s);
    }
    // Firehose's control plane and flushes wait for catalog writes and lake commits: off the I/O
    // threads, on a pool of their own (a long flush never holds up Glue requests), drained
    // before the service goes.
    auto delivery_requests = std::make_unique<ThreadPool>(
        ThreadPool::Options{.num_threads = 4, .max_queued = 256, .name = "tarn-delivery-api"});

    // Queries run on a bounded pool of their own (admission control: a full queue answers 503),
    // so ingest and delivery never wait behind them.
    sql::QueryEngine query_engine((*lake_services)->catalog.get(), lake->get());
    auto query_pool = std::make_unique<ThreadPool>(
        ThreadPool::Options{.num_threads = 2, .max_queued = 64, .name = "tarn-query"});

    api::Router router;
    api::AddBuiltinRoutes(router);
    api::AddDeliveryRoutes(router, **deliveries, *delivery_requests);
    api::AddQueryRoutes(router, query_engine, *query_pool);
    api::RegisterDeliveryMetrics(MetricsRegistry::Global(), **deliveries);
    api::AwsJsonDispatcher aws;  // services register their operations here
    api::KinesisApiOptions kinesis_options;
    kinesis_options.list_shards_token_ttl =
        std::chrono::milliseconds(flags.list_shards_token_ttl_ms);
    api::AddKinesisApi(aws, **streams, kinesis_options);
    api::AddGlueApi(aws, *(*lake_services)->catalog, *(*lake_services)->crawlers,
                    (*lake_services)->location, (*lake_services)->catalog_requests.get());
    api::AddFirehoseApi(aws, **deliveries, delivery_requests.get());
    aws.Mount(router);

    api::EdgeServerOptions options;
    options.host = flags.host;
    options.port = flags.port;
    options.io_threads = flags.io_threads;
    api::EdgeServer server(options, router);
    if (Status s = server.Start(); !s.ok()) return Fail(s);
    const std::string endpoint = server.endpoint();
    if (Status s = (*lock)->SetEndpoint(endpoint); !s.ok()) {
        TARN_LOG_WARN("server.lock_info_failed", {{"error", s.message()}});
    }
    TARN_LOG_INFO("server.ready", {{"endpoint", endpoint}, {"data_dir", flags.data_dir}});
    if (on_ready) on_ready(endpoint);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    TARN_LOG_INFO("server.signal", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
    server.Stop();
    query_pool.reset();         // running queries finish before the lake goes
    (*deliveries)->Close();     // a flush still waiting returns (Unavailable) ...
    delivery_requests.reset();  // ... so its pool drains
    deliveries->reset();
    lake_services->reset();  // background crawls end (cancelled) before the streams close
    (*streams)->Close();     // after the edge: no request is in flight any more
    TARN_LOG_INFO("server.stopped", {{"endpoint", endpoint}});
    return 0;
}

}  // namespace tarn::cli
