// The SQLite catalog: databases, tables and their schema history, partitions, file lists,
// intents, checkpoints, crawlers; persistence across reopening; migration guards.
#include "catalog/catalog.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "testing/temp_dir.h"

namespace tarn::catalog {
namespace {

using testing::TempDir;

class CatalogTest : public ::testing::Test {
protected:
    void SetUp() override { Reopen(); }
    void Reopen() {
        catalog_.reset();
        auto opened = Catalog::Open(path_);
        ASSERT_TRUE(opened.ok()) << opened.status().ToString();
        catalog_ = std::move(*opened);
    }
    Table EventsTable() {
        Table t;
        t.database = "raw";
        t.name = "events";
        t.location = "raw/events/";
        t.format = DataFormat::kJson;
        t.compression = "gzip";
        t.columns = {{"event_id", "string", ""}, {"user_id", "bigint", "who"}};
        t.partition_keys = {{"year", "string", ""}, {"month", "string", ""}};
        t.time_partition_source = "arrival_time";
        return t;
    }
    void CreateEvents() {
        ASSERT_TRUE(catalog_->CreateDatabase({.name = "raw"}).ok());
        ASSERT_TRUE(catalog_->CreateTable(EventsTable()).ok());
    }

    TempDir dir_{"tarn-catalog-"};
    std::string path_ = dir_.path() + "/catalog.db";
    std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, DatabasesAreCaseInsensitiveAndUnique) {
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "Raw", .description = "landing"}).ok());
    EXPECT_EQ(catalog_->CreateDatabase({.name = "raw"}).code(), StatusCode::kAlreadyExists);
    auto db = catalog_->GetDatabase("RAW");
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(db->name, "raw");
    EXPECT_EQ(db->description, "landing");
    EXPECT_GT(db->created_ms, 0);
    EXPECT_EQ(catalog_->GetDatabase("nope").status().message(), "database nope not found");
    EXPECT_EQ(catalog_->CreateDatabase({.name = ""}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(catalog_->CreateDatabase({.name = "a\nb"}).code(), StatusCode::kInvalidArgument);
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "curated"}).ok());
    auto all = catalog_->ListDatabases();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].name, "curated");
    EXPECT_EQ((*all)[1].name, "raw");
}

TEST_F(CatalogTest, TablesKeepEverySchemaVersion) {
    CreateEvents();
    EXPECT_EQ(catalog_->CreateTable(EventsTable()).code(), StatusCode::kAlreadyExists);
    auto t = catalog_->GetTable("raw", "Events");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->schema_version, 1);
    EXPECT_EQ(t->columns, EventsTable().columns);
    EXPECT_EQ(t->time_partition_source, "arrival_time");
    EXPECT_EQ(t->format, DataFormat::kJson);

    Table changed = *t;
    changed.columns.push_back({"price", "double", ""});
    auto v2 = catalog_->UpdateTable(changed, "added column price double", 1);
    ASSERT_TRUE(v2.ok()) << v2.status().ToString();
    EXPECT_EQ(v2->schema_version, 2);
    // A stale read-modify-write is refused.
    EXPECT_EQ(catalog_->UpdateTable(changed, "again", 1).status().code(),
              StatusCode::kFailedPrecondition);
    // A change that is not of the schema keeps the version.
    changed.description = "clicks";
    auto same = catalog_->UpdateTable(changed, "", 2);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->schema_version, 2);

    auto versions = catalog_->GetTableVersions("raw", "events");
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 2u);
    EXPECT_EQ((*versions)[0].version, 2);
    EXPECT_EQ((*versions)[0].change, "added column price double");
    EXPECT_EQ((*versions)[0].columns.size(), 3u);
    EXPECT_EQ((*versions)[1].change, "created");
    EXPECT_EQ((*versions)[1].columns.size(), 2u);

    EXPECT_EQ(catalog_->CreateTable({.database = "nodb", .name = "x"}).code(),
              StatusCode::kNotFound);
    ASSERT_TRUE(catalog_->DeleteTable("raw", "events").ok());
    EXPECT_EQ(catalog_->GetTable("raw", "events").status().message(), "table raw.events not found");
    EXPECT_EQ(catalog_->GetTableVersions("raw", "events").status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, PartitionsAreCreatedListedUpdatedAndDeleted) {
    CreateEvents();
    std::vector<Partition> parts = {
        {.values = {"2026", "11"}, .location = "raw/events/year=2026/month=11/"},
        {.values = {"2026", "02"}, .location = "raw/events/year=2026/month=02/"},
        {.values = {"2026"}},
        {.values = {"2026", "11"}}};
    auto made = catalog_->CreatePartitions("raw", "events", parts);
    ASSERT_TRUE(made.ok());
    ASSERT_EQ(made->size(), 4u);
    EXPECT_TRUE((*made)[0].ok());
    EXPECT_TRUE((*made)[1].ok());
    EXPECT_EQ((*made)[2].code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*made)[3].code(), StatusCode::kAlreadyExists);

    auto list = catalog_->ListPartitions("raw", "events");
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].values, (std::vector<std::string>{"2026", "02"}));
    EXPECT_EQ((*list)[1].location, "raw/events/year=2026/month=11/");

    Partition moved = (*list)[1];
    moved.parameters["note"] = "x";
    ASSERT_TRUE(catalog_->UpdatePartition("raw", "events", {"2026", "11"}, moved).ok());
    auto got = catalog_->GetPartition("raw", "events", {"2026", "11"});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->parameters.at("note"), "x");
    EXPECT_EQ(catalog_->GetPartition("raw", "events", {"1999", "01"}).status().code(),
              StatusCode::kNotFound);

    auto deleted = catalog_->DeletePartitions("raw", "events", {{"2026", "02"}, {"1999", "01"}});
    ASSERT_TRUE(deleted.ok());
    EXPECT_TRUE((*deleted)[0].ok());
    EXPECT_EQ((*deleted)[1].code(), StatusCode::kNotFound);
    EXPECT_EQ(catalog_->ListPartitions("raw", "events")->size(), 1u);
    EXPECT_EQ(catalog_->CreatePartitions("raw", "nope", parts).status().code(),
              StatusCode::kNotFound);
}

TEST_F(CatalogTest, CommitFilesMaintainsPartitionsAndRetiresAtomically) {
    CreateEvents();
    auto intent = catalog_->BeginIntent(
        {.owner = "test",
         .database = "raw",
         .table = "events",
         .keys = {"raw/events/year=2026/month=11/a.json", "raw/events/year=2026/month=11/b.json"}});
    ASSERT_TRUE(intent.ok()) << intent.status().ToString();
    FileCommit commit{.intent_id = intent->id, .database = "raw", .table = "events"};
    commit.added = {{.key = "raw/events/year=2026/month=11/a.json",
                     .partition_values = {"2026", "11"},
                     .bytes = 100,
                     .row_count = 10},
                    {.key = "raw/events/year=2026/month=11/b.json",
                     .partition_values = {"2026", "11"},
                     .bytes = 50}};
    commit.checkpoints = {{"delivery", "d1/shard-0", "42"}};
    auto v1 = catalog_->CommitFiles(commit);
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    EXPECT_TRUE(catalog_->ListIntents()->empty());
    EXPECT_EQ(*catalog_->GetCheckpoint("delivery", "d1/shard-0"), std::optional<std::string>("42"));

    auto p = catalog_->GetPartition("raw", "events", {"2026", "11"});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->location, "raw/events/year=2026/month=11/");
    EXPECT_EQ(p->file_count, 2u);
    EXPECT_EQ(p->bytes, 150u);
    EXPECT_FALSE(p->row_count.has_value()) << "one file's row count is unknown";

    // The same intent cannot commit twice; a committed key cannot be reused.
    EXPECT_EQ(catalog_->CommitFiles(commit).status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(catalog_
                  ->BeginIntent({.owner = "t",
                                 .database = "raw",
                                 .table = "events",
                                 .keys = {"raw/events/year=2026/month=11/a.json"}})
                  .status()
                  .code(),
              StatusCode::kAlreadyExists);

    // Compaction: one new file replaces both, in one transaction.
    FileCommit compact{.database = "raw", .table = "events"};
    compact.added = {{.key = "raw/events/year=2026/month=11/c.json",
                      .partition_values = {"2026", "11"},
                      .bytes = 120,
                      .row_count = 15}};
    compact.retired = {"raw/events/year=2026/month=11/a.json",
                       "raw/events/year=2026/month=11/b.json"};
    auto v2 = catalog_->CommitFiles(compact);
    ASSERT_TRUE(v2.ok()) << v2.status().ToString();
    EXPECT_GT(*v2, *v1);
    auto files = catalog_->ListFiles("raw", "events");
    ASSERT_TRUE(files.ok());
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ((*files)[0].key, "raw/events/year=2026/month=11/c.json");
    EXPECT_EQ((*files)[0].committed_version, *v2);
    p = catalog_->GetPartition("raw", "events", {"2026", "11"});
    EXPECT_EQ(p->file_count, 1u);
    EXPECT_EQ(p->row_count, std::optional<uint64_t>(15));
    auto retired = catalog_->ListRetiredFiles();
    ASSERT_TRUE(retired.ok());
    ASSERT_EQ(retired->size(), 2u);
    EXPECT_EQ((*retired)[0].retired_version, *v2);

    // A commit that fails half-way changes nothing.
    FileCommit bad{.database = "raw", .table = "events"};
    bad.added = {
        {.key = "raw/events/year=2026/month=12/d.json", .partition_values = {"2026", "12"}}};
    bad.retired = {"raw/events/year=2026/month=11/not-there.json"};
    EXPECT_EQ(catalog_->CommitFiles(bad).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(catalog_->ListFiles("raw", "events")->size(), 1u);
    EXPECT_EQ(catalog_->ListPartitions("raw", "events")->size(), 1u);
    EXPECT_EQ(*catalog_->CurrentVersion(), *v2);

    ASSERT_TRUE(catalog_->ForgetRetiredFiles({"raw/events/year=2026/month=11/a.json"}).ok());
    EXPECT_EQ(catalog_->ListRetiredFiles()->size(), 1u);
}

TEST_F(CatalogTest, EverythingSurvivesReopening) {
    CreateEvents();
    ASSERT_TRUE(catalog_->PutCheckpoint("bookmark", "job1", "{\"seq\":7}").ok());
    Crawler crawler{.name = "LakeCrawler",
                    .targets = {"raw/", "processed/"},
                    .schedule = "cron(0/15 * * * ? *)"};
    ASSERT_TRUE(catalog_->CreateCrawler(crawler).ok());
    auto run = catalog_->StartCrawlRun("LakeCrawler", 1000);
    ASSERT_TRUE(run.ok());
    Reopen();
    EXPECT_EQ(catalog_->GetTable("raw", "events")->columns.size(), 2u);
    EXPECT_EQ(*catalog_->GetCheckpoint("bookmark", "job1"),
              std::optional<std::string>("{\"seq\":7}"));
    EXPECT_EQ(*catalog_->GetCheckpoint("bookmark", "job2"), std::nullopt);
    auto c = catalog_->GetCrawler("LakeCrawler");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->targets, crawler.targets);
    EXPECT_EQ(c->schedule, crawler.schedule);
    EXPECT_EQ(c->delete_behavior, DeleteBehavior::kDeprecateInDatabase);
}

TEST_F(CatalogTest, CheckpointsOfANamespaceAreListedAndDeleted) {
    ASSERT_TRUE(catalog_->PutCheckpoint("delivery/a", "2", "20").ok());
    ASSERT_TRUE(catalog_->PutCheckpoint("delivery/a", "1", "10").ok());
    ASSERT_TRUE(catalog_->PutCheckpoint("delivery/b", "1", "99").ok());
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(*catalog_->ListCheckpoints("delivery/a"), (Pairs{{"1", "10"}, {"2", "20"}}));
    ASSERT_TRUE(catalog_->DeleteCheckpoints("delivery/a", "1").ok());
    EXPECT_EQ(*catalog_->ListCheckpoints("delivery/a"), (Pairs{{"2", "20"}}));
    ASSERT_TRUE(catalog_->DeleteCheckpoints("delivery/a", std::nullopt).ok());
    EXPECT_TRUE(catalog_->ListCheckpoints("delivery/a")->empty());
    EXPECT_EQ(*catalog_->ListCheckpoints("delivery/b"), (Pairs{{"1", "99"}}));
    EXPECT_TRUE(catalog_->DeleteCheckpoints("nothing", std::nullopt).ok());
}

TEST_F(CatalogTest, CrawlersAndTheirRuns) {
    Crawler crawler{.name = "c1", .targets = {"raw/"}};
    ASSERT_TRUE(catalog_->CreateCrawler(crawler).ok());
    EXPECT_EQ(catalog_->CreateCrawler(crawler).code(), StatusCode::kAlreadyExists);
    crawler.update_behavior = UpdateBehavior::kLog;
    crawler.delete_behavior = DeleteBehavior::kDeleteFromDatabase;
    ASSERT_TRUE(catalog_->UpdateCrawler(crawler).ok());
    auto c = catalog_->GetCrawler("c1");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->version, 2);
    EXPECT_EQ(c->update_behavior, UpdateBehavior::kLog);
    EXPECT_EQ(c->delete_behavior, DeleteBehavior::kDeleteFromDatabase);

    auto first = catalog_->StartCrawlRun("c1", 1000);
    auto second = catalog_->StartCrawlRun("c1", 2000);
    ASSERT_TRUE(first.ok() && second.ok());
    CrawlRun done{.id = *first,
                  .crawler = "c1",
                  .state = "SUCCEEDED",
                  .started_ms = 1000,
                  .finished_ms = 1500,
                  .tables_created = 2,
                  .partitions_added = 9,
                  .files_read = 30,
                  .errors = {"raw/x/bad.json: not JSON"}};
    ASSERT_TRUE(catalog_->FinishCrawlRun(done).ok());
    auto runs = catalog_->ListCrawlRuns("c1", 10);
    ASSERT_TRUE(runs.ok());
    ASSERT_EQ(runs->size(), 2u);
    EXPECT_EQ((*runs)[0].state, "RUNNING");
    EXPECT_EQ((*runs)[1].state, "SUCCEEDED");
    EXPECT_EQ((*runs)[1].partitions_added, 9u);
    EXPECT_EQ((*runs)[1].errors, done.errors);
    EXPECT_EQ(catalog_->StartCrawlRun("nope", 1).status().code(), StatusCode::kNotFound);
    ASSERT_TRUE(catalog_->DeleteCrawler("c1").ok());
    EXPECT_TRUE(catalog_->ListCrawlRuns("c1", 10)->empty());
    EXPECT_EQ(catalog_->DeleteCrawler("c1").code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, DeletingADatabaseDeletesItsTables) {
    CreateEvents();
    ASSERT_TRUE(catalog_->DeleteDatabase("raw").ok());
    EXPECT_EQ(catalog_->GetTable("raw", "events").status().code(), StatusCode::kNotFound);
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "raw"}).ok());
    EXPECT_TRUE(catalog_->ListTables("raw")->empty());
    EXPECT_EQ(catalog_->DeleteDatabase("nope").code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, ConcurrentWritersAndReadersNeverFail) {
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "raw"}).ok());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int w = 0; w < 4; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < 25; ++i) {
                Table t{.database = "raw",
                        .name = "t" + std::to_string(w) + "_" + std::to_string(i)};
                t.columns = {{"a", "bigint", ""}};
                if (!catalog_->CreateTable(t).ok()) ++failures;
                if (!catalog_->ListTables("raw").ok()) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(catalog_->ListTables("raw")->size(), 100u);
}

TEST_F(CatalogTest, AFileFromANewerTarnIsRefused) {
    catalog_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto opened = Catalog::Open(path_);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(opened.status().message().find("newer than this build"), std::string::npos);
}

TEST_F(CatalogTest, ANonSqliteFileIsCorruption) {
    catalog_.reset();
    TempDir other("tarn-catalog-bad-");
    const std::string bad = other.path() + "/catalog.db";
    FILE* f = std::fopen(bad.c_str(), "w");
    std::fputs("this is not a database, but it is long enough to have a header page......", f);
    std::fclose(f);
    auto opened = Catalog::Open(bad);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kCorruption) << opened.status().ToString();
}

}  // namespace
}  // namespace tarn::catalog
