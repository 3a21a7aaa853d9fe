#include "format/rle_bit_packing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace tarn::format {
namespace {

std::string Bytes(std::initializer_list<uint8_t> bytes) {
    return std::string(bytes.begin(), bytes.end());
}

std::vector<uint32_t> DecodeAll(std::string_view data, int width, size_t n) {
    RleBitPackedDecoder decoder(data, width);
    std::vector<uint32_t> out(n);
    auto got = decoder.Decode(out.data(), n);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got.value_or(0), n);
    return out;
}

TEST(RleBitPackingTest, SpecBitPackedExample) {
    // Encodings.md: values 0..7 at bit width 3, one bit-packed group.
    std::string out;
    RleBitPackedEncoder encoder(3, &out);
    for (uint32_t v = 0; v < 8; ++v) encoder.Put(v);
    encoder.Flush();
    EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));  // header (1 << 1) | 1
    EXPECT_EQ(DecodeAll(out, 3, 8), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleBitPackingTest, RleRun) {
    std::string out;
    RleBitPackedEncoder encoder(10, &out);
    for (int i = 0; i < 100; ++i) encoder.Put(0x2AB);
    encoder.Flush();
    EXPECT_EQ(out, Bytes({0xC8, 0x01, 0xAB, 0x02}));  // ULEB128(100 << 1), value LE in 2 bytes
    EXPECT_EQ(DecodeAll(out, 10, 100), std::vector<uint32_t>(100, 0x2AB));
}

TEST(RleBitPackingTest, DecodesHandWrittenMixedRuns) {
    // RLE: 3 x 1 at width 1; bit-packed: one group 1,0,1,0,0,0,0,1 = 0b10000101.
    const std::string data = Bytes({0x06, 0x01, 0x03, 0x85});
    EXPECT_EQ(DecodeAll(data, 1, 11), (std::vector<uint32_t>{1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1}));
}

TEST(RleBitPackingTest, ShortInputIsPaddedToAGroup) {
    std::string out;
    RleBitPackedEncoder encoder(2, &out);
    encoder.Put(3);
    encoder.Flush();
    EXPECT_EQ(out, Bytes({0x03, 0x03, 0x00}));
}

TEST(RleBitPackingTest, RoundTripsEveryWidthAndLength) {
    std::mt19937_64 rng(42);
    for (int width = 0; width <= 32; ++width) {
        const uint64_t max = width == 32 ? UINT32_MAX : (uint64_t{1} << width) - 1;
        for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 5000}) {
            std::vector<uint32_t> values(n);
            for (size_t i = 0; i < n; ++i) {
                // Mix long repeats with random literals.
                values[i] =
                    (rng() % 4 == 0 && i > 0) ? values[i - 1] : static_cast<uint32_t>(rng() & max);
                if ((i / 50) % 3 == 1) values[i] = static_cast<uint32_t>(max / 2);
            }
            std::string out;
            RleBitPackedEncoder encoder(width, &out);
            encoder.Put(values.data(), n);
            encoder.Flush();
            // Decode in uneven batches to cross run and group boundaries.
            RleBitPackedDecoder decoder(out, width);
            std::vector<uint32_t> got(n);
            size_t done = 0;
            size_t batch = 1;
            while (done < n) {
                auto k = decoder.Decode(got.data() + done, std::min(batch, n - done));
                ASSERT_TRUE(k.ok()) << k.status().ToString();
                ASSERT_GT(*k, 0u);
                done += *k;
                batch = batch * 3 + 1;
            }
            EXPECT_EQ(got, values) << "width " << width << " n " << n;
            EXPECT_EQ(decoder.position(), out.size());
        }
    }
}

TEST(RleBitPackingTest, LongRunsUseRle) {
    std::string out;
    RleBitPackedEncoder encoder(8, &out);
    for (int i = 0; i < 10000; ++i) encoder.Put(7);
    encoder.Flush();
    EXPECT_LE(out.size(), 4u);
}

TEST(RleBitPackingTest, StopsAtEndOfInput) {
    const std::string data = Bytes({0x06, 0x01});  // 3 x 1
    RleBitPackedDecoder decoder(data, 1);
    uint32_t out[10];
    auto got = decoder.Decode(out, 10);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, 3u);
}

void ExpectCorruption(const std::string& data, int width) {
    RleBitPackedDecoder decoder(data, width);
    std::vector<uint32_t> out(100);
    auto got = decoder.Decode(out.data(), out.size());
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption) << got.status().ToString();
    EXPECT_NE(got.status().message().find("byte"), std::string::npos);
}

TEST(RleBitPackingTest, CorruptInput) {
    ExpectCorruption(Bytes({0x80}), 3);                           // truncated header
    ExpectCorruption(Bytes({0x80, 0x80, 0x80, 0x80, 0x80}), 3);   // header too long
    ExpectCorruption(Bytes({0x05, 0x88, 0xC6, 0xFA}), 3);         // 2 groups, 1 present
    ExpectCorruption(Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 32);  // huge bit-packed run
    ExpectCorruption(Bytes({0x10, 0xAB}), 10);                    // RLE value truncated
    ExpectCorruption(Bytes({0x10}), 1);                           // RLE value missing
    ExpectCorruption(Bytes({0x10, 0x09}), 3);                     // value wider than width
    ExpectCorruption(Bytes({0x00}), 1);                           // empty run
}

TEST(RleBitPackingTest, BitWidthOf) {
    EXPECT_EQ(RleBitWidth(0), 0);
    EXPECT_EQ(RleBitWidth(1), 1);
    EXPECT_EQ(RleBitWidth(7), 3);
    EXPECT_EQ(RleBitWidth(8), 4);
    EXPECT_EQ(RleBitWidth(UINT32_MAX), 32);
}

// The bulk Put and PutRepeated take shortcuts; the stream must be the one of Put per value.
TEST(RleBitPackingTest, BulkPutsMatchOneByOne) {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 400; ++trial) {
        const int width = static_cast<int>(rng() % 33);
        const uint32_t mask = width == 32 ? UINT32_MAX : (uint32_t{1} << width) - 1;
        std::vector<uint32_t> values;
        const size_t n = rng() % 300;
        while (values.size() < n) {  // runs of random lengths, some values above the width
            const uint32_t v = rng() % 4 == 0 ? static_cast<uint32_t>(rng()) : rng() % 3;
            const size_t run = rng() % 3 == 0 ? rng() % 40 : 1 + rng() % 3;
            for (size_t k = 0; k < run && values.size() < n; ++k) values.push_back(v);
        }
        std::string one;
        RleBitPackedEncoder a(width, &one);
        for (uint32_t v : values) a.Put(v);
        a.Flush();
        std::string bulk;
        RleBitPackedEncoder b(width, &bulk);
        size_t i = 0;
        while (i < values.size()) {  // split into random pieces, some as repeated runs
            size_t k = 1 + rng() % 20;
            k = std::min(k, values.size() - i);
            size_t same = 1;
            while (same < k && values[i + same] == values[i]) ++same;
            if (same == k && rng() % 2 == 0) {
                b.PutRepeated(values[i], k);
            } else {
                b.Put(values.data() + i, k);
            }
            i += k;
        }
        b.Flush();
        ASSERT_EQ(one, bulk) << "trial " << trial << " width " << width;
        std::vector<uint32_t> back(values.size());
        RleBitPackedDecoder d(bulk, width);
        ASSERT_EQ(d.Decode(back.data(), back.size()).value_or(0), values.size());
        for (size_t j = 0; j < values.size(); ++j) ASSERT_EQ(back[j], values[j] & mask);
    }
}

}  // namespace
}  // namespace tarn::format
