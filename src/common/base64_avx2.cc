// The AVX2 kernels of common/base64.cc; contract in base64_internal.h. This file needs no special
// compiler flags: each function carries target("avx2"), and base64.cc calls them only on CPUs
// that have it.
//
// Decoding, 32 characters per step (after W. Muła and D. Lemire, "Faster Base64 Encoding and
// Decoding Using AVX2 Instructions", 2018):
//  1. Validate: a character's low and high nibble each index a 16-entry table (vpshufb); the
//     character is in the alphabet iff the two entries share no bit.
//  2. Translate: the high nibble (with '/' moved to its own slot) picks the offset that takes the
//     character to its 6-bit value.
//  3. Pack: per 4 characters, a*64+b and c*64+d (vpmaddubsw), then (ab)*4096+cd (vpmaddwd): 24 bits
//     per 32-bit lane; a byte shuffle and a lane permute gather the 24 bytes.
// Encoding is the reverse: spread 3 bytes into each 32-bit lane, cut the four 6-bit fields into
// separate bytes with a multiply-high and a multiply-low, then map 0..63 to characters by adding
// an offset chosen with one vpshufb.
#include "common/base64_internal.h"

#if defined(__x86_64__)

#include <immintrin.h>

namespace tarn::base64_internal {
namespace {

// The same 16 bytes in both 128-bit halves (vpshufb looks up within each half).
#define TARN_BASE64_TABLE16(...) _mm256_broadcastsi128_si256(_mm_setr_epi8(__VA_ARGS__))

// Returns the 6-bit values of the 32 characters in `chars`; *errors is zero iff every character
// is in the alphabet (the values of other characters are garbage).
TARN_BASE64_AVX2 inline __m256i Translate(__m256i chars, __m256i* errors) {
    // Classes of high nibble, one bit each: 0x01 for 4 and 6 ('@'..'O', '`'..'o'), 0x02 for 5 and
    // 7 ('P'..'_', 'p'..DEL), 0x04 for 3 (digits), 0x08 for 2 ('+', '/'), 0x10 for the rest (no
    // alphabet characters). low_bad[low nibble] holds the classes in which that low nibble is NOT
    // an alphabet character: 0 ('@', '`'), A..F after 9 ('0'..'9'), B..F after 'Z' and 'z', all
    // of class 2 but B ('+') and F ('/'), all of 0x10.
    const __m256i low_bad = TARN_BASE64_TABLE16(0x19, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18,
                                                0x18, 0x18, 0x1C, 0x16, 0x1E, 0x1E, 0x1E, 0x16);
    const __m256i high_class = TARN_BASE64_TABLE16(0x10, 0x10, 0x08, 0x04, 0x01, 0x02, 0x01, 0x02,
                                                   0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    // Value - character, by high nibble; '+' (0x2B) keeps slot 2, '/' (0x2F) takes slot 1.
    const __m256i offset = TARN_BASE64_TABLE16(0, 63 - '/', 62 - '+', 52 - '0', 0 - 'A', 0 - 'A',
                                               26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    // A 32-bit shift moves bits across bytes; the mask keeps each byte's own high nibble. Bytes
    // >= 0x80 thus index 8..15 (class 0x10) rather than zeroing the vpshufb result.
    const __m256i high = _mm256_and_si256(_mm256_srli_epi32(chars, 4), nibble);
    const __m256i low = _mm256_and_si256(chars, nibble);
    *errors =
        _mm256_and_si256(_mm256_shuffle_epi8(low_bad, low), _mm256_shuffle_epi8(high_class, high));
    const __m256i is_slash = _mm256_cmpeq_epi8(chars, _mm256_set1_epi8('/'));  // 0 or -1
    return _mm256_add_epi8(chars, _mm256_shuffle_epi8(offset, _mm256_add_epi8(high, is_slash)));
}

// 32 six-bit values -> their 24 bytes in the low 24 bytes of the result (the rest zero).
TARN_BASE64_AVX2 inline __m256i Pack(__m256i values) {
    // Bytes a, b, c, d of each 32-bit lane: a*64+b and c*64+d as 16-bit words...
    const __m256i pairs = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
    // ...then (a*64+b)*4096 + (c*64+d): the group's 24 bits, little-endian in the lane.
    const __m256i groups = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00011000));
    // Each half's four groups as 12 big-endian bytes at its start, then the halves side by side.
    const __m256i bytes = _mm256_shuffle_epi8(
        groups, TARN_BASE64_TABLE16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
}

TARN_BASE64_AVX2 inline __m256i Load32(const char* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

TARN_BASE64_AVX2 inline bool AnyBits(__m256i v) { return !_mm256_testz_si256(v, v); }

// Stores the low 24 bytes of `bytes`.
TARN_BASE64_AVX2 inline void Store24(unsigned char* out, __m256i bytes) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(bytes));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 16), _mm256_extracti128_si256(bytes, 1));
}

// Decodes text[i, i + 32) into out[i / 4 * 3, i / 4 * 3 + 24), also overwriting the next 8 bytes
// if `wide`; false (and nothing written) if a character is outside the alphabet.
TARN_BASE64_AVX2 inline bool DecodeBlock(const char* text, size_t i, unsigned char* out,
                                         bool wide) {
    __m256i errors;
    const __m256i values = Translate(Load32(text + i), &errors);
    if (AnyBits(errors)) return false;
    const __m256i bytes = Pack(values);
    if (wide) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i / 4 * 3), bytes);
    } else {
        Store24(out + i / 4 * 3, bytes);
    }
    return true;
}

// 24 bytes, 12 at offset 4 of the low 128-bit half and 12 at offset 0 of the high half (a load
// from 4 before them) -> their 32 characters.
TARN_BASE64_AVX2 inline __m256i EncodeBlock(__m256i in) {
    // Bytes s0 s1 s2 of each group to the 32-bit lane [s1 s0 s2 s1]: read as 16-bit words,
    // word 0 is s0s1 (fields a: bits 10..15, b: 4..9) and word 1 is s1s2 (c: 6..11, d: 0..5).
    const __m256i lanes = _mm256_shuffle_epi8(
        in, _mm256_setr_epi8(5, 4, 6, 5, 8, 7, 9, 8, 11, 10, 12, 11, 14, 13, 15, 14,  //
                             1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
    // a >> 10 into byte 0 and c >> 6 into byte 2 (multiply-high by 2^6 and 2^10)...
    const __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(lanes, _mm256_set1_epi32(0x0FC0FC00)),
                                          _mm256_set1_epi32(0x04000040));
    // ...b << 4 into byte 1 and d << 8 into byte 3 (multiply-low by 2^4 and 2^8).
    const __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(lanes, _mm256_set1_epi32(0x003F03F0)),
                                          _mm256_set1_epi32(0x01000010));
    const __m256i values = _mm256_or_si256(ac, bd);
    // Character - value by range: 0..25 -> slot 13, 26..51 -> slot 0, 52..61 -> slots 1..10,
    // 62 ('+') -> 11, 63 ('/') -> 12.
    __m256i slot = _mm256_subs_epu8(values, _mm256_set1_epi8(51));
    const __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), values);
    slot = _mm256_or_si256(slot, _mm256_and_si256(upper, _mm256_set1_epi8(13)));
    const __m256i offset =
        TARN_BASE64_TABLE16('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                            '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
    return _mm256_add_epi8(values, _mm256_shuffle_epi8(offset, slot));
}

// Encodes data[i, i + 24) into out[i / 3 * 4, i / 3 * 4 + 32), reading data[i - 4, i + 28).
TARN_BASE64_AVX2 inline void EncodeStep(const unsigned char* data, size_t i, char* out) {
    const __m256i in = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i - 4));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i / 3 * 4), EncodeBlock(in));
}

}  // namespace

size_t EncodeBulkAvx2(const unsigned char* data, size_t n, char* out) {
    if (n < 28) return 0;
    // The first step has nothing before data to read: 16 bytes at 0 and at 12, the first moved
    // up by 4 to where EncodeBlock expects them.
    const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
    const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 12));
    const __m256i in =
        _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_slli_si128(first, 4)), second, 1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), EncodeBlock(in));
    size_t i = 24;
    for (; n - i >= 28; i += 24) EncodeStep(data, i, out);
    // Fewer than 28 bytes left: one more step, as far on as the read of 4 past it allows,
    // encodes again some bytes already done (the same characters) and leaves at most 6.
    const size_t last = (n - 28) / 3 * 3;
    if (last >= 4 && last + 24 > i) {
        EncodeStep(data, last, out);
        i = last + 24;
    }
    return i;
}

size_t DecodeBulkAvx2(const char* text, size_t n, unsigned char* out) {
    // Blocks never include the last group of four (which may hold padding): n - i >= 36. A
    // block at i may store 32 bytes at out + i / 4 * 3 while that stays below the smallest
    // decoded size 3 * (n / 4) - 2, i.e. while n - i >= 48 (two blocks: n - i >= 80).
    size_t i = 0;
    for (; n - i >= 80; i += 64) {
        __m256i errors0, errors1;
        const __m256i values0 = Translate(Load32(text + i), &errors0);
        const __m256i values1 = Translate(Load32(text + i + 32), &errors1);
        if (AnyBits(_mm256_or_si256(errors0, errors1))) break;  // the loop below finds which
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i / 4 * 3), Pack(values0));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i / 4 * 3 + 24), Pack(values1));
    }
    for (; n - i >= 36; i += 32) {
        if (!DecodeBlock(text, i, out, n - i >= 48)) return i;
    }
    // 4 <= n - i < 36 (or n < 36): the characters left before the last group lie in the block
    // that ends where the group starts. Decode it, again for those before i (the same bytes).
    if (n >= 36 && i < n - 4) {
        if (!DecodeBlock(text, n - 36, out, false)) return i;
        i = n - 4;
    }
    return i;
}

}  // namespace tarn::base64_internal

#undef TARN_BASE64_TABLE16

#endif  // defined(__x86_64__)
