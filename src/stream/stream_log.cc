#include "stream/stream_log.h"

#include <cinttypes>
#include <cstdio>
#include <future>

#include "stream/record_codec.h"
#include "stream/stream_metrics.h"

namespace tarn::stream {

std::string ShardDirName(uint32_t shard) {
    char name[32];
    std::snprintf(name, sizeof(name), "shardId-%012" PRIu32, shard);
    return name;
}

StreamLog::StreamLog(StreamLogOptions options) : options_(std::move(options)) {}

StreamLog::~StreamLog() { Close(); }

Result<std::unique_ptr<StreamLog>> StreamLog::Open(StreamLogOptions options) {
    if (options.num_shards == 0) return Status::InvalidArgument("a stream needs a shard");
    std::unique_ptr<StreamLog> log(new StreamLog(std::move(options)));
    const StreamLogOptions& o = log->options_;
    for (uint32_t i = 0; i < o.num_shards; ++i) {
        ShardLogOptions so;
        so.dir = o.dir + "/" + ShardDirName(i);
        so.shard_id = i;
        so.segment_bytes = o.segment_bytes;
        so.index_interval_bytes = o.index_interval_bytes;
        so.io = o.io;
        so.clock = o.clock;
        TARN_ASSIGN_OR_RETURN(auto shard, ShardLog::Open(std::move(so)));
        log->shards_.push_back(std::move(shard));
    }
    log->shard_records_.resize(o.num_shards);
    log->shard_results_.assign(o.num_shards, Status::Internal("unused"));
    log->writer_ = std::thread([l = log.get()] { l->Run(); });
    return log;
}

void StreamLog::Submit(const AppendRequest& request, AppendCallback done) {
    const auto& records = request.records;
    Status invalid;
    if (!request.shard_of.empty() && request.shard_of.size() != records.size()) {
        invalid = Status::InvalidArgument("shard_of must name the shard of every record");
    } else if (request.shard_of.empty() && request.shard >= shards_.size()) {
        invalid = Status::InvalidArgument("no shard " + std::to_string(request.shard));
    }
    size_t bytes = 0;
    for (size_t i = 0; i < records.size() && invalid.ok(); ++i) {
        if (!request.shard_of.empty() && request.shard_of[i] >= shards_.size()) {
            invalid = Status::InvalidArgument("no shard " + std::to_string(request.shard_of[i]));
            break;
        }
        invalid = ValidateRecord(records[i]);
        bytes += EncodedFrameSize(records[i]);
    }
    if (!invalid.ok()) {
        done(invalid);
        return;
    }
    {
        std::lock_guard lock(mu_);
        if (!closing_) {
            if (queue_.empty()) first_queued_at_ = std::chrono::steady_clock::now();
            queue_.push_back(Pending{request, std::move(done), bytes});
            queued_bytes_ += bytes;
            if (queue_.size() == 1 || queued_bytes_ >= options_.max_batch_bytes) {
                cv_.notify_all();
            }
            return;
        }
    }
    done(Status::Unavailable("the stream log is closed"));
}

Result<AppendResult> StreamLog::AppendAndWait(const AppendRequest& request) {
    std::promise<Result<AppendResult>> promise;
    auto future = promise.get_future();
    Submit(request, [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); });
    return future.get();
}

void StreamLog::Close() {
    {
        std::lock_guard lock(mu_);
        if (closing_ && !writer_.joinable()) return;
        closing_ = true;
        cv_.notify_all();
    }
    if (writer_.joinable()) writer_.join();
}

void StreamLog::Run() {
    std::vector<Pending> batch;
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing and drained
        if (options_.max_wait.count() > 0 && !closing_) {
            const auto deadline = first_queued_at_ + options_.max_wait;
            cv_.wait_until(lock, deadline,
                           [&] { return closing_ || queued_bytes_ >= options_.max_batch_bytes; });
        }
        size_t bytes = 0;
        while (!queue_.empty() && (batch.empty() || bytes < options_.max_batch_bytes)) {
            bytes += queue_.front().bytes;
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        queued_bytes_ -= bytes;
        if (!queue_.empty()) first_queued_at_ = std::chrono::steady_clock::now();
        lock.unlock();
        Commit(batch);
        batch.clear();
        lock.lock();
    }
}

void StreamLog::Commit(std::vector<Pending>& batch) {
    const size_t n = shards_.size();
    for (auto& v : shard_records_) v.clear();
    for (const Pending& p : batch) {
        const AppendRequest& r = p.request;
        if (r.shard_of.empty()) {
            auto& dst = shard_records_[r.shard];
            dst.insert(dst.end(), r.records.begin(), r.records.end());
        } else {
            for (size_t i = 0; i < r.records.size(); ++i) {
                shard_records_[r.shard_of[i]].push_back(r.records[i]);
            }
        }
    }
    for (size_t s = 0; s < n; ++s) {
        if (shard_records_[s].empty()) continue;
        shard_results_[s] = shards_[s]->Append(shard_records_[s]);
    }
    for (size_t s = 0; s < n; ++s) {
        if (shard_records_[s].empty() || !shard_results_[s].ok()) continue;
        Status synced = shards_[s]->Sync();
        if (!synced.ok()) shard_results_[s] = synced;
    }
    StreamMetrics::Get().commit_batches.Inc();
    // Hand out the offsets in submission order; a shard's records of one commit are contiguous.
    std::vector<uint64_t> used(n, 0);
    for (Pending& p : batch) {
        const AppendRequest& r = p.request;
        Status failed;
        AppendResult result;
        result.positions.resize(r.records.size());
        for (size_t i = 0; i < r.records.size(); ++i) {
            const uint32_t s = r.shard_of.empty() ? r.shard : r.shard_of[i];
            const Result<AppendInfo>& info = shard_results_[s];
            if (!info.ok()) {
                if (failed.ok()) failed = info.status();
                continue;
            }
            result.positions[i] = RecordPosition{s, info->first + used[s]++, info->arrival_ms};
        }
        if (failed.ok()) {
            p.done(std::move(result));
        } else {
            p.done(failed);
        }
    }
}

}  // namespace tarn::stream
