// Bit-level helpers shared by Parquet's RLE/bit-packing hybrid and DELTA_BINARY_PACKED encodings:
// LSB-first packing of values in groups of 8 (a group of 8 values
// at bit width W is exactly W bytes). Internal to the format module.
//
// Callers check bounds: Unpack* read and Pack* write exactly `width` bytes per group of 8; Pack
// appends `n / 8 * width` bytes to a string. Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "format/varint.h"

namespace tarn::format::bits {

static_assert(std::endian::native == std::endian::little, "bit packing assumes little-endian");

constexpr uint64_t Mask(int width) {
    return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
}

// Packs one group of 8 values LSB-first at W bits into exactly W bytes at dst; bits above W are
// ignored.
template <typename T, int W>
inline void Pack8(const T* values, uint8_t* dst) {
    if constexpr (W > 0) {
        uint64_t acc = 0;
        int nbits = 0;
        for (int i = 0; i < 8; ++i) {
            const uint64_t x = static_cast<uint64_t>(values[i]) & Mask(W);
            acc |= x << nbits;
            if (nbits + W >= 64) {
                std::memcpy(dst, &acc, 8);
                dst += 8;
                acc = nbits == 0 ? 0 : x >> (64 - nbits);
                nbits += W - 64;
            } else {
                nbits += W;
            }
        }
        std::memcpy(dst, &acc, static_cast<size_t>(nbits / 8));
    }
}

template <typename T, int W>
void PackGroups(const T* values, size_t groups, uint8_t* dst) {
    for (size_t g = 0; g < groups; ++g) Pack8<T, W>(values + g * 8, dst + g * W);
}

template <typename T>
using PackFn = void (*)(const T* values, size_t groups, uint8_t* dst);

template <typename T, int... Ws>
constexpr std::array<PackFn<T>, sizeof...(Ws)> MakePackTable(std::integer_sequence<int, Ws...>) {
    return {&PackGroups<T, Ws>...};
}

// Packs `groups` groups of 8 values at `width` bits (0..MaxWidth) into groups * width bytes.
template <typename T, int MaxWidth>
inline PackFn<T> PackerFor(int width) {
    static constexpr auto kTable =
        MakePackTable<T>(std::make_integer_sequence<int, MaxWidth + 1>{});
    return kTable[static_cast<size_t>(width)];
}

// Appends n values (n a multiple of 8) packed LSB-first at `width` bits (0..MaxWidth).
template <typename T, int MaxWidth>
void Pack(const T* values, size_t n, int width, std::string* out) {
    const size_t start = out->size();
    out->resize(start + n / 8 * static_cast<size_t>(width));
    PackerFor<T, MaxWidth>(width)(values, n / 8, reinterpret_cast<uint8_t*>(out->data() + start));
}

// Unpacks one group of 8 values of width W from exactly W bytes at src.
template <typename T, int W>
inline void Unpack8(const uint8_t* src, T* out) {
    if constexpr (W == 0) {
        std::fill_n(out, 8, T{0});
    } else if constexpr (W <= 8) {
        uint64_t word = 0;
        std::memcpy(&word, src, W);
        for (int i = 0; i < 8; ++i) out[i] = static_cast<T>((word >> (i * W)) & Mask(W));
    } else {
        uint8_t buf[W + 8] = {};
        std::memcpy(buf, src, W);
        for (int i = 0; i < 8; ++i) {
            const int bit = i * W;
            const int shift = bit % 8;
            uint64_t word;
            std::memcpy(&word, buf + bit / 8, 8);
            uint64_t v = word >> shift;
            if (shift + W > 64) v |= static_cast<uint64_t>(buf[bit / 8 + 8]) << (64 - shift);
            out[i] = static_cast<T>(v & Mask(W));
        }
    }
}

template <typename T, int W>
void UnpackGroups(const uint8_t* src, size_t groups, T* out) {
    for (size_t g = 0; g < groups; ++g) Unpack8<T, W>(src + g * W, out + g * 8);
}

template <typename T>
using UnpackFn = void (*)(const uint8_t* src, size_t groups, T* out);

template <typename T, int... Ws>
constexpr std::array<UnpackFn<T>, sizeof...(Ws)> MakeUnpackTable(
    std::integer_sequence<int, Ws...>) {
    return {&UnpackGroups<T, Ws>...};
}

// Unpacks `groups` groups of 8 values of `width` bits (0..MaxWidth) from src into out.
template <typename T, int MaxWidth>
inline UnpackFn<T> UnpackerFor(int width) {
    static constexpr auto kTable =
        MakeUnpackTable<T>(std::make_integer_sequence<int, MaxWidth + 1>{});
    return kTable[static_cast<size_t>(width)];
}

}  // namespace tarn::format::bits
