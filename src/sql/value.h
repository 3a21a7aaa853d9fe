// Value: one SQL scalar with its type -- literals, folded constants, partition values, and the
// rows of SHOW results. Hot paths never hold Values: they work on ColumnVectors; a Value is turned
// into a vector once (AppendValue) and read back once (ValueAt).
//
// Representation by type: BOOLEAN bool; INT8..INT64 int64_t; FLOAT, DOUBLE double; DECIMAL the
// unscaled int128_t at the type's scale; VARCHAR, VARBINARY std::string; DATE int64_t days since
// 1970-01-01; TIMESTAMP int64_t microseconds since the epoch (UTC). Nested types are not held as
// Values (their constants do not occur in this dialect).
//
// Thread-safety: a value.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "common/status.h"

namespace tarn::sql {

struct Value {
    columnar::DataType type = columnar::DataType::Boolean();
    bool is_null = true;
    // An untyped NULL literal (`NULL` as written): it takes the type its context needs.
    bool is_null_literal = false;
    std::variant<std::monostate, bool, int64_t, columnar::int128_t, double, std::string> data;

    static Value Null(columnar::DataType type);
    static Value NullLiteral();
    static Value Boolean(bool v);
    static Value Int(columnar::DataType type, int64_t v);  // INT8..INT64
    static Value BigInt(int64_t v) { return Int(columnar::DataType::Int64(), v); }
    static Value Double(double v);
    static Value Decimal(int precision, int scale, columnar::int128_t unscaled);
    static Value Varchar(std::string v);
    static Value Date(int64_t days);
    static Value Timestamp(int64_t micros);

    bool AsBool() const { return std::get<bool>(data); }
    int64_t AsInt() const { return std::get<int64_t>(data); }
    double AsDouble() const { return std::get<double>(data); }
    columnar::int128_t AsInt128() const { return std::get<columnar::int128_t>(data); }
    const std::string& AsString() const { return std::get<std::string>(data); }

    // SQL text of the value as a literal: 42, 'it''s', DATE '2024-01-01', NULL.
    std::string ToSql() const;
};

// Appends `value` as one slot to `out` (a vector of value.type, or of any type for a NULL).
// REQUIRES: a non-nested type.
void AppendValue(const Value& value, columnar::ColumnVector* out);
// Slot `row` of `col` as a Value. REQUIRES: a non-nested type.
Value ValueAt(const columnar::ColumnVector& col, size_t row);

}  // namespace tarn::sql
