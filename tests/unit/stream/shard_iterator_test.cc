#include "stream/shard_iterator.h"

#include <gtest/gtest.h>

#include "stream/stream_log.h"
#include "testing/temp_dir.h"

namespace tarn::stream {
namespace {

TEST(ShardIteratorTest, RoundTripsAndRefusesTamperedTokens) {
    ShardIteratorToken t{"events", 1704067200000, 7, Offset{123456}, 1704067299999};
    const std::string text = EncodeShardIterator(t);
    EXPECT_LE(text.size(), 512u);
    auto back = DecodeShardIterator(text);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, t);
    for (size_t i = 0; i < text.size(); i += 3) {
        std::string bad = text;
        bad[i] = bad[i] == 'Q' ? 'R' : 'Q';
        auto r = DecodeShardIterator(bad);
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << i;
    }
    EXPECT_EQ(DecodeShardIterator("").status().message(), "Invalid ShardIterator.");
}

TEST(StreamLogSealTest, SealedShardsRefuseAppendsAndNewShardsOpen) {
    testing::TempDir tmp{"stream-seal-"};
    StreamLogOptions o;
    o.dir = tmp.path() + "/s";
    o.num_shards = 1;
    o.max_wait = std::chrono::microseconds(0);
    auto log = StreamLog::Open(o);
    ASSERT_TRUE(log.ok());
    std::vector<RecordInput> in{{"k", "v", std::nullopt}, {"k", "w", std::nullopt}};
    ASSERT_TRUE((*log)->AppendAndWait({in, {}, 0}).ok());
    const uint32_t zero = 0;
    auto ends = (*log)->Seal({&zero, 1});
    ASSERT_TRUE(ends.ok());
    EXPECT_EQ((*ends)[0], Offset{2});
    EXPECT_EQ((*log)->AppendAndWait({in, {}, 0}).status().code(), StatusCode::kFailedPrecondition);
    ASSERT_TRUE((*log)->EnsureShards(3).ok());
    EXPECT_EQ((*log)->num_shards(), 3u);
    auto r = (*log)->AppendAndWait({in, {}, 2});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->positions[1].offset, Offset{1});
    (*log)->Unseal({&zero, 1});
    EXPECT_TRUE((*log)->AppendAndWait({in, {}, 0}).ok());
    EXPECT_EQ((*log)->shard(0).durable_offset(), Offset{4});
}

}  // namespace
}  // namespace tarn::stream
