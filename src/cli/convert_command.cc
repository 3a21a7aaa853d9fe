// `tarn convert IN OUT`: NDJSON(.gz), CSV(.gz) and Parquet, in any direction (cli/convert.h).
//
//   tarn convert events.ndjson events.parquet
//   tarn convert events.parquet events.csv.gz
//   tarn convert raw.csv out.parquet --schema schema.txt --compression zstd --row-group-size 64MiB
//
// --schema FILE holds a schema as text, in tarn's spelling or Hive's ("id BIGINT, name STRING",
// see columnar/type_parser.h). A progress line shows on a terminal. At the end one line on stderr
// says what was done; bad records (skipped, or values stored as NULL) are counted there with the
// first few messages. Exit status: 0 when converted (even with bad records), 1 when it failed
// (nothing is left at OUT), 2 for usage errors.
#include <CLI/CLI.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/convert.h"
#include "cli/progress.h"
#include "columnar/type_parser.h"

namespace tarn::cli {
namespace {

struct ConvertFlags {
    std::string input;
    std::string output;
    std::string from;
    std::string to;
    std::string compression;
    std::string row_group_size;
    std::string schema_file;
    std::string delimiter;
    bool no_header = false;
};

Result<FileFormat> ParseFormat(const std::string& name) {
    if (name == "ndjson" || name == "json" || name == "jsonl") return FileFormat::kNdjson;
    if (name == "csv") return FileFormat::kCsv;
    if (name == "parquet") return FileFormat::kParquet;
    return Status::InvalidArgument("unknown format '" + name + "' (ndjson, csv or parquet)");
}

Result<format::CompressionCodec> ParseCodec(std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    using C = format::CompressionCodec;
    if (name == "snappy") return C::kSnappy;
    if (name == "zstd") return C::kZstd;
    if (name == "gzip" || name == "gz") return C::kGzip;
    if (name == "lz4" || name == "lz4_raw") return C::kLz4Raw;
    if (name == "brotli") return C::kBrotli;
    if (name == "none" || name == "uncompressed") return C::kUncompressed;
    return Status::InvalidArgument("unknown compression '" + name +
                                   "' (snappy, zstd, gzip, lz4, brotli or none)");
}

// "134217728", "128MiB", "64MB", "512KiB", "1GiB" (MB and MiB alike are powers of 1024).
Result<uint64_t> ParseByteSize(const std::string& text) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 15) return Status::InvalidArgument("bad size '" + text + "'");
    const uint64_t n = std::stoull(text.substr(0, digits));
    std::string unit = text.substr(digits);
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    uint64_t scale = 0;
    if (unit.empty() || unit == "b") scale = 1;
    if (unit == "k" || unit == "kb" || unit == "kib") scale = uint64_t{1} << 10;
    if (unit == "m" || unit == "mb" || unit == "mib") scale = uint64_t{1} << 20;
    if (unit == "g" || unit == "gb" || unit == "gib") scale = uint64_t{1} << 30;
    if (scale == 0 || n == 0) return Status::InvalidArgument("bad size '" + text + "'");
    return n * scale;
}

Result<columnar::Schema> ReadSchemaFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Status::NotFound("cannot read schema file " + path);
    std::stringstream text;
    text << in.rdbuf();
    Result<columnar::Schema> schema = columnar::ParseSchema(text.str());
    if (!schema.ok()) return Status::InvalidArgument(path + ": " + schema.status().message());
    return schema;
}

Result<ConvertOptions> ToOptions(const ConvertFlags& f) {
    ConvertOptions o;
    o.input = f.input;
    o.output = f.output;
    if (!f.from.empty()) {
        TARN_ASSIGN_OR_RETURN(o.from, ParseFormat(f.from));
    }
    if (!f.to.empty()) {
        TARN_ASSIGN_OR_RETURN(o.to, ParseFormat(f.to));
    }
    if (!f.compression.empty()) {
        TARN_ASSIGN_OR_RETURN(o.compression, ParseCodec(f.compression));
    }
    if (!f.row_group_size.empty()) {
        TARN_ASSIGN_OR_RETURN(o.row_group_bytes, ParseByteSize(f.row_group_size));
    }
    if (!f.schema_file.empty()) {
        TARN_ASSIGN_OR_RETURN(o.schema, ReadSchemaFile(f.schema_file));
    }
    if (!f.delimiter.empty()) {
        const std::string d = f.delimiter == "\\t" || f.delimiter == "tab" ? "\t" : f.delimiter;
        if (d.size() != 1) return Status::InvalidArgument("--delimiter must be one character");
        o.delimiter = d[0];
    }
    o.csv_header = !f.no_header;
    return o;
}

int RunConvert(const ConvertFlags& flags) {
    Result<ConvertOptions> options = ToOptions(flags);
    if (!options.ok()) {
        std::fprintf(stderr, "tarn convert: %s\n", options.status().message().c_str());
        return 2;
    }
    ProgressLine progress(ProgressLine::StderrIsTerminal(), "tarn convert", "rows");
    const auto start = std::chrono::steady_clock::now();
    Result<ConvertResult> done = Convert(*options, &progress);
    if (!done.ok()) {
        if (ProgressLine::StderrIsTerminal()) std::fputc('\n', stderr);  // end the progress line
        std::fprintf(stderr, "tarn convert: %s\n", done.status().message().c_str());
        return 1;
    }
    progress.Finish(done->rows);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "tarn convert: %s -> %s: %llu rows, %llu bytes, %.2f s\n",
                 flags.input.c_str(), flags.output.c_str(),
                 static_cast<unsigned long long>(done->rows),
                 static_cast<unsigned long long>(done->output_bytes), seconds);
    if (done->bad_records > 0) {
        std::fprintf(stderr,
                     "tarn convert: %llu bad records (skipped, or values stored as NULL):\n",
                     static_cast<unsigned long long>(done->bad_records));
        for (const std::string& m : done->messages) std::fprintf(stderr, "  %s\n", m.c_str());
    }
    return 0;
}

}  // namespace

void AddConvertCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<ConvertFlags>();
    CLI::App* cmd = app.add_subcommand(
        "convert", "Convert between NDJSON(.gz), CSV(.gz) and Parquet files, in any direction");
    cmd->add_option("IN", flags->input,
                    "Input file (.ndjson/.json/.jsonl, .csv/.tsv, .gz, .parquet)")
        ->required();
    cmd->add_option("OUT", flags->output, "Output file; replaced only when the conversion succeeds")
        ->required();
    cmd->add_option("--from", flags->from, "Input format when its name does not tell")
        ->type_name("ndjson|csv|parquet");
    cmd->add_option("--to", flags->to, "Output format when its name does not tell")
        ->type_name("ndjson|csv|parquet");
    cmd->add_option("--compression", flags->compression,
                    "Parquet: snappy (default), zstd, gzip, lz4, brotli, none; text: gzip or none")
        ->type_name("CODEC");
    cmd->add_option("--row-group-size", flags->row_group_size,
                    "Parquet row groups of about this many bytes (default 128MiB)")
        ->type_name("SIZE");
    cmd->add_option("--schema", flags->schema_file,
                    "File with the schema of NDJSON/CSV input, e.g. 'id BIGINT, name STRING' "
                    "(default: inferred from the first 10000 records)")
        ->type_name("FILE");
    cmd->add_option("--delimiter", flags->delimiter, "CSV input field delimiter (default ',')")
        ->type_name("CHAR");
    cmd->add_flag("--no-header", flags->no_header, "CSV without a header line");
    cmd->callback([flags, exit_code] { *exit_code = RunConvert(*flags); });
}

}  // namespace tarn::cli
