// BoundExpr: copying, printing for EXPLAIN, and the column bookkeeping the planner needs.
#include "sql/binder/bound_expr.h"

#include <algorithm>
#include <string_view>

#include "sql/functions/kernel_util.h"

namespace tarn::sql {

BoundExprPtr BoundExpr::Clone() const {
    auto copy = std::make_unique<BoundExpr>();
    copy->kind = kind;
    copy->type = type;
    copy->column = column;
    copy->field_index = field_index;
    copy->negated = negated;
    copy->has_else = has_else;
    copy->try_cast = try_cast;
    copy->value = value;
    copy->function = function;  // immutable, shared
    copy->name = name;
    copy->children.reserve(children.size());
    for (const BoundExprPtr& child : children) copy->children.push_back(child->Clone());
    return copy;
}

namespace {

// The infix spelling of an operator function, or empty for an ordinary function.
std::string_view InfixOperator(std::string_view name) {
    static constexpr std::pair<std::string_view, std::string_view> kOperators[] = {
        {"$add", "+"},    {"$subtract", "-"}, {"$multiply", "*"}, {"$divide", "/"},
        {"$modulo", "%"}, {"$concat", "||"},  {"$eq", "="},       {"$ne", "<>"},
        {"$lt", "<"},     {"$le", "<="},      {"$gt", ">"},       {"$ge", ">="},
    };
    for (const auto& [function, symbol] : kOperators) {
        if (function == name) return symbol;
    }
    return {};
}

void AppendJoined(const std::vector<BoundExprPtr>& children, size_t from, std::string_view sep,
                  std::string* out) {
    for (size_t i = from; i < children.size(); ++i) {
        if (i > from) *out += sep;
        *out += children[i]->ToString();
    }
}

}  // namespace

std::string BoundExpr::ToString() const {
    std::string out;
    switch (kind) {
        case BoundKind::kColumn:
            return name.empty() ? "#" + std::to_string(column) : name;
        case BoundKind::kConstant:
            return value.ToSql();
        case BoundKind::kCall: {
            const std::string_view infix = InfixOperator(name);
            if (!infix.empty() && children.size() == 2) {
                return "(" + children[0]->ToString() + " " + std::string(infix) + " " +
                       children[1]->ToString() + ")";
            }
            if (name == "$negate" && children.size() == 1) {
                return "(-" + children[0]->ToString() + ")";
            }
            if (name == "$like" && children.size() >= 2) {
                out = "(" + children[0]->ToString() + " LIKE " + children[1]->ToString();
                if (children.size() > 2) out += " ESCAPE " + children[2]->ToString();
                return out + ")";
            }
            out = name + "(";
            AppendJoined(children, 0, ", ", &out);
            return out + ")";
        }
        case BoundKind::kCast:
            return std::string(try_cast ? "TRY_CAST(" : "CAST(") + children[0]->ToString() +
                   " AS " + internal::UpperTypeName(type) + ")";
        case BoundKind::kAnd:
        case BoundKind::kOr:
            out = "(";
            AppendJoined(children, 0, kind == BoundKind::kAnd ? " AND " : " OR ", &out);
            return out + ")";
        case BoundKind::kNot:
            return "(NOT " + children[0]->ToString() + ")";
        case BoundKind::kIsNull:
            return "(" + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
        case BoundKind::kIn:
            out = "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (");
            AppendJoined(children, 1, ", ", &out);
            return out + "))";
        case BoundKind::kCase: {
            out = "CASE";
            const size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
            for (size_t i = 0; i < pairs; ++i) {
                out += " WHEN " + children[2 * i]->ToString() + " THEN " +
                       children[2 * i + 1]->ToString();
            }
            if (has_else) out += " ELSE " + children.back()->ToString();
            return out + " END";
        }
        case BoundKind::kCoalesce:
            out = "coalesce(";
            AppendJoined(children, 0, ", ", &out);
            return out + ")";
        case BoundKind::kField: {
            const columnar::DataType& struct_type = children[0]->type;
            out = children[0]->ToString() + ".";
            if (field_index >= 0 && static_cast<size_t>(field_index) < struct_type.num_fields()) {
                columnar::AppendFieldName(struct_type.field(field_index).name, &out);
            } else {
                out += "#" + std::to_string(field_index);
            }
            return out;
        }
    }
    return out;
}

bool BoundExpr::IsConstant() const {
    if (kind == BoundKind::kColumn) return false;
    if (kind == BoundKind::kCall && function != nullptr && !function->foldable) return false;
    return std::all_of(children.begin(), children.end(),
                       [](const BoundExprPtr& child) { return child->IsConstant(); });
}

void BoundExpr::CollectColumns(std::vector<int>* columns) const {
    if (kind == BoundKind::kColumn &&
        std::find(columns->begin(), columns->end(), column) == columns->end()) {
        columns->push_back(column);
    }
    for (const BoundExprPtr& child : children) child->CollectColumns(columns);
}

void BoundExpr::RemapColumns(const std::vector<int>& mapping) {
    if (kind == BoundKind::kColumn) column = mapping[column];
    for (const BoundExprPtr& child : children) child->RemapColumns(mapping);
}

BoundExprPtr MakeColumnRef(int column, columnar::DataType type, std::string name) {
    auto expr = std::make_unique<BoundExpr>();
    expr->kind = BoundKind::kColumn;
    expr->type = std::move(type);
    expr->column = column;
    expr->name = std::move(name);
    return expr;
}

BoundExprPtr MakeConstant(Value value) {
    auto expr = std::make_unique<BoundExpr>();
    expr->kind = BoundKind::kConstant;
    expr->type = value.type;
    expr->value = std::move(value);
    return expr;
}

}  // namespace tarn::sql
