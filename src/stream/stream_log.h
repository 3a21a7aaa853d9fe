// StreamLog: the shards of one stream and their group commit.
//
// Callers Submit() append requests (records possibly spread over several shards) and get their
// callback only after every record of the request is fsynced and below its shard's durable
// watermark. One writer thread per StreamLog batches the pending requests: after the first one
// arrives it waits up to `max_wait` (or until `max_batch_bytes` are pending), then appends each
// shard's records with one write, fsyncs each written shard once, advances the watermarks and runs
// the callbacks. So concurrent requests share one fsync per shard.
//
// A request fails as a whole when any shard it touches fails (ResourceExhausted on a full disk,
// Unavailable on another I/O error; see ShardLog for the rollback); its records on other shards
// may then have been stored (at-least-once, as Kinesis PutRecords retried by a client).
//
// Resharding: EnsureShards() opens more shard logs in the running log (the shard table only grows,
// so a ShardLog& from shard() stays valid until the StreamLog is destroyed). Seal() is a barrier
// through the writer queue: every request submitted before it is committed first, then the named
// shards refuse appends (a request touching a sealed shard fails whole with FailedPrecondition)
// and their durable offsets are returned: the parents' end offsets. Unseal() undoes it (a
// reshard whose metadata could not be stored).
//
// Thread-safety: Submit(), AppendAndWait(), EnsureShards(), Seal(), Unseal() and the accessors may
// be called from any thread. Callbacks run on the writer thread: they must be short and must not
// call AppendAndWait(), Seal(), Unseal() or Close() (Submit() is fine).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/thread_pool.h"
#include "stream/file_io.h"
#include "stream/log_format.h"
#include "stream/record.h"
#include "stream/shard_log.h"

namespace tarn::stream {

struct StreamLogOptions {
    std::string dir;  // the stream's folder; shard i lives in dir/ShardDirName(i)
    uint32_t num_shards = 1;
    uint64_t segment_bytes = log_format::kDefaultSegmentBytes;
    uint32_t index_interval_bytes = log_format::kDefaultIndexIntervalBytes;
    // How long the writer waits for more requests after the first pending one; 0: no waiting
    // (requests that arrive while a commit runs still share the next one).
    std::chrono::microseconds max_wait{2000};
    size_t max_batch_bytes = size_t{4} << 20;  // commit at once when this much is pending
    uint64_t cache_window_bytes = kDefaultCacheWindowBytes;  // per shard (ShardLogOptions)
    FileIo* io = nullptr;                                    // nullptr: DefaultFileIo(). Not owned.
    Clock* clock = nullptr;  // nullptr: SystemClock. Arrival times only.
};

// REQUIRES for Submit: the viewed records (and shard_of) stay valid until the callback has run.
struct AppendRequest {
    std::span<const RecordInput> records;
    std::span<const uint32_t> shard_of;  // the shard of each record; empty: all go to `shard`
    uint32_t shard = 0;
};

struct RecordPosition {
    uint32_t shard = 0;
    Offset offset{};
    int64_t arrival_ms = 0;
};
// One position per record, in the request's order.
struct AppendResult {
    std::vector<RecordPosition> positions;
};
using AppendCallback = std::function<void(Result<AppendResult>)>;

// "shardId-<12 digits>", as Kinesis names shards.
std::string ShardDirName(uint32_t shard);
// The same name appended to `out` (answers that list many shards or records).
void AppendShardId(std::string& out, uint32_t shard);

class StreamLog {
public:
    // Opens (recovering) every shard and starts the writer thread.
    static Result<std::unique_ptr<StreamLog>> Open(StreamLogOptions options);
    // Close().
    ~StreamLog();
    StreamLog(const StreamLog&) = delete;
    StreamLog& operator=(const StreamLog&) = delete;

    // Queues `request`; `done` runs once, on the writer thread after the records are durable (or
    // with the error). Invalid requests (bad shard, key or data size) and requests after Close()
    // get their callback at once on the calling thread (InvalidArgument, Unavailable).
    void Submit(const AppendRequest& request, AppendCallback done);
    // Submit() and wait for the answer.
    Result<AppendResult> AppendAndWait(const AppendRequest& request);
    // Commits what is pending, then stops the writer; later submits fail with Unavailable.
    void Close();

    // Opens (recovering or creating) shards num_shards()..count-1; a no-op when they are open.
    Status EnsureShards(uint32_t count);
    // Commits everything submitted before, then refuses appends to `shards` and returns the durable
    // offset of each (in the order given). Unavailable after Close(); InvalidArgument for an
    // unknown shard.
    Result<std::vector<Offset>> Seal(std::span<const uint32_t> shards);
    // Accepts appends to `shards` again (after the requests submitted before).
    void Unseal(std::span<const uint32_t> shards);

    uint32_t num_shards() const { return num_shards_.load(std::memory_order_acquire); }
    // REQUIRES: shard < num_shards(). Readers use it directly; appends go through Submit().
    ShardLog& shard(uint32_t shard) { return *ShardPtr(shard); }
    const ShardLog& shard(uint32_t shard) const { return *ShardPtr(shard); }

private:
    struct Pending {
        AppendRequest request;
        AppendCallback done;
        size_t bytes;
        std::function<void()> barrier;  // set: run on the writer between commits, no records
    };

    explicit StreamLog(StreamLogOptions options);
    ShardLog* ShardPtr(uint32_t shard) const;
    // Queues `task` to run on the writer thread after every request queued before it; false after
    // Close() (then it never runs).
    bool RunOnWriter(std::function<void()> task);
    void Run();
    void Commit(std::vector<Pending>& batch);
    // Syncs the shards the commit appended to; a failure lands in that shard's shard_results_.
    void SyncShards();
    static constexpr size_t kSyncHelpers = 3;
    void RefreshWriterShards();
    Status RefuseSealed(const AppendRequest& request) const;

    const StreamLogOptions options_;
    mutable std::mutex shards_mu_;                   // guards shards_ (grows only)
    std::vector<std::shared_ptr<ShardLog>> shards_;  // guarded by shards_mu_
    std::atomic<uint32_t> num_shards_{0};
    std::mutex grow_mu_;  // serializes EnsureShards

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Pending> queue_;                              // guarded by mu_
    size_t queued_bytes_ = 0;                                // guarded by mu_
    std::chrono::steady_clock::time_point first_queued_at_;  // guarded by mu_
    bool closing_ = false;                                   // guarded by mu_
    std::mutex close_mu_;  // one Close() joins the writer; concurrent ones wait for it
    std::thread writer_;

    // Writer-thread state and scratch, reused across commits.
    std::vector<ShardLog*> writer_shards_;  // a copy of shards_ taken when it grew
    std::vector<uint8_t> sealed_;           // by shard: 1 when sealed
    std::vector<std::vector<RecordInput>> shard_records_;
    std::vector<Result<AppendInfo>> shard_results_;
    // Syncs every shard of a commit but one at once (made on the first commit touching two):
    // this VM's disk takes two concurrent fdatasyncs in about the time of one.
    std::unique_ptr<ThreadPool> sync_pool_;
};

}  // namespace tarn::stream
