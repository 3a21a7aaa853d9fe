// ExpressionBinder's names and calls: column paths, function calls (scalar, special forms and
// aggregates), and the helpers the binder's files share.
#include <algorithm>
#include <cctype>

#include "sql/binder/binder_internal.h"
#include "sql/parser/parser.h"

namespace tarn::sql {
namespace {

using columnar::DataType;
using columnar::TypeId;

bool NameMatches(const Identifier& id, std::string_view name) {
    if (id.quoted) return id.name == name;
    if (id.name.size() != name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(name[i])) != id.name[i]) return false;
    }
    return true;
}

std::string JoinPath(const std::vector<Identifier>& parts) {
    std::string out;
    for (const Identifier& p : parts) {
        if (!out.empty()) out += '.';
        out += p.spelling;
    }
    return out;
}

BoundExprPtr MakeNode(BoundKind kind, DataType type) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = kind;
    e->type = std::move(type);
    return e;
}

}  // namespace

std::string AtPosition(const SourcePos& pos, std::string_view message) {
    return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": " +
           std::string(message);
}

BoundExprPtr CastTo(BoundExprPtr e, const DataType& type) {
    if (e->kind == BoundKind::kConstant && e->value.is_null_literal) {
        return MakeConstant(Value::Null(type));
    }
    if (e->type == type) return e;
    BoundExprPtr c = MakeNode(BoundKind::kCast, type);
    c->children.push_back(std::move(e));
    return c;
}

Result<BoundExprPtr> MakeCall(std::string_view name, std::vector<BoundExprPtr> args,
                              const SourcePos& pos) {
    std::vector<ArgumentInfo> infos;
    infos.reserve(args.size());
    for (const BoundExprPtr& a : args) {
        ArgumentInfo info;
        info.type = a->type;
        info.is_null_literal = a->kind == BoundKind::kConstant && a->value.is_null_literal;
        if (a->kind == BoundKind::kConstant) info.constant = &a->value;
        infos.push_back(std::move(info));
    }
    auto bound = BindScalarFunction(name, infos);
    if (!bound.ok()) return Status(bound.status().code(), AtPosition(pos, bound.status().message()));
    std::shared_ptr<const ScalarFunction> fn = *std::move(bound);
    BoundExprPtr e = MakeNode(BoundKind::kCall, fn->return_type);
    e->name = fn->name;
    for (size_t i = 0; i < args.size(); ++i) {
        e->children.push_back(i < fn->arg_types.size() ? CastTo(std::move(args[i]), fn->arg_types[i])
                                                       : std::move(args[i]));
    }
    e->function = std::move(fn);
    return e;
}

Status CoerceToCommonType(std::vector<BoundExprPtr>* exprs, const SourcePos& pos,
                          std::string_view what) {
    std::optional<DataType> common;
    for (const BoundExprPtr& e : *exprs) {
        if (e->kind == BoundKind::kConstant && e->value.is_null_literal) continue;
        if (!common) {
            common = e->type;
            continue;
        }
        auto t = CommonSuperType(*common, e->type);
        if (!t.ok()) {
            return Status::InvalidArgument(AtPosition(
                pos, std::string(what) + ": cannot combine " + SqlTypeName(*common) + " and " +
                         SqlTypeName(e->type)));
        }
        common = *t;
    }
    // All untyped NULLs: Trino calls that "unknown"; BOOLEAN serves as well.
    const DataType type = common.value_or(DataType::Boolean());
    for (BoundExprPtr& e : *exprs) e = CastTo(std::move(e), type);
    return Status::Ok();
}

Result<DataType> ResolveTypeName(const TypeName& name) {
    const std::string& n = name.name;
    const auto& p = name.params;
    auto bad = [&]() {
        return Status::InvalidArgument(AtPosition(name.pos, "Unknown type: " + n));
    };
    if (n == "boolean") return DataType::Boolean();
    if (n == "tinyint") return DataType::Int8();
    if (n == "smallint") return DataType::Int16();
    if (n == "integer" || n == "int") return DataType::Int32();
    if (n == "bigint") return DataType::Int64();
    if (n == "real" || n == "float") return DataType::Float();
    if (n == "double" || n == "double precision") return DataType::Double();
    if (n == "varchar" || n == "char" || n == "string") return DataType::Varchar();
    if (n == "varbinary") return DataType::Varbinary();
    if (n == "date") return DataType::Date();
    if (n == "timestamp") return DataType::Timestamp();
    if (n == "decimal" || n == "numeric") {
        const int precision = p.empty() ? 38 : static_cast<int>(p[0]);
        const int scale = p.size() < 2 ? 0 : static_cast<int>(p[1]);
        if (p.size() > 2) return bad();
        auto t = DataType::MakeDecimal(precision, scale);
        if (!t.ok()) {
            return Status::InvalidArgument(AtPosition(name.pos, "Invalid type " + n + "(" +
                                                                    std::to_string(precision) +
                                                                    "," + std::to_string(scale) +
                                                                    "): " + t.status().message()));
        }
        return *t;
    }
    if (n == "timestamp with time zone") {
        return Status::InvalidArgument(AtPosition(
            name.pos, "timestamp with time zone is not supported: timestamps are UTC"));
    }
    return bad();
}

Status CollectAggregates(const Expr& expr, std::vector<const Expr*>* calls) {
    if (expr.kind == ExprKind::kFunction && IsAggregateFunction(expr.names[0].name)) {
        for (const ExprPtr& c : expr.children) {
            std::vector<const Expr*> nested;
            TARN_RETURN_IF_ERROR(CollectAggregates(*c, &nested));
            if (!nested.empty()) {
                return Status::InvalidArgument(AtPosition(
                    nested[0]->pos, "Cannot nest aggregations inside aggregation '" +
                                        expr.names[0].spelling + "'"));
            }
        }
        calls->push_back(&expr);
        return Status::Ok();
    }
    for (const ExprPtr& c : expr.children) TARN_RETURN_IF_ERROR(CollectAggregates(*c, calls));
    return Status::Ok();
}

Result<BoundExprPtr> ExpressionBinder::BindColumn(const Expr& expr) {
    const std::vector<Identifier>& parts = expr.names;
    // `qualifier.column...` when the first part names the FROM item (or `db.table.column...`).
    size_t first = 0;
    if (parts.size() >= 2 && !scope_->qualifier.empty() && NameMatches(parts[0], scope_->qualifier)) {
        first = 1;
    } else if (parts.size() >= 3 && !scope_->database.empty() &&
               NameMatches(parts[0], scope_->database) && NameMatches(parts[1], scope_->qualifier)) {
        first = 2;
    }
    int found = -1;
    for (size_t i = 0; i < scope_->columns.size(); ++i) {
        if (!NameMatches(parts[first], scope_->columns[i].name)) continue;
        if (found >= 0) {
            return Status::InvalidArgument(
                AtPosition(expr.pos, "Column '" + parts[first].spelling + "' is ambiguous"));
        }
        found = static_cast<int>(i);
    }
    if (found < 0 && first > 0) {
        // `a.b` where a is both the qualifier and a struct column: try as a column path.
        for (size_t i = 0; i < scope_->columns.size() && found < 0; ++i) {
            if (NameMatches(parts[0], scope_->columns[i].name)) found = static_cast<int>(i);
        }
        if (found >= 0) first = 0;
    }
    if (found < 0) {
        return Status::InvalidArgument(
            AtPosition(expr.pos, "Column '" + JoinPath(parts) + "' cannot be resolved"));
    }
    const LogicalColumn& column = scope_->columns[found];
    BoundExprPtr e = MakeColumnRef(found, column.type, column.name);
    for (size_t k = first + 1; k < parts.size(); ++k) {
        if (e->type.id() != TypeId::kStruct) {
            return Status::InvalidArgument(AtPosition(
                parts[k].pos, "Column '" + JoinPath(parts) + "' cannot be resolved: '" +
                                  parts[k - 1].spelling + "' is of type " +
                                  SqlTypeName(e->type) + ", not a row"));
        }
        int member = -1;
        for (size_t f = 0; f < e->type.num_fields(); ++f) {
            if (NameMatches(parts[k], e->type.field(f).name)) member = static_cast<int>(f);
        }
        if (member < 0) {
            return Status::InvalidArgument(
                AtPosition(parts[k].pos, "Column '" + JoinPath(parts) + "' cannot be resolved"));
        }
        BoundExprPtr field = MakeNode(BoundKind::kField, e->type.field(member).type);
        field->field_index = member;
        field->name = e->type.field(member).name;
        field->children.push_back(std::move(e));
        e = std::move(field);
    }
    return e;
}

Result<BoundExprPtr> ExpressionBinder::BindFunction(const Expr& expr) {
    const std::string& name = expr.names[0].name;
    if (IsAggregateFunction(name)) {
        return Status::InvalidArgument(AtPosition(
            expr.pos, clause_ + " clause cannot contain aggregations: " + ToSql(expr)));
    }
    bool handled = false;
    TARN_ASSIGN_OR_RETURN(BoundExprPtr special, BindSpecialFunction(expr, &handled));
    if (handled) return special;
    if (expr.distinct || expr.star_arg) {
        return Status::InvalidArgument(
            AtPosition(expr.pos, "'" + expr.names[0].spelling + "' is not an aggregate function"));
    }
    std::vector<BoundExprPtr> args;
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        args.push_back(std::move(c));
    }
    return MakeCall(name, std::move(args), expr.pos);
}

// coalesce, nullif and if have their own NULL rules: they become kCoalesce and CASE.
Result<BoundExprPtr> ExpressionBinder::BindSpecialFunction(const Expr& expr, bool* handled) {
    const std::string& name = expr.names[0].name;
    const size_t n = expr.children.size();
    if (name != "coalesce" && name != "nullif" && name != "if") return BoundExprPtr();
    *handled = true;
    auto arity = [&](size_t lo, size_t hi) -> Status {
        if (n >= lo && n <= hi) return Status::Ok();
        return Status::InvalidArgument(AtPosition(
            expr.pos, "Function " + name + " does not take " + std::to_string(n) + " arguments"));
    };
    std::vector<BoundExprPtr> args;
    if (name == "if") {
        TARN_RETURN_IF_ERROR(arity(2, 3));
        ExpressionBinder predicate(scope_, aggregation_, "IF");
        TARN_ASSIGN_OR_RETURN(BoundExprPtr cond, predicate.BindPredicate(*expr.children[0]));
        for (size_t i = 1; i < n; ++i) {
            TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*expr.children[i]));
            args.push_back(std::move(c));
        }
        TARN_RETURN_IF_ERROR(CoerceToCommonType(&args, expr.pos, "IF"));
        BoundExprPtr e = MakeNode(BoundKind::kCase, args[0]->type);
        e->has_else = n == 3;
        e->children.push_back(std::move(cond));
        for (BoundExprPtr& a : args) e->children.push_back(std::move(a));
        return e;
    }
    for (const ExprPtr& child : expr.children) {
        TARN_ASSIGN_OR_RETURN(BoundExprPtr c, BindNode(*child));
        args.push_back(std::move(c));
    }
    if (name == "coalesce") {
        TARN_RETURN_IF_ERROR(arity(1, SIZE_MAX));
        TARN_RETURN_IF_ERROR(CoerceToCommonType(&args, expr.pos, "COALESCE"));
        BoundExprPtr e = MakeNode(BoundKind::kCoalesce, args[0]->type);
        e->children = std::move(args);
        return e;
    }
    // nullif(a, b): CASE WHEN a = b THEN NULL ELSE a END, typed as a.
    TARN_RETURN_IF_ERROR(arity(2, 2));
    const DataType type = args[0]->type;
    std::vector<BoundExprPtr> eq_args;
    eq_args.push_back(args[0]->Clone());
    eq_args.push_back(std::move(args[1]));
    TARN_ASSIGN_OR_RETURN(BoundExprPtr eq, MakeCall("$eq", std::move(eq_args), expr.pos));
    BoundExprPtr e = MakeNode(BoundKind::kCase, type);
    e->has_else = true;
    e->children.push_back(std::move(eq));
    e->children.push_back(MakeConstant(Value::Null(type)));
    e->children.push_back(std::move(args[0]));
    return e;
}

// Above an aggregation: group keys and aggregate calls read the aggregate's output columns, and
// any other column is an error.
Result<BoundExprPtr> ExpressionBinder::ReadAggregation(const Expr& expr, bool* handled) {
    const std::string sql = ToSql(expr);
    const AggregationScope& agg = *aggregation_;
    const int keys = static_cast<int>(agg.key_sql.size());
    for (int k = 0; k < keys; ++k) {
        if (agg.key_sql[k] == sql) {
            *handled = true;
            return MakeColumnRef(k, agg.key_type[k], sql);
        }
    }
    for (size_t a = 0; a < agg.aggregate_sql.size(); ++a) {
        if (agg.aggregate_sql[a] == sql) {
            *handled = true;
            return MakeColumnRef(keys + static_cast<int>(a), agg.aggregate_type[a], sql);
        }
    }
    if (expr.kind != ExprKind::kColumnRef) return BoundExprPtr();
    // A column: the same input column as a key (`GROUP BY t.a` read as `a`), else an error.
    *handled = true;
    ExpressionBinder input(scope_, nullptr, clause_);
    TARN_ASSIGN_OR_RETURN(BoundExprPtr bound, input.BindColumn(expr));
    const BoundExpr* base = bound.get();
    std::vector<const BoundExpr*> fields;
    while (base->kind == BoundKind::kField) {
        fields.push_back(base);
        base = base->children[0].get();
    }
    for (int k = 0; k < keys; ++k) {
        if (agg.key_column[k] != base->column) continue;
        // Rebuild the member accesses over the key column.
        BoundExprPtr e = MakeColumnRef(k, agg.key_type[k], base->name);
        for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
            BoundExprPtr f = MakeNode(BoundKind::kField, (*it)->type);
            f->field_index = (*it)->field_index;
            f->name = (*it)->name;
            f->children.push_back(std::move(e));
            e = std::move(f);
        }
        return e;
    }
    return Status::InvalidArgument(AtPosition(
        expr.pos, "'" + sql + "' must be an aggregate expression or appear in GROUP BY clause"));
}

}  // namespace tarn::sql
