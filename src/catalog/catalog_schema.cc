// The catalog.db schema, as a list of forward migrations. Version N is reached by running
// kMigrations[N-1]; PRAGMA user_version records the version reached. Never edit a released
// migration: add the next one.
#include <array>

#include "catalog/sqlite_catalog.h"

namespace tarn::catalog {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('version', 0);
CREATE TABLE databases (
  name TEXT PRIMARY KEY, description TEXT NOT NULL, location_uri TEXT NOT NULL,
  parameters TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE tables (
  database TEXT NOT NULL REFERENCES databases(name) ON DELETE CASCADE,
  name TEXT NOT NULL, body TEXT NOT NULL, schema_version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
  PRIMARY KEY (database, name));
CREATE TABLE table_versions (
  database TEXT NOT NULL, table_name TEXT NOT NULL, version INTEGER NOT NULL,
  columns TEXT NOT NULL, partition_keys TEXT NOT NULL, change TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (database, table_name, version),
  FOREIGN KEY (database, table_name) REFERENCES tables(database, name) ON DELETE CASCADE);
CREATE TABLE partitions (
  database TEXT NOT NULL, table_name TEXT NOT NULL, vals TEXT NOT NULL,
  location TEXT NOT NULL, parameters TEXT NOT NULL,
  file_count INTEGER NOT NULL, bytes INTEGER NOT NULL, row_count INTEGER,
  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
  PRIMARY KEY (database, table_name, vals),
  FOREIGN KEY (database, table_name) REFERENCES tables(database, name) ON DELETE CASCADE);
CREATE TABLE files (
  key TEXT PRIMARY KEY, database TEXT NOT NULL, table_name TEXT NOT NULL, vals TEXT NOT NULL,
  bytes INTEGER NOT NULL, row_count INTEGER, committed_version INTEGER NOT NULL,
  FOREIGN KEY (database, table_name) REFERENCES tables(database, name) ON DELETE CASCADE);
CREATE INDEX files_by_partition ON files (database, table_name, vals);
CREATE TABLE retired_files (
  key TEXT PRIMARY KEY, database TEXT NOT NULL, table_name TEXT NOT NULL,
  retired_version INTEGER NOT NULL);
CREATE TABLE intents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, database TEXT NOT NULL,
  table_name TEXT NOT NULL, keys TEXT NOT NULL, payload BLOB NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE checkpoints (
  ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_ms INTEGER NOT NULL,
  PRIMARY KEY (ns, key));
CREATE TABLE crawlers (
  name TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE TABLE crawl_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  crawler TEXT NOT NULL REFERENCES crawlers(name) ON DELETE CASCADE,
  state TEXT NOT NULL, started_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL,
  body TEXT NOT NULL);
CREATE INDEX crawl_runs_by_crawler ON crawl_runs (crawler, id);
)sql";

constexpr std::array<const char*, kCatalogSchemaVersion> kMigrations = {kSchemaV1};

Result<int> UserVersion(SqliteConnection& db) {
    TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("PRAGMA user_version"));
    TARN_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? static_cast<int>(st.Int64(0)) : 0;
}

}  // namespace

Status MigrateCatalogSchema(SqliteConnection& db, const std::string& path) {
    TARN_ASSIGN_OR_RETURN(int version, UserVersion(db));
    if (version > kCatalogSchemaVersion) {
        return Status::FailedPrecondition(
            path + " has catalog schema version " + std::to_string(version) +
            ", newer than this build of tarn knows (" + std::to_string(kCatalogSchemaVersion) +
            "): use a newer tarn");
    }
    for (; version < kCatalogSchemaVersion; ++version) {
        TARN_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
        Status s = db.Exec(kMigrations[version]);
        if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(version + 1));
        if (s.ok()) s = db.Exec("COMMIT");
        if (!s.ok()) {
            (void)db.Exec("ROLLBACK");
            return s.WithContext("migrating " + path + " to catalog schema version " +
                                 std::to_string(version + 1));
        }
    }
    return Status::Ok();
}

}  // namespace tarn::catalog
