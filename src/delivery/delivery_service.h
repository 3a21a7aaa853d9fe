// DeliveryService: the delivery streams of a server, each one an in-process consumer that
// buffers its source's records and delivers them into the lake exactly once.
//
//   TARN_ASSIGN_OR_RETURN(auto deliveries, DeliveryService::Open({.streams = ..., .catalog = ...,
//                                                                 .lake = ..., .store = ...}));
//   deliveries->Create(config);               // config passed delivery::Validate
//   deliveries->PutRecordBatch("clicks", records, [](Result<PutBatchResult> r) { ... });
//   deliveries->Flush("clicks", 30s);         // everything acknowledged so far is in the lake
//
// Sources. KinesisStreamAsSource reads a tarn stream in process (a registered consumer
// "delivery/<name>", so retention keeps what it has not delivered), every shard, a child shard
// only once its parents are delivered to their end. DirectPut delivery streams get an internal
// stream of one shard (InternalStreamName; the Kinesis API does not list it): PutRecordBatch
// appends there and answers once the records are fsynced, so direct puts take the same durable,
// exactly-once path as stream puts.
//
// Buffering, per source shard: a shard's buffer is the range of records read but not delivered;
// it is delivered when its records' bytes reach BufferingHints.SizeInMBs (never more: the range
// is cut before the record that would pass it), when IntervalInSeconds has passed since its first
// record was read, or on Flush. Only offsets and byte counts are buffered: delivery re-reads the
// range from the log (its read cache holds the tail), the same way recovery does.
//
// Delivering a range [first, end) of a shard (delivery_batch.h builds the objects):
//   1. the records are de-aggregated (KPL), checked to be JSON, assigned their prefix (arrival
//      time in UTC or the event-time field; dynamic partition keys), grouped by prefix into one
//      object each, named `<prefix><delivery>-<shardId>-<first offset>-<last offset><ext>`;
//      records that fail go to error objects under the ErrorOutputPrefix with their reason;
//   2. the intent is recorded in the catalog (lake commit owner "delivery/<name>", payload: the
//      shard, the range and the whole destination configuration in force);
//   3. the objects are written; 4. one lake commit registers the data objects in the delivery's
//      table (created from the records' inferred schema when missing; a JSON table's columns
//      evolve as new fields arrive) with their partitions and moves the shard's checkpoint
//      (catalog namespace "delivery/<name>") to `end`.
// Nothing in an object depends on the time of writing, so Open replays an intent left open by
// a crash into byte-identical objects and commits it: no record is lost or delivered twice.
// A destination change (UpdateDestination) applies from the next range, never to one in flight.
// Write failures (disk full, permissions) are retried with backoff (100 ms doubling to 30 s); the
// checkpoint stays, the lag grows, last_error says why, nothing half-written becomes visible.
//
// Configurations live in the catalog (checkpoint namespace kConfigNamespace, key = name).
//
// Errors: NotFound (unknown delivery stream, or the source stream), AlreadyExists (name taken),
// InvalidArgument (a config failing Validate, or naming a conversion table that does not exist),
// FailedPrecondition (a stale version in UpdateDestination; a delivery that is not ACTIVE),
// Expired (Flush timed out: the message says why, e.g. the last write error), Unavailable (the
// service is closed).
//
// Thread-safety: every method may be called from any thread. Each delivery stream has one worker
// thread; PutRecordBatch's callback runs on the internal stream's writer thread (keep it short).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "delivery/delivery_config.h"

namespace tarn::catalog {
class Catalog;
class LakeCommitter;
}  // namespace tarn::catalog
namespace tarn::storage {
class ObjectStore;
}
namespace tarn::stream {
class StreamService;
}

namespace tarn::delivery {

inline constexpr std::string_view kConfigNamespace = "delivery.streams";
// Lake commit owner and checkpoint namespace of a delivery stream: "delivery/<name>".
std::string DeliveryOwner(std::string_view delivery);
// The prefix of internal stream names ("__firehose."); the Kinesis API hides such streams and
// refuses to create them.
inline constexpr std::string_view kInternalStreamPrefix = "__firehose.";
bool IsInternalStreamName(std::string_view stream);

// Firehose's PutRecordBatch limits.
inline constexpr size_t kMaxPutBatchRecords = 500;
inline constexpr size_t kMaxPutRecordBytes = 1000 * 1024;
inline constexpr size_t kMaxPutBatchBytes = size_t{4} << 20;

struct DeliveryServiceOptions {
    // Not owned; all must outlive the service.
    stream::StreamService* streams = nullptr;
    catalog::Catalog* catalog = nullptr;
    catalog::LakeCommitter* lake = nullptr;
    storage::ObjectStore* store = nullptr;
    Clock* clock = nullptr;  // nullptr: SystemClock
    // How often a worker looks for new records in its source.
    std::chrono::milliseconds poll_interval{50};
    // Write-failure backoff bounds.
    std::chrono::milliseconds retry_min{100};
    std::chrono::milliseconds retry_max{30'000};
};

// One record's outcome in PutRecordBatch.
struct PutBatchRecordResult {
    std::string record_id;      // when stored
    std::string error_code;     // "ServiceUnavailableException" / "InternalFailure" when not
    std::string error_message;
};
struct PutBatchResult {
    std::vector<PutBatchRecordResult> records;  // one per input record, in order
    uint32_t failed_put_count = 0;
};
using PutBatchCallback = std::function<void(Result<PutBatchResult>)>;

// A delivery stream's state, for DescribeDeliveryStream, /api/v1/deliveries and /metrics.
struct DeliveryStatus {
    DeliveryStreamConfig config;
    std::string source_stream;  // the stream read (the internal one for DirectPut)
    uint64_t buffered_records = 0;
    uint64_t buffered_bytes = 0;
    uint64_t lag_records = 0;      // durable in the source, not yet committed to the lake
    int64_t lag_ms = 0;            // now - arrival time of the oldest such record; 0 when none
    uint64_t records_delivered = 0;  // user records (after de-aggregation) in committed objects
    uint64_t bytes_delivered = 0;    // object bytes committed
    uint64_t objects_written = 0;
    uint64_t commits = 0;
    // Records sent to the error output, by error kind ("processing-failed", ...).
    std::vector<std::pair<std::string, uint64_t>> error_records;
    int64_t last_commit_ms = 0;  // 0: none since start
    std::string last_error;      // the last failed attempt's reason, "" after a success
};

// What a Flush committed.
struct FlushResult {
    uint64_t records = 0;  // source records delivered by this flush's ranges
    uint64_t objects = 0;
};

class DeliveryService {
public:
    // Loads the configurations, replays the intents of every delivery owner left open (and
    // aborts those of deleted deliveries), then starts one worker per delivery stream.
    static Result<std::unique_ptr<DeliveryService>> Open(DeliveryServiceOptions options);
    ~DeliveryService();  // Close()
    DeliveryService(const DeliveryService&) = delete;
    DeliveryService& operator=(const DeliveryService&) = delete;

    // Stops the workers (a range being delivered is finished or left as an intent that the next
    // Open replays). Later calls fail with Unavailable.
    void Close();

    // Validates, creates the internal stream (DirectPut) or registers the consumer on the source
    // stream (which must exist: NotFound otherwise), stores the config and starts the worker.
    // Returns the stored config (status ACTIVE).
    Result<DeliveryStreamConfig> Create(DeliveryStreamConfig config);
    // Stops the worker, forgets the config and checkpoints, drops the internal stream or the
    // consumer registration. Delivered objects stay in the lake.
    Status Delete(std::string_view name);
    Result<DeliveryStreamConfig> Describe(std::string_view name) const;
    // Names in order, those after `exclusive_start`, at most `limit`; `type` filters when set.
    std::vector<std::string> List(std::optional<DeliveryStreamType> type,
                                  std::string_view exclusive_start, size_t limit) const;
    // Runs `apply` on a copy of the config under the delivery's lock; the result must pass
    // Validate and is stored, then used from the worker's next range.
    Status Update(std::string_view name,
                  const std::function<Status(DeliveryStreamConfig&)>& apply);

    // DirectPut only (InvalidArgument otherwise). REQUIRES: the API checked the Firehose limits;
    // `records` stay valid until `done` has run.
    void PutRecordBatch(std::string_view name, std::span<const std::string_view> records,
                        PutBatchCallback done);

    Result<DeliveryStatus> GetStatus(std::string_view name) const;
    std::vector<DeliveryStatus> ListStatus() const;  // by name
    // Delivers every record durable in the source now, and returns once it is committed.
    Result<FlushResult> Flush(std::string_view name, std::chrono::milliseconds timeout);

private:
    struct Impl;
    explicit DeliveryService(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tarn::delivery
