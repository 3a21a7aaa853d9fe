// The logical plan: what a query computes, as a tree of relational operators over typed columns.
// The binder (sql/binder/binder.h) builds it from the syntax tree; the optimizer
// (sql/planner/optimizer.h) rewrites it; the executor (sql/exec/physical_planner.h) turns it into
// physical operators.
//
// Columns are positional: every operator has an ordered list of output columns, and the
// expressions of an operator refer to its child's output columns by index (BoundKind::kColumn).
//
// Thread-safety: values owned by one query.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_types.h"
#include "columnar/data_type.h"
#include "sql/binder/bound_expr.h"
#include "sql/exec/aggregate_sort.h"
#include "sql/functions/functions.h"

namespace tarn::sql {

struct LogicalColumn {
    std::string name;
    columnar::DataType type;
};

// A table as the scan reads it: the catalog's definition, and its columns as SQL columns (data
// columns first, then the partition keys), typed from the catalog's Hive type names.
struct ScanTable {
    catalog::Table table;
    std::vector<LogicalColumn> columns;
    size_t data_columns = 0;  // columns[0, data_columns) are in the files; the rest are partitions
};

// What pruning decided, for EXPLAIN and the statistics.
struct PruningReport {
    std::vector<std::string> partition_predicates;  // conjuncts evaluated on partition values
    std::vector<std::string> time_predicates;       // conjuncts on the time column used for pruning
    std::vector<std::string> row_group_predicates;  // conjuncts passed to the Parquet reader
    std::string time_pruning_note;                  // why time pruning was or was not used
    uint64_t partitions_total = 0;
    uint64_t partitions_pruned = 0;
    uint64_t files_total = 0;
    uint64_t files_pruned = 0;
};

enum class LogicalKind : uint8_t {
    kScan,       // reads `scan->projection` of `scan->table`, keeps rows passing `expressions`
                 // (the pushed-down filter conjuncts, over the scan's output columns)
    kSingleRow,  // one row, no columns (SELECT without FROM)
    kFilter,     // `expressions`: conjuncts over the child's columns
    kProject,    // `expressions`: one per output column
    kAggregate,  // group by `group_columns` of the child, `aggregates` over child columns;
                 // output: the keys then the aggregates
    kSort,       // `sort_keys` over the child's columns
    kLimit,      // `limit` (absent: none) after `offset`
    kTopN,       // sort + limit in one
};

struct ScanSpec {
    std::shared_ptr<const ScanTable> table;
    // Table column indices the scan outputs, in output order.
    std::vector<int> projection;
    // Per output column: the struct members read ("os", "screen.w"), when the query reads only
    // some members of a STRUCT column (the output column's type then holds just those, in the
    // table's order); empty: the whole column.
    std::vector<std::vector<std::string>> member_paths;
    // The table's files left after partition pruning (all of them before the optimizer runs).
    std::vector<catalog::DataFile> files;
    bool files_listed = false;
    PruningReport pruning;
};

struct LogicalOperator;
using LogicalPlan = std::unique_ptr<LogicalOperator>;

struct LogicalOperator {
    LogicalKind kind = LogicalKind::kSingleRow;
    std::vector<LogicalColumn> columns;  // the output
    std::vector<LogicalPlan> children;
    std::vector<BoundExprPtr> expressions;
    std::shared_ptr<ScanSpec> scan;     // kScan
    std::vector<int> group_columns;     // kAggregate
    std::vector<AggregateCall> aggregates;
    std::vector<SortKey> sort_keys;     // kSort, kTopN
    std::optional<uint64_t> limit;      // kLimit, kTopN
    uint64_t offset = 0;

    // The plan as indented text, one operator per line, for EXPLAIN.
    std::string ToString(int indent = 0) const;
};

}  // namespace tarn::sql
