#include "stream/sequence_number.h"

#include <array>
#include <cstring>

#include "common/hash.h"
#include "stream/stream_log.h"

namespace tarn::stream {
namespace {

constexpr std::string_view kPrefix = "491";  // "49" and layout version 1
constexpr size_t kEpochAt = 3, kEpochDigits = 13;
constexpr size_t kShardAt = kEpochAt + kEpochDigits, kShardDigits = 10;
constexpr size_t kOffsetAt = kShardAt + kShardDigits, kOffsetDigits = 20;
constexpr size_t kCheckAt = kOffsetAt + kOffsetDigits, kCheckDigits = 10;
static_assert(kCheckAt + kCheckDigits == kSequenceNumberDigits);

// REQUIRES: text holds only digits and its value fits in uint64 (<= 20 digits checked by caller).
bool ParseDigits(std::string_view text, uint64_t* out) {
    uint64_t v = 0;
    for (char c : text) {
        const auto d = static_cast<uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

// "00" "01" ... "99": two digits per division.
constexpr auto kDigitPairs = [] {
    std::array<char, 200> pairs{};
    for (int i = 0; i < 100; ++i) {
        pairs[2 * i] = static_cast<char>('0' + i / 10);
        pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return pairs;
}();

// Writes `value` as exactly `width` decimal digits, zero-padded (REQUIRES: it fits). Sequence
// numbers are formatted for every record a PutRecords or GetRecords answers: no printf.
void WriteDigits(uint64_t value, char* out, size_t width) {
    size_t i = width;
    while (i >= 2) {
        i -= 2;
        std::memcpy(out + i, &kDigitPairs[2 * (value % 100)], 2);
        value /= 100;
    }
    if (i == 1) out[0] = static_cast<char>('0' + value % 10);
}

}  // namespace

void FormatSequenceNumberTo(const SequenceNumber& seq, char* out) {
    std::memcpy(out, kPrefix.data(), kPrefix.size());
    WriteDigits(seq.stream_epoch_ms, out + kEpochAt, kEpochDigits);
    WriteDigits(seq.shard_index, out + kShardAt, kShardDigits);
    WriteDigits(ToU64(seq.offset), out + kOffsetAt, kOffsetDigits);
    WriteDigits(Crc32c(out, kCheckAt), out + kCheckAt, kCheckDigits);
}

static_assert(kOffsetAt == 26, "SequenceNumberFormatter::kPrefixDigits is the offset's position");

void SequenceNumberFormatter::FormatTo(uint32_t shard, Offset offset, char* out) {
    if (!have_prefix_ || shard != shard_) {
        std::memcpy(prefix_, kPrefix.data(), kPrefix.size());
        WriteDigits(epoch_ms_, prefix_ + kEpochAt, kEpochDigits);
        WriteDigits(shard, prefix_ + kShardAt, kShardDigits);
        prefix_crc_ = Crc32c(prefix_, kPrefixDigits);
        shard_ = shard;
        have_prefix_ = true;
    }
    std::memcpy(out, prefix_, kPrefixDigits);
    WriteDigits(ToU64(offset), out + kOffsetAt, kOffsetDigits);
    WriteDigits(Crc32cExtend(prefix_crc_, out + kOffsetAt, kOffsetDigits), out + kCheckAt,
                kCheckDigits);
}

std::string FormatSequenceNumber(const SequenceNumber& seq) {
    std::string text(kSequenceNumberDigits, '0');
    FormatSequenceNumberTo(seq, text.data());
    return text;
}

Result<SequenceNumber> ParseSequenceNumber(std::string_view text, std::string_view what) {
    auto invalid = [&](std::string_view why) {
        return Status::InvalidArgument("Invalid " + std::string(what) + " '" +
                                       std::string(text.substr(0, 80)) + "': " + std::string(why));
    };
    if (text.size() != kSequenceNumberDigits) {
        return invalid("a sequence number has " + std::to_string(kSequenceNumberDigits) +
                       " digits");
    }
    for (char c : text) {
        if (c < '0' || c > '9') return invalid("not a decimal number");
    }
    if (text.substr(0, kPrefix.size()) != kPrefix) return invalid("not issued by this server");
    uint64_t epoch = 0, shard = 0, offset = 0, check = 0;
    if (!ParseDigits(text.substr(kEpochAt, kEpochDigits), &epoch) ||
        !ParseDigits(text.substr(kShardAt, kShardDigits), &shard) ||
        !ParseDigits(text.substr(kOffsetAt, kOffsetDigits), &offset) ||
        !ParseDigits(text.substr(kCheckAt, kCheckDigits), &check) || shard > UINT32_MAX) {
        return invalid("out of range");
    }
    if (check != Crc32c(text.data(), kCheckAt)) return invalid("check digits do not match");
    return SequenceNumber{epoch, static_cast<uint32_t>(shard), Offset{offset}};
}

Result<SequenceNumber> ParseSequenceNumberFor(std::string_view text, uint64_t stream_epoch_ms,
                                              uint32_t shard_index, std::string_view what) {
    TARN_ASSIGN_OR_RETURN(SequenceNumber seq, ParseSequenceNumber(text, what));
    if (seq.stream_epoch_ms != stream_epoch_ms) {
        return Status::InvalidArgument("Invalid " + std::string(what) +
                                       ". It belongs to another stream (or to an earlier stream "
                                       "of the same name)");
    }
    if (seq.shard_index != shard_index) {
        return Status::InvalidArgument(
            "Invalid " + std::string(what) + ". It encodes " + ShardDirName(seq.shard_index) +
            ", while it was used in a call to a shard with " + ShardDirName(shard_index));
    }
    return seq;
}

}  // namespace tarn::stream
