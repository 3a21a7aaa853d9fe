#include "common/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace tarn {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

// The two characters of every 12-bit value: encoding looks up two characters at a time (8 KiB,
// stays in L1 cache while a batch is encoded).
constexpr std::array<std::array<char, 2>, 4096> MakePairTable() {
    std::array<std::array<char, 2>, 4096> t{};
    for (int i = 0; i < 4096; ++i) t[i] = {kAlphabet[i >> 6], kAlphabet[i & 63]};
    return t;
}
constexpr std::array<std::array<char, 2>, 4096> kPairs = MakePairTable();

}  // namespace

void Base64EncodeAppend(std::string_view data, std::string* out) {
    const size_t start = out->size();
    out->resize(start + (data.size() + 2) / 3 * 4);
    char* o = out->data() + start;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    size_t n = data.size();
    // Six bytes -> eight characters per step: one 8-byte big-endian load (hence n >= 8, so the
    // load stays inside the input), four lookups of two characters each, one 8-byte store.
    while (n >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        word = __builtin_bswap64(word);  // x86 is little-endian; byte p[0] is now on top
        char chars[8];
        std::memcpy(chars + 0, kPairs[(word >> 52) & 0xFFF].data(), 2);
        std::memcpy(chars + 2, kPairs[(word >> 40) & 0xFFF].data(), 2);
        std::memcpy(chars + 4, kPairs[(word >> 28) & 0xFFF].data(), 2);
        std::memcpy(chars + 6, kPairs[(word >> 16) & 0xFFF].data(), 2);
        std::memcpy(o, chars, 8);
        p += 6;
        n -= 6;
        o += 8;
    }
    while (n >= 3) {
        const uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
        std::memcpy(o, kPairs[v >> 12].data(), 2);
        std::memcpy(o + 2, kPairs[v & 0xFFF].data(), 2);
        p += 3;
        n -= 3;
        o += 4;
    }
    if (n > 0) {
        uint32_t v = uint32_t{p[0]} << 16;
        if (n == 2) v |= uint32_t{p[1]} << 8;
        o[0] = kAlphabet[v >> 18];
        o[1] = kAlphabet[(v >> 12) & 63];
        o[2] = n == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        o[3] = '=';
    }
}

std::string Base64Encode(std::string_view data) {
    std::string out;
    Base64EncodeAppend(data, &out);
    return out;
}

size_t Base64DecodedSize(std::string_view text) {
    size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    return text.size() / 4 * 3 - pad;
}

Status Base64DecodeAppend(std::string_view text, std::string* out) {
    if (text.size() % 4 != 0) {
        return Status::InvalidArgument("invalid base64: length " + std::to_string(text.size()) +
                                       " is not a multiple of 4");
    }
    const size_t start = out->size();
    out->resize(start + Base64DecodedSize(text));
    char* o = out->data() + start;
    // Fast path: every quad but the last has no padding; one sign test per quad finds a bad
    // character (the slow loop below then names it).
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0;
    for (; i + 4 < text.size(); i += 4) {
        const int32_t a = kDecode[t[i]], b = kDecode[t[i + 1]], c = kDecode[t[i + 2]],
                      d = kDecode[t[i + 3]];
        if ((a | b | c | d) < 0) break;
        const uint32_t bits =
            (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
        o[0] = static_cast<char>(bits >> 16);
        o[1] = static_cast<char>((bits >> 8) & 0xFF);
        o[2] = static_cast<char>(bits & 0xFF);
        o += 3;
    }
    for (; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        int32_t v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = text[i + k];
            if (c == '=' && last && k >= 2 && (k == 3 || text[i + 3] == '=')) {
                v[k] = 0;
                ++pad;
                continue;
            }
            v[k] = kDecode[static_cast<unsigned char>(c)];
            if (v[k] < 0) {
                return Status::InvalidArgument("invalid base64: unexpected character at offset " +
                                               std::to_string(i + k));
            }
        }
        const uint32_t bits = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) |
                              (uint32_t(v[2]) << 6) | uint32_t(v[3]);
        *o++ = static_cast<char>(bits >> 16);
        if (pad < 2) *o++ = static_cast<char>((bits >> 8) & 0xFF);
        if (pad < 1) *o++ = static_cast<char>(bits & 0xFF);
    }
    return Status::Ok();
}

Result<std::string> Base64Decode(std::string_view text) {
    std::string out;
    TARN_RETURN_IF_ERROR(Base64DecodeAppend(text, &out));
    return out;
}

}  // namespace tarn
