// BuildPhysicalPlan: one physical operator per logical operator.
#include "sql/exec/physical_planner.h"

#include "sql/exec/aggregate_sort.h"

namespace tarn::sql {

std::shared_ptr<const columnar::Schema> PositionalSchema(const std::vector<LogicalColumn>& columns) {
    std::vector<columnar::Field> fields;
    fields.reserve(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
        fields.push_back({"_" + std::to_string(i), columns[i].type, true});
    }
    auto schema = columnar::Schema::Make(std::move(fields));
    // Positional names are unique and the types come from validated catalog or bound types.
    return std::make_shared<const columnar::Schema>(schema.ok() ? *std::move(schema)
                                                                : columnar::Schema());
}

Result<OperatorPtr> BuildPhysicalPlan(const LogicalOperator& plan, storage::ObjectStore* lake,
                                      ExecContext* context) {
    std::vector<OperatorPtr> children;
    for (const LogicalPlan& child : plan.children) {
        TARN_ASSIGN_OR_RETURN(OperatorPtr c, BuildPhysicalPlan(*child, lake, context));
        children.push_back(std::move(c));
    }
    switch (plan.kind) {
        case LogicalKind::kScan: return MakeTableScan(plan, lake, context);
        case LogicalKind::kSingleRow: return MakeSingleRow();
        case LogicalKind::kFilter:
            return MakeFilter(std::move(children[0]), Conjunction(plan.expressions), context);
        case LogicalKind::kProject: {
            std::vector<BoundExprPtr> exprs;
            for (const BoundExprPtr& e : plan.expressions) exprs.push_back(e->Clone());
            return MakeProject(std::move(children[0]), std::move(exprs),
                               PositionalSchema(plan.columns), context);
        }
        case LogicalKind::kAggregate:
            return MakeHashAggregate(std::move(children[0]), plan.group_columns, plan.aggregates,
                                     context);
        case LogicalKind::kSort: return MakeSort(std::move(children[0]), plan.sort_keys, context);
        case LogicalKind::kTopN:
            return MakeTopN(std::move(children[0]), plan.sort_keys, plan.limit.value_or(0),
                            plan.offset, context);
        case LogicalKind::kLimit: return MakeLimit(std::move(children[0]), plan.limit, plan.offset);
    }
    return Status::Internal("unknown logical operator");
}

}  // namespace tarn::sql
