#include "cli/sql_session.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "cli/http_call.h"
#include "cli/kinesis_producer.h"
#include "sql/query_engine.h"
#include "sql/result_format.h"
#include "storage/data_dir.h"
#include "storage/local_store.h"

namespace tarn::cli {
namespace {

class EmbeddedSession final : public SqlSession {
public:
    EmbeddedSession(std::string data_dir, std::unique_ptr<catalog::Catalog> catalog,
                    std::unique_ptr<storage::LocalStore> lake)
        : data_dir_(std::move(data_dir)),
          catalog_(std::move(catalog)),
          lake_(std::move(lake)),
          engine_(catalog_.get(), lake_.get()) {}

    Result<SqlAnswer> Run(std::string_view sql, std::string_view format) override {
        sql::QueryPhase phase = sql::QueryPhase::kInternal;
        auto result = engine_.Execute(sql, &phase);
        if (!result.ok()) {
            return Status(result.status().code(), std::string(sql::QueryPhaseName(phase)) +
                                                      " error: " + result.status().message());
        }
        SqlAnswer answer;
        if (format == "json") {
            answer.text = sql::FormatJson(*result) + "\n";
        } else if (format == "csv") {
            answer.text = sql::FormatCsv(*result);
        } else {
            answer.text = sql::FormatTable(*result);
        }
        answer.stats_line = sql::FormatStatsLine(*result);
        return answer;
    }

    std::string Describe() const override { return "embedded on " + data_dir_; }

private:
    std::string data_dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> lake_;
    sql::QueryEngine engine_;
};

class RemoteSession final : public SqlSession {
public:
    RemoteSession(std::string url, KinesisEndpoint endpoint)
        : url_(std::move(url)), endpoint_(std::move(endpoint)) {}

    Result<SqlAnswer> Run(std::string_view sql, std::string_view format) override {
        nlohmann::json request{{"sql", std::string(sql)}, {"format", std::string(format)}};
        TARN_ASSIGN_OR_RETURN(HttpReply reply,
                              CallHttp(endpoint_, "POST", "/api/v1/query", request.dump()));
        if (reply.status != 200) {
            nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
            if (body.is_object() && body.contains("message")) {
                const StatusCode code = reply.status == 404 ? StatusCode::kNotFound
                                                            : StatusCode::kInvalidArgument;
                return Status(code, body.value("error", "query") + " error: " +
                                        body["message"].get<std::string>());
            }
            return Status::Unavailable(url_ + " answered HTTP " + std::to_string(reply.status) +
                                       ": " + reply.body);
        }
        SqlAnswer answer;
        if (format == "json") {
            answer.text = reply.body + "\n";
            return answer;
        }
        nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
        if (!body.is_object() || !body.contains("text")) {
            return Status::Unavailable(url_ + " answered no query result");
        }
        answer.text = body["text"].get<std::string>();
        answer.stats_line = body.value("stats_line", "");
        return answer;
    }

    std::string Describe() const override { return "server " + url_; }

private:
    std::string url_;
    KinesisEndpoint endpoint_;
};

// Walks `text` and calls on_end(offset) at each ';' that ends a statement.
template <class OnEnd>
void ScanStatements(std::string_view text, OnEnd on_end) {
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote) quote = 0;  // a doubled quote re-opens at the next character
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            const size_t nl = text.find('\n', i);
            i = nl == std::string_view::npos ? text.size() : nl;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const size_t end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 1;
        } else if (c == ';') {
            on_end(i);
        }
    }
}

bool Blank(std::string_view s) {
    // Only whitespace and comments.
    std::string_view rest = s;
    while (!rest.empty()) {
        const char c = rest[0];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            rest.remove_prefix(1);
        } else if (rest.starts_with("--")) {
            const size_t nl = rest.find('\n');
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        } else if (rest.starts_with("/*")) {
            const size_t end = rest.find("*/");
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<std::string> SplitSqlStatements(std::string_view script) {
    std::vector<std::string> out;
    size_t start = 0;
    ScanStatements(script, [&](size_t end) {
        std::string_view s = script.substr(start, end - start);
        if (!Blank(s)) out.emplace_back(s);
        start = end + 1;
    });
    std::string_view tail = script.substr(std::min(start, script.size()));
    if (!Blank(tail)) out.emplace_back(tail);
    return out;
}

bool SqlStatementComplete(std::string_view text) {
    bool complete = false;
    ScanStatements(text, [&](size_t) { complete = true; });
    return complete;
}

Result<std::unique_ptr<SqlSession>> OpenRemoteSqlSession(const std::string& endpoint) {
    TARN_ASSIGN_OR_RETURN(KinesisEndpoint parsed, ParseKinesisEndpoint(endpoint));
    return std::unique_ptr<SqlSession>(std::make_unique<RemoteSession>(endpoint, parsed));
}

Result<std::unique_ptr<SqlSession>> OpenEmbeddedSqlSession(const std::string& data_dir) {
    auto owner = storage::DataDirLock::QueryOwner(data_dir);
    if (owner.ok() && owner->has_value() && !(*owner)->endpoint.empty()) {
        return OpenRemoteSqlSession((*owner)->endpoint);
    }
    const std::string path = data_dir + "/catalog.db";
    if (!std::filesystem::exists(path)) {
        return Status::NotFound("no catalog at " + path +
                                " (run `tarn crawl` or `tarn up` on this data dir first)");
    }
    TARN_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::Open(path));
    TARN_ASSIGN_OR_RETURN(auto lake, storage::LocalStore::Open(data_dir + "/lake"));
    return std::unique_ptr<SqlSession>(
        std::make_unique<EmbeddedSession>(data_dir, std::move(catalog), std::move(lake)));
}

}  // namespace tarn::cli
