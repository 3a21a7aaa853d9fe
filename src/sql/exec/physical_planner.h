// The physical planner: an optimized logical plan -> a tree of vectorized operators, and the
// operators that are one step each (scan, filter, project, limit, single row).
//
// Batches between operators have positional column names ("_0", "_1", ...): the logical plan
// carries the real names, which may repeat (SELECT a, a).
//
// Thread-safety: as Operator.
#pragma once

#include <memory>
#include <vector>

#include "common/status.h"
#include "sql/exec/operator.h"
#include "sql/planner/logical_plan.h"
#include "storage/storage.h"

namespace tarn::sql {

// `lake` and `context` must outlive the operators; the plan may be dropped after this call.
Result<OperatorPtr> BuildPhysicalPlan(const LogicalOperator& plan, storage::ObjectStore* lake,
                                      ExecContext* context);

// The batch schema for logical columns: positional names, nullable fields of their types.
std::shared_ptr<const columnar::Schema> PositionalSchema(const std::vector<LogicalColumn>& columns);

// Reads the scan's files (Parquet, NDJSON, CSV; gzip text too) with schema on read: a column a
// file lacks reads NULL, a column whose type in the file differs from the table's (an evolved
// schema) is cast, partition columns are filled from each file's partition values. Applies the
// scan's conjuncts to the rows it returns, and passes those of the form `column op constant` and
// `column IS [NOT] NULL` to the Parquet reader, which skips row groups whose statistics exclude
// them. Counts rows, bytes, files and row groups into context->stats.
Result<OperatorPtr> MakeTableScan(const LogicalOperator& scan, storage::ObjectStore* lake,
                                  ExecContext* context);

OperatorPtr MakeSingleRow();
OperatorPtr MakeFilter(OperatorPtr child, BoundExprPtr predicate, ExecContext* context);
OperatorPtr MakeProject(OperatorPtr child, std::vector<BoundExprPtr> exprs,
                        std::shared_ptr<const columnar::Schema> schema, ExecContext* context);
OperatorPtr MakeLimit(OperatorPtr child, std::optional<uint64_t> limit, uint64_t offset);

// The AND of the conjuncts (a clone), or null when there are none.
BoundExprPtr Conjunction(const std::vector<BoundExprPtr>& conjuncts);

}  // namespace tarn::sql
