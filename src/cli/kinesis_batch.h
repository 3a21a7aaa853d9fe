// Turning clickstream lines into PutRecords batches for the Kinesis producer
// (cli/kinesis_producer.h): which records a connection sends next and when (RecordSource, shared
// by all connections), and the body holding them (BatchWriter, one per connection).
//
// A record is one line with its '\n', padded with spaces before the '\n' (still valid JSON) or cut
// to `record_bytes` (then not JSON: for benchmarks) when record_bytes > 0. Its partition key is the
// line's user_id, or the decimal line index for a line without one (a malformed line).
//
// With `distinct` records, the batches of lines [0, distinct) are built once (FrozenBatch) and sent
// over and over: record i is line i mod distinct. A benchmark's load generator then spends its
// cores on sending, not on generating and encoding.
//
// Thread-safety: RecordSource may be used by many threads at once; a BatchWriter by one at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/clickstream.h"
#include "cli/kinesis_records.h"
#include "common/hash.h"

namespace tarn::cli {

// A batch built once and sent many times.
struct FrozenBatch {
    std::string body;  // the PutRecords request body
    size_t records = 0;
    uint64_t data_bytes = 0;
};

class BatchWriter {
public:
    // Does not take ownership of `generator`. `keep_acks`: remember each record's partition key
    // and data MD5 for AckLine().
    BatchWriter(const ClickstreamGenerator* generator, std::string stream, unsigned max_batch,
                size_t record_bytes, bool keep_acks,
                PutApi api = PutApi::kKinesisPutRecords);

    // Replaces the batch with lines [first, first + n) of the generator.
    void WriteScheduled(uint64_t first, uint64_t n);
    // Replaces the batch with the next n lines of `live`, stamped now_ms.
    void WriteLive(LiveClickstream* live, uint64_t n, int64_t now_ms);

    // Makes `frozen` the batch (without acks). It must outlive its use.
    void UseFrozen(const FrozenBatch* frozen) { frozen_ = frozen; }
    // A copy of the batch written last.
    FrozenBatch Freeze();

    std::string_view body_text() {
        return frozen_ != nullptr ? std::string_view(frozen_->body) : body_.text();
    }
    size_t records() const { return frozen_ != nullptr ? frozen_->records : body_.records(); }
    uint64_t data_bytes() const { return frozen_ != nullptr ? frozen_->data_bytes : data_bytes_; }
    // Appends "partition_key\tshard\tsequence\tmd5_hex\n" for record `index` of the batch.
    // REQUIRES: keep_acks.
    void AppendAckLine(size_t index, std::string_view shard, std::string_view sequence,
                       std::string* out) const;

private:
    void BuildBody(uint64_t first, const char* lines, const char* end);
    std::string_view ShapeRecord(std::string_view line);

    const ClickstreamGenerator* generator_;
    std::string stream_;
    size_t record_bytes_;
    bool keep_acks_;
    std::unique_ptr<char[]> lines_;  // room for max_batch lines
    std::string record_;             // the padded or cut record
    PutRecordsBody body_;
    uint64_t data_bytes_ = 0;
    std::string keys_;                  // with keep_acks: the partition keys, back to back
    std::vector<uint32_t> key_ends_;    // end offset in keys_ of each record's key
    std::vector<Md5Digest> data_md5s_;  // with keep_acks: each record's data MD5
    const FrozenBatch* frozen_ = nullptr;  // when set, the batch instead of body_
};

// The records still to send, handed out batch by batch; with a rate, when each may go.
class RecordSource {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;

    // `count` records, or unlimited; `rate` records/s (0: no pacing); `live_time`: generate with a
    // LiveClickstream (REQUIRES rate > 0). Does not take ownership of `generator`.
    RecordSource(const ClickstreamGenerator* generator, uint64_t count, bool unlimited,
                 unsigned batch, double rate, bool live_time);

    enum class Take { kBatch, kWait, kDone };
    // kBatch: *writer holds the next batch, to be sent at *due (now or later). kWait: nothing is
    // due yet; call again at *due. kDone: every record has been handed out.
    Take Next(SteadyTime now, BatchWriter* writer, SteadyTime* due);

    // From now on, record i is line i mod `distinct`, its batches built here with `builder`.
    // REQUIRES: no rate; distinct a multiple of the batch size; builder without keep_acks.
    void Freeze(uint64_t distinct, BatchWriter* builder);

private:
    SteadyTime DueTime(uint64_t index) const;

    uint64_t count_;
    bool unlimited_;
    unsigned batch_;
    double rate_;
    SteadyTime start_;
    std::atomic<uint64_t> next_{0};
    std::mutex live_mu_;
    std::optional<LiveClickstream> live_;  // guarded by live_mu_
    uint64_t distinct_ = 0;                // 0: every record its own line
    std::vector<FrozenBatch> frozen_;      // with distinct_: batch k holds lines from k * batch_
};

}  // namespace tarn::cli
