// Type inference shared by the NDJSON and CSV readers (and the crawler): a lattice of inferred
// types that only ever widens, and the parsers of scalar text both readers convert values with.
//
// The lattice (Merge takes the least type that holds both sides; it never fails):
//   - scalars form the chain  null < boolean < bigint < double < string;  merging two scalars
//     gives the larger one (so true/false become 1/0 in a bigint or double column, and any
//     scalar becomes its text in a string column);
//   - bigint holds integers in int64. An integer outside int64 makes the column decimal(38,0)
//     (more than 38 digits: string). Integers beyond +-2^53 are never made double: bigint with
//     big_integers set, or decimal(38,0), merged with double gives string;
//   - strings that are all ISO-8601 dates infer as date, all ISO-8601 timestamps (or a mix of
//     dates and timestamps) as timestamp; date or timestamp merged with any other non-null type
//     gives string;
//   - objects infer as STRUCT (fields merged by name, in first-seen order), arrays as LIST (one
//     element type, merged over every element); a STRUCT or LIST merged with a scalar or with the
//     other kind gives string (readers then store the value's JSON text);
//   - null merged with anything gives that thing; a column only ever null is VARCHAR.
//
// Thread-safety: values; the free functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/data_type.h"
#include "columnar/schema.h"

namespace tarn::format {

struct InferredType {
    enum class Kind : uint8_t {
        kNull,
        kBoolean,
        kBigint,
        kDouble,
        kDecimal38,  // integers outside int64, up to 38 digits
        kDate,
        kTimestamp,
        kString,
        kStruct,
        kList,
    };

    Kind kind = Kind::kNull;
    // kBigint: some value was outside +-2^53 (so merging with double gives string, not double).
    bool big_integers = false;
    // kStruct: the fields, in first-seen order.
    std::vector<std::pair<std::string, InferredType>> fields;
    // kList: exactly one entry, the element type (kNull while every list seen was empty).
    std::vector<InferredType> element;

    static InferredType Scalar(Kind kind, bool big_integers = false);
    static InferredType Struct(std::vector<std::pair<std::string, InferredType>> fields);
    static InferredType List(InferredType element);

    // Widens *this to hold every value `other` holds too.
    void Merge(const InferredType& other);
    // The columnar type: kNull -> VARCHAR, kBoolean -> BOOLEAN, kBigint -> BIGINT (INT64),
    // kDouble -> DOUBLE, kDecimal38 -> DECIMAL(38,0), kDate -> DATE, kTimestamp -> TIMESTAMP,
    // kString -> VARCHAR, kStruct -> STRUCT of nullable fields, kList -> LIST of a nullable
    // element.
    columnar::DataType ToDataType() const;

    bool operator==(const InferredType& other) const = default;
};

// A schema of nullable fields from the inferred types of top-level fields (in order).
// InvalidArgument when two fields have the same name.
Result<columnar::Schema> InferredSchema(
    const std::vector<std::pair<std::string, InferredType>>& fields);

// The kind of a JSON string value: kDate, kTimestamp or kString.
InferredType::Kind ClassifyJsonString(std::string_view s);
// The type of a JSON number written as `text` (as it appears in the document): an integer
// (no '.', 'e' or 'E') is kBigint (big_integers when beyond +-2^53), kDecimal38 when outside
// int64 with at most 38 digits, kString beyond that; anything else kDouble.
InferredType ClassifyJsonNumber(std::string_view text);
// The type of an unquoted CSV field: "" -> kNull; true/false (any case) -> kBoolean; then as
// ClassifyJsonNumber for numbers (a leading '+' allowed; "nan"/"inf" are strings); then
// ClassifyJsonString.
InferredType ClassifyCsvField(std::string_view text);

// ---- Scalar text parsers (readers convert with these; all return false on bad input) ---------

// "true"/"false", any case.
bool ParseBooleanText(std::string_view text, bool* out);
// A decimal integer with optional sign, in int64.
bool ParseInt64Text(std::string_view text, int64_t* out);
// A decimal number (integer, fraction, exponent), correctly rounded.
bool ParseDoubleText(std::string_view text, double* out);
// "YYYY-MM-DD" (years 0000-9999) -> days since 1970-01-01.
bool ParseDateText(std::string_view text, int32_t* days);
// "YYYY-MM-DD[T| ]HH:MM:SS[.f{1,9}][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]" -> UTC microseconds since the
// epoch (an offset is applied; no offset is taken as UTC; digits beyond microseconds are
// truncated). A bare date is midnight UTC.
bool ParseTimestampText(std::string_view text, int64_t* micros);
// A decimal number with at most `scale` fraction digits after rounding half away from zero,
// scaled: "12.345" at scale 2 -> 1235. False when it does not fit `precision` digits.
bool ParseDecimalText(std::string_view text, int precision, int scale, __int128* out);

}  // namespace tarn::format
