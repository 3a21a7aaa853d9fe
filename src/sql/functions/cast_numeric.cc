// Casts to BOOLEAN, the integers, REAL, DOUBLE and DECIMAL -- from each other and from VARCHAR.
// One typed loop per (source, target) pair; the per-row work is the conversion itself.
#include <cmath>
#include <limits>

#include "columnar/value_format.h"
#include "format/type_inference.h"
#include "sql/functions/cast_internal.h"
#include "sql/functions/functions.h"

namespace tarn::sql::internal {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

namespace {

// Calls fn.template operator()<Src>() with the physical type of an integer or BOOLEAN vector.
template <class Fn>
void WithIntegerSource(TypeId id, Fn&& fn) {
    switch (id) {
        case TypeId::kBoolean:
            fn.template operator()<uint8_t>();
            break;
        case TypeId::kInt8:
            fn.template operator()<int8_t>();
            break;
        case TypeId::kInt16:
            fn.template operator()<int16_t>();
            break;
        case TypeId::kInt32:
            fn.template operator()<int32_t>();
            break;
        default:
            fn.template operator()<int64_t>();
            break;
    }
}

bool IsIntegerOrBoolean(TypeId id) { return id >= TypeId::kBoolean && id <= TypeId::kInt64; }

std::string IntegerTypeName(const DataType& to) { return SqlTypeName(to); }

Status OutOfRange(const ColumnVector& in, size_t row, const DataType& to) {
    std::string text;
    AppendCastText(in, row, &text);
    return Status::InvalidArgument("Out of range for " + IntegerTypeName(to) + ": " + text);
}

bool ParseDoubleWord(std::string_view text, double* out) {
    if (format::ParseDoubleText(text, out)) return true;
    if (text == "NaN") {
        *out = std::numeric_limits<double>::quiet_NaN();
    } else if (text == "Infinity" || text == "+Infinity") {
        *out = std::numeric_limits<double>::infinity();
    } else if (text == "-Infinity") {
        *out = -std::numeric_limits<double>::infinity();
    } else {
        return false;
    }
    return true;
}

// Trino's VARCHAR -> BOOLEAN: true/t/1 and false/f/0 (letters in any case).
bool ParseBooleanWord(std::string_view text, bool* out) {
    if (format::ParseBooleanText(text, out)) return true;
    if (text == "1" || text == "t" || text == "T") {
        *out = true;
        return true;
    }
    if (text == "0" || text == "f" || text == "F") {
        *out = false;
        return true;
    }
    return false;
}

// ---- to an integer type ------------------------------------------------------------------------
template <class Dst>
Status CastToInteger(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                     ColumnVector* out) {
    constexpr int64_t kLo = std::numeric_limits<Dst>::min();
    constexpr int64_t kHi = std::numeric_limits<Dst>::max();
    auto range_error = [&](size_t i) { return OutOfRange(in, i, to); };
    Status status;
    const TypeId from = in.type_id();
    if (IsIntegerOrBoolean(from)) {
        WithIntegerSource(from, [&]<class Src>() {
            const Src* src = in.Data<Src>();
            status = FixedCastLoop<Dst>(
                in, rows, try_cast, out,
                [&](size_t i, Dst* d) {
                    const int64_t v = static_cast<int64_t>(src[i]);
                    *d = static_cast<Dst>(v);
                    return v >= kLo && v <= kHi;
                },
                range_error);
        });
        return status;
    }
    if (from == TypeId::kFloat || from == TypeId::kDouble) {
        auto convert = [&](double v, Dst* d) {
            const double r = std::round(v);  // half away from zero
            // 2^63 is exactly representable; kHi for int64 is not.
            if (!(r >= static_cast<double>(kLo) && r < static_cast<double>(kHi) + 1.0)) {
                return false;
            }
            *d = static_cast<Dst>(static_cast<int64_t>(r));
            return true;
        };
        if (from == TypeId::kFloat) {
            const float* src = in.Data<float>();
            return FixedCastLoop<Dst>(
                in, rows, try_cast, out, [&](size_t i, Dst* d) { return convert(src[i], d); },
                range_error);
        }
        const double* src = in.Data<double>();
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out, [&](size_t i, Dst* d) { return convert(src[i], d); },
            range_error);
    }
    if (from == TypeId::kDecimal) {
        const int scale = in.type().scale();
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out,
            [&](size_t i, Dst* d) {
                const int128_t v = DivideRoundHalfUp(LoadDecimal(in, i), scale);
                *d = static_cast<Dst>(v);
                return v >= kLo && v <= kHi;
            },
            range_error);
    }
    // VARCHAR
    return FixedCastLoop<Dst>(
        in, rows, try_cast, out,
        [&](size_t i, Dst* d) {
            int64_t v = 0;
            if (!format::ParseInt64Text(TrimSpaces(in.GetString(i)), &v)) return false;
            *d = static_cast<Dst>(v);
            return v >= kLo && v <= kHi;
        },
        [&](size_t i) { return CastError(in, i, to); });
}

// ---- to REAL / DOUBLE --------------------------------------------------------------------------
template <class Dst>
Status CastToFloating(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                      ColumnVector* out) {
    auto never = [&](size_t i) { return CastError(in, i, to); };
    Status status;
    const TypeId from = in.type_id();
    if (IsIntegerOrBoolean(from)) {
        WithIntegerSource(from, [&]<class Src>() {
            const Src* src = in.Data<Src>();
            status = FixedCastLoop<Dst>(
                in, rows, try_cast, out,
                [&](size_t i, Dst* d) {
                    *d = static_cast<Dst>(src[i]);
                    return true;
                },
                never);
        });
        return status;
    }
    if (from == TypeId::kFloat) {
        const float* src = in.Data<float>();
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out,
            [&](size_t i, Dst* d) {
                *d = static_cast<Dst>(src[i]);
                return true;
            },
            never);
    }
    if (from == TypeId::kDouble) {
        const double* src = in.Data<double>();
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out,
            [&](size_t i, Dst* d) {
                *d = static_cast<Dst>(src[i]);
                return true;
            },
            never);
    }
    if (from == TypeId::kDecimal) {
        const long double divisor = static_cast<long double>(Pow10(in.type().scale()));
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out,
            [&](size_t i, Dst* d) {
                *d = static_cast<Dst>(static_cast<long double>(LoadDecimal(in, i)) / divisor);
                return true;
            },
            never);
    }
    return FixedCastLoop<Dst>(
        in, rows, try_cast, out,
        [&](size_t i, Dst* d) {
            double v = 0;
            if (!ParseDoubleWord(TrimSpaces(in.GetString(i)), &v)) return false;
            *d = static_cast<Dst>(v);
            return true;
        },
        never);
}

// ---- to DECIMAL --------------------------------------------------------------------------------
template <class Dst>
Status CastToDecimal(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                     ColumnVector* out) {
    const int precision = to.precision();
    const int scale = to.scale();
    const int128_t multiplier = Pow10(scale);
    auto error = [&](size_t i) { return CastError(in, i, to); };
    auto store = [&](int128_t v, Dst* d) {
        *d = static_cast<Dst>(v);
        return FitsPrecision(v, precision);
    };
    Status status;
    const TypeId from = in.type_id();
    if (IsIntegerOrBoolean(from)) {
        WithIntegerSource(from, [&]<class Src>() {
            const Src* src = in.Data<Src>();
            status = FixedCastLoop<Dst>(
                in, rows, try_cast, out,
                [&](size_t i, Dst* d) {
                    int128_t v = 0;
                    if (__builtin_mul_overflow(static_cast<int128_t>(src[i]), multiplier, &v)) {
                        return false;
                    }
                    return store(v, d);
                },
                error);
        });
        return status;
    }
    if (from == TypeId::kDecimal) {
        const int from_scale = in.type().scale();
        const int128_t up = scale > from_scale ? Pow10(scale - from_scale) : 1;
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out,
            [&](size_t i, Dst* d) {
                int128_t v = LoadDecimal(in, i);
                if (scale >= from_scale) {
                    if (__builtin_mul_overflow(v, up, &v)) return false;
                } else {
                    v = DivideRoundHalfUp(v, from_scale - scale);
                }
                return store(v, d);
            },
            error);
    }
    if (from == TypeId::kFloat || from == TypeId::kDouble) {
        const long double limit = static_cast<long double>(Pow10(precision));
        auto convert = [&](double v, Dst* d) {
            const long double x =
                std::roundl(static_cast<long double>(v) * static_cast<long double>(multiplier));
            if (!(x > -limit && x < limit)) return false;  // also NaN and infinities
            return store(static_cast<int128_t>(x), d);
        };
        if (from == TypeId::kFloat) {
            const float* src = in.Data<float>();
            return FixedCastLoop<Dst>(
                in, rows, try_cast, out, [&](size_t i, Dst* d) { return convert(src[i], d); },
                error);
        }
        const double* src = in.Data<double>();
        return FixedCastLoop<Dst>(
            in, rows, try_cast, out, [&](size_t i, Dst* d) { return convert(src[i], d); }, error);
    }
    return FixedCastLoop<Dst>(
        in, rows, try_cast, out,
        [&](size_t i, Dst* d) {
            int128_t v = 0;
            if (!format::ParseDecimalText(TrimSpaces(in.GetString(i)), precision, scale, &v)) {
                return false;
            }
            return store(v, d);
        },
        error);
}

// ---- to BOOLEAN --------------------------------------------------------------------------------
Status CastToBoolean(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                     ColumnVector* out) {
    auto error = [&](size_t i) { return CastError(in, i, to); };
    Status status;
    const TypeId from = in.type_id();
    if (IsIntegerOrBoolean(from)) {
        WithIntegerSource(from, [&]<class Src>() {
            const Src* src = in.Data<Src>();
            status = FixedCastLoop<uint8_t>(
                in, rows, try_cast, out,
                [&](size_t i, uint8_t* d) {
                    *d = src[i] != 0;
                    return true;
                },
                error);
        });
        return status;
    }
    if (from == TypeId::kFloat || from == TypeId::kDouble) {
        const bool is_float = from == TypeId::kFloat;
        return FixedCastLoop<uint8_t>(
            in, rows, try_cast, out,
            [&](size_t i, uint8_t* d) {
                *d = is_float ? in.Data<float>()[i] != 0 : in.Data<double>()[i] != 0;
                return true;
            },
            error);
    }
    if (from == TypeId::kDecimal) {
        return FixedCastLoop<uint8_t>(
            in, rows, try_cast, out,
            [&](size_t i, uint8_t* d) {
                *d = LoadDecimal(in, i) != 0;
                return true;
            },
            error);
    }
    return FixedCastLoop<uint8_t>(
        in, rows, try_cast, out,
        [&](size_t i, uint8_t* d) {
            bool b = false;
            if (!ParseBooleanWord(TrimSpaces(in.GetString(i)), &b)) return false;
            *d = b;
            return true;
        },
        error);
}

}  // namespace

Status CastToNumber(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                    ColumnVector* out) {
    switch (to.id()) {
        case TypeId::kBoolean:
            return CastToBoolean(in, rows, to, try_cast, out);
        case TypeId::kInt8:
            return CastToInteger<int8_t>(in, rows, to, try_cast, out);
        case TypeId::kInt16:
            return CastToInteger<int16_t>(in, rows, to, try_cast, out);
        case TypeId::kInt32:
            return CastToInteger<int32_t>(in, rows, to, try_cast, out);
        case TypeId::kInt64:
            return CastToInteger<int64_t>(in, rows, to, try_cast, out);
        case TypeId::kFloat:
            return CastToFloating<float>(in, rows, to, try_cast, out);
        case TypeId::kDouble:
            return CastToFloating<double>(in, rows, to, try_cast, out);
        case TypeId::kDecimal:
            if (IsDecimal64(to)) return CastToDecimal<int64_t>(in, rows, to, try_cast, out);
            return CastToDecimal<int128_t>(in, rows, to, try_cast, out);
        default:
            return Status::Internal("CastToNumber: not a numeric target " + SqlTypeName(to));
    }
}

}  // namespace tarn::sql::internal
