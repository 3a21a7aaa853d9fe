// The engine end to end over real lake files: binding, pruning, schema on read, statistics and
// errors by phase. SQL semantics in detail are the data-driven tests' job (tests/sql/*.test).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "query_test_lake.h"

namespace tarn::sql {
namespace {

using catalog::Column;
using catalog::DataFormat;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string EventLines(int from, int to, const std::string& day) {
    std::string out;
    for (int i = from; i < to; ++i) {
        out += "{\"id\":" + std::to_string(i) + ",\"kind\":\"" + (i % 3 == 0 ? "a" : "b") +
               "\",\"amount\":" + std::to_string(i * 1.5) + ",\"ts\":\"" + day + "T" +
               (i % 24 < 10 ? "0" : "") + std::to_string(i % 24) + ":30:00Z\"" +
               ",\"ctx\":{\"os\":\"" + (i % 2 ? "ios" : "android") + "\",\"v\":" +
               std::to_string(i % 5) + "}}\n";
    }
    return out;
}

const std::vector<Column> kEventColumns = {{"id", "bigint", ""},
                                           {"kind", "string", ""},
                                           {"amount", "double", ""},
                                           {"ts", "timestamp", ""},
                                           {"ctx", "struct<os:string,v:bigint>", ""}};

class QueryEngineTest : public ::testing::Test {
protected:
    // raw.events: JSON in dt= partitions, 3 days of 24 rows.
    void AddDailyJson() {
        lake_.AddTable("raw", "events", DataFormat::kJson, kEventColumns, {{"dt", "string", ""}});
        for (int d = 0; d < 3; ++d) {
            const std::string day = "2024-01-0" + std::to_string(d + 1);
            lake_.AddFile("raw", "events", "raw/events/dt=" + day + "/part.json",
                          EventLines(d * 24, d * 24 + 24, day), {day});
        }
    }

    QueryTestLake lake_;
};

TEST_F(QueryEngineTest, SelectFilterAggregateOverJson) {
    AddDailyJson();
    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM raw.events"), ElementsAre("72"));
    EXPECT_THAT(lake_.Rows("SELECT kind, count(*), sum(id) FROM raw.events WHERE id < 6 "
                           "GROUP BY kind ORDER BY kind"),
                ElementsAre("a|2|3", "b|4|12"));
    EXPECT_THAT(lake_.Rows("SELECT id, ctx.os, ctx.v FROM events WHERE id IN (1, 2) ORDER BY id"),
                ElementsAre("1|ios|1", "2|android|2"));
    EXPECT_THAT(lake_.Rows("SELECT DISTINCT kind FROM raw.events ORDER BY 1 DESC"),
                ElementsAre("b", "a"));
    EXPECT_THAT(lake_.Rows("SELECT id FROM raw.events ORDER BY amount DESC LIMIT 2 OFFSET 1"),
                ElementsAre("70", "69"));
    EXPECT_THAT(lake_.Rows("SELECT k, n FROM (SELECT kind AS k, count(*) AS n FROM raw.events "
                           "GROUP BY kind) s WHERE n > 30 ORDER BY k"),
                ElementsAre("b|48"));
    EXPECT_THAT(lake_.Rows("SELECT kind FROM raw.events GROUP BY kind HAVING max(id) > 70"),
                ElementsAre("b"));
}

TEST_F(QueryEngineTest, PartitionColumnsAreColumnsAndPrune) {
    AddDailyJson();
    EXPECT_THAT(lake_.Rows("SELECT dt, count(*) FROM raw.events WHERE dt >= '2024-01-02' "
                           "GROUP BY dt ORDER BY dt"),
                ElementsAre("2024-01-02|24", "2024-01-03|24"));
    const QueryStats& s = lake_.last().stats;
    EXPECT_EQ(s.files_read, 2u);
    EXPECT_EQ(s.files_pruned, 1u);
    EXPECT_EQ(s.partitions_pruned, 1u);
    EXPECT_EQ(s.rows_scanned, 48u);

    // A conjunct decided on the partition values is not evaluated again per row.
    std::string plan;
    for (const auto& line : lake_.Rows("EXPLAIN SELECT id FROM raw.events WHERE dt = '2024-01-02' "
                                       "AND id > 30")) {
        plan += line + "\n";
    }
    EXPECT_THAT(plan, HasSubstr("filter: (id > 30)\n"));
    EXPECT_THAT(plan, HasSubstr("1 of 3 read, 2 pruned by (dt = '2024-01-02')"));
    EXPECT_THAT(plan, HasSubstr("columns: id\n"));  // dt is not even read
    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM raw.events WHERE dt = '2024-01-02' AND id > 30"),
                ElementsAre("17"));

    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM raw.events WHERE dt IN ('2024-01-01', 'x')"),
                ElementsAre("24"));
    EXPECT_EQ(lake_.last().stats.files_read, 1u);
    // A conjunct mixing data and partition columns prunes nothing, and still filters.
    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM raw.events WHERE dt = '2024-01-01' OR id = 30"),
                ElementsAre("25"));
    EXPECT_EQ(lake_.last().stats.files_pruned, 0u);
}

TEST_F(QueryEngineTest, TimeColumnPrunesOnlyWhenPartitionsDeriveFromIt) {
    const std::vector<Column> keys = {{"year", "string", ""},
                                      {"month", "string", ""},
                                      {"day", "string", ""},
                                      {"hour", "string", ""}};
    for (const std::string source : {"ts", "arrival_time"}) {
        const std::string table = source == "ts" ? "by_event" : "by_arrival";
        lake_.AddTable("processed", table, DataFormat::kJson, kEventColumns, keys, source);
        for (int h = 0; h < 4; ++h) {
            std::string lines;
            for (int i = 0; i < 5; ++i) {
                lines += "{\"id\":" + std::to_string(h * 5 + i) + ",\"ts\":\"2024-03-10T0" +
                         std::to_string(h) + ":1" + std::to_string(i) + ":00Z\"}\n";
            }
            lake_.AddFile("processed", table,
                          "processed/" + table + "/year=2024/month=03/day=10/hour=0" +
                              std::to_string(h) + "/f.json",
                          lines, {"2024", "03", "10", "0" + std::to_string(h)});
        }
        const std::string sql = "SELECT count(*) FROM processed." + table +
                                " WHERE ts >= TIMESTAMP '2024-03-10 02:00:00'";
        EXPECT_THAT(lake_.Rows(sql), ElementsAre("10")) << table;
        EXPECT_EQ(lake_.last().stats.files_read, source == "ts" ? 2u : 4u) << table;
        EXPECT_THAT(lake_.Rows("SELECT count(*) FROM processed." + table +
                               " WHERE ts BETWEEN TIMESTAMP '2024-03-10 01:12:00' AND "
                               "TIMESTAMP '2024-03-10 01:13:00'"),
                    ElementsAre("2"));
        EXPECT_EQ(lake_.last().stats.files_read, source == "ts" ? 1u : 4u) << table;
    }
    auto explain = lake_.Rows("EXPLAIN SELECT id FROM processed.by_arrival WHERE ts > "
                              "TIMESTAMP '2024-03-10 02:00:00'");
    std::string text;
    for (const auto& line : explain) text += line + "\n";
    EXPECT_THAT(text, HasSubstr("time partitions derive from arrival_time"));
}

TEST_F(QueryEngineTest, SchemaOnReadAcrossEvolvedParquetFiles) {
    lake_.AddTable("processed", "evolved", DataFormat::kParquet,
                   {{"a", "bigint", ""}, {"b", "string", ""}});
    // The old file has a as INT32 and no b; the new one has both as the table says.
    lake_.AddFile("processed", "evolved", "processed/evolved/old.parquet",
                  "{\"a\":1}\n{\"a\":2}\n", {}, "a INT32");
    lake_.AddFile("processed", "evolved", "processed/evolved/new.parquet",
                  "{\"a\":5000000000,\"b\":\"x\"}\n", {}, "a BIGINT, b VARCHAR");
    EXPECT_THAT(lake_.Rows("SELECT a, b FROM processed.evolved ORDER BY a"),
                ElementsAre("1|NULL", "2|NULL", "5000000000|x"));
}

TEST_F(QueryEngineTest, ParquetProjectionAndRowGroupPruning) {
    lake_.AddTable("processed", "big", DataFormat::kParquet,
                   {{"id", "bigint", ""}, {"pad", "string", ""}});
    std::string lines;
    for (int i = 0; i < 20000; ++i) {
        lines += "{\"id\":" + std::to_string(i) + ",\"pad\":\"padding-" + std::to_string(i * 7919) +
                 "\"}\n";
    }
    lake_.AddFile("processed", "big", "processed/big/f.parquet", lines, {}, "id BIGINT, pad VARCHAR",
                  /*row_group_bytes=*/64 << 10);
    EXPECT_THAT(lake_.Rows("SELECT count(*), min(id), max(id) FROM processed.big WHERE id >= 19990"),
                ElementsAre("10|19990|19999"));
    const QueryStats one = lake_.last().stats;
    EXPECT_GT(one.row_groups_pruned, 0u);
    EXPECT_LT(one.rows_scanned, 20000u);
    lake_.Rows("SELECT max(id) FROM processed.big");
    const uint64_t id_only = lake_.last().stats.bytes_scanned;
    lake_.Rows("SELECT max(pad) FROM processed.big");
    EXPECT_LT(id_only, lake_.last().stats.bytes_scanned);
}

TEST_F(QueryEngineTest, StructMembersArePushedIntoTheScan) {
    lake_.AddTable("processed", "nested", DataFormat::kParquet,
                   {{"id", "bigint", ""},
                    {"ctx", "struct<os:string,screen:struct<w:bigint,h:bigint>,blob:string>", ""}});
    std::string lines;
    for (int i = 0; i < 3000; ++i) {
        lines += "{\"id\":" + std::to_string(i) + ",\"ctx\":{\"os\":\"os" + std::to_string(i % 3) +
                 "\",\"screen\":{\"w\":" + std::to_string(i) + ",\"h\":2},\"blob\":\"" +
                 std::string(200, 'x') + std::to_string(i) + "\"}}\n";
    }
    lake_.AddFile("processed", "nested", "processed/nested/f.parquet", lines, {},
                  "id BIGINT, ctx STRUCT<os: VARCHAR, screen: STRUCT<w: BIGINT, h: BIGINT>, "
                  "blob: VARCHAR>");
    EXPECT_THAT(lake_.Rows("SELECT ctx.os, max(ctx.screen.w) FROM processed.nested "
                           "WHERE ctx.screen.w > 10 GROUP BY 1 ORDER BY 1"),
                ElementsAre("os0|2997", "os1|2998", "os2|2999"));
    const uint64_t members = lake_.last().stats.bytes_scanned;
    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM processed.nested WHERE ctx IS NOT NULL"),
                ElementsAre("3000"));
    // Reading the whole struct reads the blobs too, which the member query did not.
    EXPECT_LT(members, lake_.last().stats.bytes_scanned);
    EXPECT_THAT(lake_.Rows("SELECT count(*) FROM processed.nested WHERE ctx.blob IS NOT NULL"),
                ElementsAre("3000"));
    EXPECT_LT(lake_.last().stats.bytes_scanned, members * 3);
    auto plan = lake_.Rows("EXPLAIN SELECT ctx.screen.w FROM processed.nested");
    ASSERT_GE(plan.size(), 2u);
    EXPECT_THAT(plan[1], HasSubstr("columns: ctx.screen.w"));
    // A whole struct and a member of it: the whole struct is read.
    EXPECT_THAT(lake_.Rows("SELECT ctx.os, ctx FROM processed.nested WHERE id = 1"),
                ElementsAre("os1|{\"os\":\"os1\",\"screen\":{\"w\":1,\"h\":2},\"blob\":\"" +
                            std::string(200, 'x') + "1\"}"));
}

TEST_F(QueryEngineTest, ErrorsNameTheirPhaseAndPosition) {
    AddDailyJson();
    QueryPhase phase;
    Status s = lake_.Error("SELECT FROM raw.events", &phase);
    EXPECT_EQ(phase, QueryPhase::kParse);
    EXPECT_THAT(s.message(), HasSubstr("line 1, column 8"));

    s = lake_.Error("SELECT nope FROM raw.events", &phase);
    EXPECT_EQ(phase, QueryPhase::kBind);
    EXPECT_EQ(s.message(), "line 1, column 8: Column 'nope' cannot be resolved");

    s = lake_.Error("SELECT 1 FROM raw.missing", &phase);
    EXPECT_EQ(phase, QueryPhase::kCatalog);
    EXPECT_EQ(s.code(), StatusCode::kNotFound);
    EXPECT_THAT(s.message(), HasSubstr("Table 'raw.missing' does not exist"));

    s = lake_.Error("SELECT kind, count(*) FROM raw.events", &phase);
    EXPECT_EQ(phase, QueryPhase::kBind);
    EXPECT_THAT(s.message(), HasSubstr("'kind' must be an aggregate expression or appear in "
                                       "GROUP BY clause"));

    s = lake_.Error("SELECT id / (id - id) FROM raw.events", &phase);
    EXPECT_EQ(phase, QueryPhase::kExecution);
    EXPECT_THAT(s.message(), HasSubstr("Division by zero"));

    // Quoted user text with a line break stays one line.
    s = lake_.Error("SELECT TIMESTAMP '2024-01-01\n10:00'", &phase);
    EXPECT_EQ(phase, QueryPhase::kBind);
    EXPECT_THAT(s.message(), HasSubstr("2024-01-01\\n10:00"));
    EXPECT_EQ(s.message().find('\n'), std::string::npos);

    s = lake_.Error("SELECT id FROM raw.events WHERE count(*) > 1", &phase);
    EXPECT_EQ(phase, QueryPhase::kBind);
    EXPECT_THAT(s.message(), HasSubstr("WHERE clause cannot contain aggregations"));
}

TEST_F(QueryEngineTest, ShowStatements) {
    AddDailyJson();
    EXPECT_THAT(lake_.Rows("SHOW DATABASES"), ElementsAre("raw"));
    EXPECT_THAT(lake_.Rows("SHOW TABLES FROM raw LIKE 'ev%'"), ElementsAre("events"));
    EXPECT_THAT(lake_.Rows("SHOW PARTITIONS raw.events"),
                ElementsAre("dt=2024-01-01", "dt=2024-01-02", "dt=2024-01-03"));
    auto columns = lake_.Rows("DESCRIBE raw.events");
    ASSERT_EQ(columns.size(), 6u);
    EXPECT_EQ(columns[0], "id|bigint||");
    EXPECT_EQ(columns[5], "dt|varchar|partition key|");
}

TEST_F(QueryEngineTest, SelectWithoutFrom) {
    EXPECT_THAT(lake_.Rows("SELECT 1 + 2, 'a' || 'b', NULL IS NULL"), ElementsAre("3|ab|true"));
    EXPECT_THAT(lake_.Rows("SELECT 0.05, 00012.50, 12345678901234567890123456789012345.678"),
                ElementsAre("0.05|12.50|12345678901234567890123456789012345.678"));
    EXPECT_THAT(lake_.Error("SELECT 123456789012345678901234567890123456789.5").message(),
                HasSubstr("Invalid numeric literal"));
}

}  // namespace
}  // namespace tarn::sql
