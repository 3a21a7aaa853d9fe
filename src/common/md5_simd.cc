// Multi-buffer MD5 (md5_lanes.h): the compression function on one block of each of several
// independent messages, one message per 32-bit lane of a vector register. The build targets
// generic x86-64, so each function carries its instruction set as a target attribute and
// md5_many.cc calls the entry points only when the CPU has that set.
//
// One vector of lanes is still a chain of 64 dependent steps, too little work to keep the vector
// units busy; a step therefore advances up to four independent vectors ("groups") at once (more
// gains little: the units are then full). Lane l's block words come from blocks[l] through an
// in-register transpose: four 128-bit loads (four words each of lanes l, l+4, ...) fill one
// register, and 32-bit and 64-bit unpacks within 128-bit halves turn four such registers into
// four message words. (Gathering the words, from a copy of the blocks in one buffer, measured
// 1.6x (AVX2) and 2.3x (AVX-512) slower.)
#include <cstdint>
#include <utility>

#include "common/md5_lanes.h"

#if defined(__x86_64__)
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_epi32(), a self-initialized variable
// that -W(maybe-)uninitialized reports once inlined (GCC bug 105593, fixed in GCC 13's headers);
// the warnings are silenced for the header's lines only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace tarn::md5_internal {
namespace {

#define TARN_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline
#define TARN_AVX512_INLINE __attribute__((target("avx512f"), always_inline)) inline

constexpr int Round(int i) { return i / 16; }
constexpr int Shift(int i) { return kShift[i / 16][i % 4]; }
// Step i updates state word (4 - i) % 4 ("a"), reading the next three in turn as b, c, d.
constexpr int RoleA(int i) { return (4 - i % 4) % 4; }
constexpr int RoleB(int i) { return (5 - i % 4) % 4; }
constexpr int RoleC(int i) { return (6 - i % 4) % 4; }
constexpr int RoleD(int i) { return (7 - i % 4) % 4; }
constexpr int AsInt(uint32_t x) { return static_cast<int>(x); }

// ---- AVX2: 8 lanes per vector ----

using V8 = __m256i;

// m[w] = word w of the blocks of lanes 0..7.
TARN_AVX2_INLINE void LoadWords8(const uint8_t* const* blocks, V8* m) {
#pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) {
        V8 r[4];
        for (int i = 0; i < 4; ++i) {
            const __m128i lo =
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i] + 16 * q));
            const __m128i hi =
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i + 4] + 16 * q));
            r[i] = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        }
        const V8 t0 = _mm256_unpacklo_epi32(r[0], r[1]);
        const V8 t1 = _mm256_unpackhi_epi32(r[0], r[1]);
        const V8 t2 = _mm256_unpacklo_epi32(r[2], r[3]);
        const V8 t3 = _mm256_unpackhi_epi32(r[2], r[3]);
        m[4 * q + 0] = _mm256_unpacklo_epi64(t0, t2);
        m[4 * q + 1] = _mm256_unpackhi_epi64(t0, t2);
        m[4 * q + 2] = _mm256_unpacklo_epi64(t1, t3);
        m[4 * q + 3] = _mm256_unpackhi_epi64(t1, t3);
    }
}

template <int S>
TARN_AVX2_INLINE V8 RotateLeft8(V8 x) {
    if constexpr (S == 16) {
        const V8 swap_halves =
            _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7,
                             4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        return _mm256_shuffle_epi8(x, swap_halves);
    } else {
        return _mm256_or_si256(_mm256_slli_epi32(x, S), _mm256_srli_epi32(x, 32 - S));
    }
}

template <int I, int G>
TARN_AVX2_INLINE void Step8(V8 (&s)[4][G], const V8 (&m)[G][16]) {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
        const V8 a = s[RoleA(I)][g], b = s[RoleB(I)][g], c = s[RoleC(I)][g], d = s[RoleD(I)][g];
        // Round 4 adds ~y as -1 - y: c ^ (b | ~d) = ~(c ^ (~b & d)), one operation fewer.
        constexpr uint32_t k = Round(I) == 3 ? kK[I] - 1 : kK[I];
        V8 t = _mm256_add_epi32(_mm256_add_epi32(a, m[g][MessageIndex(I)]),
                                _mm256_set1_epi32(AsInt(k)));
        if constexpr (Round(I) == 0) {
            t = _mm256_add_epi32(t,
                                 _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d))));
        } else if constexpr (Round(I) == 1) {
            // (b & d) | (c & ~d) as the sum of its two disjoint halves: the half without b first.
            t = _mm256_add_epi32(t, _mm256_andnot_si256(d, c));
            t = _mm256_add_epi32(t, _mm256_and_si256(d, b));
        } else if constexpr (Round(I) == 2) {
            t = _mm256_add_epi32(t, _mm256_xor_si256(b, _mm256_xor_si256(c, d)));
        } else {
            t = _mm256_sub_epi32(t, _mm256_xor_si256(c, _mm256_andnot_si256(b, d)));
        }
        s[RoleA(I)][g] = _mm256_add_epi32(b, RotateLeft8<Shift(I)>(t));
    }
}

template <int G, int... I>
TARN_AVX2_INLINE void Steps8(V8 (&s)[4][G], const V8 (&m)[G][16],
                             std::integer_sequence<int, I...>) {
    (Step8<I, G>(s, m), ...);
}

// ---- AVX-512F: 16 lanes per vector ----

using V16 = __m512i;

// m[w] = word w of the blocks of lanes 0..15.
TARN_AVX512_INLINE void LoadWords16(const uint8_t* const* blocks, V16* m) {
#pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) {
        V16 r[4];
        for (int i = 0; i < 4; ++i) {
            V16 v = _mm512_castsi128_si512(
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i] + 16 * q)));
            v = _mm512_inserti32x4(
                v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i + 4] + 16 * q)), 1);
            v = _mm512_inserti32x4(
                v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i + 8] + 16 * q)), 2);
            v = _mm512_inserti32x4(
                v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[i + 12] + 16 * q)), 3);
            r[i] = v;
        }
        const V16 t0 = _mm512_unpacklo_epi32(r[0], r[1]);
        const V16 t1 = _mm512_unpackhi_epi32(r[0], r[1]);
        const V16 t2 = _mm512_unpacklo_epi32(r[2], r[3]);
        const V16 t3 = _mm512_unpackhi_epi32(r[2], r[3]);
        m[4 * q + 0] = _mm512_unpacklo_epi64(t0, t2);
        m[4 * q + 1] = _mm512_unpackhi_epi64(t0, t2);
        m[4 * q + 2] = _mm512_unpacklo_epi64(t1, t3);
        m[4 * q + 3] = _mm512_unpackhi_epi64(t1, t3);
    }
}

// The round functions as vpternlogd truth tables, indexed by (b, c, d) bits.
constexpr int kTernary[4] = {
    0xCA,  // F: (b & c) | (~b & d)
    0xE4,  // G: (b & d) | (c & ~d)
    0x96,  // H: b ^ c ^ d
    0x39,  // I: c ^ (b | ~d)
};

template <int I, int G>
TARN_AVX512_INLINE void Step16(V16 (&s)[4][G], const V16 (&m)[G][16]) {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
        const V16 a = s[RoleA(I)][g], b = s[RoleB(I)][g], c = s[RoleC(I)][g], d = s[RoleD(I)][g];
        V16 t = _mm512_add_epi32(_mm512_add_epi32(a, m[g][MessageIndex(I)]),
                                 _mm512_set1_epi32(AsInt(kK[I])));
        t = _mm512_add_epi32(t, _mm512_ternarylogic_epi32(b, c, d, kTernary[Round(I)]));
        s[RoleA(I)][g] = _mm512_add_epi32(b, _mm512_rol_epi32(t, Shift(I)));
    }
}

template <int G, int... I>
TARN_AVX512_INLINE void Steps16(V16 (&s)[4][G], const V16 (&m)[G][16],
                                std::integer_sequence<int, I...>) {
    (Step16<I, G>(s, m), ...);
}

// A step of G groups of 8 lanes.
template <int G>
__attribute__((target("avx2"))) void StepAvx2(uint32_t* state, const uint8_t* const* blocks) {
    constexpr int kLanes = 8 * G;
    V8 m[G][16];
    V8 s[4][G];
    V8 h[4][G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
        LoadWords8(blocks + 8 * g, m[g]);
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            s[j][g] = h[j][g] =
                _mm256_load_si256(reinterpret_cast<const V8*>(state + j * kLanes + 8 * g));
        }
    }
    Steps8(s, m, std::make_integer_sequence<int, 64>());
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            _mm256_store_si256(reinterpret_cast<V8*>(state + j * kLanes + 8 * g),
                               _mm256_add_epi32(s[j][g], h[j][g]));
        }
    }
}

// A step of G groups of 16 lanes.
template <int G>
__attribute__((target("avx512f"))) void StepAvx512(uint32_t* state, const uint8_t* const* blocks) {
    constexpr int kLanes = 16 * G;
    V16 m[G][16];
    V16 s[4][G];
    V16 h[4][G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
        LoadWords16(blocks + 16 * g, m[g]);
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            s[j][g] = h[j][g] = _mm512_load_si512(state + j * kLanes + 16 * g);
        }
    }
    Steps16(s, m, std::make_integer_sequence<int, 64>());
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            _mm512_store_si512(state + j * kLanes + 16 * g, _mm512_add_epi32(s[j][g], h[j][g]));
        }
    }
}

struct Avx2Kernel {
    static constexpr int kLanesPerGroup = 8;
    static constexpr int kMaxGroups = 4;
    static constexpr int kScalarBelow = 2;
    static StepFn StepFor(int groups) {
        switch (groups) {
            case 1:
                return StepAvx2<1>;
            case 2:
                return StepAvx2<2>;
            case 3:
                return StepAvx2<3>;
            default:
                return StepAvx2<4>;
        }
    }
    static uint32_t PadTail(uint8_t* tail, const uint8_t* rest_bytes, size_t rest,
                            uint64_t length) {
        return md5_internal::PadTail(tail, rest_bytes, rest, length);
    }
};

struct Avx512Kernel {
    static constexpr int kLanesPerGroup = 16;
    static constexpr int kMaxGroups = 4;
    static constexpr int kScalarBelow = 2;
    static StepFn StepFor(int groups) {
        switch (groups) {
            case 1:
                return StepAvx512<1>;
            case 2:
                return StepAvx512<2>;
            case 3:
                return StepAvx512<3>;
            default:
                return StepAvx512<4>;
        }
    }
    // PadTail with AVX-512BW: a masked load takes exactly the `rest` bytes (no branches on the
    // length), masked moves add the 0x80 marker and the length, and whole 64-byte stores write
    // the block(s).
    __attribute__((target("avx512f,avx512bw"))) static uint32_t PadTail(uint8_t* tail,
                                                                        const uint8_t* rest_bytes,
                                                                        size_t rest,
                                                                        uint64_t length) {
        const uint64_t marker = uint64_t{1} << rest;  // rest < 64
        V16 v = _mm512_maskz_loadu_epi8(marker - 1, rest_bytes);
        v = _mm512_mask_set1_epi8(v, marker, static_cast<char>(0x80));
        const V16 bits = _mm512_set1_epi64(static_cast<long long>(length * 8));
        if (rest + 1 + 8 <= 64) {
            _mm512_store_si512(tail, _mm512_mask_mov_epi64(v, 0x80, bits));
            return 1;
        }
        _mm512_store_si512(tail, v);
        _mm512_store_si512(tail + 64, _mm512_maskz_mov_epi64(0x80, bits));
        return 2;
    }
};

}  // namespace

__attribute__((target("avx2"))) void Md5ManyAvx2(std::span<const std::string_view> inputs,
                                                 Md5Digest* out) {
    RunLanes<Avx2Kernel>(inputs, out);
}

__attribute__((target("avx512f,avx512bw"))) void Md5ManyAvx512(
    std::span<const std::string_view> inputs, Md5Digest* out) {
    RunLanes<Avx512Kernel>(inputs, out);
}

}  // namespace tarn::md5_internal

#endif  // defined(__x86_64__)
