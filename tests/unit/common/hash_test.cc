#include "common/hash.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>

namespace tarn {
uint32_t Crc32cPortableForTest(const void* data, size_t size);

namespace {

TEST(HashTest, Md5KnownVectors) {
    // RFC 1321 test suite.
    EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
    EXPECT_EQ(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              "d174ab98d277d9f5a5611c2c9f419d9f");
    EXPECT_EQ(Md5Hex("1234567890123456789012345678901234567890"
                     "1234567890123456789012345678901234567890"),
              "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(HashTest, Md5MatchesOpenSslAtEveryLengthAroundTheBlockBoundaries) {
    // OpenSSL as the oracle: every length from 0 to 300 covers one- and two-block tails (55, 56,
    // 63, 64 bytes) and several whole blocks.
    std::mt19937 rng(11);
    for (size_t len = 0; len <= 300; ++len) {
        std::string data(len, '\0');
        for (char& c : data) c = static_cast<char>(rng());
        Md5Digest expected{};
        unsigned int size = 0;
        ASSERT_EQ(EVP_Digest(data.data(), data.size(), expected.data(), &size, EVP_md5(), nullptr),
                  1);
        EXPECT_EQ(Md5(data), expected) << "length " << len;
    }
}

TEST(HashTest, Crc32cKnownVectors) {
    EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
    EXPECT_EQ(Crc32c(""), 0u);
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xFF, and ascending bytes.
    std::string zeros(32, '\0'), ones(32, '\xff'), ascending(32, '\0');
    for (int i = 0; i < 32; ++i) ascending[i] = static_cast<char>(i);
    EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
    EXPECT_EQ(Crc32c(ones), 0x62A8AB43u);
    EXPECT_EQ(Crc32c(ascending), 0x46DD794Eu);
}

TEST(HashTest, Crc32cExtendEqualsWhole) {
    std::string data = "The quick brown fox jumps over the lazy dog, several times over.";
    for (size_t split = 0; split <= data.size(); ++split) {
        uint32_t a = Crc32c(data.data(), split);
        EXPECT_EQ(Crc32cExtend(a, data.data() + split, data.size() - split), Crc32c(data))
            << "split at " << split;
    }
}

TEST(HashTest, Crc32cHardwareAndPortableAgree) {
    std::mt19937 rng(42);
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 1000u, 4099u}) {
        std::string data(len, '\0');
        for (char& c : data) c = static_cast<char>(rng());
        EXPECT_EQ(Crc32c(data), Crc32cPortableForTest(data.data(), data.size())) << len;
    }
}

TEST(HashTest, HexEncode) {
    const uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    EXPECT_EQ(HexEncode(bytes, 4), "000fa0ff");
}

}  // namespace
}  // namespace tarn
