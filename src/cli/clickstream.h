// The clickstream generator behind `tarn gen` (and the demo producer of `tarn up`): realistic,
// deterministic NDJSON web/app events, one JSON object per line, written without allocation.
//
// Every line is a pure function of (options, line index). The same options give byte-identical
// lines; any range of lines can be generated on its own, so ranges can be generated in parallel
// and concatenated; lines [0, n) are a prefix of lines [0, m) for n <= m. (The event *times* come
// from the schedule in the options, start + span * index / count, so changing `count` moves
// timestamps and the session ids derived from them; nothing else depends on it.)
//
// A line is one of three kinds, chosen by a hash of (seed, index):
//   - an event: {"event_id":"<uuid-v4 shape>","user_id":<int>,"session_id":"<16 hex>",
//     "event_type":"view|click|search|add_to_cart|remove_from_cart|purchase|signup|login|logout",
//     "page":"/products/123|/cart|/checkout|/search?q=...|...","referrer":null|"<url>",
//     "country":"<ISO-3166 alpha-2>","device":"mobile|desktop|tablet","price":<2 decimals, only on
//     purchase>,"ts":"YYYY-MM-DDTHH:MM:SS.mmmZ","context":{"app_version":"3.4.1","os":"iOS 17",
//     "screen":{"w":390,"h":844}},"tags":[<0-3 strings>]}
//     event_id is unique per index (a bijective mix of the index, never a random draw); user_id is
//     Zipf-distributed (exponent 1.1) over [1, users]; session_id derives from the user and a
//     30-minute bucket of ts; country is fixed per user; device, os, screen and app_version are
//     fixed per session.
//   - malformed (fraction `malformed_rate`): invalid JSON: a truncated event, a trailing comma, a
//     single-quoted key, or a line of non-JSON text (an HTML error page, a log line, ...).
//   - duplicate (fraction `duplicate_rate`): the exact bytes of one of the kDuplicateWindow lines
//     before it that is an event (a producer's retry). Line 0 is never a duplicate.
//
// Thread-safety: a ClickstreamGenerator is immutable once created; its const methods may run on
// many threads at once. A LiveClickstream is a cursor for one producer thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/huge_page_allocator.h"
#include "columnar/schema.h"
#include "common/status.h"

namespace tarn::cli {

inline constexpr int64_t kDefaultClickstreamStartMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
inline constexpr int64_t kDefaultClickstreamSpanMs = 3 * 86'400'000LL;    // 3 days

struct ClickstreamOptions {
    uint64_t seed = 1;
    // The schedule: event i happens at start_ms + span_ms * i / count, plus a jitter in
    // [0, kMaxJitterMs). count = 0 puts every event at start_ms (plus jitter). Indices past `count`
    // continue the same line.
    int64_t start_ms = kDefaultClickstreamStartMs;
    int64_t span_ms = kDefaultClickstreamSpanMs;
    int64_t count = 1000;
    uint32_t users = 100'000;     // user ids are 1..users
    double malformed_rate = 0.0;  // in [0, 1]
    double duplicate_rate = 0.0;  // in [0, 1]; malformed_rate + duplicate_rate <= 1
};

// InvalidArgument, naming the option, when `options` is out of range.
Status ValidateClickstreamOptions(const ClickstreamOptions& options);

// The columnar schema of the events, for tools that load them typed (benchmarks, tests):
// event_id, session_id, event_type, page, referrer, country, device VARCHAR; user_id INT64;
// price DECIMAL(10,2); ts TIMESTAMP; context STRUCT<app_version, os VARCHAR, screen STRUCT<w, h
// INT32>>; tags LIST<VARCHAR>; every field nullable, in the order the events write them (price,
// which only purchases have, where it stands in a purchase).
std::shared_ptr<const columnar::Schema> ClickstreamEventSchema();

class ClickstreamGenerator {
public:
    static constexpr size_t kMaxLineBytes = 1024;  // an upper bound on one line, '\n' included
    static constexpr uint64_t kDuplicateWindow = 64;
    static constexpr int64_t kMaxJitterMs = 5000;
    static constexpr uint32_t kMaxUsers = 10'000'000;  // the Zipf table costs 8 bytes per user

    enum class LineKind : uint8_t { kEvent, kMalformed, kDuplicate };

    // Builds the tables (O(users) time and memory). Fails when ValidateClickstreamOptions does.
    static Result<ClickstreamGenerator> Create(const ClickstreamOptions& options);

    const ClickstreamOptions& options() const { return options_; }

    // Appends lines [first, first + n), each ending with '\n', to *out.
    void AppendEvents(uint64_t first, uint64_t n, std::string* out) const;
    // Writes lines [first, first + n) at `dest` and returns the end of what it wrote.
    // REQUIRES: dest has room for n * kMaxLineBytes bytes.
    char* WriteEvents(uint64_t first, uint64_t n, char* dest) const;

    // The kind of line `index`.
    LineKind KindOf(uint64_t index) const;
    // The scheduled time of line `index`, in milliseconds since the epoch (clamped to years
    // 1970..9999).
    int64_t EventTimeMillis(uint64_t index) const;

private:
    friend class LiveClickstream;

    struct AliasSlot {
        uint32_t threshold;  // take this slot when a 32-bit coin is below it, else `alias`
        uint32_t alias;
    };

    explicit ClickstreamGenerator(const ClickstreamOptions& options);

    struct Scratch;  // per-call state of WriteRange: cached date text

    LineKind BaseKind(uint64_t index) const;
    // The kind of line `index`; for a duplicate, also the line it repeats.
    LineKind Classify(uint64_t index, uint64_t* source) const;
    uint32_t SampleUser(uint64_t random) const;
    // Prefetches the alias-table slot SampleUser will read for line `index`: a random access into
    // a table of `users` entries that misses the cache, and so most of a line's cost unless
    // WriteRange asks for it a few lines ahead.
    void PrefetchUser(uint64_t index) const;
    char* WriteEvent(uint64_t index, int64_t ts_ms, char* p, Scratch* scratch) const;
    char* WriteMalformed(uint64_t index, int64_t ts_ms, char* p, Scratch* scratch) const;
    // Writes lines [first, first + n); `time_of(i)` gives the event time of line i, for i in
    // [first - kDuplicateWindow, first + n).
    template <typename TimeOf>
    char* WriteRange(uint64_t first, uint64_t n, const TimeOf& time_of, char* dest) const;

    ClickstreamOptions options_;
    uint64_t id_key_ = 0;
    uint64_t event_key_ = 0;
    uint64_t kind_key_ = 0;
    uint64_t jitter_key_ = 0;
    uint64_t user_key_ = 0;
    uint64_t session_key_ = 0;
    uint64_t malformed_below_ = 0;  // 53-bit thresholds on a kind hash
    uint64_t duplicate_below_ = 0;
    uint64_t user_multiplier_ = 1;  // rank -> user id: (rank * multiplier + offset) % users + 1
    uint64_t user_offset_ = 0;
    std::vector<AliasSlot, HugePageAllocator<AliasSlot>> zipf_;  // one slot per user rank
};

// Live production: line i is produced at the wall-clock time passed when it is produced, and a
// duplicate repeats its source with the time the source was produced at, so it stays a byte-exact
// repeat. Not thread-safe; does not take ownership of the generator, which must outlive it.
class LiveClickstream {
public:
    explicit LiveClickstream(const ClickstreamGenerator* generator, uint64_t first_index = 0);

    uint64_t next_index() const { return next_; }
    // Appends the next n lines, produced at `now_ms`. REQUIRES: now_ms does not decrease.
    void AppendNext(uint64_t n, int64_t now_ms, std::string* out);
    // As AppendNext, at `dest`. REQUIRES: room for n * kMaxLineBytes bytes.
    char* WriteNext(uint64_t n, int64_t now_ms, char* dest);

private:
    struct Batch {
        uint64_t first;
        int64_t ms;
    };
    // Each batch holds at least one line, so the last kDuplicateWindow + 1 batches cover every
    // possible duplicate source.
    static constexpr size_t kBatches = 2 * ClickstreamGenerator::kDuplicateWindow;

    int64_t TimeOf(uint64_t index) const;

    const ClickstreamGenerator* generator_;
    uint64_t next_;
    std::array<Batch, kBatches> batches_{};
    size_t batch_count_ = 0;  // batches recorded so far (the ring holds the last kBatches)
};

}  // namespace tarn::cli
