#include "stream/shard_log.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/logging.h"
#include "stream/frame_cursor.h"
#include "stream/record_codec.h"
#include "stream/stream_metrics.h"

namespace tarn::stream {

namespace lf = log_format;

namespace {

constexpr size_t kRecoveryChunk = size_t{1} << 20;

int64_t NowMs(Clock* clock) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock->Now().time_since_epoch())
        .count();
}

// Write and fsync errors are retryable for the caller: ENOSPC stays ResourceExhausted, the rest
// becomes Unavailable.
Status Retryable(const Status& s) {
    if (s.code() == StatusCode::kIOError) return Status::Unavailable(s.message());
    return s;
}

bool ParseSegmentName(const std::string& name, Offset* first) {
    const size_t digits = lf::kSegmentNameDigits;
    if (name.size() != digits + sizeof(lf::kSegmentSuffix) - 1) return false;
    if (name.compare(digits, std::string::npos, lf::kSegmentSuffix) != 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < digits; ++i) {
        if (name[i] < '0' || name[i] > '9') return false;
        const uint64_t d = static_cast<uint64_t>(name[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *first = Offset{v};
    return true;
}

}  // namespace

struct ShardLog::Segment {
    std::string path;
    Offset first{};
    std::unique_ptr<File> file;
    bool needs_sync = false;  // writer only
    // Guarded by ShardLog::mu_ (written by the writer only, so it may read them unlocked).
    uint64_t size = lf::kSegmentHeaderSize;  // bytes written
    Offset next{};                           // offset after the last record written
    int64_t last_arrival = INT64_MIN;        // of the last record; the previous segment's if none
    uint64_t durable_size = lf::kSegmentHeaderSize;
    uint64_t cache_dropped = 0;  // writer only: [0, cache_dropped) was let go of (DropCache)
    Offset durable_next{};
    int64_t durable_last_arrival = INT64_MIN;
    std::vector<IndexEntry> index;  // sparse, by offset; the first record always has an entry

    void MarkDurable() {
        durable_size = size;
        durable_next = next;
        durable_last_arrival = last_arrival;
    }
};

std::string SegmentFileName(Offset first) {
    char name[32];
    std::snprintf(name, sizeof(name), "%020" PRIu64 "%s", ToU64(first), lf::kSegmentSuffix);
    return name;
}

ShardLog::ShardLog(ShardLogOptions options)
    : options_(std::move(options)),
      io_(options_.io ? options_.io : DefaultFileIo()),
      clock_(options_.clock ? options_.clock : SystemClock::Instance()) {}

ShardLog::~ShardLog() = default;

Result<std::unique_ptr<ShardLog>> ShardLog::Open(ShardLogOptions options) {
    if (options.dir.empty()) return Status::InvalidArgument("shard log needs a folder");
    if (options.segment_bytes < lf::kSegmentHeaderSize) {
        return Status::InvalidArgument("segment_bytes is too small");
    }
    if (options.index_interval_bytes == 0) options.index_interval_bytes = 1;
    std::unique_ptr<ShardLog> log(new ShardLog(std::move(options)));
    TARN_RETURN_IF_ERROR(log->Recover());
    return log;
}

std::string ShardLog::SegmentPath(Offset first) const {
    return options_.dir + "/" + SegmentFileName(first);
}

Status ShardLog::Recover() {
    TARN_RETURN_IF_ERROR(io_->CreateDirs(options_.dir));
    TARN_ASSIGN_OR_RETURN(std::vector<std::string> names, io_->ListDir(options_.dir));
    std::vector<Offset> firsts;
    for (const std::string& name : names) {
        Offset first;
        if (ParseSegmentName(name, &first)) firsts.push_back(first);
    }
    std::sort(firsts.begin(), firsts.end());
    for (size_t i = 0; i < firsts.size(); ++i) {
        const bool last = i + 1 == firsts.size();
        auto seg = std::make_shared<Segment>();
        seg->first = firsts[i];
        seg->path = SegmentPath(firsts[i]);
        TARN_ASSIGN_OR_RETURN(seg->file, io_->OpenFile(seg->path, FileIo::OpenMode::kExisting));
        if (!segments_.empty() && segments_.back()->next != seg->first) {
            return Status::Corruption(seg->path + ": segment starts at offset " +
                                      std::to_string(ToU64(seg->first)) + " but the previous one" +
                                      " ends at " + std::to_string(ToU64(segments_.back()->next)));
        }
        seg->last_arrival = segments_.empty() ? INT64_MIN : segments_.back()->last_arrival;
        TARN_RETURN_IF_ERROR(RecoverSegment(seg, last));
    }
    if (segments_.empty()) {
        const Offset first = firsts.empty() ? Offset{0} : firsts.front();
        TARN_RETURN_IF_ERROR(CreateSegment(first));
    }
    std::lock_guard lock(mu_);
    for (auto& seg : segments_) seg->MarkDurable();
    next_offset_ = durable_offset_ = segments_.back()->next;
    last_arrival_ms_ = std::max<int64_t>(0, segments_.back()->last_arrival);
    const auto& index = segments_.back()->index;
    last_index_pos_ = index.empty() ? 0 : index.back().pos;
    return Status::Ok();
}

Status ShardLog::RecoverSegment(const std::shared_ptr<Segment>& seg, bool last) {
    TARN_ASSIGN_OR_RETURN(uint64_t size, seg->file->Size());
    char header_bytes[lf::kSegmentHeaderSize];
    size_t got = 0;
    TARN_RETURN_IF_ERROR(seg->file->ReadAt(0, header_bytes, sizeof(header_bytes), &got));
    SegmentHeader header;
    Status hs = DecodeSegmentHeader(header_bytes, got, seg->path, &header);
    if (hs.code() == StatusCode::kCorruption && last && size <= lf::kSegmentHeaderSize) {
        // A crash while the segment was being created: it never held a record.
        TARN_LOG_WARN("stream.recovered", {{"shard", options_.shard_id},
                                           {"segment", seg->path},
                                           {"removed_torn_header_bytes", size}});
        StreamMetrics::Get().torn_tail_truncations.Inc();
        seg->file.reset();
        TARN_RETURN_IF_ERROR(io_->RemoveFile(seg->path));
        return io_->SyncDir(options_.dir);
    }
    TARN_RETURN_IF_ERROR(hs);
    if (header.first_offset != seg->first) {
        return Status::Corruption(seg->path + ": header says first offset " +
                                  std::to_string(ToU64(header.first_offset)));
    }
    if (header.shard_id != options_.shard_id) {
        return Status::Corruption(seg->path + ": segment of shard " +
                                  std::to_string(header.shard_id) + ", expected shard " +
                                  std::to_string(options_.shard_id));
    }
    seg->next = seg->first;
    uint64_t last_index_pos = 0;
    FrameCursor cursor(seg->file.get(), lf::kSegmentHeaderSize, size, kRecoveryChunk);
    FrameCursor::Step step;
    uint64_t end = lf::kSegmentHeaderSize;
    for (;;) {
        TARN_RETURN_IF_ERROR(cursor.Next(&step));
        if (step.kind == FrameCursor::Step::kEnd) break;
        std::string problem;
        if (step.kind == FrameCursor::Step::kBad) {
            problem = FrameErrorName(step.error);
        } else if (step.record.offset != seg->next) {
            problem = "record has offset " + std::to_string(ToU64(step.record.offset));
        } else if (step.record.arrival_ms < seg->last_arrival) {
            problem = "arrival time goes backwards";
        }
        if (!problem.empty()) {
            if (!last || step.kind != FrameCursor::Step::kBad) {
                return Status::Corruption(seg->path + ": " + problem + " at byte " +
                                          std::to_string(step.frame_pos) + " (expected offset " +
                                          std::to_string(ToU64(seg->next)) + ")");
            }
            // A torn tail: never acknowledged (it was past the durable watermark). Cut it.
            TARN_RETURN_IF_ERROR(seg->file->Truncate(end));
            TARN_RETURN_IF_ERROR(seg->file->Sync());
            StreamMetrics::Get().torn_tail_truncations.Inc();
            TARN_LOG_WARN("stream.recovered", {{"shard", options_.shard_id},
                                               {"segment", seg->path},
                                               {"reason", problem},
                                               {"at_byte", end},
                                               {"truncated_bytes", size - end},
                                               {"next_offset", ToU64(seg->next)}});
            break;
        }
        if (last_index_pos == 0 ||
            step.frame_pos - last_index_pos >= options_.index_interval_bytes) {
            seg->index.push_back({step.record.offset, step.frame_pos, step.record.arrival_ms});
            last_index_pos = step.frame_pos;
        }
        seg->next = seg->next + 1;
        seg->last_arrival = step.record.arrival_ms;
        end = step.frame_pos + step.frame_size;
    }
    seg->size = end;
    std::lock_guard lock(mu_);
    segments_.push_back(seg);
    return Status::Ok();
}

Status ShardLog::CreateSegment(Offset first) {
    auto seg = std::make_shared<Segment>();
    seg->first = seg->next = seg->durable_next = first;
    seg->path = SegmentPath(first);
    auto opened = io_->OpenFile(seg->path, FileIo::OpenMode::kCreateNew);
    if (opened.status().code() == StatusCode::kAlreadyExists) {
        // Left by a rollback that could not remove it; it holds nothing durable.
        TARN_RETURN_IF_ERROR(io_->RemoveFile(seg->path));
        opened = io_->OpenFile(seg->path, FileIo::OpenMode::kCreateNew);
    }
    if (!opened.ok()) return opened.status();
    seg->file = std::move(opened).value();
    char header[lf::kSegmentHeaderSize];
    EncodeSegmentHeader(SegmentHeader{lf::kFormatVersion, options_.shard_id, first}, header);
    Status s = seg->file->WriteAt(0, header, sizeof(header));
    if (s.ok()) s = seg->file->Sync();
    if (s.ok()) s = io_->SyncDir(options_.dir);
    StreamMetrics::Get().fsyncs.Inc(2);
    if (!s.ok()) {
        seg->file.reset();
        (void)io_->RemoveFile(seg->path);
        return s;
    }
    std::lock_guard lock(mu_);
    seg->last_arrival = seg->durable_last_arrival =
        segments_.empty() ? INT64_MIN : segments_.back()->last_arrival;
    segments_.push_back(std::move(seg));
    last_index_pos_ = 0;
    return Status::Ok();
}

Status ShardLog::Roll() {
    Segment* active = segments_.back().get();
    if (active->needs_sync) {
        // The full segment must be durable before records exist behind it: recovery treats a
        // damaged record in a non-last segment as corruption.
        TARN_RETURN_IF_ERROR(active->file->Sync());
        StreamMetrics::Get().fsyncs.Inc();
        active->needs_sync = false;
    }
    return CreateSegment(active->next);
}

Result<AppendInfo> ShardLog::Append(std::span<const RecordInput> records) {
    std::lock_guard wlock(write_mu_);
    if (!writable_) {
        return Status::Unavailable("shard " + std::to_string(options_.shard_id) +
                                   " refuses appends after a failed rollback; reopen it");
    }
    const int64_t arrival = std::max(NowMs(clock_), last_arrival_ms_);
    AppendInfo info{next_offset_, records.size(), arrival};
    if (records.empty()) return info;
    pending_size_ = 0;
    pending_starts_.clear();
    pending_index_.clear();
    pending_records_ = 0;
    Segment* active = segments_.back().get();
    Offset offset = next_offset_;
    for (const RecordInput& record : records) {
        uint64_t seg_pos = active->size + pending_size_;
        if (seg_pos >= options_.segment_bytes && seg_pos > lf::kSegmentHeaderSize) {
            Status s = WritePending(arrival);
            if (s.ok()) s = Roll();
            if (!s.ok()) return Fail(s);
            active = segments_.back().get();
            seg_pos = active->size;
        }
        if (last_index_pos_ == 0 || seg_pos - last_index_pos_ >= options_.index_interval_bytes) {
            pending_index_.push_back({offset, seg_pos, arrival});
            last_index_pos_ = seg_pos;
        }
        pending_starts_.push_back(pending_size_);
        EncodeUnsealedRecordFrame(record, offset, arrival, GrowPending(EncodedFrameSize(record)));
        offset = offset + 1;
        ++pending_records_;
    }
    Status s = WritePending(arrival);
    if (!s.ok()) return Fail(s);
    last_arrival_ms_ = arrival;
    return info;
}

char* ShardLog::GrowPending(size_t n) {
    if (pending_size_ + n > pending_capacity_) {
        const size_t capacity =
            std::max(pending_size_ + n, std::max<size_t>(2 * pending_capacity_, 1 << 16));
        std::unique_ptr<char[]> grown(new char[capacity]);
        if (pending_size_ > 0) std::memcpy(grown.get(), pending_.get(), pending_size_);
        pending_ = std::move(grown);
        pending_capacity_ = capacity;
    }
    char* at = pending_.get() + pending_size_;
    pending_size_ += n;
    return at;
}

Status ShardLog::WritePending(int64_t arrival) {
    if (pending_records_ == 0) return Status::Ok();
    Segment* active = segments_.back().get();
    active->needs_sync = true;
    SealRecordFrames(pending_.get(), pending_starts_);
    TARN_RETURN_IF_ERROR(active->file->WriteAt(active->size, pending_.get(), pending_size_));
    {
        std::lock_guard lock(mu_);
        active->size += pending_size_;
        active->next = active->next + pending_records_;
        active->last_arrival = arrival;
        active->index.insert(active->index.end(), pending_index_.begin(), pending_index_.end());
        next_offset_ = active->next;
    }
    StreamMetrics& m = StreamMetrics::Get();
    m.records_appended.Inc(pending_records_);
    m.bytes_appended.Inc(pending_size_);
    pending_size_ = 0;
    pending_starts_.clear();
    pending_index_.clear();
    pending_records_ = 0;
    return Status::Ok();
}

Status ShardLog::Sync() {
    std::lock_guard wlock(write_mu_);
    if (!writable_) {
        return Status::Unavailable("shard " + std::to_string(options_.shard_id) +
                                   " refuses writes after a failed rollback; reopen it");
    }
    for (auto& seg : segments_) {
        if (!seg->needs_sync) continue;
        Status s = seg->file->Sync();
        StreamMetrics::Get().fsyncs.Inc();
        if (!s.ok()) return Fail(s);
        seg->needs_sync = false;
    }
    std::lock_guard lock(mu_);
    for (size_t i = segments_.size(); i-- > 0;) {
        Segment& seg = *segments_[i];
        if (i + 1 < segments_.size() && seg.durable_size == seg.size) break;
        seg.MarkDurable();
    }
    durable_offset_ = next_offset_;
    DropCacheBehind();
    return Status::Ok();
}

void ShardLog::DropCacheBehind() {
    // At most one call per this many newly droppable bytes of the active segment.
    constexpr uint64_t kDropGranule = uint64_t{1} << 20;
    const uint64_t window = options_.cache_window_bytes;
    if (window == 0) return;
    // Closed segments go once the active one alone fills the window.
    const bool tail_fills_window = segments_.back()->durable_size >= window;
    for (size_t i = segments_.size(); i-- > 0;) {
        Segment& seg = *segments_[i];
        const bool active = i + 1 == segments_.size();
        uint64_t drop_to = seg.durable_size;
        if (active) {
            if (drop_to < window + kDropGranule) continue;
            drop_to = (drop_to - window) & ~(kDropGranule - 1);
        } else if (!tail_fills_window) {
            break;
        }
        if (drop_to > seg.cache_dropped) {
            seg.file->DropCache(seg.cache_dropped, drop_to - seg.cache_dropped);
            seg.cache_dropped = drop_to;
        } else if (!active) {
            break;  // this closed segment and every older one were dropped already
        }
    }
}

Status ShardLog::Fail(Status cause) {
    StreamMetrics::Get().append_failures.Inc();
    Status rollback = Rollback();
    TARN_LOG_WARN("stream.append_failed", {{"shard", options_.shard_id},
                                           {"error", cause.ToString()},
                                           {"rolled_back", rollback.ok()}});
    if (!rollback.ok()) {
        TARN_LOG_ERROR("stream.shard_unwritable",
                       {{"shard", options_.shard_id}, {"error", rollback.ToString()}});
        std::lock_guard lock(mu_);
        writable_ = false;
    }
    return Retryable(cause);
}

Status ShardLog::Rollback() {
    pending_size_ = 0;
    pending_starts_.clear();
    pending_index_.clear();
    pending_records_ = 0;
    // Segments that start past the watermark hold nothing durable: remove them (newest first, so a
    // crash half-way leaves no gap between segments).
    while (segments_.size() > 1 && segments_.back()->first > durable_offset_) {
        std::shared_ptr<Segment> seg;
        {
            std::lock_guard lock(mu_);
            seg = segments_.back();
            segments_.pop_back();
        }
        TARN_RETURN_IF_ERROR(io_->RemoveFile(seg->path));
        TARN_RETURN_IF_ERROR(io_->SyncDir(options_.dir));
    }
    Segment* active = segments_.back().get();
    TARN_RETURN_IF_ERROR(active->file->Truncate(active->durable_size));
    TARN_RETURN_IF_ERROR(active->file->Sync());
    StreamMetrics::Get().fsyncs.Inc();
    active->needs_sync = false;
    std::lock_guard lock(mu_);
    active->size = active->durable_size;
    active->next = active->durable_next;
    active->last_arrival = active->durable_last_arrival;
    auto& index = active->index;
    index.erase(std::lower_bound(index.begin(), index.end(), active->next,
                                 [](const IndexEntry& e, Offset o) { return e.offset < o; }),
                index.end());
    last_index_pos_ = index.empty() ? 0 : index.back().pos;
    next_offset_ = durable_offset_;
    return Status::Ok();
}

Result<RecordBatch> ShardLog::Read(Offset from, size_t max_records, size_t max_bytes) const {
    Offset durable;
    RecordBatch batch;
    {
        std::lock_guard lock(mu_);
        durable = durable_offset_;
        from = std::max(from, segments_.front()->first);
    }
    batch.next_offset = from;
    if (from >= durable || max_records == 0) return batch;
    // The segment holding `at` (nullptr when retention removed it meanwhile), the byte position to
    // start from (via the sparse index) and its durable end.
    struct Part {
        std::shared_ptr<Segment> seg;
        uint64_t start = lf::kSegmentHeaderSize, end = 0;
    };
    auto find_part = [&](Offset at) {
        Part part;
        std::lock_guard lock(mu_);
        auto it = std::upper_bound(
            segments_.begin(), segments_.end(), at,
            [](Offset o, const std::shared_ptr<Segment>& s) { return o < s->first; });
        if (it == segments_.begin()) return part;
        const Segment& seg = **std::prev(it);
        auto e = std::upper_bound(seg.index.begin(), seg.index.end(), at,
                                  [](Offset o, const IndexEntry& x) { return o < x.offset; });
        if (e != seg.index.begin()) part.start = std::prev(e)->pos;
        part.seg = *std::prev(it);
        part.end = seg.durable_size;
        return part;
    };
    const size_t chunk = std::clamp<size_t>(max_bytes + 4096, 64 << 10, 4 << 20);
    std::vector<size_t> positions;
    positions.reserve(std::min<size_t>(max_records, 1024));
    size_t bytes = 0;
    bool done = false;
    Offset at = from;
    while (!done && at < durable) {
        Part part = find_part(at);
        if (part.seg == nullptr) {
            return Status::Aborted("offset " + std::to_string(ToU64(at)) + " was deleted");
        }
        FrameCursor cursor(part.seg->file.get(), part.start, part.end, chunk);
        FrameCursor::Step step;
        const Offset before = at;
        while (!done) {
            TARN_RETURN_IF_ERROR(cursor.Next(&step));
            if (step.kind == FrameCursor::Step::kEnd) break;
            if (step.kind == FrameCursor::Step::kBad) {
                return Status::Corruption(part.seg->path + ": " + FrameErrorName(step.error) +
                                          " at byte " + std::to_string(step.frame_pos));
            }
            const RecordView& r = step.record;
            if (r.offset >= durable) {
                done = true;
                break;
            }
            if (r.offset < at) continue;
            if (!positions.empty() && bytes + r.data.size() > max_bytes) {
                done = true;
                break;
            }
            positions.push_back(batch.buffer.size());
            batch.buffer.insert(batch.buffer.end(), step.frame, step.frame + step.frame_size);
            bytes += r.data.size();
            at = r.offset + 1;
            batch.next_offset = at;
            if (positions.size() >= max_records) done = true;
        }
        if (!done && at == before) {
            return Status::Internal("segment " + part.seg->path + " ended before offset " +
                                    std::to_string(ToU64(at)));
        }
    }
    batch.records.resize(positions.size());
    for (size_t i = 0; i < positions.size(); ++i) {
        size_t frame_size;
        const char* frame = batch.buffer.data() + positions[i];
        (void)DecodeRecordFrame(frame, batch.buffer.size() - positions[i], false, &batch.records[i],
                                &frame_size);
    }
    return batch;
}

Result<Offset> ShardLog::FindOffsetAtTimestamp(int64_t ms) const {
    std::shared_ptr<Segment> seg;
    uint64_t start = lf::kSegmentHeaderSize, end = 0;
    Offset durable;
    {
        std::lock_guard lock(mu_);
        durable = durable_offset_;
        auto it = std::partition_point(
            segments_.begin(), segments_.end(),
            [&](const std::shared_ptr<Segment>& s) { return s->durable_last_arrival < ms; });
        if (it == segments_.end() || (*it)->durable_next == (*it)->first) return durable;
        seg = *it;
        auto e = std::partition_point(seg->index.begin(), seg->index.end(),
                                      [&](const IndexEntry& x) { return x.arrival_ms < ms; });
        if (e != seg->index.begin()) start = std::prev(e)->pos;
        end = seg->durable_size;
    }
    FrameCursor cursor(seg->file.get(), start, end, 64 << 10);
    FrameCursor::Step step;
    for (;;) {
        TARN_RETURN_IF_ERROR(cursor.Next(&step));
        if (step.kind == FrameCursor::Step::kEnd) return durable;
        if (step.kind == FrameCursor::Step::kBad) {
            return Status::Corruption(seg->path + ": " + FrameErrorName(step.error) + " at byte " +
                                      std::to_string(step.frame_pos));
        }
        if (step.record.offset >= durable) return durable;
        if (step.record.arrival_ms >= ms) return step.record.offset;
    }
}

Result<RetentionResult> ShardLog::DeleteSegments(const RetentionPolicy& policy) {
    std::lock_guard wlock(write_mu_);
    RetentionResult result;
    Status status;
    for (;;) {
        std::shared_ptr<Segment> seg;
        {
            std::lock_guard lock(mu_);
            if (segments_.size() <= 1) break;
            const Segment& s = *segments_.front();
            if (s.durable_next != s.next || s.durable_last_arrival >= policy.cutoff_ms ||
                s.durable_next > policy.protected_offset) {
                break;
            }
            seg = segments_.front();
            segments_.erase(segments_.begin());
        }
        ++result.segments;
        result.records += seg->durable_next - seg->first;
        result.bytes += seg->durable_size;
        // Readers holding `seg` keep reading through its open file.
        status = io_->RemoveFile(seg->path);
        if (!status.ok()) break;
    }
    if (result.segments > 0) {
        Status s = io_->SyncDir(options_.dir);
        StreamMetrics::Get().fsyncs.Inc();
        if (status.ok()) status = s;
        TARN_LOG_INFO("stream.retention", {{"shard", options_.shard_id},
                                           {"segments", result.segments},
                                           {"records", result.records},
                                           {"bytes", result.bytes}});
    }
    if (!status.ok()) return status;
    return result;
}

Offset ShardLog::first_offset() const {
    std::lock_guard lock(mu_);
    return segments_.front()->first;
}
Offset ShardLog::next_offset() const {
    std::lock_guard lock(mu_);
    return next_offset_;
}
Offset ShardLog::durable_offset() const {
    std::lock_guard lock(mu_);
    return durable_offset_;
}
size_t ShardLog::num_segments() const {
    std::lock_guard lock(mu_);
    return segments_.size();
}
bool ShardLog::writable() const {
    std::lock_guard lock(mu_);
    return writable_;
}

}  // namespace tarn::stream
