// Text forms of column values: one value as JSON (NDJSON writer, REST answers, tests) or as a CSV
// field (CSV writer, Athena-style query results). Appends to a caller-owned string; nothing here
// allocates except to grow `out` (and one scratch string for a nested value in CSV).
//
// JSON, by type:
//   null                 null
//   BOOLEAN              true / false
//   INT*                 decimal integer
//   FLOAT, DOUBLE        shortest text that parses back to the same value (std::to_chars), e.g.
//                        0.1, 1e+21, -0; NaN and infinities are not JSON numbers and are written
//                        as the strings "NaN", "Infinity", "-Infinity" (as PostgreSQL and
//                        BigQuery do), so no information is lost
//   DECIMAL(p, s)        exact JSON number with s fraction digits: 123.45, -0.05, 7 (s = 0)
//   VARCHAR              JSON string (common/json_escape.h: '"', '\\' and control characters
//                        escaped, other bytes as they are)
//   VARBINARY            string of base64 (RFC 4648, padded)
//   DATE                 "YYYY-MM-DD"
//   TIMESTAMP            "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD HH:MM:SS.ffffff" (6 digits, only when
//                        the microseconds are not zero); UTC, no zone suffix
//                        Years outside 0..9999 print with as many digits as they need and a
//                        leading '-' when negative (astronomical numbering: year 0 is 1 BC).
//   STRUCT               {"name": value, ...} in field order
//   LIST                 [value, ...]
//   MAP                  {"key": value, ...} when the key type is VARCHAR (in entry order;
//                        duplicate keys are written as they are), else
//                        [{"key": k, "value": v}, ...]
//
// CSV (RFC 4180 field, comma-separated records): null is the empty field; an empty string is
// written as "" so that it differs from null; text is quoted (with '"' doubled) only when it
// contains ',', '"', CR or LF; numbers, booleans, dates and timestamps as in JSON but unquoted
// (NaN, Infinity, -Infinity as such); VARBINARY as base64; nested values as their JSON text,
// always quoted.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "columnar/record_batch.h"

namespace tarn::columnar {

// REQUIRES: row < col.length().
void AppendValueJson(const ColumnVector& col, size_t row, std::string* out);
void AppendValueCsv(const ColumnVector& col, size_t row, std::string* out);

// One row as a JSON object {"field": value, ...}. REQUIRES: row < batch.num_rows().
void AppendRowJson(const RecordBatch& batch, size_t row, std::string* out);

// Scalar formatters used by the above.
void AppendDate(int32_t days_since_epoch, std::string* out);         // YYYY-MM-DD
void AppendTimestamp(int64_t micros_since_epoch, std::string* out);  // see TIMESTAMP above
// The unscaled value with `scale` digits after the point. REQUIRES: 0 <= scale <= 38.
void AppendDecimal(int128_t unscaled, int scale, std::string* out);
// Shortest round-trip text; NaN -> "NaN", infinities -> "Infinity" / "-Infinity" (unquoted).
void AppendDouble(double v, std::string* out);
void AppendFloat(float v, std::string* out);
// `text` as one CSV field: quoted only when empty or containing ',', '"', CR or LF.
void AppendCsvText(std::string_view text, std::string* out);

}  // namespace tarn::columnar
