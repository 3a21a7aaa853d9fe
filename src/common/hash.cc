#include "common/hash.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#include "common/md5_internal.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace tarn {

// MD5 (RFC 1321), written here rather than called through OpenSSL: Kinesis routes every record by
// the MD5 of its partition key, and OpenSSL 3's EVP layer costs far more than the hash itself for
// keys of a few dozen bytes (an implicit fetch under a global lock, or ~130 ns per call even with
// a fetched algorithm and a reused context). One block is a chain of 64 dependent steps, so a
// single hash is bound by latency; Md5Many (md5_simd.cc) hashes many keys side by side instead.
// Not for security.
namespace md5_internal {
namespace {

static_assert(std::endian::native == std::endian::little, "MD5 reads words as little-endian");

#define TARN_MD5_INLINE __attribute__((always_inline)) inline

TARN_MD5_INLINE uint32_t LoadWord(const uint8_t* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
}

TARN_MD5_INLINE uint32_t RotateLeft(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// Step I of the 64: a = b + ((a + F(b, c, d) + X[g] + K[I]) <<< s). The sum that does not involve b
// comes first, and each round's function is written so that as little as possible waits for b
// (the previous step's result): the chain through b is what bounds the speed.
template <int I>
TARN_MD5_INLINE void Step(uint32_t& a, uint32_t b, uint32_t c, uint32_t d, const uint8_t* block) {
    uint32_t t = a + kK[I] + LoadWord(block + 4 * MessageIndex(I));
    if constexpr (I < 16) {
        t += d ^ (b & (c ^ d));  // (b & c) | (~b & d)
    } else if constexpr (I < 32) {
        t += ~d & c;  // (b & d) | (c & ~d), as a sum of its two disjoint parts
        t += d & b;
    } else if constexpr (I < 48) {
        t += b ^ (c ^ d);
    } else {
        t += c ^ (b | ~d);
    }
    a = b + RotateLeft(t, kShift[I / 16][I % 4]);
}

// Four steps, with the roles of the state words rotating as RFC 1321 writes them out.
template <int I>
TARN_MD5_INLINE void FourSteps(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d,
                               const uint8_t* block) {
    Step<I>(a, b, c, d, block);
    Step<I + 1>(d, a, b, c, block);
    Step<I + 2>(c, d, a, b, block);
    Step<I + 3>(b, c, d, a, block);
}

template <int... I>
TARN_MD5_INLINE void AllSteps(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d,
                              const uint8_t* block, std::integer_sequence<int, I...>) {
    (FourSteps<4 * I>(a, b, c, d, block), ...);
}

}  // namespace

void CompressScalar(uint32_t h[4], const uint8_t* block) {
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    AllSteps(a, b, c, d, block, std::make_integer_sequence<int, 16>());
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

}  // namespace md5_internal

Md5Digest Md5(std::string_view data) {
    using md5_internal::CompressScalar;
    uint32_t h[4] = {md5_internal::kInit[0], md5_internal::kInit[1], md5_internal::kInit[2],
                     md5_internal::kInit[3]};
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    size_t n = data.size();
    for (; n >= 64; n -= 64, p += 64) CompressScalar(h, p);
    alignas(16) uint8_t tail[128];
    const uint32_t tail_blocks = md5_internal::PadTail(tail, p, n, data.size());
    CompressScalar(h, tail);
    if (tail_blocks == 2) CompressScalar(h, tail + 64);
    Md5Digest digest;
    std::memcpy(digest.data(), h, 16);  // little-endian words, as MD5 writes its output
    return digest;
}

void Md5Many(std::span<const std::string_view> inputs, Md5Digest* out) {
    md5_internal::Md5ManyWith(md5_internal::BestKernel(), inputs, out);
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

// Four inputs at once: four independent crc32 chains over their common length, then each alone.
__attribute__((target("sse4.2"))) void FourSse42(const std::string_view* in, uint32_t* out) {
    size_t common = in[0].size();
    for (int k = 1; k < 4; ++k) common = std::min(common, in[k].size());
    common &= ~size_t{7};
    uint64_t c[4] = {~0u, ~0u, ~0u, ~0u};
    const char* p[4] = {in[0].data(), in[1].data(), in[2].data(), in[3].data()};
    for (size_t i = 0; i < common; i += 8) {
        uint64_t w[4];
        for (int k = 0; k < 4; ++k) std::memcpy(&w[k], p[k] + i, 8);
        for (int k = 0; k < 4; ++k) c[k] = _mm_crc32_u64(c[k], w[k]);
    }
    for (int k = 0; k < 4; ++k) {
        out[k] =
            ~ExtendSse42(static_cast<uint32_t>(c[k]),
                         reinterpret_cast<const uint8_t*>(p[k]) + common, in[k].size() - common);
    }
}
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

void Crc32cMany(std::span<const std::string_view> inputs, uint32_t* out) {
    size_t i = 0;
#if defined(__x86_64__)
    if (kHaveSse42) {
        for (; i + 4 <= inputs.size(); i += 4) FourSse42(inputs.data() + i, out + i);
    }
#endif
    for (; i < inputs.size(); ++i) out[i] = Crc32c(inputs[i]);
}

// Exposed for the unit test that checks both paths agree.
uint32_t Crc32cPortableForTest(const void* data, size_t size) {
    return ~ExtendPortable(~0u, static_cast<const uint8_t*>(data), size);
}

}  // namespace tarn
