// ShardLog: the durable, append-only log of one shard — a folder of segment files
// (log_format.md), a sparse in-memory index, and a durable watermark.
//
// Offsets are dense from 0. Append() assigns offsets and one arrival time per call
// (max(clock, last arrival): non-decreasing) and writes the whole call with one write per segment;
// Sync() fsyncs and then advances the durable watermark. Readers (Read, FindOffsetAtTimestamp)
// see only records below durable_offset(), so a tail lost in a crash was never seen by anyone and
// its offsets may be issued again.
//
// Failures: when a write or fsync fails, the shard rolls back to its last durable state (removes
// segments created since, truncates the active one to its durable size and fsyncs it) and returns
// a retryable error: ResourceExhausted for ENOSPC/EDQUOT, Unavailable for other I/O errors. The
// records of every Append since the last successful Sync() are then gone, and their offsets are
// reissued. If the rollback itself fails, the shard refuses all further appends (Unavailable)
// until it is reopened; recovery then cuts whatever tail is torn. A record that was written but
// not synced before a crash may survive it (it is valid on disk): never acknowledged, but kept.
//
// Thread-safety: Append(), Sync() and DeleteSegments() serialize among themselves; Read(),
// FindOffsetAtTimestamp() and the accessors may run on any thread concurrently with them.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "stream/file_io.h"
#include "stream/log_format.h"
#include "stream/record.h"

namespace tarn::stream {

// The page-cache window a shard keeps at its tail by default (ShardLogOptions).
inline constexpr uint64_t kDefaultCacheWindowBytes = uint64_t{32} << 20;

struct ShardLogOptions {
    std::string dir;        // the shard's folder; created when missing
    uint64_t shard_id = 0;  // written into each segment header and checked on open
    // A segment is closed and a new one started once it holds at least this many bytes.
    uint64_t segment_bytes = log_format::kDefaultSegmentBytes;
    // One index entry per this many bytes of frames (and one at each segment start).
    uint32_t index_interval_bytes = log_format::kDefaultIndexIntervalBytes;
    FileIo* io = nullptr;    // nullptr: DefaultFileIo(). Not owned; must outlive the log.
    Clock* clock = nullptr;  // nullptr: SystemClock::Instance(). Not owned.
    // Drop-behind: once durable, bytes more than this far behind the shard's end are dropped from
    // the OS page cache (File::DropCache), and closed segments entirely. Readers at the tail (the
    // usual consumers) still find their pages cached, and the cache does not grow with the log,
    // so new writes reuse recently freed pages instead of claiming fresh memory, which on a VM
    // costs several times the copy itself. 0: never drop.
    uint64_t cache_window_bytes = kDefaultCacheWindowBytes;
};

// What one Append() assigned: offsets [first, first + count), all with arrival time arrival_ms.
struct AppendInfo {
    Offset first{};
    uint64_t count = 0;
    int64_t arrival_ms = 0;
};

// Which segments retention may delete: whole segments, never the last one, whose last record
// arrived before `cutoff_ms` and whose records are all below `protected_offset` (e.g. the lowest
// checkpoint of the shard's consumers). Segments go oldest first; the first one kept stops it.
struct RetentionPolicy {
    int64_t cutoff_ms = INT64_MAX;
    Offset protected_offset{UINT64_MAX};
};
struct RetentionResult {
    uint64_t segments = 0;
    uint64_t records = 0;
    uint64_t bytes = 0;
};

class ShardLog {
public:
    // Opens (creating when missing) the shard in `options.dir` and recovers it: every segment is
    // scanned and indexed; a torn tail of the last segment (short frame, bad length, bad CRC) is
    // cut and logged ("stream.recovered"). Corruption for a bad record in any other place
    // (message: file and byte position), for gaps between segments or a header of another shard;
    // Unimplemented for a segment format version this build does not know.
    static Result<std::unique_ptr<ShardLog>> Open(ShardLogOptions options);
    ~ShardLog();

    ShardLog(const ShardLog&) = delete;
    ShardLog& operator=(const ShardLog&) = delete;

    // Writes `records` (REQUIRES: each passes ValidateRecord) after the last appended one; they
    // become visible after the next successful Sync(). Empty `records` is a no-op.
    Result<AppendInfo> Append(std::span<const RecordInput> records);
    // Makes everything appended durable and visible. On failure see the paragraph above.
    Status Sync();

    // Up to `max_records` durable records from `from` (raised to first_offset()) on, across
    // segments, stopping before the record that would take the data bytes past `max_bytes` (but
    // always at least one record when there is one). Corruption when a durable frame is bad.
    Result<RecordBatch> Read(Offset from, size_t max_records, size_t max_bytes) const;
    // The first durable record whose arrival time is >= `ms`, or durable_offset() when none.
    Result<Offset> FindOffsetAtTimestamp(int64_t ms) const;

    // Deletes old whole segments (see RetentionPolicy); then first_offset() moves up.
    Result<RetentionResult> DeleteSegments(const RetentionPolicy& policy);
    Result<RetentionResult> DeleteSegmentsBefore(Offset offset) {
        return DeleteSegments(RetentionPolicy{INT64_MAX, offset});
    }

    uint64_t shard_id() const { return options_.shard_id; }
    const std::string& dir() const { return options_.dir; }
    // The oldest offset still stored (the trim horizon).
    Offset first_offset() const;
    // The offset the next Append() assigns.
    Offset next_offset() const;
    // The durable watermark: readers see offsets below it.
    Offset durable_offset() const;
    size_t num_segments() const;
    // False once a failed rollback made the shard refuse appends.
    bool writable() const;

private:
    struct Segment;
    struct IndexEntry {
        Offset offset;
        uint64_t pos;
        int64_t arrival_ms;
    };

    explicit ShardLog(ShardLogOptions options);
    Status Recover();
    Status RecoverSegment(const std::shared_ptr<Segment>& seg, bool last);
    Status CreateSegment(Offset first);
    Status Roll();
    Status WritePending(int64_t arrival);
    // After a sync: lets the OS drop cached pages behind the window (ShardLogOptions).
    void DropCacheBehind();
    Status Fail(Status cause);
    Status Rollback();
    std::string SegmentPath(Offset first) const;

    const ShardLogOptions options_;
    FileIo* const io_;
    Clock* const clock_;

    std::mutex write_mu_;  // serializes writers (Append, Sync, DeleteSegments)
    // Writer state, guarded by write_mu_.
    // Frames encoded but not yet written to the active segment: [0, pending_size_) of a buffer
    // that grows without zero-filling (every byte is written by the encoder).
    std::unique_ptr<char[]> pending_;
    size_t pending_size_ = 0, pending_capacity_ = 0;
    std::vector<size_t> pending_starts_;  // where each pending frame starts, for its CRC
    // `n` more bytes at the end of the pending frames.
    char* GrowPending(size_t n);
    std::vector<IndexEntry> pending_index_;
    uint64_t pending_records_ = 0;
    int64_t last_arrival_ms_ = 0;
    uint64_t last_index_pos_ = 0;

    mutable std::mutex mu_;                           // guards what follows (read by readers)
    std::vector<std::shared_ptr<Segment>> segments_;  // by first offset; never empty once open
    Offset next_offset_{};
    Offset durable_offset_{};
    bool writable_ = true;
};

// "<first offset as 20 digits>.seg".
std::string SegmentFileName(Offset first);

}  // namespace tarn::stream
