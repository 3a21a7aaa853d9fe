// Fuzz target: a shard log's crash recovery (stream/shard_log.h, log_format.md) on damaged
// segment files. A shard of several small segments is written once, durably, a record at a time;
// each input then damages a copy of its files (flip bytes, cut, append bytes) and opens it.
//
// Beyond not crashing, what log_format.md promises:
//   - damage to any segment but the last is refused (Corruption), never silently read;
//   - damage to the last segment is a torn tail: Open succeeds, unless the segment's header
//     itself was changed, and keeps every record whose frame lies wholly before the first damaged
//     byte (an acknowledged record is never lost to damage after it);
//   - what is read back is exactly the records written, in order, from offset 0;
//   - the recovered shard takes a new record at the next offset and reads it back.
//
// Input: up to 8 operations of 4+ bytes: [kind, file, position (2 bytes)], kind % 3 picks
// XOR-with-(byte|1) at the position, cut to the position, or append the next `position % 16`
// input bytes. The position wraps within the file.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/logging.h"
#include "stream/log_format.h"
#include "stream/shard_log.h"
#include "testing/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using tarn::stream::Offset;
using tarn::stream::RecordInput;
using tarn::stream::ShardLog;

constexpr uint64_t kShardId = 7;
constexpr int kRecords = 40;
constexpr size_t kHeaderBytes = 40;  // log_format.md: a segment's header

[[noreturn]] void Fail(const std::string& what) {
    std::fprintf(stderr, "shard_recovery_fuzzer: %s\n", what.c_str());
    std::abort();
}

std::string Key(int i) { return "key-" + std::to_string(i); }
std::string Data(int i) { return std::string(static_cast<size_t>(i * 7 % 61), char('a' + i % 26)); }

struct Segment {
    std::string name;
    std::string bytes;
};

struct Pristine {
    tarn::testing::TempDir dir{"tarn-recovery-fuzz-"};
    std::vector<Segment> segments;  // in offset order
    // Where record i ends: its segment and the byte just past its frame.
    std::vector<size_t> segment_of;
    std::vector<size_t> end_of;
};

tarn::stream::ShardLogOptions Options(const std::string& dir) {
    tarn::stream::ShardLogOptions options;
    options.dir = dir;
    options.shard_id = kShardId;
    options.segment_bytes = 400;  // several segments of a few records each
    options.index_interval_bytes = 64;
    options.cache_window_bytes = 0;
    return options;
}

std::vector<Segment> ReadSegments(const std::string& dir) {
    std::vector<Segment> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        out.push_back({entry.path().filename().string(),
                       std::string(std::istreambuf_iterator<char>(in), {})});
    }
    std::sort(out.begin(), out.end(),
              [](const Segment& a, const Segment& b) { return a.name < b.name; });
    return out;
}

const Pristine& ThePristine() {
    static const Pristine* pristine = [] {
        tarn::SetLogLevel(tarn::LogLevel::kOff);
        // On tmpfs fsync costs nothing: the target tests recovery's logic, not the disk, and
        // runs several times faster there. The shard's files take a few KiB.
        if (std::getenv("TMPDIR") == nullptr && ::access("/dev/shm", W_OK) == 0) {
            ::setenv("TMPDIR", "/dev/shm", 0);
        }
        auto* p = new Pristine;
        const std::string shard = p->dir.path() + "/written";
        auto log = ShardLog::Open(Options(shard));
        if (!log.ok()) Fail("setup: " + log.status().ToString());
        for (int i = 0; i < kRecords; ++i) {
            const std::string key = Key(i), data = Data(i);
            const RecordInput record{.partition_key = key, .data = data};
            auto appended = (*log)->Append({&record, 1});
            if (!appended.ok() || !(*log)->Sync().ok()) Fail("setup: append");
            const auto segments = ReadSegments(shard);
            p->segment_of.push_back(segments.size() - 1);
            p->end_of.push_back(segments.back().bytes.size());
        }
        log->reset();
        p->segments = ReadSegments(shard);
        if (p->segments.size() < 3) Fail("setup: expected several segments");
        return p;
    }();
    return *pristine;
}

// Applies the input's operations to copies of the segments.
std::vector<Segment> Damage(const Pristine& p, const uint8_t* data, size_t size) {
    std::vector<Segment> files = p.segments;
    size_t at = 0;
    for (int op = 0; op < 8 && at + 4 <= size; ++op) {
        const uint8_t kind = data[at] % 3;
        std::string& bytes = files[data[at + 1] % files.size()].bytes;
        const size_t position = data[at + 2] | (size_t{data[at + 3]} << 8);
        at += 4;
        if (kind == 0 && !bytes.empty()) {
            const uint8_t mask = at < size ? (data[at++] | 1) : 1;
            bytes[position % bytes.size()] ^= static_cast<char>(mask);
        } else if (kind == 1) {
            bytes.resize(position % (bytes.size() + 1));
        } else if (kind == 2) {
            const size_t n = std::min(position % 16, size - at);
            bytes.append(reinterpret_cast<const char*>(data + at), n);
            at += n;
        }
    }
    return files;
}

// The first byte at which `now` differs from `before` (its length when one is a prefix of the
// other), or npos when they are equal.
size_t FirstDifference(const std::string& before, const std::string& now) {
    const size_t common = std::min(before.size(), now.size());
    for (size_t i = 0; i < common; ++i) {
        if (before[i] != now[i]) return i;
    }
    return before.size() == now.size() ? std::string::npos : common;
}

void WriteSegments(const std::string& dir, const std::vector<Segment>& files) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const Segment& f : files) {
        std::ofstream out(dir + "/" + f.name, std::ios::binary);
        out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
    }
}

// Reads every record back; checks each against what was written.
uint64_t ReadBack(const ShardLog& log) {
    Offset next{0};
    while (next < log.durable_offset()) {
        auto batch = log.Read(next, 7, 1 << 20);
        if (!batch.ok()) Fail("read after a successful open: " + batch.status().ToString());
        if (batch->records.empty()) Fail("read returned nothing below the durable offset");
        for (const auto& r : batch->records) {
            const uint64_t i = tarn::stream::ToU64(r.offset);
            if (r.offset != next) Fail("offsets out of sequence");
            if (i < kRecords && (r.partition_key != Key(static_cast<int>(i)) ||
                                 r.data != Data(static_cast<int>(i)))) {
                Fail("record " + std::to_string(i) + " read back differs from what was written");
            }
            next = next + 1;
        }
    }
    return tarn::stream::ToU64(next);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const Pristine& p = ThePristine();
    const std::vector<Segment> files = Damage(p, data, size);
    // Where the damage starts: the first changed segment, and the byte in it.
    size_t damaged_segment = files.size(), damaged_at = std::string::npos;
    for (size_t s = 0; s < files.size() && damaged_segment == files.size(); ++s) {
        damaged_at = FirstDifference(p.segments[s].bytes, files[s].bytes);
        if (damaged_at != std::string::npos) damaged_segment = s;
    }
    const std::string shard = p.dir.path() + "/damaged";
    WriteSegments(shard, files);
    auto log = ShardLog::Open(Options(shard));

    const size_t last = files.size() - 1;
    if (damaged_segment < last) {
        if (log.ok()) Fail("damage to segment " + files[damaged_segment].name + " was accepted");
        return 0;
    }
    if (!log.ok()) {
        if (damaged_segment == last && damaged_at < kHeaderBytes) return 0;  // its header
        Fail("a torn tail was refused: " + log.status().ToString());
    }
    // Every record that lies wholly before the damage is kept.
    uint64_t kept_at_least = 0;
    while (kept_at_least < kRecords && (p.segment_of[kept_at_least] < damaged_segment ||
                                        (p.segment_of[kept_at_least] == damaged_segment &&
                                         p.end_of[kept_at_least] <= damaged_at))) {
        ++kept_at_least;
    }
    const uint64_t read = ReadBack(**log);
    if (read < kept_at_least) {
        Fail("recovery lost record " + std::to_string(read) + ", which lies before the damage");
    }
    if (read > kRecords) Fail("recovery made up records");
    // The shard goes on: a new record takes the next offset.
    const std::string key = "after", value = "recovery";
    const RecordInput record{.partition_key = key, .data = value};
    auto appended = (*log)->Append({&record, 1});
    if (!appended.ok() || !(*log)->Sync().ok()) Fail("append after recovery failed");
    if (appended->first != Offset{read}) Fail("append after recovery took another offset");
    auto back = (*log)->Read(Offset{read}, 1, 1 << 20);
    if (!back.ok() || back->records.size() != 1 || back->records[0].data != value) {
        Fail("the record appended after recovery does not read back");
    }
    return 0;
}
