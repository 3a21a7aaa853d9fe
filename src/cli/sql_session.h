// Where `tarn sql` runs its statements: embedded on a data dir (a QueryEngine over its catalog and
// lake, read-only: no lock is taken, as the catalog commands do), or on a running server through
// POST /api/v1/query. Both answer the same text for the same statement.
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::cli {

struct SqlAnswer {
    std::string text;        // the formatted result (json, csv or table)
    std::string stats_line;  // "42 rows in 12.3 ms; scanned ..."
};

class SqlSession {
public:
    virtual ~SqlSession() = default;
    // `format` is "json", "csv" or "table". Errors are the query's one-line message, prefixed
    // with its phase ("bind error: line 1, column 8: ...").
    virtual Result<SqlAnswer> Run(std::string_view sql, std::string_view format) = 0;
    // "embedded on ./tarn-data" / "server http://127.0.0.1:4566".
    virtual std::string Describe() const = 0;
};

// With a server holding `data_dir`, its endpoint is used instead (so queries see what the
// server sees); NotFound when the data dir has no catalog.
Result<std::unique_ptr<SqlSession>> OpenEmbeddedSqlSession(const std::string& data_dir);
Result<std::unique_ptr<SqlSession>> OpenRemoteSqlSession(const std::string& endpoint);

// Splits a script into statements at ';' outside quotes and comments (-- and /* */); blank
// statements are dropped.
std::vector<std::string> SplitSqlStatements(std::string_view script);
// True when `text` holds at least one complete statement (ends with ';' outside quotes and
// comments), for the REPL's continuation lines.
bool SqlStatementComplete(std::string_view text);

}  // namespace tarn::cli
