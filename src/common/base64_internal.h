// Internals of common/base64.cc, for its tests and benchmark: the vector kernels and a way to run
// the public functions on a chosen kernel. Not for other modules.
//
// Base64 work is split in two. A bulk kernel (AVX2, AVX-512 VBMI) handles a prefix of the input
// in whole blocks; the portable code (base64.cc) always finishes the rest: the tail, the padding
// and, for decoding, the error message. A decoding kernel stops at (or before) the first block
// holding any character outside the 64-letter alphabet, '=' included, so the portable code meets
// the first bad character itself and names it exactly as it does without a kernel.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace tarn::base64_internal {

enum class Kernel {
    kScalar,      // portable C++ only
    kAvx2,        // x86-64 with AVX2: 32 characters / 24 bytes per step
    kAvx512Vbmi,  // x86-64 with AVX-512 F+BW+VBMI: 64 characters / 48 bytes per step
};

std::string_view KernelName(Kernel kernel);
// Whether this build has the kernel and this CPU can run it (kScalar always can).
bool KernelSupported(Kernel kernel);
// The kernel the public functions use: the fastest supported one, chosen once.
Kernel BestKernel();

// Base64EncodeAppend and Base64DecodeTo on `kernel`. REQUIRES: KernelSupported(kernel).
// EncodeWith writes exactly (data.size() + 2) / 3 * 4 characters to `out`.
void EncodeWith(Kernel kernel, std::string_view data, char* out);
Status DecodeWith(Kernel kernel, std::string_view text, char* out, size_t* written);

// The bulk kernels behind EncodeWith and DecodeWith.
//
// Encode: encodes the first k bytes of data[0, n), k a multiple of 3, into k / 3 * 4 characters
// at out, and returns k. Reads only data[0, n); writes only out[0, k / 3 * 4).
//
// Decode: decodes the first k characters of text[0, n), k a multiple of 4, into k / 4 * 3 bytes
// at out, and returns k; text[0, k) are all alphabet characters, and k stops at the latest at the
// 4-character group holding the first character that is not. REQUIRES: n is a multiple of 4.
// Reads only text[0, n); writes only out[0, n / 4 * 3 - 2) (for n >= 4: the smallest decoded size
// of n characters, so the caller's buffer needs no slack). Bytes past out[k / 4 * 3) may be
// overwritten with garbage.
#if defined(__x86_64__)
#define TARN_BASE64_AVX2 __attribute__((target("avx2")))
#define TARN_BASE64_AVX512VBMI __attribute__((target("avx512f,avx512bw,avx512vbmi")))
TARN_BASE64_AVX2 size_t EncodeBulkAvx2(const unsigned char* data, size_t n, char* out);
TARN_BASE64_AVX2 size_t DecodeBulkAvx2(const char* text, size_t n, unsigned char* out);
TARN_BASE64_AVX512VBMI size_t EncodeBulkAvx512Vbmi(const unsigned char* data, size_t n, char* out);
TARN_BASE64_AVX512VBMI size_t DecodeBulkAvx512Vbmi(const char* text, size_t n, unsigned char* out);
#endif

}  // namespace tarn::base64_internal
