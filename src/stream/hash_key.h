// Hash keys: how a record is routed to a shard, exactly as Kinesis does it.
//
// A record's hash key is the MD5 of its partition key (UTF-8 bytes) read as a big-endian unsigned
// 128-bit integer, or its ExplicitHashKey when the producer gives one (a decimal string in
// [0, 2^128 - 1]). A shard owns the closed range [StartingHashKey, EndingHashKey]; the open shards
// of a stream partition [0, 2^128 - 1] without gaps or overlaps. HashKey (record.h) is the
// big-endian byte form, so comparing two HashKeys with `<` compares the numbers.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "stream/record.h"

namespace tarn::stream {

using Uint128 = unsigned __int128;
inline constexpr Uint128 kMaxHashKeyValue = ~Uint128{0};  // 2^128 - 1

Uint128 HashKeyToU128(const HashKey& key);
HashKey HashKeyFromU128(Uint128 value);
inline constexpr HashKey kMinHashKey{};
inline const HashKey kMaxHashKey = [] {
    HashKey k;
    k.fill(0xff);
    return k;
}();

// Decimal text of a 128-bit value / hash key, without leading zeros ("0" for zero).
std::string FormatU128(Uint128 value);
inline std::string FormatHashKey(const HashKey& key) { return FormatU128(HashKeyToU128(key)); }
// Parses a decimal hash key: 1..39 ASCII digits, value <= 2^128 - 1 (leading zeros allowed, as
// Kinesis accepts them). InvalidArgument otherwise, naming `what` ("ExplicitHashKey", ...).
Result<HashKey> ParseHashKey(std::string_view text, std::string_view what = "ExplicitHashKey");

// MD5(partition_key) as a hash key.
HashKey PartitionKeyHashKey(std::string_view partition_key);
// The hash key that routes `record`: its explicit hash key, else the MD5 of its partition key.
HashKey RecordHashKey(const RecordInput& record);
// RecordHashKey of every record, into out[0 .. records.size()). The MD5s are computed together
// (common/hash.h Md5Many: several keys per SIMD instruction), which is what a PutRecords of up to
// 500 records wants.
void RecordHashKeys(std::span<const RecordInput> records, HashKey* out);

// A closed range of hash keys [start, end]. REQUIRES (for a valid range): start <= end.
struct HashKeyRange {
    HashKey start{};
    HashKey end{};
    bool Contains(const HashKey& key) const { return start <= key && key <= end; }
    friend bool operator==(const HashKeyRange&, const HashKeyRange&) = default;
};

// Splits [0, 2^128 - 1] into `n` ranges as CreateStream does: each of floor(2^128 / n) keys, the
// last one also taking the remainder. REQUIRES: n >= 1.
std::vector<HashKeyRange> UniformHashKeyRanges(uint32_t n);

}  // namespace tarn::stream
