#include "stream/stream_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "stream/fault_file_io.h"
#include "stream/hash_key.h"
#include "stream/sequence_number.h"
#include "stream/stream_log.h"
#include "stream/stream_metrics.h"
#include "testing/temp_dir.h"
#include "testing/wait.h"

namespace tarn::stream {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

class StreamServiceTest : public ::testing::Test {
protected:
    void SetUp() override { Reopen(); }

    StreamServiceOptions Options() {
        StreamServiceOptions o;
        o.dir = tmp_.path() + "/streams";
        o.segment_bytes = 4096;
        o.commit_max_wait = std::chrono::microseconds(0);
        o.retention_interval = milliseconds(0);
        o.io = &io_;
        o.clock = &clock_;
        o.limits = limits_;
        o.disk_budget_bytes = budget_;
        return o;
    }

    void Reopen() {
        service_.reset();
        auto s = StreamService::Open(Options());
        ASSERT_TRUE(s.ok()) << s.status().ToString();
        service_ = std::move(s).value();
    }

    void Create(const std::string& name, uint32_t shards) {
        CreateStreamRequest r;
        r.name = name;
        r.shard_count = shards;
        auto m = service_->CreateStream(r);
        ASSERT_TRUE(m.ok()) << m.status().ToString();
        service_->WaitForTransitions();
    }

    Result<PutRecordsResult> Put(const std::string& stream, const std::vector<RecordInput>& in) {
        std::promise<Result<PutRecordsResult>> p;
        service_->PutRecords(stream, in,
                             [&](Result<PutRecordsResult> r) { p.set_value(std::move(r)); });
        return p.get_future().get();
    }

    // Puts `n` records with keys "<prefix><i>" and data "d<prefix><i>"; all must succeed.
    PutRecordsResult PutKeys(const std::string& stream, const std::string& prefix, int n) {
        std::vector<std::string> keys, data;
        for (int i = 0; i < n; ++i) {
            keys.push_back(prefix + std::to_string(i));
            data.push_back("d" + prefix + std::to_string(i));
        }
        std::vector<RecordInput> in;
        for (int i = 0; i < n; ++i) in.push_back({keys[i], data[i], std::nullopt});
        auto r = Put(stream, in);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_EQ(r->failed_record_count, 0u);
        return std::move(r).value();
    }

    std::string Iterator(const std::string& stream, uint32_t shard, IteratorType type,
                         std::string seq = "", int64_t ts = 0) {
        ShardIteratorRequest r{stream, ShardDirName(shard), type, std::move(seq), ts};
        auto it = service_->GetShardIterator(r);
        EXPECT_TRUE(it.ok()) << it.status().ToString();
        return it.ok() ? *it : "";
    }

    // Every record of a shard from TRIM_HORIZON, as "partition key" strings.
    std::vector<std::string> ReadAll(const std::string& stream, uint32_t shard,
                                     GetRecordsResult* last = nullptr) {
        std::vector<std::string> keys;
        std::string it = Iterator(stream, shard, IteratorType::kTrimHorizon);
        for (int round = 0; round < 1000 && !it.empty(); ++round) {
            auto r = service_->GetRecords(it, 7);
            EXPECT_TRUE(r.ok()) << r.status().ToString();
            if (!r.ok()) break;
            for (const RecordView& v : r->batch.records) keys.emplace_back(v.partition_key);
            if (last) *last = *r;
            if (!r->next_iterator || r->batch.records.empty()) break;
            it = *r->next_iterator;
        }
        return keys;
    }

    int64_t NowMs() {
        return std::chrono::duration_cast<milliseconds>(clock_.Now().time_since_epoch()).count();
    }

    testing::TempDir tmp_{"stream-service-"};
    FaultFileIo io_{DefaultFileIo()};
    ManualClock clock_;
    ShardRateLimits limits_;
    uint64_t budget_ = 0;
    std::unique_ptr<StreamService> service_;
};

TEST_F(StreamServiceTest, CreateBecomesActiveAndPutsRouteByPartitionKeyHash) {
    CreateStreamRequest r{"events", 4, StreamMode::kProvisioned, {}};
    auto created = service_->CreateStream(r);
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(created->status, StreamStatus::kCreating);
    service_->WaitForTransitions();
    auto meta = service_->DescribeStream("events");
    ASSERT_TRUE(meta.ok());
    EXPECT_EQ(meta->status, StreamStatus::kActive);
    EXPECT_EQ(meta->shards[0].created_ms, meta->creation_ms);

    PutRecordsResult put = PutKeys("events", "k", 200);
    ASSERT_EQ(put.records.size(), 200u);
    std::map<uint32_t, std::vector<std::string>> expected;
    for (int i = 0; i < 200; ++i) {
        const std::string key = "k" + std::to_string(i);
        auto shard = meta->Route(PartitionKeyHashKey(key));
        ASSERT_TRUE(shard.ok());
        EXPECT_EQ(put.records[i].shard, *shard);
        auto seq = ParseSequenceNumber(FormatSequenceNumber(put.sequence(i)));
        ASSERT_TRUE(seq.ok());
        EXPECT_EQ(seq->shard_index, *shard);
        EXPECT_EQ(seq->stream_epoch_ms, static_cast<uint64_t>(meta->creation_ms));
        expected[*shard].push_back(key);
    }
    EXPECT_EQ(expected.size(), 4u);
    for (uint32_t s = 0; s < 4; ++s) EXPECT_EQ(ReadAll("events", s), expected[s]) << s;
}

TEST_F(StreamServiceTest, ExplicitHashKeyRoutesToItsShardAndArnWorks) {
    Create("events", 2);
    auto meta = service_->DescribeStream("events");
    std::vector<RecordInput> in{{"a", "x", meta->shards[1].hash_range.start},
                                {"a", "y", meta->shards[0].hash_range.end}};
    auto r = Put(meta->arn, in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->records[0].shard, 1u);
    EXPECT_EQ(r->records[1].shard, 0u);
}

TEST_F(StreamServiceTest, UnknownCreatingAndDeletingStreamsAreNotFound) {
    auto r = Put("nope", {{"k", "v", std::nullopt}});
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(r.status().message(), "Stream nope under account 000000000000 not found.");
    Create("events", 1);
    ASSERT_TRUE(service_->DeleteStream("events").ok());
    r = Put("events", {{"k", "v", std::nullopt}});
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
    ShardIteratorRequest q{"events", ShardDirName(0), IteratorType::kLatest, "", 0};
    EXPECT_EQ(service_->GetShardIterator(q).status().code(), StatusCode::kNotFound);
}

TEST_F(StreamServiceTest, EveryIteratorType) {
    Create("events", 1);
    auto first = PutKeys("events", "a", 3);
    clock_.Advance(std::chrono::seconds(10));
    const int64_t t2 = NowMs();
    auto second = PutKeys("events", "b", 2);

    auto read = [&](const std::string& it) {
        auto r = service_->GetRecords(it, 100);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        std::vector<std::string> keys;
        for (const auto& v : r->batch.records) {
            keys.emplace_back(v.partition_key);
            EXPECT_FALSE(r->SequenceNumberOf(v).empty());
        }
        return keys;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(read(Iterator("events", 0, IteratorType::kTrimHorizon)),
              (V{"a0", "a1", "a2", "b0", "b1"}));
    std::string latest = Iterator("events", 0, IteratorType::kLatest);
    EXPECT_EQ(read(latest), V{});
    EXPECT_EQ(read(Iterator("events", 0, IteratorType::kAtSequenceNumber,
                            FormatSequenceNumber(first.sequence(2)))),
              (V{"a2", "b0", "b1"}));
    EXPECT_EQ(read(Iterator("events", 0, IteratorType::kAfterSequenceNumber,
                            FormatSequenceNumber(first.sequence(2)))),
              (V{"b0", "b1"}));
    EXPECT_EQ(read(Iterator("events", 0, IteratorType::kAtTimestamp, "", t2)), (V{"b0", "b1"}));
    EXPECT_EQ(read(Iterator("events", 0, IteratorType::kAtTimestamp, "", NowMs() + 1000)), V{});
    // LATEST then sees records put after it was made.
    PutKeys("events", "c", 1);
    EXPECT_EQ(read(latest), V{"c0"});
    // A sequence number of another shard or beyond the tip is refused.
    ShardIteratorRequest q{"events", ShardDirName(0), IteratorType::kAtSequenceNumber,
                           FormatSequenceNumber({0, 0, Offset{0}}), 0};
    EXPECT_EQ(service_->GetShardIterator(q).status().code(), StatusCode::kInvalidArgument);
    q.sequence_number = FormatSequenceNumber(
        {static_cast<uint64_t>(service_->DescribeStream("events")->creation_ms), 0, Offset{99}});
    EXPECT_EQ(service_->GetShardIterator(q).status().code(), StatusCode::kInvalidArgument);
    q.shard_id = ShardDirName(5);
    EXPECT_EQ(service_->GetShardIterator(q).status().code(), StatusCode::kNotFound);
}

TEST_F(StreamServiceTest, IteratorsExpireAndGarbageIsInvalid) {
    Create("events", 1);
    PutKeys("events", "a", 3);
    std::string it = Iterator("events", 0, IteratorType::kTrimHorizon);
    auto r = service_->GetRecords(it, 1);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->next_iterator.has_value());
    EXPECT_GT(r->millis_behind_latest, -1);
    clock_.Advance(milliseconds(300'001));
    auto expired = service_->GetRecords(it, 1);
    EXPECT_EQ(expired.status().code(), StatusCode::kExpired);
    EXPECT_NE(expired.status().message().find("tolerated delay of 300000 milliseconds"),
              std::string::npos);
    // A next iterator carries a fresh creation time: made after the advance, it is valid.
    auto fresh = service_->GetRecords(Iterator("events", 0, IteratorType::kTrimHorizon), 1);
    ASSERT_TRUE(fresh.ok());
    clock_.Advance(milliseconds(200'000));
    EXPECT_TRUE(service_->GetRecords(*fresh->next_iterator, 1).ok());

    EXPECT_EQ(service_->GetRecords("garbage!", 1).status().code(), StatusCode::kInvalidArgument);
    std::string flipped = *fresh->next_iterator;
    flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
    EXPECT_EQ(service_->GetRecords(flipped, 1).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(service_->GetRecords(*fresh->next_iterator, 0).status().code(),
              StatusCode::kInvalidArgument);
}

TEST_F(StreamServiceTest, MillisBehindLatestIsZeroAtTheTip) {
    Create("events", 1);
    PutKeys("events", "a", 5);
    clock_.Advance(std::chrono::seconds(3));
    auto r = service_->GetRecords(Iterator("events", 0, IteratorType::kTrimHorizon), 2);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->millis_behind_latest, 3000);
    auto rest = service_->GetRecords(*r->next_iterator, 100);
    ASSERT_TRUE(rest.ok());
    EXPECT_EQ(rest->batch.records.size(), 3u);
    EXPECT_EQ(rest->millis_behind_latest, 0);
}

TEST_F(StreamServiceTest, DeleteThenRecreateRefusesOldIterators) {
    Create("events", 1);
    PutKeys("events", "a", 2);
    std::string old_it = Iterator("events", 0, IteratorType::kTrimHorizon);
    ASSERT_TRUE(service_->DeleteStream("events").ok());
    EXPECT_EQ(service_->GetRecords(old_it, 10).status().code(), StatusCode::kNotFound);
    service_->WaitForTransitions();
    EXPECT_FALSE(std::filesystem::exists(tmp_.path() + "/streams/events"));
    clock_.Advance(milliseconds(5));
    Create("events", 1);
    EXPECT_EQ(service_->GetRecords(old_it, 10).status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(ReadAll("events", 0).empty());
    PutKeys("events", "b", 1);
    EXPECT_EQ(ReadAll("events", 0), std::vector<std::string>{"b0"});
}

TEST_F(StreamServiceTest, RestartKeepsRecordsAndSequenceNumbers) {
    Create("events", 2);
    auto put = PutKeys("events", "k", 50);
    const auto before0 = ReadAll("events", 0), before1 = ReadAll("events", 1);
    Reopen();
    EXPECT_EQ(ReadAll("events", 0), before0);
    EXPECT_EQ(ReadAll("events", 1), before1);
    for (size_t i = 0; i < put.records.size(); ++i) {
        const PutRecordOutcome& o = put.records[i];
        const std::string sequence_number = FormatSequenceNumber(put.sequence(i));
        ShardIteratorRequest q{"events", ShardDirName(o.shard), IteratorType::kAtSequenceNumber,
                               sequence_number, 0};
        auto it = service_->GetShardIterator(q);
        ASSERT_TRUE(it.ok()) << it.status().ToString();
        auto r = service_->GetRecords(*it, 1);
        ASSERT_TRUE(r.ok());
        ASSERT_EQ(r->batch.records.size(), 1u);
        EXPECT_EQ(r->SequenceNumberOf(r->batch.records[0]), sequence_number);
    }
    // New puts continue the sequence after the old ones.
    auto more = PutKeys("events", "k", 50);
    for (size_t i = 0; i < 50; ++i) {
        EXPECT_GT(FormatSequenceNumber(more.sequence(i)), FormatSequenceNumber(put.sequence(i)));
    }
}

// Puts run on two threads while `reshard` runs; afterwards every acknowledged record is read back
// exactly once, no parent holds a record at or past its end offset, and reading a parent to its
// end reports its children.
void CheckReshardUnderLoad(StreamServiceTest* t, StreamService& service,
                           const std::function<Status()>& reshard) {
    std::atomic<bool> stop{false};
    std::vector<std::vector<PutRecordOutcome>> acked(2);
    std::vector<std::thread> producers;
    for (int p = 0; p < 2; ++p) {
        producers.emplace_back([&, p] {
            for (int round = 0; !stop || round < 3; ++round) {
                std::vector<std::string> keys;
                for (int i = 0; i < 20; ++i) {
                    keys.push_back("p" + std::to_string(p) + "-" + std::to_string(round) + "-" +
                                   std::to_string(i));
                }
                std::vector<RecordInput> in;
                for (const auto& k : keys) in.push_back({k, k, std::nullopt});
                std::promise<Result<PutRecordsResult>> done;
                service.PutRecords("events", in,
                                   [&](Result<PutRecordsResult> r) { done.set_value(r); });
                auto r = done.get_future().get();
                ASSERT_TRUE(r.ok()) << r.status().ToString();
                ASSERT_EQ(r->failed_record_count, 0u);
                acked[p].insert(acked[p].end(), r->records.begin(), r->records.end());
            }
        });
    }
    ASSERT_TRUE(testing::Eventually([&] { return acked[0].size() + acked[1].size() >= 100; }));
    Status st = reshard();
    stop = true;
    for (auto& th : producers) th.join();
    ASSERT_TRUE(st.ok()) << st.ToString();
    service.WaitForTransitions();
    auto meta = service.DescribeStream("events");
    ASSERT_TRUE(meta.ok());
    EXPECT_EQ(meta->status, StreamStatus::kActive);

    std::set<std::string> seen;
    size_t total = 0;
    for (const ShardMetadata& sm : meta->shards) {
        auto positions = service.Shards("events");
        ASSERT_TRUE(positions.ok());
        auto batch = service.Read("events", sm.index, Offset{0}, 100000, size_t{64} << 20);
        ASSERT_TRUE(batch.ok());
        for (const auto& v : batch->records) {
            EXPECT_TRUE(sm.hash_range.Contains(PartitionKeyHashKey(v.partition_key)));
            if (!sm.open()) {
                EXPECT_LT(ToU64(v.offset), *sm.end_offset);
            }
            seen.insert(FormatSequenceNumber(
                {static_cast<uint64_t>(meta->creation_ms), sm.index, v.offset}));
            ++total;
        }
        if (!sm.open()) {
            // The parent's log holds nothing past its end (sealed), and its end reports children.
            EXPECT_EQ(ToU64(batch->next_offset), *sm.end_offset);
            ShardIteratorRequest q{"events", sm.id(), IteratorType::kLatest, "", 0};
            auto it = service.GetShardIterator(q);
            ASSERT_TRUE(it.ok());
            auto end = service.GetRecords(*it, 10);
            ASSERT_TRUE(end.ok());
            EXPECT_FALSE(end->next_iterator.has_value());
            ASSERT_FALSE(end->child_shards.empty());
            for (const ChildShard& c : end->child_shards) {
                EXPECT_NE(std::find(c.parent_shards.begin(), c.parent_shards.end(), sm.id()),
                          c.parent_shards.end());
            }
            EXPECT_TRUE(sm.closed_ms.has_value());
        }
    }
    size_t acked_count = 0;
    for (const auto& a : acked) {
        for (const auto& o : a) {
            ++acked_count;
            const std::string sequence_number = FormatSequenceNumber(
                {static_cast<uint64_t>(meta->creation_ms), o.shard, o.offset});
            EXPECT_TRUE(seen.contains(sequence_number)) << sequence_number;
        }
    }
    EXPECT_EQ(total, acked_count);  // nothing stored that was not acknowledged, nothing twice
    (void)t;
}

TEST_F(StreamServiceTest, SplitShardUnderLoadLosesNothing) {
    Create("events", 2);
    CheckReshardUnderLoad(this, *service_, [&] {
        return service_->SplitShard("events", "shardId-000000000000",
                                    FormatU128(kMaxHashKeyValue / 4));
    });
    auto meta = service_->DescribeStream("events");
    EXPECT_EQ(meta->shards.size(), 4u);
    EXPECT_EQ(meta->OpenShardCount(), 3u);
    EXPECT_EQ(meta->shards[2].created_ms, NowMs());
}

TEST_F(StreamServiceTest, MergeShardsUnderLoadLosesNothing) {
    Create("events", 2);
    CheckReshardUnderLoad(this, *service_, [&] {
        return service_->MergeShards("events", "shardId-000000000000", "shardId-000000000001");
    });
    EXPECT_EQ(service_->DescribeStream("events")->OpenShardCount(), 1u);
}

TEST_F(StreamServiceTest, UpdateShardCountUnderLoadLosesNothingAndSurvivesRestart) {
    Create("events", 2);
    CheckReshardUnderLoad(this, *service_, [&] {
        auto before = service_->UpdateShardCount("events", 3);
        if (before.ok()) {
            EXPECT_EQ(before->OpenShardCount(), 2u);
        }
        return before.status();
    });
    auto meta = service_->DescribeStream("events");
    EXPECT_EQ(meta->OpenShardCount(), 3u);
    // A restart keeps the lineage, seals the parents again and routes to the children.
    Reopen();
    EXPECT_EQ(service_->DescribeStream("events")->shards, meta->shards);
    auto put = PutKeys("events", "after", 30);
    for (const auto& o : put.records) EXPECT_GE(o.shard, 2u);
}

TEST_F(StreamServiceTest, ReshardRulesAreChecked) {
    Create("events", 2);
    EXPECT_EQ(service_->SplitShard("events", "shardId-000000000009", "5").code(),
              StatusCode::kNotFound);
    EXPECT_EQ(service_->SplitShard("events", "shardId-000000000000", "0").code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(service_->UpdateShardCount("events", 5).status().code(),
              StatusCode::kInvalidArgument);
    ASSERT_TRUE(service_->UpdateShardCount("events", 2).ok());  // no-op
    EXPECT_EQ(service_->DescribeStream("events")->shards.size(), 2u);
    PutKeys("events", "k", 10);  // nothing was sealed by the refused requests
}

TEST_F(StreamServiceTest, RetentionKeepsWhatAConsumerHasNotCheckpointed) {
    Create("events", 1);
    for (int i = 0; i < 6; ++i) PutKeys("events", "r" + std::to_string(i) + "-", 100);
    ASSERT_TRUE(service_->RegisterConsumer("events", "delivery").ok());
    ASSERT_TRUE(service_->RegisterConsumer("events", "delivery").ok());  // idempotent
    auto shards = service_->Shards("events");
    ASSERT_TRUE(shards.ok());
    const Offset tip = (*shards)[0].durable_offset;
    clock_.Advance(hours(25));

    // No checkpoint yet: the consumer protects everything.
    auto r = service_->RunRetention();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->segments, 0u);
    EXPECT_EQ((*service_->Shards("events"))[0].first_offset, Offset{0});

    // Checkpointed halfway: segments wholly below it go, the rest stays.
    ASSERT_TRUE(service_->Checkpoint("events", "delivery", 0, Offset{300}).ok());
    ASSERT_TRUE(service_->Checkpoint("events", "delivery", 0, Offset{10}).ok());  // ignored
    EXPECT_EQ(service_->Checkpoints("events", "delivery")->at(0), Offset{300});
    const uint64_t deleted_before = StreamMetrics::Get().retention_deleted_segments.Value();
    r = service_->RunRetention();
    ASSERT_TRUE(r.ok());
    EXPECT_GT(r->segments, 0u);
    EXPECT_EQ(StreamMetrics::Get().retention_deleted_segments.Value() - deleted_before,
              r->segments);
    const Offset horizon = (*service_->Shards("events"))[0].first_offset;
    EXPECT_GT(horizon, Offset{0});
    EXPECT_LE(horizon, Offset{300});

    // Checkpoints survive a restart; without consumers everything old but the last segment goes.
    Reopen();
    EXPECT_EQ(service_->Checkpoints("events", "delivery")->at(0), Offset{300});
    ASSERT_TRUE(service_->DeregisterConsumer("events", "delivery").ok());
    ASSERT_TRUE(service_->RunRetention().ok());
    EXPECT_GT((*service_->Shards("events"))[0].first_offset, Offset{300});
    EXPECT_EQ((*service_->Shards("events"))[0].durable_offset, tip);
}

TEST_F(StreamServiceTest, RetentionKeepsRecentSegments) {
    Create("events", 1);
    for (int i = 0; i < 6; ++i) PutKeys("events", "r" + std::to_string(i) + "-", 100);
    clock_.Advance(hours(23));
    auto r = service_->RunRetention();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->segments, 0u);
}

TEST_F(StreamServiceTest, DiskBudgetForcesDeletionAndCountsIt) {
    budget_ = 8192;
    Reopen();
    Create("events", 1);
    for (int i = 0; i < 6; ++i) PutKeys("events", "r" + std::to_string(i) + "-", 100);
    ASSERT_TRUE(service_->RegisterConsumer("events", "delivery").ok());
    const uint64_t forced_before = StreamMetrics::Get().retention_forced_records.Value();
    auto r = service_->RunRetention();  // nothing is old, and the consumer protects all of it
    ASSERT_TRUE(r.ok());
    EXPECT_GT(r->segments, 0u);
    EXPECT_GT(r->records, 0u);
    EXPECT_EQ(StreamMetrics::Get().retention_forced_records.Value() - forced_before, r->records);
    EXPECT_EQ((*service_->Shards("events"))[0].first_offset, Offset{r->records});
    uint64_t bytes = 0;
    for (const auto& e : std::filesystem::directory_iterator(
             tmp_.path() + "/streams/events/shardId-000000000000")) {
        if (e.path().extension() == ".seg") bytes += e.file_size();
    }
    EXPECT_LE(bytes, budget_);
}

TEST_F(StreamServiceTest, RateLimitsRefuseRecordsOverTheBucket) {
    limits_.records_per_second = 10;
    Reopen();
    Create("events", 1);
    std::vector<std::string> keys;
    for (int i = 0; i < 15; ++i) keys.push_back("k" + std::to_string(i));
    std::vector<RecordInput> in;
    for (const auto& k : keys) in.push_back({k, "v", std::nullopt});
    auto r = Put("events", in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->failed_record_count, 5u);
    for (int i = 0; i < 15; ++i) {
        if (i < 10) {
            EXPECT_EQ(r->records[i].error, PutRecordError::kNone);
            EXPECT_TRUE(ParseSequenceNumber(FormatSequenceNumber(r->sequence(i))).ok());
        } else {
            EXPECT_EQ(r->records[i].error, PutRecordError::kThroughputExceeded);
            EXPECT_EQ(r->records[i].error_message,
                      "Rate exceeded for shard shardId-000000000000 in stream events under "
                      "account 000000000000.");
        }
    }
    EXPECT_EQ(ReadAll("events", 0).size(), 10u);  // the refused ones were not appended
    clock_.Advance(milliseconds(500));            // half a second refills 5
    r = Put("events", in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->failed_record_count, 10u);
}

TEST_F(StreamServiceTest, DiskFailureGivesInternalFailureAndTheLogStaysReadable) {
    Create("events", 1);
    PutKeys("events", "ok", 5);
    io_.FailSyncs(EIO, 1);
    auto r = Put("events", {{"bad", "x", std::nullopt}, {"bad2", "y", std::nullopt}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->failed_record_count, 2u);
    for (const auto& o : r->records) {
        EXPECT_EQ(o.error, PutRecordError::kInternalFailure);
        EXPECT_EQ(o.error_message, "Internal service failure.");
    }
    PutKeys("events", "again", 1);
    EXPECT_EQ(ReadAll("events", 0),
              (std::vector<std::string>{"ok0", "ok1", "ok2", "ok3", "ok4", "again0"}));
}

TEST_F(StreamServiceTest, ClosedServiceIsUnavailable) {
    Create("events", 1);
    service_->Close();
    EXPECT_EQ(Put("events", {{"k", "v", std::nullopt}}).status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(service_->DescribeStream("events").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tarn::stream
