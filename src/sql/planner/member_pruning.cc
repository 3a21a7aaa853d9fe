// Projection pushdown into STRUCT columns: when a query reads a struct column only through member
// accesses (`context.os`, `context.screen.w`), the scan reads just those members -- in Parquet
// only their column chunks -- and the column's type narrows to them.
//
// Scan columns are read by the scan's own conjuncts, the filters directly above it and the first
// projection above those (the binder always projects the select list right above the FROM item),
// so those expressions are all the uses there are.
#include <map>

#include "sql/planner/optimizer.h"

namespace tarn::sql {
namespace {

using columnar::DataType;

// The members of a struct that are read: `whole` when the node itself is read entirely.
struct MemberTree {
    bool whole = false;
    std::map<int, MemberTree> children;
};

struct ColumnUses {
    bool whole = false;  // read other than through member accesses
    MemberTree members;
};

// The chain of member accesses ending at `e` (a kField), from the column outwards; the base
// expression under the chain in *base.
std::vector<BoundExpr*> FieldChain(BoundExpr* e, BoundExpr** base) {
    std::vector<BoundExpr*> chain;
    while (e->kind == BoundKind::kField) {
        chain.push_back(e);
        e = e->children[0].get();
    }
    *base = e;
    return {chain.rbegin(), chain.rend()};
}

void CollectUses(BoundExpr* e, std::vector<ColumnUses>* uses) {
    if (e->kind == BoundKind::kField) {
        BoundExpr* base = nullptr;
        std::vector<BoundExpr*> chain = FieldChain(e, &base);
        if (base->kind == BoundKind::kColumn) {
            MemberTree* node = &(*uses)[base->column].members;
            for (BoundExpr* f : chain) {
                if (node->whole) break;
                node = &node->children[f->field_index];
            }
            node->whole = true;
            node->children.clear();
            return;
        }
        CollectUses(base, uses);
        return;
    }
    if (e->kind == BoundKind::kColumn) {
        (*uses)[e->column].whole = true;
        return;
    }
    for (BoundExprPtr& c : e->children) CollectUses(c.get(), uses);
}

DataType PrunedType(const DataType& type, const MemberTree& tree) {
    if (tree.whole || type.id() != columnar::TypeId::kStruct) return type;
    std::vector<columnar::Field> fields;
    for (const auto& [index, subtree] : tree.children) {
        columnar::Field f = type.field(index);
        f.type = PrunedType(f.type, subtree);
        fields.push_back(std::move(f));
    }
    return DataType::Struct(std::move(fields));
}

void AppendPaths(const DataType& type, const MemberTree& tree, const std::string& prefix,
                 std::vector<std::string>* out) {
    if (tree.whole) {
        out->push_back(prefix);
        return;
    }
    for (const auto& [index, subtree] : tree.children) {
        const std::string& name = type.field(index).name;
        AppendPaths(type.field(index).type, subtree, prefix.empty() ? name : prefix + "." + name,
                    out);
    }
}

// Renumbers the member accesses over pruned columns and narrows their types.
void RemapUses(BoundExpr* e, const std::vector<ColumnUses>& uses,
               const std::vector<DataType>& original) {
    if (e->kind == BoundKind::kField) {
        BoundExpr* base = nullptr;
        std::vector<BoundExpr*> chain = FieldChain(e, &base);
        if (base->kind == BoundKind::kColumn && !uses[base->column].whole) {
            const MemberTree* node = &uses[base->column].members;
            DataType type = original[base->column];
            for (BoundExpr* f : chain) {
                if (node->whole) break;
                const int old = f->field_index;
                int position = 0;
                for (const auto& [index, subtree] : node->children) {
                    if (index == old) break;
                    ++position;
                }
                f->field_index = position;
                node = &node->children.at(old);
                type = type.field(old).type;
                f->type = PrunedType(type, *node);
            }
            base->type = PrunedType(original[base->column], uses[base->column].members);
            return;
        }
        RemapUses(base, uses, original);
        return;
    }
    for (BoundExprPtr& c : e->children) RemapUses(c.get(), uses, original);
}

void PruneAtScan(LogicalOperator* project) {
    std::vector<LogicalOperator*> chain{project};
    LogicalOperator* cur = project->children[0].get();
    while (cur->kind == LogicalKind::kFilter) {
        chain.push_back(cur);
        cur = cur->children[0].get();
    }
    if (cur->kind != LogicalKind::kScan) return;
    LogicalOperator* scan = cur;
    chain.push_back(scan);
    const size_t width = scan->columns.size();
    std::vector<ColumnUses> uses(width);
    for (LogicalOperator* op : chain) {
        for (BoundExprPtr& e : op->expressions) CollectUses(e.get(), &uses);
    }
    std::vector<DataType> original;
    bool any = false;
    for (size_t c = 0; c < width; ++c) {
        original.push_back(scan->columns[c].type);
        any = any || (!uses[c].whole && !uses[c].members.children.empty());
    }
    if (!any) return;
    for (LogicalOperator* op : chain) {
        for (BoundExprPtr& e : op->expressions) RemapUses(e.get(), uses, original);
    }
    ScanSpec& spec = *scan->scan;
    spec.member_paths.assign(width, {});
    for (size_t c = 0; c < width; ++c) {
        if (uses[c].whole || uses[c].members.children.empty()) continue;
        AppendPaths(original[c], uses[c].members, "", &spec.member_paths[c]);
        const DataType pruned = PrunedType(original[c], uses[c].members);
        for (LogicalOperator* op : chain) {
            if (op != project) op->columns[c].type = pruned;
        }
    }
}

}  // namespace

void PruneStructMembers(LogicalOperator* op) {
    for (LogicalPlan& child : op->children) PruneStructMembers(child.get());
    if (op->kind == LogicalKind::kProject) PruneAtScan(op);
}

}  // namespace tarn::sql
