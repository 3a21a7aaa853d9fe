// Row-group skipping from column-chunk statistics, and the statistics values themselves in the
// columnar domain (for `tarn parquet meta` too).
//
// Which statistics are trusted (as Arrow and parquet-mr decide):
//   - min_value / max_value (the spec's type-defined order) are used when set;
//   - the deprecated min / max were written in signed order, so they are used only for types whose
//     order is signed (BOOLEAN, signed INT32/INT64 and their DATE, TIMESTAMP, TIME and DECIMAL
//     annotations, FLOAT, DOUBLE); for byte arrays (strings, binary, FLBA/binary decimals, UUID)
//     and unsigned integers only when min == max or when the file's column_orders declares
//     TYPE_DEFINED_ORDER for the column;
//   - INT96 and FLOAT16 statistics are never used; a NaN bound or a bound that does not convert
//     (e.g. a truncated string that is not UTF-8) is ignored;
//   - bounds marked inexact (truncated) are still a lower / upper bound, which is all skipping
//     needs;
//   - missing statistics never skip a row group.
// FLOAT/DOUBLE columns never skip on > or >=: writers leave NaN out of min/max, and engines that
// order NaN above every number (DuckDB, PostgreSQL) would find it there.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "common/status.h"
#include "format/parquet_metadata.h"
#include "format/parquet_schema.h"

namespace tarn::format {

// A constant in a column's columnar domain: bool for BOOLEAN; int64_t for INT8..INT64, DATE
// (days), TIMESTAMP (microseconds); int128_t for DECIMAL (the unscaled value at the column's
// scale; int64_t is accepted too); double for FLOAT/DOUBLE (integers are accepted); std::string
// for VARCHAR/VARBINARY (compared as unsigned bytes).
using ParquetScalar =
    std::variant<std::monostate, bool, int64_t, columnar::int128_t, double, std::string>;

// `column op value`, or `column IS [NOT] NULL` (value unused).
struct ParquetPredicate {
    enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull };
    std::string column;  // a top-level field or a struct member path "a.b" (not inside a list/map)
    Op op = Op::kEq;
    ParquetScalar value;
};

// "=", "<", ..., "IS NULL", "IS NOT NULL".
const char* PredicateOpName(ParquetPredicate::Op op);

// Makes *value fit the type (int64 -> int128 for DECIMAL, integers -> double for FLOAT/DOUBLE),
// or InvalidArgument naming `column` when it does not fit.
Status CoerceScalar(const columnar::DataType& type, ParquetScalar* value,
                    const std::string& column);

// The statistics bound `raw` (bytes as in Statistics::min_value) of `column` as a columnar value,
// appended as one slot to `out` (a vector of column.type). Corruption when it does not decode.
Status DecodeStatValue(const ParquetColumn& column, std::string_view raw,
                       columnar::ColumnVector* out);

// The chunk's usable bounds, by the rules above, as scalars (nullopt: unknown).
struct ChunkBounds {
    std::optional<ParquetScalar> min;
    std::optional<ParquetScalar> max;
};
ChunkBounds UsableBounds(const ParquetColumn& column, const Statistics& stats,
                         const ColumnOrder* order);

// True when no row of the chunk can satisfy `pred` (its value already coerced to the column's
// type). `order` is the file's column order for the leaf, or nullptr.
bool ChunkCanBeSkipped(const ParquetColumn& column, const ColumnMetaData& meta,
                       const ColumnOrder* order, const ParquetPredicate& pred);

}  // namespace tarn::format
