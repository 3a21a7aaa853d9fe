// The SQL endpoint of the REST API, for `tarn sql --endpoint` and the UI:
//
//   POST /api/v1/query   {"sql": "SELECT ...", "format": "json" | "csv" | "table"}
//     json (default) -> 200 {"columns": [{"name", "type"}], "rows": [[...]], "stats": {...}}
//                       (sql/result_format.h's FormatJson)
//     csv, table     -> 200 {"text": "...", "stats": {...}, "stats_line": "42 rows in ..."}
//
// Errors answer {"error": phase, "message": one line}, phase one of parse, bind, catalog,
// execution, internal: 400 for parse/bind/execution errors of the query, 404 when a table or
// database does not exist, 400 invalid_request for a body without "sql", 503 unavailable when
// every query slot is taken (admission control: the pool's queue is bounded), 500 internal.
//
// Queries run on their own pool, never on the I/O threads, so ingest and the AWS APIs never wait
// behind a long query.
//
// Thread-safety: register before the server starts; `engine` and `pool` must outlive it.
#pragma once

#include "common/thread_pool.h"
#include "sql/query_engine.h"

namespace tarn::api {

class Router;

void AddQueryRoutes(Router& router, sql::QueryEngine& engine, ThreadPool& pool);

}  // namespace tarn::api
