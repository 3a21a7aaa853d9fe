// The crawl scan's parts (catalog/crawl_scan.h is the contract): reading one file's sample
// (crawl_sample.cc), merging schemas across files (crawl_schema.cc) and the naming and matching
// rules of keys (crawl_names.cc). Internal to the catalog module; exposed for its tests.
// Thread-safety: pure functions, except SampleFile, which reads through a thread-safe store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "columnar/data_type.h"
#include "common/status.h"
#include "format/type_inference.h"
#include "storage/storage.h"

namespace tarn::catalog::crawl {

// ---- One file (crawl_sample.cc) ------------------------------------------------------------

// What one file says about its dataset.
struct FileSample {
    DataFormat format = DataFormat::kUnknown;
    std::string compression;  // "gzip", "snappy", "zstd", "lz4", "none", ...
    // JSON and CSV: a kStruct of the top-level fields (names lower case).
    format::InferredType inferred;
    char csv_delimiter = ',';
    bool csv_header = true;
    // Parquet: the top-level fields (names lower case) and the footer's row count.
    std::vector<columnar::Field> parquet_fields;
    std::optional<uint64_t> row_count;
};

// Reads and classifies `object` (see crawl_scan.h for the rules). A non-OK Status is the file's
// one-line reason for the scan's errors.
Result<FileSample> SampleFile(storage::ObjectStore& store, const storage::ObjectInfo& object,
                              uint64_t sample_bytes);

// The delimiter of a CSV header line among , \t | ; (the most frequent outside quotes; ties in
// that order; ',' when there is none). `tsv_hint` prefers '\t' whenever it occurs.
char DetectCsvDelimiter(std::string_view first_line, bool tsv_hint);

// ---- Schemas (crawl_schema.cc) ---------------------------------------------------------------

// The least type holding values of both (crawl_scan.h: Parquet merging). Never fails.
columnar::DataType WidenType(const columnar::DataType& a, const columnar::DataType& b);
// Adds `more` into `*into` by name (lower-cased top-level names), widening types of shared names
// and appending new names in order.
void MergeFields(const std::vector<columnar::Field>& more, std::vector<columnar::Field>* into);
// The lattice type of a type CsvReader::InferSchema gave (VARCHAR: kString).
format::InferredType InferredOfCsvType(const columnar::DataType& type);
// `type`'s top-level fields with lower-cased names, fields equal but for case merged.
format::InferredType LowerCaseTopLevel(const format::InferredType& type);
// Catalog columns (Hive types) of an inferred kStruct. An empty object becomes string.
std::vector<Column> ColumnsOfInferred(const format::InferredType& merged);
std::vector<Column> ColumnsOfFields(const std::vector<columnar::Field>& fields);

// ---- Names and keys (crawl_names.cc) -----------------------------------------------------------

// Hive's unescaping of partition values: %XX (hex) is the byte XX; other text is kept.
std::string UrlDecode(std::string_view s);
// Glob matching as crawl_scan.h describes, over a whole string.
bool GlobMatch(std::string_view pattern, std::string_view text);
// The key's '/'-separated segments.
std::vector<std::string_view> SplitKey(std::string_view key);
// A segment the crawler never reads under: "_SUCCESS", "_delta_log", ".tarn-tmp-1".
bool IsHiddenSegment(std::string_view segment);

}  // namespace tarn::catalog::crawl
