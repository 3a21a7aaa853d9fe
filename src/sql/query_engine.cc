// QueryEngine::Execute: the stages of one query, and its statistics.
#include "sql/query_engine.h"

#include <chrono>

#include "sql/binder/binder.h"
#include "sql/exec/physical_planner.h"
#include "sql/parser/parser.h"
#include "sql/planner/optimizer.h"
#include "sql/show_statements.h"

namespace tarn::sql {
namespace {

int64_t NowMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t MonotonicMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Which stage a binder/optimizer error belongs to: a missing table is the catalog's, a broken
// catalog is internal-ish I/O, everything else the query's own (bind).
QueryPhase BindPhase(const Status& s) {
    switch (s.code()) {
        case StatusCode::kNotFound:
        case StatusCode::kIOError:
        case StatusCode::kCorruption: return QueryPhase::kCatalog;
        case StatusCode::kInternal: return QueryPhase::kInternal;
        default: return QueryPhase::kBind;
    }
}

Result<QueryResult> Run(const LogicalOperator& plan, storage::ObjectStore* lake,
                        ExecContext* context) {
    QueryResult result;
    for (const LogicalColumn& c : plan.columns) {
        result.columns.push_back({c.name, c.type, SqlTypeName(c.type)});
    }
    TARN_ASSIGN_OR_RETURN(OperatorPtr root, BuildPhysicalPlan(plan, lake, context));
    while (true) {
        TARN_ASSIGN_OR_RETURN(columnar::RecordBatch* batch, root->Next());
        if (batch == nullptr) break;
        const size_t rows = batch->num_rows();
        // The root's batch is only valid until its next call: take its columns.
        columnar::RecordBatch copy(batch->schema(), 0);
        for (size_t c = 0; c < batch->num_columns(); ++c) {
            std::swap(copy.column(c), batch->column(c));
        }
        copy.set_num_rows(rows);
        context->stats.rows_returned += rows;
        result.batches.push_back(std::move(copy));
    }
    return result;
}

// The message on one line: errors quote user text (literals, values), which may hold line
// breaks and other control characters; they are shown escaped.
Status OneLine(const Status& s) {
    const std::string& m = s.message();
    bool clean = true;
    for (unsigned char c : m) clean = clean && c >= 0x20 && c != 0x7f;
    if (clean) return s;
    std::string out;
    for (unsigned char c : m) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            static const char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return Status(s.code(), std::move(out));
}

}  // namespace

const char* QueryPhaseName(QueryPhase phase) {
    switch (phase) {
        case QueryPhase::kParse: return "parse";
        case QueryPhase::kBind: return "bind";
        case QueryPhase::kCatalog: return "catalog";
        case QueryPhase::kExecution: return "execution";
        case QueryPhase::kInternal: return "internal";
    }
    return "internal";
}

size_t QueryResult::num_rows() const {
    size_t n = 0;
    for (const columnar::RecordBatch& b : batches) n += b.num_rows();
    return n;
}

QueryEngine::QueryEngine(catalog::Catalog* catalog, storage::ObjectStore* lake,
                         QueryEngineOptions options)
    : catalog_(catalog), lake_(lake), options_(std::move(options)) {}

Result<QueryResult> QueryEngine::Execute(std::string_view sql, QueryPhase* error_phase) {
    auto result = ExecuteStages(sql, error_phase);
    if (!result.ok()) return OneLine(result.status());
    return result;
}

Result<QueryResult> QueryEngine::ExecuteStages(std::string_view sql, QueryPhase* error_phase) {
    QueryPhase ignored;
    QueryPhase& phase = error_phase ? *error_phase : ignored;
    const int64_t start = MonotonicMicros();
    phase = QueryPhase::kParse;
    TARN_ASSIGN_OR_RETURN(Statement statement, ParseStatement(sql));

    BinderOptions binder_options;
    binder_options.default_database = options_.default_database;
    if (statement.kind != StatementKind::kSelect && statement.kind != StatementKind::kExplain) {
        phase = QueryPhase::kCatalog;
        return RunShowStatement(statement, catalog_, binder_options);
    }
    phase = QueryPhase::kBind;
    auto bound = BindSelect(*statement.select, catalog_, binder_options);
    if (!bound.ok()) {
        phase = BindPhase(bound.status());
        return bound.status();
    }
    ExecContext context;
    context.now_micros = NowMicros();
    OptimizerOptions optimizer_options;
    optimizer_options.now_micros = context.now_micros;
    auto plan = Optimize(*std::move(bound), catalog_, optimizer_options);
    if (!plan.ok()) {
        phase = BindPhase(plan.status());
        return plan.status();
    }
    if (statement.kind == StatementKind::kExplain) return ExplainResult(**plan);
    context.stats.planning_micros = MonotonicMicros() - start;
    phase = QueryPhase::kExecution;
    const int64_t exec_start = MonotonicMicros();
    auto result = Run(**plan, lake_, &context);
    if (!result.ok()) {
        if (result.status().code() == StatusCode::kInternal) phase = QueryPhase::kInternal;
        return result.status();
    }
    context.stats.execution_micros = MonotonicMicros() - exec_start;
    result->stats = context.stats;
    return result;
}

}  // namespace tarn::sql
