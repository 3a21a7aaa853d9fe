// Fuzz target: SQL text -> QueryEngine::Execute over a small fixed lake, and the answer through
// every output format. The lake has the same rows as NDJSON (partitioned by dt), as Parquet
// (partitioned by year/month, time partitions derived from ts) and as CSV, with every scalar type,
// a struct, a list and NULLs, so binding, folding, pruning, the evaluator's kernels and the
// operators all meet fuzzed input.
//
// Errors are expected; crashes, sanitizer reports, leaks and timeouts are the bugs. Beyond not
// crashing: every error is one line (users see it as is), and a query answers the same rows on
// the NDJSON and the Parquet copy of the table -- a SELECT naming raw.t once (and no partition
// column) is run again with processed.t, and must give the same rows.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/text.h"
#include "sql/parser/parser.h"
#include "sql/query_engine.h"
#include "sql/result_format.h"
#include "storage/local_store.h"
#include "testing/parquet_from_ndjson.h"
#include "testing/temp_dir.h"

namespace {

using tarn::catalog::Column;
using tarn::catalog::DataFormat;

constexpr const char* kSchema =
    "id BIGINT, s VARCHAR, d DOUBLE, n INT32, dec DECIMAL(10,2), b BOOLEAN, day DATE, "
    "ts TIMESTAMP, st STRUCT<a: BIGINT, b: VARCHAR>, arr LIST<BIGINT>";

const std::vector<Column> kColumns = {
    {"id", "bigint", ""},          {"s", "string", ""},
    {"d", "double", ""},           {"n", "int", ""},
    {"dec", "decimal(10,2)", ""},  {"b", "boolean", ""},
    {"day", "date", ""},           {"ts", "timestamp", ""},
    {"st", "struct<a:bigint,b:string>", ""}, {"arr", "array<bigint>", ""}};

std::string Row(int i) {
    auto maybe = [&](bool null, const std::string& v) { return null ? std::string("null") : v; };
    const std::string month = i < 10 ? "01" : "02";
    return "{\"id\":" + std::to_string(i) + ",\"s\":" +
           maybe(i % 7 == 3, "\"s" + std::to_string(i % 4) + (i % 5 ? "" : "%_x") + "\"") +
           ",\"d\":" + maybe(i % 6 == 1, std::to_string(i * 1.25 - 5)) + ",\"n\":" +
           maybe(i % 4 == 0, std::to_string(i % 3 - 1)) + ",\"dec\":" +
           maybe(i % 9 == 2, std::to_string(i * 7) + "." + std::to_string(10 + i)) +
           ",\"b\":" + maybe(i % 5 == 4, i % 2 ? "true" : "false") + ",\"day\":\"2024-" + month +
           "-1" + std::to_string(i % 10) + "\",\"ts\":\"2024-" + month + "-1" +
           std::to_string(i % 10) + "T0" + std::to_string(i % 10) + ":30:00.125Z\",\"st\":" +
           maybe(i % 8 == 5, "{\"a\":" + std::to_string(i) + ",\"b\":\"x" + std::to_string(i) +
                                 "\"}") +
           ",\"arr\":" + maybe(i % 3 == 2, "[" + std::to_string(i) + ",1]") + "}\n";
}

struct Lake {
    tarn::testing::TempDir dir{"tarn-sql-fuzz-"};
    std::unique_ptr<tarn::catalog::Catalog> catalog;
    std::unique_ptr<tarn::storage::LocalStore> store;
    std::unique_ptr<tarn::sql::QueryEngine> engine;
};

void Check(const tarn::Status& s, const char* what) {
    if (s.ok()) return;
    std::fprintf(stderr, "sql_query_fuzzer setup: %s: %s\n", what, s.ToString().c_str());
    std::abort();
}

void AddTable(Lake& lake, const std::string& db, DataFormat format,
              const std::vector<Column>& keys, const std::string& time_source) {
    (void)lake.catalog->CreateDatabase({.name = db});
    tarn::catalog::Table t;
    t.database = db;
    t.name = "t";
    t.location = db + "/t/";
    t.format = format;
    t.columns = kColumns;
    t.partition_keys = keys;
    t.time_partition_source = time_source;
    Check(lake.catalog->CreateTable(t), "create table");
}

void AddFile(Lake& lake, const std::string& db, const std::string& key, const std::string& rows,
             std::vector<std::string> values, bool parquet) {
    if (parquet) {
        Check(tarn::testing::WriteParquetFromNdjson(lake.store.get(), key, rows, kSchema, 512),
              "write parquet");
    } else {
        Check(lake.store->Put(key, rows), "put");
    }
    tarn::catalog::FileCommit commit;
    commit.database = db;
    commit.table = "t";
    commit.added.push_back({.key = key, .partition_values = std::move(values),
                            .bytes = rows.size()});
    Check(lake.catalog->CommitFiles(commit).status(), "commit");
}

Lake& TheLake() {
    static Lake* lake = [] {
        auto* l = new Lake;
        auto catalog = tarn::catalog::Catalog::Open(l->dir.path() + "/catalog.db");
        Check(catalog.status(), "catalog");
        l->catalog = *std::move(catalog);
        auto store = tarn::storage::LocalStore::Open(l->dir.path() + "/lake");
        Check(store.status(), "store");
        l->store = *std::move(store);
        AddTable(*l, "raw", DataFormat::kJson, {{"dt", "string", ""}}, "");
        AddTable(*l, "processed", DataFormat::kParquet,
                 {{"year", "string", ""}, {"month", "string", ""}}, "ts");
        for (int month = 1; month <= 2; ++month) {
            std::string rows;
            for (int i = (month - 1) * 10; i < month * 10; ++i) rows += Row(i);
            const std::string mm = "0" + std::to_string(month);
            AddFile(*l, "raw", "raw/t/dt=2024-" + mm + "/part.json", rows, {"2024-" + mm},
                    false);
            AddFile(*l, "processed", "processed/t/year=2024/month=" + mm + "/part.parquet", rows,
                    {"2024", mm}, true);
        }
        l->engine = std::make_unique<tarn::sql::QueryEngine>(l->catalog.get(), l->store.get());
        return l;
    }();
    return *lake;
}

// The answer's rows as CSV (column names aside: they may differ between the two tables only by
// partition columns, which a query naming them cannot read from both).
std::string Rows(const tarn::sql::QueryResult& r) {
    std::string csv = tarn::sql::FormatCsv(r);
    return csv.substr(csv.find('\n') + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 2048) return 0;  // small queries: the lake is small, the search space is not
    const std::string text(reinterpret_cast<const char*>(data), size);
    Lake& lake = TheLake();
    auto first = lake.engine->Execute(text);
    if (!first.ok()) {
        if (first.status().message().find('\n') != std::string::npos) {
            std::fprintf(stderr, "multi-line error: %s\n", first.status().message().c_str());
            std::abort();
        }
        return 0;
    }
    (void)tarn::sql::FormatJson(*first);
    (void)tarn::sql::FormatTable(*first);
    for (const auto& c : first->columns) {
        // SELECT *: the two copies' partition columns differ
        if (tarn::EqualsIgnoreAsciiCase(c.name, "dt")) return 0;
    }
    // The same query on the Parquet copy answers the same rows, compared as sorted lines. Both
    // copies hold the same rows in the same file order, so even LIMIT without ORDER BY agrees.
    // Only a SELECT whose FROM is the table raw.t written as such (any case, unquoted).
    auto statement = tarn::sql::ParseStatement(text);
    if (!statement.ok() || statement->kind != tarn::sql::StatementKind::kSelect ||
        !statement->select->from || statement->select->from->subquery) {
        return 0;
    }
    const size_t at = statement->select->from->name.pos.offset;
    if (at + 5 > text.size() || !tarn::EqualsIgnoreAsciiCase(text.substr(at, 5), "raw.t") ||
        (at + 5 < text.size() && (std::isalnum(static_cast<unsigned char>(text[at + 5])) ||
                                   text[at + 5] == '_' || text[at + 5] == '.'))) {
        return 0;
    }
    // Partition columns differ between the copies; current_* and now() differ between runs.
    // Identifiers and function names are case-insensitive, so the search is too.
    const std::string lower = tarn::AsciiLower(text);
    for (const char* word : {"dt", "year", "month", "current_", "now"}) {
        if (lower.find(word) != std::string::npos) return 0;
    }
    std::string other = text;
    other.replace(at, 5, "processed.t");
    auto second = lake.engine->Execute(other);
    auto sorted = [](std::string s) {
        std::vector<std::string> lines;
        size_t start = 0;
        while (start < s.size()) {
            size_t end = s.find('\n', start);
            if (end == std::string::npos) end = s.size();
            lines.push_back(s.substr(start, end - start));
            start = end + 1;
        }
        std::sort(lines.begin(), lines.end());
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    };
    if (!second.ok() || sorted(Rows(*first)) != sorted(Rows(*second))) {
        std::fprintf(stderr, "NDJSON and Parquet copies disagree on:\n  %s\n  json:\n%s  parquet:\n%s\n",
                     text.c_str(), Rows(*first).c_str(),
                     second.ok() ? Rows(*second).c_str() : second.status().ToString().c_str());
        std::abort();
    }
    return 0;
}
