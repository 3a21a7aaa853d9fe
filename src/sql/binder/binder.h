// Binder: a parsed SELECT (sql/parser/ast.h) -> a logical plan (sql/planner/logical_plan.h),
// against the catalog. It resolves table and column names, types every expression, inserts the
// implicit casts, expands `*`, and shapes the query: scan -> filter (WHERE) -> aggregate (GROUP BY,
// aggregates) -> filter (HAVING) -> project (SELECT) -> distinct -> sort (ORDER BY) -> limit.
//
// Names: unquoted identifiers match case-insensitively (the catalog's names are lower case, as
// Glue's are); a table is `db.table`, or `table` in the session's default database, or, when
// that has no such table, in the one database that has it. A table's columns are its data
// columns then its partition keys, typed from the catalog's Hive type names; `a.b.c` reads
// struct members. Output columns are named by their alias, by the column they read, or `_colN`.
//
// Errors: InvalidArgument for what the query gets wrong, NotFound for missing tables, each one
// line naming where: "line 1, column 8: Column 'x' cannot be resolved", "line 1, column 15:
// Table 'raw.nope' does not exist", "line 1, column 8: 'country' must be an aggregate expression
// or appear in GROUP BY clause".
//
// Thread-safety: a Binder is used by one query on one thread.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "common/status.h"
#include "sql/parser/ast.h"
#include "sql/planner/logical_plan.h"

namespace tarn::sql {

struct BinderOptions {
    std::string default_database = "default";
};

// Binds `select` (which must outlive nothing: the plan owns copies of what it needs).
Result<LogicalPlan> BindSelect(const Select& select, catalog::Catalog* catalog,
                               const BinderOptions& options = {});

// The table `name` (1 or 2 parts) as the binder resolves it, for SHOW/DESCRIBE.
Result<std::shared_ptr<const ScanTable>> ResolveTable(const QualifiedName& name,
                                                      catalog::Catalog* catalog,
                                                      const BinderOptions& options = {});

// "line L, column C: <message>".
std::string AtPosition(const SourcePos& pos, std::string_view message);

}  // namespace tarn::sql
