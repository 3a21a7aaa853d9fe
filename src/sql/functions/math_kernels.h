// Internal to sql/functions/: the typed kernels of the math functions (math_functions.cc binds
// them). Each is a template over the physical type, instantiated for the overloads Trino has:
// integers keep their width, REAL/DOUBLE follow IEEE-754 (sqrt(-1) is NaN, not an error),
// DECIMAL works on the unscaled value in 128 bits whatever its storage width.
//
// Thread-safety: pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>

#include "sql/functions/builtin_util.h"

namespace tarn::sql::math {

using builtin::RowValid;
using columnar::ColumnVector;
using columnar::int128_t;
using Args = std::span<const ColumnVector* const>;

// 10^k for 0 <= k <= 38.
inline int128_t Pow10(int k) {
    int128_t p = 1;
    for (int i = 0; i < k; ++i) p *= 10;
    return p;
}
// v / p rounded half away from zero. REQUIRES: p > 0.
inline int128_t RoundDiv(int128_t v, int128_t p) {
    const int128_t q = v / p;
    const int128_t rem = v % p;
    if (rem >= 0 ? rem * 2 >= p : -rem * 2 >= p) return v < 0 ? q - 1 : q + 1;
    return q;
}
inline int128_t FloorDiv128(int128_t v, int128_t p) {
    const int128_t q = v / p;
    return (v % p != 0 && v < 0) ? q - 1 : q;
}

// The state of decimal kernels: the input scale and the result's precision.
struct DecimalState {
    int scale = 0;
    int precision = 38;
};

// Copies the argument: round/floor/ceil of an integer.
template <class T>
Status IdentityKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    out->Resize(ctx.rows);
    std::memcpy(out->MutableData<T>(), args[0]->Data<T>(), ctx.rows * sizeof(T));
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// One value in, one out, with a possible error per row: F(v, d, &r) -> Status, where d is the
// second argument (round's digits) or 0.
template <class In, class Out, class F>
Status UnaryKernel(const KernelContext& ctx, Args args, ColumnVector* out, F&& f) {
    const In* in = args[0]->Data<In>();
    const int64_t* digits = args.size() > 1 ? args[1]->Data<int64_t>() : nullptr;
    out->Resize(ctx.rows);
    Out* res = out->MutableData<Out>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        TARN_RETURN_IF_ERROR(f(in[i], digits ? digits[i] : 0, &res[i]));
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// ---- Integers ---------------------------------------------------------------------------------
template <class T>
Status IntAbsKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return UnaryKernel<T, T>(ctx, args, out, [&](T v, int64_t, T* r) {
        if (v == std::numeric_limits<T>::min()) {
            return Status::InvalidArgument("Value " + std::to_string(v) +
                                           " is out of range for abs(" +
                                           SqlTypeName(out->type()) + ")");
        }
        *r = v < 0 ? static_cast<T>(-v) : v;
        return Status::Ok();
    });
}

template <class T>
Status IntSignKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return UnaryKernel<T, T>(ctx, args, out, [](T v, int64_t, T* r) {
        *r = static_cast<T>((v > 0) - (v < 0));
        return Status::Ok();
    });
}

// round(integer, d): rounds to 10^-d when d < 0 (round(1250, -2) = 1300).
template <class T>
Status IntRoundKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return UnaryKernel<T, T>(ctx, args, out, [&](T v, int64_t d, T* r) {
        if (d >= 0) {
            *r = v;
            return Status::Ok();
        }
        int128_t rounded = 0;
        if (d >= -38) {
            const int128_t p = Pow10(static_cast<int>(-d));
            rounded = RoundDiv(v, p) * p;
        }
        if (rounded > std::numeric_limits<T>::max() || rounded < std::numeric_limits<T>::min()) {
            return Status::InvalidArgument("round(" + std::to_string(v) + ", " + std::to_string(d) +
                                           ") is out of range for " +
                                           SqlTypeName(out->type()));
        }
        *r = static_cast<T>(rounded);
        return Status::Ok();
    });
}

template <class T>
Status IntModKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const T* a = args[0]->Data<T>();
    const T* b = args[1]->Data<T>();
    out->Resize(ctx.rows);
    T* res = out->MutableData<T>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        if (b[i] == 0) return Status::InvalidArgument("Division by zero");
        // The remainder takes the dividend's sign (as Java's %); x % -1 is 0 even for the
        // minimum value, where C++'s % would overflow.
        res[i] = b[i] == -1 ? T{0} : static_cast<T>(a[i] % b[i]);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// ---- REAL / DOUBLE ----------------------------------------------------------------------------
// Half away from zero at 10^-d; values too large to have fraction digits stay as they are.
template <class T>
T RoundFloating(T v, int64_t d) {
    if (!std::isfinite(v)) return v;
    if (d > 308) return v;
    const double factor = std::pow(10.0, static_cast<double>(d));
    if (factor == 0) return v * 0;  // rounded to a power of ten beyond any double: zero
    const double scaled = static_cast<double>(v) * factor;
    if (!std::isfinite(scaled) || std::fabs(scaled) >= 4503599627370496.0) return v;  // 2^52
    return static_cast<T>(std::round(scaled) / factor);
}

// F: double -> double, e.g. std::floor; the result is converted back to T.
template <class T, double (*F)(double)>
Status FloatingKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return UnaryKernel<T, T>(ctx, args, out, [](T v, int64_t, T* r) {
        *r = static_cast<T>(F(static_cast<double>(v)));
        return Status::Ok();
    });
}

template <class T>
Status FloatingRoundKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return UnaryKernel<T, T>(ctx, args, out, [](T v, int64_t d, T* r) {
        *r = RoundFloating(v, d);
        return Status::Ok();
    });
}

inline double Sign(double v) { return std::isnan(v) ? v : static_cast<double>((v > 0) - (v < 0)); }
inline double Abs(double v) { return std::fabs(v); }
inline double Floor(double v) { return std::floor(v); }
inline double Ceil(double v) { return std::ceil(v); }
inline double Sqrt(double v) { return std::sqrt(v); }
inline double Ln(double v) { return std::log(v); }
inline double Exp(double v) { return std::exp(v); }

template <double (*F)(double, double)>
Status BinaryDoubleKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const double* a = args[0]->Data<double>();
    const double* b = args[1]->Data<double>();
    out->Resize(ctx.rows);
    double* res = out->MutableData<double>();
    for (size_t i = 0; i < ctx.rows; ++i) res[i] = F(a[i], b[i]);
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}
inline double Power(double a, double b) { return std::pow(a, b); }
inline double Fmod(double a, double b) { return std::fmod(a, b); }

// ---- DECIMAL ----------------------------------------------------------------------------------
enum class DecimalOp { kAbs, kSign, kRound, kRoundDigits, kFloor, kCeil };

template <DecimalOp kOp>
Status ApplyDecimal(int128_t v, int64_t d, const DecimalState& st, int128_t* r) {
    const int s = st.scale;
    if constexpr (kOp == DecimalOp::kAbs) *r = v < 0 ? -v : v;
    if constexpr (kOp == DecimalOp::kSign) *r = (v > 0) - (v < 0);
    if constexpr (kOp == DecimalOp::kRound) *r = RoundDiv(v, Pow10(s));
    if constexpr (kOp == DecimalOp::kFloor) *r = FloorDiv128(v, Pow10(s));
    if constexpr (kOp == DecimalOp::kCeil) *r = -FloorDiv128(-v, Pow10(s));
    if constexpr (kOp == DecimalOp::kRoundDigits) {
        // Keeps the scale: round(12.345, 1) = 12.300 at scale 3.
        if (d >= s) {
            *r = v;
        } else if (d < s - 38) {  // (not s - d > 38: d may be INT64_MIN)
            *r = 0;
        } else {
            const int128_t p = Pow10(static_cast<int>(s - d));
            *r = RoundDiv(v, p) * p;
        }
        const int128_t limit = Pow10(st.precision);
        if (*r >= limit || *r <= -limit) {
            return Status::InvalidArgument("decimal overflow in round");
        }
    }
    return Status::Ok();
}

template <class In, class Out, DecimalOp kOp>
Status DecimalKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const auto& st = *static_cast<const DecimalState*>(ctx.state);
    return UnaryKernel<In, Out>(ctx, args, out, [&](In v, int64_t d, Out* r) {
        int128_t wide = 0;
        TARN_RETURN_IF_ERROR(ApplyDecimal<kOp>(v, d, st, &wide));
        *r = static_cast<Out>(wide);
        return Status::Ok();
    });
}

template <DecimalOp kOp>
ScalarKernel PickDecimalKernel(bool in_wide, bool out_wide) {
    if (in_wide) {
        return out_wide ? DecimalKernel<int128_t, int128_t, kOp>
                        : DecimalKernel<int128_t, int64_t, kOp>;
    }
    return out_wide ? DecimalKernel<int64_t, int128_t, kOp> : DecimalKernel<int64_t, int64_t, kOp>;
}

// mod of two decimals, both rescaled to the result's scale first (Trino's decimal mod).
struct DecimalModState {
    int128_t a_factor = 1;  // 10^(result scale - a's scale)
    int128_t b_factor = 1;
};

template <class A, class B, class Out>
Status DecimalModKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const auto& st = *static_cast<const DecimalModState*>(ctx.state);
    const A* a = args[0]->Data<A>();
    const B* b = args[1]->Data<B>();
    out->Resize(ctx.rows);
    Out* res = out->MutableData<Out>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        int128_t x = 0;
        int128_t y = 0;
        if (__builtin_mul_overflow(int128_t{a[i]}, st.a_factor, &x) ||
            __builtin_mul_overflow(int128_t{b[i]}, st.b_factor, &y)) {
            return Status::InvalidArgument("decimal overflow in mod");
        }
        if (y == 0) return Status::InvalidArgument("Division by zero");
        // |x % y| < |y| and <= |x|: it fits the result precision.
        res[i] = static_cast<Out>(x % y);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

inline ScalarKernel PickDecimalModKernel(bool a_wide, bool b_wide, bool out_wide) {
    using W = int128_t;
    using N = int64_t;
    if (a_wide) {
        if (b_wide) return out_wide ? DecimalModKernel<W, W, W> : DecimalModKernel<W, W, N>;
        return out_wide ? DecimalModKernel<W, N, W> : DecimalModKernel<W, N, N>;
    }
    if (b_wide) return out_wide ? DecimalModKernel<N, W, W> : DecimalModKernel<N, W, N>;
    return out_wide ? DecimalModKernel<N, N, W> : DecimalModKernel<N, N, N>;
}

}  // namespace tarn::sql::math
