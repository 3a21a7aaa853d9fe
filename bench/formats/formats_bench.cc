// formats_bench: tarn's side of bench/formats (run.sh drives it and DuckDB on the same data).
//
//   formats_bench EVENTS.ndjson OUT_DIR [--runs N] [--threads N] [--codec snappy|zstd|...]
//
// Loads the `tarn gen` events of EVENTS.ndjson into record batches in memory (untimed; simdjson,
// the schema below), then, each `--runs` times (after one warm-up pass):
//   write      all batches into OUT_DIR/tarn.parquet with format::ParquetWriter, timed until
//              Close has handed the last byte to the OS (Commit's fsync and rename are not timed:
//              DuckDB's COPY does not fsync either);
//   scan_all   every column of that file decoded into batches by format::ParquetReader;
//   scan_2     the columns event_type and ts only.
// Scans split the row groups over --threads readers (default 1), the way a query engine scans a
// file. Prints one JSON object: rows, bytes, row_groups and the seconds of every run per phase.
// The events are the ones DuckDB reads in run.sh with the same column types:
//   event_id, session_id, event_type, page, referrer, country, device VARCHAR; user_id BIGINT;
//   price DECIMAL(10,2); ts TIMESTAMP; context STRUCT(app_version VARCHAR, os VARCHAR,
//   screen STRUCT(w INTEGER, h INTEGER)); tags VARCHAR[].
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/clickstream.h"
#include "columnar/columnar.h"
#include "common/time_format.h"
#include "format/parquet_reader.h"
#include "format/parquet_writer.h"
#include "storage/local_store.h"

namespace {

using tarn::Result;
using tarn::Status;
using tarn::columnar::ColumnVector;
using tarn::columnar::DataType;
using tarn::columnar::Field;
using tarn::columnar::RecordBatch;
using tarn::columnar::Schema;
namespace format = tarn::format;

enum Column : size_t {
    kEventId,
    kUserId,
    kSessionId,
    kEventType,
    kPage,
    kReferrer,
    kCountry,
    kDevice,
    kPrice,
    kTs,
    kContext,
    kTags,
};

[[noreturn]] void Die(const std::string& what) {
    std::fprintf(stderr, "formats_bench: %s\n", what.c_str());
    std::exit(1);
}

void Check(const Status& s) {
    if (!s.ok()) Die(s.ToString());
}

// "2026-01-01T00:00:01.302Z" -> microseconds since the epoch.
int64_t ParseTimestampMicros(std::string_view text) {
    Result<int64_t> ms = tarn::ParseIso8601Millis(text);
    if (!ms.ok()) Die("bad ts '" + std::string(text) + "': " + ms.status().ToString());
    return *ms * 1000;
}

void AppendStringOrNull(simdjson::ondemand::value v, ColumnVector* out) {
    if (v.is_null()) {
        out->AppendNull();
        return;
    }
    std::string_view s;
    if (v.get_string().get(s)) Die("expected a string");
    out->AppendString(s);
}

// Appends one event (fields in any order; a missing field is NULL) to the batch's columns.
void AppendEvent(simdjson::ondemand::object obj, RecordBatch* batch) {
    const size_t row = batch->num_rows();
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) Die("bad key");
        simdjson::ondemand::value v = field.value();
        if (key == "event_id") {
            AppendStringOrNull(v, &batch->column(kEventId));
        } else if (key == "user_id") {
            batch->column(kUserId).Append<int64_t>(v.get_int64().value());
        } else if (key == "session_id") {
            AppendStringOrNull(v, &batch->column(kSessionId));
        } else if (key == "event_type") {
            AppendStringOrNull(v, &batch->column(kEventType));
        } else if (key == "page") {
            AppendStringOrNull(v, &batch->column(kPage));
        } else if (key == "referrer") {
            AppendStringOrNull(v, &batch->column(kReferrer));
        } else if (key == "country") {
            AppendStringOrNull(v, &batch->column(kCountry));
        } else if (key == "device") {
            AppendStringOrNull(v, &batch->column(kDevice));
        } else if (key == "price") {
            const double price = v.get_double().value();
            batch->column(kPrice).Append<int64_t>(std::llround(price * 100));
        } else if (key == "ts") {
            batch->column(kTs).Append<int64_t>(ParseTimestampMicros(v.get_string().value()));
        } else if (key == "context") {
            ColumnVector& ctx = batch->column(kContext);
            simdjson::ondemand::object c = v.get_object().value();
            ctx.child(0).AppendString(c["app_version"].get_string().value());
            ctx.child(1).AppendString(c["os"].get_string().value());
            ColumnVector& screen = ctx.child(2);
            simdjson::ondemand::object s = c["screen"].get_object().value();
            screen.child(0).Append<int32_t>(static_cast<int32_t>(s["w"].get_int64().value()));
            screen.child(1).Append<int32_t>(static_cast<int32_t>(s["h"].get_int64().value()));
            screen.AppendStructEnd();
            ctx.AppendStructEnd();
        } else if (key == "tags") {
            ColumnVector& tags = batch->column(kTags);
            for (auto tag : v.get_array()) tags.child(0).AppendString(tag.get_string().value());
            tags.AppendListEnd();
        }
    }
    // Columns the event did not have (price on all but purchases) get a NULL.
    for (size_t c = 0; c < batch->num_columns(); ++c) {
        if (batch->column(c).length() == row) batch->column(c).AppendNull();
    }
    batch->set_num_rows(row + 1);
}

std::vector<RecordBatch> LoadEvents(const std::string& path,
                                    const std::shared_ptr<const Schema>& schema) {
    simdjson::padded_string text;
    if (auto error = simdjson::padded_string::load(path).get(text)) {
        Die("cannot read " + path + ": " + simdjson::error_message(error));
    }
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document_stream docs;
    if (parser.iterate_many(text, 1 << 20).get(docs)) Die("cannot parse " + path);
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    for (auto doc : docs) {
        if (batches.back().num_rows() == tarn::columnar::kDefaultBatchRows) {
            batches.emplace_back(schema);
        }
        simdjson::ondemand::object obj;
        if (doc.get_object().get(obj)) Die("a line of " + path + " is not an object");
        AppendEvent(obj, &batches.back());
    }
    for (const RecordBatch& b : batches) Check(b.Validate());
    return batches;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct WriteResult {
    double seconds = 0;
    uint64_t bytes = 0;
    size_t row_groups = 0;
};

WriteResult WriteFile(tarn::storage::LocalStore* store, const std::vector<RecordBatch>& batches,
                      const std::shared_ptr<const Schema>& schema,
                      const format::ParquetWriterOptions& options) {
    auto object = store->OpenWriter("tarn.parquet");
    Check(object.status());
    const auto start = std::chrono::steady_clock::now();
    auto writer = format::ParquetWriter::Open(object->get(), schema, options);
    Check(writer.status());
    for (const RecordBatch& b : batches) Check((*writer)->Write(b));
    Result<format::FileMetaData> footer = (*writer)->Close();
    Check(footer.status());
    WriteResult r;
    r.seconds = SecondsSince(start);
    r.bytes = (*object)->size();
    r.row_groups = footer->row_groups.size();
    Check((*object)->Commit());
    return r;
}

// Reads row groups `groups` of the file; returns the rows read.
int64_t ScanGroups(tarn::storage::LocalStore* store,
                   const std::optional<std::vector<std::string>>& columns,
                   std::vector<size_t> groups) {
    format::ParquetReaderOptions options;
    options.columns = columns;
    options.row_groups = std::move(groups);
    auto reader = format::ParquetReader::Open(store, "tarn.parquet", options);
    Check(reader.status());
    RecordBatch batch = (*reader)->NewBatch();
    int64_t rows = 0;
    while (true) {
        Result<bool> more = (*reader)->Next(&batch);
        Check(more.status());
        if (!*more) break;
        rows += static_cast<int64_t>(batch.num_rows());
    }
    return rows;
}

double Scan(tarn::storage::LocalStore* store,
            const std::optional<std::vector<std::string>>& columns, size_t row_groups,
            size_t threads, int64_t expect_rows) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::vector<size_t>> shares(threads);
    for (size_t g = 0; g < row_groups; ++g) shares[g % threads].push_back(g);
    std::vector<int64_t> rows(threads, 0);
    std::vector<std::thread> workers;
    for (size_t t = 1; t < threads; ++t) {
        workers.emplace_back([&, t] { rows[t] = ScanGroups(store, columns, shares[t]); });
    }
    rows[0] = ScanGroups(store, columns, shares[0]);
    for (std::thread& w : workers) w.join();
    const double seconds = SecondsSince(start);
    int64_t total = 0;
    for (int64_t r : rows) total += r;
    if (total != expect_rows) {
        Die("scan read " + std::to_string(total) + " rows, expected " +
            std::to_string(expect_rows));
    }
    return seconds;
}

std::string JsonArray(const std::vector<double>& xs) {
    std::string out = "[";
    for (size_t i = 0; i < xs.size(); ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.4f", i ? "," : "", xs[i]);
        out += buf;
    }
    return out + "]";
}

format::CompressionCodec ParseCodec(const std::string& name) {
    if (name == "snappy") return format::CompressionCodec::kSnappy;
    if (name == "zstd") return format::CompressionCodec::kZstd;
    if (name == "gzip") return format::CompressionCodec::kGzip;
    if (name == "uncompressed") return format::CompressionCodec::kUncompressed;
    Die("unknown --codec " + name);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: formats_bench EVENTS.ndjson OUT_DIR [--runs N] [--threads N] "
                     "[--codec snappy|zstd|gzip|uncompressed]\n");
        return 2;
    }
    const std::string events = argv[1];
    const std::string out_dir = argv[2];
    int runs = 5;
    size_t threads = 1;
    format::ParquetWriterOptions options;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--runs") {
            runs = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--threads") {
            threads = static_cast<size_t>(std::max(1, std::atoi(argv[i + 1])));
        } else if (flag == "--codec") {
            options.codec = ParseCodec(argv[i + 1]);
        } else {
            Die("unknown flag " + flag);
        }
    }
    auto schema = tarn::cli::ClickstreamEventSchema();
    const auto load_start = std::chrono::steady_clock::now();
    const std::vector<RecordBatch> batches = LoadEvents(events, schema);
    int64_t rows = 0;
    for (const RecordBatch& b : batches) rows += static_cast<int64_t>(b.num_rows());
    std::fprintf(stderr, "formats_bench: loaded %lld events in %.1f s\n",
                 static_cast<long long>(rows), SecondsSince(load_start));

    auto store = tarn::storage::LocalStore::Open(out_dir);
    Check(store.status());
    WriteResult written = WriteFile(store->get(), batches, schema, options);  // warm-up
    const std::vector<std::string> two = {"event_type", "ts"};
    Scan(store->get(), std::nullopt, written.row_groups, threads, rows);  // warm-up
    std::vector<double> write_s, scan_all_s, scan_2_s;
    for (int r = 0; r < runs; ++r) {
        written = WriteFile(store->get(), batches, schema, options);
        write_s.push_back(written.seconds);
        scan_all_s.push_back(Scan(store->get(), std::nullopt, written.row_groups, threads, rows));
        scan_2_s.push_back(Scan(store->get(), two, written.row_groups, threads, rows));
        std::fprintf(stderr,
                     "formats_bench: run %d: write %.2f s, scan all %.2f s, scan 2 %.2f s\n", r + 1,
                     write_s.back(), scan_all_s.back(), scan_2_s.back());
    }
    std::printf(
        "{\"rows\":%lld,\"bytes\":%llu,\"row_groups\":%zu,\"threads\":%zu,\"write\":%s,"
        "\"scan_all\":%s,\"scan_2\":%s}\n",
        static_cast<long long>(rows), static_cast<unsigned long long>(written.bytes),
        written.row_groups, threads, JsonArray(write_s).c_str(), JsonArray(scan_all_s).c_str(),
        JsonArray(scan_2_s).c_str());
    return 0;
}
