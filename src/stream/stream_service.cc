// StreamService: the registry of stream metadata joined to the shard logs.
//
// Locks, outermost first: a stream's route_mu (shared: one PutRecords' routing and Submit;
// exclusive: a reshard), then the registry's own locks, then streams_mu_ (only held to look up,
// insert or remove a StreamState, never while calling the registry). The registry's delete hook
// takes streams_mu_ and closes the stream's log; it never takes route_mu.
//
// Crash during a reshard (Open's robustness): a reshard seals the parents (in memory), opens the
// children's logs (empty folders), then stores stream.json. A crash before the store leaves the
// old metadata: the parents are open again, their logs hold every acknowledged record, and the
// children's empty folders are reused by the next reshard (shard indices come from
// next_shard_index, which was not advanced). A crash after the store leaves closed parents whose
// end_offset was their durable offset at the seal; no record at or past it was ever acknowledged,
// but an unsynced one may survive the crash in the file. The metadata is the truth: reads of a
// closed shard stop at end_offset, LATEST on it is end_offset, and Open() seals every closed shard
// so nothing is appended to it again.
#include "stream/stream_service.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <shared_mutex>
#include <thread>
#include <tuple>

#include "common/logging.h"
#include "common/time_format.h"
#include "stream/consumer_checkpoints.h"
#include "stream/hash_key.h"
#include "stream/sequence_number.h"
#include "stream/shard_iterator.h"
#include "stream/shard_rate_limiter.h"
#include "stream/stream_log.h"
#include "stream/stream_metrics.h"

namespace tarn::stream {
namespace {

int64_t MillisOf(Clock::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool AcceptsIo(StreamStatus s) {
    return s == StreamStatus::kActive || s == StreamStatus::kUpdating;
}

// The shards that are open in `before` and closed in `after`.
std::vector<uint32_t> ClosedBy(const StreamMetadata& before, const StreamMetadata& after) {
    std::vector<uint32_t> closed;
    for (const ShardMetadata& s : before.shards) {
        const ShardMetadata* now = after.FindShard(s.index);
        if (s.open() && now != nullptr && !now->open()) closed.push_back(s.index);
    }
    return closed;
}

// The readable end of a shard: its end offset when closed (the metadata is the truth), else the
// durable watermark.
Offset ReadableEnd(const ShardMetadata& meta, const ShardLog& log) {
    const Offset durable = log.durable_offset();
    if (meta.open()) return durable;
    return std::min(durable, Offset{*meta.end_offset});
}

}  // namespace

Result<IteratorType> ParseIteratorType(std::string_view text) {
    if (text == "TRIM_HORIZON") return IteratorType::kTrimHorizon;
    if (text == "LATEST") return IteratorType::kLatest;
    if (text == "AT_SEQUENCE_NUMBER") return IteratorType::kAtSequenceNumber;
    if (text == "AFTER_SEQUENCE_NUMBER") return IteratorType::kAfterSequenceNumber;
    if (text == "AT_TIMESTAMP") return IteratorType::kAtTimestamp;
    return Status::InvalidArgument(
        "1 validation error detected: Value '" + std::string(text.substr(0, 64)) +
        "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value "
        "set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]");
}

std::string GetRecordsResult::SequenceNumberOf(const RecordView& record) const {
    return FormatSequenceNumber({stream_epoch_ms, shard_index, record.offset});
}

// The open parts of one incarnation of a stream.
struct StreamState {
    StreamState(std::string n, int64_t epoch, const ShardRateLimits& limits)
        : name(std::move(n)),
          epoch_ms(epoch),
          limiter(limits.records_per_second, limits.bytes_per_second) {}

    const std::string name;
    const int64_t epoch_ms;  // the metadata's creation_ms: which incarnation this is
    std::unique_ptr<StreamLog> log;
    std::unique_ptr<ConsumerCheckpoints> consumers;
    ShardRateLimiter limiter;
    // Shared: a PutRecords routes and submits; exclusive: a reshard seals and swaps the router.
    std::shared_mutex route_mu;
    std::shared_ptr<const ShardRouter> router;  // guarded by route_mu
};

// What a put or a read works on: the published metadata and the open state of that incarnation.
struct StreamRef {
    std::shared_ptr<const StreamMetadata> meta;
    std::shared_ptr<StreamState> state;
};

// One PutRecords in flight: lives until the log's callback has answered.
struct PutCall {
    PutRecordsCallback done;
    uint64_t epoch_ms = 0;
    std::vector<uint32_t> shard_of;        // by submitted record
    std::vector<RecordInput> admitted;     // only when a rate limit refused some
    std::vector<uint32_t> admitted_index;  // submitted record -> input index (same condition)
    PutRecordsResult result;
};

struct StreamService::Impl {
    StreamServiceOptions options;
    Clock* clock = nullptr;
    std::unique_ptr<StreamRegistry> registry;
    std::atomic<bool> closed{false};

    mutable std::mutex streams_mu;
    std::map<std::string, std::shared_ptr<StreamState>, std::less<>> streams;  // streams_mu

    std::mutex retention_mu;  // serializes RunRetention
    std::mutex timer_mu;
    std::condition_variable timer_cv;
    bool timer_stopping = false;  // guarded by timer_mu
    std::thread timer;

    // The registry's transition thread calls BeforeRemove: stop it while the rest is alive.
    ~Impl() { registry.reset(); }

    int64_t NowMs() const { return MillisOf(clock->Now()); }

    Status NotFound(std::string_view name) const {
        return Status::NotFound("Stream " + std::string(name) + " under account " +
                                options.metadata.account + " not found.");
    }

    Status ClosedError() const { return Status::Unavailable("the stream service is closed"); }

    std::shared_ptr<StreamState> FindState(std::string_view name) const {
        std::lock_guard lock(streams_mu);
        auto it = streams.find(name);
        return it == streams.end() ? nullptr : it->second;
    }

    Result<std::shared_ptr<StreamState>> OpenState(const StreamMetadata& meta) const {
        auto state = std::make_shared<StreamState>(meta.name, meta.creation_ms, options.limits);
        StreamLogOptions lo;
        lo.dir = registry->StreamDir(meta.name);
        lo.num_shards = meta.next_shard_index;
        lo.segment_bytes = options.segment_bytes;
        lo.index_interval_bytes = options.index_interval_bytes;
        lo.max_wait = options.commit_max_wait;
        lo.max_batch_bytes = options.commit_max_batch_bytes;
        lo.cache_window_bytes = options.cache_window_bytes;
        lo.io = options.io;
        lo.clock = clock;
        TARN_ASSIGN_OR_RETURN(state->log, StreamLog::Open(std::move(lo)));
        std::vector<uint32_t> closed_shards;
        for (const ShardMetadata& s : meta.shards) {
            if (!s.open()) closed_shards.push_back(s.index);
        }
        if (!closed_shards.empty()) TARN_RETURN_IF_ERROR(state->log->Seal(closed_shards).status());
        TARN_ASSIGN_OR_RETURN(state->consumers,
                              ConsumerCheckpoints::Load(registry->StreamDir(meta.name)));
        state->router = std::make_shared<const ShardRouter>(meta);
        return state;
    }

    // The state of `meta`'s incarnation, opening its logs when they are not open yet.
    Result<std::shared_ptr<StreamState>> StateOf(const StreamMetadata& meta) {
        if (auto s = FindState(meta.name); s != nullptr && s->epoch_ms == meta.creation_ms) {
            return s;
        }
        std::lock_guard lock(streams_mu);
        auto it = streams.find(meta.name);
        if (it != streams.end() && it->second->epoch_ms == meta.creation_ms) return it->second;
        // Re-check under streams_mu: the delete hook (which takes it) runs only after DELETING is
        // published, so a stream seen here as not deleting cannot have had its hook run yet.
        auto current = registry->FindShared(meta.name);
        if (!current.ok() || (*current)->creation_ms != meta.creation_ms ||
            (*current)->status == StreamStatus::kDeleting) {
            return NotFound(meta.name);
        }
        TARN_ASSIGN_OR_RETURN(auto state, OpenState(**current));
        streams[meta.name] = state;
        return state;
    }

    // A stream that accepts puts and reads (ACTIVE or UPDATING).
    Result<StreamRef> ForIo(std::string_view name_or_arn) {
        if (closed.load(std::memory_order_relaxed)) return ClosedError();
        TARN_ASSIGN_OR_RETURN(std::shared_ptr<const StreamMetadata> meta,
                              registry->FindShared(name_or_arn));
        if (!AcceptsIo(meta->status)) return NotFound(meta->name);
        TARN_ASSIGN_OR_RETURN(std::shared_ptr<StreamState> state, StateOf(*meta));
        return StreamRef{std::move(meta), std::move(state)};
    }

    // Runs on the registry's transition thread before a deleted stream's folder goes.
    void BeforeRemove(const std::string& name) {
        std::shared_ptr<StreamState> state;
        {
            std::lock_guard lock(streams_mu);
            auto it = streams.find(name);
            if (it == streams.end()) return;
            state = std::move(it->second);
            streams.erase(it);
        }
        state->log->Close();
    }

    Status ShardNotFound(const StreamMetadata& meta, uint32_t shard) const {
        return Status::NotFound("Could not find shard " + ShardDirName(shard) + " in stream " +
                                meta.name + " under account " + options.metadata.account + ".");
    }

    // The shard's metadata and log; NotFound when either is missing.
    Result<std::pair<const ShardMetadata*, ShardLog*>> ShardOf(const StreamRef& ref,
                                                               uint32_t shard) const {
        const ShardMetadata* sm = ref.meta->FindShard(shard);
        if (sm == nullptr || shard >= ref.state->log->num_shards()) {
            return ShardNotFound(*ref.meta, shard);
        }
        return std::make_pair(sm, &ref.state->log->shard(shard));
    }

    // ShardLog::Read stopped at a closed shard's end offset.
    static Result<RecordBatch> ReadShard(const ShardMetadata& meta, const ShardLog& log,
                                         Offset from, size_t max_records, size_t max_bytes) {
        if (!meta.open()) {
            const Offset start = std::max(from, log.first_offset());
            const Offset end{*meta.end_offset};
            if (start >= end) {
                RecordBatch empty;
                empty.next_offset = start;
                return empty;
            }
            max_records = std::min<uint64_t>(max_records, end - start);
        }
        return log.Read(from, max_records, max_bytes);
    }

    Status Reshard(
        std::string_view name_or_arn,
        const std::function<Status(StreamMetadata&, const NextOffsetFn&, int64_t)>& change,
        StreamMetadata* before);
    void PutRecords(std::string_view name_or_arn, std::span<const RecordInput> records,
                    PutRecordsCallback done);
    static void AnswerPut(PutCall& call, const Result<AppendResult>& appended);
    void RetentionLoop();
    Result<RetentionResult> RunRetention();
    Result<RetentionResult> EnforceBudget(const std::vector<std::shared_ptr<StreamState>>& all);
};

// ---- Lifecycle ------------------------------------------------------------------------------

StreamService::StreamService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StreamService::~StreamService() { Close(); }

Result<std::unique_ptr<StreamService>> StreamService::Open(StreamServiceOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->clock = impl->options.clock ? impl->options.clock : SystemClock::Instance();
    StreamRegistryOptions ro;
    ro.dir = impl->options.dir;
    ro.metadata = impl->options.metadata;
    ro.clock = impl->clock;
    ro.before_remove = [p = impl.get()](const std::string& name) { p->BeforeRemove(name); };
    TARN_ASSIGN_OR_RETURN(impl->registry, StreamRegistry::Open(std::move(ro)));
    std::unique_ptr<StreamService> service(new StreamService(std::move(impl)));
    Impl& m = *service->impl_;
    // Open every stream's logs now, so recovery errors surface at start.
    std::string after;
    for (;;) {
        TARN_ASSIGN_OR_RETURN(StreamListPage page, m.registry->List(after, kMaxListStreamsLimit));
        for (const std::string& name : page.names) {
            auto meta = m.registry->FindShared(name);
            if (!meta.ok() || (*meta)->status == StreamStatus::kDeleting) continue;
            TARN_RETURN_IF_ERROR(m.StateOf(**meta).status());
        }
        if (!page.has_more) break;
        after = page.names.back();
    }
    if (m.options.retention_interval.count() > 0) {
        m.timer = std::thread([p = &m] { p->RetentionLoop(); });
    }
    return service;
}

void StreamService::Close() {
    Impl& m = *impl_;
    if (m.closed.exchange(true)) return;
    {
        std::lock_guard lock(m.timer_mu);
        m.timer_stopping = true;
    }
    m.timer_cv.notify_all();
    if (m.timer.joinable()) m.timer.join();
    std::map<std::string, std::shared_ptr<StreamState>, std::less<>> streams;
    {
        std::lock_guard lock(m.streams_mu);
        streams = m.streams;
    }
    for (auto& [name, state] : streams) state->log->Close();
}

const StreamServiceOptions& StreamService::options() const { return impl_->options; }

// ---- Streams --------------------------------------------------------------------------------

Result<StreamMetadata> StreamService::CreateStream(const CreateStreamRequest& request) {
    if (impl_->closed) return impl_->ClosedError();
    TARN_ASSIGN_OR_RETURN(StreamMetadata meta, impl_->registry->Create(request));
    if (auto state = impl_->StateOf(meta); !state.ok()) {
        TARN_LOG_ERROR("stream.open_failed",
                       {{"stream", meta.name}, {"error", state.status().ToString()}});
        (void)impl_->registry->Delete(meta.name);
        return state.status();
    }
    return meta;
}

Status StreamService::DeleteStream(std::string_view name_or_arn) {
    if (impl_->closed) return impl_->ClosedError();
    TARN_ASSIGN_OR_RETURN(auto meta, impl_->registry->FindShared(name_or_arn));
    return impl_->registry->Delete(meta->name);
}

Result<StreamMetadata> StreamService::DescribeStream(std::string_view name_or_arn) const {
    if (impl_->closed) return impl_->ClosedError();
    return impl_->registry->Find(name_or_arn);
}

Result<StreamListPage> StreamService::ListStreams(std::string_view exclusive_start,
                                                  uint32_t limit) const {
    if (impl_->closed) return impl_->ClosedError();
    return impl_->registry->List(exclusive_start, limit);
}

void StreamService::WaitForTransitions() { impl_->registry->WaitForTransitions(); }

namespace {

Status UpdateBy(StreamRegistry& registry, std::string_view name_or_arn,
                const std::function<Status(StreamMetadata&)>& change) {
    TARN_ASSIGN_OR_RETURN(auto meta, registry.FindShared(name_or_arn));
    return registry.Update(meta->name, change).status();
}

}  // namespace

Status StreamService::IncreaseRetention(std::string_view name_or_arn, uint32_t hours) {
    if (impl_->closed) return impl_->ClosedError();
    return UpdateBy(*impl_->registry, name_or_arn,
                    [&](StreamMetadata& m) { return m.IncreaseRetention(hours); });
}

Status StreamService::DecreaseRetention(std::string_view name_or_arn, uint32_t hours) {
    if (impl_->closed) return impl_->ClosedError();
    return UpdateBy(*impl_->registry, name_or_arn,
                    [&](StreamMetadata& m) { return m.DecreaseRetention(hours); });
}

Status StreamService::AddTags(std::string_view name_or_arn,
                              const std::map<std::string, std::string>& tags) {
    if (impl_->closed) return impl_->ClosedError();
    return UpdateBy(*impl_->registry, name_or_arn,
                    [&](StreamMetadata& m) { return m.AddTags(tags); });
}

Status StreamService::RemoveTags(std::string_view name_or_arn,
                                 const std::vector<std::string>& keys) {
    if (impl_->closed) return impl_->ClosedError();
    return UpdateBy(*impl_->registry, name_or_arn, [&](StreamMetadata& m) {
        m.RemoveTags(keys);
        return Status::Ok();
    });
}

// ---- Resharding -----------------------------------------------------------------------------

Status StreamService::Impl::Reshard(
    std::string_view name_or_arn,
    const std::function<Status(StreamMetadata&, const NextOffsetFn&, int64_t)>& change,
    StreamMetadata* before) {
    if (closed) return ClosedError();
    TARN_ASSIGN_OR_RETURN(std::shared_ptr<const StreamMetadata> meta,
                          registry->FindShared(name_or_arn));
    if (before != nullptr) *before = *meta;
    // A dry run on a copy checks the request (Kinesis's errors) and names the parents.
    StreamMetadata trial = *meta;
    const int64_t now = NowMs();
    TARN_RETURN_IF_ERROR(change(trial, nullptr, now));
    const std::vector<uint32_t> parents = ClosedBy(*meta, trial);
    if (parents.empty()) return Status::Ok();  // a no-op (UpdateShardCount to the same count)
    TARN_ASSIGN_OR_RETURN(std::shared_ptr<StreamState> state, StateOf(*meta));

    // No put routes by the old metadata from here until the new router is in place.
    std::unique_lock route(state->route_mu);
    TARN_ASSIGN_OR_RETURN(std::vector<Offset> ends, state->log->Seal(parents));
    auto next_offset = [&](uint32_t shard) -> uint64_t {
        for (size_t i = 0; i < parents.size(); ++i) {
            if (parents[i] == shard) return ToU64(ends[i]);
        }
        return 0;  // not a parent sealed here: the change differs from the dry run (below)
    };
    Status opened = state->log->EnsureShards(trial.next_shard_index);
    Result<StreamMetadata> updated =
        opened.ok() ? registry->Update(meta->name,
                                       [&](StreamMetadata& m) {
                                           StreamMetadata copy = m;
                                           TARN_RETURN_IF_ERROR(change(copy, next_offset, now));
                                           if (ClosedBy(m, copy) != parents) {
                                               return Status::Aborted(
                                                   "the stream changed during the reshard; retry");
                                           }
                                           m = std::move(copy);
                                           return Status::Ok();
                                       })
                    : Result<StreamMetadata>(opened);
    if (!updated.ok()) {
        state->log->Unseal(parents);
        return updated.status();
    }
    state->router = std::make_shared<const ShardRouter>(*updated);
    TARN_LOG_INFO("stream.resharded", {{"stream", meta->name},
                                       {"closed", static_cast<uint64_t>(parents.size())},
                                       {"open", updated->OpenShardCount()}});
    return Status::Ok();
}

Status StreamService::SplitShard(std::string_view name_or_arn, std::string_view shard_id,
                                 std::string_view new_starting_hash_key) {
    const StreamMetadataOptions& o = impl_->options.metadata;
    return impl_->Reshard(
        name_or_arn,
        [&](StreamMetadata& m, const NextOffsetFn& next, int64_t now) {
            return m.SplitShard(shard_id, new_starting_hash_key, o, next, now);
        },
        nullptr);
}

Status StreamService::MergeShards(std::string_view name_or_arn, std::string_view shard_id,
                                  std::string_view adjacent_shard_id) {
    const StreamMetadataOptions& o = impl_->options.metadata;
    return impl_->Reshard(
        name_or_arn,
        [&](StreamMetadata& m, const NextOffsetFn& next, int64_t now) {
            return m.MergeShards(shard_id, adjacent_shard_id, o, next, now);
        },
        nullptr);
}

Result<StreamMetadata> StreamService::UpdateShardCount(std::string_view name_or_arn,
                                                       uint32_t target) {
    const StreamMetadataOptions& o = impl_->options.metadata;
    StreamMetadata before;
    TARN_RETURN_IF_ERROR(impl_->Reshard(
        name_or_arn,
        [&](StreamMetadata& m, const NextOffsetFn& next, int64_t now) {
            return m.UpdateShardCount(target, o, next, now);
        },
        &before));
    return before;
}

// ---- Put ------------------------------------------------------------------------------------

void StreamService::PutRecords(std::string_view name_or_arn, std::span<const RecordInput> records,
                               PutRecordsCallback done) {
    impl_->PutRecords(name_or_arn, records, std::move(done));
}

void StreamService::Impl::AnswerPut(PutCall& call, const Result<AppendResult>& appended) {
    std::vector<PutRecordOutcome>& out = call.result.records;
    const size_t n = call.shard_of.size();
    const bool remapped = !call.admitted_index.empty();
    for (size_t j = 0; j < n; ++j) {
        PutRecordOutcome& o = out[remapped ? call.admitted_index[j] : j];
        if (!appended.ok()) {
            o.error = PutRecordError::kInternalFailure;
            o.error_message = "Internal service failure.";
            ++call.result.failed_record_count;
            continue;
        }
        const RecordPosition& pos = appended->positions[j];
        o.shard = pos.shard;
        o.offset = pos.offset;
    }
}

void StreamService::Impl::PutRecords(std::string_view name_or_arn,
                                     std::span<const RecordInput> records,
                                     PutRecordsCallback done) {
    Result<StreamRef> ref = ForIo(name_or_arn);
    if (!ref.ok()) {
        done(ref.status());
        return;
    }
    StreamState& state = *ref->state;
    auto call = std::make_shared<PutCall>();
    call->done = std::move(done);
    call->epoch_ms = static_cast<uint64_t>(state.epoch_ms);
    call->result.stream_epoch_ms = call->epoch_ms;
    call->result.records.resize(records.size());
    call->shard_of.resize(records.size());

    std::shared_lock route(state.route_mu);
    const ShardRouter& router = *state.router;
    thread_local std::vector<HashKey> hash_keys;
    hash_keys.resize(records.size());
    RecordHashKeys(records, hash_keys.data());
    for (size_t i = 0; i < records.size(); ++i) call->shard_of[i] = router.Route(hash_keys[i]);
    std::span<const RecordInput> submitted = records;
    if (state.limiter.enabled()) {
        std::vector<uint8_t> admitted(records.size());
        const size_t count = state.limiter.Admit(records, call->shard_of, NowMs(), admitted);
        if (count < records.size()) {
            const std::string suffix =
                " in stream " + state.name + " under account " + options.metadata.account + ".";
            std::vector<uint32_t> shard_of;
            for (size_t i = 0; i < records.size(); ++i) {
                PutRecordOutcome& o = call->result.records[i];
                o.shard = call->shard_of[i];
                if (admitted[i]) {
                    call->admitted.push_back(records[i]);
                    call->admitted_index.push_back(static_cast<uint32_t>(i));
                    shard_of.push_back(call->shard_of[i]);
                    continue;
                }
                o.error = PutRecordError::kThroughputExceeded;
                o.error_message = "Rate exceeded for shard " + ShardDirName(o.shard) + suffix;
                ++call->result.failed_record_count;
            }
            call->shard_of = std::move(shard_of);
            submitted = call->admitted;
        }
    }
    if (submitted.empty()) {
        route.unlock();
        call->done(std::move(call->result));
        return;
    }
    AppendRequest request{submitted, call->shard_of, 0};
    state.log->Submit(request, [this, call](Result<AppendResult> appended) {
        if (!appended.ok() && closed.load(std::memory_order_relaxed)) {
            call->done(ClosedError());
            return;
        }
        AnswerPut(*call, appended);
        call->done(std::move(call->result));
    });
}

// ---- Read -----------------------------------------------------------------------------------

Result<std::string> StreamService::GetShardIterator(const ShardIteratorRequest& request) const {
    Impl& m = *impl_;
    TARN_ASSIGN_OR_RETURN(StreamRef ref, m.ForIo(request.stream));
    TARN_ASSIGN_OR_RETURN(const ShardMetadata* sm,
                          ref.meta->FindShard(request.shard_id, m.options.metadata.account));
    TARN_ASSIGN_OR_RETURN(auto shard, m.ShardOf(ref, sm->index));
    const ShardLog& log = *shard.second;
    const Offset tip = ReadableEnd(*sm, log);
    const uint64_t epoch = static_cast<uint64_t>(ref.meta->creation_ms);
    Offset offset{};
    switch (request.type) {
        case IteratorType::kTrimHorizon:
            offset = std::min(log.first_offset(), tip);
            break;
        case IteratorType::kLatest:
            offset = tip;
            break;
        case IteratorType::kAtSequenceNumber:
        case IteratorType::kAfterSequenceNumber: {
            TARN_ASSIGN_OR_RETURN(SequenceNumber seq,
                                  ParseSequenceNumberFor(request.sequence_number, epoch, sm->index,
                                                         "StartingSequenceNumber"));
            const bool after = request.type == IteratorType::kAfterSequenceNumber;
            offset = after ? seq.offset + 1 : seq.offset;
            if (offset > tip) {
                return Status::InvalidArgument("StartingSequenceNumber " + request.sequence_number +
                                               " used in " + "GetShardIterator on shard " +
                                               sm->id() + " in stream " + ref.meta->name +
                                               " is beyond the last record of the shard.");
            }
            break;
        }
        case IteratorType::kAtTimestamp: {
            if (request.timestamp_ms > m.NowMs()) {
                offset = tip;
                break;
            }
            TARN_ASSIGN_OR_RETURN(offset, log.FindOffsetAtTimestamp(request.timestamp_ms));
            offset = std::min(offset, tip);
            break;
        }
    }
    return EncodeShardIterator({ref.meta->name, epoch, sm->index, offset, m.NowMs()});
}

Result<GetRecordsResult> StreamService::GetRecords(std::string_view iterator,
                                                   uint32_t limit) const {
    Impl& m = *impl_;
    if (limit < 1 || limit > kMaxGetRecordsLimit) {
        return Status::InvalidArgument("Limit " + std::to_string(limit) +
                                       " is out of range: it must be in 1..10000");
    }
    TARN_ASSIGN_OR_RETURN(ShardIteratorToken token, DecodeShardIterator(iterator));
    const int64_t now = m.NowMs();
    const int64_t ttl = m.options.iterator_ttl.count();
    if (now - token.created_ms > ttl) {
        return Status::Expired("Iterator expired. The iterator was created at time " +
                               FormatIso8601Millis(token.created_ms) + " while right now it is " +
                               FormatIso8601Millis(now) +
                               " which is further in the future than the tolerated delay of " +
                               std::to_string(ttl) + " milliseconds.");
    }
    TARN_ASSIGN_OR_RETURN(StreamRef ref, m.ForIo(token.stream));
    if (static_cast<uint64_t>(ref.meta->creation_ms) != token.stream_epoch_ms) {
        return m.NotFound(token.stream);  // an iterator of a deleted incarnation
    }
    TARN_ASSIGN_OR_RETURN(auto shard, m.ShardOf(ref, token.shard));
    const ShardMetadata& sm = *shard.first;
    const ShardLog& log = *shard.second;
    GetRecordsResult out;
    out.stream_epoch_ms = token.stream_epoch_ms;
    out.shard_index = token.shard;
    TARN_ASSIGN_OR_RETURN(out.batch,
                          Impl::ReadShard(sm, log, token.offset, limit, kMaxGetRecordsBytes));
    const Offset next = out.batch.next_offset;
    const Offset tip = ReadableEnd(sm, log);
    // MillisBehindLatest, approximated: 0 at the tip, else the age of the last record returned
    // (the next unread one arrived at or after it, so this over-estimates by at most the arrival
    // gap between the two and needs no second read). With nothing returned, the age of nothing
    // known: 0.
    if (next < tip && !out.batch.records.empty()) {
        out.millis_behind_latest = std::max<int64_t>(0, now - out.batch.records.back().arrival_ms);
    }
    if (!sm.open() && next >= Offset{*sm.end_offset}) {
        for (const ShardMetadata& child : ref.meta->shards) {
            if (child.parent != sm.index && child.adjacent_parent != sm.index) continue;
            ChildShard c{child.id(), {}, child.hash_range};
            if (child.parent) c.parent_shards.push_back(ShardDirName(*child.parent));
            if (child.adjacent_parent) {
                c.parent_shards.push_back(ShardDirName(*child.adjacent_parent));
            }
            out.child_shards.push_back(std::move(c));
        }
        return out;
    }
    out.next_iterator =
        EncodeShardIterator({token.stream, token.stream_epoch_ms, token.shard, next, now});
    return out;
}

// ---- In-process consumers -----------------------------------------------------------------

Status StreamService::RegisterConsumer(std::string_view stream, std::string_view consumer) {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    return ref.state->consumers->Register(consumer);
}

Status StreamService::DeregisterConsumer(std::string_view stream, std::string_view consumer) {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    return ref.state->consumers->Deregister(consumer);
}

Status StreamService::Checkpoint(std::string_view stream, std::string_view consumer, uint32_t shard,
                                 Offset next) {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    TARN_RETURN_IF_ERROR(impl_->ShardOf(ref, shard).status());
    return ref.state->consumers->Checkpoint(consumer, shard, next);
}

Result<std::map<uint32_t, Offset>> StreamService::Checkpoints(std::string_view stream,
                                                              std::string_view consumer) const {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    return ref.state->consumers->Get(consumer);
}

Result<std::vector<ShardPosition>> StreamService::Shards(std::string_view stream) const {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    std::vector<ShardPosition> out;
    for (const ShardMetadata& sm : ref.meta->shards) {
        TARN_ASSIGN_OR_RETURN(auto shard, impl_->ShardOf(ref, sm.index));
        const Offset end = ReadableEnd(sm, *shard.second);
        out.push_back({sm, std::min(shard.second->first_offset(), end), end});
    }
    return out;
}

Result<RecordBatch> StreamService::Read(std::string_view stream, uint32_t shard, Offset from,
                                        size_t max_records, size_t max_bytes) const {
    TARN_ASSIGN_OR_RETURN(StreamRef ref, impl_->ForIo(stream));
    TARN_ASSIGN_OR_RETURN(auto s, impl_->ShardOf(ref, shard));
    return Impl::ReadShard(*s.first, *s.second, from, max_records, max_bytes);
}

// ---- Retention ------------------------------------------------------------------------------

namespace {

// One segment that the disk budget may delete: every segment of a shard but its last.
struct BudgetCandidate {
    StreamState* stream;
    uint32_t shard;
    Offset first;       // its first offset
    Offset next_first;  // the next segment's first offset
    uint64_t bytes;
    int64_t first_arrival_ms;
};

// The shard's segment files, by first offset, with their sizes.
std::vector<std::pair<Offset, uint64_t>> SegmentFiles(const std::string& dir) {
    std::vector<std::pair<Offset, uint64_t>> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (!name.ends_with(".seg")) continue;
        unsigned long long first = 0;
        if (std::sscanf(name.c_str(), "%20llu", &first) != 1) continue;
        const uint64_t bytes = e.file_size(ec);
        if (!ec) out.emplace_back(Offset{first}, bytes);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void Add(RetentionResult& into, const RetentionResult& r) {
    into.segments += r.segments;
    into.records += r.records;
    into.bytes += r.bytes;
}

}  // namespace

Result<RetentionResult> StreamService::Impl::RunRetention() {
    std::lock_guard serial(retention_mu);
    std::vector<std::shared_ptr<StreamState>> all;
    {
        std::lock_guard lock(streams_mu);
        for (const auto& [name, state] : streams) all.push_back(state);
    }
    const int64_t now = NowMs();
    RetentionResult total;
    for (const auto& state : all) {
        auto meta = registry->FindShared(state->name);
        if (!meta.ok() || (*meta)->creation_ms != state->epoch_ms) continue;
        const int64_t cutoff = now - int64_t{(*meta)->retention_hours} * 3'600'000;
        for (uint32_t i = 0; i < state->log->num_shards(); ++i) {
            RetentionPolicy policy{cutoff, state->consumers->ProtectedOffset(i)};
            TARN_ASSIGN_OR_RETURN(RetentionResult r, state->log->shard(i).DeleteSegments(policy));
            Add(total, r);
        }
    }
    StreamMetrics::Get().retention_deleted_segments.Inc(total.segments);
    if (options.disk_budget_bytes > 0) {
        TARN_ASSIGN_OR_RETURN(RetentionResult forced, EnforceBudget(all));
        Add(total, forced);
    }
    return total;
}

Result<RetentionResult> StreamService::Impl::EnforceBudget(
    const std::vector<std::shared_ptr<StreamState>>& all) {
    uint64_t used = 0;
    std::vector<BudgetCandidate> candidates;
    for (const auto& state : all) {
        for (uint32_t i = 0; i < state->log->num_shards(); ++i) {
            const ShardLog& log = state->log->shard(i);
            const auto files = SegmentFiles(log.dir());
            for (size_t k = 0; k < files.size(); ++k) {
                used += files[k].second;
                if (k + 1 == files.size()) break;  // the last segment is never deleted
                TARN_ASSIGN_OR_RETURN(RecordBatch first, log.Read(files[k].first, 1, 1));
                const int64_t arrival =
                    first.records.empty() ? INT64_MIN : first.records.front().arrival_ms;
                candidates.push_back(
                    {state.get(), i, files[k].first, files[k + 1].first, files[k].second, arrival});
            }
        }
    }
    // Oldest first across shards; within a shard arrivals never decrease, so offsets order ties.
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first_arrival_ms, a.stream, a.shard, a.first) <
               std::tie(b.first_arrival_ms, b.stream, b.shard, b.first);
    });
    RetentionResult forced;
    for (const BudgetCandidate& c : candidates) {
        if (used <= options.disk_budget_bytes) break;
        TARN_ASSIGN_OR_RETURN(RetentionResult r,
                              c.stream->log->shard(c.shard).DeleteSegmentsBefore(c.next_first));
        used -= std::min(used, c.bytes);
        if (r.segments == 0) continue;
        Add(forced, r);
        StreamMetrics& metrics = StreamMetrics::Get();
        metrics.retention_deleted_segments.Inc(r.segments);
        metrics.retention_forced_records.Inc(r.records);
        TARN_LOG_WARN("stream.retention_forced",
                      {{"stream", c.stream->name}, {"shard", c.shard}, {"records", r.records}});
    }
    return forced;
}

void StreamService::Impl::RetentionLoop() {
    std::unique_lock lock(timer_mu);
    Clock::TimePoint next = clock->Now();
    while (!timer_stopping) {
        if (clock->Now() < next) {
            clock->WaitUntil(lock, timer_cv, next);
            continue;
        }
        lock.unlock();
        if (auto r = RunRetention(); !r.ok()) {
            TARN_LOG_ERROR("stream.retention_failed", {{"error", r.status().ToString()}});
        }
        lock.lock();
        next = clock->Now() + options.retention_interval;
    }
}

Result<RetentionResult> StreamService::RunRetention() {
    if (impl_->closed) return impl_->ClosedError();
    return impl_->RunRetention();
}

}  // namespace tarn::stream
