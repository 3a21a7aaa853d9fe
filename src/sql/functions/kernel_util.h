// Internal to sql/: small helpers the kernels, casts and the evaluator share -- validity words,
// powers of ten, DECIMAL loads and stores by physical width, and the upper-case type names Trino
// uses in cast errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"

namespace tarn::sql::internal {

using columnar::int128_t;

inline bool BitIsSet(const uint64_t* words, size_t i) {
    return words == nullptr || ((words[i >> 6] >> (i & 63)) & 1) != 0;
}

// 10^n for 0 <= n <= 38.
int128_t Pow10(int n);

// Whether `v` fits a DECIMAL of `precision` digits (|v| < 10^precision).
inline bool FitsPrecision(int128_t v, int precision) {
    const int128_t limit = Pow10(precision);
    return v < limit && v > -limit;
}

// Divides by 10^digits rounding half away from zero (Trino's rounding for DECIMAL rescale and
// for casts to integers).
inline int128_t DivideRoundHalfUp(int128_t v, int digits) {
    if (digits == 0) return v;
    const int128_t divisor = Pow10(digits);
    int128_t q = v / divisor;
    const int128_t r = v % divisor;
    // |r| >= divisor - |r| rather than 2|r| >= divisor: 2|r| may not fit for divisor = 10^38.
    if (r > 0 && r >= divisor - r) ++q;
    if (r < 0 && -r >= divisor + r) --q;
    return q;
}

inline bool IsDecimal64(const columnar::DataType& type) {
    return type.precision() <= columnar::kMaxDecimal64Precision;
}

// Slot i of a DECIMAL vector as its unscaled value.
inline int128_t LoadDecimal(const columnar::ColumnVector& col, size_t i) {
    if (IsDecimal64(col.type())) return col.Data<int64_t>()[i];
    return col.Data<int128_t>()[i];
}

// Writes slot i of a DECIMAL vector (already sized).
inline void StoreDecimal(columnar::ColumnVector* col, size_t i, int128_t v) {
    if (IsDecimal64(col->type())) {
        col->MutableData<int64_t>()[i] = static_cast<int64_t>(v);
    } else {
        col->MutableData<int128_t>()[i] = v;
    }
}

// ANDs `rows` bits of `valid` into `*words` (ValidityWords(rows) words). nullptr `valid` is a
// no-op. The caller decides what `*words` starts as.
inline void AndWords(const uint64_t* valid, size_t rows, uint64_t* words) {
    if (valid == nullptr) return;
    for (size_t w = 0; w < columnar::ValidityWords(rows); ++w) words[w] &= valid[w];
}

// Decimal text of a 128-bit integer.
std::string Int128ToString(int128_t v);

// The DECIMAL(p,0) that holds every value of an integer type (tinyint decimal(3,0) .. bigint
// decimal(19,0)); any other type as it is.
columnar::DataType IntegerAsDecimal(const columnar::DataType& type);

// "BIGINT", "DECIMAL(10,2)", "VARCHAR": the type as Trino names it in cast errors.
std::string UpperTypeName(const columnar::DataType& type);

}  // namespace tarn::sql::internal
