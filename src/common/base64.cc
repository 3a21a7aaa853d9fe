#include "common/base64.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "common/base64_internal.h"

namespace tarn {
namespace {

using base64_internal::Kernel;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

// kQuadBits[k][c]: character c's 6 bits placed where they go when c is character k of a group of
// four, so a group's 24 bits are the OR of four lookups; kBadBits (outside the 24) marks a
// character outside the alphabet and survives the OR. 4 KiB, L1-resident while a batch decodes.
constexpr uint32_t kBadBits = uint32_t{1} << 31;
constexpr std::array<std::array<uint32_t, 256>, 4> MakeQuadTables() {
    std::array<std::array<uint32_t, 256>, 4> t{};
    for (int k = 0; k < 4; ++k) {
        for (int c = 0; c < 256; ++c) {
            const int v = kDecode[c];
            t[k][c] = v < 0 ? kBadBits : uint32_t(v) << (18 - 6 * k);
        }
    }
    return t;
}
constexpr std::array<std::array<uint32_t, 256>, 4> kQuadBits = MakeQuadTables();

// The two characters of every 12-bit value: encoding looks up two characters at a time (8 KiB,
// stays in L1 cache while a batch is encoded).
constexpr std::array<std::array<char, 2>, 4096> MakePairTable() {
    std::array<std::array<char, 2>, 4096> t{};
    for (int i = 0; i < 4096; ++i) t[i] = {kAlphabet[i >> 6], kAlphabet[i & 63]};
    return t;
}
constexpr std::array<std::array<char, 2>, 4096> kPairs = MakePairTable();

uint64_t LoadBigEndian64(const unsigned char* p) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    return word;
}

// Stores the 24 bits of `bits` as three big-endian bytes followed by one byte of garbage.
void Store24Plus1(uint32_t bits, unsigned char* o) {
    uint32_t word = bits << 8;
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap32(word);
    std::memcpy(o, &word, 4);
}

// Stores the 48 bits of `bits` as six big-endian bytes followed by two bytes of garbage.
void Store48Plus2(uint64_t bits, unsigned char* o) {
    uint64_t word = bits << 16;
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
    std::memcpy(o, &word, 8);
}

// Writes exactly (n + 2) / 3 * 4 characters.
void EncodeScalar(const unsigned char* p, size_t n, char* o) {
    // Six bytes -> eight characters per step: one 8-byte big-endian load (hence n >= 8, so the
    // load stays inside the input), four lookups of two characters each, one 8-byte store.
    while (n >= 8) {
        const uint64_t word = LoadBigEndian64(p);  // byte p[0] is on top
        char chars[8];
        std::memcpy(chars + 0, kPairs[(word >> 52) & 0xFFF].data(), 2);
        std::memcpy(chars + 2, kPairs[(word >> 40) & 0xFFF].data(), 2);
        std::memcpy(chars + 4, kPairs[(word >> 28) & 0xFFF].data(), 2);
        std::memcpy(chars + 6, kPairs[(word >> 16) & 0xFFF].data(), 2);
        std::memcpy(o, chars, 8);
        p += 6;
        n -= 6;
        o += 8;
    }
    while (n >= 3) {
        const uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
        std::memcpy(o, kPairs[v >> 12].data(), 2);
        std::memcpy(o + 2, kPairs[v & 0xFFF].data(), 2);
        p += 3;
        n -= 3;
        o += 4;
    }
    if (n > 0) {
        uint32_t v = uint32_t{p[0]} << 16;
        if (n == 2) v |= uint32_t{p[1]} << 8;
        o[0] = kAlphabet[v >> 18];
        o[1] = kAlphabet[(v >> 12) & 63];
        o[2] = n == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        o[3] = '=';
    }
}

Status BadLength(size_t size) {
    return Status::InvalidArgument("invalid base64: length " + std::to_string(size) +
                                   " is not a multiple of 4");
}

// Decodes text[i, n) (i a multiple of 4, text[0, i) already decoded into out) and sets *written.
// This is the reference behaviour that every kernel reproduces: the first character that is
// neither in the alphabet nor valid padding is named by its offset.
Status DecodeScalarFrom(std::string_view text, size_t i, unsigned char* out, size_t* written) {
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    unsigned char* o = out + i / 4 * 3;
    // Fast path: every group of four but the last has no padding; one test per group finds a bad
    // character (the slow loop below then names it). Two groups store eight bytes, two past their
    // own six, which the group after them (n - i >= 16) has room for; one group stores four.
    for (; n - i >= 16; i += 8, o += 6) {
        const uint32_t bits0 = kQuadBits[0][t[i]] | kQuadBits[1][t[i + 1]] |
                               kQuadBits[2][t[i + 2]] | kQuadBits[3][t[i + 3]];
        const uint32_t bits1 = kQuadBits[0][t[i + 4]] | kQuadBits[1][t[i + 5]] |
                               kQuadBits[2][t[i + 6]] | kQuadBits[3][t[i + 7]];
        if ((bits0 | bits1) & kBadBits) break;
        Store48Plus2((uint64_t{bits0} << 24) | bits1, o);
    }
    for (; n - i >= 8; i += 4, o += 3) {
        const uint32_t bits = kQuadBits[0][t[i]] | kQuadBits[1][t[i + 1]] | kQuadBits[2][t[i + 2]] |
                              kQuadBits[3][t[i + 3]];
        if (bits & kBadBits) break;
        Store24Plus1(bits, o);
    }
    for (; i < n; i += 4) {
        const bool last = i + 4 == n;
        int32_t v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = text[i + k];
            if (c == '=' && last && k >= 2 && (k == 3 || text[i + 3] == '=')) {
                v[k] = 0;
                ++pad;
                continue;
            }
            v[k] = kDecode[static_cast<unsigned char>(c)];
            if (v[k] < 0) {
                return Status::InvalidArgument("invalid base64: unexpected character at offset " +
                                               std::to_string(i + k));
            }
        }
        const uint32_t bits = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) |
                              (uint32_t(v[2]) << 6) | uint32_t(v[3]);
        *o++ = static_cast<unsigned char>(bits >> 16);
        if (pad < 2) *o++ = static_cast<unsigned char>((bits >> 8) & 0xFF);
        if (pad < 1) *o++ = static_cast<unsigned char>(bits & 0xFF);
    }
    *written = static_cast<size_t>(o - out);
    return Status::Ok();
}

using EncodeBulkFn = size_t (*)(const unsigned char* data, size_t n, char* out);
using DecodeBulkFn = size_t (*)(const char* text, size_t n, unsigned char* out);

struct BulkKernels {
    EncodeBulkFn encode = nullptr;  // null: the portable code does everything
    DecodeBulkFn decode = nullptr;
};

BulkKernels BulkKernelsOf(Kernel kernel) {
    switch (kernel) {
#if defined(__x86_64__)
        case Kernel::kAvx2:
            return {base64_internal::EncodeBulkAvx2, base64_internal::DecodeBulkAvx2};
        case Kernel::kAvx512Vbmi:
            return {base64_internal::EncodeBulkAvx512Vbmi, base64_internal::DecodeBulkAvx512Vbmi};
#endif
        default:
            return {};
    }
}

const BulkKernels& BestBulkKernels() {
    static const BulkKernels kernels = BulkKernelsOf(base64_internal::BestKernel());
    return kernels;
}

void Encode(const BulkKernels& kernels, std::string_view data, char* out) {
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    const size_t done = kernels.encode != nullptr ? kernels.encode(p, data.size(), out) : 0;
    EncodeScalar(p + done, data.size() - done, out + done / 3 * 4);
}

Status Decode(const BulkKernels& kernels, std::string_view text, char* out, size_t* written) {
    if (text.size() % 4 != 0) return BadLength(text.size());
    auto* o = reinterpret_cast<unsigned char*>(out);
    const size_t done = kernels.decode != nullptr ? kernels.decode(text.data(), text.size(), o) : 0;
    return DecodeScalarFrom(text, done, o, written);
}

// Grows *out by n characters and lets fill(p) write them at p; without C++23's
// resize_and_overwrite the new characters are zeroed first.
template <typename Fill>
void AppendUninitialized(std::string* out, size_t n, Fill fill) {
    const size_t start = out->size();
#if defined(__cpp_lib_string_resize_and_overwrite)
    // Returns the intended size, not the callback's size argument: GCC 12's libstdc++ passes the
    // grown capacity there instead of the size asked for.
    out->resize_and_overwrite(start + n, [&](char* p, size_t) {
        fill(p + start);
        return start + n;
    });
#else
    out->resize(start + n);
    fill(out->data() + start);
#endif
}

}  // namespace

namespace base64_internal {

std::string_view KernelName(Kernel kernel) {
    switch (kernel) {
        case Kernel::kScalar:
            return "scalar";
        case Kernel::kAvx2:
            return "avx2";
        case Kernel::kAvx512Vbmi:
            return "avx512vbmi";
    }
    return "?";
}

bool KernelSupported(Kernel kernel) {
    switch (kernel) {
        case Kernel::kScalar:
            return true;
#if defined(__x86_64__)
        case Kernel::kAvx2:
            __builtin_cpu_init();
            return __builtin_cpu_supports("avx2");
        case Kernel::kAvx512Vbmi:
            __builtin_cpu_init();
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vbmi");
#endif
        default:
            return false;
    }
}

Kernel BestKernel() {
    static const Kernel best = [] {
        for (Kernel k : {Kernel::kAvx512Vbmi, Kernel::kAvx2}) {
            if (KernelSupported(k)) return k;
        }
        return Kernel::kScalar;
    }();
    return best;
}

void EncodeWith(Kernel kernel, std::string_view data, char* out) {
    Encode(BulkKernelsOf(kernel), data, out);
}

Status DecodeWith(Kernel kernel, std::string_view text, char* out, size_t* written) {
    return Decode(BulkKernelsOf(kernel), text, out, written);
}

}  // namespace base64_internal

void Base64EncodeAppend(std::string_view data, std::string* out) {
    AppendUninitialized(out, (data.size() + 2) / 3 * 4,
                        [&](char* p) { Encode(BestBulkKernels(), data, p); });
}

std::string Base64Encode(std::string_view data) {
    std::string out;
    Base64EncodeAppend(data, &out);
    return out;
}

size_t Base64DecodedSize(std::string_view text) {
    size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    return text.size() / 4 * 3 - pad;
}

Status Base64DecodeTo(std::string_view text, char* out, size_t* written) {
    return Decode(BestBulkKernels(), text, out, written);
}

Status Base64DecodeAppend(std::string_view text, std::string* out) {
    if (text.size() % 4 != 0) return BadLength(text.size());
    Status status;
    AppendUninitialized(out, Base64DecodedSize(text), [&](char* p) {
        size_t written = 0;
        status = Base64DecodeTo(text, p, &written);
    });
    return status;
}

Result<std::string> Base64Decode(std::string_view text) {
    std::string out;
    TARN_RETURN_IF_ERROR(Base64DecodeAppend(text, &out));
    return out;
}

}  // namespace tarn
