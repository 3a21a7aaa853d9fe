// SHOW DATABASES / TABLES / COLUMNS / PARTITIONS, DESCRIBE and EXPLAIN: statements answered from
// the catalog or the plan rather than by scanning the lake. Column names follow Trino's (Schema,
// Table, Column/Type/Extra/Comment, Query Plan) and Athena's for partitions (partition).
// Thread-safety: pure functions over the catalog.
#pragma once

#include "catalog/catalog.h"
#include "common/status.h"
#include "sql/binder/binder.h"
#include "sql/parser/ast.h"
#include "sql/planner/logical_plan.h"
#include "sql/query_engine.h"

namespace tarn::sql {

// REQUIRES: a SHOW or DESCRIBE statement.
Result<QueryResult> RunShowStatement(const Statement& statement, catalog::Catalog* catalog,
                                     const BinderOptions& options);

// The optimized plan as rows of text, one line each.
Result<QueryResult> ExplainResult(const LogicalOperator& plan);

// SQL LIKE with '%' and '_' (no escape), for SHOW ... LIKE.
bool MatchesLikePattern(std::string_view text, std::string_view pattern);

}  // namespace tarn::sql
