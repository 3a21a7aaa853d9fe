// ToSql: the tree back to text, every operator node in parentheses, so that the text shows the
// tree's shape and parses back to the same tree (the fuzzer checks the round trip).
#include <string>

#include "sql/parser/parser.h"

namespace tarn::sql {
namespace {

void AppendQuoted(char quote, std::string_view value, std::string& out) {
    out.push_back(quote);
    for (char c : value) {
        out.push_back(c);
        if (c == quote) out.push_back(c);
    }
    out.push_back(quote);
}

void AppendIdentifier(const Identifier& id, std::string& out) {
    if (id.quoted) {
        AppendQuoted('"', id.spelling, out);
    } else {
        out += id.spelling;
    }
}

void AppendPath(const std::vector<Identifier>& names, std::string& out) {
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out.push_back('.');
        AppendIdentifier(names[i], out);
    }
}

std::string_view OperatorText(ExprOperator op) {
    switch (op) {
        case ExprOperator::kNone:
            return "?";
        case ExprOperator::kNegate:
            return "-";
        case ExprOperator::kPlus:
            return "+";
        case ExprOperator::kNot:
            return "NOT ";
        case ExprOperator::kAdd:
            return "+";
        case ExprOperator::kSubtract:
            return "-";
        case ExprOperator::kMultiply:
            return "*";
        case ExprOperator::kDivide:
            return "/";
        case ExprOperator::kModulo:
            return "%";
        case ExprOperator::kConcat:
            return "||";
        case ExprOperator::kEq:
            return "=";
        case ExprOperator::kNe:
            return "<>";
        case ExprOperator::kLt:
            return "<";
        case ExprOperator::kLe:
            return "<=";
        case ExprOperator::kGt:
            return ">";
        case ExprOperator::kGe:
            return ">=";
    }
    return "?";
}

std::string_view UnitText(IntervalUnit unit) {
    switch (unit) {
        case IntervalUnit::kYear:
            return "YEAR";
        case IntervalUnit::kMonth:
            return "MONTH";
        case IntervalUnit::kDay:
            return "DAY";
        case IntervalUnit::kHour:
            return "HOUR";
        case IntervalUnit::kMinute:
            return "MINUTE";
        case IntervalUnit::kSecond:
            return "SECOND";
    }
    return "?";
}

void AppendType(const TypeName& type, std::string& out) {
    // Parameters go before a "with time zone" suffix: timestamp(3) with time zone.
    constexpr std::string_view kZone = " with time zone";
    std::string_view name = type.name;
    const bool zoned = name.size() > kZone.size() && name.ends_with(kZone);
    if (zoned) name.remove_suffix(kZone.size());
    out += name;
    if (!type.params.empty()) {
        out.push_back('(');
        for (size_t i = 0; i < type.params.size(); ++i) {
            if (i > 0) out += ", ";
            out += std::to_string(type.params[i]);
        }
        out.push_back(')');
    }
    if (zoned) out += kZone;
}

void AppendExpr(const Expr& e, std::string& out);

void AppendList(const std::vector<ExprPtr>& list, size_t from, std::string_view separator,
                std::string& out) {
    for (size_t i = from; i < list.size(); ++i) {
        if (i > from) out += separator;
        AppendExpr(*list[i], out);
    }
}

void AppendLiteral(const Expr& e, std::string& out) {
    switch (e.literal) {
        case LiteralKind::kNull:
            out += "NULL";
            return;
        case LiteralKind::kBoolean:
            out += e.text == "true" ? "TRUE" : "FALSE";
            return;
        case LiteralKind::kInteger:
        case LiteralKind::kDecimal:
        case LiteralKind::kDouble:
            out += e.text;
            return;
        case LiteralKind::kString:
            AppendQuoted('\'', e.text, out);
            return;
        case LiteralKind::kDate:
            out += "DATE ";
            break;
        case LiteralKind::kTimestamp:
            out += "TIMESTAMP ";
            break;
        case LiteralKind::kInterval:
            out += "INTERVAL ";
            break;
    }
    AppendQuoted('\'', e.text, out);
    if (e.literal == LiteralKind::kInterval) {
        out.push_back(' ');
        out += UnitText(e.unit);
    }
}

void AppendExpr(const Expr& e, std::string& out) {
    const auto& c = e.children;
    switch (e.kind) {
        case ExprKind::kLiteral:
            AppendLiteral(e, out);
            return;
        case ExprKind::kColumnRef:
            AppendPath(e.names, out);
            return;
        case ExprKind::kStar:
            AppendPath(e.names, out);
            out += e.names.empty() ? "*" : ".*";
            return;
        case ExprKind::kFunction:
            AppendPath(e.names, out);
            if (e.no_parens) return;
            out.push_back('(');
            if (e.star_arg) out.push_back('*');
            if (e.distinct) out += "DISTINCT ";
            AppendList(c, 0, ", ", out);
            out.push_back(')');
            return;
        case ExprKind::kUnary:
            out.push_back('(');
            out += OperatorText(e.op);
            AppendExpr(*c[0], out);
            out.push_back(')');
            return;
        case ExprKind::kBinary:
            out.push_back('(');
            AppendExpr(*c[0], out);
            out.push_back(' ');
            out += OperatorText(e.op);
            out.push_back(' ');
            AppendExpr(*c[1], out);
            out.push_back(')');
            return;
        case ExprKind::kAnd:
        case ExprKind::kOr:
            out.push_back('(');
            AppendList(c, 0, e.kind == ExprKind::kAnd ? " AND " : " OR ", out);
            out.push_back(')');
            return;
        case ExprKind::kIsNull:
            out.push_back('(');
            AppendExpr(*c[0], out);
            out += e.negated ? " IS NOT NULL)" : " IS NULL)";
            return;
        case ExprKind::kIn:
            out.push_back('(');
            AppendExpr(*c[0], out);
            out += e.negated ? " NOT IN (" : " IN (";
            AppendList(c, 1, ", ", out);
            out += "))";
            return;
        case ExprKind::kBetween:
            out.push_back('(');
            AppendExpr(*c[0], out);
            out += e.negated ? " NOT BETWEEN " : " BETWEEN ";
            AppendExpr(*c[1], out);
            out += " AND ";
            AppendExpr(*c[2], out);
            out.push_back(')');
            return;
        case ExprKind::kLike:
            out.push_back('(');
            AppendExpr(*c[0], out);
            out += e.negated ? " NOT LIKE " : " LIKE ";
            AppendExpr(*c[1], out);
            if (c.size() > 2) {
                out += " ESCAPE ";
                AppendExpr(*c[2], out);
            }
            out.push_back(')');
            return;
        case ExprKind::kCase: {
            out += "CASE";
            size_t i = 0;
            if (e.has_operand) {
                out.push_back(' ');
                AppendExpr(*c[i++], out);
            }
            const size_t pairs_end = c.size() - (e.has_else ? 1 : 0);
            for (; i + 1 < pairs_end; i += 2) {
                out += " WHEN ";
                AppendExpr(*c[i], out);
                out += " THEN ";
                AppendExpr(*c[i + 1], out);
            }
            if (e.has_else) {
                out += " ELSE ";
                AppendExpr(*c.back(), out);
            }
            out += " END";
            return;
        }
        case ExprKind::kCast:
            if (e.typed_literal) {
                AppendType(e.type, out);
                out.push_back(' ');
                AppendExpr(*c[0], out);
                return;
            }
            out += e.try_cast ? "TRY_CAST(" : "CAST(";
            AppendExpr(*c[0], out);
            out += " AS ";
            AppendType(e.type, out);
            out.push_back(')');
            return;
    }
}

void AppendQualifiedName(const QualifiedName& name, std::string& out) {
    AppendPath(name.parts, out);
}

void AppendSelect(const Select& s, std::string& out);

void AppendAlias(const std::optional<Identifier>& alias, std::string& out) {
    if (!alias) return;
    out += " AS ";
    AppendIdentifier(*alias, out);
}

void AppendSelect(const Select& s, std::string& out) {
    out += s.distinct ? "SELECT DISTINCT " : "SELECT ";
    for (size_t i = 0; i < s.items.size(); ++i) {
        if (i > 0) out += ", ";
        AppendExpr(*s.items[i].expr, out);
        AppendAlias(s.items[i].alias, out);
    }
    if (s.from) {
        out += " FROM ";
        if (s.from->subquery) {
            out.push_back('(');
            AppendSelect(*s.from->subquery, out);
            out.push_back(')');
        } else {
            AppendQualifiedName(s.from->name, out);
        }
        AppendAlias(s.from->alias, out);
    }
    if (s.where) {
        out += " WHERE ";
        AppendExpr(*s.where, out);
    }
    if (!s.group_by.empty()) {
        out += " GROUP BY ";
        AppendList(s.group_by, 0, ", ", out);
    }
    if (s.having) {
        out += " HAVING ";
        AppendExpr(*s.having, out);
    }
    for (size_t i = 0; i < s.order_by.size(); ++i) {
        out += i == 0 ? " ORDER BY " : ", ";
        const OrderItem& item = s.order_by[i];
        AppendExpr(*item.expr, out);
        if (item.descending) out += " DESC";
        if (item.nulls == NullsOrder::kFirst) out += " NULLS FIRST";
        if (item.nulls == NullsOrder::kLast) out += " NULLS LAST";
    }
    if (s.offset) out += " OFFSET " + std::to_string(*s.offset);
    if (s.limit) out += " LIMIT " + std::to_string(*s.limit);
}

}  // namespace

std::string ToSql(const Expr& expr) {
    std::string out;
    AppendExpr(expr, out);
    return out;
}

std::string ToSql(const Select& select) {
    std::string out;
    AppendSelect(select, out);
    return out;
}

std::string ToSql(const Statement& statement) {
    std::string out;
    switch (statement.kind) {
        case StatementKind::kSelect:
            AppendSelect(*statement.select, out);
            break;
        case StatementKind::kExplain:
            out += "EXPLAIN ";
            AppendSelect(*statement.select, out);
            break;
        case StatementKind::kShowDatabases:
            out += "SHOW DATABASES";
            break;
        case StatementKind::kShowTables:
            out += "SHOW TABLES";
            if (!statement.name.parts.empty()) {
                out += " FROM ";
                AppendQualifiedName(statement.name, out);
            }
            break;
        case StatementKind::kShowColumns:
            out += "SHOW COLUMNS FROM ";
            AppendQualifiedName(statement.name, out);
            break;
        case StatementKind::kShowPartitions:
            out += "SHOW PARTITIONS ";
            AppendQualifiedName(statement.name, out);
            break;
        case StatementKind::kDescribe:
            out += "DESCRIBE ";
            AppendQualifiedName(statement.name, out);
            break;
    }
    if (statement.like_pattern) {
        out += " LIKE ";
        AppendQuoted('\'', *statement.like_pattern, out);
    }
    return out;
}

}  // namespace tarn::sql
