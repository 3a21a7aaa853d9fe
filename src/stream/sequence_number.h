// Sequence numbers: the Kinesis-facing name of a record's position, derived from (stream,
// shard index, offset) so that they need no storage of their own and survive restarts.
//
// Layout: 56 decimal digits, fixed width, so string order == numeric order:
//
//   49 V EEEEEEEEEEEEE SSSSSSSSSS OOOOOOOOOOOOOOOOOOOO CCCCCCCCCC
//   |  | |             |          |                    `- check: CRC32C of the 46 digits before
//   |  | |             |          `- offset in the shard, 20 digits (uint64)
//   |  | |             `- shard index, 10 digits (uint32): the N of shardId-N. Shards are numbered
//   |  | |                in creation order, so a child's numbers sort after its parents'
//   |  | `- stream epoch: the stream's creation time in ms since the Unix epoch, 13 digits; tells
//   |  |    apart streams of the same name (a number of a deleted stream is foreign to the new one)
//   |  `- layout version, "1"
//   `- "49", as Kinesis's sequence numbers start
//
// Within one stream, numbers compare as (shard index, offset): strictly increasing per shard, and
// every number of a child shard is above every number of its parents. The check digits make a
// mistyped or made-up number fail to parse instead of pointing somewhere arbitrary.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "stream/record.h"

namespace tarn::stream {

inline constexpr size_t kSequenceNumberDigits = 56;
// Stream epochs must be below this (13 digits: until the year 2286).
inline constexpr uint64_t kMaxStreamEpochMs = 9'999'999'999'999;

struct SequenceNumber {
    uint64_t stream_epoch_ms = 0;
    uint32_t shard_index = 0;
    Offset offset{};
    friend auto operator<=>(const SequenceNumber&, const SequenceNumber&) = default;
};

// The 56-digit text. REQUIRES: seq.stream_epoch_ms <= kMaxStreamEpochMs.
std::string FormatSequenceNumber(const SequenceNumber& seq);
// The same 56 digits written to out[0..55] (no terminator), for answers that format many.
void FormatSequenceNumberTo(const SequenceNumber& seq, char* out);

// Formats many numbers of one stream, as a PutRecords or GetRecords answer does: the 26-digit
// prefix (version, epoch, shard) and its CRC are computed once per shard change, so a number
// costs its 20 offset digits and a short CRC extension. Same output as FormatSequenceNumberTo.
class SequenceNumberFormatter {
public:
    // REQUIRES: stream_epoch_ms <= kMaxStreamEpochMs.
    explicit SequenceNumberFormatter(uint64_t stream_epoch_ms) : epoch_ms_(stream_epoch_ms) {}
    // Writes the 56 digits of (epoch, shard, offset) to out[0..55].
    void FormatTo(uint32_t shard, Offset offset, char* out);

private:
    static constexpr size_t kPrefixDigits = 26;
    uint64_t epoch_ms_;
    bool have_prefix_ = false;
    uint32_t shard_ = 0;
    uint32_t prefix_crc_ = 0;
    char prefix_[kPrefixDigits] = {};
};

// Parses any well-formed number. InvalidArgument for another length, a non-digit, another prefix
// or version, a shard index above 2^32 - 1 or check digits that do not match. `what` names the
// field in messages ("StartingSequenceNumber", ...).
Result<SequenceNumber> ParseSequenceNumber(std::string_view text,
                                           std::string_view what = "SequenceNumber");

// ParseSequenceNumber, then InvalidArgument unless the number belongs to shard `shard_index` of
// the stream created at `stream_epoch_ms`, e.g. "Invalid StartingSequenceNumber. It encodes
// shardId-000000000001, while it was used in a call to a shard with shardId-000000000000".
Result<SequenceNumber> ParseSequenceNumberFor(std::string_view text, uint64_t stream_epoch_ms,
                                              uint32_t shard_index,
                                              std::string_view what = "SequenceNumber");

}  // namespace tarn::stream
