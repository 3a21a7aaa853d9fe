// Internal to the catalog: the SQLite implementation of Catalog (catalog/catalog.h), its writer
// thread and its pool of read connections. The schema and its migrations are in
// catalog_schema.cc; the methods are split by subject over sqlite_catalog*.cc.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/sqlite_db.h"

namespace tarn::catalog {

// Brings the file to kCatalogSchemaVersion, in one transaction per step.
Status MigrateCatalogSchema(SqliteConnection& db, const std::string& path);

// Runs every write, one at a time, on its own thread and connection.
class CatalogWriter {
public:
    // The work of one write transaction; `version` is the catalog version it commits.
    using Work = std::function<Status(SqliteConnection& db, int64_t version)>;

    explicit CatalogWriter(SqliteConnection db);
    ~CatalogWriter();

    // Runs `work` in one IMMEDIATE transaction that also bumps the catalog version; commits when
    // it returns OK, rolls back otherwise. Blocks until done.
    Status Write(Work work);

private:
    struct Job {
        Work work;
        std::promise<Status> done;
    };
    void Loop();
    Status RunJob(const Work& work);

    SqliteConnection db_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Job> jobs_;   // guarded by mu_
    bool stopping_ = false;  // guarded by mu_
    std::thread thread_;
};

// Read connections, lent one at a time.
class CatalogReaders {
public:
    explicit CatalogReaders(std::vector<SqliteConnection> connections);
    // Runs `read` on a free connection inside one read transaction (a consistent snapshot).
    Status Read(const std::function<Status(SqliteConnection& db)>& read);

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<SqliteConnection> free_;  // guarded by mu_
};

class SqliteCatalog final : public Catalog {
public:
    SqliteCatalog(SqliteConnection writer, std::vector<SqliteConnection> readers)
        : writer_(std::move(writer)), readers_(std::move(readers)) {}

    Result<int64_t> CurrentVersion() override;

    Status CreateDatabase(const Database& database) override;
    Result<Database> GetDatabase(std::string_view name) override;
    Result<std::vector<Database>> ListDatabases() override;
    Status UpdateDatabase(const Database& database) override;
    Status DeleteDatabase(std::string_view name) override;

    Status CreateTable(const Table& table) override;
    Result<Table> GetTable(std::string_view database, std::string_view name) override;
    Result<std::vector<Table>> ListTables(std::string_view database) override;
    Result<Table> UpdateTable(const Table& table, std::string_view change,
                              std::optional<int64_t> expected_version) override;
    Status DeleteTable(std::string_view database, std::string_view name) override;
    Result<std::vector<TableVersion>> GetTableVersions(std::string_view database,
                                                       std::string_view name) override;

    Result<std::vector<Status>> CreatePartitions(std::string_view database, std::string_view table,
                                                 const std::vector<Partition>& parts) override;
    Result<Partition> GetPartition(std::string_view database, std::string_view table,
                                   const std::vector<std::string>& values) override;
    Result<std::vector<Partition>> ListPartitions(std::string_view database,
                                                  std::string_view table) override;
    Status UpdatePartition(std::string_view database, std::string_view table,
                           const std::vector<std::string>& values,
                           const Partition& partition) override;
    Result<std::vector<Status>> DeletePartitions(
        std::string_view database, std::string_view table,
        const std::vector<std::vector<std::string>>& values) override;

    Result<std::vector<DataFile>> ListFiles(std::string_view database,
                                            std::string_view table) override;
    Result<CommitIntent> BeginIntent(CommitIntent intent) override;
    Result<std::vector<CommitIntent>> ListIntents() override;
    Status DropIntent(int64_t intent_id) override;
    Result<int64_t> CommitFiles(const FileCommit& commit) override;
    Result<std::vector<RetiredFile>> ListRetiredFiles() override;
    Status ForgetRetiredFiles(const std::vector<std::string>& keys) override;

    Result<std::optional<std::string>> GetCheckpoint(std::string_view ns,
                                                     std::string_view key) override;
    Status PutCheckpoint(std::string_view ns, std::string_view key,
                         std::string_view value) override;
    Result<std::vector<std::pair<std::string, std::string>>> ListCheckpoints(
        std::string_view ns) override;
    Status DeleteCheckpoints(std::string_view ns, std::optional<std::string_view> key) override;

    Status CreateCrawler(const Crawler& crawler) override;
    Result<Crawler> GetCrawler(std::string_view name) override;
    Result<std::vector<Crawler>> ListCrawlers() override;
    Status UpdateCrawler(const Crawler& crawler) override;
    Status DeleteCrawler(std::string_view name) override;
    Result<int64_t> StartCrawlRun(std::string_view crawler, int64_t started_ms) override;
    Status FinishCrawlRun(const CrawlRun& run) override;
    Result<std::vector<CrawlRun>> ListCrawlRuns(std::string_view crawler, size_t limit) override;

private:
    CatalogWriter writer_;
    CatalogReaders readers_;
};

// Helpers shared by the sqlite_catalog*.cc files.
int64_t NowMs();
// NotFound "table raw.events not found" unless the table exists (inside a transaction).
Status RequireTable(SqliteConnection& db, std::string_view database, std::string_view name);
// The number of partition keys of an existing table.
Result<size_t> PartitionKeyCount(SqliteConnection& db, std::string_view database,
                                 std::string_view name);

}  // namespace tarn::catalog
