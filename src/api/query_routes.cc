#include "api/query_routes.h"

#include <nlohmann/json.hpp>
#include <string>

#include "api/router.h"
#include "common/logging.h"
#include "sql/result_format.h"

namespace tarn::api {
namespace {

using Json = nlohmann::json;

HttpResponse JsonAnswer(int status, const Json& body) {
    return HttpResponse::Json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse QueryError(sql::QueryPhase phase, const Status& status) {
    int http = 400;
    if (phase == sql::QueryPhase::kInternal) http = 500;
    if (status.code() == StatusCode::kNotFound) http = 404;
    if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kIOError) {
        http = 503;
    }
    return JsonAnswer(http, Json{{"error", sql::QueryPhaseName(phase)},
                                 {"message", status.message()}});
}

void RunQuery(sql::QueryEngine& engine, const std::string& text, const std::string& format,
              const HttpRespond& respond) {
    sql::QueryPhase phase = sql::QueryPhase::kInternal;
    auto result = engine.Execute(text, &phase);
    if (!result.ok()) {
        TARN_LOG_INFO("query.failed",
                      {{"phase", sql::QueryPhaseName(phase)}, {"error", result.status().message()}});
        return respond(QueryError(phase, result.status()));
    }
    const sql::QueryStats& s = result->stats;
    TARN_LOG_INFO("query.done", {{"rows", s.rows_returned},
                                 {"bytes_scanned", s.bytes_scanned},
                                 {"files_read", s.files_read},
                                 {"files_pruned", s.files_pruned},
                                 {"ms", (s.planning_micros + s.execution_micros) / 1000}});
    if (format == "json") {
        return respond(HttpResponse::Json(200, sql::FormatJson(*result)));
    }
    Json body{{"text", format == "csv" ? sql::FormatCsv(*result) : sql::FormatTable(*result)},
              {"stats", Json::parse(sql::FormatStatsJson(s))},
              {"stats_line", sql::FormatStatsLine(*result)}};
    respond(JsonAnswer(200, body));
}

}  // namespace

void AddQueryRoutes(Router& router, sql::QueryEngine& engine, ThreadPool& pool) {
    router.Add("POST", "/api/v1/query", "/api/v1/query",
               [&engine, &pool](HttpRequest request, HttpRespond respond) {
                   Json body = Json::parse(request.body, nullptr, false);
                   if (!body.is_object() || !body.contains("sql") || !body["sql"].is_string()) {
                       return respond(JsonAnswer(
                           400, Json{{"error", "invalid_request"},
                                     {"message", "expected a JSON body {\"sql\": \"...\"}"}}));
                   }
                   std::string format = "json";
                   if (body.contains("format")) {
                       if (!body["format"].is_string()) format = "?";
                       else format = body["format"].get<std::string>();
                   }
                   if (format != "json" && format != "csv" && format != "table") {
                       return respond(JsonAnswer(
                           400, Json{{"error", "invalid_request"},
                                     {"message", "format must be json, csv or table"}}));
                   }
                   Status queued = pool.Submit(
                       [&engine, sql = body["sql"].get<std::string>(), format, respond] {
                           RunQuery(engine, sql, format, respond);
                       });
                   if (!queued.ok()) {
                       respond(JsonAnswer(503, Json{{"error", "unavailable"},
                                                    {"message", "too many queries running: " +
                                                                    queued.message()}}));
                   }
               });
}

}  // namespace tarn::api
