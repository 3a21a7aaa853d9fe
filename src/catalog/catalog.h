// Module catalog: the Glue Data Catalog's job, in SQLite (`<data>/catalog.db`).
//
//   TARN_ASSIGN_OR_RETURN(auto catalog, Catalog::Open(data_dir + "/catalog.db"));
//   catalog->CreateDatabase({.name = "raw"});
//   catalog->CreateTable(table);                       // schema version 1
//   catalog->UpdateTable(changed, "added column x");   // version 2 when the schema changed
//
// What it holds: databases; tables with every version of their schema; partitions (which follow
// their table's schema: there is no per-partition schema); each table's data files (the list the
// SQL engine reads: its source of truth); commit intents of the lake commit
// (catalog/lake_commit.h); delivery checkpoints and job bookmarks (string values under a namespace
// and a key); crawler definitions and their runs.
//
// Storage: one SQLite file in WAL mode. The schema carries a version (PRAGMA user_version) and is
// migrated forward on Open; a file newer than this build is refused (FailedPrecondition). Every
// write runs as one short transaction on the catalog's single writer thread, so writers never
// meet SQLITE_BUSY; reads run on the caller's thread on a pooled read connection and see the last
// committed state.
//
// Every change bumps the catalog version (a counter kept in the file); a commit of files is
// stamped with it, and a retired file keeps the version that retired it, so that the lake commit
// can delete it once no reader of an older version is left.
//
// Errors: NotFound ("table raw.events not found"), AlreadyExists, InvalidArgument for bad names
// or values, FailedPrecondition for a stale expected version, IOError/Corruption from SQLite
// (with SQLite's message).
//
// Thread-safety: every method may be called from any thread at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog_types.h"
#include "common/status.h"

namespace tarn::catalog {

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kCatalogSchemaVersion = 1;

// A pending lake commit: the objects a writer is about to write. Recorded before the first
// object is written, so a crash leaves a trace of everything that may need removing.
struct CommitIntent {
    int64_t id = 0;        // assigned by BeginIntent
    std::string owner;     // who writes: "delivery/<name>", "ctas", "compaction", "test"
    std::string database;  // the table the objects are for
    std::string table;
    std::vector<std::string> keys;  // the objects to be written
    std::string payload;  // the writer's own record (e.g. delivery's shard and sequence range)
    int64_t created_ms = 0;
};

// What one lake commit registers, atomically.
struct FileCommit {
    int64_t intent_id = 0;  // the intent this commit completes (and removes); 0: none
    std::string database;
    std::string table;
    std::vector<DataFile> added;       // committed_version is filled in by the commit
    std::vector<std::string> retired;  // keys of the table's files these replace
    // Keys that leave the file list without their objects being deleted: files of an external
    // table that the crawler no longer finds. Each must be live (else NotFound).
    std::vector<std::string> forgotten;
    // Partitions the added files go to are created when missing (location: the file's folder)
    // and their counters updated. Checkpoints set in the same transaction:
    struct Checkpoint {
        std::string ns, key, value;
    };
    std::vector<Checkpoint> checkpoints;
};

struct RetiredFile {
    std::string database;
    std::string table;
    std::string key;
    int64_t retired_version = 0;
};

class Catalog {
public:
    struct Options {
        int read_connections = 4;
    };
    // Opens (creating when missing) and migrates the catalog file at `path`.
    static Result<std::unique_ptr<Catalog>> Open(const std::string& path, Options options);
    static Result<std::unique_ptr<Catalog>> Open(const std::string& path) {
        return Open(path, Options{});
    }

    virtual ~Catalog() = default;
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // The version of the last committed change.
    virtual Result<int64_t> CurrentVersion() = 0;

    // ---- Databases ----
    virtual Status CreateDatabase(const Database& database) = 0;
    virtual Result<Database> GetDatabase(std::string_view name) = 0;
    virtual Result<std::vector<Database>> ListDatabases() = 0;  // by name
    virtual Status UpdateDatabase(const Database& database) = 0;
    // Deletes the database with its tables, partitions and file lists (not the objects).
    virtual Status DeleteDatabase(std::string_view name) = 0;

    // ---- Tables ----
    // Creates the table at schema version 1 (history: "created"). The database must exist.
    virtual Status CreateTable(const Table& table) = 0;
    virtual Result<Table> GetTable(std::string_view database, std::string_view name) = 0;
    virtual Result<std::vector<Table>> ListTables(std::string_view database) = 0;  // by name
    // Replaces the table's definition. When its columns or partition keys differ from the stored
    // ones, the schema version is bumped and a TableVersion with `change` is kept. With
    // `expected_version`, fails with FailedPrecondition when the stored schema version differs
    // (an optimistic check for read-modify-write callers such as the crawler).
    // Returns the table as stored.
    virtual Result<Table> UpdateTable(const Table& table, std::string_view change,
                                      std::optional<int64_t> expected_version = std::nullopt) = 0;
    // Deletes the table with its partitions, versions and file list (not the objects).
    virtual Status DeleteTable(std::string_view database, std::string_view name) = 0;
    // Every schema version, newest first.
    virtual Result<std::vector<TableVersion>> GetTableVersions(std::string_view database,
                                                               std::string_view name) = 0;

    // ---- Partitions ----
    // One Status per partition, in order: AlreadyExists, InvalidArgument (wrong number of values)
    // or OK. The table must exist (else the whole call fails with NotFound).
    virtual Result<std::vector<Status>> CreatePartitions(std::string_view database,
                                                         std::string_view table,
                                                         const std::vector<Partition>& parts) = 0;
    virtual Result<Partition> GetPartition(std::string_view database, std::string_view table,
                                           const std::vector<std::string>& values) = 0;
    // Every partition, ordered by values.
    virtual Result<std::vector<Partition>> ListPartitions(std::string_view database,
                                                          std::string_view table) = 0;
    // Replaces the partition named by `values` with `partition` (whose values may differ).
    virtual Status UpdatePartition(std::string_view database, std::string_view table,
                                   const std::vector<std::string>& values,
                                   const Partition& partition) = 0;
    // One Status per partition: NotFound or OK. Their files leave the file list.
    virtual Result<std::vector<Status>> DeletePartitions(
        std::string_view database, std::string_view table,
        const std::vector<std::vector<std::string>>& values) = 0;

    // ---- Files and the lake commit's primitives (use catalog/lake_commit.h) ----
    // The table's live files, ordered by key.
    virtual Result<std::vector<DataFile>> ListFiles(std::string_view database,
                                                    std::string_view table) = 0;
    // Records the intent; returns it with its id. The table must exist; a key of a live or
    // retired file is AlreadyExists (writers write new objects, never over committed ones).
    virtual Result<CommitIntent> BeginIntent(CommitIntent intent) = 0;
    virtual Result<std::vector<CommitIntent>> ListIntents() = 0;
    virtual Status DropIntent(int64_t intent_id) = 0;
    // One transaction: adds the files (a key already live is AlreadyExists), creates or updates
    // their partitions, retires `retired` (each must be live: else NotFound), sets checkpoints and
    // drops the intent. Returns the new catalog version.
    virtual Result<int64_t> CommitFiles(const FileCommit& commit) = 0;
    // Retired files whose objects are not yet deleted, oldest first.
    virtual Result<std::vector<RetiredFile>> ListRetiredFiles() = 0;
    // Forgets retired files once their objects are deleted.
    virtual Status ForgetRetiredFiles(const std::vector<std::string>& keys) = 0;

    // ---- Checkpoints and bookmarks ----
    virtual Result<std::optional<std::string>> GetCheckpoint(std::string_view ns,
                                                             std::string_view key) = 0;
    virtual Status PutCheckpoint(std::string_view ns, std::string_view key,
                                 std::string_view value) = 0;
    // Every checkpoint of a namespace as (key, value), ordered by key.
    virtual Result<std::vector<std::pair<std::string, std::string>>> ListCheckpoints(
        std::string_view ns) = 0;
    // Deletes one key of a namespace, or the whole namespace when `key` is nullopt (a delivery
    // stream that is deleted forgets its checkpoints). Deleting what is not there is OK.
    virtual Status DeleteCheckpoints(std::string_view ns, std::optional<std::string_view> key) = 0;

    // ---- Crawlers and their runs ----
    virtual Status CreateCrawler(const Crawler& crawler) = 0;
    virtual Result<Crawler> GetCrawler(std::string_view name) = 0;
    virtual Result<std::vector<Crawler>> ListCrawlers() = 0;   // by name
    virtual Status UpdateCrawler(const Crawler& crawler) = 0;  // bumps its version
    virtual Status DeleteCrawler(std::string_view name) = 0;
    // Records a new RUNNING run; returns its id.
    virtual Result<int64_t> StartCrawlRun(std::string_view crawler, int64_t started_ms) = 0;
    virtual Status FinishCrawlRun(const CrawlRun& run) = 0;
    // The crawler's runs, newest first, at most `limit`.
    virtual Result<std::vector<CrawlRun>> ListCrawlRuns(std::string_view crawler, size_t limit) = 0;

protected:
    Catalog() = default;
};

}  // namespace tarn::catalog
