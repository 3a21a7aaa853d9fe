// Parquet schema mapping: columnar::Schema <-> the flattened Parquet schema (vector<SchemaElement>,
// root first, depth-first) plus one ParquetColumn per leaf: its path, physical type, levels, the
// columnar type it holds and the steps from its top-level field down to it, which both the writer
// (shredding vectors into definition/repetition levels) and the reader (assembling them back)
// walk.
//
// Writing (ToParquetSchema) maps, for a field `f` (OPTIONAL when nullable, REQUIRED otherwise;
// field_id written when set):
//   BOOLEAN          boolean
//   INT8 / INT16     int32  INT(8|16, signed)          + ConvertedType INT_8 / INT_16
//   INT32 / INT64    int32 / int64 (no annotation)
//   FLOAT / DOUBLE   float / double
//   DECIMAL(p, s)    int32 (p <= 9), int64 (p <= 18), else fixed_len_byte_array(n) with the least
//                    n that holds 10^p - 1 (p = 38: 16); DECIMAL(p, s) + ConvertedType DECIMAL,
//                    scale and precision set on the element too
//   VARCHAR          binary STRING + UTF8
//   VARBINARY        binary
//   DATE             int32 DATE + DATE
//   TIMESTAMP        int64 TIMESTAMP(isAdjustedToUTC=false, MICROS) + TIMESTAMP_MICROS. The spec
//                    (LogicalTypes.md, "Deprecated timestamp ConvertedType") requires writers to
//                    put the legacy annotation on local timestamps too, so that readers that only
//                    know ConvertedTypes see a timestamp; readers that know LogicalTypes (DuckDB,
//                    Trino/Athena, Spark 3) see a timestamp without time zone.
//   STRUCT           group { children }
//   LIST             group f (LIST) { repeated group list { <nullable?> element } }
//   MAP              group f (MAP) { repeated group key_value { required key; <nullable?> value } }
// The names "list", "element", "key_value", "key" and "value" are the spec's; the columnar child
// field names are not written (their field ids are). The root is named "schema".
//
// Reading (FromParquetSchema) accepts what other writers produce, by the spec's
// backward-compatibility rules:
//   - LIST: 3-level lists whatever the middle and element names; 2-level lists (the repeated
//     field is the element, required: a primitive, a group of several fields, a group with one
//     repeated field, or a group named "array" or "<list>_tuple"); a repeated field outside a
//     LIST/MAP group is a required list of required elements (LIST<T NOT NULL> NOT NULL).
//   - MAP and MAP_KEY_VALUE groups, whatever the inner names (key and value by position). A
//     key_value group with only a key is read as LIST<key NOT NULL>. An OPTIONAL key is accepted
//     (the columnar key is NOT NULL; the reader must fail on an actual null key).
//   - Legacy ConvertedTypes without LogicalType are honoured like the LogicalType they stand for.
//   - INT(8|16|32|64, signed) -> INT8/INT16/INT32/INT64; unsigned UINT_8 -> INT16, UINT_16 ->
//     INT32, UINT_32 -> INT64, UINT_64 -> DECIMAL(20, 0) (zero-extended, exact).
//   - TIMESTAMP(any UTC flag, MILLIS|MICROS|NANOS), TIMESTAMP_MILLIS/MICROS and INT96 -> TIMESTAMP
//     in microseconds (see ValueConversion for how values change).
//   - TIME(MILLIS|MICROS|NANOS) and TIME_MILLIS/MICROS -> INT64 microseconds since midnight (tarn
//     has no TIME type; the value is kept rather than the file refused).
//   - DECIMAL on int32, int64, fixed_len_byte_array (length <= 16) or binary, precision <= 38 ->
//     DECIMAL(p, s); precision above 38 is Unimplemented.
//   - STRING/UTF8, ENUM, JSON -> VARCHAR; BSON -> VARBINARY (BSON is binary); other binary and
//     fixed_len_byte_array -> VARBINARY (VARCHAR with binary_as_string).
//   - UUID (fixed_len_byte_array(16)) -> VARCHAR in the canonical 36-character lowercase text.
//   - FLOAT16 (fixed_len_byte_array(2)) -> FLOAT.
//   - UNKNOWN (always null) is mapped by its physical type, as if it had no annotation.
//   Refused with Unimplemented naming the column: INTERVAL, VARIANT, GEOMETRY/GEOGRAPHY and any
//   LogicalType tarn does not know; an empty group (columnar structs need a field). Malformed
//   trees (num_children past the end, a leaf without a type, annotations on the wrong physical
//   type, a LIST group without exactly one repeated child, ...) are Corruption.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "columnar/data_type.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/parquet_metadata.h"

namespace tarn::format {

// How a leaf's physical Parquet values become the columnar values of ParquetColumn::type.
enum class ValueConversion : uint8_t {
    kNone,                // same representation (BOOLEAN, INT32, INT64, FLOAT, DOUBLE, DATE,
                          // TIMESTAMP micros, DECIMAL(p <= 18) in int64, binary, FLBA as bytes)
    kInt32ToInt8,         // INT(8) in int32: truncate
    kInt32ToInt16,        // INT(16) in int32: truncate
    kInt32ToInt64,        // DECIMAL in int32: sign-extend to the int64 storage
    kUint32ToInt16,       // UINT_8 in int32 (the low 8 bits, zero-extended)
    kUint32ToInt32,       // UINT_16 in int32 (the low 16 bits, zero-extended)
    kUint32ToInt64,       // UINT_32 in int32: zero-extend
    kUint64ToInt128,      // UINT_64 in int64: zero-extend to DECIMAL(20, 0)'s int128 storage
    kInt64ToInt128,       // DECIMAL(p > 18) in int64: sign-extend
    kBigEndianDecimal,    // DECIMAL in FLBA/binary: big-endian two's complement to int64/int128
                          // (a binary value longer than 16 bytes that does not fit is an error)
    kMillisToMicros,      // TIMESTAMP(MILLIS) / TIME(MILLIS, int32): multiply by 1000 (overflow
                          // is an error)
    kNanosToMicros,       // TIMESTAMP(NANOS) / TIME(NANOS): floor-divide by 1000
    kInt96ToMicros,       // INT96: 8 bytes nanoseconds of the day + 4 bytes Julian day, LE
    kInt32ToInt64Micros,  // TIME(MICROS) stored in int32 (not by the spec, but cheap): widen
    kUuidToText,          // FLBA(16) -> "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    kFloat16ToFloat,      // FLBA(2) IEEE half -> float
};

// "NONE", "INT96_TO_MICROS", ... for messages and tests.
const char* ValueConversionName(ValueConversion c);

// One step of the way from a top-level field down to a leaf: the columnar field at that depth and
// the levels Parquet gives it. With d the definition level before the step:
//   - `optional`: the field has its own definition level; a null field has level d and a non-null
//     one d + 1. def_level is the level after this (d + optional).
//   - STRUCT: the path continues in child vector `child` at the same index.
//   - LIST / MAP: a present but empty list has level def_level; its entries have def_level + 1
//     and the path continues in child vector `child` (LIST: 0; MAP: 0 for keys, 1 for values) at
//     the entry's index. Entries after the first of one list have repetition level rep_level.
//   - the last step is the leaf itself (a primitive type).
struct ColumnStep {
    columnar::TypeId kind = columnar::TypeId::kInt32;
    bool optional = false;
    int16_t def_level = 0;
    int16_t rep_level = 0;  // LIST / MAP only
    uint16_t child = 0;     // STRUCT: field index; MAP: 0 key, 1 value; LIST: 0
    friend bool operator==(const ColumnStep&, const ColumnStep&) = default;
};

namespace parquet_schema_internal {
// The way from the root down to the node being visited, while ToParquetSchema and
// FromParquetSchema walk a schema: what a ParquetColumn gets when a leaf is reached.
struct WalkContext {
    std::vector<std::string> path;
    std::vector<ColumnStep> steps;
    int16_t def = 0;
    int16_t rep = 0;
    size_t field_index = 0;
};
}  // namespace parquet_schema_internal

// One leaf column of a Parquet file.
struct ParquetColumn {
    std::vector<std::string> path;  // path_in_schema: names below the root, down to the leaf
    Type physical_type = Type::kInt32;
    int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY only
    int16_t max_def_level = 0;
    int16_t max_rep_level = 0;
    columnar::DataType type = columnar::DataType::Int32();  // the columnar type of the leaf
    ValueConversion conversion = ValueConversion::kNone;
    size_t field_index = 0;         // the top-level field the leaf belongs to
    size_t schema_element = 0;      // index of the leaf's SchemaElement
    std::vector<ColumnStep> steps;  // steps.front(): the top-level field; steps.back(): the leaf

    // "a.list.element"
    std::string PathString() const;
};

struct ParquetSchema {
    columnar::Schema schema;
    std::vector<SchemaElement> elements;  // root first
    std::vector<ParquetColumn> columns;   // leaves in schema order
};

// The Parquet schema tarn writes for `schema` (see the table above). Cannot fail for a schema made
// by Schema::Make.
ParquetSchema ToParquetSchema(const columnar::Schema& schema);

struct ParquetSchemaOptions {
    // Read un-annotated binary as VARCHAR instead of VARBINARY (Spark's binaryAsString), for
    // files of writers that never annotate strings.
    bool binary_as_string = false;
};

// The columnar schema and leaf columns of a file's schema; see the rules above.
Result<ParquetSchema> FromParquetSchema(const std::vector<SchemaElement>& elements,
                                        const ParquetSchemaOptions& options = {});

// The least FIXED_LEN_BYTE_ARRAY length holding every DECIMAL of `precision` digits (1..38).
int32_t DecimalByteLength(int precision);

}  // namespace tarn::format
