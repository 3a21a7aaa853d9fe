#include "stream/stream_log.h"

#include <future>
#include <memory>

#include "stream/record_codec.h"
#include "stream/stream_metrics.h"

namespace tarn::stream {

void AppendShardId(std::string& out, uint32_t shard) {
    char digits[12];
    for (int i = 11; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + shard % 10);
        shard /= 10;
    }
    out += "shardId-";
    out.append(digits, sizeof digits);
}

std::string ShardDirName(uint32_t shard) {
    std::string name;
    AppendShardId(name, shard);
    return name;
}

StreamLog::StreamLog(StreamLogOptions options) : options_(std::move(options)) {}

StreamLog::~StreamLog() { Close(); }

Result<std::unique_ptr<StreamLog>> StreamLog::Open(StreamLogOptions options) {
    if (options.num_shards == 0) return Status::InvalidArgument("a stream needs a shard");
    std::unique_ptr<StreamLog> log(new StreamLog(std::move(options)));
    TARN_RETURN_IF_ERROR(log->EnsureShards(log->options_.num_shards));
    log->writer_ = std::thread([l = log.get()] { l->Run(); });
    return log;
}

Status StreamLog::EnsureShards(uint32_t count) {
    std::lock_guard grow(grow_mu_);
    const StreamLogOptions& o = options_;
    for (uint32_t i = num_shards(); i < count; ++i) {
        ShardLogOptions so;
        so.dir = o.dir + "/" + ShardDirName(i);
        so.shard_id = i;
        so.segment_bytes = o.segment_bytes;
        so.index_interval_bytes = o.index_interval_bytes;
        so.cache_window_bytes = o.cache_window_bytes;
        so.io = o.io;
        so.clock = o.clock;
        TARN_ASSIGN_OR_RETURN(std::unique_ptr<ShardLog> shard, ShardLog::Open(std::move(so)));
        {
            std::lock_guard lock(shards_mu_);
            shards_.push_back(std::move(shard));
        }
        num_shards_.store(i + 1, std::memory_order_release);
    }
    return Status::Ok();
}

ShardLog* StreamLog::ShardPtr(uint32_t shard) const {
    std::lock_guard lock(shards_mu_);
    return shards_[shard].get();
}

bool StreamLog::RunOnWriter(std::function<void()> task) {
    std::lock_guard lock(mu_);
    if (closing_) return false;
    if (queue_.empty()) first_queued_at_ = std::chrono::steady_clock::now();
    queue_.push_back(Pending{{}, nullptr, 0, std::move(task)});
    cv_.notify_all();
    return true;
}

Result<std::vector<Offset>> StreamLog::Seal(std::span<const uint32_t> shards) {
    const uint32_t n = num_shards();
    for (uint32_t s : shards) {
        if (s >= n) return Status::InvalidArgument("no shard " + std::to_string(s));
    }
    std::vector<uint32_t> which(shards.begin(), shards.end());
    std::promise<std::vector<Offset>> promise;
    auto future = promise.get_future();
    const bool queued = RunOnWriter([this, &which, &promise] {
        RefreshWriterShards();
        std::vector<Offset> ends;
        for (uint32_t s : which) {
            sealed_[s] = 1;
            ends.push_back(writer_shards_[s]->durable_offset());
        }
        promise.set_value(std::move(ends));
    });
    if (!queued) return Status::Unavailable("the stream log is closed");
    return future.get();
}

void StreamLog::Unseal(std::span<const uint32_t> shards) {
    std::vector<uint32_t> which(shards.begin(), shards.end());
    RunOnWriter([this, which = std::move(which)] {
        RefreshWriterShards();
        for (uint32_t s : which) {
            if (s < sealed_.size()) sealed_[s] = 0;
        }
    });
}

void StreamLog::RefreshWriterShards() {
    if (num_shards() == writer_shards_.size()) return;
    {
        std::lock_guard lock(shards_mu_);
        for (size_t i = writer_shards_.size(); i < shards_.size(); ++i) {
            writer_shards_.push_back(shards_[i].get());
        }
    }
    const size_t n = writer_shards_.size();
    sealed_.resize(n, 0);
    shard_records_.resize(n);
    shard_results_.resize(n, Status::Internal("unused"));
}

void StreamLog::Submit(const AppendRequest& request, AppendCallback done) {
    const auto& records = request.records;
    const uint32_t num_shards = this->num_shards();
    Status invalid;
    if (!request.shard_of.empty() && request.shard_of.size() != records.size()) {
        invalid = Status::InvalidArgument("shard_of must name the shard of every record");
    } else if (request.shard_of.empty() && request.shard >= num_shards) {
        invalid = Status::InvalidArgument("no shard " + std::to_string(request.shard));
    }
    size_t bytes = 0;
    for (size_t i = 0; i < records.size() && invalid.ok(); ++i) {
        if (!request.shard_of.empty() && request.shard_of[i] >= num_shards) {
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
            queue_.push_back(Pending{request, std::move(done), bytes, nullptr});
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
    std::lock_guard closing(close_mu_);
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
        if (queue_.front().barrier) {
            // Everything queued before it has been committed by earlier rounds.
            std::function<void()> barrier = std::move(queue_.front().barrier);
            queue_.pop_front();
            if (!queue_.empty()) first_queued_at_ = std::chrono::steady_clock::now();
            lock.unlock();
            barrier();
            lock.lock();
            continue;
        }
        size_t bytes = 0;
        while (!queue_.empty() && !queue_.front().barrier &&
               (batch.empty() || bytes < options_.max_batch_bytes)) {
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

Status StreamLog::RefuseSealed(const AppendRequest& r) const {
    auto refuse = [](uint32_t s) {
        return Status::FailedPrecondition("shard " + std::to_string(s) +
                                          " is sealed (closed by a reshard)");
    };
    if (r.shard_of.empty()) return sealed_[r.shard] ? refuse(r.shard) : Status::Ok();
    for (uint32_t s : r.shard_of) {
        if (sealed_[s]) return refuse(s);
    }
    return Status::Ok();
}

void StreamLog::SyncShards() {
    std::vector<size_t> dirty;
    for (size_t s = 0; s < writer_shards_.size(); ++s) {
        if (!shard_records_[s].empty() && shard_results_[s].ok()) dirty.push_back(s);
    }
    const auto sync = [this](size_t s) {
        Status synced = writer_shards_[s]->Sync();
        if (!synced.ok()) shard_results_[s] = synced;
    };
    if (dirty.size() > 1 && !sync_pool_) {
        sync_pool_ = std::make_unique<ThreadPool>(
            ThreadPool::Options{.num_threads = kSyncHelpers, .name = "tarn-fsync"});
    }
    // The writer syncs the first shard itself and the pool the others, at the same time. Each
    // task writes only its own shard_results_ slot; the wait below orders those writes.
    std::vector<std::future<void>> helpers;
    for (size_t i = 1; i < dirty.size(); ++i) {
        auto task =
            std::make_shared<std::packaged_task<void()>>([&sync, s = dirty[i]] { sync(s); });
        helpers.push_back(task->get_future());
        if (!sync_pool_->Submit([task] { (*task)(); }).ok()) (*task)();  // pool gone: inline
    }
    if (!dirty.empty()) sync(dirty[0]);
    for (auto& h : helpers) h.wait();
}

void StreamLog::Commit(std::vector<Pending>& batch) {
    RefreshWriterShards();
    const size_t n = writer_shards_.size();
    for (auto& v : shard_records_) v.clear();
    for (Pending& p : batch) {
        const AppendRequest& r = p.request;
        if (Status refused = RefuseSealed(r); !refused.ok()) {
            p.done(refused);
            p.done = nullptr;  // answered; skipped below
            continue;
        }
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
        shard_results_[s] = writer_shards_[s]->Append(shard_records_[s]);
    }
    SyncShards();
    StreamMetrics::Get().commit_batches.Inc();
    // Hand out the offsets in submission order; a shard's records of one commit are contiguous.
    std::vector<uint64_t> used(n, 0);
    for (Pending& p : batch) {
        if (!p.done) continue;  // refused above
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
