#include "stream/stream_metadata.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tarn::stream {
namespace {

constexpr int64_t kNow = 1704067200000;

StreamMetadata Active(uint32_t shards, const StreamMetadataOptions& o = {}) {
    auto m = StreamMetadata::New("s1", shards, StreamMode::kProvisioned, kNow, o);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    m->status = StreamStatus::kActive;
    return *m;
}

std::string Key(Uint128 v) { return FormatU128(v); }

TEST(StreamMetadataTest, NewStreamLayout) {
    StreamMetadataOptions o;
    o.region = "eu-west-1";
    o.account = "123456789012";
    auto m = StreamMetadata::New("clicks", 3, StreamMode::kOnDemand, kNow, o);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->arn, "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks");
    EXPECT_EQ(m->status, StreamStatus::kCreating);
    EXPECT_EQ(m->retention_hours, 24u);
    EXPECT_EQ(m->next_shard_index, 3u);
    ASSERT_EQ(m->shards.size(), 3u);
    EXPECT_EQ(m->shards[2].id(), "shardId-000000000002");
    EXPECT_EQ(m->shards[0].hash_range, UniformHashKeyRanges(3)[0]);
    EXPECT_TRUE(m->Validate().ok());
    EXPECT_EQ(*StreamNameFromArn(m->arn, o), "clicks");
    EXPECT_FALSE(StreamNameFromArn(m->arn, StreamMetadataOptions{}).ok());
    EXPECT_EQ(*m->Route(kMinHashKey), 0u);
    EXPECT_EQ(*m->Route(kMaxHashKey), 2u);
    EXPECT_EQ(*m->Route(PartitionKeyHashKey("abc")), 1u);  // 1.91e38 is in the middle third
    EXPECT_EQ(m->StartingSequenceNumber(m->shards[1]),
              FormatSequenceNumber({uint64_t(kNow), 1, Offset{0}}));
    EXPECT_FALSE(m->EndingSequenceNumber(m->shards[1]).has_value());

    EXPECT_EQ(StreamMetadata::New("bad/name", 1, StreamMode::kProvisioned, kNow, o).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_FALSE(StreamMetadata::New("x", 0, StreamMode::kProvisioned, kNow, o).ok());
    EXPECT_FALSE(StreamMetadata::New("x", 501, StreamMode::kProvisioned, kNow, o).ok());
    EXPECT_TRUE(StreamMetadata::New("x", 500, StreamMode::kProvisioned, kNow, o).ok());
    EXPECT_EQ(*ParseShardId("shardId-000000000012"), 12u);
    EXPECT_FALSE(ParseShardId("shardId-12").ok());
    EXPECT_FALSE(ParseShardId("shardid-000000000012").ok());
}

TEST(StreamMetadataTest, SplitShardRulesAndLineage) {
    StreamMetadata m = Active(2);
    const Uint128 s1_start = HashKeyToU128(m.shards[1].hash_range.start);
    // Not ACTIVE.
    StreamMetadata creating = m;
    creating.status = StreamStatus::kCreating;
    auto st = creating.SplitShard("shardId-000000000000", "5", {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(st.message(),
              "Stream s1 under account 000000000000 not ACTIVE, instead in state CREATING.");
    // Unknown shard.
    st = m.SplitShard("shardId-000000000009", "5", {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kNotFound);
    EXPECT_EQ(st.message(),
              "Could not find shard shardId-000000000009 in stream s1 under account "
              "000000000000.");
    // Key not strictly inside: the shard's own start, or outside.
    st = m.SplitShard("shardId-000000000001", Key(s1_start), {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find("NewStartingHashKey"), std::string::npos);
    EXPECT_FALSE(m.SplitShard("shardId-000000000001", "5", {}, nullptr).ok());
    EXPECT_FALSE(m.SplitShard("shardId-000000000001", "abc", {}, nullptr).ok());
    EXPECT_EQ(m.shards.size(), 2u);  // errors change nothing
    EXPECT_EQ(m.status, StreamStatus::kActive);

    const Uint128 key = s1_start + 1000;
    ASSERT_TRUE(m.SplitShard("shardId-000000000001", Key(key), {}, [](uint32_t) -> uint64_t {
                     return 17;
                 }).ok());
    EXPECT_EQ(m.status, StreamStatus::kUpdating);
    ASSERT_EQ(m.shards.size(), 4u);
    EXPECT_FALSE(m.shards[1].open());
    EXPECT_EQ(*m.shards[1].end_offset, 17u);
    EXPECT_EQ(*m.EndingSequenceNumber(m.shards[1]),
              FormatSequenceNumber({uint64_t(kNow), 1, Offset{16}}));
    EXPECT_EQ(m.shards[2].id(), "shardId-000000000002");
    EXPECT_EQ(HashKeyToU128(m.shards[2].hash_range.start), s1_start);
    EXPECT_EQ(HashKeyToU128(m.shards[2].hash_range.end), key - 1);
    EXPECT_EQ(HashKeyToU128(m.shards[3].hash_range.start), key);
    EXPECT_EQ(m.shards[3].hash_range.end, kMaxHashKey);
    EXPECT_EQ(m.shards[2].parent, 1u);
    EXPECT_EQ(m.shards[3].parent, 1u);
    EXPECT_FALSE(m.shards[3].adjacent_parent.has_value());
    EXPECT_EQ(m.OpenShardCount(), 3u);
    EXPECT_TRUE(m.Validate().ok());
    EXPECT_EQ(*m.Route(HashKeyFromU128(key)), 3u);
    EXPECT_EQ(*m.Route(HashKeyFromU128(key - 1)), 2u);
    // The closed parent can't be split again.
    m.status = StreamStatus::kActive;
    st = m.SplitShard("shardId-000000000001", Key(key + 5), {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(),
              "Shard shardId-000000000001 in stream s1 under account 000000000000 has already "
              "been merged or split, and thus is not eligible for merging or splitting.");
    // The last key of the range is allowed (child [end, end]).
    EXPECT_TRUE(m.SplitShard("shardId-000000000003", Key(kMaxHashKeyValue), {}, nullptr).ok());
    EXPECT_EQ(m.shards.back().hash_range.start, kMaxHashKey);
    // An empty closed shard's ending number is its starting number.
    EXPECT_EQ(*m.EndingSequenceNumber(*m.FindShard(3)), m.StartingSequenceNumber(*m.FindShard(3)));
}

TEST(StreamMetadataTest, SplitRespectsShardLimit) {
    StreamMetadataOptions o;
    o.max_shards_per_stream = 2;
    StreamMetadata m = Active(2, o);
    auto st = m.SplitShard("shardId-000000000000", "5", o, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
    EXPECT_NE(st.message().find("shard limit"), std::string::npos);
}

TEST(StreamMetadataTest, MergeShardsRulesAndLineage) {
    StreamMetadata m = Active(3);
    auto st = m.MergeShards("shardId-000000000000", "shardId-000000000002", {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(),
              "Shards shardId-000000000000 and shardId-000000000002 in stream s1 under account "
              "000000000000 are not an adjacent pair of shards eligible for merging");
    EXPECT_FALSE(m.MergeShards("shardId-000000000000", "shardId-000000000000", {}, nullptr).ok());
    EXPECT_EQ(m.MergeShards("shardId-000000000000", "shardId-000000000007", {}, nullptr).code(),
              StatusCode::kNotFound);
    // Adjacent in either order: 2 then 1.
    ASSERT_TRUE(m.MergeShards("shardId-000000000002", "shardId-000000000001", {}, nullptr).ok());
    EXPECT_EQ(m.status, StreamStatus::kUpdating);
    ASSERT_EQ(m.shards.size(), 4u);
    const ShardMetadata& child = m.shards[3];
    EXPECT_EQ(child.parent, 2u);
    EXPECT_EQ(child.adjacent_parent, 1u);
    EXPECT_EQ(child.hash_range.start, m.shards[1].hash_range.start);
    EXPECT_EQ(child.hash_range.end, kMaxHashKey);
    EXPECT_FALSE(m.shards[1].open());
    EXPECT_FALSE(m.shards[2].open());
    EXPECT_TRUE(m.Validate().ok());
    m.status = StreamStatus::kActive;
    st = m.MergeShards("shardId-000000000000", "shardId-000000000001", {}, nullptr);
    EXPECT_NE(st.message().find("has already been merged or split"), std::string::npos);
}

TEST(StreamMetadataTest, UpdateShardCountUniformScaling) {
    StreamMetadata m = Active(2);
    auto st = m.UpdateShardCount(5, {}, nullptr);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(),
              "UpdateShardCount cannot scale up over double your current open shard count. "
              "Current open shard count: 2 Target shard count: 5");
    EXPECT_FALSE(m.UpdateShardCount(0, {}, nullptr).ok());
    StreamMetadataOptions small;
    small.max_shards_per_stream = 3;
    EXPECT_EQ(m.UpdateShardCount(4, small, nullptr).code(), StatusCode::kResourceExhausted);
    EXPECT_TRUE(m.UpdateShardCount(2, {}, nullptr).ok());  // no-op
    EXPECT_EQ(m.shards.size(), 2u);
    EXPECT_EQ(m.status, StreamStatus::kActive);

    ASSERT_TRUE(m.UpdateShardCount(3, {}, nullptr).ok());
    ASSERT_EQ(m.shards.size(), 5u);
    EXPECT_EQ(m.OpenShardCount(), 3u);
    EXPECT_TRUE(m.Validate().ok());
    for (uint32_t i = 2; i < 5; ++i)
        EXPECT_EQ(m.shards[i].hash_range, UniformHashKeyRanges(3)[i - 2]);
    // Old halves [0, h) and [h, max]; new thirds: 2 in old 0; 3 spans 0 and 1; 4 in old 1.
    EXPECT_EQ(m.shards[2].parent, 0u);
    EXPECT_FALSE(m.shards[2].adjacent_parent.has_value());
    EXPECT_EQ(m.shards[3].parent, 0u);
    EXPECT_EQ(m.shards[3].adjacent_parent, 1u);
    EXPECT_EQ(m.shards[4].parent, 1u);
    EXPECT_FALSE(m.shards[4].adjacent_parent.has_value());

    m.status = StreamStatus::kActive;
    st = m.UpdateShardCount(1, {}, nullptr);
    EXPECT_EQ(st.message(),
              "UpdateShardCount cannot scale down below half your current open shard count. "
              "Current open shard count: 3 Target shard count: 1");
    ASSERT_TRUE(m.UpdateShardCount(2, {}, nullptr).ok());
    EXPECT_EQ(m.OpenShardCount(), 2u);
    EXPECT_EQ(m.next_shard_index, 7u);
    EXPECT_EQ(m.shards[5].parent, 2u);
    EXPECT_EQ(m.shards[5].adjacent_parent, 3u);
    EXPECT_TRUE(m.Validate().ok());
}

TEST(StreamMetadataTest, RetentionAndTags) {
    StreamMetadata m = Active(1);
    EXPECT_EQ(m.IncreaseRetention(23).message(),
              "Minimum allowed retention period is 24 hours. Requested retention period (23 "
              "hours) is too short.");
    EXPECT_FALSE(m.IncreaseRetention(8761).ok());
    ASSERT_TRUE(m.IncreaseRetention(48).ok());
    EXPECT_EQ(m.IncreaseRetention(30).message(),
              "Requested retention period (30 hours) for stream s1 can not be shorter than "
              "existing retention period (48 hours). Use DecreaseRetentionPeriod API.");
    EXPECT_FALSE(m.DecreaseRetention(72).ok());
    ASSERT_TRUE(m.DecreaseRetention(30).ok());
    EXPECT_EQ(m.retention_hours, 30u);

    ASSERT_TRUE(m.AddTags({{"team", "data"}, {"env", "dev"}}).ok());
    std::map<std::string, std::string> many;
    for (int i = 0; i < 49; ++i) many["k" + std::to_string(i)] = "v";
    EXPECT_EQ(m.AddTags(many).code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(m.tags.size(), 2u);
    EXPECT_FALSE(m.AddTags({{"", "x"}}).ok());
    m.RemoveTags({"env", "missing"});
    EXPECT_EQ(m.tags, (std::map<std::string, std::string>{{"team", "data"}}));
}

TEST(StreamMetadataTest, RouterAgreesWithScanAfterResharding) {
    StreamMetadata m = Active(5);
    ASSERT_TRUE(m.SplitShard("shardId-000000000002",
                             Key(HashKeyToU128(m.shards[2].hash_range.start) + 77), {}, nullptr)
                    .ok());
    m.status = StreamStatus::kActive;
    ASSERT_TRUE(m.MergeShards("shardId-000000000003", "shardId-000000000004", {}, nullptr).ok());
    m.status = StreamStatus::kActive;
    ASSERT_TRUE(m.UpdateShardCount(7, {}, nullptr).ok());
    ASSERT_TRUE(m.Validate().ok());
    ShardRouter router(m);
    EXPECT_EQ(router.num_open_shards(), 7u);
    std::vector<HashKey> keys = {kMinHashKey, kMaxHashKey};
    for (const ShardMetadata& s : m.shards) {
        keys.push_back(s.hash_range.start);
        keys.push_back(s.hash_range.end);
    }
    for (int i = 0; i < 2000; ++i) keys.push_back(PartitionKeyHashKey("pk-" + std::to_string(i)));
    for (const HashKey& k : keys) {
        auto scanned = m.Route(k);
        ASSERT_TRUE(scanned.ok());
        EXPECT_EQ(router.Route(k), *scanned) << FormatHashKey(k);
        EXPECT_TRUE(m.FindShard(*scanned)->open());
    }
}

class StreamMetadataFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = ::testing::TempDir() + "meta_file_" + std::to_string(::getpid());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_;
};

TEST_F(StreamMetadataFileTest, SaveLoadRoundTrip) {
    StreamMetadata m = Active(2);
    ASSERT_TRUE(m.SplitShard("shardId-000000000000", "12345", {}, nullptr).ok());
    ASSERT_TRUE(m.AddTags({{"a", "b"}}).ok());
    m.mode = StreamMode::kOnDemand;
    ASSERT_TRUE(SaveStreamMetadata(dir_, m).ok());
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/stream.json.tmp"));
    auto back = LoadStreamMetadata(dir_);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, m);
    EXPECT_EQ(LoadStreamMetadata(dir_ + "/nope").status().code(), StatusCode::kNotFound);
}

TEST_F(StreamMetadataFileTest, TornOrGarbageFileIsCorruptionNamingTheFile) {
    const std::string text = Active(2).ToJson();
    const std::string path = dir_ + "/stream.json";
    for (const std::string& bad :
         {text.substr(0, text.size() / 2), std::string("\0\0\0garbage", 10), std::string(),
          std::string("[1,2,3]"),
          // Valid JSON, broken invariants: a shard range that leaves a gap.
          [&] {
              std::string t = text;
              t.replace(t.find("\"starting_hash_key\": \"0\""), 24, "\"starting_hash_key\": \"1\"");
              return t;
          }()}) {
        std::ofstream(path, std::ios::trunc | std::ios::binary) << bad;
        auto r = LoadStreamMetadata(dir_);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
        EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().ToString();
    }
    std::string future = text;
    future.replace(future.find("\"format_version\": 1"), 19, "\"format_version\": 9");
    std::ofstream(path, std::ios::trunc) << future;
    EXPECT_EQ(LoadStreamMetadata(dir_).status().code(), StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace tarn::stream
