// A query's answer as text: JSON (the REST API's body, `tarn sql --format json`), CSV (header
// line, RFC 4180; NULL as an empty field) and an aligned table for terminals. Values print as
// columnar/value_format.h prints them: timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates
// `YYYY-MM-DD`, decimals exact.
//
// JSON shape:
//   {"columns": [{"name": "country", "type": "varchar"}, ...],
//    "rows": [["DE", 42], ...],
//    "stats": {"rows_scanned", "bytes_scanned", "files_read", "files_pruned", "partitions_read",
//              "partitions_pruned", "row_groups_read", "row_groups_pruned", "rows_returned",
//              "planning_ms", "execution_ms"}}
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sql/query_engine.h"

namespace tarn::sql {

std::string FormatJson(const QueryResult& result);
std::string FormatCsv(const QueryResult& result);
// Columns padded to their widest value, a header and a rule, NULL shown as "NULL"; values longer
// than max_width are cut with "...". Followed by "(N rows)".
std::string FormatTable(const QueryResult& result, size_t max_width = 80);
// "42 rows in 0.12 s (planning 3 ms); scanned 1.2 MB, 12,000 rows, 3 of 24 files (21 pruned)".
std::string FormatStatsLine(const QueryResult& result);
// The stats object alone, as in FormatJson.
std::string FormatStatsJson(const QueryStats& stats);

}  // namespace tarn::sql
