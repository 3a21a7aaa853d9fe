#include "delivery/delivery_worker.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>
#include <utility>

#include "common/logging.h"
#include "delivery/delivery_config_codec.h"

namespace tarn::delivery {
namespace {

constexpr size_t kReadRecords = 10'000;
constexpr uint64_t kMiB = uint64_t{1} << 20;

bool SameKeys(const catalog::CommitIntent& intent, const DeliveryBatch& batch) {
    std::vector<std::string> built;
    for (const DeliveredObject& o : batch.objects) built.push_back(o.key);
    std::vector<std::string> recorded = intent.keys;
    std::sort(built.begin(), built.end());
    std::sort(recorded.begin(), recorded.end());
    return built == recorded;
}

int64_t ToMs(Clock::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

DeliveryWorker::DeliveryWorker(const DeliveryServiceOptions& options, Clock* clock,
                               std::shared_ptr<const Destination> destination,
                               std::string source_stream, uint64_t stream_epoch_ms)
    : options_(options),
      clock_(clock),
      source_(std::move(source_stream)),
      epoch_ms_(stream_epoch_ms),
      deps_{options.streams, options.catalog, options.lake, options.store},
      destination_(std::move(destination)) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

Status DeliveryWorker::Start() {
    const std::string owner = DeliveryOwner(destination()->config.name);
    TARN_ASSIGN_OR_RETURN(auto checkpoints, options_.catalog->ListCheckpoints(owner));
    {
        std::lock_guard lock(mu_);
        for (const auto& [key, value] : checkpoints) {
            uint32_t shard = 0;
            uint64_t offset = 0;
            std::from_chars(key.data(), key.data() + key.size(), shard);
            std::from_chars(value.data(), value.data() + value.size(), offset);
            committed_[shard] = offset;
        }
    }
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
}

void DeliveryWorker::AdoptIntent(catalog::CommitIntent intent, const SourceRange& range,
                                 std::shared_ptr<const Destination> destination) {
    ShardBuffer& buffer = shards_[range.shard];
    buffer.committed = range.first;
    buffer.read_to = range.end;
    buffer.records = range.end - range.first;
    buffer.pending = std::move(intent);
    buffer.pending_destination = std::move(destination);
    std::lock_guard lock(mu_);
    committed_[range.shard] = range.first;
}

void DeliveryWorker::Stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    committed_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::SetDestination(std::shared_ptr<const Destination> destination) {
    std::lock_guard lock(mu_);
    destination_ = std::move(destination);
}

std::shared_ptr<const Destination> DeliveryWorker::destination() const {
    std::lock_guard lock(mu_);
    return destination_;
}

void DeliveryWorker::Notify() {
    {
        std::lock_guard lock(mu_);
        notified_ = true;
    }
    cv_.notify_all();
}

void DeliveryWorker::Run() {
    auto backoff = options_.retry_min;
    for (;;) {
        const bool ok = Pass();
        std::unique_lock lock(mu_);
        if (stop_) return;
        const auto wait = ok ? options_.poll_interval : backoff;
        backoff = ok ? options_.retry_min : std::min(backoff * 2, options_.retry_max);
        const auto deadline = clock_->Now() + wait;
        while (!stop_ && !notified_ && clock_->Now() < deadline) {
            clock_->WaitUntil(lock, cv_, deadline);
        }
        notified_ = false;
        if (stop_) return;
    }
}

bool DeliveryWorker::Eligible(const stream::ShardPosition& shard,
                              const std::vector<stream::ShardPosition>& all) const {
    // A child is read only once its parents are delivered to their end (Kinesis's order).
    for (std::optional<uint32_t> parent : {shard.shard.parent, shard.shard.adjacent_parent}) {
        if (!parent) continue;
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const auto& p) { return p.shard.index == *parent; });
        if (it == all.end()) continue;  // gone (retention): nothing left to deliver
        if (!it->shard.end_offset) return false;
        auto buffer = shards_.find(*parent);
        uint64_t done = buffer == shards_.end() ? 0 : buffer->second.committed;
        if (done < std::max(*it->shard.end_offset, ToU64(it->first_offset)) &&
            ToU64(it->first_offset) < *it->shard.end_offset) {
            return false;
        }
    }
    return true;
}

bool DeliveryWorker::Pass() {
    auto positions = options_.streams->Shards(source_);
    if (!positions.ok()) {
        std::lock_guard lock(mu_);
        last_error_ = positions.status().message();
        committed_cv_.notify_all();
        return false;
    }
    std::sort(positions->begin(), positions->end(),
              [](const auto& a, const auto& b) { return a.shard.index < b.shard.index; });
    std::vector<const stream::ShardPosition*> eligible;
    for (const stream::ShardPosition& position : *positions) {
        Prepare(position);
        if (Eligible(position, *positions)) eligible.push_back(&position);
    }
    bool all_ok = true;
    std::set<uint32_t> failed;
    // Each round fills every shard's buffer and delivers those that are due, shards in parallel
    // (compressing a range is the costly part and shards are independent); a shard whose buffer
    // was full goes round again, so a backlog drains in SizeInMBs steps.
    for (int round = 0; round < 64; ++round) {
        std::vector<DueRange> due;
        for (const stream::ShardPosition* position : eligible) {
            if (failed.contains(position->shard.index)) continue;
            auto ready = Ready(*position);
            if (!ready.ok()) {
                failed.insert(position->shard.index);
                RecordFailure(position->shard.index, ready.status());
                all_ok = false;
            } else if (*ready) {
                due.push_back(**ready);
            }
        }
        if (due.empty()) break;
        std::vector<Status> results = DeliverAll(due);
        bool again = false;
        for (size_t i = 0; i < due.size(); ++i) {
            if (!results[i].ok()) {
                failed.insert(due[i].shard);
                RecordFailure(due[i].shard, results[i]);
                all_ok = false;
            } else {
                failures_ = 0;
                again = again || due[i].full;
            }
        }
        if (!again) break;
    }
    std::lock_guard lock(mu_);
    PublishLocked();
    return all_ok;
}

void DeliveryWorker::Prepare(const stream::ShardPosition& position) {
    const uint32_t index = position.shard.index;
    auto [it, inserted] = shards_.try_emplace(index);
    ShardBuffer& buffer = it->second;
    std::lock_guard lock(mu_);
    if (inserted) {
        auto c = committed_.find(index);
        buffer.committed = c == committed_.end() ? 0 : c->second;
    }
    if (!buffer.pending && buffer.records == 0 && buffer.committed < ToU64(position.first_offset)) {
        // Retention (the disk budget) removed records this delivery never delivered.
        TARN_LOG_WARN("delivery.records_trimmed", {{"stream", source_},
                                                   {"shard", static_cast<uint64_t>(index)},
                                                   {"from", buffer.committed},
                                                   {"to", ToU64(position.first_offset)}});
        buffer.committed = ToU64(position.first_offset);
    }
    if (buffer.read_to < buffer.committed) buffer.read_to = buffer.committed;
    committed_[index] = buffer.committed;
    durable_seen_[index] = ToU64(position.durable_offset);
}

Result<std::optional<DeliveryWorker::DueRange>> DeliveryWorker::Ready(
    const stream::ShardPosition& position) {
    const uint32_t index = position.shard.index;
    ShardBuffer& buffer = shards_[index];
    bool full = false;
    if (!buffer.pending) TARN_RETURN_IF_ERROR(Fill(position, buffer, &full));
    if (buffer.records == 0) return std::optional<DueRange>();
    const auto interval =
        std::chrono::seconds(destination()->config.buffering.interval_seconds);
    bool flush_wanted;
    {
        std::lock_guard lock(mu_);
        auto t = flush_targets_.find(index);
        flush_wanted = t != flush_targets_.end() && t->second > buffer.committed;
    }
    const bool due = clock_->Now() - buffer.first_read >= interval;
    if (!(full || due || flush_wanted || buffer.pending)) return std::optional<DueRange>();
    return std::optional<DueRange>(DueRange{index, &buffer, full});
}

std::vector<Status> DeliveryWorker::DeliverAll(const std::vector<DueRange>& due) {
    std::vector<Status> results(due.size());
    std::vector<std::thread> helpers;
    for (size_t i = 1; i < due.size(); ++i) {
        helpers.emplace_back([&, i] { results[i] = Deliver(due[i].shard, *due[i].buffer); });
    }
    results[0] = Deliver(due[0].shard, *due[0].buffer);
    for (std::thread& t : helpers) t.join();
    return results;
}

void DeliveryWorker::RecordFailure(uint32_t shard, const Status& status) {
    ++failures_;
    TARN_LOG_WARN("delivery.attempt_failed", {{"delivery", destination()->config.name},
                                              {"shard", static_cast<uint64_t>(shard)},
                                              {"failures", failures_},
                                              {"error", status.message()}});
    std::lock_guard lock(mu_);
    last_error_ = status.message();
    committed_cv_.notify_all();
}

void DeliveryWorker::PublishLocked() {
    uint64_t bytes = 0, records = 0, lag = 0;
    int64_t oldest = 0;
    for (const auto& [index, buffer] : shards_) {
        bytes += buffer.bytes;
        records += buffer.records;
        auto durable = durable_seen_.find(index);
        if (durable != durable_seen_.end() && durable->second > buffer.committed) {
            lag += durable->second - buffer.committed;
        }
        if (!buffer.batches.empty() && !buffer.batches[0].records.empty()) {
            const int64_t arrival = buffer.batches[0].records[0].arrival_ms;
            if (oldest == 0 || arrival < oldest) oldest = arrival;
        }
    }
    buffered_bytes_ = bytes;
    buffered_records_ = records;
    lag_records_ = lag;
    oldest_arrival_ms_ = oldest;
}

Status DeliveryWorker::Fill(const stream::ShardPosition& position, ShardBuffer& buffer,
                            bool* full) {
    const uint64_t durable = ToU64(position.durable_offset);
    const uint64_t limit = static_cast<uint64_t>(destination()->config.buffering.size_mb) * kMiB;
    while (buffer.read_to < durable) {
        if (buffer.bytes >= limit) {
            *full = true;
            return Status::Ok();
        }
        TARN_ASSIGN_OR_RETURN(
            stream::RecordBatch batch,
            options_.streams->Read(source_, position.shard.index, stream::Offset{buffer.read_to},
                                   kReadRecords, limit - buffer.bytes + kMiB));
        if (batch.records.empty()) break;
        size_t keep = 0;
        for (const stream::RecordView& record : batch.records) {
            if (buffer.records > 0 && buffer.bytes + record.data.size() > limit) {
                *full = true;
                break;
            }
            if (buffer.records == 0) buffer.first_read = clock_->Now();
            buffer.bytes += record.data.size();
            ++buffer.records;
            ++keep;
        }
        if (keep == 0) break;
        if (keep < batch.records.size()) {
            batch.records.resize(keep);
            buffer.read_to = ToU64(batch.records.back().offset) + 1;
        } else {
            buffer.read_to = ToU64(batch.next_offset);
        }
        buffer.batches.push_back(std::move(batch));
        if (*full) return Status::Ok();
    }
    return Status::Ok();
}

Status DeliveryWorker::Deliver(uint32_t shard, ShardBuffer& buffer) {
    const SourceRange range{source_, epoch_ms_, shard, buffer.committed, buffer.read_to};
    if (!buffer.pending_destination) buffer.pending_destination = destination();
    const std::shared_ptr<const Destination> dest = buffer.pending_destination;
    DeliveryBatch built;
    if (buffer.batches.empty()) {
        // A replayed intent: its records are read back from the log.
        TARN_ASSIGN_OR_RETURN(built, BuildRangeFromLog(*options_.streams, dest, range, true));
    } else {
        DeliveryBatchBuilder builder(dest, epoch_ms_, shard, range.first, /*infer_columns=*/true);
        for (const stream::RecordBatch& batch : buffer.batches) {
            for (const stream::RecordView& record : batch.records) builder.Add(record);
        }
        TARN_ASSIGN_OR_RETURN(built, builder.Finish());
    }
    if (buffer.pending && !SameKeys(*buffer.pending, built)) {
        // Never happens when replay is deterministic; if it does, roll the intent back (its
        // objects were never committed) and deliver the range anew.
        TARN_LOG_ERROR("delivery.replay_mismatch", {{"delivery", dest->config.name},
                                                    {"shard", static_cast<uint64_t>(shard)},
                                                    {"first", range.first},
                                                    {"end", range.end}});
        TARN_RETURN_IF_ERROR(options_.lake->Abort(*buffer.pending));
        buffer.pending.reset();
    }
    const uint64_t source_records = built.source_records;
    TARN_ASSIGN_OR_RETURN(RangeCommitted committed,
                          CommitRange(deps_, *dest, range, std::move(built), buffer.pending));
    buffer.pending_destination.reset();
    const int64_t now_ms = ToMs(clock_->Now());
    TARN_LOG_DEBUG("delivery.committed", {{"delivery", dest->config.name},
                                          {"shard", static_cast<uint64_t>(shard)},
                                          {"first", range.first},
                                          {"end", range.end},
                                          {"objects", committed.objects},
                                          {"bytes", committed.bytes}});
    {
        std::lock_guard lock(mu_);
        // Under mu_: PublishLocked (from another shard's Deliver) reads every buffer.
        buffer.committed = range.end;
        buffer.batches.clear();
        buffer.bytes = 0;
        buffer.records = 0;
        committed_[shard] = range.end;
        records_delivered_ += committed.user_records;
        bytes_delivered_ += committed.bytes;
        objects_written_ += committed.objects;
        ++commits_;
        source_records_committed_ += source_records;
        for (const auto& [kind, n] : committed.error_records) error_records_[kind] += n;
        last_commit_ms_ = now_ms;
        last_error_.clear();
        // Before Flush's waiter wakes: a status read after the flush must see the commit.
        PublishLocked();
    }
    committed_cv_.notify_all();
    return Status::Ok();
}

DeliveryStatus DeliveryWorker::GetStatus() const {
    DeliveryStatus status;
    std::lock_guard lock(mu_);
    status.config = destination_->config;
    status.source_stream = source_;
    status.buffered_bytes = buffered_bytes_;
    status.buffered_records = buffered_records_;
    status.lag_records = lag_records_;
    status.lag_ms = oldest_arrival_ms_ == 0
                        ? 0
                        : std::max<int64_t>(0, ToMs(clock_->Now()) - oldest_arrival_ms_);
    status.records_delivered = records_delivered_;
    status.bytes_delivered = bytes_delivered_;
    status.objects_written = objects_written_;
    status.commits = commits_;
    status.error_records.assign(error_records_.begin(), error_records_.end());
    status.last_commit_ms = last_commit_ms_;
    status.last_error = last_error_;
    return status;
}

Result<FlushResult> DeliveryWorker::Flush(std::chrono::milliseconds timeout) {
    TARN_ASSIGN_OR_RETURN(auto positions, options_.streams->Shards(source_));
    std::map<uint32_t, uint64_t> targets;
    for (const auto& p : positions) targets[p.shard.index] = ToU64(p.durable_offset);
    std::unique_lock lock(mu_);
    for (const auto& [shard, target] : targets) {
        uint64_t& t = flush_targets_[shard];
        t = std::max(t, target);
    }
    const uint64_t records_before = source_records_committed_;
    const uint64_t objects_before = objects_written_;
    notified_ = true;
    cv_.notify_all();
    auto reached = [&] {
        for (const auto& [shard, target] : targets) {
            auto c = committed_.find(shard);
            if ((c == committed_.end() ? 0 : c->second) < target) return false;
        }
        return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!reached()) {
        if (stop_) return Status::Unavailable("delivery stream is closing");
        if (committed_cv_.wait_until(lock, deadline) == std::cv_status::timeout && !reached()) {
            return Status::Expired("flush timed out after " + std::to_string(timeout.count()) +
                                       " ms" +
                                       (last_error_.empty() ? "" : ": " + last_error_));
        }
    }
    return FlushResult{.records = source_records_committed_ - records_before,
                       .objects = objects_written_ - objects_before};
}

}  // namespace tarn::delivery
