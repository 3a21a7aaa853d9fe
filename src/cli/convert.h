// Conversion between NDJSON, CSV and Parquet files (`tarn convert`), in any direction.
//
// Formats come from the file names unless given: *.parquet/*.pq -> Parquet; *.json, *.jsonl,
// *.ndjson -> NDJSON; *.csv, *.tsv (tab-delimited) -> CSV; each text name may end in .gz, which
// for input is only a hint (gzip input is recognised by its magic bytes) and for output turns
// on gzip.
//
// The schema: Parquet input carries its own; NDJSON and CSV input use `schema` when given, else
// the one format/ inference finds in the first `infer_rows` records (type_inference.h). Bad
// records of text input are skipped or their values stored as NULL as the readers document, and
// counted; the first few messages are kept for the caller to show. Nothing is written at the
// output path until the conversion has succeeded: the output is written under a temporary name
// and renamed into place (storage::LocalStore's commit), so a failed run leaves no partial file.
//
// Parallelism: the reader runs on its own thread and hands batches to the writer through a small
// ring of reused batches, so parsing and encoding overlap on two cores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/progress.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/compression.h"

namespace tarn::cli {

enum class FileFormat { kNdjson, kCsv, kParquet };

struct ConvertOptions {
    std::string input;
    std::string output;
    std::optional<FileFormat> from;  // nullopt: from the input's name
    std::optional<FileFormat> to;    // nullopt: from the output's name
    // Parquet output: the codec. Text output: kGzip or kUncompressed (nullopt: by ".gz").
    std::optional<format::CompressionCodec> compression;
    uint64_t row_group_bytes = uint64_t{128} << 20;  // Parquet output
    std::optional<columnar::Schema> schema;          // text input only
    size_t infer_rows = 10000;
    std::optional<char> delimiter;  // CSV; nullopt: ',' ('\t' for *.tsv)
    bool csv_header = true;         // CSV input and output
};

struct ConvertResult {
    uint64_t rows = 0;
    uint64_t output_bytes = 0;
    uint64_t bad_records = 0;           // skipped records and values stored as NULL
    std::vector<std::string> messages;  // the first few bad-record messages
    columnar::Schema schema;
};

// The format named by a path's extension, or nullopt.
std::optional<FileFormat> FormatOfPath(const std::string& path);

// Runs the conversion. `progress` (may be null) is told the rows written so far.
Result<ConvertResult> Convert(const ConvertOptions& options, ProgressLine* progress);

}  // namespace tarn::cli
