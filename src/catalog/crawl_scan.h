// The crawler's scan: what datasets a lake holds, found by reading it (the discovery half of a
// Glue crawler). It reads through a storage::ObjectStore and never touches the catalog; the other
// half of the crawler (which applies a ScanResult to the Catalog) decides what to create, update
// or deprecate.
//
//   ScanOptions options;
//   options.exclusions = {"**/_tmp/**", "*.crc"};
//   TARN_ASSIGN_OR_RETURN(ScanResult scan, ScanTarget(store, "raw/", options));
//   for (const ScannedDataset& d : scan.datasets) ... d.database, d.table, d.columns ...
//   for (const FileError& e : scan.errors) ... e.key, e.reason ...
//
// Layout: the first key segment is a zone (a catalog database), the second a dataset folder (a
// table): "raw/events/year=2026/month=01/x.json.gz" is table raw.events, partition (2026, 01).
// Exactly one dataset per dataset folder, however many partitions and schemas its files have.
// Names are made legal Glue names: lower case, characters outside [a-z0-9_] become '_'.
//
// Partitions: the folders between the dataset folder and a file. Every partition of a dataset has
// the same depth: the depth holding the most files (ties: the deeper); files at another depth
// are reported in `errors` and skipped. A level whose folders are all Hive `key=value` with one
// key names its partition key (lower case) and gives URL-decoded values ("a%3Ab" -> "a:b");
// any other level is partition_<level> and its values are the folder names.
//
// Skipped silently: keys with a segment starting with '_' or '.' (_SUCCESS, _delta_log/,
// .tarn-tmp-*), zero-byte objects, keys matching an exclusion, and (for target "") the zones
// errors/ and athena-results/. Exclusions are globs over the key relative to the target: '*'
// and '?' stay within a segment, '**' crosses segments ("**/" also matches no folder), [abc]
// and {a,b} as usual; a pattern without '/' is also matched against the file name alone, so
// "*.crc" skips CRC files in every folder.
//
// Formats are found by content, the extension being a hint: Parquet ("PAR1" at both ends: schema,
// row count and codec from the footer alone), NDJSON (also concatenated objects; first sample_bytes
// bytes, cut at the last whole line), CSV with a header (delimiter among , \t | ; from the header
// line), each optionally gzip-compressed (only the compressed prefix the sample needs is read and
// inflated). A dataset takes its files' majority format; files of other formats are reported.
// Columns are merged over every sampled file, never failing: JSON and CSV by the inference
// lattice (format/type_inference.h), Parquet by name in first-seen order, widening numbers
// (tinyint < smallint < int < bigint < double; float < double; decimals to hold both) and making
// other conflicts string; nested types merge member by member. Top-level column names are lower
// case (Hive's names are case-insensitive); columns differing only in case are merged.
//
// Errors: a file that cannot be read or understood becomes a FileError and the scan goes on; only
// a failure to list (or an invalid target) fails the scan.
//
// Thread-safety: ScanTarget is a plain function; calls may run at once on one store (the store is
// thread-safe). `on_file` is called on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "common/status.h"
#include "storage/storage.h"

namespace tarn::catalog {

struct ScanOptions {
    // Per JSON/CSV file: the first N bytes of its text (after gzip), cut at the last whole line.
    uint64_t sample_bytes = uint64_t{1} << 20;
    // Glob patterns over keys relative to the target (see above).
    std::vector<std::string> exclusions;
    // Incremental crawl: partitions whose location ("raw/events/year=2026/") is here are listed
    // (their files are in the result, without row counts) but none of their files is read.
    std::set<std::string> known_partition_locations;
    // Called with each key before it is read; optional.
    std::function<void(std::string_view key)> on_file;
    // Entries per List page (tests make it small). REQUIRES: >= 1.
    size_t list_page_size = storage::kDefaultMaxKeys;
};

struct ScannedFile {
    std::string key;
    uint64_t bytes = 0;
    std::optional<uint64_t> row_count;  // Parquet files that were read
};

struct ScannedPartition {
    std::vector<std::string> values;  // one per partition key; empty when unpartitioned
    std::string location;             // "raw/events/year=2026/" (the dataset's for no values)
    std::vector<ScannedFile> files;   // by key
};

struct ScannedDataset {
    std::string database;  // the zone ("raw")
    std::string table;     // the dataset folder ("events"), as a legal Glue name
    std::string location;  // "raw/events/"
    // kUnknown when no file was read (every partition known, or every file unreadable).
    DataFormat format = DataFormat::kUnknown;
    std::string compression;  // "gzip", "snappy", "zstd", "lz4", "none"; "" when unknown
    char csv_delimiter = ',';
    bool csv_header = true;
    // Merged over the files read; empty when none was (the table's stored columns stand).
    std::vector<Column> columns;
    std::vector<Column> partition_keys;  // type "string"
    // Ordered by values; an unpartitioned dataset has one partition with no values.
    std::vector<ScannedPartition> partitions;
    // Locations of the partitions not in known_partition_locations, in partition order.
    std::vector<std::string> new_partition_locations;
};

struct FileError {
    std::string key;
    std::string reason;  // one line
};

struct ScanResult {
    std::vector<ScannedDataset> datasets;  // by database, then table
    std::vector<FileError> errors;         // by key
    uint64_t files_read = 0;               // files whose bytes were read
};

// Scans `target`: a zone prefix ("raw/": every dataset folder in it), a dataset prefix
// ("raw/events/"), or "" (every zone). The trailing '/' may be left out. InvalidArgument for a
// deeper or malformed target; the store's error when a List fails.
Result<ScanResult> ScanTarget(storage::ObjectStore& store, std::string_view target,
                              const ScanOptions& options);

// A legal Glue database or table name for a folder name: lower case, [a-z0-9_] kept, every other
// byte '_' ("Click-Stream" -> "click_stream").
std::string GlueName(std::string_view folder);

// True when `relative_key` matches the exclusion glob `pattern` (see above).
bool MatchesExclusion(std::string_view pattern, std::string_view relative_key);

}  // namespace tarn::catalog
