#include "stream/sequence_number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace tarn::stream {
namespace {

constexpr uint64_t kEpoch = 1704067200000;  // 2024-01-01

TEST(SequenceNumberTest, FixedWidthLayout) {
    const std::string s = FormatSequenceNumber({kEpoch, 3, Offset{42}});
    ASSERT_EQ(s.size(), kSequenceNumberDigits);
    EXPECT_EQ(s.substr(0, 2), "49");
    EXPECT_EQ(s.substr(3, 13), "1704067200000");
    EXPECT_EQ(s.substr(16, 10), "0000000003");
    EXPECT_EQ(s.substr(26, 20), "00000000000000000042");
    EXPECT_TRUE(std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }));
    const std::string max =
        FormatSequenceNumber({kMaxStreamEpochMs, UINT32_MAX, Offset{UINT64_MAX}});
    EXPECT_EQ(max.size(), kSequenceNumberDigits);
    EXPECT_EQ(FormatSequenceNumber({0, 0, Offset{0}}).size(), kSequenceNumberDigits);
}

TEST(SequenceNumberTest, RoundTrip) {
    for (SequenceNumber seq :
         {SequenceNumber{kEpoch, 0, Offset{0}}, SequenceNumber{kEpoch, 7, Offset{123456789}},
          SequenceNumber{kMaxStreamEpochMs, UINT32_MAX, Offset{UINT64_MAX}},
          SequenceNumber{0, 0, Offset{0}}}) {
        auto back = ParseSequenceNumber(FormatSequenceNumber(seq));
        ASSERT_TRUE(back.ok()) << back.status().ToString();
        EXPECT_EQ(*back, seq);
    }
}

// Within a stream: string order == numeric order == (shard creation order, offset) order.
TEST(SequenceNumberTest, OrderMatchesShardThenOffset) {
    std::vector<SequenceNumber> seqs;
    for (uint32_t shard : {0u, 1u, 2u, 9u, 10u, 11u, 1000u, UINT32_MAX}) {
        for (uint64_t off :
             std::initializer_list<uint64_t>{0, 1, 9, 10, 99, 100, uint64_t{1} << 40, UINT64_MAX}) {
            seqs.push_back({kEpoch, shard, Offset{off}});
        }
    }
    std::vector<std::string> texts;
    for (const auto& s : seqs) texts.push_back(FormatSequenceNumber(s));
    for (size_t i = 1; i < seqs.size(); ++i) {
        ASSERT_LT(seqs[i - 1], seqs[i]);
        EXPECT_LT(texts[i - 1], texts[i]) << i;
        // Equal width, digits only: string order is numeric order.
        EXPECT_EQ(texts[i - 1].size(), texts[i].size());
    }
    // A child shard (higher index) sorts after everything of its parent.
    EXPECT_LT(FormatSequenceNumber({kEpoch, 4, Offset{UINT64_MAX}}),
              FormatSequenceNumber({kEpoch, 5, Offset{0}}));
}

TEST(SequenceNumberTest, RejectsJunk) {
    const std::string good = FormatSequenceNumber({kEpoch, 1, Offset{5}});
    std::vector<std::string> bad = {"",
                                    "49",
                                    good + "0",
                                    good.substr(1),
                                    "x" + good.substr(1),
                                    std::string(56, '0'),
                                    "50" + good.substr(2)};
    std::string flipped = good;
    flipped[40] = flipped[40] == '9' ? '8' : static_cast<char>(flipped[40] + 1);  // offset digit
    bad.push_back(flipped);
    std::string big_shard = good;
    big_shard.replace(16, 10, "9999999999");  // > 2^32 - 1
    bad.push_back(big_shard);
    std::string spaced = good;
    spaced[30] = ' ';
    bad.push_back(spaced);
    for (const std::string& b : bad) {
        auto r = ParseSequenceNumber(b, "StartingSequenceNumber");
        ASSERT_FALSE(r.ok()) << b;
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(r.status().message().rfind("Invalid StartingSequenceNumber", 0), 0u);
    }
}

TEST(SequenceNumberTest, RejectsForeignShardOrStream) {
    const std::string s = FormatSequenceNumber({kEpoch, 1, Offset{5}});
    EXPECT_TRUE(ParseSequenceNumberFor(s, kEpoch, 1).ok());
    auto other_shard = ParseSequenceNumberFor(s, kEpoch, 0, "StartingSequenceNumber");
    ASSERT_FALSE(other_shard.ok());
    EXPECT_EQ(other_shard.status().message(),
              "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used "
              "in a call to a shard with shardId-000000000000");
    auto other_stream = ParseSequenceNumberFor(s, kEpoch + 1, 1);
    ASSERT_FALSE(other_stream.ok());
    EXPECT_EQ(other_stream.status().code(), StatusCode::kInvalidArgument);
}

// The formatter caches the (epoch, shard) prefix and its CRC: across shard changes, extreme
// values and every digit width it must write exactly what FormatSequenceNumberTo writes.
TEST(SequenceNumberTest, FormatterMatchesFormatSequenceNumberTo) {
    const std::vector<uint32_t> shards = {0, 0, 1, 0, 7, UINT32_MAX, UINT32_MAX, 12345, 0};
    std::vector<uint64_t> offsets = {0, 1, 9, 10, 99, 100, 101, 999'999, UINT64_MAX,
                                     UINT64_MAX - 1};
    for (uint64_t v = 1; v < UINT64_MAX / 10; v *= 10) offsets.push_back(v * 7 + 3);
    for (uint64_t epoch : {uint64_t{0}, kEpoch, kMaxStreamEpochMs}) {
        SequenceNumberFormatter formatter(epoch);
        for (uint32_t shard : shards) {
            for (uint64_t offset : offsets) {
                std::string got(kSequenceNumberDigits, '?');
                formatter.FormatTo(shard, Offset{offset}, got.data());
                const std::string want = FormatSequenceNumber({epoch, shard, Offset{offset}});
                ASSERT_EQ(got, want) << epoch << " " << shard << " " << offset;
                auto parsed = ParseSequenceNumber(got);
                ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
                EXPECT_EQ(parsed->shard_index, shard);
                EXPECT_EQ(ToU64(parsed->offset), offset);
            }
        }
    }
}

}  // namespace
}  // namespace tarn::stream
