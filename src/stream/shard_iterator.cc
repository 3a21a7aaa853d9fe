#include "stream/shard_iterator.h"

#include <cstring>

#include "common/base64.h"
#include "common/hash.h"

namespace tarn::stream {
namespace {

constexpr uint8_t kFormat = 0x71;  // bump when the layout changes
constexpr size_t kFixedBytes = 1 + 8 + 4 + 8 + 8 + 1;
constexpr size_t kCrcBytes = 4;
constexpr size_t kMaxTextBytes = 512;

template <typename T>
void Put(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // little-endian hosts only, as the segment format
    out.append(bytes, sizeof(T));
}

template <typename T>
T Take(const char*& p) {
    T value;
    std::memcpy(&value, p, sizeof(T));
    p += sizeof(T);
    return value;
}

Status Invalid() { return Status::InvalidArgument("Invalid ShardIterator."); }

}  // namespace

std::string EncodeShardIterator(const ShardIteratorToken& token) {
    std::string raw;
    raw.reserve(kFixedBytes + token.stream.size() + kCrcBytes);
    raw.push_back(static_cast<char>(kFormat));
    Put(raw, token.stream_epoch_ms);
    Put(raw, token.shard);
    Put(raw, ToU64(token.offset));
    Put(raw, token.created_ms);
    raw.push_back(static_cast<char>(static_cast<uint8_t>(token.stream.size())));
    raw.append(token.stream);
    Put(raw, Crc32c(raw));
    return Base64Encode(raw);
}

Result<ShardIteratorToken> DecodeShardIterator(std::string_view text) {
    if (text.empty() || text.size() > kMaxTextBytes) return Invalid();
    auto raw = Base64Decode(text);
    if (!raw.ok() || raw->size() < kFixedBytes + kCrcBytes) return Invalid();
    const size_t body = raw->size() - kCrcBytes;
    const char* crc_at = raw->data() + body;
    if (Take<uint32_t>(crc_at) != Crc32c(raw->data(), body)) return Invalid();
    const char* p = raw->data();
    if (static_cast<uint8_t>(*p++) != kFormat) return Invalid();
    ShardIteratorToken t;
    t.stream_epoch_ms = Take<uint64_t>(p);
    t.shard = Take<uint32_t>(p);
    t.offset = Offset{Take<uint64_t>(p)};
    t.created_ms = Take<int64_t>(p);
    const size_t name_len = static_cast<uint8_t>(*p++);
    if (name_len == 0 || kFixedBytes + name_len != body) return Invalid();
    t.stream.assign(p, name_len);
    return t;
}

}  // namespace tarn::stream
