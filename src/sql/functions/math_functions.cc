// The math function group's binding: Trino's overloads by argument type -- integers keep their
// width, REAL stays REAL where Trino has a real overload, DECIMAL keeps or adjusts its precision
// and scale as Trino does, everything else is computed in DOUBLE. Kernels are in math_kernels.h.
#include <algorithm>
#include <memory>

#include "sql/functions/function_groups.h"
#include "sql/functions/math_kernels.h"

namespace tarn::sql {
namespace {

using namespace builtin;  // NOLINT: this group's own helper namespace
using math::DecimalOp;

enum class Kind { kInteger, kReal, kDouble, kDecimal, kNull, kOther };

Kind KindOf(const ArgumentInfo& a) {
    if (a.is_null_literal) return Kind::kNull;
    const TypeId id = a.type.id();
    if (IsIntegerType(id)) return Kind::kInteger;
    if (id == TypeId::kFloat) return Kind::kReal;
    if (id == TypeId::kDouble) return Kind::kDouble;
    if (id == TypeId::kDecimal) return Kind::kDecimal;
    return Kind::kOther;
}

// The integer kernel `K<T>` for the argument's width.
template <template <class> class K>
ScalarKernel ForInteger(TypeId id) {
    switch (id) {
        case TypeId::kInt8:
            return K<int8_t>::kKernel;
        case TypeId::kInt16:
            return K<int16_t>::kKernel;
        case TypeId::kInt32:
            return K<int32_t>::kKernel;
        default:
            return K<int64_t>::kKernel;
    }
}
template <class T>
struct AbsK {
    static constexpr ScalarKernel kKernel = math::IntAbsKernel<T>;
};
template <class T>
struct SignK {
    static constexpr ScalarKernel kKernel = math::IntSignKernel<T>;
};
template <class T>
struct SameK {
    static constexpr ScalarKernel kKernel = math::IdentityKernel<T>;
};
template <class T>
struct RoundK {
    static constexpr ScalarKernel kKernel = math::IntRoundKernel<T>;
};
template <class T>
struct ModK {
    static constexpr ScalarKernel kKernel = math::IntModKernel<T>;
};

bool IsWide(int precision) { return precision > columnar::kMaxDecimal64Precision; }

// A decimal overload: result decimal(precision, scale), the kernel picked by storage widths.
template <DecimalOp kOp>
FunctionBindResult BindDecimal(std::string_view name, const DataType& in, int precision, int scale,
                               bool with_digits) {
    auto state = std::make_shared<math::DecimalState>();
    state->scale = in.scale();
    state->precision = precision;
    const DataType ret = DataType::Decimal(precision, scale);
    std::vector<DataType> params{in};
    if (with_digits) params.push_back(DataType::Int64());
    auto f =
        MakeFunction(name, math::PickDecimalKernel<kOp>(IsWide(in.precision()), IsWide(precision)),
                     ret, std::move(params));
    f->state = std::move(state);
    return {f};
}

// abs, sign, round(x), floor, ceil: one numeric argument.
FunctionBindResult BindUnary(std::string_view name, std::span<const ArgumentInfo> args) {
    const bool abs = name == "abs";
    const bool sign = name == "sign";
    const bool round = name == "round";
    const bool floor = name == "floor";
    const Kind kind = args.size() == 1 ? KindOf(args[0]) : Kind::kOther;
    const DataType d = DataType::Double();
    if (kind == Kind::kOther) {
        return UnexpectedParameters(
            name, args,
            {"tinyint", "smallint", "integer", "bigint", "decimal(p,s)", "real", "double"});
    }
    const DataType& t = args[0].type;
    switch (kind) {
        case Kind::kInteger: {
            ScalarKernel k = abs    ? ForInteger<AbsK>(t.id())
                             : sign ? ForInteger<SignK>(t.id())
                                    : ForInteger<SameK>(t.id());
            return {MakeFunction(name, k, t, {t})};
        }
        case Kind::kReal: {
            using math::FloatingKernel;
            ScalarKernel k = abs     ? FloatingKernel<float, math::Abs>
                             : sign  ? FloatingKernel<float, math::Sign>
                             : round ? math::FloatingRoundKernel<float>
                             : floor ? FloatingKernel<float, math::Floor>
                                     : FloatingKernel<float, math::Ceil>;
            return {MakeFunction(name, k, t, {t})};
        }
        case Kind::kDecimal: {
            const int p = t.precision();
            const int s = t.scale();
            // Trino: abs keeps the type, sign is decimal(1,0), rounding to an integer leaves
            // p - s digits plus one for a carry when there was a fraction.
            const int rounded = std::min(38, p - s + std::min(s, 1));
            if (abs) return BindDecimal<DecimalOp::kAbs>(name, t, p, s, false);
            if (sign) return BindDecimal<DecimalOp::kSign>(name, t, 1, 0, false);
            if (round) return BindDecimal<DecimalOp::kRound>(name, t, rounded, 0, false);
            if (floor) return BindDecimal<DecimalOp::kFloor>(name, t, rounded, 0, false);
            return BindDecimal<DecimalOp::kCeil>(name, t, rounded, 0, false);
        }
        default: {  // DOUBLE, or an untyped NULL
            using math::FloatingKernel;
            ScalarKernel k = abs     ? FloatingKernel<double, math::Abs>
                             : sign  ? FloatingKernel<double, math::Sign>
                             : round ? math::FloatingRoundKernel<double>
                             : floor ? FloatingKernel<double, math::Floor>
                                     : FloatingKernel<double, math::Ceil>;
            return {MakeFunction(name, k, d, {d})};
        }
    }
}

FunctionBindResult BindRoundDigits(std::string_view name, std::span<const ArgumentInfo> args) {
    const Kind kind = KindOf(args[0]);
    if (kind == Kind::kOther || !FitsBigint(args[1])) {
        return UnexpectedParameters(name, args,
                                    {"bigint", "decimal(p,s)", "double", "real", "bigint, bigint",
                                     "decimal(p,s), bigint", "double, bigint", "real, bigint"});
    }
    const DataType& t = args[0].type;
    const DataType b = DataType::Int64();
    switch (kind) {
        case Kind::kInteger:
            return {MakeFunction(name, ForInteger<RoundK>(t.id()), t, {t, b})};
        case Kind::kReal:
            return {MakeFunction(name, math::FloatingRoundKernel<float>, t, {t, b})};
        case Kind::kDecimal: {
            // Trino keeps the scale and allows one more digit for the carry.
            const int p = std::min(38, t.precision() + 1);
            return BindDecimal<DecimalOp::kRoundDigits>(name, t, p, t.scale(), true);
        }
        default: {
            const DataType d = DataType::Double();
            return {MakeFunction(name, math::FloatingRoundKernel<double>, d, {d, b})};
        }
    }
}

// The DECIMAL an integer argument widens to when it meets a decimal (Trino's coercion).
DataType AsDecimal(const ArgumentInfo& a) {
    switch (KindOf(a)) {
        case Kind::kDecimal:
            return a.type;
        case Kind::kNull:
            return DataType::Decimal(1, 0);
        default:
            break;
    }
    const TypeId id = a.type.id();
    const int digits = id == TypeId::kInt8    ? 3
                       : id == TypeId::kInt16 ? 5
                       : id == TypeId::kInt32 ? 10
                                              : 19;
    return DataType::Decimal(digits, 0);
}

// mod(decimal(p1,s1), decimal(p2,s2)) -> decimal(min(p1-s1, p2-s2) + s, s), s = max(s1, s2).
FunctionBindResult BindDecimalMod(std::string_view name, std::span<const ArgumentInfo> args) {
    const DataType a = AsDecimal(args[0]);
    const DataType b = AsDecimal(args[1]);
    const int scale = std::max(a.scale(), b.scale());
    const int precision =
        std::min(38, std::min(a.precision() - a.scale(), b.precision() - b.scale()) + scale);
    auto state = std::make_shared<math::DecimalModState>();
    state->a_factor = math::Pow10(scale - a.scale());
    state->b_factor = math::Pow10(scale - b.scale());
    auto f = MakeFunction(name,
                          math::PickDecimalModKernel(IsWide(a.precision()), IsWide(b.precision()),
                                                     IsWide(std::max(precision, 1))),
                          DataType::Decimal(std::max(precision, 1), scale), {a, b});
    f->state = std::move(state);
    return {f};
}

// mod(a, b): integers in the wider of the two widths; decimals (with integers widened to
// decimals) as decimals; anything with a REAL or DOUBLE in DOUBLE.
FunctionBindResult BindMod(std::string_view name, std::span<const ArgumentInfo> args) {
    if (args.size() != 2 || !FitsDouble(args[0]) || !FitsDouble(args[1])) {
        return UnexpectedParameters(
            name, args, {"bigint, bigint", "decimal(p,s), decimal(p,s)", "double, double"});
    }
    const Kind a = KindOf(args[0]);
    const Kind b = KindOf(args[1]);
    auto exact = [](Kind k) {
        return k == Kind::kInteger || k == Kind::kNull || k == Kind::kDecimal;
    };
    if (exact(a) && exact(b) && (a == Kind::kDecimal || b == Kind::kDecimal)) {
        return BindDecimalMod(name, args);
    }
    if (exact(a) && exact(b) && (a == Kind::kInteger || b == Kind::kInteger)) {
        TypeId id = TypeId::kInt8;
        for (const ArgumentInfo& arg : args) {
            if (!arg.is_null_literal) id = std::max(id, arg.type.id());  // kInt8 < .. < kInt64
        }
        const DataType t = id == TypeId::kInt8    ? DataType::Int8()
                           : id == TypeId::kInt16 ? DataType::Int16()
                           : id == TypeId::kInt32 ? DataType::Int32()
                                                  : DataType::Int64();
        return {MakeFunction(name, ForInteger<ModK>(id), t, {t, t})};
    }
    const DataType d = DataType::Double();
    return {MakeFunction(name, math::BinaryDoubleKernel<math::Fmod>, d, {d, d})};
}

FunctionBindResult BindDoubleFunction(std::string_view name, std::span<const ArgumentInfo> args,
                                      size_t arity, ScalarKernel kernel) {
    bool fits = args.size() == arity;
    for (size_t i = 0; fits && i < arity; ++i) fits = FitsDouble(args[i]);
    if (!fits) return UnexpectedParameters(name, args, {arity == 1 ? "double" : "double, double"});
    const DataType d = DataType::Double();
    return {MakeFunction(name, kernel, d, std::vector<DataType>(arity, d))};
}

}  // namespace

FunctionBindResult BindMathFunction(std::string_view name, std::span<const ArgumentInfo> args) {
    if (name == "round" && args.size() == 2) return BindRoundDigits(name, args);
    if (name == "abs" || name == "sign" || name == "round" || name == "floor" || name == "ceil" ||
        name == "ceiling") {
        return BindUnary(name, args);
    }
    using math::FloatingKernel;
    if (name == "sqrt")
        return BindDoubleFunction(name, args, 1, FloatingKernel<double, math::Sqrt>);
    if (name == "ln") return BindDoubleFunction(name, args, 1, FloatingKernel<double, math::Ln>);
    if (name == "exp") return BindDoubleFunction(name, args, 1, FloatingKernel<double, math::Exp>);
    if (name == "power" || name == "pow") {
        return BindDoubleFunction(name, args, 2, math::BinaryDoubleKernel<math::Power>);
    }
    if (name == "mod") return BindMod(name, args);
    return {std::shared_ptr<const ScalarFunction>()};
}

}  // namespace tarn::sql
