// How the Parquet writer turns min/max values into Statistics (parquet.thrift): the bytes of
// min_value/max_value are the value's PLAIN encoding without a length prefix (little-endian
// numbers, big-endian two's complement for FIXED_LEN_BYTE_ARRAY decimals, raw bytes for
// BYTE_ARRAY). Internal to the format module.
//
// Orders (ColumnOrder TYPE_DEFINED_ORDER for every leaf): signed for INT32/INT64 (integers,
// DECIMAL, DATE, TIMESTAMP), signed two's complement for FLBA decimals, IEEE-754 for FLOAT/DOUBLE
// with NaNs left out (a page of only NaNs and nulls has no min/max) and, as the spec asks, a zero
// min written as -0.0 and a zero max as +0.0; false < true for BOOLEAN; unsigned byte-wise for
// BYTE_ARRAY. The deprecated min/max fields are also written where their old signed semantics
// agree (INT32, INT64, FLOAT, DOUBLE), for readers that predate min_value/max_value.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "format/parquet_metadata.h"

namespace tarn::format {

// Sets min_value/max_value (and min/max when `legacy`).
void SetMinMax(std::string_view min, std::string_view max, bool legacy, Statistics* stats);

// BYTE_ARRAY min/max, truncated to at most `limit` bytes when longer (limit 0: never): the min is
// cut (a lower bound still), the max is cut and its last byte incremented (an upper bound still).
// With `utf8` (VARCHAR) cuts fall on character boundaries and only an ASCII byte below 0x7F is
// incremented, so the bounds stay valid UTF-8; when no such byte exists the max is kept whole.
// is_min_value_exact / is_max_value_exact say whether a bound was cut.
void SetByteArrayMinMax(std::string_view min, std::string_view max, size_t limit, bool utf8,
                        Statistics* stats);

}  // namespace tarn::format
