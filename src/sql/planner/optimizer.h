// The optimizer: rewrites a bound logical plan into the one the executor runs. In order:
//   1. constant folding: constant sub-expressions of foldable functions become constants
//      (an expression whose evaluation fails is left alone: the error is the executor's, and only
//      when a row reaches it);
//   2. predicate pushdown: filters move through projections of plain columns and into the scan,
//      which applies them as it reads;
//   3. partition pruning: the scan's conjuncts on partition columns are evaluated on each
//      partition's values, and only matching partitions' files are read; a conjunct comparing the
//      table's time column with a constant prunes year=/month=/day=/hour= partitions only when the
//      catalog says the time partitions derive from that column (time_partition_source);
//   4. projection pushdown: every operator keeps only the columns something above it reads, so
//      the scan reads only those columns from the files;
//      and a STRUCT column read only through member accesses narrows to those members;
//   5. ORDER BY + LIMIT becomes TopN.
// Row-group pruning (from the scan's conjuncts and Parquet statistics) happens in the scan itself.
//
// Thread-safety: one plan per call.
#pragma once

#include "catalog/catalog.h"
#include "common/status.h"
#include "sql/planner/logical_plan.h"

namespace tarn::sql {

struct OptimizerOptions {
    int64_t now_micros = 0;
};

// Lists the scans' files in the catalog (so the plan reads the file list of one catalog state).
Result<LogicalPlan> Optimize(LogicalPlan plan, catalog::Catalog* catalog,
                             const OptimizerOptions& options = {});

// Parts of the optimizer, exposed for tests.
void FoldConstants(BoundExprPtr* expr, int64_t now_micros);
void PruneStructMembers(LogicalOperator* plan);
// Also removes from *conjuncts those it decided on the partition values (they hold for every
// row of the files kept).
Status PrunePartitions(std::vector<BoundExprPtr>* conjuncts, ScanSpec* scan, int64_t now_micros);

}  // namespace tarn::sql
