// Glue's JSON shapes (the AWSGlue.* operations, as botocore's service model for Glue 2017-03-31
// names and types them) to and from the catalog's values. Pure conversions: the handlers read a
// request, call these, talk to the Catalog and answer.
//
// Reading (…FromInput / …FromRequest) checks what Glue checks and answers InvalidArgument (the
// handler maps it to InvalidInputException): a missing Name, a name that is not 1-255 characters
// of one line, a field of the wrong JSON type, an enum value Glue does not know, a description
// over 2048 characters. Database and table names are lower-cased, as Glue does; column names are
// kept as given (Glue keeps them; Athena lower-cases them when it reads); primitive column types
// are lower-cased ("BIGINT" → "bigint"), nested ones kept as given (their field names are data).
// Locations arrive as URIs and are stored as lake key prefixes when inside the lake
// (LakeLocation::FromUri); a crawler's S3 target must be inside the lake.
//
// Writing (…ToJson) fills what boto3's glue client and engines reading Glue (Athena, Spark,
// Trino) expect: timestamps as epoch seconds (a JSON number with a millisecond fraction),
// `CatalogId` "000000000000", StorageDescriptor from catalog/table_storage.h.
//
// Parameters scheme: a table's Parameters are TableParametersOf (table_storage.h), so the
// classification and tarn.* keys a client sees come back harmlessly in an UpdateTable: reading
// consumes them (tarn.kind and tarn.time_partition_source become fields; the handler decides
// whether a client may change them). A partition's Parameters carry Hive's statistics keys
// numFiles, totalSize, and numRows/recordCount when the row count is known; reading drops them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "catalog/table_storage.h"
#include "common/status.h"

namespace tarn::api::glue {

inline constexpr std::string_view kCatalogId = "000000000000";

// A database or table name as Glue takes it: 1-255 characters, one line, lower-cased.
// `field` names it in messages ("DatabaseInput.Name").
Result<std::string> NormalizeName(const nlohmann::json* value, std::string_view field);

// Epoch seconds with a millisecond fraction, as AWS JSON timestamps.
double EpochSeconds(int64_t unix_ms);

// ---- Databases ----
Result<catalog::Database> DatabaseFromInput(const nlohmann::json& database_input);
nlohmann::json DatabaseToJson(const catalog::Database& database);

// ---- Tables ----
// `database` is the request's DatabaseName (normalized here too). kind, schema_version and times
// are left for the handler (tarn.kind from the parameters is read, see above).
Result<catalog::Table> TableFromInput(const nlohmann::json& table_input, std::string_view database,
                                      const catalog::LakeLocation& lake);
// `created_by` is Glue's CreatedBy (e.g. the caller's ARN, or "tarn").
nlohmann::json TableToJson(const catalog::Table& table, const catalog::LakeLocation& lake,
                           std::string_view created_by = "tarn");

// ---- Partitions ----
Result<catalog::Partition> PartitionFromInput(const nlohmann::json& partition_input,
                                              const catalog::LakeLocation& lake);
// The partition of `table`: its StorageDescriptor is the table's, with the partition's columns
// (unless `exclude_columns`, GetPartitions' ExcludeColumnSchema) and location.
nlohmann::json PartitionToJson(const catalog::Partition& partition, const catalog::Table& table,
                               const catalog::LakeLocation& lake, bool exclude_columns = false);

// ---- Crawlers ----
// A CreateCrawler request, or with `current` an UpdateCrawler request: then only Name is
// required and every member left out keeps `current`'s value. Each S3 target's Path must be inside
// the lake; its Exclusions (globs relative to the Path, as Glue's) become key globs: "raw/" +
// "**.tmp". Configuration must be a JSON object when present (its content is not kept). JDBC,
// DynamoDB and other targets, Classifiers and CRAWL_EVENT_MODE are refused (tarn crawls the lake
// only).
Result<catalog::Crawler> CrawlerFromRequest(const nlohmann::json& request,
                                            const catalog::LakeLocation& lake,
                                            const catalog::Crawler* current = nullptr);
// GetCrawler's Crawler. `state` is READY, RUNNING or STOPPING; `last_run` the newest finished
// run (LastCrawl, CrawlElapsedTime while running comes from `running_since_ms` and `now_ms`).
nlohmann::json CrawlerToJson(const catalog::Crawler& crawler, std::string_view state,
                             const std::optional<catalog::CrawlRun>& last_run,
                             const catalog::LakeLocation& lake, int64_t running_since_ms = 0,
                             int64_t now_ms = 0);
// GetCrawlerMetrics' CrawlerMetrics from the crawler's runs, newest first (ListCrawlRuns).
nlohmann::json CrawlerMetricsJson(std::string_view crawler_name,
                                  const std::vector<catalog::CrawlRun>& runs_newest_first);

}  // namespace tarn::api::glue
