// StreamService: the streams of a server as one object — the registry of their metadata
// (StreamRegistry) joined to their shard logs (StreamLog) — and everything the Kinesis API and
// the in-process consumers (delivery) ask of them: create/delete/describe, put (routed, group-
// committed, acknowledged when fsynced), shard iterators and reads, resharding with lineage,
// retention with consumer protection and a disk budget, and optional per-shard rate limits.
//
// Layout: `<dir>/<stream>/stream.json` (StreamRegistry), `<dir>/<stream>/shardId-N/` (ShardLog),
// `<dir>/<stream>/consumers.json` (the registered consumers' checkpoints).
//
// Errors are Status codes that api/ maps to AWS shapes (AwsErrorFromStatus):
//   NotFound           ResourceNotFoundException  (unknown stream or shard; a stream that is
//                                                  CREATING or DELETING cannot be put to or read)
//   FailedPrecondition ResourceInUseException     (stream not ACTIVE for a reshard, name taken)
//   AlreadyExists      ResourceInUseException
//   InvalidArgument    InvalidArgumentException   (bad ids, numbers, iterators, ranges)
//   ResourceExhausted  LimitExceededException     (shard limits of the account/stream)
//   Expired            ExpiredIteratorException   (an iterator older than the ttl)
//   Unavailable        ServiceUnavailable (503, retryable: closed service, failed disk)
// Messages are Kinesis's where Kinesis has one.
//
// Thread-safety: every method may be called from any thread. Put callbacks run on a stream's
// writer thread: they must be short and must not call back into blocking methods.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "stream/file_io.h"
#include "stream/log_format.h"
#include "stream/record.h"
#include "stream/sequence_number.h"
#include "stream/shard_log.h"
#include "stream/stream_metadata.h"
#include "stream/stream_registry.h"

namespace tarn::stream {

// Per-shard write limits (Kinesis: 1,000 records/s and 1 MiB/s per shard). 0: unlimited, the
// default: tarn is not throttled like AWS unless asked. Enforced with a token bucket holding one
// second's worth.
struct ShardRateLimits {
    uint64_t records_per_second = 0;
    uint64_t bytes_per_second = 0;
};

struct StreamServiceOptions {
    std::string dir;  // the streams/ directory; created when missing
    StreamMetadataOptions metadata;
    // Passed to every StreamLog / ShardLog.
    uint64_t segment_bytes = log_format::kDefaultSegmentBytes;
    uint32_t index_interval_bytes = log_format::kDefaultIndexIntervalBytes;
    std::chrono::microseconds commit_max_wait{2000};
    size_t commit_max_batch_bytes = size_t{4} << 20;
    uint64_t cache_window_bytes = kDefaultCacheWindowBytes;  // per shard (ShardLogOptions)
    ShardRateLimits limits;
    // How long a shard iterator stays valid (Kinesis: 5 minutes).
    std::chrono::milliseconds iterator_ttl{300'000};
    // Retention runs this often (and once at Open). 0: only when RunRetention() is called.
    std::chrono::milliseconds retention_interval{60'000};
    // When the streams' segment files take more than this many bytes, retention deletes the
    // oldest segments even when a consumer has not checkpointed past them (counted on /metrics
    // as tarn_stream_retention_forced_records_total and logged "stream.retention_forced").
    // 0: no budget.
    uint64_t disk_budget_bytes = 0;
    FileIo* io = nullptr;    // nullptr: DefaultFileIo(). Not owned.
    Clock* clock = nullptr;  // nullptr: SystemClock. Arrival times, iterator expiry, retention.
};

// ---- Put ----------------------------------------------------------------------------------

// Why one record of a PutRecords was not stored (the call itself succeeded).
enum class PutRecordError : uint8_t {
    kNone,
    kThroughputExceeded,  // ProvisionedThroughputExceededException: a rate limit is on and full
    kInternalFailure,     // InternalFailure: the shard's disk failed (retryable)
};

struct PutRecordOutcome {
    PutRecordError error = PutRecordError::kNone;
    std::string error_message;  // when error != kNone, e.g. "Rate exceeded for shard ..."
    uint32_t shard = 0;         // the shard it was routed to (ShardMetadata::index)
    Offset offset{};            // when stored: its offset in the shard
};

// Outcomes carry offsets, not formatted sequence numbers: an answer formats its 500 numbers
// straight into the response (SequenceNumberFormatter) without a string per record.
struct PutRecordsResult {
    std::vector<PutRecordOutcome> records;  // one per input record, in order
    uint32_t failed_record_count = 0;
    uint64_t stream_epoch_ms = 0;  // with shard and offset, a stored record's sequence number

    // The sequence number of records[i]. REQUIRES: records[i].error == kNone.
    SequenceNumber sequence(size_t i) const {
        return {stream_epoch_ms, records[i].shard, records[i].offset};
    }
};

using PutRecordsCallback = std::function<void(Result<PutRecordsResult>)>;

// ---- Read -----------------------------------------------------------------------------------

enum class IteratorType : uint8_t {
    kTrimHorizon,
    kLatest,
    kAtSequenceNumber,
    kAfterSequenceNumber,
    kAtTimestamp,
};
// "TRIM_HORIZON", ... ; InvalidArgument for anything else.
Result<IteratorType> ParseIteratorType(std::string_view text);

struct ShardIteratorRequest {
    std::string stream;    // name or ARN
    std::string shard_id;  // "shardId-000000000000"
    IteratorType type = IteratorType::kTrimHorizon;
    std::string sequence_number;  // AT_/AFTER_SEQUENCE_NUMBER
    int64_t timestamp_ms = 0;     // AT_TIMESTAMP (a timestamp in the future reads from LATEST)
};

struct ChildShard {
    std::string shard_id;
    std::vector<std::string> parent_shards;
    HashKeyRange hash_range;
};

struct GetRecordsResult {
    RecordBatch batch;             // the records, in order
    uint64_t stream_epoch_ms = 0;  // with shard_index: the records' sequence numbers
    uint32_t shard_index = 0;
    // Empty when the shard is closed and every record was read; then child_shards is set.
    std::optional<std::string> next_iterator;
    int64_t millis_behind_latest = 0;  // 0 when caught up with the shard's durable tip
    std::vector<ChildShard> child_shards;

    std::string SequenceNumberOf(const RecordView& record) const;
};

inline constexpr uint32_t kMaxGetRecordsLimit = 10'000;
inline constexpr size_t kMaxGetRecordsBytes = size_t{10} << 20;

// ---- In-process consumers ---------------------------------------------------------------

// What a consumer needs to know of a shard to read it without HTTP.
struct ShardPosition {
    ShardMetadata shard;      // range, lineage, end offset when closed
    Offset first_offset{};    // the trim horizon
    Offset durable_offset{};  // one past the last readable record
};

// ---- The service ----------------------------------------------------------------------------

class StreamService {
public:
    // Opens the registry and the logs of every stream (recovering them) and starts the retention
    // timer. IOError/Corruption naming the file when the directory cannot be loaded.
    static Result<std::unique_ptr<StreamService>> Open(StreamServiceOptions options);
    // Close().
    ~StreamService();
    StreamService(const StreamService&) = delete;
    StreamService& operator=(const StreamService&) = delete;

    // Commits what is pending, stops the writers and timers. Later calls fail with Unavailable.
    void Close();

    // -- Streams (see StreamRegistry for statuses and messages) --
    Result<StreamMetadata> CreateStream(const CreateStreamRequest& request);
    // Puts and reads of the stream fail (NotFound) from now on; its files go in the background.
    Status DeleteStream(std::string_view name_or_arn);
    Result<StreamMetadata> DescribeStream(std::string_view name_or_arn) const;
    Result<StreamListPage> ListStreams(std::string_view exclusive_start, uint32_t limit) const;
    // Blocks until no status transition is pending (tests; `tarn up` waiting for ACTIVE).
    void WaitForTransitions();

    // -- Retention and tags --
    Status IncreaseRetention(std::string_view name_or_arn, uint32_t hours);
    Status DecreaseRetention(std::string_view name_or_arn, uint32_t hours);
    Status AddTags(std::string_view name_or_arn, const std::map<std::string, std::string>& tags);
    Status RemoveTags(std::string_view name_or_arn, const std::vector<std::string>& keys);

    // -- Resharding: the parents are sealed (no record lands in a parent after its end offset),
    // the children get their own logs, the stream goes UPDATING then ACTIVE. --
    Status SplitShard(std::string_view name_or_arn, std::string_view shard_id,
                      std::string_view new_starting_hash_key);
    Status MergeShards(std::string_view name_or_arn, std::string_view shard_id,
                       std::string_view adjacent_shard_id);
    // Returns the metadata before the change (UpdateShardCount answers the current count).
    Result<StreamMetadata> UpdateShardCount(std::string_view name_or_arn, uint32_t target);

    // -- Put --
    // Routes each record (explicit hash key, else MD5 of the partition key) to its open shard,
    // appends through group commit and calls `done` once every stored record is durable.
    // REQUIRES: each record passes ValidateRecord (the API checks sizes first, with its own
    // messages); the viewed bytes stay valid until `done` has run. `done` gets an error (and
    // nothing was stored) only when the stream is unknown/not readable (NotFound) or the service
    // is closed (Unavailable); disk failures and rate limits are per-record outcomes.
    void PutRecords(std::string_view name_or_arn, std::span<const RecordInput> records,
                    PutRecordsCallback done);

    // -- Read (Kinesis iterators) --
    // An opaque iterator (printable, <= 512 bytes) valid for options.iterator_ttl.
    // InvalidArgument for a bad sequence number (wrong shard/stream, or beyond the shard's tip
    // for AT_/AFTER_), NotFound for an unknown stream/shard.
    Result<std::string> GetShardIterator(const ShardIteratorRequest& request) const;
    // Up to `limit` (1..10000) records and at most kMaxGetRecordsBytes of data. Errors:
    // InvalidArgument "Invalid ShardIterator." for garbage; Expired (Kinesis's message: "Iterator
    // expired. The iterator was created at time ... while right now it is ... which is further
    // in the future than the tolerated delay of 300000 milliseconds.") once it is older than the
    // ttl; NotFound when the stream (or this incarnation of it) or the shard is gone. Reading
    // below the trim horizon starts at the horizon.
    Result<GetRecordsResult> GetRecords(std::string_view iterator, uint32_t limit) const;

    // -- In-process consumers (the delivery stage) --
    // Registers `consumer` on a stream (idempotent). Its checkpoints protect segments from
    // retention (below the disk budget) and survive restarts.
    Status RegisterConsumer(std::string_view stream, std::string_view consumer);
    Status DeregisterConsumer(std::string_view stream, std::string_view consumer);
    // Records below `next` of that shard are processed by the consumer (monotonic: a lower
    // value is ignored). Persisted before returning.
    Status Checkpoint(std::string_view stream, std::string_view consumer, uint32_t shard,
                      Offset next);
    // The consumer's checkpoints by shard index (shards it never checkpointed are absent).
    Result<std::map<uint32_t, Offset>> Checkpoints(std::string_view stream,
                                                   std::string_view consumer) const;
    // Every shard of the stream (closed ones included) with its readable range.
    Result<std::vector<ShardPosition>> Shards(std::string_view stream) const;
    // ShardLog::Read of one shard; NotFound for an unknown stream/shard.
    Result<RecordBatch> Read(std::string_view stream, uint32_t shard, Offset from,
                             size_t max_records, size_t max_bytes) const;

    // -- Retention --
    // Deletes, for every shard, the whole segments older than the stream's retention that every
    // consumer has checkpointed past; then, when over the disk budget, the oldest segments
    // regardless. Returns what was deleted in all.
    Result<RetentionResult> RunRetention();

    const StreamServiceOptions& options() const;

private:
    struct Impl;
    explicit StreamService(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tarn::stream
