// Runs a tarn server in the foreground until SIGINT or SIGTERM: takes the data dir's lock, opens
// the lake's catalog and crawlers (cli/lake_services.h) and the streams (stream::StreamService at
// <data>/streams), starts the edge server with every API
// tarn has (Kinesis Data Streams included), and stops gracefully: the edge server first, then the
// streams (which commit what is pending). Shared by `tarn server` and `tarn up`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace tarn::cli {

struct ServerFlags {
    std::string data_dir = "./tarn-data";
    std::string host = "127.0.0.1";
    uint16_t port = 4566;  // 0: any free port (the chosen one is logged and passed to on_ready)
    int io_threads = 0;
    std::string log_level = "info";
    // Streams: per-shard write limits (0: off), the group commit's longest wait.
    uint64_t shard_records_per_second = 0;
    uint64_t shard_bytes_per_second = 0;
    int64_t commit_max_wait_us = 2000;
    int64_t log_cache_window_mb = 32;
    // Hidden, for tests: how long shard iterators and ListShards tokens stay valid.
    int64_t iterator_ttl_ms = 300'000;
    int64_t list_shards_token_ttl_ms = 300'000;
    // `tarn up`: create the Kinesis stream `events` (2 shards) when missing and wait until ACTIVE.
    bool create_events_stream = false;
    // `tarn up`: create the crawler of raw/ and processed/ (cli/lake_services.h) and run it.
    bool create_default_crawler = false;
    // `tarn up`: create the delivery stream `events` (the stream `events` into raw/events/,
    // gzip NDJSON, every kDefaultDeliveryIntervalSeconds) when missing.
    bool create_default_delivery = false;
};

// The delivery stream `tarn up` creates, and its buffering interval (short: a demo shows data in
// the lake within seconds).
inline constexpr const char* kDefaultDeliveryName = "events";
inline constexpr int kDefaultDeliveryIntervalSeconds = 10;

// The stream `tarn up` creates.
inline constexpr const char* kDefaultStreamName = "events";
inline constexpr uint32_t kDefaultStreamShards = 2;

// Returns the process exit status: 0 after a clean stop, 1 when the server could not start (the
// reason is printed as one line on stderr). `on_ready(endpoint)` runs once the port is bound.
int RunServer(const ServerFlags& flags, const std::function<void(const std::string&)>& on_ready);

}  // namespace tarn::cli
