#include "common/hash.h"

#include <openssl/evp.h>

#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace tarn {

namespace {

// OpenSSL 3 deprecates MD5(). EVP_Digest(..., EVP_md5(), ...) works but fetches the algorithm
// from the provider store (a global read-write lock) and allocates a context on every call; a
// Kinesis PutRecords hashes every partition key, so the algorithm is fetched once and each
// thread keeps its context.
const EVP_MD* FetchedMd5() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
    return md;
}

struct ThreadMd5Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~ThreadMd5Context() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Md5Digest Md5(std::string_view data) {
    Md5Digest digest{};
    unsigned int size = 0;
    thread_local ThreadMd5Context local;
    const EVP_MD* md = FetchedMd5();
    if (md == nullptr || local.ctx == nullptr || !EVP_DigestInit_ex2(local.ctx, md, nullptr) ||
        !EVP_DigestUpdate(local.ctx, data.data(), data.size()) ||
        !EVP_DigestFinal_ex(local.ctx, digest.data(), &size)) {
        // Only when OpenSSL itself is broken (no default provider): the slow, general path.
        EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_md5(), nullptr);
    }
    return digest;
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

// Exposed for the unit test that checks both paths agree.
uint32_t Crc32cPortableForTest(const void* data, size_t size) {
    return ~ExtendPortable(~0u, static_cast<const uint8_t*>(data), size);
}

}  // namespace tarn
