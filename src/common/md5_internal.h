// Internals of tarn's MD5 (common/hash.h), shared by the scalar code (hash.cc), the kernel choice
// (md5_many.cc) and the multi-buffer SIMD kernels (md5_simd.cc, fed by md5_lanes.h). Tests and
// benchmarks include it to run each kernel explicitly; other code calls Md5 and Md5Many.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "common/hash.h"

namespace tarn::md5_internal {

// RFC 1321, 3.4: K[i] = floor(2^32 * |sin(i + 1)|), the initial state, and the left-rotation
// amounts of step i (kShift[i / 16][i % 4]).
inline constexpr uint32_t kK[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au, 0xa8304613u,
    0xfd469501u, 0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu, 0x6b901122u, 0xfd987193u,
    0xa679438eu, 0x49b40821u, 0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau, 0xd62f105du,
    0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u, 0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu,
    0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au, 0xfffa3942u, 0x8771f681u, 0x6d9d6122u,
    0xfde5380cu, 0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u, 0x289b7ec6u, 0xeaa127fau,
    0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u, 0xf4292244u,
    0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
    0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u, 0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu,
    0xeb86d391u};
inline constexpr uint32_t kInit[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
inline constexpr int kShift[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

// The message word that step i reads (RFC 1321, 3.4, rounds 1 to 4).
constexpr int MessageIndex(int i) {
    switch (i / 16) {
        case 0:
            return i;
        case 1:
            return (5 * i + 1) % 16;
        case 2:
            return (3 * i + 5) % 16;
        default:
            return (7 * i) % 16;
    }
}

// Copies n < 64 bytes with a few overlapping fixed-size moves: a call to memcpy, or the byte
// loop the compiler makes of it, costs more than that at partition-key sizes. From 16 bytes on
// there is no branch on n (random key lengths would mispredict it).
inline void CopyShort(uint8_t* dst, const uint8_t* src, size_t n) {
    if (n >= 16) {
        const size_t last = n - 16;
        const size_t second = last < 16 ? last : 16;
        const size_t third = last < 32 ? last : 32;
        std::memcpy(dst, src, 16);
        std::memcpy(dst + second, src + second, 16);
        std::memcpy(dst + third, src + third, 16);
        std::memcpy(dst + last, src + last, 16);
    } else if (n >= 8) {
        std::memcpy(dst, src, 8);
        std::memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        std::memcpy(dst, src, 4);
        std::memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n > 0) {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

// Writes the end of a message as MD5 pads it (RFC 1321, 3.1 and 3.2) into tail[0..128): the
// `rest` < 64 bytes after its last whole block, 0x80, zeros, and the message's length in bits,
// little-endian. Returns how many 64-byte blocks that takes: 1, or 2 when rest > 55.
inline uint32_t PadTail(uint8_t* tail, const uint8_t* rest_bytes, size_t rest, uint64_t length) {
    const uint32_t blocks = rest + 1 + 8 <= 64 ? 1 : 2;
    // Two fixed 64-byte clears: GCC turns one of a variable or 128-byte size into `rep stos`.
    std::memset(tail, 0, 64);
    if (blocks == 2) std::memset(tail + 64, 0, 64);
    CopyShort(tail, rest_bytes, rest);
    tail[rest] = 0x80;
    const uint64_t bits = length * 8;
    std::memcpy(tail + 64 * blocks - 8, &bits, 8);
    return blocks;
}

// Runs MD5's compression function on one 64-byte block, updating the chaining state h.
void CompressScalar(uint32_t h[4], const uint8_t* block);

// The ways Md5Many can compute digests.
enum class Kernel {
    kScalar,  // Md5 on each input in turn
    kAvx2,    // up to 32 lanes: 4 interleaved vectors of 8 (md5_simd.cc)
    kAvx512,  // up to 64 lanes: 4 interleaved vectors of 16; AVX-512F, and BW for the padding
};
inline constexpr Kernel kAllKernels[] = {Kernel::kScalar, Kernel::kAvx2, Kernel::kAvx512};

const char* KernelName(Kernel kernel);
// Built into this binary (x86-64 only for the SIMD kernels) and supported by this CPU.
bool KernelSupported(Kernel kernel);
// The kernel Md5Many uses: the fastest supported one, chosen once.
Kernel BestKernel();
// Md5Many with the given kernel. REQUIRES: KernelSupported(kernel).
void Md5ManyWith(Kernel kernel, std::span<const std::string_view> inputs, Md5Digest* out);

#if defined(__x86_64__)
// The SIMD kernels' entry points (md5_simd.cc). REQUIRES: the CPU has the instruction sets.
void Md5ManyAvx2(std::span<const std::string_view> inputs, Md5Digest* out);
void Md5ManyAvx512(std::span<const std::string_view> inputs, Md5Digest* out);
#endif

}  // namespace tarn::md5_internal
