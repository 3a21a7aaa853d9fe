// LogicalOperator::ToString: the plan as EXPLAIN prints it.
#include "sql/planner/logical_plan.h"

namespace tarn::sql {
namespace {

std::string JoinExprs(const std::vector<BoundExprPtr>& exprs, const char* sep) {
    std::string out;
    for (const BoundExprPtr& e : exprs) {
        if (!out.empty()) out += sep;
        out += e->ToString();
    }
    return out;
}

std::string Join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) {
        if (!out.empty()) out += " AND ";
        out += s;
    }
    return out;
}

void DescribeScan(const LogicalOperator& op, const std::string& pad, std::string* out) {
    const ScanSpec& scan = *op.scan;
    const catalog::Table& t = scan.table->table;
    std::string columns;
    for (size_t i = 0; i < op.columns.size(); ++i) {
        const bool members = i < scan.member_paths.size() && !scan.member_paths[i].empty();
        for (size_t p = 0; p < (members ? scan.member_paths[i].size() : 1); ++p) {
            if (!columns.empty()) columns += ", ";
            columns += op.columns[i].name;
            if (members) columns += "." + scan.member_paths[i][p];
        }
    }
    *out += "Scan " + t.database + "." + t.name + " [" + catalog::DataFormatName(t.format) +
            "] columns: " + (columns.empty() ? "(none: row counts only)" : columns) + "\n";
    if (!op.expressions.empty()) *out += pad + "  filter: " + JoinExprs(op.expressions, " AND ") + "\n";
    const PruningReport& p = scan.pruning;
    if (!t.partition_keys.empty()) {
        *out += pad + "  partitions: " + std::to_string(p.partitions_total - p.partitions_pruned) +
                " of " + std::to_string(p.partitions_total) + " read, " +
                std::to_string(p.partitions_pruned) + " pruned";
        if (!p.partition_predicates.empty()) *out += " by " + Join(p.partition_predicates);
        *out += "\n";
        if (!p.time_predicates.empty()) {
            *out += pad + "  time pruning: " + Join(p.time_predicates) + " (" +
                    p.time_pruning_note + ")\n";
        } else if (!p.time_pruning_note.empty()) {
            *out += pad + "  time pruning: none (" + p.time_pruning_note + ")\n";
        }
    }
    *out += pad + "  files: " + std::to_string(p.files_total - p.files_pruned) + " of " +
            std::to_string(p.files_total) + "\n";
    if (!p.row_group_predicates.empty()) {
        *out += pad + "  row-group pruning on: " + Join(p.row_group_predicates) + "\n";
    }
}

}  // namespace

std::string LogicalOperator::ToString(int indent) const {
    const std::string pad(static_cast<size_t>(indent) * 2, ' ');
    std::string out = pad + "- ";
    switch (kind) {
        case LogicalKind::kScan: DescribeScan(*this, pad, &out); break;
        case LogicalKind::kSingleRow: out += "SingleRow\n"; break;
        case LogicalKind::kFilter: out += "Filter " + JoinExprs(expressions, " AND ") + "\n"; break;
        case LogicalKind::kProject: {
            out += "Project ";
            for (size_t i = 0; i < expressions.size(); ++i) {
                if (i) out += ", ";
                out += expressions[i]->ToString();
                if (i < columns.size() && columns[i].name != expressions[i]->ToString()) {
                    out += " AS " + columns[i].name;
                }
            }
            out += "\n";
            break;
        }
        case LogicalKind::kAggregate: {
            out += "Aggregate keys: [";
            for (size_t i = 0; i < group_columns.size(); ++i) {
                if (i) out += ", ";
                out += "#" + std::to_string(group_columns[i]);
            }
            out += "] aggregates: [";
            for (size_t i = 0; i < aggregates.size(); ++i) {
                if (i) out += ", ";
                out += aggregates[i].name;
            }
            out += "]\n";
            break;
        }
        case LogicalKind::kSort:
        case LogicalKind::kTopN: {
            out += kind == LogicalKind::kSort ? "Sort " : "TopN ";
            for (size_t i = 0; i < sort_keys.size(); ++i) {
                if (i) out += ", ";
                out += "#" + std::to_string(sort_keys[i].column) +
                       (sort_keys[i].descending ? " DESC" : " ASC") +
                       (sort_keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
            }
            if (kind == LogicalKind::kTopN) {
                out += " limit " + std::to_string(limit.value_or(0));
                if (offset) out += " offset " + std::to_string(offset);
            }
            out += "\n";
            break;
        }
        case LogicalKind::kLimit:
            out += "Limit " + (limit ? std::to_string(*limit) : std::string("ALL"));
            if (offset) out += " offset " + std::to_string(offset);
            out += "\n";
            break;
    }
    for (const LogicalPlan& child : children) out += child->ToString(indent + 1);
    return out;
}

}  // namespace tarn::sql
