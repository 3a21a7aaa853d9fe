#include "common/hash.h"

#include <bit>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace tarn {

namespace {

// MD5 (RFC 1321), written here rather than called through OpenSSL: Kinesis routes every record by
// the MD5 of its partition key, and OpenSSL 3's EVP layer costs far more than the hash itself for
// keys of a few dozen bytes (an implicit fetch under a global lock, or ~130 ns per call even with
// a fetched algorithm and a reused context; this is ~100 ns, the length of MD5's dependency
// chain for one block). Not for security.
// K[i] = floor(2^32 * |sin(i + 1)|), as RFC 1321 defines them (a double holds them exactly).
struct Md5Constants {
    uint32_t k[64];
    Md5Constants() {
        for (int i = 0; i < 64; ++i) {
            k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
        }
    }
};
// A function-local static, so that it is ready even for callers during static initialization.
const uint32_t* Md5K() {
    static const Md5Constants constants;
    return constants.k;
}

inline uint32_t RotateLeft(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// Round R (0..3) of RFC 1321: its function, message-word order and shifts; unrolled by the
// compiler (the switch folds away).
template <int R>
inline void Md5Round(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d, const uint32_t* m,
                     const uint32_t* k) {
    static constexpr int kShift[4][4] = {
        {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j) {
        const int i = R * 16 + j;
        uint32_t f;
        int g;
        switch (R) {
            case 0:
                f = (b & c) | (~b & d);
                g = j;
                break;
            case 1:
                f = (d & b) | (~d & c);
                g = (5 * i + 1) & 15;
                break;
            case 2:
                f = b ^ c ^ d;
                g = (3 * i + 5) & 15;
                break;
            default:
                f = c ^ (b | ~d);
                g = (7 * i) & 15;
                break;
        }
        f += a + k[i] + m[g];
        a = d;
        d = c;
        c = b;
        b += RotateLeft(f, kShift[R][j & 3]);
    }
}

static_assert(std::endian::native == std::endian::little, "Md5Block reads words as little-endian");

// One 64-byte block into the state h[0..3].
void Md5Block(const uint8_t* block, uint32_t h[4], const uint32_t* k) {
    uint32_t m[16];
    std::memcpy(m, block, 64);  // little-endian words, as MD5 reads them (x86)
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    Md5Round<0>(a, b, c, d, m, k);
    Md5Round<1>(a, b, c, d, m, k);
    Md5Round<2>(a, b, c, d, m, k);
    Md5Round<3>(a, b, c, d, m, k);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

}  // namespace

Md5Digest Md5(std::string_view data) {
    uint32_t h[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    size_t n = data.size();
    const uint32_t* k = Md5K();
    for (; n >= 64; n -= 64, p += 64) Md5Block(p, h, k);
    // The tail, the 0x80 marker, zeros, and the message length in bits (little-endian): one or
    // two blocks.
    uint8_t tail[128] = {};
    std::memcpy(tail, p, n);
    tail[n] = 0x80;
    const size_t tail_size = n + 1 + 8 <= 64 ? 64 : 128;
    const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
    for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = static_cast<uint8_t>(bits >> (8 * i));
    for (size_t at = 0; at < tail_size; at += 64) Md5Block(tail + at, h, k);
    Md5Digest digest;
    for (int i = 0; i < 16; ++i) digest[i] = static_cast<uint8_t>(h[i / 4] >> (8 * (i % 4)));
    return digest;
}

std::string HexEncode(const uint8_t* data, size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(size * 2, '\0');
    for (size_t i = 0; i < size; ++i) {
        out[2 * i] = kHex[data[i] >> 4];
        out[2 * i + 1] = kHex[data[i] & 0xF];
    }
    return out;
}

std::string Md5Hex(std::string_view data) {
    Md5Digest d = Md5(data);
    return HexEncode(d.data(), d.size());
}

namespace {

constexpr uint32_t kCastagnoliReversed = 0x82F63B78u;

// Slice-by-8 tables for the portable path.
struct Crc32cTables {
    uint32_t t[8][256];
    constexpr Crc32cTables() : t{} {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? kCastagnoliReversed : 0);
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i) {
            for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
        }
    }
};
constexpr Crc32cTables kTables;

uint32_t ExtendPortable(uint32_t crc, const uint8_t* p, size_t n) {
    while (n >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        word ^= crc;  // little-endian: the low 32 bits are the first four bytes
        crc = kTables.t[7][word & 0xFF] ^ kTables.t[6][(word >> 8) & 0xFF] ^
              kTables.t[5][(word >> 16) & 0xFF] ^ kTables.t[4][(word >> 24) & 0xFF] ^
              kTables.t[3][(word >> 32) & 0xFF] ^ kTables.t[2][(word >> 40) & 0xFF] ^
              kTables.t[1][(word >> 48) & 0xFF] ^ kTables.t[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n-- > 0) crc = (crc >> 8) ^ kTables.t[0][(crc ^ *p++) & 0xFF];
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t ExtendSse42(uint32_t crc, const uint8_t* p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = static_cast<uint32_t>(c);
    while (n-- > 0) c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}
const bool kHaveSse42 = __builtin_cpu_supports("sse4.2");
#endif

}  // namespace

uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    crc = ~crc;
#if defined(__x86_64__)
    if (kHaveSse42) return ~ExtendSse42(crc, p, size);
#endif
    return ~ExtendPortable(crc, p, size);
}

uint32_t Crc32c(const void* data, size_t size) { return Crc32cExtend(0, data, size); }

// Exposed for the unit test that checks both paths agree.
uint32_t Crc32cPortableForTest(const void* data, size_t size) {
    return ~ExtendPortable(~0u, static_cast<const uint8_t*>(data), size);
}

}  // namespace tarn
