#include "common/base64.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/base64_internal.h"

namespace tarn {
namespace {

using base64_internal::Kernel;

TEST(Base64Test, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(Base64Encode(plain), encoded);
        auto decoded = Base64Decode(encoded);
        ASSERT_TRUE(decoded.ok()) << encoded;
        EXPECT_EQ(*decoded, plain);
        EXPECT_EQ(Base64DecodedSize(encoded), std::string(plain).size());
    }
}

TEST(Base64Test, RoundTripsBinary) {
    std::mt19937 rng(7);
    for (size_t len = 0; len < 300; ++len) {
        std::string data(len, '\0');
        for (char& c : data) c = static_cast<char>(rng());
        auto back = Base64Decode(Base64Encode(data));
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(*back, data);
    }
}

TEST(Base64Test, RejectsMalformedText) {
    for (const char* bad :
         {"Zg=", "Zm9", "Z===", "Zm9v!A==", "Zg==Zg==", "Zm=v", "====", "Zm9v\n"}) {
        auto r = Base64Decode(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        }
    }
}

TEST(Base64Test, NamesTheOffsetOfABadCharacterInAnyQuad) {
    // The fast path decodes whole quads; a bad character in one must still be found and named.
    std::string text = Base64Encode(std::string(30, 'x'));  // 40 characters, no padding
    for (size_t pos : {0u, 5u, 21u, 39u}) {
        std::string bad = text;
        bad[pos] = '*';
        auto r = Base64Decode(bad);
        ASSERT_FALSE(r.ok()) << pos;
        EXPECT_NE(r.status().message().find("offset " + std::to_string(pos)), std::string::npos)
            << r.status().message();
    }
}

TEST(Base64Test, DecodeToWritesIntoACallersBuffer) {
    const std::string text = Base64Encode("any carnal pleasure.");
    std::string buffer(Base64DecodedSize(text), '\0');
    size_t written = 0;
    ASSERT_TRUE(Base64DecodeTo(text, buffer.data(), &written).ok());
    EXPECT_EQ(written, buffer.size());
    EXPECT_EQ(buffer, "any carnal pleasure.");

    // A bad length is the first error: nothing is written, not even into a null buffer.
    Status bad = Base64DecodeTo("Zm9vY", nullptr, &written);
    EXPECT_EQ(bad.message(), "invalid base64: length 5 is not a multiple of 4");
}

TEST(Base64Test, DecodeAppendKeepsWhatWasThere) {
    std::string out = "prefix:";
    ASSERT_TRUE(Base64DecodeAppend(Base64Encode(std::string(100, 'q')), &out).ok());
    EXPECT_EQ(out, "prefix:" + std::string(100, 'q'));
}

TEST(Base64Test, BestKernelIsSupported) {
    EXPECT_TRUE(base64_internal::KernelSupported(base64_internal::BestKernel()));
    if (base64_internal::KernelSupported(Kernel::kAvx2)) {
        EXPECT_NE(base64_internal::BestKernel(), Kernel::kScalar);
    }
}

// ---------------------------------------------------------------------------------------------
// Every kernel against the implementation base64.cc had before it gained kernels (its decoder is
// kept here unchanged as the definition of the expected bytes and error messages; its encoder as
// the plain per-group loop) and against OpenSSL's encoder.

namespace original {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

std::string Encode(std::string_view data) {
    std::string out;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    size_t n = data.size();
    while (n >= 3) {
        const uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
        for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
        p += 3;
        n -= 3;
    }
    if (n > 0) {
        uint32_t v = uint32_t{p[0]} << 16;
        if (n == 2) v |= uint32_t{p[1]} << 8;
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += n == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

size_t DecodedSize(std::string_view text) {
    size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    return text.size() / 4 * 3 - pad;
}

Result<std::string> Decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return Status::InvalidArgument("invalid base64: length " + std::to_string(text.size()) +
                                       " is not a multiple of 4");
    }
    std::string out(DecodedSize(text), '\0');
    char* o = out.data();
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0;
    for (; i + 4 < text.size(); i += 4) {
        const int32_t a = kDecode[t[i]], b = kDecode[t[i + 1]], c = kDecode[t[i + 2]],
                      d = kDecode[t[i + 3]];
        if ((a | b | c | d) < 0) break;
        const uint32_t bits =
            (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
        o[0] = static_cast<char>(bits >> 16);
        o[1] = static_cast<char>((bits >> 8) & 0xFF);
        o[2] = static_cast<char>(bits & 0xFF);
        o += 3;
    }
    for (; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
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
        *o++ = static_cast<char>(bits >> 16);
        if (pad < 2) *o++ = static_cast<char>((bits >> 8) & 0xFF);
        if (pad < 1) *o++ = static_cast<char>(bits & 0xFF);
    }
    return out;
}

}  // namespace original

std::string OpenSslEncode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()),
                                  static_cast<int>(data.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
}

// The bytes that are neither alphabet characters nor '=': 256 - 64 - 1 of them.
std::vector<char> JunkBytes() {
    std::vector<char> junk;
    for (int c = 0; c < 256; ++c) {
        if (c != '=' && original::kDecode[c] < 0) junk.push_back(static_cast<char>(c));
    }
    return junk;
}

// A copy of `s` in a heap block of exactly its size, so AddressSanitizer reports a read past it.
std::unique_ptr<char[]> ExactCopy(std::string_view s) {
    auto copy = std::make_unique<char[]>(s.size());
    if (!s.empty()) std::memcpy(copy.get(), s.data(), s.size());
    return copy;
}

constexpr char kGuard = '\x5A';
constexpr size_t kGuardSize = 64;

class Base64KernelTest : public testing::TestWithParam<Kernel> {
protected:
    void SetUp() override {
        if (!base64_internal::KernelSupported(GetParam())) {
            GTEST_SKIP() << base64_internal::KernelName(GetParam())
                         << " is not supported by this build or CPU";
        }
    }

    // EncodeWith on a copy of `data` of exactly its size, into a buffer of exactly the encoded
    // size followed by guard bytes that must survive.
    std::string Encode(std::string_view data) {
        const auto in = ExactCopy(data);
        const size_t size = (data.size() + 2) / 3 * 4;
        std::string out(size + kGuardSize, kGuard);
        base64_internal::EncodeWith(GetParam(), std::string_view(in.get(), data.size()),
                                    out.data());
        EXPECT_EQ(out.substr(size), std::string(kGuardSize, kGuard)) << "wrote past the end";
        out.resize(size);
        return out;
    }

    // DecodeWith the same way: the buffer has exactly Base64DecodedSize(text) bytes (the
    // documented requirement) and nothing past them may change, even for invalid text.
    Result<std::string> Decode(std::string_view text) {
        const auto in = ExactCopy(text);
        const size_t size = text.size() % 4 == 0 ? Base64DecodedSize(text) : 0;
        auto out = std::make_unique<char[]>(size + kGuardSize);
        std::memset(out.get(), kGuard, size + kGuardSize);
        size_t written = 0;
        Status status = base64_internal::DecodeWith(
            GetParam(), std::string_view(in.get(), text.size()), out.get(), &written);
        EXPECT_EQ(std::string(out.get() + size, kGuardSize), std::string(kGuardSize, kGuard))
            << "wrote past the end";
        if (!status.ok()) return status;
        EXPECT_EQ(written, size);
        return std::string(out.get(), written);
    }

    // The kernel must decode `text` exactly as the original implementation did.
    void ExpectDecodesLikeOriginal(std::string_view text) {
        const Result<std::string> want = original::Decode(text);
        const Result<std::string> got = Decode(text);
        ASSERT_EQ(got.ok(), want.ok()) << text;
        if (want.ok()) {
            ASSERT_EQ(*got, *want) << text;
        } else {
            ASSERT_EQ(got.status().code(), want.status().code()) << text;
            ASSERT_EQ(got.status().message(), want.status().message()) << text;
        }
    }
};

TEST_P(Base64KernelTest, Rfc4648Vectors) {
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(Encode(plain), encoded);
        auto decoded = Decode(encoded);
        ASSERT_TRUE(decoded.ok()) << encoded;
        EXPECT_EQ(*decoded, plain);
    }
}

TEST_P(Base64KernelTest, EncodesEveryLengthLikeOpenSslAndTheOriginal) {
    std::mt19937_64 rng(1);
    for (size_t len = 0; len <= 300; ++len) {
        for (int round = 0; round < 3; ++round) {
            const std::string data = RandomBytes(rng, len);
            const std::string text = Encode(data);
            ASSERT_EQ(text, OpenSslEncode(data)) << "length " << len;
            ASSERT_EQ(text, original::Encode(data)) << "length " << len;
        }
    }
}

TEST_P(Base64KernelTest, EncodesEveryCharacterInEveryPosition) {
    // Bytes whose 6-bit fields walk through 0..63 at every field of a 48-byte block.
    for (int shift = 0; shift < 64; ++shift) {
        std::string data;
        for (int i = 0; i < 64 * 3; ++i) data += static_cast<char>((i * 85 + shift * 7) & 0xFF);
        ASSERT_EQ(Encode(data), OpenSslEncode(data));
    }
}

TEST_P(Base64KernelTest, RoundTripsEveryLength) {
    std::mt19937_64 rng(2);
    for (size_t len = 0; len <= 300; ++len) {
        for (int round = 0; round < 3; ++round) {
            const std::string data = RandomBytes(rng, len);
            const std::string text = original::Encode(data);
            auto decoded = Decode(text);
            ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
            ASSERT_EQ(*decoded, data) << "length " << len;
        }
    }
}

TEST_P(Base64KernelTest, RoundTripsAMebibyte) {
    std::mt19937_64 rng(3);
    for (size_t len : {size_t{1} << 20, (size_t{1} << 20) + 1, (size_t{1} << 20) + 2}) {
        const std::string data = RandomBytes(rng, len);
        const std::string text = Encode(data);
        ASSERT_EQ(text, OpenSslEncode(data));
        auto decoded = Decode(text);
        ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
        ASSERT_TRUE(*decoded == data);
    }
}

TEST_P(Base64KernelTest, DecodesEveryCharacterInEveryPosition) {
    // Each of the 64 characters at each position of a 64-character block (one AVX-512 step).
    std::string text;
    for (int shift = 0; shift < 64; ++shift) {
        for (int i = 0; i < 64; ++i) text += original::kAlphabet[(i + shift) % 64];
    }
    ExpectDecodesLikeOriginal(text);
}

TEST_P(Base64KernelTest, NamesEveryBadByteAtEveryPositionOf100Characters) {
    std::mt19937_64 rng(4);
    const std::string text = original::Encode(RandomBytes(rng, 75));
    ASSERT_EQ(text.size(), 100u);
    std::vector<char> bad_bytes = JunkBytes();
    bad_bytes.push_back('=');
    for (size_t pos = 0; pos < text.size(); ++pos) {
        for (char bad_byte : bad_bytes) {
            std::string bad = text;
            bad[pos] = bad_byte;
            ExpectDecodesLikeOriginal(bad);
            if (HasFatalFailure()) return;
        }
    }
}

TEST_P(Base64KernelTest, NamesABadByteAtEveryPositionOfEveryLength) {
    // Every block boundary and tail length of the kernels, with and without padding.
    std::mt19937_64 rng(5);
    const std::vector<char> junk = JunkBytes();
    size_t next_junk = 0;
    for (size_t len = 0; len <= 240; ++len) {
        const std::string text = original::Encode(RandomBytes(rng, len));
        for (size_t pos = 0; pos < text.size(); ++pos) {
            std::string bad = text;
            bad[pos] = junk[next_junk++ % junk.size()];
            ExpectDecodesLikeOriginal(bad);
            bad[pos] = '=';
            ExpectDecodesLikeOriginal(bad);
            if (HasFatalFailure()) return;
        }
    }
}

TEST_P(Base64KernelTest, MatchesTheOriginalOnPaddingInTheWrongPlace) {
    std::mt19937_64 rng(6);
    for (size_t len : {0, 1, 2, 3, 4, 5, 23, 24, 25, 47, 48, 49, 71, 72, 73, 95, 96, 97, 150}) {
        const std::string text = original::Encode(RandomBytes(rng, len));
        for (size_t pos = 0; pos < text.size(); ++pos) {
            // "==" starting anywhere, "=" plus a non-'=' after it, and the text cut short there.
            std::string bad = text;
            bad[pos] = '=';
            if (pos + 1 < bad.size()) bad[pos + 1] = '=';
            ExpectDecodesLikeOriginal(bad);
            ExpectDecodesLikeOriginal(text.substr(0, pos) + "=" + text.substr(pos));
            ExpectDecodesLikeOriginal(text.substr(0, pos));
            ExpectDecodesLikeOriginal(text.substr(0, pos / 4 * 4) + "====");
            ExpectDecodesLikeOriginal(text.substr(0, pos / 4 * 4) + "A===");
            ExpectDecodesLikeOriginal(text.substr(0, pos / 4 * 4) + "AA=A");
            if (HasFatalFailure()) return;
        }
    }
}

TEST_P(Base64KernelTest, MatchesTheOriginalOnBadLengths) {
    std::mt19937_64 rng(7);
    const std::string text = original::Encode(RandomBytes(rng, 300));
    for (size_t len = 0; len <= text.size(); ++len) {
        ExpectDecodesLikeOriginal(std::string_view(text).substr(0, len));
        if (HasFatalFailure()) return;
    }
}

TEST_P(Base64KernelTest, MatchesTheOriginalOnRandomText) {
    // Mostly alphabet characters, with some '=' and junk: long valid runs then a failure.
    std::mt19937_64 rng(8);
    const std::vector<char> junk = JunkBytes();
    for (int round = 0; round < 20000; ++round) {
        const size_t len = rng() % 50 * 4 + (rng() % 16 == 0 ? rng() % 4 : 0);
        const unsigned bad_odds = 1 + static_cast<unsigned>(rng() % 400);
        std::string text(len, '\0');
        for (char& c : text) {
            const unsigned roll = static_cast<unsigned>(rng() % bad_odds);
            if (roll == 0) {
                c = junk[rng() % junk.size()];
            } else if (roll == 1) {
                c = '=';
            } else {
                c = original::kAlphabet[rng() % 64];
            }
        }
        // Often end the text with legal padding.
        if (len >= 4 && rng() % 3 == 0) text[len - 1] = '=';
        if (len >= 4 && rng() % 3 == 0) text[len - 2] = '=';
        ExpectDecodesLikeOriginal(text);
        if (HasFatalFailure()) return;
    }
}

TEST_P(Base64KernelTest, NamesABadByteInALargeText) {
    std::mt19937_64 rng(9);
    const std::string text = original::Encode(RandomBytes(rng, 3 << 16));
    for (size_t pos : {size_t{0}, size_t{31}, size_t{32}, size_t{64}, size_t{4095}, size_t{65536},
                       text.size() - 100, text.size() - 33, text.size() - 1}) {
        std::string bad = text;
        bad[pos] = '\x80';
        ExpectDecodesLikeOriginal(bad);
    }
}

#if defined(__x86_64__)
// The differential tests above would pass even if a vector kernel gave up at once and left all
// the work to the portable code; these check that the kernels take the bulk of valid text.
TEST_P(Base64KernelTest, VectorKernelsDoTheBulk) {
    using EncodeFn = size_t (*)(const unsigned char*, size_t, char*);
    using DecodeFn = size_t (*)(const char*, size_t, unsigned char*);
    EncodeFn encode = nullptr;
    DecodeFn decode = nullptr;
    size_t encode_left = 0;  // the most bytes encoding may leave from 34 bytes on
    switch (GetParam()) {
        case Kernel::kScalar:
            GTEST_SKIP() << "no vector kernel";
        case Kernel::kAvx2:
            encode = base64_internal::EncodeBulkAvx2;
            decode = base64_internal::DecodeBulkAvx2;
            encode_left = 6;
            break;
        case Kernel::kAvx512Vbmi:
            encode = base64_internal::EncodeBulkAvx512Vbmi;
            decode = base64_internal::DecodeBulkAvx512Vbmi;
            encode_left = 2;
            break;
    }
    std::mt19937_64 rng(10);
    for (size_t len = 0; len <= 400; ++len) {
        const std::string data = RandomBytes(rng, len);
        const std::string text = original::Encode(data);
        const auto data_copy = ExactCopy(data);
        const auto text_copy = ExactCopy(text);

        std::string chars(text.size(), '\0');
        const size_t encoded =
            encode(reinterpret_cast<const unsigned char*>(data_copy.get()), len, chars.data());
        ASSERT_EQ(encoded % 3, 0u);
        ASSERT_LE(encoded, len);
        if (len >= 34) {
            ASSERT_LE(len - encoded, encode_left) << "length " << len;
        }
        ASSERT_EQ(chars.substr(0, encoded / 3 * 4), text.substr(0, encoded / 3 * 4));

        // Decoding leaves the last group of four (which may hold padding), from 36 characters on.
        std::string bytes(Base64DecodedSize(text), '\0');
        const size_t decoded =
            decode(text_copy.get(), text.size(), reinterpret_cast<unsigned char*>(bytes.data()));
        ASSERT_EQ(decoded % 4, 0u);
        ASSERT_LE(decoded, text.size());
        if (text.size() >= 36) {
            ASSERT_EQ(decoded, text.size() - 4) << "length " << len;
        }
        ASSERT_EQ(bytes.substr(0, decoded / 4 * 3), data.substr(0, decoded / 4 * 3));
    }
}
#endif

INSTANTIATE_TEST_SUITE_P(Kernels, Base64KernelTest,
                         testing::Values(Kernel::kScalar, Kernel::kAvx2, Kernel::kAvx512Vbmi),
                         [](const testing::TestParamInfo<Kernel>& info) {
                             return std::string(base64_internal::KernelName(info.param));
                         });

}  // namespace
}  // namespace tarn
