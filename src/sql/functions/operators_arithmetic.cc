// Arithmetic operators over integers (overflow is an error), DECIMAL (Trino's result precision
// and scale, computed in int128) and REAL/DOUBLE (IEEE: x / 0 is an infinity or NaN). Integer
// division truncates toward zero; integer and DECIMAL division or modulo by zero is "Division by
// zero" -- for valid rows only.
#include <algorithm>
#include <cmath>
#include <limits>

#include "sql/functions/kernel_util.h"
#include "sql/functions/operators_internal.h"

namespace tarn::sql::internal {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

namespace {

enum class Op : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo };

constexpr std::string_view OpWord(Op op) {
    constexpr std::string_view kWords[] = {"addition", "subtraction", "multiplication", "division",
                                           "modulus"};
    return kWords[static_cast<int>(op)];
}
constexpr std::string_view OpSymbol(Op op) {
    constexpr std::string_view kSymbols[] = {"+", "-", "*", "/", "%"};
    return kSymbols[static_cast<int>(op)];
}

Status DivisionByZero() { return Status::InvalidArgument("Division by zero"); }

// ---- integers ----------------------------------------------------------------------------------
template <class T, Op op>
Status IntegerKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                     ColumnVector* out) {
    const T* a = args[0]->Data<T>();
    const T* b = args[1]->Data<T>();
    out->Resize(ctx.rows);
    T* dst = out->MutableData<T>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!BitIsSet(ctx.valid, i)) continue;
        bool overflow = false;
        if constexpr (op == Op::kAdd) {
            overflow = __builtin_add_overflow(a[i], b[i], &dst[i]);
        } else if constexpr (op == Op::kSubtract) {
            overflow = __builtin_sub_overflow(a[i], b[i], &dst[i]);
        } else if constexpr (op == Op::kMultiply) {
            overflow = __builtin_mul_overflow(a[i], b[i], &dst[i]);
        } else {
            if (b[i] == 0) return DivisionByZero();
            if (b[i] == -1) {  // MIN / -1 overflows; MIN % -1 is 0
                if constexpr (op == Op::kDivide) {
                    overflow = __builtin_sub_overflow(T{0}, a[i], &dst[i]);
                } else {
                    dst[i] = 0;
                }
            } else {
                dst[i] = static_cast<T>(op == Op::kDivide ? a[i] / b[i] : a[i] % b[i]);
            }
        }
        if (overflow) [[unlikely]] {
            return Status::InvalidArgument(SqlTypeName(out->type()) + " " +
                                           std::string(OpWord(op)) +
                                           " overflow: " + std::to_string(a[i]) + " " +
                                           std::string(OpSymbol(op)) + " " + std::to_string(b[i]));
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// ---- REAL / DOUBLE -----------------------------------------------------------------------------
template <class T, Op op>
Status FloatingKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                      ColumnVector* out) {
    const T* a = args[0]->Data<T>();
    const T* b = args[1]->Data<T>();
    out->Resize(ctx.rows);
    T* dst = out->MutableData<T>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if constexpr (op == Op::kAdd) dst[i] = a[i] + b[i];
        if constexpr (op == Op::kSubtract) dst[i] = a[i] - b[i];
        if constexpr (op == Op::kMultiply) dst[i] = a[i] * b[i];
        if constexpr (op == Op::kDivide) dst[i] = a[i] / b[i];
        if constexpr (op == Op::kModulo) dst[i] = std::fmod(a[i], b[i]);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// ---- DECIMAL -----------------------------------------------------------------------------------
// Each argument keeps its own DECIMAL type; the state says how to line the scales up.
struct DecimalState {
    int128_t scale_a = 1;  // multiply a by this (add, subtract, modulo: to the result scale;
    int128_t scale_b = 1;  // divide: a by 10^(result scale - a scale + b scale))
    int digits_a = 0;      // scale_a == 10^digits_a
    int precision = 38;    // of the result
};

Status DecimalOverflow() { return Status::InvalidArgument("Decimal overflow"); }

// (x * 10^digits) / y rounded half up, or (x * 10^digits) % y, when x * 10^digits does not fit
// 128 bits but the result may: long division one decimal digit at a time. False on overflow.
// REQUIRES: y != 0.
template <Op op>
bool ScaledDivideSlow(int128_t x, int128_t y, int digits, int128_t* out) {
    using columnar::uint128_t;
    const uint128_t a = x < 0 ? -static_cast<uint128_t>(x) : static_cast<uint128_t>(x);
    const uint128_t b = y < 0 ? -static_cast<uint128_t>(y) : static_cast<uint128_t>(y);
    constexpr uint128_t kMaxTimesTen = ~uint128_t{0} / 10;
    uint128_t q = a / b;
    uint128_t r = a % b;
    for (int i = 0; i < digits; ++i) {
        if (r > kMaxTimesTen || (op == Op::kDivide && q > kMaxTimesTen)) return false;
        r *= 10;
        q = q * 10 + r / b;
        r %= b;
    }
    if constexpr (op == Op::kModulo) {
        *out = x < 0 ? -static_cast<int128_t>(r) : static_cast<int128_t>(r);  // sign of x
        return true;
    }
    if (r >= b - r) ++q;  // half up
    if (q > static_cast<uint128_t>(~uint128_t{0} >> 1)) return false;
    *out = (x < 0) != (y < 0) ? -static_cast<int128_t>(q) : static_cast<int128_t>(q);
    return true;
}

// TA, TB, TO: the physical types (int64_t or int128_t by precision) of a, b and the result.
template <class TA, class TB, class TO, Op op>
Status DecimalKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                     ColumnVector* out) {
    const auto& state = *static_cast<const DecimalState*>(ctx.state);
    const TA* a = args[0]->Data<TA>();
    const TB* b = args[1]->Data<TB>();
    out->Resize(ctx.rows);
    TO* dst = out->MutableData<TO>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!BitIsSet(ctx.valid, i)) continue;
        int128_t x = a[i];
        int128_t y = b[i];
        int128_t r = 0;
        const int128_t unscaled_x = x;
        const bool overflow_a = state.digits_a > columnar::kMaxDecimalPrecision ||
                                __builtin_mul_overflow(x, state.scale_a, &x);
        bool overflow = overflow_a || __builtin_mul_overflow(y, state.scale_b, &y);
        if constexpr (op == Op::kAdd) {
            overflow = overflow || __builtin_add_overflow(x, y, &r);
        } else if constexpr (op == Op::kSubtract) {
            overflow = overflow || __builtin_sub_overflow(x, y, &r);
        } else if constexpr (op == Op::kMultiply) {
            overflow = overflow || __builtin_mul_overflow(x, y, &r);
        } else if (overflow_a && !(overflow = __builtin_mul_overflow(b[i], state.scale_b, &y))) {
            if (y == 0) return DivisionByZero();
            overflow = !ScaledDivideSlow<op>(unscaled_x, y, state.digits_a, &r);
        } else if (!overflow) {
            if (y == 0) return DivisionByZero();
            if constexpr (op == Op::kDivide) {
                r = x / y;
                const int128_t rem = x % y;
                const int128_t abs_rem = rem < 0 ? -rem : rem;
                const int128_t abs_y = y < 0 ? -y : y;
                if (abs_rem >= abs_y - abs_rem) r += (x < 0) == (y < 0) ? 1 : -1;  // half up
            } else {
                r = x % y;
            }
        }
        if (overflow || !FitsPrecision(r, state.precision)) [[unlikely]] {
            return DecimalOverflow();
        }
        dst[i] = static_cast<TO>(r);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

template <Op op, class TA, class TB>
ScalarKernel DecimalKernelFor(bool out64) {
    return out64 ? DecimalKernel<TA, TB, int64_t, op> : DecimalKernel<TA, TB, int128_t, op>;
}

template <Op op>
ScalarKernel DecimalKernelFor(const DataType& a, const DataType& b, const DataType& out) {
    const bool out64 = IsDecimal64(out);
    if (IsDecimal64(a)) {
        return IsDecimal64(b) ? DecimalKernelFor<op, int64_t, int64_t>(out64)
                              : DecimalKernelFor<op, int64_t, int128_t>(out64);
    }
    return IsDecimal64(b) ? DecimalKernelFor<op, int128_t, int64_t>(out64)
                          : DecimalKernelFor<op, int128_t, int128_t>(out64);
}

// ---- negation ----------------------------------------------------------------------------------
template <class T>
Status NegateKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                    ColumnVector* out) {
    const ColumnVector& a = *args[0];
    out->Resize(ctx.rows);
    if constexpr (std::is_floating_point_v<T>) {
        for (size_t i = 0; i < ctx.rows; ++i) out->MutableData<T>()[i] = -a.Data<T>()[i];
    } else if constexpr (std::is_same_v<T, int128_t>) {  // DECIMAL: any width, never overflows
        for (size_t i = 0; i < ctx.rows; ++i) StoreDecimal(out, i, -LoadDecimal(a, i));
    } else {
        const T* src = a.Data<T>();
        T* dst = out->MutableData<T>();
        for (size_t i = 0; i < ctx.rows; ++i) {
            if (!BitIsSet(ctx.valid, i)) continue;
            if (__builtin_sub_overflow(T{0}, src[i], &dst[i])) [[unlikely]] {
                return Status::InvalidArgument(SqlTypeName(a.type()) +
                                               " negation overflow: " + std::to_string(src[i]));
            }
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// ---- binding -----------------------------------------------------------------------------------
bool IsInteger(TypeId id) { return id >= TypeId::kInt8 && id <= TypeId::kInt64; }
bool IsNumber(TypeId id) { return id >= TypeId::kInt8 && id <= TypeId::kDecimal; }

template <Op op>
ScalarKernel IntegerKernelFor(TypeId id) {
    switch (id) {
        case TypeId::kInt8:
            return IntegerKernel<int8_t, op>;
        case TypeId::kInt16:
            return IntegerKernel<int16_t, op>;
        case TypeId::kInt32:
            return IntegerKernel<int32_t, op>;
        default:
            return IntegerKernel<int64_t, op>;
    }
}

template <Op op>
FunctionBindResult BindBinary(std::string_view name, const DataType& a, const DataType& b) {
    if (IsInteger(a.id()) && IsInteger(b.id())) {
        const DataType& t = a.id() > b.id() ? a : b;
        return MakeFunction(name, IntegerKernelFor<op>(t.id()), t, {t, t});
    }
    if (a.id() == TypeId::kFloat || a.id() == TypeId::kDouble || b.id() == TypeId::kFloat ||
        b.id() == TypeId::kDouble) {
        if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) {
            return MakeFunction(name, FloatingKernel<double, op>, DataType::Double(),
                                {DataType::Double(), DataType::Double()});
        }
        return MakeFunction(name, FloatingKernel<float, op>, DataType::Float(),
                            {DataType::Float(), DataType::Float()});
    }
    // DECIMAL (integers as DECIMAL(p,0)): Trino's result types.
    const DataType da = IntegerAsDecimal(a);
    const DataType db = IntegerAsDecimal(b);
    const int pa = da.precision(), sa = da.scale(), pb = db.precision(), sb = db.scale();
    int precision = 0, scale = 0;
    auto state = std::make_shared<DecimalState>();
    if constexpr (op == Op::kAdd || op == Op::kSubtract) {
        scale = std::max(sa, sb);
        precision = std::max(pa - sa, pb - sb) + scale + 1;
    } else if constexpr (op == Op::kMultiply) {
        scale = sa + sb;
        precision = pa + pb;
    } else if constexpr (op == Op::kDivide) {
        scale = std::max(sa, sb);
        precision = pa + sb + std::max(0, sb - sa);
    } else {
        scale = std::max(sa, sb);
        precision = std::min(pb - sb, pa - sa) + scale;
    }
    if (scale > columnar::kMaxDecimalPrecision) {
        return Status::InvalidArgument("DECIMAL scale must be in range [0, 38]: " +
                                       std::to_string(scale));
    }
    precision = std::clamp(precision, std::max(scale, 1), columnar::kMaxDecimalPrecision);
    if constexpr (op == Op::kAdd || op == Op::kSubtract || op == Op::kModulo) {
        state->digits_a = scale - sa;
        state->scale_a = Pow10(scale - sa);
        state->scale_b = Pow10(scale - sb);
    } else if constexpr (op == Op::kDivide) {
        // Up to 76 digits (a scale-38 divisor): beyond 10^38 only the long division can scale.
        state->digits_a = scale - sa + sb;
        state->scale_a =
            state->digits_a <= columnar::kMaxDecimalPrecision ? Pow10(state->digits_a) : 0;
    }
    state->precision = precision;
    const DataType result = DataType::Decimal(precision, scale);
    return MakeFunction(name, DecimalKernelFor<op>(da, db, result), result, {da, db},
                        std::move(state));
}

FunctionBindResult BindNegate(std::string_view name, const DataType& t) {
    ScalarKernel kernel = nullptr;
    switch (t.id()) {
        case TypeId::kInt8:
            kernel = NegateKernel<int8_t>;
            break;
        case TypeId::kInt16:
            kernel = NegateKernel<int16_t>;
            break;
        case TypeId::kInt32:
            kernel = NegateKernel<int32_t>;
            break;
        case TypeId::kInt64:
            kernel = NegateKernel<int64_t>;
            break;
        case TypeId::kFloat:
            kernel = NegateKernel<float>;
            break;
        case TypeId::kDouble:
            kernel = NegateKernel<double>;
            break;
        default:
            kernel = NegateKernel<int128_t>;
    }
    return MakeFunction(name, kernel, t, {t});
}

}  // namespace

FunctionBindResult BindArithmetic(std::string_view name, std::span<const ArgumentInfo> args) {
    if (name == "$negate") {
        if (args.size() != 1) return CannotApply(name, args);
        const DataType t = ResolveNullLiteral(args[0], nullptr, DataType::Int64());
        if (!IsNumber(t.id())) return CannotApply(name, args);
        return BindNegate(name, t);
    }
    if (args.size() != 2) return CannotApply(name, args);
    const DataType a = ResolveNullLiteral(args[0], &args[1], DataType::Int64());
    const DataType b = ResolveNullLiteral(args[1], &args[0], DataType::Int64());
    if (!IsNumber(a.id()) || !IsNumber(b.id())) return CannotApply(name, args);
    if (name == "$add") return BindBinary<Op::kAdd>(name, a, b);
    if (name == "$subtract") return BindBinary<Op::kSubtract>(name, a, b);
    if (name == "$multiply") return BindBinary<Op::kMultiply>(name, a, b);
    if (name == "$divide") return BindBinary<Op::kDivide>(name, a, b);
    return BindBinary<Op::kModulo>(name, a, b);
}

}  // namespace tarn::sql::internal
