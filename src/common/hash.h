// Hashes used across tarn: MD5 (Kinesis routes a partition key by its MD5 as a 128-bit integer;
// S3 ETags) and CRC32C (framing of stream segment records and other on-disk checksums).
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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

}  // namespace tarn
