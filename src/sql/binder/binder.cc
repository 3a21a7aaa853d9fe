// BindSelect: the shape of a SELECT as a logical plan (see binder.h for the order of operators).
#include "sql/binder/binder.h"

#include <algorithm>

#include "columnar/type_parser.h"
#include "sql/binder/binder_internal.h"
#include "sql/parser/parser.h"

namespace tarn::sql {
namespace {

using columnar::DataType;

LogicalPlan MakeOperator(LogicalKind kind, LogicalPlan child) {
    auto op = std::make_unique<LogicalOperator>();
    op->kind = kind;
    if (child) op->children.push_back(std::move(child));
    return op;
}

// Splits a top-level AND into its conjuncts.
void AppendConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
    if (e->kind == BoundKind::kAnd) {
        for (BoundExprPtr& c : e->children) AppendConjuncts(std::move(c), out);
        return;
    }
    out->push_back(std::move(e));
}

LogicalPlan MakeFilter(LogicalPlan child, BoundExprPtr predicate) {
    LogicalPlan f = MakeOperator(LogicalKind::kFilter, nullptr);
    f->columns = child->columns;
    AppendConjuncts(std::move(predicate), &f->expressions);
    f->children.push_back(std::move(child));
    return f;
}

bool IsOrdinal(const Expr& e) {
    return e.kind == ExprKind::kLiteral && e.literal == LiteralKind::kInteger;
}

// One item of the select list after `*` is expanded.
struct SelectEntry {
    const Expr* expr = nullptr;  // null for a column of a `*`
    int star_column = -1;
    std::string name;
    SourcePos pos;
};

class SelectBinder {
public:
    SelectBinder(catalog::Catalog* catalog, const BinderOptions& options)
        : catalog_(catalog), options_(options) {}

    Result<LogicalPlan> Bind(const Select& select, Scope* out_scope);

private:
    Result<LogicalPlan> BindFrom(const TableRef& ref, Scope* scope);
    Result<std::vector<SelectEntry>> ExpandItems(const Select& select, const Scope& scope);
    Result<LogicalPlan> BindAggregation(const Select& select,
                                        const std::vector<SelectEntry>& entries,
                                        LogicalPlan plan, const Scope& scope,
                                        AggregationScope* agg);
    Result<const Expr*> ResolveGroupItem(const Expr& item, const std::vector<SelectEntry>& entries,
                                         const Scope& scope);

    catalog::Catalog* catalog_;
    const BinderOptions& options_;
};

Result<LogicalPlan> SelectBinder::BindFrom(const TableRef& ref, Scope* scope) {
    LogicalPlan plan;
    if (ref.subquery) {
        Scope inner;
        SelectBinder sub(catalog_, options_);
        TARN_ASSIGN_OR_RETURN(plan, sub.Bind(*ref.subquery, &inner));
        scope->qualifier = ref.alias ? ref.alias->name : "";
    } else {
        TARN_ASSIGN_OR_RETURN(auto table, ResolveTable(ref.name, catalog_, options_));
        plan = MakeOperator(LogicalKind::kScan, nullptr);
        plan->columns = table->columns;
        plan->scan = std::make_shared<ScanSpec>();
        plan->scan->table = table;
        for (size_t i = 0; i < table->columns.size(); ++i) {
            plan->scan->projection.push_back(static_cast<int>(i));
        }
        scope->qualifier = ref.alias ? ref.alias->name : table->table.name;
        scope->database = ref.alias ? "" : table->table.database;
    }
    scope->columns = plan->columns;
    return plan;
}

Result<std::vector<SelectEntry>> SelectBinder::ExpandItems(const Select& select,
                                                           const Scope& scope) {
    std::vector<SelectEntry> entries;
    for (const SelectItem& item : select.items) {
        if (item.expr->kind != ExprKind::kStar) {
            SelectEntry e;
            e.expr = item.expr.get();
            e.pos = item.expr->pos;
            if (item.alias) {
                e.name = item.alias->name;
            } else if (item.expr->kind == ExprKind::kColumnRef) {
                e.name = item.expr->names.back().name;
            }
            entries.push_back(std::move(e));
            continue;
        }
        const auto& qualifier = item.expr->names;
        if (!qualifier.empty() && qualifier.back().name != scope.qualifier) {
            return Status::InvalidArgument(AtPosition(
                item.expr->pos, "Table '" + qualifier.back().spelling + "' not found in FROM"));
        }
        if (scope.columns.empty()) {
            return Status::InvalidArgument(
                AtPosition(item.expr->pos, "SELECT * not allowed in queries without FROM clause"));
        }
        for (size_t c = 0; c < scope.columns.size(); ++c) {
            SelectEntry e;
            e.star_column = static_cast<int>(c);
            e.name = scope.columns[c].name;
            e.pos = item.expr->pos;
            entries.push_back(std::move(e));
        }
    }
    return entries;
}

// GROUP BY 2 reads select item 2; GROUP BY x, when x is no column but a select alias, reads
// that item (Trino wants the column; DuckDB and MySQL allow the alias, and so does tarn).
Result<const Expr*> SelectBinder::ResolveGroupItem(const Expr& item,
                                                   const std::vector<SelectEntry>& entries,
                                                   const Scope& scope) {
    if (IsOrdinal(item)) {
        const long n = std::strtol(item.text.c_str(), nullptr, 10);
        if (n < 1 || n > static_cast<long>(entries.size())) {
            return Status::InvalidArgument(
                AtPosition(item.pos, "GROUP BY position " + item.text + " is not in select list"));
        }
        const SelectEntry& e = entries[n - 1];
        if (e.expr == nullptr) return Status::Unimplemented("GROUP BY a position of '*'");
        return e.expr;
    }
    if (item.kind == ExprKind::kColumnRef && item.names.size() == 1) {
        ExpressionBinder probe(&scope, nullptr, "GROUP BY");
        if (!probe.Bind(item).ok()) {
            for (const SelectEntry& e : entries) {
                if (e.expr != nullptr && e.name == item.names[0].name) return e.expr;
            }
        }
    }
    return &item;
}

Result<LogicalPlan> SelectBinder::BindAggregation(const Select& select,
                                                  const std::vector<SelectEntry>& entries,
                                                  LogicalPlan plan, const Scope& scope,
                                                  AggregationScope* agg) {
    // The pre-projection: group keys, then the aggregates' arguments.
    LogicalPlan pre = MakeOperator(LogicalKind::kProject, nullptr);
    ExpressionBinder input(&scope, nullptr, "GROUP BY");
    for (const ExprPtr& item : select.group_by) {
        TARN_ASSIGN_OR_RETURN(const Expr* key, ResolveGroupItem(*item, entries, scope));
        std::vector<const Expr*> nested;
        TARN_RETURN_IF_ERROR(CollectAggregates(*key, &nested));
        if (!nested.empty()) {
            return Status::InvalidArgument(
                AtPosition(item->pos, "GROUP BY clause cannot contain aggregations or window "
                                      "functions: " + ToSql(*key)));
        }
        TARN_ASSIGN_OR_RETURN(BoundExprPtr bound, input.Bind(*key));
        const std::string sql = ToSql(*key);
        if (std::find(agg->key_sql.begin(), agg->key_sql.end(), sql) != agg->key_sql.end()) {
            continue;  // GROUP BY a, a
        }
        agg->key_sql.push_back(sql);
        agg->key_column.push_back(bound->kind == BoundKind::kColumn ? bound->column : -1);
        agg->key_type.push_back(bound->type);
        pre->columns.push_back({sql, bound->type});
        pre->expressions.push_back(std::move(bound));
    }
    std::vector<const Expr*> calls;
    for (const SelectEntry& e : entries) {
        if (e.expr) TARN_RETURN_IF_ERROR(CollectAggregates(*e.expr, &calls));
    }
    if (select.having) TARN_RETURN_IF_ERROR(CollectAggregates(*select.having, &calls));
    for (const OrderItem& o : select.order_by) {
        TARN_RETURN_IF_ERROR(CollectAggregates(*o.expr, &calls));
    }
    LogicalPlan aggregate = MakeOperator(LogicalKind::kAggregate, nullptr);
    const int keys = static_cast<int>(agg->key_sql.size());
    for (int k = 0; k < keys; ++k) {
        aggregate->group_columns.push_back(k);
        aggregate->columns.push_back(pre->columns[k]);
    }
    ExpressionBinder argument_binder(&scope, nullptr, "aggregate argument");
    for (const Expr* call : calls) {
        const std::string sql = ToSql(*call);
        if (std::find(agg->aggregate_sql.begin(), agg->aggregate_sql.end(), sql) !=
            agg->aggregate_sql.end()) {
            continue;
        }
        AggregateCall ac;
        ac.name = sql;
        ArgumentInfo info;
        BoundExprPtr arg;
        if (!call->star_arg) {
            if (call->children.size() != 1) {
                return Status::InvalidArgument(AtPosition(
                    call->pos, "Function " + call->names[0].spelling + " takes one argument"));
            }
            TARN_ASSIGN_OR_RETURN(arg, argument_binder.Bind(*call->children[0]));
            info.type = arg->type;
            info.is_null_literal = arg->kind == BoundKind::kConstant && arg->value.is_null_literal;
        }
        auto fn = BindAggregateFunction(call->names[0].name, call->star_arg ? nullptr : &info,
                                        call->distinct);
        if (!fn.ok()) {
            return Status(fn.status().code(), AtPosition(call->pos, fn.status().message()));
        }
        ac.function = *fn;
        if (arg) {
            ac.argument = static_cast<int>(pre->expressions.size());
            arg = CastTo(std::move(arg), ac.function->arg_type);
            pre->columns.push_back({sql, arg->type});
            pre->expressions.push_back(std::move(arg));
        }
        agg->aggregate_sql.push_back(sql);
        agg->aggregate_type.push_back(ac.function->return_type);
        aggregate->columns.push_back({sql, ac.function->return_type});
        aggregate->aggregates.push_back(std::move(ac));
    }
    pre->children.push_back(std::move(plan));
    aggregate->children.push_back(std::move(pre));
    if (!select.having) return aggregate;
    ExpressionBinder having(&scope, agg, "HAVING");
    TARN_ASSIGN_OR_RETURN(BoundExprPtr predicate, having.BindPredicate(*select.having));
    return MakeFilter(std::move(aggregate), std::move(predicate));
}

bool NeedsAggregation(const Select& select) {
    if (!select.group_by.empty() || select.having) return true;
    std::vector<const Expr*> calls;
    for (const SelectItem& item : select.items) {
        if (!CollectAggregates(*item.expr, &calls).ok() || !calls.empty()) return true;
    }
    for (const OrderItem& o : select.order_by) {
        if (!CollectAggregates(*o.expr, &calls).ok() || !calls.empty()) return true;
    }
    return false;
}

}  // namespace

Result<LogicalPlan> SelectBinder::Bind(const Select& select, Scope* out_scope) {
    Scope scope;
    LogicalPlan plan;
    if (select.from) {
        TARN_ASSIGN_OR_RETURN(plan, BindFrom(*select.from, &scope));
    } else {
        plan = MakeOperator(LogicalKind::kSingleRow, nullptr);
    }
    if (select.where) {
        ExpressionBinder where(&scope, nullptr, "WHERE");
        TARN_ASSIGN_OR_RETURN(BoundExprPtr predicate, where.BindPredicate(*select.where));
        plan = MakeFilter(std::move(plan), std::move(predicate));
    }
    TARN_ASSIGN_OR_RETURN(std::vector<SelectEntry> entries, ExpandItems(select, scope));

    AggregationScope agg;
    const bool aggregating = NeedsAggregation(select);
    if (aggregating) {
        TARN_ASSIGN_OR_RETURN(plan, BindAggregation(select, entries, std::move(plan), scope, &agg));
    }
    const AggregationScope* agg_scope = aggregating ? &agg : nullptr;

    // The projection: the select list, then hidden ORDER BY expressions.
    LogicalPlan project = MakeOperator(LogicalKind::kProject, nullptr);
    ExpressionBinder items(&scope, agg_scope, "SELECT");
    for (size_t i = 0; i < entries.size(); ++i) {
        const SelectEntry& e = entries[i];
        BoundExprPtr bound;
        if (e.expr != nullptr) {
            TARN_ASSIGN_OR_RETURN(bound, items.Bind(*e.expr));
        } else if (aggregating) {
            Expr ref;
            ref.kind = ExprKind::kColumnRef;
            ref.pos = e.pos;
            ref.names.push_back(Identifier{e.name, e.name, true, e.pos});
            TARN_ASSIGN_OR_RETURN(bound, items.Bind(ref));
        } else {
            const LogicalColumn& c = scope.columns[e.star_column];
            bound = MakeColumnRef(e.star_column, c.type, c.name);
        }
        if (bound->kind == BoundKind::kConstant && bound->value.is_null_literal) {
            bound = CastTo(std::move(bound), DataType::Boolean());  // Trino's "unknown"
        }
        const std::string name = e.name.empty() ? "_col" + std::to_string(i) : e.name;
        project->columns.push_back({name, bound->type});
        project->expressions.push_back(std::move(bound));
    }
    const size_t visible = project->columns.size();

    std::vector<SortKey> sort_keys;
    for (const OrderItem& o : select.order_by) {
        SortKey key;
        key.descending = o.descending;
        key.nulls_first = o.nulls == NullsOrder::kFirst;
        const Expr& x = *o.expr;
        int column = -1;
        if (IsOrdinal(x)) {
            const long n = std::strtol(x.text.c_str(), nullptr, 10);
            if (n < 1 || n > static_cast<long>(visible)) {
                return Status::InvalidArgument(
                    AtPosition(x.pos, "ORDER BY position " + x.text + " is not in select list"));
            }
            column = static_cast<int>(n - 1);
        } else if (x.kind == ExprKind::kColumnRef && x.names.size() == 1) {
            for (size_t c = 0; c < visible && column < 0; ++c) {
                if (!entries[c].name.empty() && entries[c].name == x.names[0].name) {
                    column = static_cast<int>(c);
                }
            }
        }
        if (column < 0) {
            ExpressionBinder order(&scope, agg_scope, "ORDER BY");
            TARN_ASSIGN_OR_RETURN(BoundExprPtr bound, order.Bind(x));
            const std::string text = bound->ToString();
            for (size_t c = 0; c < project->expressions.size() && column < 0; ++c) {
                if (project->expressions[c]->ToString() == text) column = static_cast<int>(c);
            }
            if (column < 0) {
                if (select.distinct) {
                    return Status::InvalidArgument(AtPosition(
                        x.pos, "For SELECT DISTINCT, ORDER BY expressions must appear in "
                               "select list"));
                }
                column = static_cast<int>(project->expressions.size());
                project->columns.push_back({"$order" + std::to_string(column), bound->type});
                project->expressions.push_back(std::move(bound));
            }
        }
        key.column = column;
        sort_keys.push_back(key);
    }
    project->children.push_back(std::move(plan));
    plan = std::move(project);

    if (select.distinct) {
        LogicalPlan distinct = MakeOperator(LogicalKind::kAggregate, std::move(plan));
        distinct->columns = distinct->children[0]->columns;
        for (size_t c = 0; c < distinct->columns.size(); ++c) {
            distinct->group_columns.push_back(static_cast<int>(c));
        }
        plan = std::move(distinct);
    }
    if (!sort_keys.empty()) {
        LogicalPlan sort = MakeOperator(LogicalKind::kSort, std::move(plan));
        sort->columns = sort->children[0]->columns;
        sort->sort_keys = std::move(sort_keys);
        plan = std::move(sort);
    }
    if (select.limit || select.offset) {
        LogicalPlan limit = MakeOperator(LogicalKind::kLimit, std::move(plan));
        limit->columns = limit->children[0]->columns;
        if (select.limit) limit->limit = static_cast<uint64_t>(*select.limit);
        limit->offset = select.offset.value_or(0);
        plan = std::move(limit);
    }
    if (plan->columns.size() > visible) {
        LogicalPlan trim = MakeOperator(LogicalKind::kProject, nullptr);
        for (size_t c = 0; c < visible; ++c) {
            trim->columns.push_back(plan->columns[c]);
            trim->expressions.push_back(
                MakeColumnRef(static_cast<int>(c), plan->columns[c].type, plan->columns[c].name));
        }
        trim->children.push_back(std::move(plan));
        plan = std::move(trim);
    }
    out_scope->columns = plan->columns;
    return plan;
}

Result<std::shared_ptr<const ScanTable>> ResolveTable(const QualifiedName& name,
                                                      catalog::Catalog* catalog,
                                                      const BinderOptions& options) {
    const auto& parts = name.parts;
    if (parts.size() > 2) {
        return Status::InvalidArgument(AtPosition(
            name.pos, "Catalog names are not supported: use database.table"));
    }
    std::string database = parts.size() == 2 ? parts[0].name : options.default_database;
    const std::string& table_name = parts.back().name;
    auto table = catalog->GetTable(database, table_name);
    if (!table.ok() && table.status().code() == StatusCode::kNotFound && parts.size() == 1) {
        // Not in the default database: the one database that has it.
        TARN_ASSIGN_OR_RETURN(auto databases, catalog->ListDatabases());
        std::vector<catalog::Table> found;
        for (const catalog::Database& db : databases) {
            auto t = catalog->GetTable(db.name, table_name);
            if (t.ok()) found.push_back(*std::move(t));
        }
        if (found.size() == 1) table = std::move(found[0]);
        if (found.size() > 1) {
            return Status::InvalidArgument(AtPosition(
                name.pos, "Table '" + table_name + "' is ambiguous: it is in databases '" +
                              found[0].database + "' and '" + found[1].database +
                              "'; qualify it"));
        }
    }
    if (!table.ok()) {
        if (table.status().code() == StatusCode::kNotFound) {
            const std::string shown = parts.size() == 2 ? database + "." + table_name : table_name;
            return Status::NotFound(AtPosition(name.pos, "Table '" + shown + "' does not exist"));
        }
        return table.status();
    }
    auto scan = std::make_shared<ScanTable>();
    scan->table = *std::move(table);
    for (const catalog::Column& c : scan->table.columns) {
        auto type = columnar::ParseDataType(c.type);
        if (!type.ok()) {
            return Status::Unimplemented(AtPosition(
                name.pos, "column '" + c.name + "' of " + scan->table.database + "." +
                              scan->table.name + " has type '" + c.type +
                              "', which tarn cannot read: " + type.status().message()));
        }
        scan->columns.push_back({c.name, *type});
    }
    scan->data_columns = scan->columns.size();
    for (const catalog::Column& c : scan->table.partition_keys) {
        auto type = columnar::ParseDataType(c.type);
        scan->columns.push_back({c.name, type.ok() ? *type : DataType::Varchar()});
    }
    return std::shared_ptr<const ScanTable>(std::move(scan));
}

Result<LogicalPlan> BindSelect(const Select& select, catalog::Catalog* catalog,
                               const BinderOptions& options) {
    Scope scope;
    SelectBinder binder(catalog, options);
    return binder.Bind(select, &scope);
}

}  // namespace tarn::sql
