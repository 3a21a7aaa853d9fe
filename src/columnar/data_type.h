// DataType and Field: tarn's logical types, the vocabulary shared by the Parquet reader and
// writer, the NDJSON/CSV readers, the catalog and the SQL engine.
//
// A DataType is a value: an id, DECIMAL's precision and scale, and for nested types an immutable
// list of child Fields held by shared_ptr<const ...>, so copying a type is two words and a
// reference-count increment. Nested children are Fields, so struct members, list elements and map
// keys/values have names, nullability and field ids like top-level columns.
//
//   BOOLEAN                 1 byte per value, 0 or 1
//   INT8/16/32/64           int8_t .. int64_t
//   FLOAT, DOUBLE           IEEE-754 float, double
//   DECIMAL(p, s)           1 <= p <= 38, 0 <= s <= p; the unscaled integer, stored as int64_t when
//                           p <= 18 (kMaxDecimal64Precision), else as int128_t
//   VARCHAR, VARBINARY      UTF-8 text, bytes; variable width (offsets + bytes)
//   DATE                    int32_t days since 1970-01-01 (proleptic Gregorian)
//   TIMESTAMP               int64_t microseconds since 1970-01-01 00:00:00 UTC, no time zone
//   STRUCT<f1, f2, ...>     ordered child fields (at least one; names unique, non-empty)
//   LIST<element>           one child field, conventionally named "element"
//   MAP<key, value>         two child fields, conventionally "key" and "value"; key not nullable
//
// The factories do not check their arguments; Validate() does (Schema::Make calls it), so a type
// read from a file or typed by a user is checked once and trusted afterwards.
// Thread-safety: values; a const DataType or Field may be read from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::columnar {

using int128_t = __int128;
using uint128_t = unsigned __int128;

enum class TypeId : uint8_t {
    kBoolean,
    kInt8,
    kInt16,
    kInt32,
    kInt64,
    kFloat,
    kDouble,
    kDecimal,
    kVarchar,
    kVarbinary,
    kDate,
    kTimestamp,
    kStruct,
    kList,
    kMap,
};

// "BOOLEAN", "INT32", "DECIMAL", "STRUCT", ...
std::string_view TypeIdName(TypeId id);

inline constexpr int kMaxDecimalPrecision = 38;
// DECIMALs of at most this precision are stored as int64_t, wider ones as int128_t.
inline constexpr int kMaxDecimal64Precision = 18;

struct Field;

class DataType {
public:
    static DataType Boolean() { return DataType(TypeId::kBoolean); }
    static DataType Int8() { return DataType(TypeId::kInt8); }
    static DataType Int16() { return DataType(TypeId::kInt16); }
    static DataType Int32() { return DataType(TypeId::kInt32); }
    static DataType Int64() { return DataType(TypeId::kInt64); }
    static DataType Float() { return DataType(TypeId::kFloat); }
    static DataType Double() { return DataType(TypeId::kDouble); }
    // Unchecked; see Validate() or MakeDecimal().
    static DataType Decimal(int precision, int scale);
    static Result<DataType> MakeDecimal(int precision, int scale);
    static DataType Varchar() { return DataType(TypeId::kVarchar); }
    static DataType Varbinary() { return DataType(TypeId::kVarbinary); }
    static DataType Date() { return DataType(TypeId::kDate); }
    static DataType Timestamp() { return DataType(TypeId::kTimestamp); }
    static DataType Struct(std::vector<Field> fields);
    static DataType List(Field element);
    // LIST of a nullable field named "element".
    static DataType List(DataType element);
    static DataType Map(Field key, Field value);
    // MAP of a non-nullable field "key" and a nullable field "value".
    static DataType Map(DataType key, DataType value);

    TypeId id() const { return id_; }
    // DECIMAL only (0 otherwise).
    int precision() const { return precision_; }
    int scale() const { return scale_; }

    bool is_nested() const { return id_ >= TypeId::kStruct; }
    bool is_string_like() const { return id_ == TypeId::kVarchar || id_ == TypeId::kVarbinary; }
    // Fixed-width types have one values buffer of length * FixedWidth() bytes.
    bool is_fixed_width() const { return !is_nested() && !is_string_like(); }
    // The byte width of one physical value: 1 for BOOLEAN, 1/2/4/8 for the integers, 4/8 for
    // FLOAT/DOUBLE, 8 or 16 for DECIMAL, 4 for DATE, 8 for TIMESTAMP; 0 for VARCHAR, VARBINARY and
    // nested types, which have no fixed width.
    int FixedWidth() const;

    // STRUCT: its fields; LIST: {element}; MAP: {key, value}; others: empty.
    std::span<const Field> fields() const;
    size_t num_fields() const;
    // REQUIRES: i < num_fields().
    const Field& field(size_t i) const;
    // REQUIRES: LIST.
    const Field& element_field() const { return field(0); }
    // REQUIRES: MAP.
    const Field& key_field() const { return field(0); }
    const Field& value_field() const { return field(1); }

    // OK, or InvalidArgument naming the problem: DECIMAL precision outside 1..38 or scale outside
    // 0..precision, a STRUCT without fields or with empty or duplicate field names, a LIST without
    // exactly one or a MAP without exactly two child fields, a nullable MAP key; recursively.
    Status Validate() const;

    // SQL-ish text: "INT32", "DECIMAL(10,2)", "LIST<VARCHAR>", "MAP<VARCHAR, INT64>",
    // "STRUCT<a: INT32, b: LIST<VARCHAR>>". A non-nullable child shows " NOT NULL" (except a map
    // key, which is never null); field ids are not shown. Names that are not plain identifiers
    // are double-quoted.
    std::string ToString() const;

    // Deep equality: ids, precision/scale, and child fields (names, types, nullability and, when
    // check_field_ids, field ids).
    bool Equals(const DataType& other, bool check_field_ids = true) const;
    friend bool operator==(const DataType& a, const DataType& b) { return a.Equals(b); }

private:
    explicit DataType(TypeId id) : id_(id) {}

    TypeId id_;
    int16_t precision_ = 0;  // clamped to int16_t by Decimal(); Validate() checks the range
    int16_t scale_ = 0;
    std::shared_ptr<const std::vector<Field>> fields_;  // nested types only
};

inline constexpr int32_t kNoFieldId = -1;

// A named, typed column or nested member. `field_id` is the Parquet/Iceberg field id, or
// kNoFieldId.
struct Field {
    std::string name;
    DataType type;
    bool nullable = true;
    int32_t field_id = kNoFieldId;

    // The type's Validate(), with messages naming the field's path ("field 'a.b': ...").
    Status Validate() const;
    // "name: TYPE[ NOT NULL][ (id=N)]".
    std::string ToString() const;
    bool Equals(const Field& other, bool check_field_ids = true) const;
    friend bool operator==(const Field& a, const Field& b) { return a.Equals(b); }
};

// Appends `name`, double-quoted (with '"' doubled) unless it is a plain identifier.
void AppendFieldName(std::string_view name, std::string* out);

}  // namespace tarn::columnar
