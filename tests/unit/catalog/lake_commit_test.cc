// The lake commit: a writer killed after each of its steps leaves, once recovered, the old state
// or the new one -- never a mix -- and no object that the catalog does not list.
#include "catalog/lake_commit.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "storage/local_store.h"
#include "testing/temp_dir.h"

namespace tarn::catalog {
namespace {

using testing::TempDir;

constexpr const char* kOld = "processed/events/day=01/old.parquet";
constexpr const char* kNew1 = "processed/events/day=01/new-1.parquet";
constexpr const char* kNew2 = "processed/events/day=02/new-2.parquet";

struct Lake {
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<storage::LocalStore> store;
};

Lake OpenLake(const std::string& dir) {
    Lake lake;
    auto catalog = Catalog::Open(dir + "/catalog.db");
    EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
    lake.catalog = std::move(*catalog);
    auto store = storage::LocalStore::Open(dir + "/lake");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    lake.store = std::move(*store);
    return lake;
}

std::set<std::string> StoredKeys(storage::ObjectStore& store) {
    std::set<std::string> keys;
    auto page = store.List("", {});
    EXPECT_TRUE(page.ok());
    for (const auto& o : page->objects) keys.insert(o.key);
    return keys;
}

std::set<std::string> ListedKeys(Catalog& catalog) {
    std::set<std::string> keys;
    auto files = catalog.ListFiles("processed", "events");
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    for (const auto& f : *files) keys.insert(f.key);
    return keys;
}

// The old state: one committed file.
void MakeOldState(const std::string& dir) {
    Lake lake = OpenLake(dir);
    ASSERT_TRUE(lake.catalog->CreateDatabase({.name = "processed"}).ok());
    Table t{.database = "processed",
            .name = "events",
            .location = "processed/events/",
            .format = DataFormat::kParquet,
            .kind = TableKind::kManaged};
    t.columns = {{"a", "bigint", ""}};
    t.partition_keys = {{"day", "string", ""}};
    ASSERT_TRUE(lake.catalog->CreateTable(t).ok());
    LakeCommitter committer(lake.catalog.get(), lake.store.get());
    auto v = committer.WriteAndCommit(
        {.owner = "test", .database = "processed", .table = "events"},
        {{.file = {.key = kOld, .partition_values = {"01"}}, .data = "old"}}, {});
    ASSERT_TRUE(v.ok()) << v.status().ToString();
}

// The new write: two files replace the old one and a checkpoint moves, in one commit.
Result<int64_t> WriteNew(LakeCommitter& committer) {
    return committer.WriteAndCommit(
        {.owner = "compaction", .database = "processed", .table = "events"},
        {{.file = {.key = kNew1, .partition_values = {"01"}, .row_count = 1}, .data = "new one"},
         {.file = {.key = kNew2, .partition_values = {"02"}, .row_count = 2}, .data = "new two"}},
        {kOld}, {{"bookmark", "job", "2"}});
}

// Runs WriteNew in a child process that dies (as by SIGKILL: no cleanup) after `crash_after`
// steps; returns whether it died there (false: the write finished first).
bool CrashWriterAfter(const std::string& dir, int crash_after) {
    const pid_t pid = fork();
    if (pid == 0) {
        Lake lake = OpenLake(dir);
        int steps = 0;
        LakeCommitter committer(lake.catalog.get(), lake.store.get(),
                                {.on_step = [&](LakeCommitStep) {
                                    if (++steps == crash_after) _exit(42);
                                }});
        _exit(WriteNew(committer).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_NE(WEXITSTATUS(status), 1) << "the write failed";
    return WEXITSTATUS(status) == 42;
}

TEST(LakeCommitTest, ACrashAfterAnyStepLeavesOldOrNewStateAndNoOrphans) {
    // Steps of WriteNew: intent, object 1, object 2, catalog commit, retired object deleted.
    int crashes = 0;
    for (int crash_after = 1;; ++crash_after) {
        TempDir dir("tarn-lake-commit-");
        MakeOldState(dir.path());
        const bool crashed = CrashWriterAfter(dir.path(), crash_after);
        Lake lake = OpenLake(dir.path());
        LakeCommitter committer(lake.catalog.get(), lake.store.get());
        ASSERT_TRUE(lake.store->RemoveTemporaries().ok());
        ASSERT_TRUE(committer.Recover().ok());
        ASSERT_TRUE(committer.CollectGarbage().ok());

        const auto listed = ListedKeys(*lake.catalog);
        const auto stored = StoredKeys(*lake.store);
        EXPECT_EQ(listed, stored) << "crash after step " << crash_after << ": orphans or holes";
        const auto bookmark = *lake.catalog->GetCheckpoint("bookmark", "job");
        if (listed == std::set<std::string>{kOld}) {
            EXPECT_EQ(bookmark, std::nullopt) << "step " << crash_after;
            EXPECT_LT(crash_after, 4) << "the commit was durable before step 4";
        } else {
            EXPECT_EQ(listed, (std::set<std::string>{kNew1, kNew2})) << "step " << crash_after;
            EXPECT_EQ(bookmark, std::optional<std::string>("2"));
            EXPECT_EQ(*lake.store->Get(kNew2), "new two");
            EXPECT_GE(crash_after, 4);
        }
        EXPECT_TRUE(lake.catalog->ListIntents()->empty());
        EXPECT_TRUE(lake.catalog->ListRetiredFiles()->empty());
        if (!crashed) break;
        ++crashes;
    }
    EXPECT_EQ(crashes, 5) << "every step was crashed after";
}

TEST(LakeCommitTest, RetiredFilesStayWhileAnOlderReaderHoldsALease) {
    TempDir dir("tarn-lake-lease-");
    MakeOldState(dir.path());
    Lake lake = OpenLake(dir.path());
    LakeCommitter committer(lake.catalog.get(), lake.store.get());
    {
        auto lease = committer.AcquireReadLease();
        ASSERT_TRUE(lease.ok());
        ASSERT_TRUE(WriteNew(committer).ok());
        EXPECT_TRUE(lake.store->Head(kOld).ok()) << "a reader at the old version may read it";
        EXPECT_EQ(lake.catalog->ListRetiredFiles()->size(), 1u);
    }
    auto collected = committer.CollectGarbage();
    ASSERT_TRUE(collected.ok());
    EXPECT_EQ(*collected, 1u);
    EXPECT_EQ(lake.store->Head(kOld).status().code(), StatusCode::kNotFound);
}

TEST(LakeCommitTest, CommitRefusesFilesOutsideItsIntentAndAbortRemovesObjects) {
    TempDir dir("tarn-lake-abort-");
    MakeOldState(dir.path());
    Lake lake = OpenLake(dir.path());
    LakeCommitter committer(lake.catalog.get(), lake.store.get());
    auto intent = committer.Begin(
        {.owner = "ctas", .database = "processed", .table = "events", .keys = {kNew1}});
    ASSERT_TRUE(intent.ok());
    ASSERT_TRUE(lake.store->Put(kNew1, "x").ok());
    FileCommit stray;
    stray.added = {{.key = kNew2, .partition_values = {"02"}}};
    EXPECT_EQ(committer.Commit(*intent, stray).status().code(), StatusCode::kInvalidArgument);
    ASSERT_TRUE(committer.Abort(*intent).ok());
    EXPECT_EQ(lake.store->Head(kNew1).status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(lake.catalog->ListIntents()->empty());
    // Writing over a committed object is refused before anything is written.
    EXPECT_EQ(
        committer
            .Begin({.owner = "ctas", .database = "processed", .table = "events", .keys = {kOld}})
            .status()
            .code(),
        StatusCode::kAlreadyExists);
}

TEST(LakeCommitTest, RecoverLeavesTheIntentsOfOwnersThatReplayThem) {
    TempDir dir("tarn-lake-skip-");
    MakeOldState(dir.path());
    Lake lake = OpenLake(dir.path());
    LakeCommitter committer(lake.catalog.get(), lake.store.get());
    ASSERT_TRUE(committer
                    .Begin({.owner = "delivery/d1",
                            .database = "processed",
                            .table = "events",
                            .keys = {kNew1},
                            .payload = "shard-0:1-9"})
                    .ok());
    ASSERT_TRUE(
        committer
            .Begin({.owner = "ctas", .database = "processed", .table = "events", .keys = {kNew2}})
            .ok());
    auto recovered = committer.Recover({"delivery/d1"});
    ASSERT_TRUE(recovered.ok());
    EXPECT_EQ(*recovered, 1u);
    auto left = lake.catalog->ListIntents();
    ASSERT_EQ(left->size(), 1u);
    EXPECT_EQ((*left)[0].owner, "delivery/d1");
    EXPECT_EQ((*left)[0].payload, "shard-0:1-9");
}

}  // namespace
}  // namespace tarn::catalog
