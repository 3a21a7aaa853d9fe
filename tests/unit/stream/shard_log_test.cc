#include "stream/shard_log.h"

#include <gtest/gtest.h>

#include <map>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "stream/fault_file_io.h"
#include "stream/record_codec.h"
#include "testing/files.h"
#include "testing/log_capture.h"
#include "testing/temp_dir.h"

namespace tarn::stream {
namespace {

namespace fs = std::filesystem;
namespace lf = log_format;

std::string Data(uint64_t i) { return "record-" + std::to_string(i) + std::string(i % 37, 'd'); }

class ShardLogTest : public ::testing::Test {
public:
    ShardLogOptions Options() {
        ShardLogOptions o;
        o.dir = tmp_.path() + "/shard";
        o.shard_id = 3;
        o.segment_bytes = segment_bytes_;
        o.index_interval_bytes = 128;
        o.io = &io_;
        o.clock = &clock_;
        return o;
    }
    std::unique_ptr<ShardLog> OpenLog() {
        auto r = ShardLog::Open(Options());
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return r.ok() ? std::move(r).value() : nullptr;
    }
    // Appends records with data Data(next..next+n) in one call.
    Result<AppendInfo> AppendN(ShardLog& log, uint64_t n) {
        std::vector<std::string> data;
        std::vector<RecordInput> in;
        const uint64_t base = ToU64(log.next_offset());
        for (uint64_t i = 0; i < n; ++i) data.push_back(Data(base + i));
        for (uint64_t i = 0; i < n; ++i) in.push_back({"pk" + std::to_string(i % 3), data[i], {}});
        // partition keys are views of temporaries above: keep them alive.
        std::vector<std::string> keys;
        for (uint64_t i = 0; i < n; ++i) keys.push_back("pk" + std::to_string((base + i) % 3));
        for (uint64_t i = 0; i < n; ++i) in[i].partition_key = keys[i];
        return log.Append(in);
    }
    // Every durable record must be Data(offset) with key pk(offset%3), offsets dense from `first`.
    void ExpectRecords(const ShardLog& log, uint64_t first, uint64_t end) {
        auto batch = log.Read(Offset{first}, 1 << 20, 1 << 30);
        ASSERT_TRUE(batch.ok()) << batch.status().ToString();
        ASSERT_EQ(batch->records.size(), end - first);
        for (size_t i = 0; i < batch->records.size(); ++i) {
            const RecordView& r = batch->records[i];
            ASSERT_EQ(r.offset, Offset{first + i});
            ASSERT_EQ(r.data, Data(first + i));
            ASSERT_EQ(r.partition_key, "pk" + std::to_string((first + i) % 3));
        }
        EXPECT_EQ(batch->next_offset, Offset{end});
    }
    std::vector<fs::path> Segments() {
        std::vector<fs::path> out;
        for (auto& e : fs::directory_iterator(tmp_.path() + "/shard")) out.push_back(e.path());
        std::sort(out.begin(), out.end());
        return out;
    }

    testing::TempDir tmp_{"stream-shard-"};
    FaultFileIo io_{DefaultFileIo()};
    ManualClock clock_;
    uint64_t segment_bytes_ = 1024;
};

TEST_F(ShardLogTest, AppendSyncReadAcrossSegmentRolls) {
    auto log = OpenLog();
    for (int b = 0; b < 20; ++b) {
        auto info = AppendN(*log, 10);
        ASSERT_TRUE(info.ok()) << info.status().ToString();
        EXPECT_EQ(info->first, Offset{uint64_t(b) * 10});
        ASSERT_TRUE(log->Sync().ok());
    }
    EXPECT_GT(log->num_segments(), 4u);
    EXPECT_EQ(log->durable_offset(), Offset{200});
    ExpectRecords(*log, 0, 200);
    // A read from the middle, limited by count, crossing segments.
    auto b = log->Read(Offset{137}, 30, 1 << 20);
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->records.size(), 30u);
    for (size_t i = 0; i < 30; ++i) EXPECT_EQ(b->records[i].data, Data(137 + i));
    EXPECT_EQ(b->next_offset, Offset{167});
    // Limited by bytes: stops before exceeding, but returns at least one record.
    auto small = log->Read(Offset{5}, 100, 1);
    ASSERT_TRUE(small.ok());
    ASSERT_EQ(small->records.size(), 1u);
    auto some = log->Read(Offset{5}, 100, Data(5).size() + Data(6).size());
    ASSERT_EQ(some->records.size(), 2u);
    // Segment names are the first offsets, 20 digits.
    EXPECT_EQ(Segments().front().filename(), "00000000000000000000.seg");
}

// Drop-behind: durable bytes more than the window behind the end leave the page cache (in whole
// MiB steps), closed segments entirely once the active one fills the window; nothing is lost.
TEST_F(ShardLogTest, DropsPageCacheBehindTheWindow) {
    constexpr uint64_t kMiB = uint64_t{1} << 20;
    segment_bytes_ = 3 * kMiB;
    ShardLogOptions o = Options();
    o.cache_window_bytes = kMiB;
    auto opened = ShardLog::Open(o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ShardLog& log = **opened;
    const std::string data(4000, 'd');
    std::vector<RecordInput> batch(64, RecordInput{"pk", data, {}});
    std::map<std::string, uint64_t> dropped_to;  // per file: the end of its dropped prefix
    uint64_t total = 0;
    for (int round = 0; round < 46; ++round) {  // ~11.8 MiB: three rolls, 2.4 MiB active
        ASSERT_TRUE(log.Append(batch).ok());
        ASSERT_TRUE(log.Sync().ok());
        total += batch.size();
    }
    ASSERT_GE(log.num_segments(), 3u);
    for (const auto& d : io_.dropped_cache()) {
        uint64_t& to = dropped_to[d.path];
        EXPECT_EQ(d.pos, to) << d.path;  // each file is dropped front to back, no gaps, no repeats
        to = d.pos + d.size;
    }
    const auto segments = Segments();
    const uint64_t active_size = fs::file_size(segments.back());
    ASSERT_GE(active_size, 2 * kMiB) << "the test wants an active segment past window + 1 MiB";
    for (size_t i = 0; i < segments.size(); ++i) {
        const uint64_t size = fs::file_size(segments[i]);
        const uint64_t to = dropped_to[segments[i].string()];
        if (i + 1 < segments.size()) {
            EXPECT_EQ(to, size) << "closed segment " << i << " entirely dropped";
        } else {
            EXPECT_EQ(to % kMiB, 0u);
            EXPECT_GT(to, 0u);
            EXPECT_LE(to + kMiB, size) << "the active segment keeps its last MiB cached";
            EXPECT_GT(to + 2 * kMiB + 64 * 4100, size) << "and not much more";
        }
    }
    auto all = log.Read(Offset{0}, total + 1, uint64_t{1} << 30);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->records.size(), total);
    EXPECT_EQ(all->records.back().data, data);
}

TEST_F(ShardLogTest, UnsyncedRecordsAreInvisible) {
    auto log = OpenLog();
    ASSERT_TRUE(AppendN(*log, 5).ok());
    EXPECT_EQ(log->next_offset(), Offset{5});
    EXPECT_EQ(log->durable_offset(), Offset{0});
    auto b = log->Read(Offset{0}, 100, 1 << 20);
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(b->records.empty());
    ASSERT_TRUE(log->Sync().ok());
    ASSERT_TRUE(AppendN(*log, 5).ok());
    ExpectRecords(*log, 0, 5);
    ASSERT_TRUE(log->Sync().ok());
    ExpectRecords(*log, 0, 10);
}

TEST_F(ShardLogTest, ReopenKeepsRecordsAndContinuesOffsets) {
    {
        auto log = OpenLog();
        for (int i = 0; i < 7; ++i) {
            ASSERT_TRUE(AppendN(*log, 9).ok());
            ASSERT_TRUE(log->Sync().ok());
        }
    }
    auto log = OpenLog();
    EXPECT_EQ(log->first_offset(), Offset{0});
    EXPECT_EQ(log->durable_offset(), Offset{63});
    ExpectRecords(*log, 0, 63);
    auto info = AppendN(*log, 2);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->first, Offset{63});
    ASSERT_TRUE(log->Sync().ok());
    ExpectRecords(*log, 0, 65);
}

// Writes 5 synced records (one per append) to a single segment and returns the file size before
// the last one was written.
uint64_t WriteFive(ShardLogTest* t, std::unique_ptr<ShardLog> log,
                   Result<AppendInfo> (ShardLogTest::*append)(ShardLog&, uint64_t),
                   const std::string& file) {
    uint64_t before_last = 0;
    for (int i = 0; i < 5; ++i) {
        if (i == 4) before_last = fs::file_size(file);
        EXPECT_TRUE((t->*append)(*log, 1).ok());
        EXPECT_TRUE(log->Sync().ok());
    }
    return before_last;
}

TEST_F(ShardLogTest, TornTailAtEveryBytePositionIsCut) {
    segment_bytes_ = 1 << 20;
    const std::string file = Options().dir + "/" + SegmentFileName(Offset{0});
    uint64_t before_last = 0, full = 0;
    {
        before_last = WriteFive(this, OpenLog(), &ShardLogTest::AppendN, file);
        full = fs::file_size(file);
    }
    const std::string pristine = testing::ReadFile(file);
    testing::CapturedLog captured;
    auto check = [&](const std::string& content, const std::string& what) {
        std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
        auto log = OpenLog();
        ASSERT_NE(log, nullptr) << what;
        EXPECT_EQ(log->durable_offset(), Offset{4}) << what;
        ExpectRecords(*log, 0, 4);
        EXPECT_EQ(fs::file_size(file), before_last) << what;
        auto info = AppendN(*log, 1);
        ASSERT_TRUE(info.ok());
        EXPECT_EQ(info->first, Offset{4}) << what;  // the cut offset is reissued
        ASSERT_TRUE(log->Sync().ok());
        ExpectRecords(*log, 0, 5);
    };
    for (uint64_t cut = before_last + 1; cut < full; ++cut) {
        check(pristine.substr(0, cut), "cut at " + std::to_string(cut));
    }
    for (uint64_t pos = before_last; pos < full; ++pos) {
        std::string flipped = pristine;
        flipped[pos] ^= 0x10;
        check(flipped, "flip at " + std::to_string(pos));
    }
    EXPECT_FALSE(captured.Lines("stream.recovered").empty());
    // Cutting exactly at a frame boundary loses nothing that is there.
    std::ofstream(file, std::ios::binary | std::ios::trunc) << pristine.substr(0, before_last);
    auto log = OpenLog();
    EXPECT_EQ(log->durable_offset(), Offset{4});
}

TEST_F(ShardLogTest, CorruptRecordInANonLastSegmentIsCorruption) {
    {
        auto log = OpenLog();
        for (int i = 0; i < 10; ++i) {
            ASSERT_TRUE(AppendN(*log, 10).ok());
            ASSERT_TRUE(log->Sync().ok());
        }
        ASSERT_GT(log->num_segments(), 2u);
    }
    const fs::path first = Segments().front();
    std::string content = testing::ReadFile(first);
    const size_t pos = lf::kSegmentHeaderSize + 100;
    content[pos] ^= 0x01;
    std::ofstream(first, std::ios::binary | std::ios::trunc) << content;
    auto r = ShardLog::Open(Options());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_NE(r.status().message().find(first.string()), std::string::npos)
        << r.status().ToString();
    EXPECT_NE(r.status().message().find("at byte"), std::string::npos) << r.status().ToString();
}

TEST_F(ShardLogTest, UnknownSegmentVersionIsAClearError) {
    { OpenLog(); }
    const fs::path seg = Segments().front();
    char header[lf::kSegmentHeaderSize];
    EncodeSegmentHeader(SegmentHeader{9, 3, Offset{0}}, header);
    std::ofstream(seg, std::ios::binary | std::ios::trunc).write(header, sizeof(header));
    auto r = ShardLog::Open(Options());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
    EXPECT_NE(r.status().message().find("version 9"), std::string::npos);
}

TEST_F(ShardLogTest, SegmentOfAnotherShardIsCorruption) {
    { OpenLog(); }
    auto o = Options();
    o.shard_id = 4;
    auto r = ShardLog::Open(o);
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST_F(ShardLogTest, FindOffsetAtTimestamp) {
    auto log = OpenLog();
    const int64_t t0 =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
            .count();
    // Batch b (10 records) arrives at t0 + 10*b.
    for (int b = 0; b < 20; ++b) {
        auto info = AppendN(*log, 10);
        ASSERT_TRUE(info.ok());
        EXPECT_EQ(info->arrival_ms, t0 + 10 * b);
        ASSERT_TRUE(log->Sync().ok());
        clock_.Advance(std::chrono::milliseconds(10));
    }
    ASSERT_GT(log->num_segments(), 3u);
    EXPECT_EQ(*log->FindOffsetAtTimestamp(0), Offset{0});
    EXPECT_EQ(*log->FindOffsetAtTimestamp(t0), Offset{0});
    EXPECT_EQ(*log->FindOffsetAtTimestamp(t0 + 1), Offset{10});
    for (int b = 0; b < 20; ++b) {
        EXPECT_EQ(*log->FindOffsetAtTimestamp(t0 + 10 * b), Offset{uint64_t(b) * 10}) << b;
        EXPECT_EQ(*log->FindOffsetAtTimestamp(t0 + 10 * b - 5), Offset{uint64_t(b) * 10}) << b;
    }
    EXPECT_EQ(*log->FindOffsetAtTimestamp(t0 + 1000), Offset{200});
    // Unsynced records are not found.
    ASSERT_TRUE(AppendN(*log, 3).ok());
    EXPECT_EQ(*log->FindOffsetAtTimestamp(t0 + 200), Offset{200});
    // Arrival times never go backwards, even when the clock does.
    clock_.Set(ManualClock::kDefaultStart);
    auto info = AppendN(*log, 1);
    EXPECT_EQ(info->arrival_ms, t0 + 200);
}

TEST_F(ShardLogTest, RetentionDeletesOnlyWholeOldSegmentsBelowTheProtectedOffset) {
    auto log = OpenLog();
    for (int b = 0; b < 20; ++b) {
        ASSERT_TRUE(AppendN(*log, 10).ok());
        ASSERT_TRUE(log->Sync().ok());
        clock_.Advance(std::chrono::seconds(1));
    }
    const size_t segments = log->num_segments();
    ASSERT_GT(segments, 4u);
    // Nothing is protected enough: offset 0 keeps everything.
    auto none = log->DeleteSegmentsBefore(Offset{0});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->segments, 0u);
    // Protect offset 50: only segments ending at or below 50 go.
    auto some = log->DeleteSegmentsBefore(Offset{50});
    ASSERT_TRUE(some.ok());
    EXPECT_GT(some->segments, 0u);
    EXPECT_LE(ToU64(log->first_offset()), 50u);
    EXPECT_EQ(ToU64(log->first_offset()), some->records);
    ExpectRecords(*log, ToU64(log->first_offset()), 200);
    // Everything old and unprotected: all but the active segment.
    auto all = log->DeleteSegments(RetentionPolicy{});
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(log->num_segments(), 1u);
    EXPECT_EQ(Segments().size(), 1u);
    ExpectRecords(*log, ToU64(log->first_offset()), 200);
    // A read from before the trim horizon starts at it.
    auto b = log->Read(Offset{0}, 1, 1 << 20);
    EXPECT_EQ(b->records.front().offset, log->first_offset());
    // Reopen starts at the first remaining segment.
    const Offset first = log->first_offset();
    log.reset();
    log = OpenLog();
    EXPECT_EQ(log->first_offset(), first);
    EXPECT_EQ(log->durable_offset(), Offset{200});
}

TEST_F(ShardLogTest, RetentionHonoursTheCutoffTime) {
    auto log = OpenLog();
    const int64_t t0 =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
            .count();
    for (int b = 0; b < 20; ++b) {
        ASSERT_TRUE(AppendN(*log, 10).ok());
        ASSERT_TRUE(log->Sync().ok());
        clock_.Advance(std::chrono::seconds(1));
    }
    // Only segments whose last record arrived before t0 + 5 s (offsets < 60).
    auto r = log->DeleteSegments(RetentionPolicy{t0 + 5000, Offset{UINT64_MAX}});
    ASSERT_TRUE(r.ok());
    EXPECT_GT(r->segments, 0u);
    EXPECT_LE(ToU64(log->first_offset()), 60u);
    auto f = log->FindOffsetAtTimestamp(t0 + 5000);
    EXPECT_EQ(*f, Offset{50});
}

TEST_F(ShardLogTest, WriteFailureRollsBackAndLaterAppendsSucceed) {
    auto log = OpenLog();
    ASSERT_TRUE(AppendN(*log, 4).ok());
    ASSERT_TRUE(log->Sync().ok());
    for (int err : {ENOSPC, EIO}) {
        io_.FailWrites(err, 1, 25);  // a partial frame reaches the file
        auto r = AppendN(*log, 3);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.status().code(),
                  err == ENOSPC ? StatusCode::kResourceExhausted : StatusCode::kUnavailable);
        EXPECT_EQ(log->next_offset(), Offset{4});
        EXPECT_TRUE(log->writable());
        ExpectRecords(*log, 0, 4);
    }
    auto ok = AppendN(*log, 3);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->first, Offset{4});
    ASSERT_TRUE(log->Sync().ok());
    log.reset();
    log = OpenLog();
    ExpectRecords(*log, 0, 7);
}

TEST_F(ShardLogTest, SyncFailureDropsTheUnsyncedRecords) {
    auto log = OpenLog();
    ASSERT_TRUE(AppendN(*log, 4).ok());
    ASSERT_TRUE(log->Sync().ok());
    // Unsynced records span a segment roll: the new segments are removed again.
    ASSERT_TRUE(AppendN(*log, 40).ok());
    const size_t before = log->num_segments();
    ASSERT_GT(before, 1u);
    io_.FailSyncs(EIO, 1);
    Status s = log->Sync();
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_EQ(log->next_offset(), Offset{4});
    EXPECT_EQ(log->durable_offset(), Offset{4});
    EXPECT_EQ(log->num_segments(), 1u);
    ExpectRecords(*log, 0, 4);
    ASSERT_TRUE(AppendN(*log, 2).ok());
    ASSERT_TRUE(log->Sync().ok());
    log.reset();
    log = OpenLog();
    ExpectRecords(*log, 0, 6);
}

TEST_F(ShardLogTest, FailedRollbackRefusesAppendsUntilReopened) {
    auto log = OpenLog();
    ASSERT_TRUE(AppendN(*log, 4).ok());
    ASSERT_TRUE(log->Sync().ok());
    ASSERT_TRUE(AppendN(*log, 2).ok());
    io_.FailSyncs(EIO, 1);
    io_.FailTruncates(EIO, 1);
    EXPECT_EQ(log->Sync().code(), StatusCode::kUnavailable);
    EXPECT_FALSE(log->writable());
    EXPECT_EQ(AppendN(*log, 1).status().code(), StatusCode::kUnavailable);
    ExpectRecords(*log, 0, 4);  // still readable
    log.reset();
    log = OpenLog();  // the unsynced tail was valid on disk: recovery may keep it
    EXPECT_GE(ToU64(log->durable_offset()), 4u);
    ExpectRecords(*log, 0, ToU64(log->durable_offset()));
    ASSERT_TRUE(AppendN(*log, 1).ok());
    ASSERT_TRUE(log->Sync().ok());
}

TEST_F(ShardLogTest, TornSegmentHeaderOfTheLastSegmentIsRemoved) {
    {
        auto log = OpenLog();
        ASSERT_TRUE(AppendN(*log, 3).ok());
        ASSERT_TRUE(log->Sync().ok());
    }
    // A crash while creating the next segment left 11 bytes.
    std::ofstream(Options().dir + "/" + SegmentFileName(Offset{3}), std::ios::binary)
        << "TARNSEG\nxyz";
    auto log = OpenLog();
    EXPECT_EQ(log->num_segments(), 1u);
    EXPECT_EQ(log->durable_offset(), Offset{3});
    ASSERT_TRUE(AppendN(*log, 1).ok());
    ASSERT_TRUE(log->Sync().ok());
    ExpectRecords(*log, 0, 4);
}

}  // namespace
}  // namespace tarn::stream
