// The catalog's values: databases, tables (with their schema history), partitions, data files,
// crawler definitions and crawl runs. Plain structs; the Catalog (catalog/catalog.h) stores them
// and the Glue API (api/glue_api.h, with the shapes in api/glue_json.h) answers with them.
//
// Column types are kept in Hive's spelling ("bigint", "array<struct<a:string>>"), as Glue and
// Athena DDL write them: that is what clients send and expect back, and some types clients send
// (a Hive `uniontype`) have no columnar counterpart. columnar::ParseDataType reads them;
// HiveTypeName (columnar/type_parser.h) writes them.
//
// Times are milliseconds since the Unix epoch (UTC).
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tarn::catalog {

struct Database {
    std::string name;
    std::string description;
    std::string location_uri;  // optional, as Glue's LocationUri
    std::map<std::string, std::string> parameters;
    int64_t created_ms = 0;
};

struct Column {
    std::string name;
    std::string type;  // Hive spelling, lower case: "bigint", "struct<a:string,b:double>"
    std::string comment;
    bool operator==(const Column&) const = default;
};

// How a table's objects are laid out.
enum class DataFormat : uint8_t { kParquet, kJson, kCsv, kUnknown };
const char* DataFormatName(DataFormat format);  // "parquet", "json", "csv", "unknown"
std::optional<DataFormat> ParseDataFormat(std::string_view name);

// Written by tarn's own jobs (delivery, ETL, CTAS; the crawler never rewrites its schema) or
// found by the crawler / declared through the Glue API.
enum class TableKind : uint8_t { kExternal, kManaged };

struct Table {
    std::string database;
    std::string name;
    std::string description;
    std::string owner;
    // Where the objects are: a lake key prefix ending in '/' ("raw/events/"), or, for a table
    // declared through the Glue API with a location outside the lake, the URI as given.
    std::string location;
    DataFormat format = DataFormat::kUnknown;
    std::string compression;  // "snappy", "gzip", "zstd", "none", "" (unknown)
    // CSV only: the field delimiter and whether the first line is a header.
    char csv_delimiter = ',';
    bool csv_header = true;
    std::vector<Column> columns;
    std::vector<Column> partition_keys;
    std::map<std::string, std::string> parameters;
    std::string table_type = "EXTERNAL_TABLE";  // Glue's TableType
    TableKind kind = TableKind::kExternal;
    // For a time-partitioned table: what its time partitions derive from: "arrival_time" (the
    // delivery's arrival time), the name of an event-time column, or "" (not time-partitioned, or
    // unknown: then the SQL engine must not prune time partitions by that column).
    std::string time_partition_source;
    bool deprecated = false;     // the crawler found its data gone (DeletionPolicy DEPRECATE)
    int64_t schema_version = 0;  // 1 for a new table; +1 per change of columns or partition keys
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
};

// One version of a table's schema, as GetTableVersions reports it.
struct TableVersion {
    int64_t version = 0;
    std::vector<Column> columns;
    std::vector<Column> partition_keys;
    std::string change;  // what changed: "created", "added column x bigint", "widened y ..."
    int64_t created_ms = 0;
};

struct Partition {
    std::vector<std::string> values;  // one per partition key, in order
    std::string location;             // lake key prefix ending in '/', or a URI as given
    std::map<std::string, std::string> parameters;
    uint64_t file_count = 0;
    uint64_t bytes = 0;
    std::optional<uint64_t> row_count;  // when every file's row count is known
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
};

// One object of a table, in the catalog's file list (the engine's source of truth).
struct DataFile {
    std::string key;  // lake object key
    std::vector<std::string> partition_values;
    uint64_t bytes = 0;
    std::optional<uint64_t> row_count;
    int64_t committed_version = 0;  // the catalog commit that added it
};

// Glue's SchemaChangePolicy and DeleteBehavior, as a crawler applies them.
enum class UpdateBehavior : uint8_t { kUpdateInDatabase, kLog };
enum class DeleteBehavior : uint8_t { kDeprecateInDatabase, kDeleteFromDatabase, kLog };

struct Crawler {
    std::string name;
    std::string role;
    std::string database;                 // where it creates tables; "" = one database per zone
    std::vector<std::string> targets;     // lake prefixes ("raw/", "processed/events/")
    std::vector<std::string> exclusions;  // glob patterns of keys to skip
    std::string table_prefix;
    std::string schedule;  // "cron(...)" / "rate(...)", or "" (on demand)
    UpdateBehavior update_behavior = UpdateBehavior::kUpdateInDatabase;
    DeleteBehavior delete_behavior = DeleteBehavior::kDeprecateInDatabase;
    bool recrawl_new_folders_only = false;  // RecrawlPolicy CRAWL_NEW_FOLDERS_ONLY
    uint64_t sample_bytes = 1 << 20;        // per JSON/CSV file
    std::string description;
    int64_t created_ms = 0;
    int64_t updated_ms = 0;
    int64_t version = 1;
};

// One run of a crawler, with its metrics (GetCrawlerMetrics, LastCrawl).
struct CrawlRun {
    int64_t id = 0;
    std::string crawler;
    std::string state = "RUNNING";  // RUNNING, SUCCEEDED, FAILED, CANCELLED
    int64_t started_ms = 0;
    int64_t finished_ms = 0;
    uint64_t tables_created = 0;
    uint64_t tables_updated = 0;
    uint64_t tables_deleted = 0;  // deleted or deprecated
    uint64_t partitions_added = 0;
    uint64_t files_read = 0;
    std::vector<std::string> errors;  // one line each: "raw/x/bad.json: <reason>"
    std::string message;              // the failure, for a FAILED run
};

}  // namespace tarn::catalog
