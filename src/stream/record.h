// Records of a stream shard as producers hand them in (RecordInput) and as readers get them back
// (RecordView, owned by a RecordBatch), and the strong Offset type.
// Thread-safety: values; a const RecordBatch may be read from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tarn::stream {

// A record's position in its shard: dense from 0, never reused for an acknowledged record.
enum class Offset : uint64_t {};
inline constexpr uint64_t ToU64(Offset o) { return static_cast<uint64_t>(o); }
inline constexpr Offset operator+(Offset o, uint64_t n) { return Offset{ToU64(o) + n}; }
inline constexpr uint64_t operator-(Offset a, Offset b) { return ToU64(a) - ToU64(b); }

// A 128-bit hash key, most significant byte first (as Kinesis's MD5-of-partition-key).
using HashKey = std::array<uint8_t, 16>;

// One record to append. Views: the bytes must stay valid until the append completes.
struct RecordInput {
    std::string_view partition_key;  // 1..256 bytes
    std::string_view data;           // 0..1 MiB
    std::optional<HashKey> explicit_hash_key;
};

// One record read back. Views point into the RecordBatch that holds it.
struct RecordView {
    Offset offset{};
    int64_t arrival_ms = 0;  // ms since the Unix epoch, non-decreasing within a shard
    std::string_view partition_key;
    std::string_view data;
    bool has_explicit_hash_key = false;
    HashKey explicit_hash_key{};
};

// The answer of ShardLog::Read: records in offset order, viewing into `buffer`. Moving a batch
// keeps the views valid (a moved std::vector keeps its heap block); copying it does not.
struct RecordBatch {
    std::vector<RecordView> records;
    // Where the next read continues: one past the last record here, or the requested offset
    // (raised to the shard's first offset) when there are none.
    Offset next_offset{};
    std::vector<char> buffer;  // the frames the views point into
};

}  // namespace tarn::stream
