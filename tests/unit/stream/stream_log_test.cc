#include "stream/stream_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "stream/fault_file_io.h"
#include "testing/gate.h"
#include "testing/temp_dir.h"
#include "testing/wait.h"

namespace tarn::stream {
namespace {

class StreamLogTest : public ::testing::Test {
protected:
    std::unique_ptr<StreamLog> OpenLog(std::chrono::microseconds max_wait) {
        StreamLogOptions o;
        o.dir = tmp_.path() + "/events";
        o.num_shards = 2;
        o.segment_bytes = 64 << 10;
        o.max_wait = max_wait;
        o.io = &io_;
        auto r = StreamLog::Open(o);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return std::move(r).value();
    }

    testing::TempDir tmp_{"stream-log-"};
    FaultFileIo io_{DefaultFileIo()};
};

TEST_F(StreamLogTest, RequestsQueuedDuringACommitShareTheNextFsync) {
    auto log = OpenLog(std::chrono::microseconds(0));
    auto gate = std::make_shared<testing::Gate>();
    std::atomic<bool> hold{true};
    io_.SetSyncHook([gate, &hold] {
        if (hold.exchange(false)) gate->Enter();  // only the first commit's fsync waits
    });
    const uint64_t syncs_before = io_.file_syncs();
    RecordInput first{"k", "first", {}};
    std::atomic<int> done{0};
    std::vector<Result<AppendResult>> results(21, Status::Internal("not run"));
    log->Submit({std::span(&first, 1), {}, 0}, [&](Result<AppendResult> r) {
        results[0] = std::move(r);
        done++;
    });
    ASSERT_TRUE(gate->WaitInside(1));  // the writer is in the first fsync
    std::vector<std::string> data(20);
    std::vector<RecordInput> recs(20);
    for (int i = 0; i < 20; ++i) {
        data[i] = "r" + std::to_string(i);
        recs[i] = {"k", data[i], {}};
        log->Submit({std::span(&recs[i], 1), {}, 0}, [&, i](Result<AppendResult> r) {
            results[i + 1] = std::move(r);
            done++;
        });
    }
    EXPECT_EQ(done.load(), 0);  // nothing acknowledged before its fsync
    EXPECT_EQ(log->shard(0).durable_offset(), Offset{0});
    gate->Open();
    ASSERT_TRUE(testing::Eventually([&] { return done.load() == 21; }));
    EXPECT_EQ(io_.file_syncs() - syncs_before, 2u);  // 21 requests, two fsyncs
    for (int i = 0; i < 21; ++i) {
        ASSERT_TRUE(results[i].ok()) << results[i].status().ToString();
        EXPECT_EQ(results[i]->positions[0].offset, Offset{uint64_t(i)});
    }
    auto batch = log->shard(0).Read(Offset{0}, 100, 1 << 20);
    ASSERT_EQ(batch->records.size(), 21u);
    EXPECT_EQ(batch->records[0].data, "first");
    EXPECT_EQ(batch->records[20].data, "r19");
}

TEST_F(StreamLogTest, ConcurrentWritersLoseNothingAndKeepOrder) {
    auto log = OpenLog(std::chrono::microseconds(2000));
    const uint64_t syncs_before = io_.file_syncs();
    constexpr int kThreads = 8, kRequests = 60, kPerRequest = 5;
    std::vector<std::vector<AppendResult>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int q = 0; q < kRequests; ++q) {
                std::vector<std::string> data;
                std::vector<RecordInput> recs;
                std::vector<uint32_t> shard_of;
                for (int i = 0; i < kPerRequest; ++i) {
                    data.push_back("t" + std::to_string(t) + "-" + std::to_string(q) + "-" +
                                   std::to_string(i));
                    shard_of.push_back(static_cast<uint32_t>((t + i) % 2));
                }
                for (auto& d : data) recs.push_back({"pk", d, {}});
                auto r = log->AppendAndWait({recs, shard_of, 0});
                ASSERT_TRUE(r.ok()) << r.status().ToString();
                ASSERT_EQ(r->positions.size(), size_t{kPerRequest});
                // Durable when acknowledged.
                for (auto& p : r->positions) {
                    EXPECT_LT(p.offset, log->shard(p.shard).durable_offset());
                }
                got[t].push_back(std::move(r).value());
            }
        });
    }
    for (auto& th : threads) th.join();
    constexpr int kTotal = kThreads * kRequests * kPerRequest;
    std::map<std::pair<uint32_t, uint64_t>, std::string> expected;
    for (int t = 0; t < kThreads; ++t) {
        std::map<uint32_t, Offset> last;
        for (int q = 0; q < kRequests; ++q) {
            for (int i = 0; i < kPerRequest; ++i) {
                const RecordPosition& p = got[t][q].positions[i];
                EXPECT_EQ(p.shard, uint32_t((t + i) % 2));
                if (last.count(p.shard)) {
                    EXPECT_LT(last[p.shard], p.offset);  // per-shard order
                }
                last[p.shard] = p.offset;
                auto [it, inserted] = expected.emplace(
                    std::make_pair(p.shard, ToU64(p.offset)),
                    "t" + std::to_string(t) + "-" + std::to_string(q) + "-" + std::to_string(i));
                EXPECT_TRUE(inserted) << "offset handed out twice";
            }
        }
    }
    ASSERT_EQ(expected.size(), size_t{kTotal});
    size_t read = 0;
    for (uint32_t s = 0; s < 2; ++s) {
        auto b = log->shard(s).Read(Offset{0}, 1 << 20, 1 << 30);
        ASSERT_TRUE(b.ok());
        for (const RecordView& r : b->records) {
            EXPECT_EQ(expected.at({s, ToU64(r.offset)}), r.data);
            ++read;
        }
    }
    EXPECT_EQ(read, size_t{kTotal});
    const uint64_t syncs = io_.file_syncs() - syncs_before;
    EXPECT_LT(syncs, uint64_t{kThreads * kRequests}) << "group commit shares fsyncs";
    std::printf("%d requests, %llu fsyncs\n", kThreads * kRequests,
                static_cast<unsigned long long>(syncs));
}

TEST_F(StreamLogTest, DiskFullAndFsyncErrorsFailTheBatchAndTheLogRecovers) {
    auto log = OpenLog(std::chrono::microseconds(0));
    RecordInput rec{"k", "v", {}};
    ASSERT_TRUE(log->AppendAndWait({std::span(&rec, 1), {}, 1}).ok());
    io_.FailWrites(ENOSPC, 1, 7);
    auto full = log->AppendAndWait({std::span(&rec, 1), {}, 1});
    EXPECT_EQ(full.status().code(), StatusCode::kResourceExhausted);
    io_.FailSyncs(EIO, 1);
    auto eio = log->AppendAndWait({std::span(&rec, 1), {}, 1});
    EXPECT_EQ(eio.status().code(), StatusCode::kUnavailable);
    auto ok = log->AppendAndWait({std::span(&rec, 1), {}, 1});
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_EQ(ok->positions[0].offset, Offset{1});
    log.reset();
    log = OpenLog(std::chrono::microseconds(0));
    EXPECT_EQ(log->shard(1).durable_offset(), Offset{2});
    EXPECT_EQ(log->shard(1).Read(Offset{0}, 10, 1 << 20)->records.size(), 2u);
}

TEST_F(StreamLogTest, TheShardsOfOneCommitAreSyncedAtOnce) {
    auto log = OpenLog(std::chrono::microseconds(0));
    auto gate = std::make_shared<testing::Gate>();
    io_.SetSyncHook([gate] { gate->Enter(); });
    RecordInput recs[2] = {{"a", "to shard 0", {}}, {"b", "to shard 1", {}}};
    const uint32_t shard_of[2] = {0, 1};
    std::atomic<bool> done{false};
    Result<AppendResult> result = Status::Internal("not run");
    log->Submit({std::span(recs, 2), std::span(shard_of, 2), 0}, [&](Result<AppendResult> r) {
        result = std::move(r);
        done = true;
    });
    // Both fsyncs are inside the hook together: neither waits for the other to finish.
    EXPECT_TRUE(gate->WaitInside(2));
    gate->Open();
    ASSERT_TRUE(testing::Eventually([&] { return done.load(); }));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->positions[1].shard, 1u);
    EXPECT_EQ(log->shard(0).durable_offset(), Offset{1});
    EXPECT_EQ(log->shard(1).durable_offset(), Offset{1});
}

TEST_F(StreamLogTest, AFailedFsyncOfOneShardFailsOnlyTheRequestsWithRecordsThere) {
    auto log = OpenLog(std::chrono::microseconds(0));
    RecordInput rec{"k", "v", {}};
    ASSERT_TRUE(log->AppendAndWait({std::span(&rec, 1), {}, 0}).ok());
    ASSERT_TRUE(log->AppendAndWait({std::span(&rec, 1), {}, 1}).ok());
    io_.FailSyncs(EIO, 1);  // one of the two concurrent fsyncs fails
    RecordInput both[2] = {{"a", "x", {}}, {"b", "y", {}}};
    const uint32_t shard_of[2] = {0, 1};
    auto spanning = log->AppendAndWait({std::span(both, 2), std::span(shard_of, 2), 0});
    EXPECT_EQ(spanning.status().code(), StatusCode::kUnavailable);
    // The log goes on; a record is durable exactly when its answer said so.
    auto after = log->AppendAndWait({std::span(both, 2), std::span(shard_of, 2), 0});
    ASSERT_TRUE(after.ok()) << after.status().ToString();
}

TEST_F(StreamLogTest, InvalidRequestsAndClosedLogAnswerAtOnce) {
    auto log = OpenLog(std::chrono::microseconds(0));
    RecordInput no_key{"", "v", {}};
    EXPECT_EQ(log->AppendAndWait({std::span(&no_key, 1), {}, 0}).status().code(),
              StatusCode::kInvalidArgument);
    RecordInput rec{"k", "v", {}};
    EXPECT_EQ(log->AppendAndWait({std::span(&rec, 1), {}, 7}).status().code(),
              StatusCode::kInvalidArgument);
    log->Close();
    EXPECT_EQ(log->AppendAndWait({std::span(&rec, 1), {}, 0}).status().code(),
              StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tarn::stream
