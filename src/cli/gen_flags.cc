#include "cli/gen_flags.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/names.h"
#include "common/time_format.h"

namespace tarn::cli {
namespace {

constexpr double kMaxRate = 1e9;
constexpr unsigned kMaxBatch = 500;            // PutRecords' limit
constexpr uint64_t kMaxRecordBytes = 1 << 20;  // a Kinesis record's limit (1 MiB)
constexpr uint64_t kMaxFirehoseRecordBytes = 1000 * 1024;  // a Firehose record's (1000 KiB)
constexpr unsigned kMaxConnections = 256;      // each holds a batch of lines (up to 512 KiB)
constexpr unsigned kMaxCreateShards = 10000;
constexpr uint64_t kMaxDistinct = 1'000'000;   // batches built ahead: ~270 MB of 200-byte records

Status BadFlag(std::string_view flag, std::string_view expected, std::string_view text) {
    return Status::InvalidArgument(std::string(flag) + ": expected " + std::string(expected) +
                                   ", got '" + std::string(text) + "'");
}

template <typename Int>
Result<Int> ParseInteger(std::string_view flag, std::string_view text, std::string_view expected) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return BadFlag(flag, expected, text);
    }
    return value;
}

Result<double> ParseFraction(std::string_view flag, std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        !(value >= 0.0 && value <= 1.0)) {
        return BadFlag(flag, "a fraction between 0 and 1", text);
    }
    return value;
}

// Firehose's DeliveryStreamName: 1..64 of [a-zA-Z0-9_.-].
Status ValidateDeliveryStreamName(std::string_view name) {
    bool ok = !name.empty() && name.size() <= 64;
    for (char c : name) {
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-');
    }
    if (ok) return Status::Ok();
    return Status::InvalidArgument("delivery stream name '" + std::string(name) +
                                   "' must be 1 to 64 of a-z, A-Z, 0-9, '_', '.' and '-'");
}

// "kinesis://STREAM" or "firehose://DELIVERY_STREAM" and the flags that go with it.
Result<KinesisTarget> ParseKinesisTarget(const GenFlags& f) {
    constexpr std::string_view kKinesis = "kinesis://";
    constexpr std::string_view kFirehose = "firehose://";
    constexpr std::string_view kExpected = "kinesis://STREAM or firehose://DELIVERY_STREAM";
    KinesisTarget t;
    KinesisProducerOptions& p = t.producer;
    if (f.to.starts_with(kKinesis)) {
        p.stream = f.to.substr(kKinesis.size());
        if (Status s = ValidateName(NameKind::kStream, p.stream); !s.ok()) {
            return Status::InvalidArgument("--to: " + s.message());
        }
    } else if (f.to.starts_with(kFirehose)) {
        p.api = PutApi::kFirehosePutRecordBatch;
        p.stream = f.to.substr(kFirehose.size());
        if (Status s = ValidateDeliveryStreamName(p.stream); !s.ok()) {
            return Status::InvalidArgument("--to: " + s.message());
        }
    } else {
        return BadFlag("--to", kExpected, f.to);
    }
    auto endpoint = ParseKinesisEndpoint(f.endpoint);
    if (!endpoint.ok())
        return Status::InvalidArgument("--endpoint: " + endpoint.status().message());
    p.endpoint = std::move(*endpoint);
    const std::string connections_range = "between 1 and " + std::to_string(kMaxConnections);
    TARN_ASSIGN_OR_RETURN(
        p.connections, ParseInteger<unsigned>("--connections", f.connections, connections_range));
    if (p.connections < 1 || p.connections > kMaxConnections) {
        return BadFlag("--connections", connections_range, f.connections);
    }
    TARN_ASSIGN_OR_RETURN(p.batch, ParseInteger<unsigned>("--batch", f.batch, "between 1 and 500"));
    if (p.batch < 1 || p.batch > kMaxBatch) return BadFlag("--batch", "between 1 and 500", f.batch);
    const std::string bytes_range = "between 1 and " + std::to_string(kMaxRecordBytes);
    TARN_ASSIGN_OR_RETURN(uint64_t record_bytes,
                          ParseInteger<uint64_t>("--record-bytes", f.record_bytes, bytes_range));
    if (record_bytes > kMaxRecordBytes)
        return BadFlag("--record-bytes", bytes_range, f.record_bytes);
    p.record_bytes = record_bytes;  // 0 (the default): lines as they are
    const std::string shards_range = "between 1 and " + std::to_string(kMaxCreateShards);
    TARN_ASSIGN_OR_RETURN(t.create_shards,
                          ParseInteger<unsigned>("--create-shards", f.create_shards, shards_range));
    if (t.create_shards > kMaxCreateShards) {
        return BadFlag("--create-shards", shards_range, f.create_shards);
    }
    if (t.create_shards > 0 && p.api == PutApi::kFirehosePutRecordBatch) {
        return Status::InvalidArgument(
            "--create-shards goes with kinesis:// only (create the delivery stream first)");
    }
    if (p.api == PutApi::kFirehosePutRecordBatch && record_bytes > kMaxFirehoseRecordBytes) {
        return BadFlag("--record-bytes",
                       "at most " + std::to_string(kMaxFirehoseRecordBytes) + " with firehose://",
                       f.record_bytes);
    }
    if (!f.report.empty() && f.report != "json") return BadFlag("--report", "json", f.report);
    t.report_json = f.report == "json";
    p.acks_path = f.acks;
    const std::string distinct_range = "between 0 and " + std::to_string(kMaxDistinct);
    TARN_ASSIGN_OR_RETURN(p.distinct,
                          ParseInteger<uint64_t>("--distinct", f.distinct, distinct_range));
    if (p.distinct > kMaxDistinct) return BadFlag("--distinct", distinct_range, f.distinct);
    if (p.distinct % p.batch != 0) {
        return BadFlag("--distinct", "a multiple of --batch (" + std::to_string(p.batch) + ")",
                       f.distinct);
    }
    if (p.distinct > 0 && !p.acks_path.empty()) {
        return Status::InvalidArgument("--distinct and --acks cannot go together");
    }
    return t;
}

}  // namespace

Result<GenConfig> ParseGenFlags(const GenFlags& f) {
    GenConfig c;
    ClickstreamOptions& o = c.options;
    TARN_ASSIGN_OR_RETURN(o.seed, ParseInteger<uint64_t>("--seed", f.seed, "an unsigned integer"));
    TARN_ASSIGN_OR_RETURN(o.users,
                          ParseInteger<uint32_t>("--users", f.users, "a positive integer"));
    if (o.users < 1 || o.users > ClickstreamGenerator::kMaxUsers) {
        return BadFlag("--users",
                       "between 1 and " + std::to_string(ClickstreamGenerator::kMaxUsers), f.users);
    }
    TARN_ASSIGN_OR_RETURN(o.malformed_rate, ParseFraction("--malformed-rate", f.malformed_rate));
    TARN_ASSIGN_OR_RETURN(o.duplicate_rate, ParseFraction("--duplicate-rate", f.duplicate_rate));
    if (o.malformed_rate + o.duplicate_rate > 1.0) {
        return Status::InvalidArgument("--malformed-rate + --duplicate-rate must be at most 1");
    }
    const bool has_rate = f.rate_option->count() > 0;
    if (has_rate) {
        double rate = 0;
        const auto [end, ec] = std::from_chars(f.rate.data(), f.rate.data() + f.rate.size(), rate);
        if (f.rate.empty() || ec != std::errc() || end != f.rate.data() + f.rate.size() ||
            !(rate > 0.0 && rate <= kMaxRate)) {
            return BadFlag("--rate", "events per second, > 0 and at most 1e9", f.rate);
        }
        c.rate = rate;
    }
    if (f.count_option->count() > 0) {
        TARN_ASSIGN_OR_RETURN(int64_t count,
                              ParseInteger<int64_t>("--count", f.count, "an integer >= 0"));
        if (count < 0) return BadFlag("--count", "an integer >= 0", f.count);
        c.count = static_cast<uint64_t>(count);
    } else {
        c.count = has_rate ? 0 : 1000;
    }
    const bool has_start = f.start_option->count() > 0;
    if (has_start) {
        auto start = ParseIso8601Millis(f.start);
        if (!start.ok()) return Status::InvalidArgument("--start: " + start.status().message());
        if (*start < 0) {  // the parser takes years up to 9999
            return BadFlag("--start", "a time from 1970 on", f.start);
        }
        o.start_ms = *start;
    }
    auto span = ParseDuration(f.span);
    if (!span.ok()) return Status::InvalidArgument("--span: " + span.status().message());
    o.span_ms = span->count();
    if (has_rate) {
        // Live production: wall-clock times, or with --start, times advancing at the rate from
        // the start (deterministic output).
        c.live_time = !has_start;
        o.span_ms = 1'000'000;
        o.count = std::max<int64_t>(1, std::llround(c.rate * 1000));
    } else {
        o.count = static_cast<int64_t>(std::min<uint64_t>(c.count, INT64_MAX));
    }
    c.out = f.out;
    TARN_RETURN_IF_ERROR(ValidateClickstreamOptions(o));
    if (!f.to.empty()) {
        TARN_ASSIGN_OR_RETURN(c.kinesis, ParseKinesisTarget(f));
        if (c.kinesis->producer.distinct > 0 && has_rate) {
            return Status::InvalidArgument("--distinct and --rate cannot go together");
        }
    }
    return c;
}

}  // namespace tarn::cli
