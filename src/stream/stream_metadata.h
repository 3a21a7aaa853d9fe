// StreamMetadata: what a stream is, as DescribeStream reports it — name, ARN, status, retention,
// mode, tags and its shards with their hash-key ranges and lineage — plus the resharding rules
// (SplitShard, MergeShards, UpdateShardCount) with Kinesis's checks and messages, and its file,
// `<stream dir>/stream.json` (written atomically: temp file, fsync, rename, fsync of the dir).
//
// Shards are numbered per stream in creation order (index N is "shardId-N" with 12 digits, the
// same name as its folder, see ShardDirName). Closed shards stay listed; only retention (not here)
// removes them. A closed shard's `end_offset` is one past its last offset, as its log reported when
// it closed (resharding takes a NextOffsetFn; without one, 0).
//
// Errors use Status codes that api/ maps to AWS's shapes: NotFound (ResourceNotFoundException),
// FailedPrecondition (ResourceInUseException: the stream is not ACTIVE), InvalidArgument
// (InvalidArgumentException), ResourceExhausted (LimitExceededException).
//
// Thread-safety: a value; mutate copies (StreamRegistry publishes them copy-on-write).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "stream/hash_key.h"
#include "stream/sequence_number.h"

namespace tarn::stream {

enum class StreamStatus : uint8_t { kCreating, kActive, kUpdating, kDeleting };
enum class StreamMode : uint8_t { kProvisioned, kOnDemand };
// "CREATING", "ACTIVE", ...; "PROVISIONED", "ON_DEMAND".
std::string_view StreamStatusName(StreamStatus status);
std::string_view StreamModeName(StreamMode mode);
Result<StreamStatus> ParseStreamStatus(std::string_view text);
Result<StreamMode> ParseStreamMode(std::string_view text);  // InvalidArgument when unknown

inline constexpr uint32_t kMinRetentionHours = 24;
inline constexpr uint32_t kMaxRetentionHours = 8760;
inline constexpr uint32_t kOnDemandDefaultShards = 4;
inline constexpr size_t kMaxTagsPerStream = 50;
inline constexpr int kStreamMetadataFormatVersion = 1;
inline constexpr std::string_view kStreamMetadataFileName = "stream.json";

struct StreamMetadataOptions {
    std::string region = "us-east-1";
    std::string account = "000000000000";
    uint32_t max_shards_per_stream = 500;  // open shards
};

// "arn:aws:kinesis:<region>:<account>:stream/<name>".
std::string StreamArn(std::string_view region, std::string_view account, std::string_view name);
// The stream name in an ARN of this region and account; InvalidArgument for anything else.
Result<std::string> StreamNameFromArn(std::string_view arn, const StreamMetadataOptions& options);
// "shardId-000000000007" -> 7; InvalidArgument for anything else.
Result<uint32_t> ParseShardId(std::string_view shard_id);

struct ShardMetadata {
    uint32_t index = 0;
    HashKeyRange hash_range;
    std::optional<uint32_t> parent;
    std::optional<uint32_t> adjacent_parent;
    std::optional<uint64_t> end_offset;  // set once closed
    // When the shard was created and closed (ms since the Unix epoch): ListShards' AT_TIMESTAMP and
    // FROM_TIMESTAMP filters. Files of older builds lack them: 0 (the stream's creation time for
    // its first shards) and, for closed shards, unknown.
    int64_t created_ms = 0;
    std::optional<int64_t> closed_ms;

    bool open() const { return !end_offset.has_value(); }
    std::string id() const;  // "shardId-<12 digits>"
    friend bool operator==(const ShardMetadata&, const ShardMetadata&) = default;
};

// The next offset of a shard's log (one past its last record), asked when a shard closes.
using NextOffsetFn = std::function<uint64_t(uint32_t shard_index)>;

struct StreamMetadata {
    std::string name;
    std::string arn;
    StreamStatus status = StreamStatus::kCreating;
    int64_t creation_ms = 0;  // also the stream epoch of its sequence numbers
    uint32_t retention_hours = kMinRetentionHours;
    StreamMode mode = StreamMode::kProvisioned;
    std::map<std::string, std::string> tags;
    std::vector<ShardMetadata> shards;  // by index, ascending; closed ones included
    uint32_t next_shard_index = 0;

    // A CREATING stream of `shard_count` uniform shards (see UniformHashKeyRanges).
    // InvalidArgument for a bad name, a count outside 1..max or a creation time beyond
    // kMaxStreamEpochMs.
    static Result<StreamMetadata> New(std::string_view name, uint32_t shard_count, StreamMode mode,
                                      int64_t creation_ms, const StreamMetadataOptions& options);

    const ShardMetadata* FindShard(uint32_t index) const;
    // NotFound "Could not find shard <id> in stream <name> under account <account>."
    Result<const ShardMetadata*> FindShard(std::string_view shard_id,
                                           std::string_view account) const;
    uint32_t OpenShardCount() const;
    // The open shard whose range holds `key`; Internal when none does (broken invariant).
    Result<uint32_t> Route(const HashKey& key) const;

    std::string StartingSequenceNumber(const ShardMetadata& shard) const;
    // Null while open. Closed: the number of its last record (end_offset - 1), or the starting
    // number when it never held one.
    std::optional<std::string> EndingSequenceNumber(const ShardMetadata& shard) const;

    // Resharding. Each REQUIRES status ACTIVE (else FailedPrecondition "Stream <name> under
    // account <a> not ACTIVE, instead in state <S>."), closes its parents (end offsets from
    // `next_offset`, may be null), appends the children with the next indices and sets UPDATING;
    // the owner persists the result and later sets ACTIVE. On error nothing changes. `now_ms`
    // becomes the parents' closed_ms and the children's created_ms.
    //
    // SplitShard: the shard must be open and start < new_starting_hash_key <= end; children
    // [start, key - 1] and [key, end], both with parent = the shard.
    Status SplitShard(std::string_view shard_id, std::string_view new_starting_hash_key,
                      const StreamMetadataOptions& options, const NextOffsetFn& next_offset,
                      int64_t now_ms = 0);
    // MergeShards: both open, and one's range ends right before the other's starts; one child
    // with their union, parent = `shard_id`, adjacent parent = `adjacent_shard_id`.
    Status MergeShards(std::string_view shard_id, std::string_view adjacent_shard_id,
                       const StreamMetadataOptions& options, const NextOffsetFn& next_offset,
                       int64_t now_ms = 0);
    // UNIFORM_SCALING: target in 1..max, at most double and at least half the open count (as
    // Kinesis). Closes every open shard and creates `target` uniform children. Lineage rule:
    // a child's parent is the old open shard holding its starting hash key; its adjacent parent
    // is the old open shard holding its ending hash key when that is another one (a child
    // spanning three or more old shards records only these two). A target equal to the open
    // count is a no-op (nothing closes, status stays ACTIVE).
    Status UpdateShardCount(uint32_t target, const StreamMetadataOptions& options,
                            const NextOffsetFn& next_offset, int64_t now_ms = 0);

    // Increase/DecreaseStreamRetentionPeriod: hours in 24..8760, and not shorter (resp. longer)
    // than the current period. InvalidArgument otherwise, with Kinesis's messages.
    Status IncreaseRetention(uint32_t hours);
    Status DecreaseRetention(uint32_t hours);
    // AddTagsToStream (overwrites existing keys; at most 50 tags in all; key 1..128 and value
    // 0..256 characters) and RemoveTagsFromStream (missing keys are ignored).
    Status AddTags(const std::map<std::string, std::string>& tags);
    void RemoveTags(const std::vector<std::string>& keys);

    // Checks the invariants a loaded file must meet: shards ascending by index below
    // next_shard_index, and the open ones covering [0, 2^128 - 1] without gaps or overlaps.
    // Corruption otherwise.
    Status Validate() const;

    std::string ToJson() const;
    // Corruption naming `source` (a file path) for bad JSON or fields, Unimplemented for a
    // format_version this build does not know.
    static Result<StreamMetadata> FromJson(std::string_view text, std::string_view source);

    friend bool operator==(const StreamMetadata&, const StreamMetadata&) = default;
};

// Routes hash keys to the open shards of one StreamMetadata by binary search (Route() above scans):
// build one per metadata version and reuse it for every record of a PutRecords.
class ShardRouter {
public:
    explicit ShardRouter(const StreamMetadata& meta);
    // The index of the open shard whose range holds `key`. REQUIRES: `meta` passed Validate()
    // (the open shards cover every key).
    uint32_t Route(const HashKey& key) const;
    size_t num_open_shards() const { return starts_.size(); }

private:
    std::vector<std::pair<HashKey, uint32_t>> starts_;  // (starting hash key, index), ascending
};

// Writes `meta` to `<dir>/stream.json` atomically and durably (dir must exist).
Status SaveStreamMetadata(const std::string& dir, const StreamMetadata& meta);
// Reads `<dir>/stream.json`: NotFound when missing, else as FromJson.
Result<StreamMetadata> LoadStreamMetadata(const std::string& dir);

}  // namespace tarn::stream
