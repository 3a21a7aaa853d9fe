// Shard iterator tokens: what GetShardIterator hands out and GetRecords takes back — a position in
// one shard of one incarnation of a stream, plus when the token was made (for expiry).
//
// Text form: base64 of a small binary record (format byte, stream epoch, shard index, offset,
// creation time, stream name) followed by the CRC32C of those bytes, so a mistyped or forged
// token fails to decode instead of pointing somewhere arbitrary. Printable, at most 220 bytes.
// Not a secret: anyone may read it; the CRC only catches accidents.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "stream/record.h"

namespace tarn::stream {

struct ShardIteratorToken {
    std::string stream;            // the stream name (1..128 bytes)
    uint64_t stream_epoch_ms = 0;  // the stream's creation time: tells incarnations apart
    uint32_t shard = 0;
    Offset offset{};
    int64_t created_ms = 0;  // when the token was made (ms since the Unix epoch)
    friend bool operator==(const ShardIteratorToken&, const ShardIteratorToken&) = default;
};

// REQUIRES: token.stream is 1..255 bytes.
std::string EncodeShardIterator(const ShardIteratorToken& token);
// InvalidArgument "Invalid ShardIterator." for anything EncodeShardIterator did not make.
Result<ShardIteratorToken> DecodeShardIterator(std::string_view text);

}  // namespace tarn::stream
