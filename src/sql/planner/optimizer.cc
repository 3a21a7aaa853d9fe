// Optimize: folding, predicate pushdown, partition pruning, projection pushdown, TopN.
#include "sql/planner/optimizer.h"

#include <algorithm>

#include "sql/exec/expression_evaluator.h"

namespace tarn::sql {
namespace {

// ---- Predicate pushdown ---------------------------------------------------------------------

// True when every column `e` reads is a plain column of `project` (so `e` can be rewritten to
// read the project's input instead).
bool ReadsPlainColumns(const BoundExpr& e, const LogicalOperator& project) {
    std::vector<int> columns;
    e.CollectColumns(&columns);
    for (int c : columns) {
        if (project.expressions[c]->kind != BoundKind::kColumn) return false;
    }
    return true;
}

LogicalPlan PushFilters(LogicalPlan plan);

// Moves `filter`'s conjuncts into its child where the child allows; returns what is left on top.
LogicalPlan PushFilter(LogicalPlan filter) {
    LogicalPlan child = std::move(filter->children[0]);
    std::vector<BoundExprPtr> kept;
    switch (child->kind) {
        case LogicalKind::kScan:
            for (BoundExprPtr& e : filter->expressions) child->expressions.push_back(std::move(e));
            return PushFilters(std::move(child));
        case LogicalKind::kFilter:
            for (BoundExprPtr& e : filter->expressions) child->expressions.push_back(std::move(e));
            return PushFilters(std::move(child));
        case LogicalKind::kProject: {
            std::vector<int> mapping(child->expressions.size(), -1);
            for (size_t i = 0; i < child->expressions.size(); ++i) {
                if (child->expressions[i]->kind == BoundKind::kColumn) {
                    mapping[i] = child->expressions[i]->column;
                }
            }
            std::vector<BoundExprPtr> pushed;
            for (BoundExprPtr& e : filter->expressions) {
                if (ReadsPlainColumns(*e, *child)) {
                    e->RemapColumns(mapping);
                    pushed.push_back(std::move(e));
                } else {
                    kept.push_back(std::move(e));
                }
            }
            if (!pushed.empty()) {
                auto below = std::make_unique<LogicalOperator>();
                below->kind = LogicalKind::kFilter;
                below->columns = child->children[0]->columns;
                below->expressions = std::move(pushed);
                below->children.push_back(std::move(child->children[0]));
                child->children[0] = PushFilter(std::move(below));
            } else {
                child->children[0] = PushFilters(std::move(child->children[0]));
            }
            break;
        }
        default:
            child = PushFilters(std::move(child));
            for (BoundExprPtr& e : filter->expressions) kept.push_back(std::move(e));
            break;
    }
    if (kept.empty()) return child;
    filter->expressions = std::move(kept);
    filter->children[0] = std::move(child);
    return filter;
}

LogicalPlan PushFilters(LogicalPlan plan) {
    if (plan->kind == LogicalKind::kFilter) return PushFilter(std::move(plan));
    for (LogicalPlan& child : plan->children) child = PushFilters(std::move(child));
    return plan;
}

// ---- Folding --------------------------------------------------------------------------------

void FoldPlan(LogicalOperator* op, int64_t now) {
    for (BoundExprPtr& e : op->expressions) FoldConstants(&e, now);
    for (LogicalPlan& child : op->children) FoldPlan(child.get(), now);
}

// ---- Partition pruning ----------------------------------------------------------------------

Status PruneScans(LogicalOperator* op, catalog::Catalog* catalog, int64_t now) {
    for (LogicalPlan& child : op->children) {
        TARN_RETURN_IF_ERROR(PruneScans(child.get(), catalog, now));
    }
    if (op->kind != LogicalKind::kScan) return Status::Ok();
    ScanSpec& scan = *op->scan;
    const catalog::Table& table = scan.table->table;
    TARN_ASSIGN_OR_RETURN(scan.files, catalog->ListFiles(table.database, table.name));
    scan.files_listed = true;
    return PrunePartitions(&op->expressions, &scan, now);
}

// ---- Projection pushdown --------------------------------------------------------------------

// Keeps only the columns of `op`'s output marked in `needed` (plus what op itself reads) and
// returns, per old output column, its new index (-1: dropped).
std::vector<int> PruneColumns(LogicalOperator* op, std::vector<bool> needed);

std::vector<bool> ColumnsRead(const std::vector<BoundExprPtr>& exprs, size_t width,
                              std::vector<bool> needed) {
    needed.resize(width, false);
    std::vector<int> columns;
    for (const BoundExprPtr& e : exprs) e->CollectColumns(&columns);
    for (int c : columns) needed[c] = true;
    return needed;
}

void Remap(std::vector<BoundExprPtr>* exprs, const std::vector<int>& mapping) {
    for (BoundExprPtr& e : *exprs) e->RemapColumns(mapping);
}

std::vector<int> PruneColumns(LogicalOperator* op, std::vector<bool> needed) {
    const size_t width = op->columns.size();
    needed.resize(width, false);
    std::vector<int> identity(width);
    for (size_t i = 0; i < width; ++i) identity[i] = static_cast<int>(i);
    switch (op->kind) {
        case LogicalKind::kSingleRow:
            return identity;
        case LogicalKind::kScan: {
            needed = ColumnsRead(op->expressions, width, needed);
            std::vector<int> mapping(width, -1);
            std::vector<int> projection;
            std::vector<LogicalColumn> columns;
            for (size_t i = 0; i < width; ++i) {
                if (!needed[i]) continue;
                mapping[i] = static_cast<int>(projection.size());
                projection.push_back(op->scan->projection[i]);
                columns.push_back(op->columns[i]);
            }
            op->scan->projection = std::move(projection);
            op->columns = std::move(columns);
            Remap(&op->expressions, mapping);
            return mapping;
        }
        case LogicalKind::kFilter: {
            needed = ColumnsRead(op->expressions, width, needed);
            std::vector<int> mapping = PruneColumns(op->children[0].get(), needed);
            Remap(&op->expressions, mapping);
            op->columns = op->children[0]->columns;
            return mapping;
        }
        case LogicalKind::kProject: {
            std::vector<int> mapping(width, -1);
            std::vector<BoundExprPtr> exprs;
            std::vector<LogicalColumn> columns;
            for (size_t i = 0; i < width; ++i) {
                if (!needed[i]) continue;
                mapping[i] = static_cast<int>(exprs.size());
                exprs.push_back(std::move(op->expressions[i]));
                columns.push_back(op->columns[i]);
            }
            const std::vector<bool> child_needed =
                ColumnsRead(exprs, op->children[0]->columns.size(), {});
            const std::vector<int> child_mapping =
                PruneColumns(op->children[0].get(), child_needed);
            Remap(&exprs, child_mapping);
            op->expressions = std::move(exprs);
            op->columns = std::move(columns);
            return mapping;
        }
        case LogicalKind::kAggregate: {
            std::vector<bool> child_needed(op->children[0]->columns.size(), false);
            for (int k : op->group_columns) child_needed[k] = true;
            for (const AggregateCall& a : op->aggregates) {
                if (a.argument >= 0) child_needed[a.argument] = true;
            }
            const std::vector<int> m = PruneColumns(op->children[0].get(), child_needed);
            for (int& k : op->group_columns) k = m[k];
            for (AggregateCall& a : op->aggregates) {
                if (a.argument >= 0) a.argument = m[a.argument];
            }
            return identity;
        }
        case LogicalKind::kSort:
        case LogicalKind::kTopN:
        case LogicalKind::kLimit: {
            for (const SortKey& k : op->sort_keys) needed[k.column] = true;
            std::vector<int> mapping = PruneColumns(op->children[0].get(), needed);
            for (SortKey& k : op->sort_keys) k.column = mapping[k.column];
            op->columns = op->children[0]->columns;
            return mapping;
        }
    }
    return identity;
}

// ---- TopN -----------------------------------------------------------------------------------

LogicalPlan MakeTopNs(LogicalPlan plan) {
    for (LogicalPlan& child : plan->children) child = MakeTopNs(std::move(child));
    if (plan->kind == LogicalKind::kLimit && plan->limit &&
        plan->children[0]->kind == LogicalKind::kSort) {
        LogicalPlan sort = std::move(plan->children[0]);
        sort->kind = LogicalKind::kTopN;
        sort->limit = plan->limit;
        sort->offset = plan->offset;
        return sort;
    }
    return plan;
}

}  // namespace

void FoldConstants(BoundExprPtr* expr, int64_t now_micros) {
    BoundExpr& e = **expr;
    if (e.kind == BoundKind::kConstant || e.kind == BoundKind::kColumn) return;
    for (BoundExprPtr& c : e.children) FoldConstants(&c, now_micros);
    if (!e.IsConstant()) return;
    auto value = EvaluateConstant(e, now_micros);
    if (!value.ok()) return;  // the executor reports it, if a row ever reaches it
    Value v = *std::move(value);
    v.type = e.type;
    *expr = MakeConstant(std::move(v));
}

Result<LogicalPlan> Optimize(LogicalPlan plan, catalog::Catalog* catalog,
                             const OptimizerOptions& options) {
    FoldPlan(plan.get(), options.now_micros);
    plan = PushFilters(std::move(plan));
    TARN_RETURN_IF_ERROR(PruneScans(plan.get(), catalog, options.now_micros));
    PruneColumns(plan.get(), std::vector<bool>(plan->columns.size(), true));  // the root keeps all
    PruneStructMembers(plan.get());
    return MakeTopNs(std::move(plan));
}

}  // namespace tarn::sql
