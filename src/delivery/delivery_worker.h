// DeliveryWorker: one delivery stream's consumer thread (see delivery_service.h for what it
// does). It polls its source stream every poll_interval (or when notified), keeps per-shard
// buffers of records read but not delivered, and delivers a shard's buffer through CommitRange
// when it is full, old enough, or flushed. Internal to the delivery module.
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "delivery/delivery_commit.h"
#include "delivery/delivery_service.h"

namespace tarn::delivery {

class DeliveryWorker {
public:
    DeliveryWorker(const DeliveryServiceOptions& options, Clock* clock,
                   std::shared_ptr<const Destination> destination, std::string source_stream,
                   uint64_t stream_epoch_ms);
    ~DeliveryWorker();  // Stop()
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    // Loads the shards' checkpoints from the catalog and starts the thread.
    Status Start();
    // Stops the thread after the range in progress (if any).
    void Stop();
    // Before Start: a range whose intent was left open by a crash; the first pass replays it
    // (rebuilt from the log with the intent's destination) and commits it.
    void AdoptIntent(catalog::CommitIntent intent, const SourceRange& range,
                     std::shared_ptr<const Destination> destination);
    // Used from the next range on.
    void SetDestination(std::shared_ptr<const Destination> destination);
    std::shared_ptr<const Destination> destination() const;
    const std::string& source_stream() const { return source_; }
    // Wakes the worker (new records were acknowledged).
    void Notify();

    DeliveryStatus GetStatus() const;
    Result<FlushResult> Flush(std::chrono::milliseconds timeout);

private:
    struct ShardBuffer {
        uint64_t committed = 0;  // the checkpoint: records below are in the lake
        uint64_t read_to = 0;    // records in [committed, read_to) are buffered
        std::vector<stream::RecordBatch> batches;
        uint64_t bytes = 0;
        uint64_t records = 0;
        Clock::TimePoint first_read{};
        // A range whose commit failed, retried as it was: its intent and destination.
        std::optional<catalog::CommitIntent> pending;
        std::shared_ptr<const Destination> pending_destination;
    };
    // A shard whose buffer is to be delivered now.
    struct DueRange {
        uint32_t shard = 0;
        ShardBuffer* buffer = nullptr;
        bool full = false;  // cut at SizeInMBs: more records may be waiting
    };
    void Run();
    // One pass over the source's shards. Returns false when an attempt failed (back off).
    bool Pass();
    // Creates or updates the shard's buffer from its position (checkpoint, trim horizon).
    void Prepare(const stream::ShardPosition& position);
    // Fills the shard's buffer; the range to deliver when it is full, old enough or flushed.
    Result<std::optional<DueRange>> Ready(const stream::ShardPosition& position);
    // Delivers the ranges, each on its own thread; one Status per range.
    std::vector<Status> DeliverAll(const std::vector<DueRange>& due);
    void RecordFailure(uint32_t shard, const Status& status);
    // Reads durable records into the buffer up to SizeInMBs; *full when it stopped there.
    Status Fill(const stream::ShardPosition& shard, ShardBuffer& buffer, bool* full);
    Status Deliver(uint32_t shard, ShardBuffer& buffer);
    // Recomputes the buffer and lag figures GetStatus reports. REQUIRES: mu_ held, on the
    // worker thread (it reads shards_).
    void PublishLocked();
    bool Eligible(const stream::ShardPosition& shard,
                  const std::vector<stream::ShardPosition>& all) const;

    const DeliveryServiceOptions options_;
    Clock* const clock_;
    const std::string source_;
    const uint64_t epoch_ms_;
    CommitDeps deps_;

    // Owned by the worker thread; during DeliverAll each delivering thread owns its shard's
    // buffer, whose figures change under mu_ (PublishLocked reads them all).
    std::map<uint32_t, ShardBuffer> shards_;
    std::map<uint32_t, uint64_t> durable_seen_;  // each shard's durable offset at the last look
    uint64_t failures_ = 0;  // attempts failed in a row

    // Shared with the callers; guarded by mu_.
    mutable std::mutex mu_;
    std::condition_variable cv_;            // notify / stop / flush requests
    std::condition_variable committed_cv_;  // a range was committed or an attempt failed
    bool stop_ = false;
    bool notified_ = false;
    std::shared_ptr<const Destination> destination_;
    std::map<uint32_t, uint64_t> committed_;      // shard -> checkpoint
    std::map<uint32_t, uint64_t> flush_targets_;  // shard -> offset to deliver up to
    uint64_t buffered_bytes_ = 0;
    uint64_t buffered_records_ = 0;
    uint64_t lag_records_ = 0;
    int64_t oldest_arrival_ms_ = 0;  // of the oldest record not yet committed; 0: none
    uint64_t records_delivered_ = 0;
    uint64_t bytes_delivered_ = 0;
    uint64_t objects_written_ = 0;
    uint64_t commits_ = 0;
    uint64_t source_records_committed_ = 0;
    std::map<std::string, uint64_t> error_records_;
    int64_t last_commit_ms_ = 0;
    std::string last_error_;
    std::thread thread_;
};

}  // namespace tarn::delivery
