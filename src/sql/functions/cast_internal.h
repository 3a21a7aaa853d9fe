// Internal to sql/functions/: the pieces of CastVector (cast.cc) split by target type.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "common/status.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql::internal {

// The text a value casts to VARCHAR as (value_format.h's canonical forms). REQUIRES: non-nested.
void AppendCastText(const columnar::ColumnVector& col, size_t row, std::string* out);

// `text` without leading and trailing ASCII whitespace (numeric casts accept " 42 ").
std::string_view TrimSpaces(std::string_view text);

// "Cannot cast 'abc' to BIGINT" (VARCHAR source) or "Cannot cast DOUBLE '1.5E40' to DECIMAL(3,0)".
Status CastError(const columnar::ColumnVector& in, size_t row, const columnar::DataType& to);

// Fills `rows` slots of the fixed-width `out` (physical type Dst) with convert(row, &dst), which
// returns false when the value does not convert: an error from `error(row)`, or NULL with
// `try_cast`. Invalid input rows are NULL and never converted.
template <class Dst, class Convert, class Error>
Status FixedCastLoop(const columnar::ColumnVector& in, size_t rows, bool try_cast,
                     columnar::ColumnVector* out, Convert convert, Error error) {
    out->Resize(rows);
    Dst* dst = out->template MutableData<Dst>();
    const uint64_t* valid = in.validity_bits();
    for (size_t i = 0; i < rows; ++i) {
        if (!BitIsSet(valid, i)) continue;
        if (!convert(i, &dst[i])) [[unlikely]] {
            if (!try_cast) return error(i);
            dst[i] = Dst{};
            out->SetNull(i);
        }
    }
    if (valid != nullptr) {
        uint64_t* bits = out->MutableValidityBits();
        AndWords(valid, rows, bits);
        out->CompactValidity();
    }
    return Status::Ok();
}

// Casts from the numeric types (BOOLEAN, integers, REAL, DOUBLE, DECIMAL) and VARCHAR to a
// numeric `to` or BOOLEAN (cast_numeric.cc).
Status CastToNumber(const columnar::ColumnVector& in, size_t rows, const columnar::DataType& to,
                    bool try_cast, columnar::ColumnVector* out);

}  // namespace tarn::sql::internal
