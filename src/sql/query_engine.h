// QueryEngine: one SQL statement in, its rows, column types and statistics out. The entry point of
// the module: it runs the stages (parse -> bind -> optimize -> build operators -> execute) and
// answers SHOW / DESCRIBE / EXPLAIN from the catalog and the plan.
//
//   QueryEngine engine(catalog, lake);
//   TARN_ASSIGN_OR_RETURN(QueryResult r, engine.Execute("SELECT country, count(*) FROM "
//                                                       "raw.events GROUP BY 1"));
//
// Errors are one Status with a one-line message (control characters of quoted user text are
// escaped: a line break shows as \n); `error_phase` (when given) says which stage
// failed: parse and bind errors name the line and column, catalog errors the table, execution
// errors the value or file ("Division by zero", "Cannot cast 'x' to BIGINT").
//
// Thread-safety: Execute may be called from many threads at once; each call is one query on the
// calling thread. The catalog and the lake must outlive the engine.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "columnar/record_batch.h"
#include "common/status.h"
#include "sql/exec/operator.h"
#include "storage/storage.h"

namespace tarn::sql {

enum class QueryPhase : uint8_t { kParse, kBind, kCatalog, kExecution, kInternal };
// "parse", "bind", "catalog", "execution", "internal".
const char* QueryPhaseName(QueryPhase phase);

struct QueryColumn {
    std::string name;
    columnar::DataType type = columnar::DataType::Boolean();
    std::string type_name;  // Trino's spelling: "bigint", "varchar", "decimal(10,2)", ...
};

struct QueryResult {
    std::vector<QueryColumn> columns;
    // The rows; batch schemas have positional field names ("_0", ...): `columns` has the names.
    std::vector<columnar::RecordBatch> batches;
    QueryStats stats;

    size_t num_rows() const;
};

struct QueryEngineOptions {
    std::string default_database = "default";
};

class QueryEngine {
public:
    QueryEngine(catalog::Catalog* catalog, storage::ObjectStore* lake,
                QueryEngineOptions options = {});

    Result<QueryResult> Execute(std::string_view sql, QueryPhase* error_phase = nullptr);

private:
    Result<QueryResult> ExecuteStages(std::string_view sql, QueryPhase* error_phase);

    catalog::Catalog* catalog_;
    storage::ObjectStore* lake_;
    QueryEngineOptions options_;
};

}  // namespace tarn::sql
