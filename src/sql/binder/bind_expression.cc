// ExpressionBinder: parsed expressions -> typed bound expressions over a scope.
#include <charconv>
#include <string>

#include "format/type_inference.h"
#include "sql/binder/binder_internal.h"
#include "sql/parser/parser.h"

namespace tarn::sql {
namespace {

using columnar::DataType;
using columnar::TypeId;

const char* OperatorFunction(ExprOperator op) {
    switch (op) {
        case ExprOperator::kAdd: return "$add";
        case ExprOperator::kSubtract: return "$subtract";
        case ExprOperator::kMultiply: return "$multiply";
        case ExprOperator::kDivide: return "$divide";
        case ExprOperator::kModulo: return "$modulo";
        case ExprOperator::kConcat: return "$concat";
        case ExprOperator::kEq: return "$eq";
        case ExprOperator::kNe: return "$ne";
        case ExprOperator::kLt: return "$lt";
        case ExprOperator::kLe: return "$le";
        case ExprOperator::kGt: return "$gt";
        case ExprOperator::kGe: return "$ge";
        default: return "";
    }
}

BoundExprPtr MakeNode(BoundKind kind, DataType type) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = kind;
    e->type = std::move(type);
    return e;
}

Result<BoundExprPtr> BindIntegerLiteral(const Expr& expr) {
    int64_t v = 0;
    const std::string& t = expr.text;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc() && end == t.data() + t.size()) {
        if (v >= INT32_MIN && v <= INT32_MAX) {
            return MakeConstant(Value::Int(DataType::Int32(), v));
        }
        return MakeConstant(Value::BigInt(v));
    }
    // Beyond bigint: a DECIMAL literal when it fits 38 digits (Trino does the same).
    if (t.size() <= static_cast<size_t>(columnar::kMaxDecimalPrecision)) {
        columnar::int128_t u = 0;
        for (char c : t) u = u * 10 + (c - '0');
        return MakeConstant(Value::Decimal(static_cast<int>(t.size()), 0, u));
    }
    return Status::InvalidArgument(AtPosition(expr.pos, "Invalid numeric literal: " + t));
}

Result<BoundExprPtr> BindDecimalLiteral(const Expr& expr) {
    const std::string& t = expr.text;
    columnar::int128_t u = 0;
    int digits = 0;
    bool after_point = false;
    for (char c : t) {
        if (c == '.') {
            after_point = true;
            continue;
        }
        if (digits == 0 && c == '0' && !after_point) continue;  // leading zeros
        if (digits == columnar::kMaxDecimalPrecision) {
            return Status::InvalidArgument(AtPosition(
                expr.pos, "Invalid numeric literal: " + t + " (more than 38 digits)"));
        }
        u = u * 10 + (c - '0');
        ++digits;
    }
    // Trailing fraction digits that were leading zeros still count for the scale.
    const size_t point = t.find('.');
    const int scale = point == std::string::npos ? 0 : static_cast<int>(t.size() - point - 1);
    const int precision = std::max(std::max(digits, scale), 1);
    return MakeConstant(Value::Decimal(precision, scale, u));
}

}  // namespace

Result<BoundExprPtr> ExpressionBinder::Bind(const Expr& expr) { return BindNode(expr); }

Result<BoundExprPtr> ExpressionBinder::BindPredicate(const Expr& expr) {
    TARN_ASSIGN_OR_RETURN(BoundExprPtr e, BindNode(expr));
    if (e->kind == BoundKind::kConstant && e->value.is_null_literal) {
        return CastTo(std::move(e), DataType::Boolean());
    }
    if (e->type.id() != TypeId::kBoolean) {
        return Status::InvalidArgument(AtPosition(
            expr.pos, clause_ + " clause must evaluate to a boolean: actual type " +
                          SqlTypeName(e->type)));
    }
    return e;
}

Result<BoundExprPtr> ExpressionBinder::BindNode(const Expr& expr) {
    if (aggregation_ != nullptr) {
        bool handled = false;
        TARN_ASSIGN_OR_RETURN(BoundExprPtr e, ReadAggregation(expr, &handled));
        if (handled) return e;
    }
    switch (expr.kind) {
        case ExprKind::kLiteral: return BindLiteral(expr);
        case ExprKind::kColumnRef: return BindColumn(expr);
        case ExprKind::kStar:
            return Status::InvalidArgument(AtPosition(expr.pos, "'*' is not allowed here"));
        case ExprKind::kFunction: return BindFunction(expr);
        case ExprKind::kUnary: return BindUnary(expr);
        case ExprKind::kBinary: return BindBinary(expr);
        case ExprKind::kAnd:
        case ExprKind::kOr: return BindLogical(expr);
        case ExprKind::kIsNull: {
            TARN_ASSIGN_OR_RETURN(BoundExprPtr x, BindNode(*expr.children[0]));
            BoundExprPtr e = MakeNode(BoundKind::kIsNull, DataType::Boolean());
            e->negated = expr.negated;
            e->children.push_back(std::move(x));
            return e;
        }
        case ExprKind::kIn: return BindIn(expr);
        case ExprKind::kBetween: return BindBetween(expr);
        case ExprKind::kLike: return BindLike(expr);
        case ExprKind::kCase: return BindCase(expr);
        case ExprKind::kCast: return BindCast(expr);
    }
    return Status::Internal("unknown expression kind");
}

Result<BoundExprPtr> ExpressionBinder::BindLiteral(const Expr& expr) {
    switch (expr.literal) {
        case LiteralKind::kNull: return MakeConstant(Value::NullLiteral());
        case LiteralKind::kBoolean: return MakeConstant(Value::Boolean(expr.text == "true"));
        case LiteralKind::kInteger: return BindIntegerLiteral(expr);
        case LiteralKind::kDecimal: return BindDecimalLiteral(expr);
        case LiteralKind::kDouble: {
            double v = 0;
            auto [end, ec] = std::from_chars(expr.text.data(), expr.text.data() + expr.text.size(), v);
            if (ec != std::errc() || end != expr.text.data() + expr.text.size()) {
                return Status::InvalidArgument(
                    AtPosition(expr.pos, "Invalid numeric literal: " + expr.text));
            }
            return MakeConstant(Value::Double(v));
        }
        case LiteralKind::kString: return MakeConstant(Value::Varchar(expr.text));
        case LiteralKind::kDate: {
            int32_t days = 0;
            if (!format::ParseDateText(expr.text, &days)) {
                return Status::InvalidArgument(
                    AtPosition(expr.pos, "Value cannot be cast to date: " + expr.text));
            }
            return MakeConstant(Value::Date(days));
        }
        case LiteralKind::kTimestamp: {
            int64_t micros = 0;
            if (!format::ParseTimestampText(expr.text, &micros)) {
                return Status::InvalidArgument(
                    AtPosition(expr.pos, "Value cannot be cast to timestamp: " + expr.text));
            }
            return MakeConstant(Value::Timestamp(micros));
        }
        case LiteralKind::kInterval:
            return Status::InvalidArgument(AtPosition(
                expr.pos, "INTERVAL is only supported added to or subtracted from a date or "
                          "timestamp"));
    }
    return Status::Internal("unknown literal kind");
}

Result<BoundExprPtr> ExpressionBinder::BindUnary(const Expr& expr) {
    TARN_ASSIGN_OR_RETURN(BoundExprPtr x, BindNode(*expr.children[0]));
    switch (expr.op) {
        case ExprOperator::kPlus: return x;
        case ExprOperator::kNot: {
            BoundExprPtr e = MakeNode(BoundKind::kNot, DataType::Boolean());
            if (x->type.id() != TypeId::kBoolean && !x->value.is_null_literal) {
                return Status::InvalidArgument(AtPosition(
                    expr.pos, "Cannot apply operator: NOT " + SqlTypeName(x->type)));
            }
            e->children.push_back(CastTo(std::move(x), DataType::Boolean()));
            return e;
        }
        default: {
            std::vector<BoundExprPtr> args;
            args.push_back(std::move(x));
            return MakeCall("$negate", std::move(args), expr.pos);
        }
    }
}

Result<BoundExprPtr> ExpressionBinder::BindBinary(const Expr& expr) {
    bool handled = false;
    TARN_ASSIGN_OR_RETURN(BoundExprPtr interval, BindIntervalArithmetic(expr, &handled));
    if (handled) return interval;
    std::vector<BoundExprPtr> args;
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        args.push_back(std::move(c));
    }
    return MakeCall(OperatorFunction(expr.op), std::move(args), expr.pos);
}

// `x + INTERVAL '3' DAY`, `INTERVAL '1' HOUR + x`, `x - INTERVAL ...`: date_add(unit, ±n, x).
Result<BoundExprPtr> ExpressionBinder::BindIntervalArithmetic(const Expr& expr, bool* handled) {
    auto is_interval = [](const Expr& e) {
        return e.kind == ExprKind::kLiteral && e.literal == LiteralKind::kInterval;
    };
    const bool left = is_interval(*expr.children[0]);
    const bool right = is_interval(*expr.children[1]);
    if (!left && !right) return BoundExprPtr();
    if ((expr.op != ExprOperator::kAdd && expr.op != ExprOperator::kSubtract) || (left && right) ||
        (left && expr.op == ExprOperator::kSubtract)) {
        return Status::InvalidArgument(AtPosition(
            expr.pos, "INTERVAL is only supported added to or subtracted from a date or "
                      "timestamp"));
    }
    *handled = true;
    const Expr& lit = left ? *expr.children[0] : *expr.children[1];
    const Expr& operand = left ? *expr.children[1] : *expr.children[0];
    int64_t n = 0;
    std::string_view text = lit.text;
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return Status::InvalidArgument(
            AtPosition(lit.pos, "Invalid INTERVAL value '" + lit.text + "': expected an integer"));
    }
    if (negative) n = -n;
    if (expr.op == ExprOperator::kSubtract) n = -n;
    static const char* kUnits[] = {"year", "month", "day", "hour", "minute", "second"};
    TARN_ASSIGN_OR_RETURN(BoundExprPtr x, BindNode(operand));
    std::vector<BoundExprPtr> args;
    args.push_back(MakeConstant(Value::Varchar(kUnits[static_cast<int>(lit.unit)])));
    args.push_back(MakeConstant(Value::BigInt(n)));
    args.push_back(std::move(x));
    return MakeCall("date_add", std::move(args), expr.pos);
}

Result<BoundExprPtr> ExpressionBinder::BindLogical(const Expr& expr) {
    BoundExprPtr e = MakeNode(expr.kind == ExprKind::kAnd ? BoundKind::kAnd : BoundKind::kOr,
                              DataType::Boolean());
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        if (c->type.id() != TypeId::kBoolean && !c->value.is_null_literal) {
            return Status::InvalidArgument(AtPosition(
                child->pos, std::string("Cannot apply operator: ") +
                                (expr.kind == ExprKind::kAnd ? "AND" : "OR") + " to " +
                                SqlTypeName(c->type)));
        }
        e->children.push_back(CastTo(std::move(c), DataType::Boolean()));
    }
    return e;
}

Result<BoundExprPtr> ExpressionBinder::BindIn(const Expr& expr) {
    std::vector<BoundExprPtr> items;
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        items.push_back(std::move(c));
    }
    TARN_RETURN_IF_ERROR(CoerceToCommonType(&items, expr.pos, "IN"));
    BoundExprPtr e = MakeNode(BoundKind::kIn, DataType::Boolean());
    e->negated = expr.negated;
    e->children = std::move(items);
    return e;
}

Result<BoundExprPtr> ExpressionBinder::BindBetween(const Expr& expr) {
    std::vector<BoundExprPtr> items;
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        items.push_back(std::move(c));
    }
    TARN_RETURN_IF_ERROR(CoerceToCommonType(&items, expr.pos, "BETWEEN"));
    std::vector<BoundExprPtr> low_args, high_args;
    low_args.push_back(items[0]->Clone());
    low_args.push_back(std::move(items[1]));
    high_args.push_back(std::move(items[0]));
    high_args.push_back(std::move(items[2]));
    TARN_ASSIGN_OR_RETURN(BoundExprPtr low, MakeCall("$ge", std::move(low_args), expr.pos));
    TARN_ASSIGN_OR_RETURN(BoundExprPtr high, MakeCall("$le", std::move(high_args), expr.pos));
    BoundExprPtr e = MakeNode(BoundKind::kAnd, DataType::Boolean());
    e->children.push_back(std::move(low));
    e->children.push_back(std::move(high));
    if (!expr.negated) return e;
    BoundExprPtr n = MakeNode(BoundKind::kNot, DataType::Boolean());
    n->children.push_back(std::move(e));
    return n;
}

Result<BoundExprPtr> ExpressionBinder::BindLike(const Expr& expr) {
    std::vector<BoundExprPtr> args;
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        args.push_back(std::move(c));
    }
    TARN_ASSIGN_OR_RETURN(BoundExprPtr like, MakeCall("$like", std::move(args), expr.pos));
    if (!expr.negated) return like;
    BoundExprPtr n = MakeNode(BoundKind::kNot, DataType::Boolean());
    n->children.push_back(std::move(like));
    return n;
}

Result<BoundExprPtr> ExpressionBinder::BindCase(const Expr& expr) {
    size_t i = 0;
    BoundExprPtr operand;
    if (expr.has_operand) {
        TARN_ASSIGN_OR_RETURN(operand, BindNode(*expr.children[i++]));
    }
    const size_t end = expr.children.size() - (expr.has_else ? 1 : 0);
    std::vector<BoundExprPtr> conditions, results;
    for (; i < end; i += 2) {
        const Expr& when = *expr.children[i];
        if (operand) {
            TARN_ASSIGN_OR_RETURN(BoundExprPtr w, BindNode(when));
            std::vector<BoundExprPtr> args;
            args.push_back(operand->Clone());
            args.push_back(std::move(w));
            TARN_ASSIGN_OR_RETURN(BoundExprPtr eq, MakeCall("$eq", std::move(args), when.pos));
            conditions.push_back(std::move(eq));
        } else {
            ExpressionBinder predicate(scope_, aggregation_, "CASE WHEN");
            TARN_ASSIGN_OR_RETURN(BoundExprPtr w, predicate.BindPredicate(when));
            conditions.push_back(std::move(w));
        }
        TARN_ASSIGN_OR_RETURN(BoundExprPtr t, BindNode(*expr.children[i + 1]));
        results.push_back(std::move(t));
    }
    if (expr.has_else) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr e, BindNode(*expr.children.back()));
        results.push_back(std::move(e));
    }
    TARN_RETURN_IF_ERROR(CoerceToCommonType(&results, expr.pos, "CASE"));
    BoundExprPtr e = MakeNode(BoundKind::kCase, results[0]->type);
    e->has_else = expr.has_else;
    for (size_t k = 0; k < conditions.size(); ++k) {
        e->children.push_back(std::move(conditions[k]));
        e->children.push_back(std::move(results[k]));
    }
    if (expr.has_else) e->children.push_back(std::move(results.back()));
    return e;
}

namespace {

// DECIMAL '-12.50': a decimal whose precision and scale are the text's (Trino's rule).
Result<BoundExprPtr> BindDecimalText(const Expr& expr, std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    const size_t point = text.find('.');
    const bool digits_only =
        !text.empty() && text != "." &&
        text.find_first_not_of("0123456789.") == std::string_view::npos &&
        (point == std::string_view::npos || text.find('.', point + 1) == std::string_view::npos);
    if (!digits_only) {
        return Status::InvalidArgument(AtPosition(
            expr.pos, "'" + expr.children[0]->text + "' is not a valid decimal literal"));
    }
    Expr literal;
    literal.pos = expr.pos;
    literal.text = std::string(text);
    TARN_ASSIGN_OR_RETURN(BoundExprPtr e, BindDecimalLiteral(literal));
    if (negative) e->value.data = -e->value.AsInt128();
    return e;
}

}  // namespace

Result<BoundExprPtr> ExpressionBinder::BindCast(const Expr& expr) {
    if (expr.typed_literal && expr.type.name == "decimal" && expr.type.params.empty()) {
        return BindDecimalText(expr, expr.children[0]->text);
    }
    TARN_ASSIGN_OR_RETURN(BoundExprPtr x, BindNode(*expr.children[0]));
    TARN_ASSIGN_OR_RETURN(DataType type, ResolveTypeName(expr.type));
    if (x->kind == BoundKind::kConstant && x->value.is_null_literal) {
        return MakeConstant(Value::Null(type));
    }
    if (x->type == type) return x;
    if (!CanCast(x->type, type)) {
        return Status::InvalidArgument(AtPosition(
            expr.pos, "Cannot cast " + SqlTypeName(x->type) + " to " + SqlTypeName(type)));
    }
    BoundExprPtr e = MakeNode(BoundKind::kCast, type);
    e->try_cast = expr.try_cast;
    e->children.push_back(std::move(x));
    return e;
}

}  // namespace tarn::sql
