#include "common/hash.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/md5_internal.h"

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

Md5Digest OpenSslMd5(std::string_view data) {
    Md5Digest digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_md5(), nullptr) != 1 ||
        size != digest.size()) {
        ADD_FAILURE() << "EVP_Digest failed";
    }
    return digest;
}

std::string RandomBytes(std::mt19937& rng, size_t len) {
    std::string data(len, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    return data;
}

TEST(HashTest, Md5ConstantsAreRfc1321Sines) {
    for (int i = 0; i < 64; ++i) {
        EXPECT_EQ(md5_internal::kK[i],
                  static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0)))
            << i;
    }
}

TEST(HashTest, Md5ManyMatchesMd5) {
    std::mt19937 rng(5);
    std::vector<std::string> data;
    for (int i = 0; i < 100; ++i) data.push_back(RandomBytes(rng, rng() % 200));
    std::vector<std::string_view> inputs(data.begin(), data.end());
    std::vector<Md5Digest> out(inputs.size());
    Md5Many(inputs, out.data());
    for (size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(out[i], Md5(inputs[i])) << i;
    Md5Many({}, nullptr);  // an empty batch writes nothing
}

// Every kernel Md5Many can use, run explicitly (skipped where the CPU lacks it).
class Md5KernelTest : public testing::TestWithParam<md5_internal::Kernel> {
protected:
    void SetUp() override {
        if (!md5_internal::KernelSupported(GetParam())) {
            GTEST_SKIP() << md5_internal::KernelName(GetParam()) << " not supported here";
        }
    }

    // Hashes `inputs` with the kernel and checks every digest against OpenSSL, and that nothing
    // past the last digest was written.
    void CheckAgainstOpenSsl(const std::vector<std::string_view>& inputs) {
        const Md5Digest sentinel = {0xde, 0xad, 0xbe, 0xef};
        std::vector<Md5Digest> out(inputs.size() + 1, sentinel);
        md5_internal::Md5ManyWith(GetParam(), inputs, out.data());
        for (size_t i = 0; i < inputs.size(); ++i) {
            ASSERT_EQ(out[i], OpenSslMd5(inputs[i]))
                << "input " << i << " of " << inputs.size() << ", length " << inputs[i].size();
        }
        EXPECT_EQ(out.back(), sentinel);
    }
};

TEST_P(Md5KernelTest, Rfc1321Vectors) {
    const std::vector<std::string_view> inputs = {
        "",
        "a",
        "abc",
        "message digest",
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890"};
    const char* expected[] = {
        "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
        "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
        "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
        "57edf4a22be3c955ac49da2e2107b67a"};
    // Alone, and repeated so that every lane of the widest kernel gets each vector.
    for (size_t copies : {1, 10}) {
        std::vector<std::string_view> batch;
        for (size_t c = 0; c < copies; ++c) batch.insert(batch.end(), inputs.begin(), inputs.end());
        std::vector<Md5Digest> out(batch.size());
        md5_internal::Md5ManyWith(GetParam(), batch, out.data());
        for (size_t i = 0; i < batch.size(); ++i) {
            EXPECT_EQ(HexEncode(out[i].data(), out[i].size()), expected[i % inputs.size()])
                << "\"" << batch[i] << "\"";
        }
    }
}

TEST_P(Md5KernelTest, EmptyBatchAndEmptyInputs) {
    Md5Digest untouched = {1, 2, 3};
    md5_internal::Md5ManyWith(GetParam(), {}, &untouched);
    EXPECT_EQ(untouched, (Md5Digest{1, 2, 3}));
    // Default-constructed views (a null data pointer) among others.
    std::vector<std::string_view> inputs(70);
    inputs[3] = "abc";
    inputs[40] = "message digest";
    CheckAgainstOpenSsl(inputs);
}

TEST_P(Md5KernelTest, InputsEndingAtAnUnmappedPage) {
    // Each input ends right before a page that may not be read: padding must read no byte past
    // an input's end (the AVX-512 kernel uses masked loads there).
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void* mapping =
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mapping, MAP_FAILED);
    auto* bytes = static_cast<char*>(mapping);
    std::mt19937 rng(31);
    for (size_t i = 0; i < page; ++i) bytes[i] = static_cast<char>(rng());
    ASSERT_EQ(mprotect(bytes + page, page, PROT_NONE), 0);
    std::vector<std::string_view> inputs;
    for (size_t len = 0; len <= 200; ++len) inputs.emplace_back(bytes + page - len, len);
    CheckAgainstOpenSsl(inputs);
    munmap(mapping, 2 * page);
}

TEST_P(Md5KernelTest, EveryLengthUpTo130) {
    // One batch holding lengths 0..130: one-, two- and three-block messages (55/56 and 119/120
    // bytes change the padded size) side by side in the lanes.
    std::mt19937 rng(3);
    std::vector<std::string> data;
    for (size_t len = 0; len <= 130; ++len) data.push_back(RandomBytes(rng, len));
    std::vector<std::string_view> inputs(data.begin(), data.end());
    CheckAgainstOpenSsl(inputs);
    // And each length alone and in a batch of equal lengths.
    for (size_t len = 0; len <= 130; ++len) {
        CheckAgainstOpenSsl({data[len]});
        CheckAgainstOpenSsl(std::vector<std::string_view>(40, data[len]));
    }
}

TEST_P(Md5KernelTest, RandomBatches) {
    std::mt19937 rng(17);
    for (int round = 0; round < 60; ++round) {
        const size_t count = rng() % 601;
        // Views at odd offsets into one buffer, so the blocks are not aligned.
        const std::string buffer = RandomBytes(rng, 301 * count + 1);
        std::vector<std::string_view> inputs;
        for (size_t i = 0; i < count; ++i) {
            inputs.push_back(std::string_view(buffer).substr(301 * i + rng() % 2, rng() % 301));
        }
        CheckAgainstOpenSsl(inputs);
    }
}

TEST_P(Md5KernelTest, EveryBatchSizeUpTo130) {
    // Batch sizes pick how many vectors a step uses (up to 4 of 8 or 16 lanes) and how many lanes
    // idle at the end.
    std::mt19937 rng(29);
    std::vector<std::string> data;
    for (int i = 0; i < 130; ++i) data.push_back(RandomBytes(rng, rng() % 130));
    for (size_t count = 0; count <= data.size(); ++count) {
        CheckAgainstOpenSsl(std::vector<std::string_view>(data.begin(), data.begin() + count));
    }
}

TEST_P(Md5KernelTest, LongInputsAmongShortOnes) {
    // Inputs of many blocks outlast the others: their lanes keep going once the short inputs are
    // done, and the last ones are finished by the scalar code from a lane's state.
    std::mt19937 rng(23);
    std::vector<std::string> data;
    for (size_t len : {5000, 1000, 3000, 64, 2000, 128, 4500}) {
        data.push_back(RandomBytes(rng, len));
    }
    for (int i = 0; i < 100; ++i) data.push_back(RandomBytes(rng, rng() % 60));
    data.push_back(RandomBytes(rng, 700));
    std::vector<std::string_view> inputs(data.begin(), data.end());
    CheckAgainstOpenSsl(inputs);
    std::reverse(inputs.begin(), inputs.end());
    CheckAgainstOpenSsl(inputs);
}

INSTANTIATE_TEST_SUITE_P(Kernels, Md5KernelTest, testing::ValuesIn(md5_internal::kAllKernels),
                         [](const testing::TestParamInfo<md5_internal::Kernel>& info) {
                             return std::string(md5_internal::KernelName(info.param));
                         });

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
// Crc32cMany equals Crc32c input by input: every batch size 0..13 (the 4-wide kernel and the rest),
// lengths 0..300 mixed so the common prefix and the tails both vary.
TEST(Crc32cTest, ManyMatchesOneByOne) {
    std::mt19937_64 rng(7);
    std::string pool(4096, '\0');
    for (char& c : pool) c = static_cast<char>(rng());
    for (size_t n = 0; n <= 13; ++n) {
        for (int round = 0; round < 20; ++round) {
            std::vector<std::string_view> inputs;
            for (size_t i = 0; i < n; ++i) {
                const size_t len = rng() % 301, at = rng() % (pool.size() - len);
                inputs.emplace_back(pool.data() + at, len);
            }
            std::vector<uint32_t> got(n + 1, 0xdeadbeef);
            Crc32cMany(inputs, got.data());
            for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[i], Crc32c(inputs[i])) << n << " " << i;
            EXPECT_EQ(got[n], 0xdeadbeefu);  // nothing written past the last
        }
    }
}

}  // namespace tarn

namespace tarn {
namespace {

// The hash-table hash: deterministic, sensitive to every byte (at every length and position, so
// the overlapping tail loads miss nothing), and collision-free on a million distinct short keys.
TEST(HashTest, HashBytesSeesEveryByteAndSpreadsKeys) {
    std::string base(64, 'x');
    for (size_t len = 0; len <= base.size(); ++len) {
        const std::string_view s(base.data(), len);
        EXPECT_EQ(HashBytes(s), HashBytes(std::string(s)));
        EXPECT_NE(HashBytes(s), HashBytes(s, 1)) << len;  // the seed matters
        for (size_t i = 0; i < len; ++i) {
            std::string flipped(s);
            flipped[i] ^= 1;
            EXPECT_NE(HashBytes(s), HashBytes(flipped)) << "length " << len << " byte " << i;
        }
        if (len > 0) {
            EXPECT_NE(HashBytes(s), HashBytes(base.data(), len - 1)) << len;
        }
    }
    std::unordered_set<uint64_t> seen;
    std::unordered_set<uint64_t> low_bits;  // the bits a small table indexes by
    for (int i = 0; i < 1'000'000; ++i) {
        const std::string key = "user-" + std::to_string(i);
        seen.insert(HashBytes(key));
        low_bits.insert(HashBytes(key) & 0xFFFFF);
    }
    EXPECT_EQ(seen.size(), 1'000'000u);
    EXPECT_GT(low_bits.size(), 600'000u);  // ~1 - 1/e of 2^20 buckets for random hashes: 663k
    std::unordered_set<uint64_t> ints;
    for (uint64_t i = 0; i < 1'000'000; ++i) ints.insert(HashInt(i) & 0xFFFFF);
    EXPECT_GT(ints.size(), 600'000u);
}

}  // namespace
}  // namespace tarn
