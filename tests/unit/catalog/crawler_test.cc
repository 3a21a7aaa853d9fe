// Crawls over a changing lake: tables created once per dataset, schemas evolving by version,
// partitions and file lists following the lake, deprecation only when data is really gone.
#include "catalog/crawler.h"

#include <gtest/gtest.h>

#include "storage/local_store.h"
#include "testing/temp_dir.h"

namespace tarn::catalog {
namespace {

using testing::TempDir;

class CrawlerTest : public ::testing::Test {
protected:
    void SetUp() override {
        catalog_ = std::move(*Catalog::Open(dir_.path() + "/catalog.db"));
        store_ = std::move(*storage::LocalStore::Open(dir_.path() + "/lake"));
        ASSERT_TRUE(catalog_->CreateCrawler(crawler_).ok());
    }
    void Put(const std::string& key, const std::string& data) {
        ASSERT_TRUE(store_->Put(key, data).ok()) << key;
    }
    CrawlRun Crawl() {
        auto run = RunCrawl(*catalog_, *store_, crawler_);
        EXPECT_TRUE(run.ok()) << run.status().ToString();
        EXPECT_EQ(run->state, "SUCCEEDED") << run->message;
        return *run;
    }
    Table Events() {
        auto t = catalog_->GetTable("raw", "events");
        EXPECT_TRUE(t.ok()) << t.status().ToString();
        return t.ok() ? *t : Table{};
    }
    std::string TypeOf(const Table& t, const std::string& column) {
        for (const Column& c : t.columns) {
            if (c.name == column) return c.type;
        }
        return "<missing>";
    }

    TempDir dir_{"tarn-crawler-"};
    Crawler crawler_{.name = "lake", .targets = {"raw/"}};
    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> store_;
};

TEST_F(CrawlerTest, SchemaEvolvesOverSeveralCrawls) {
    Put("raw/events/day=01/a.json", R"({"id": 1, "price": 3, "user": {"name": "x"}})"
                                    "\n");
    CrawlRun first = Crawl();
    EXPECT_EQ(first.tables_created, 1u);
    EXPECT_EQ(first.partitions_added, 1u);
    Table t = Events();
    EXPECT_EQ(t.schema_version, 1);
    EXPECT_EQ(TypeOf(t, "price"), "bigint");
    EXPECT_EQ(t.format, DataFormat::kJson);
    ASSERT_EQ(t.partition_keys.size(), 1u);
    EXPECT_EQ(t.partition_keys[0].name, "day");

    // A new field appears and an int field starts carrying doubles, in a new partition.
    Put("raw/events/day=02/b.json", R"({"id": 2, "price": 3.5, "coupon": "C1"})"
                                    "\n");
    CrawlRun second = Crawl();
    EXPECT_EQ(second.tables_created, 0u);
    EXPECT_EQ(second.tables_updated, 1u);
    EXPECT_EQ(second.partitions_added, 1u);
    t = Events();
    EXPECT_EQ(t.schema_version, 2);
    EXPECT_EQ(TypeOf(t, "price"), "double");
    EXPECT_EQ(TypeOf(t, "coupon"), "string");

    // A field disappears (the old file goes): it stays, nullable; nothing else changes.
    ASSERT_TRUE(store_->Delete("raw/events/day=01/a.json").ok());
    Put("raw/events/day=01/c.json", R"({"id": 3, "price": 1.5})"
                                    "\n");
    Crawl();
    t = Events();
    EXPECT_EQ(t.schema_version, 2);
    EXPECT_EQ(TypeOf(t, "user"), "struct<name:string>");

    // A nested field is added.
    Put("raw/events/day=03/d.json", R"({"id": 4, "user": {"name": "y", "age": 7}})"
                                    "\n");
    Crawl();
    t = Events();
    EXPECT_EQ(t.schema_version, 3);
    EXPECT_EQ(TypeOf(t, "user"), "struct<name:string,age:bigint>");

    auto versions = catalog_->GetTableVersions("raw", "events");
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 3u);
    EXPECT_NE((*versions)[1].change.find("widened column price bigint -> double"),
              std::string::npos)
        << (*versions)[1].change;
    EXPECT_NE((*versions)[1].change.find("added column coupon string"), std::string::npos);
    EXPECT_EQ((*versions)[2].change, "created");

    // Partitions and the file list follow the lake.
    auto parts = catalog_->ListPartitions("raw", "events");
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].location, "raw/events/day=01/");
    EXPECT_EQ((*parts)[0].file_count, 1u);
    auto files = catalog_->ListFiles("raw", "events");
    ASSERT_EQ(files->size(), 3u);
    EXPECT_EQ((*files)[0].key, "raw/events/day=01/c.json");
    EXPECT_TRUE(store_->Head("raw/events/day=01/c.json").ok());
}

TEST_F(CrawlerTest, OneTablePerDatasetDespiteManyPartitionsAndExtraFields) {
    for (int day = 1; day <= 12; ++day) {
        for (int hour = 0; hour < 3; ++hour) {
            const std::string folder =
                "raw/clicks/day=" + std::to_string(day) + "/hour=" + std::to_string(hour) + "/";
            const std::string extra = day == 7 && hour == 1 ? R"(, "debug": true)" : "";
            Put(folder + "part.json", R"({"page": "/a", "ms": 12)" + extra + "}\n");
        }
    }
    Put("raw/clicks/_SUCCESS", "");
    CrawlRun run = Crawl();
    EXPECT_EQ(run.tables_created, 1u);
    EXPECT_EQ(run.partitions_added, 36u);
    auto tables = catalog_->ListTables("raw");
    ASSERT_EQ(tables->size(), 1u);
    EXPECT_EQ((*tables)[0].columns.size(), 3u);
    EXPECT_EQ(TypeOf((*tables)[0], "debug"), "boolean");
    EXPECT_EQ((*tables)[0].partition_keys.size(), 2u);
    // A second crawl of an unchanged lake changes nothing.
    CrawlRun again = Crawl();
    EXPECT_EQ(again.tables_updated, 0u);
    EXPECT_EQ(again.partitions_added, 0u);
    EXPECT_EQ(catalog_->GetTable("raw", "clicks")->schema_version, 1);
}

TEST_F(CrawlerTest, UnreadableFilesAreReportedAndNeverDeprecateATable) {
    Put("raw/events/day=01/a.json", R"({"id": 1})"
                                    "\n");
    Crawl();
    ASSERT_TRUE(store_->Delete("raw/events/day=01/a.json").ok());
    Put("raw/events/day=01/bad.json.gz", "this is not gzip");
    CrawlRun run = Crawl();
    ASSERT_FALSE(run.errors.empty());
    EXPECT_NE(run.errors[0].find("raw/events/day=01/bad.json.gz: "), std::string::npos)
        << run.errors[0];
    Table t = Events();
    EXPECT_FALSE(t.deprecated);
    EXPECT_EQ(TypeOf(t, "id"), "bigint");
}

TEST_F(CrawlerTest, GoneDataIsDeprecatedThenFoundAgain) {
    Put("raw/events/day=01/a.json", R"({"id": 1})"
                                    "\n");
    Put("raw/other/x.json", R"({"v": 1})"
                            "\n");
    Crawl();
    ASSERT_TRUE(store_->Delete("raw/events/day=01/a.json").ok());
    CrawlRun run = Crawl();
    EXPECT_EQ(run.tables_deleted, 1u);
    EXPECT_TRUE(Events().deprecated);
    EXPECT_FALSE(catalog_->GetTable("raw", "other")->deprecated);
    Put("raw/events/day=02/b.json", R"({"id": 2})"
                                    "\n");
    Crawl();
    EXPECT_FALSE(Events().deprecated);

    crawler_.delete_behavior = DeleteBehavior::kDeleteFromDatabase;
    ASSERT_TRUE(store_->Delete("raw/other/x.json").ok());
    Crawl();
    EXPECT_EQ(catalog_->GetTable("raw", "other").status().code(), StatusCode::kNotFound);
}

TEST_F(CrawlerTest, LogPolicyReportsWithoutChanging) {
    Put("raw/events/a.json", R"({"id": 1})"
                             "\n");
    Crawl();
    crawler_.update_behavior = UpdateBehavior::kLog;
    Put("raw/events/b.json", R"({"id": 2, "new": "x"})"
                             "\n");
    CrawlRun run = Crawl();
    Table t = Events();
    EXPECT_EQ(t.schema_version, 1);
    EXPECT_EQ(TypeOf(t, "new"), "<missing>");
    ASSERT_EQ(run.errors.size(), 1u);
    EXPECT_NE(run.errors[0].find("added column new string"), std::string::npos) << run.errors[0];
}

TEST_F(CrawlerTest, ManagedTablesKeepTheirSchemaAndFileList) {
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "raw"}).ok());
    Table managed{.database = "raw",
                  .name = "events",
                  .location = "raw/events/",
                  .format = DataFormat::kJson,
                  .kind = TableKind::kManaged};
    managed.columns = {{"id", "bigint", ""}};
    managed.partition_keys = {{"day", "string", ""}};
    ASSERT_TRUE(catalog_->CreateTable(managed).ok());
    Put("raw/events/day=01/a.json", R"({"id": 1, "surprise": "x"})"
                                    "\n");
    Crawl();
    Table t = Events();
    EXPECT_EQ(t.schema_version, 1);
    EXPECT_EQ(t.columns.size(), 1u);
    EXPECT_EQ(catalog_->ListPartitions("raw", "events")->size(), 1u);
    EXPECT_TRUE(catalog_->ListFiles("raw", "events")->empty()) << "its writers register files";
}

TEST_F(CrawlerTest, IncrementalCrawlReadsOnlyNewPartitions) {
    Put("raw/events/day=01/a.json", R"({"id": 1})"
                                    "\n");
    Crawl();
    crawler_.recrawl_new_folders_only = true;
    Put("raw/events/day=01/b.json", R"({"id": 2, "late": 1})"
                                    "\n");
    Put("raw/events/day=02/c.json", R"({"id": 3})"
                                    "\n");
    CrawlRun run = Crawl();
    EXPECT_EQ(run.files_read, 1u) << "only day=02 is read";
    EXPECT_EQ(run.partitions_added, 1u);
    EXPECT_EQ(TypeOf(Events(), "late"), "<missing>");
    EXPECT_EQ(catalog_->ListFiles("raw", "events")->size(), 3u) << "listed files are registered";
}

TEST(WidenHiveTypeTest, NumbersWidenStructsMergeTheRestIsString) {
    EXPECT_EQ(WidenHiveType("bigint", "bigint"), "bigint");
    EXPECT_EQ(WidenHiveType("int", "bigint"), "bigint");
    EXPECT_EQ(WidenHiveType("bigint", "double"), "double");
    EXPECT_EQ(WidenHiveType("bigint", "string"), "string");
    EXPECT_EQ(WidenHiveType("struct<a:int>", "struct<b:string>"), "struct<a:int,b:string>");
    EXPECT_EQ(WidenHiveType("uniontype<int,string>", "int"), "string");
}

}  // namespace
}  // namespace tarn::catalog
