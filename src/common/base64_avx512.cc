// The AVX-512 VBMI kernels of common/base64.cc; contract in base64_internal.h. Each function
// carries its own target attribute; base64.cc calls them only on CPUs with AVX-512 F, BW and VBMI
// (Ice Lake and later, Zen 4 and later).
//
// VBMI's byte permutes look up a whole 64- or 128-entry table in one instruction:
//  - decoding translates 64 characters with one vpermi2b over the 128 ASCII codes (an entry with
//    its top bit set marks a character outside the alphabet, as does a character >= 0x80), packs
//    them like the AVX2 kernel (vpmaddubsw, vpmaddwd) and gathers the 48 bytes with one vpermb;
//  - encoding spreads 48 bytes into 16 32-bit lanes with vpermb, cuts out the 6-bit fields with
//    vpmultishiftqb, and maps them to characters with one vpermb over the alphabet.
#include "common/base64_internal.h"

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

namespace tarn::base64_internal {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of each ASCII code, 0x80 where there is none; the two 64-byte halves.
struct DecodeTable {
    alignas(64) int8_t value[128];
};
constexpr DecodeTable MakeDecodeTable() {
    DecodeTable t{};
    for (auto& v : t.value) v = static_cast<int8_t>(0x80);
    for (int i = 0; i < 64; ++i) t.value[static_cast<unsigned char>(kAlphabet[i])] = int8_t(i);
    return t;
}
constexpr DecodeTable kDecodeTable = MakeDecodeTable();

// Output byte j of a 64-character block is byte 2 - j % 3 of 32-bit lane j / 3 after packing.
struct GatherTable {
    alignas(64) uint8_t index[64];
};
constexpr GatherTable MakeGatherTable() {
    GatherTable t{};
    for (int j = 0; j < 48; ++j) t.index[j] = static_cast<uint8_t>(4 * (j / 3) + 2 - j % 3);
    for (int j = 48; j < 64; ++j) t.index[j] = 3;  // a lane's top byte: zero
    return t;
}
constexpr GatherTable kGatherTable = MakeGatherTable();

// Input bytes s0 s1 s2 of group g (bytes 3g..3g+2) to 32-bit lane g as [s2 s1 s0 s0]: the lane's
// low 24 bits are the group's value, fields a b c d at bits 18, 12, 6, 0.
constexpr GatherTable MakeSpreadTable() {
    GatherTable t{};
    for (int g = 0; g < 16; ++g) {
        t.index[4 * g + 0] = static_cast<uint8_t>(3 * g + 2);
        t.index[4 * g + 1] = static_cast<uint8_t>(3 * g + 1);
        t.index[4 * g + 2] = static_cast<uint8_t>(3 * g);
        t.index[4 * g + 3] = static_cast<uint8_t>(3 * g);
    }
    return t;
}
constexpr GatherTable kSpreadTable = MakeSpreadTable();

TARN_BASE64_AVX512VBMI inline __m512i Load64(const void* p) { return _mm512_loadu_si512(p); }

constexpr __mmask64 kAll = ~__mmask64{0};

// The mask of the first n bytes. REQUIRES: n <= 64.
inline __mmask64 LowBits(size_t n) { return n >= 64 ? kAll : (__mmask64{1} << n) - 1; }

// The unmasked vpermb and vpmultishiftqb intrinsics of GCC 12 start from _mm512_undefined_epi32,
// which -Wmaybe-uninitialized flags under the sanitizers (GCC bug 105593); their zero-masking
// forms with an all-ones mask are the same instructions without the warning.
TARN_BASE64_AVX512VBMI inline __m512i PermuteBytes(__m512i index, __m512i table) {
    return _mm512_maskz_permutexvar_epi8(kAll, index, table);
}
TARN_BASE64_AVX512VBMI inline __m512i MultiShift(__m512i control, __m512i data) {
    return _mm512_maskz_multishift_epi64_epi8(kAll, control, data);
}

// 64 six-bit values -> their 48 bits per group of four, little-endian in 32-bit lanes.
TARN_BASE64_AVX512VBMI inline __m512i Pack(__m512i values) {
    const __m512i pairs = _mm512_maddubs_epi16(values, _mm512_set1_epi32(0x01400140));
    return _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x00011000));
}

}  // namespace

size_t EncodeBulkAvx512Vbmi(const unsigned char* data, size_t n, char* out) {
    const __m512i spread = Load64(kSpreadTable.index);
    const __m512i alphabet = Load64(kAlphabet);
    // vpmultishiftqb: byte k of each 64-bit lane gets the 8 bits at the lane's bit offset k; the
    // fields a b c d of the lane's two groups (vpermb then ignores the top two bits).
    const __m512i fields = _mm512_set1_epi64(0x20262c3200060c12);
    // 48 bytes -> 64 characters per step (the load reads 64 while there are), then a last step
    // of the whole groups of three left, with masks to stay inside data and out.
    size_t i = 0;
    for (; n - i >= 64; i += 48) {
        const __m512i values = MultiShift(fields, PermuteBytes(spread, Load64(data + i)));
        _mm512_storeu_si512(out + i / 3 * 4, PermuteBytes(values, alphabet));
    }
    while (n - i >= 3) {
        const size_t groups = std::min<size_t>((n - i) / 3, 16);
        const __m512i in = _mm512_maskz_loadu_epi8(LowBits(3 * groups), data + i);
        const __m512i values = MultiShift(fields, PermuteBytes(spread, in));
        _mm512_mask_storeu_epi8(out + i / 3 * 4, LowBits(4 * groups),
                                PermuteBytes(values, alphabet));
        i += 3 * groups;
    }
    return i;
}

size_t DecodeBulkAvx512Vbmi(const char* text, size_t n, unsigned char* out) {
    const __m512i table_low = Load64(kDecodeTable.value);
    const __m512i table_high = Load64(kDecodeTable.value + 64);
    const __m512i gather = Load64(kGatherTable.index);
    // Everything but the last group of four (which may hold padding): 64 characters per step,
    // then a last step of the groups left, with masks to stay inside text and out. A full step
    // at i stores 64 bytes at out + i / 4 * 3: below the smallest decoded size 3 * (n / 4) - 2
    // while n - i >= 88.
    const size_t end = n >= 4 ? n - 4 : 0;
    size_t i = 0;
    for (; n - i >= 88; i += 64) {
        const __m512i chars = Load64(text + i);
        const __m512i values = _mm512_permutex2var_epi8(table_low, chars, table_high);
        // A character outside the alphabet has its top bit set, or its value has.
        if (_mm512_movepi8_mask(_mm512_or_si512(chars, values)) != 0) return i;
        _mm512_storeu_si512(out + i / 4 * 3, PermuteBytes(gather, Pack(values)));
    }
    while (i < end) {
        const size_t size = std::min<size_t>(end - i, 64);
        const __mmask64 in_mask = LowBits(size);
        const __m512i chars = _mm512_maskz_loadu_epi8(in_mask, text + i);
        const __m512i values = _mm512_permutex2var_epi8(table_low, chars, table_high);
        if ((_mm512_movepi8_mask(_mm512_or_si512(chars, values)) & in_mask) != 0) return i;
        _mm512_mask_storeu_epi8(out + i / 4 * 3, LowBits(size / 4 * 3),
                                PermuteBytes(gather, Pack(values)));
        i += size;
    }
    return i;
}

}  // namespace tarn::base64_internal

#endif  // defined(__x86_64__)
