#include "delivery/delivery_service.h"

#include <map>
#include <mutex>
#include <type_traits>
#include <utility>

#include "catalog/catalog.h"
#include "catalog/lake_commit.h"
#include "common/logging.h"
#include "delivery/delivery_config_codec.h"
#include "delivery/delivery_worker.h"
#include "stream/stream_service.h"

namespace tarn::delivery {
namespace {

// Every direct put of a delivery stream goes to the one shard of its internal stream.
constexpr std::string_view kDirectPutPartitionKey = "firehose";

std::string NotFoundMessage(std::string_view name) {
    return "Firehose " + std::string(name) + " under account 000000000000 not found.";
}

}  // namespace

std::string DeliveryOwner(std::string_view delivery) {
    return "delivery/" + std::string(delivery);
}

bool IsInternalStreamName(std::string_view stream) {
    return stream.starts_with(kInternalStreamPrefix);
}

struct DeliveryService::Impl {
    DeliveryServiceOptions options;
    Clock* clock = nullptr;
    mutable std::mutex mu_;  // guards workers and closed; held only for map changes and lookups
    std::map<std::string, std::shared_ptr<DeliveryWorker>, std::less<>> workers;
    bool closed = false;
    // One update at a time, so that two concurrent ones cannot both pass the version check.
    std::mutex update_mu;

    Result<std::shared_ptr<DeliveryWorker>> Find(std::string_view name) const {
        std::lock_guard lock(mu_);
        if (closed) return Status::Unavailable("delivery streams are closed");
        auto it = workers.find(name);
        if (it == workers.end()) return Status::NotFound(NotFoundMessage(name));
        return it->second;
    }
    Result<std::vector<catalog::Column>> ConversionColumns(const DeliveryStreamConfig& config);
    Status CheckTable(const Destination& dest);
    Result<std::shared_ptr<DeliveryWorker>> MakeWorker(const DeliveryStreamConfig& config,
                                                       std::shared_ptr<const Destination> dest);
    Status Load();
};

Result<std::vector<catalog::Column>> DeliveryService::Impl::ConversionColumns(
    const DeliveryStreamConfig& config) {
    const DataFormatConversion& c = config.data_format_conversion;
    if (!c.enabled) return std::vector<catalog::Column>{};
    auto table = options.catalog->GetTable(c.database_name, c.table_name);
    if (!table.ok()) {
        if (table.status().code() == StatusCode::kNotFound) {
            return Status::InvalidArgument(
                "DataFormatConversionConfiguration.SchemaConfiguration: table " + c.database_name +
                "." + c.table_name + " was not found in the catalog");
        }
        return table.status();
    }
    return table->columns;
}

// A table that exists already must be partitioned as the Prefix's folders say, or no delivered
// object could be registered in it.
Status DeliveryService::Impl::CheckTable(const Destination& dest) {
    const TableLayout& layout = dest.layout;
    auto table = options.catalog->GetTable(layout.database, layout.table);
    if (!table.ok()) {
        return table.status().code() == StatusCode::kNotFound ? Status::Ok() : table.status();
    }
    auto names = [](const auto& keys) {
        std::string out;
        for (const auto& k : keys) {
            if (!out.empty()) out += ", ";
            if constexpr (std::is_same_v<std::decay_t<decltype(k)>, std::string>) {
                out += k;
            } else {
                out += k.name;
            }
        }
        return out;
    };
    const std::string have = names(table->partition_keys);
    const std::string want = names(layout.partition_keys);
    if (have == want) return Status::Ok();
    return Status::InvalidArgument("Prefix: the objects go to table " + layout.database + "." +
                                   layout.table + ", which has partition keys (" + have +
                                   "), but the Prefix's folders after " + layout.location +
                                   " make partition keys (" + want + ")");
}

Result<std::shared_ptr<DeliveryWorker>> DeliveryService::Impl::MakeWorker(
    const DeliveryStreamConfig& config, std::shared_ptr<const Destination> dest) {
    const std::string source = config.type == DeliveryStreamType::kDirectPut
                                   ? config.internal_stream
                                   : config.source_stream_name;
    TARN_ASSIGN_OR_RETURN(stream::StreamMetadata meta, options.streams->DescribeStream(source));
    return std::make_shared<DeliveryWorker>(options, clock, std::move(dest), source,
                                            static_cast<uint64_t>(meta.creation_ms));
}

Status DeliveryService::Impl::Load() {
    TARN_ASSIGN_OR_RETURN(auto stored, options.catalog->ListCheckpoints(kConfigNamespace));
    TARN_ASSIGN_OR_RETURN(auto intents, options.catalog->ListIntents());
    for (const auto& [name, text] : stored) {
        TARN_ASSIGN_OR_RETURN(DeliveryStreamConfig config, DecodeDeliveryConfig(text));
        auto columns = ConversionColumns(config);
        auto dest = columns.ok() ? Destination::Compile(config, *columns)
                                 : Result<std::shared_ptr<const Destination>>(columns.status());
        auto worker = dest.ok() ? MakeWorker(config, *dest)
                                : Result<std::shared_ptr<DeliveryWorker>>(dest.status());
        if (!worker.ok()) {
            // One broken delivery stream (its source stream deleted, its conversion table gone)
            // must not keep the server down: it is logged and left out until fixed.
            TARN_LOG_ERROR("delivery.load_failed",
                           {{"delivery", name}, {"error", worker.status().message()}});
            continue;
        }
        workers.emplace(name, std::move(*worker));
    }
    for (catalog::CommitIntent& intent : intents) {
        if (!intent.owner.starts_with("delivery/")) continue;
        const std::string name = intent.owner.substr(std::string_view("delivery/").size());
        auto it = workers.find(name);
        auto payload = DecodeIntentPayload(intent.payload);
        std::shared_ptr<const Destination> dest;
        if (it != workers.end() && payload.ok()) {
            auto compiled = Destination::Compile(payload->config, payload->conversion_columns);
            if (compiled.ok()) dest = *compiled;
        }
        if (!dest || payload->range.stream != it->second->source_stream()) {
            // Its delivery stream is gone: the intent's objects were never committed.
            TARN_LOG_WARN("delivery.intent_rolled_back",
                          {{"owner", intent.owner}, {"intent", intent.id}});
            TARN_RETURN_IF_ERROR(options.lake->Abort(intent));
            continue;
        }
        TARN_LOG_INFO("delivery.intent_replayed",
                      {{"delivery", name},
                       {"shard", static_cast<uint64_t>(payload->range.shard)},
                       {"first", payload->range.first},
                       {"end", payload->range.end}});
        it->second->AdoptIntent(std::move(intent), payload->range, std::move(dest));
    }
    for (auto& [name, worker] : workers) TARN_RETURN_IF_ERROR(worker->Start());
    return Status::Ok();
}

DeliveryService::DeliveryService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DeliveryService::~DeliveryService() { Close(); }

Result<std::unique_ptr<DeliveryService>> DeliveryService::Open(DeliveryServiceOptions options) {
    if (!options.streams || !options.catalog || !options.lake || !options.store) {
        return Status::InvalidArgument("DeliveryService: streams, catalog, lake and store are required");
    }
    auto impl = std::make_unique<Impl>();
    impl->clock = options.clock ? options.clock : SystemClock::Instance();
    impl->options = std::move(options);
    TARN_RETURN_IF_ERROR(impl->Load());
    return std::unique_ptr<DeliveryService>(new DeliveryService(std::move(impl)));
}

void DeliveryService::Close() {
    std::map<std::string, std::shared_ptr<DeliveryWorker>, std::less<>> workers;
    {
        std::lock_guard lock(impl_->mu_);
        impl_->closed = true;
        workers.swap(impl_->workers);
    }
    for (auto& [name, worker] : workers) worker->Stop();
}

Result<DeliveryStreamConfig> DeliveryService::Create(DeliveryStreamConfig config) {
    TARN_RETURN_IF_ERROR(Validate(config));
    {
        std::lock_guard lock(impl_->mu_);
        if (impl_->closed) return Status::Unavailable("delivery streams are closed");
        if (impl_->workers.contains(config.name)) {
            return Status::AlreadyExists("Firehose " + config.name +
                                         " under accountId 000000000000 already exists");
        }
    }
    TARN_ASSIGN_OR_RETURN(auto columns, impl_->ConversionColumns(config));
    config.status = DeliveryStreamStatus::kActive;
    if (config.create_time_ms == 0) {
        config.create_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    impl_->clock->Now().time_since_epoch())
                                    .count();
    }
    // Checked before the source is touched, so a refused config leaves nothing behind.
    TARN_ASSIGN_OR_RETURN(auto dest, Destination::Compile(config, columns));
    TARN_RETURN_IF_ERROR(impl_->CheckTable(*dest));
    stream::StreamService& streams = *impl_->options.streams;
    const std::string owner = DeliveryOwner(config.name);
    if (config.type == DeliveryStreamType::kDirectPut) {
        config.internal_stream = std::string(kInternalStreamPrefix) + config.name + "." +
                                 std::to_string(config.create_time_ms);
        TARN_RETURN_IF_ERROR(
            streams.CreateStream({.name = config.internal_stream, .shard_count = 1}).status());
        streams.WaitForTransitions();
        TARN_RETURN_IF_ERROR(streams.RegisterConsumer(config.internal_stream, owner));
    } else {
        auto source = streams.DescribeStream(config.source_stream_name);
        if (!source.ok()) {
            return Status::InvalidArgument(
                "KinesisStreamSourceConfiguration.KinesisStreamARN: stream " +
                config.source_stream_name + " was not found: " + source.status().message());
        }
        TARN_RETURN_IF_ERROR(streams.RegisterConsumer(config.source_stream_name, owner));
    }
    TARN_ASSIGN_OR_RETURN(dest, Destination::Compile(config, std::move(columns)));
    TARN_ASSIGN_OR_RETURN(auto worker, impl_->MakeWorker(config, dest));
    {
        std::lock_guard lock(impl_->mu_);
        if (impl_->closed) return Status::Unavailable("delivery streams are closed");
        if (!impl_->workers.emplace(config.name, worker).second) {
            return Status::AlreadyExists("Firehose " + config.name +
                                         " under accountId 000000000000 already exists");
        }
    }
    Status stored = impl_->options.catalog->PutCheckpoint(kConfigNamespace, config.name,
                                                          EncodeDeliveryConfig(config));
    if (stored.ok()) stored = worker->Start();
    if (!stored.ok()) {
        std::lock_guard lock(impl_->mu_);
        impl_->workers.erase(config.name);
        return stored;
    }
    TARN_LOG_INFO("delivery.created", {{"delivery", config.name},
                                       {"type", DeliveryStreamTypeName(config.type)},
                                       {"source", worker->source_stream()},
                                       {"table", dest->layout.database + "." + dest->layout.table}});
    return config;
}

Status DeliveryService::Delete(std::string_view name) {
    std::shared_ptr<DeliveryWorker> worker;
    {
        std::lock_guard lock(impl_->mu_);
        if (impl_->closed) return Status::Unavailable("delivery streams are closed");
        auto it = impl_->workers.find(name);
        if (it == impl_->workers.end()) return Status::NotFound(NotFoundMessage(name));
        worker = std::move(it->second);
        impl_->workers.erase(it);
    }
    worker->Stop();
    const DeliveryStreamConfig config = worker->destination()->config;
    const std::string owner = DeliveryOwner(name);
    catalog::Catalog& catalog = *impl_->options.catalog;
    TARN_RETURN_IF_ERROR(catalog.DeleteCheckpoints(kConfigNamespace, name));
    TARN_RETURN_IF_ERROR(catalog.DeleteCheckpoints(owner, std::nullopt));
    TARN_ASSIGN_OR_RETURN(auto intents, catalog.ListIntents());
    for (const catalog::CommitIntent& intent : intents) {
        if (intent.owner == owner) TARN_RETURN_IF_ERROR(impl_->options.lake->Abort(intent));
    }
    stream::StreamService& streams = *impl_->options.streams;
    Status source = config.type == DeliveryStreamType::kDirectPut
                        ? streams.DeleteStream(config.internal_stream)
                        : streams.DeregisterConsumer(config.source_stream_name, owner);
    if (!source.ok() && source.code() != StatusCode::kNotFound) return source;
    TARN_LOG_INFO("delivery.deleted", {{"delivery", name}});
    return Status::Ok();
}

Result<DeliveryStreamConfig> DeliveryService::Describe(std::string_view name) const {
    TARN_ASSIGN_OR_RETURN(auto worker, impl_->Find(name));
    return worker->destination()->config;
}

std::vector<std::string> DeliveryService::List(std::optional<DeliveryStreamType> type,
                                                std::string_view exclusive_start,
                                                size_t limit) const {
    std::vector<std::string> names;
    std::lock_guard lock(impl_->mu_);
    for (auto it = impl_->workers.upper_bound(exclusive_start);
         it != impl_->workers.end() && names.size() < limit; ++it) {
        if (type && it->second->destination()->config.type != *type) continue;
        names.push_back(it->first);
    }
    return names;
}

Status DeliveryService::Update(std::string_view name,
                               const std::function<Status(DeliveryStreamConfig&)>& apply) {
    TARN_ASSIGN_OR_RETURN(auto worker, impl_->Find(name));
    std::lock_guard lock(impl_->update_mu);
    DeliveryStreamConfig config = worker->destination()->config;
    TARN_RETURN_IF_ERROR(apply(config));
    TARN_RETURN_IF_ERROR(Validate(config));
    TARN_ASSIGN_OR_RETURN(auto columns, impl_->ConversionColumns(config));
    TARN_ASSIGN_OR_RETURN(auto dest, Destination::Compile(config, std::move(columns)));
    TARN_RETURN_IF_ERROR(impl_->CheckTable(*dest));
    TARN_RETURN_IF_ERROR(impl_->options.catalog->PutCheckpoint(kConfigNamespace, config.name,
                                                               EncodeDeliveryConfig(config)));
    worker->SetDestination(std::move(dest));
    TARN_LOG_INFO("delivery.updated", {{"delivery", config.name}, {"version", config.version_id}});
    return Status::Ok();
}

void DeliveryService::PutRecordBatch(std::string_view name,
                                     std::span<const std::string_view> records,
                                     PutBatchCallback done) {
    auto worker = impl_->Find(name);
    if (!worker.ok()) return done(worker.status());
    const DeliveryStreamConfig& config = (*worker)->destination()->config;
    if (config.type != DeliveryStreamType::kDirectPut) {
        return done(Status::InvalidArgument(
            "This operation is not permitted on KinesisStreamAsSource delivery stream type."));
    }
    auto inputs = std::make_shared<std::vector<stream::RecordInput>>();
    inputs->reserve(records.size());
    for (std::string_view data : records) {
        inputs->push_back(stream::RecordInput{.partition_key = kDirectPutPartitionKey, .data = data});
    }
    std::weak_ptr<DeliveryWorker> weak = *worker;
    impl_->options.streams->PutRecords(
        config.internal_stream, *inputs,
        [inputs, weak, done = std::move(done)](Result<stream::PutRecordsResult> result) {
            if (!result.ok()) {
                return done(result.status().code() == StatusCode::kNotFound
                                ? Status::Unavailable("delivery stream is being deleted")
                                : result.status());
            }
            PutBatchResult out;
            out.records.resize(result->records.size());
            for (size_t i = 0; i < result->records.size(); ++i) {
                const stream::PutRecordOutcome& r = result->records[i];
                PutBatchRecordResult& o = out.records[i];
                switch (r.error) {
                    case stream::PutRecordError::kNone:
                        o.record_id = stream::FormatSequenceNumber(result->sequence(i));
                        break;
                    case stream::PutRecordError::kThroughputExceeded:
                        o.error_code = "ServiceUnavailableException";
                        o.error_message = "Slow down.";
                        ++out.failed_put_count;
                        break;
                    case stream::PutRecordError::kInternalFailure:
                        o.error_code = "InternalFailure";
                        o.error_message = r.error_message;
                        ++out.failed_put_count;
                        break;
                }
            }
            if (auto w = weak.lock()) w->Notify();
            done(std::move(out));
        });
}

Result<DeliveryStatus> DeliveryService::GetStatus(std::string_view name) const {
    TARN_ASSIGN_OR_RETURN(auto worker, impl_->Find(name));
    return worker->GetStatus();
}

std::vector<DeliveryStatus> DeliveryService::ListStatus() const {
    std::vector<std::shared_ptr<DeliveryWorker>> workers;
    {
        std::lock_guard lock(impl_->mu_);
        for (const auto& [name, worker] : impl_->workers) workers.push_back(worker);
    }
    std::vector<DeliveryStatus> out;
    for (const auto& worker : workers) out.push_back(worker->GetStatus());
    return out;
}

Result<FlushResult> DeliveryService::Flush(std::string_view name,
                                           std::chrono::milliseconds timeout) {
    TARN_ASSIGN_OR_RETURN(auto worker, impl_->Find(name));
    return worker->Flush(timeout);
}

}  // namespace tarn::delivery
