#include "stream/hash_key.h"

#include <gtest/gtest.h>

namespace tarn::stream {
namespace {

const std::string kMax = "340282366920938463463374607431768211455";  // 2^128 - 1

TEST(HashKeyTest, PartitionKeyMd5Vectors) {
    // From `echo -n KEY | md5sum` read as a big-endian integer with python3's int(hex, 16).
    EXPECT_EQ(FormatHashKey(PartitionKeyHashKey("")), "281949768489412648962353822266799178366");
    EXPECT_EQ(FormatHashKey(PartitionKeyHashKey("a")), "16955237001963240173058271559858726497");
    EXPECT_EQ(FormatHashKey(PartitionKeyHashKey("abc")), "191415658344158766168031473277922803570");
    EXPECT_EQ(FormatHashKey(PartitionKeyHashKey("partitionKey-1")),
              "159499196025307651934328298402289840726");
    EXPECT_EQ(FormatHashKey(PartitionKeyHashKey("h\xc3\xa9llo")),
              "252973414135665226741597071662034525008");
}

TEST(HashKeyTest, RecordUsesExplicitHashKeyWhenGiven) {
    RecordInput r{"abc", "data", std::nullopt};
    EXPECT_EQ(RecordHashKey(r), PartitionKeyHashKey("abc"));
    r.explicit_hash_key = HashKeyFromU128(7);
    EXPECT_EQ(FormatHashKey(RecordHashKey(r)), "7");
}

// The batch form agrees with RecordHashKey for every record, explicit keys mixed in anywhere.
TEST(HashKeyTest, RecordHashKeysMatchOneByOne) {
    for (size_t n : {0, 1, 7, 33, 500}) {
        std::vector<std::string> keys;
        for (size_t i = 0; i < n; ++i) keys.push_back(std::string(i % 70, 'k') + std::to_string(i));
        std::vector<RecordInput> records(n);
        for (size_t i = 0; i < n; ++i) {
            records[i].partition_key = keys[i];
            if (i % 5 == 3) records[i].explicit_hash_key = HashKeyFromU128(Uint128{i} << 70);
        }
        for (bool with_explicit : {true, false}) {
            if (!with_explicit) {
                for (auto& r : records) r.explicit_hash_key.reset();
            }
            std::vector<HashKey> got(n);
            RecordHashKeys(records, got.data());
            for (size_t i = 0; i < n; ++i) EXPECT_EQ(got[i], RecordHashKey(records[i])) << i;
        }
    }
}

TEST(HashKeyTest, ParseBoundariesAndRoundTrip) {
    EXPECT_EQ(*ParseHashKey("0"), kMinHashKey);
    EXPECT_EQ(*ParseHashKey(kMax), kMaxHashKey);
    EXPECT_EQ(FormatHashKey(kMaxHashKey), kMax);
    EXPECT_EQ(FormatHashKey(*ParseHashKey("000123")), "123");
    const std::string mid = "170141183460469231731687303715884105728";  // 2^127
    EXPECT_EQ(FormatHashKey(*ParseHashKey(mid)), mid);
    EXPECT_EQ(HashKeyToU128(*ParseHashKey(mid)), Uint128{1} << 127);
}

TEST(HashKeyTest, ParseRejectsBadInput) {
    for (std::string bad : {"", "-1", "+1", "1.0", "12a", " 1", "1 ", "0x10"}) {
        auto r = ParseHashKey(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(r.status().message().find("ExplicitHashKey"), std::string::npos);
    }
    // 2^128 and beyond overflow.
    auto over = ParseHashKey("340282366920938463463374607431768211456");
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.status().message().find("greater than 2^128 - 1"), std::string::npos);
    EXPECT_FALSE(ParseHashKey(kMax + "0").ok());
    EXPECT_FALSE(ParseHashKey("999999999999999999999999999999999999999").ok());
    EXPECT_EQ(ParseHashKey("x", "NewStartingHashKey").status().message().rfind("Invalid New", 0),
              0u);
}

TEST(HashKeyTest, UniformRangesCoverTheSpace) {
    for (uint32_t n = 1; n <= 17; ++n) {
        auto ranges = UniformHashKeyRanges(n);
        ASSERT_EQ(ranges.size(), n);
        EXPECT_EQ(ranges.front().start, kMinHashKey) << n;
        EXPECT_EQ(ranges.back().end, kMaxHashKey) << n;
        for (uint32_t i = 0; i < n; ++i) {
            ASSERT_LE(ranges[i].start, ranges[i].end);
            if (i > 0) {
                EXPECT_EQ(HashKeyToU128(ranges[i - 1].end) + 1, HashKeyToU128(ranges[i].start))
                    << "n=" << n << " i=" << i;
            }
            if (i + 1 < n) {  // all but the last have floor(2^128 / n) keys
                const Uint128 width = HashKeyToU128(ranges[i].end) - HashKeyToU128(ranges[i].start);
                EXPECT_EQ(width + 1,
                          ((Uint128{1} << 127) / n) * 2 + (((Uint128{1} << 127) % n) * 2) / n);
            }
        }
    }
    // Kinesis's 2-shard layout.
    auto two = UniformHashKeyRanges(2);
    EXPECT_EQ(FormatHashKey(two[0].end), "170141183460469231731687303715884105727");
    EXPECT_EQ(FormatHashKey(two[1].start), "170141183460469231731687303715884105728");
    // 3 shards: each floor(2^128 / 3) keys, the last one takes the remainder (1 key).
    auto three = UniformHashKeyRanges(3);
    EXPECT_EQ(FormatHashKey(three[1].start), "113427455640312821154458202477256070485");
    EXPECT_EQ(FormatHashKey(three[2].start), "226854911280625642308916404954512140970");
}

TEST(HashKeyTest, RangeContainsIsInclusive) {
    HashKeyRange r{HashKeyFromU128(10), HashKeyFromU128(20)};
    EXPECT_TRUE(r.Contains(HashKeyFromU128(10)));
    EXPECT_TRUE(r.Contains(HashKeyFromU128(20)));
    EXPECT_FALSE(r.Contains(HashKeyFromU128(9)));
    EXPECT_FALSE(r.Contains(HashKeyFromU128(21)));
}

}  // namespace
}  // namespace tarn::stream
