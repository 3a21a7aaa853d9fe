#include "format/delta_binary_packed.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace tarn::format {
namespace {

std::string Bytes(std::initializer_list<uint8_t> bytes) {
    return std::string(bytes.begin(), bytes.end());
}

template <typename T>
std::string Encode(const std::vector<T>& values) {
    DeltaBinaryPackedEncoder<T> encoder;
    encoder.Put(values.data(), values.size());
    std::string out;
    encoder.Finish(&out);
    return out;
}

template <typename T>
std::vector<T> DecodeAll(std::string_view data) {
    auto decoder = DeltaBinaryPackedDecoder::Open(data);
    EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
    if (!decoder.ok()) return {};
    std::vector<T> out(decoder->total_values());
    auto got = decoder->Decode(out.data(), out.size());
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got.value_or(0), out.size());
    EXPECT_EQ(decoder->position(), data.size());
    return out;
}

TEST(DeltaBinaryPackedTest, SpecExampleOneToFive) {
    const std::vector<int64_t> values = {1, 2, 3, 4, 5};
    // Header 128, 4, 5, zigzag(1); block: zigzag(min delta 1), widths 0 0 0 0, no miniblock data.
    const std::string expected = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0});
    EXPECT_EQ(Encode(values), expected);
    EXPECT_EQ(DecodeAll<int64_t>(expected), values);
}

TEST(DeltaBinaryPackedTest, SpecExampleDownThenUp) {
    const std::vector<int64_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
    // Deltas -2 -2 -2 1 1 1 1, min delta -2, relative 0 0 0 3 3 3 3 at bit width 2: one
    // 32-value miniblock of 8 bytes.
    const std::string expected =
        Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0});
    EXPECT_EQ(Encode(values), expected);
    EXPECT_EQ(DecodeAll<int64_t>(expected), values);
}

TEST(DeltaBinaryPackedTest, EmptyAndSingle) {
    EXPECT_EQ(Encode(std::vector<int64_t>{}), Bytes({0x80, 0x01, 0x04, 0x00, 0x00}));
    EXPECT_TRUE(DecodeAll<int64_t>(Encode(std::vector<int64_t>{})).empty());
    EXPECT_EQ(Encode(std::vector<int64_t>{-3}), Bytes({0x80, 0x01, 0x04, 0x01, 0x05}));
    EXPECT_EQ(DecodeAll<int64_t>(Bytes({0x80, 0x01, 0x04, 0x01, 0x05})), std::vector<int64_t>{-3});
}

TEST(DeltaBinaryPackedTest, Int64Extremes) {
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    const std::vector<int64_t> values = {kMin, kMax, kMin, 0, kMax, kMax, -1, kMin, 1, kMin};
    EXPECT_EQ(DecodeAll<int64_t>(Encode(values)), values);
}

TEST(DeltaBinaryPackedTest, Int32ExtremesStayWithin32Bits) {
    constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
    constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
    const std::vector<int32_t> values = {kMin, kMax, kMin, 0, kMax, -1, kMin, 1};
    const std::string data = Encode(values);
    // Skip the four header varints and the min delta to reach the first miniblock's bit width.
    size_t pos = 0;
    for (int varint = 0; varint < 5; ++varint) {
        while (static_cast<uint8_t>(data[pos]) & 0x80) ++pos;
        ++pos;
    }
    EXPECT_EQ(static_cast<uint8_t>(data[pos]), 32);
    EXPECT_EQ(DecodeAll<int32_t>(data), values);
}

template <typename T>
void RoundTripRandom(uint32_t block_size, uint32_t miniblocks) {
    std::mt19937_64 rng(7);
    for (int width = 0; width <= static_cast<int>(8 * sizeof(T)); ++width) {
        for (size_t n : {0, 1, 2, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1000, 4097}) {
            std::vector<T> values(n);
            const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
            const T base = static_cast<T>(rng());
            for (auto& v : values) v = static_cast<T>(static_cast<uint64_t>(base) + (rng() & mask));
            DeltaBinaryPackedEncoder<T> encoder(block_size, miniblocks);
            encoder.Put(values.data(), n);
            std::string data;
            encoder.Finish(&data);
            data += "trailing";  // the decoder must stop at the stream's end
            auto decoder = DeltaBinaryPackedDecoder::Open(data);
            ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
            ASSERT_EQ(decoder->total_values(), n);
            std::vector<T> got(n);
            size_t done = 0;
            size_t batch = 1;
            while (done < n) {
                auto k = decoder->Decode(got.data() + done, std::min(batch, n - done));
                ASSERT_TRUE(k.ok()) << k.status().ToString();
                done += *k;
                batch = batch * 2 + 3;
            }
            EXPECT_EQ(got, values) << "width " << width << " n " << n;
            EXPECT_EQ(decoder->position(), data.size() - 8);
        }
    }
}

TEST(DeltaBinaryPackedTest, RoundTripsInt64) { RoundTripRandom<int64_t>(128, 4); }
TEST(DeltaBinaryPackedTest, RoundTripsInt32) { RoundTripRandom<int32_t>(128, 4); }
TEST(DeltaBinaryPackedTest, RoundTripsOtherBlockShapes) {
    RoundTripRandom<int64_t>(256, 2);
    RoundTripRandom<int32_t>(1024, 8);
}

void ExpectCorruption(const std::string& data) {
    auto decoder = DeltaBinaryPackedDecoder::Open(data);
    if (!decoder.ok()) {
        EXPECT_EQ(decoder.status().code(), StatusCode::kCorruption);
        return;
    }
    std::vector<int64_t> out(64);
    auto got = decoder->Decode(out.data(), out.size());
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption) << got.status().ToString();
    EXPECT_NE(got.status().message().find("byte"), std::string::npos);
}

TEST(DeltaBinaryPackedTest, CorruptInput) {
    ExpectCorruption(Bytes({0x80, 0x01, 0x04}));                          // truncated header
    ExpectCorruption(Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0}));  // widths truncated
    ExpectCorruption(Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            0}));  // bit width 65
    ExpectCorruption(Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0,
                            0x3F}));                          // miniblock past the end
    ExpectCorruption(Bytes({0x64, 0x04, 0x05, 0x02}));        // block size 100
    ExpectCorruption(Bytes({0x80, 0x01, 0x03, 0x05, 0x02}));  // 128 / 3 miniblocks
    // A count of 2^40 values with a few bytes of input.
    ExpectCorruption(
        Bytes({0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x02, 0x02, 0, 0, 0, 0}));
}

TEST(DeltaBinaryPackedTest, UnusedMiniblockWidthsMayBeAnything) {
    // As the 1..5 example, but the unused miniblocks claim width 200.
    const std::string data = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 200, 200, 200});
    EXPECT_EQ(DecodeAll<int64_t>(data), (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace tarn::format
