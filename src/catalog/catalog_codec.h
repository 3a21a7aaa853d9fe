// Internal to the catalog: how catalog values are kept in catalog.db. Lists and maps are stored as
// JSON text (nlohmann::json) in one column; scalars that queries filter on have columns of their
// own. Decoding a malformed value is Corruption naming what was being read.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "common/status.h"

namespace tarn::catalog {

// Catalog names are case-insensitive, stored lower case (as Glue does): "Raw" is "raw".
// InvalidArgument unless 1..255 bytes of UTF-8 on one line.
Result<std::string> NormalizeName(std::string_view what, std::string_view name);

std::string ValuesToText(const std::vector<std::string>& values);
Result<std::vector<std::string>> ValuesFromText(std::string_view text);

std::string MapToText(const std::map<std::string, std::string>& map);
Result<std::map<std::string, std::string>> MapFromText(std::string_view text);

std::string ColumnsToText(const std::vector<Column>& columns);
Result<std::vector<Column>> ColumnsFromText(std::string_view text);

// Every field of a table but its database, name, schema version and times.
std::string TableBodyToText(const Table& table);
Status TableBodyFromText(std::string_view text, Table* table);

// Every field of a crawler but its name, version and times.
std::string CrawlerBodyToText(const Crawler& crawler);
Status CrawlerBodyFromText(std::string_view text, Crawler* crawler);

// A run's counters, errors and message.
std::string RunBodyToText(const CrawlRun& run);
Status RunBodyFromText(std::string_view text, CrawlRun* run);

}  // namespace tarn::catalog
