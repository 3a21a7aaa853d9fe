// ULEB128 varints and zigzag mapping, as the Thrift compact protocol and Parquet's encodings
// (DELTA_BINARY_PACKED, the RLE/bit-packing hybrid's run headers) write integers. Internal to the
// format module. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tarn::format::bits {

inline void AppendUleb128(uint64_t v, std::string* out) {
    while (v >= 0x80) {
        out->push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out->push_back(static_cast<char>(v));
}

constexpr uint64_t ZigZagEncode(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t ZigZagDecode(uint64_t v) {
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

// Reads a ULEB128 of at most `max_bytes` bytes at data[*pos]; advances *pos. False when the input
// ends first, the varint is longer than `max_bytes`, or the value overflows 64 bits.
inline bool ReadUleb128(std::string_view data, size_t* pos, uint64_t* value, int max_bytes = 10) {
    uint64_t result = 0;
    for (int i = 0; i < max_bytes && *pos < data.size(); ++i) {
        auto byte = static_cast<uint8_t>(data[(*pos)++]);
        if (i == 9 && byte > 1) return false;
        result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
        if ((byte & 0x80) == 0) {
            *value = result;
            return true;
        }
    }
    return false;
}

}  // namespace tarn::format::bits
