// Hashes used across tarn: MD5 (Kinesis routes a partition key by its MD5 as a 128-bit integer;
// S3 ETags), CRC32C (framing of stream segment records and other on-disk checksums), and a fast
// 64-bit hash for in-memory hash tables (the SQL engine's GROUP BY, DISTINCT and IN).
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace tarn {

using Md5Digest = std::array<uint8_t, 16>;

Md5Digest Md5(std::string_view data);
// The MD5 of every input: out[i] = Md5(inputs[i]) for each i, whatever the inputs' lengths. For a
// batch of independent inputs, such as the partition keys of a PutRecords call: it hashes many
// inputs at once in the lanes of SIMD registers (up to 64 with AVX-512, 32 with AVX2; the CPU's
// best is chosen once at run time; other CPUs and architectures use Md5 in a loop). From about
// four inputs on it is faster than Md5 in a loop: ~10x for 500 keys of 20-40 bytes with AVX-512,
// ~6x with AVX2 (bench/micro/md5_bench.cc). Uses under 20 KB of stack.
// REQUIRES: out has room for inputs.size() digests and does not overlap the inputs' bytes.
void Md5Many(std::span<const std::string_view> inputs, Md5Digest* out);
// Lowercase hex, 32 characters.
std::string Md5Hex(std::string_view data);
std::string HexEncode(const uint8_t* data, size_t size);

// CRC-32C (Castagnoli), as in iSCSI, ext4 and LevelDB. Uses the SSE4.2 instruction when the CPU
// has it, a table otherwise; both give the same values.
uint32_t Crc32c(const void* data, size_t size);
inline uint32_t Crc32c(std::string_view data) { return Crc32c(data.data(), data.size()); }
// The CRC of the concatenation A+B, given crc = Crc32c(A) and B's bytes.
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t size);
// out[i] = Crc32c(inputs[i]) for every input. One CRC is a chain of dependent crc32 instructions;
// this keeps four chains in flight, so a batch of log frames costs about a third of the time.
void Crc32cMany(std::span<const std::string_view> inputs, uint32_t* out);

// ---- Hash-table hashing -------------------------------------------------------------------------
// Not for anything stored or exchanged: values may change between versions. Each step multiplies
// 64-bit lanes into a 128-bit product and folds its halves, so every input bit reaches every
// output bit within two steps; strings are read 16 bytes per step (short tails with overlapping
// loads), several times faster than std::hash on the short keys GROUP BY sees.
inline uint64_t HashMix(uint64_t a, uint64_t b) {
    const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// MurmurHash3's 64-bit finalizer: every input bit affects every output bit, so the low bits that
// index a table are well mixed even for sequential integer keys. One value, no seed.
inline uint64_t MurmurFinalize64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

inline uint64_t HashInt(uint64_t v, uint64_t seed = 0) {
    return HashMix(v ^ 0x2d358dccaa6c78a5ULL, seed ^ 0x8bb84b93962eacc9ULL);
}

inline uint64_t HashBytes(const void* data, size_t size, uint64_t seed = 0) {
    auto load64 = [](const uint8_t* p) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    };
    auto load32 = [](const uint8_t* p) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return static_cast<uint64_t>(v);
    };
    const uint8_t* p = static_cast<const uint8_t*>(data);
    size_t n = size;
    uint64_t h = seed ^ HashMix(size ^ 0x4b33a62ed433d4a3ULL, 0x9e3779b97f4a7c15ULL);
    while (n > 16) {
        h = HashMix(load64(p) ^ 0xa0761d6478bd642fULL, load64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        a = load64(p);
        b = load64(p + n - 8);
    } else if (n >= 4) {
        a = load32(p);
        b = load32(p + n - 4);
    } else if (n > 0) {
        a = (static_cast<uint64_t>(p[0]) << 16) | (static_cast<uint64_t>(p[n >> 1]) << 8) |
            p[n - 1];
    }
    return HashMix(a ^ 0xe7037ed1a0b428dbULL, b ^ h ^ 0x589965cc75374cc3ULL);
}
inline uint64_t HashBytes(std::string_view s, uint64_t seed = 0) {
    return HashBytes(s.data(), s.size(), seed);
}

}  // namespace tarn
