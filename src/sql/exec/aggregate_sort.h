// The operators that must see all their input before they answer: hash aggregation, sort and
// TopN. Their inputs are prepared by the planner: group keys, aggregate arguments and sort keys
// are plain columns of the child's output (the planner projects expressions into columns first),
// so these operators only move and compare vectors.
//
// Thread-safety: as Operator.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sql/exec/operator.h"
#include "sql/functions/functions.h"

namespace tarn::sql {

struct AggregateCall {
    std::shared_ptr<const AggregateFunction> function;
    int argument = -1;  // child column (of function->arg_type); -1 for count(*)
    std::string name;   // the output column's name
};

// GROUP BY keys (child columns, compared with SQL's grouping semantics: NULLs form one group,
// -0.0 = 0.0, NaN = NaN) and aggregates. Output: the key columns then one column per aggregate,
// one row per group (in no particular order). With no keys: exactly one row, even for empty
// input (count = 0, others NULL). Memory grows with the number of groups.
OperatorPtr MakeHashAggregate(OperatorPtr child, std::vector<int> keys,
                              std::vector<AggregateCall> aggregates, ExecContext* context);

struct SortKey {
    int column = 0;
    bool descending = false;
    bool nulls_first = false;  // Trino's default is NULLS LAST for both directions
};

// ORDER BY: all rows, sorted stably by the keys (strings by bytes, NaN above every number as
// Trino orders it). Output schema = child schema.
OperatorPtr MakeSort(OperatorPtr child, std::vector<SortKey> keys, ExecContext* context);

// ORDER BY ... LIMIT: the first `limit` rows after skipping `offset`, as Sort followed by Limit
// would give them, in memory proportional to offset + limit.
OperatorPtr MakeTopN(OperatorPtr child, std::vector<SortKey> keys, uint64_t limit,
                     uint64_t offset, ExecContext* context);

}  // namespace tarn::sql
