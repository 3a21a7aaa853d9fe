// Catalog::Open, the writer thread, the read pool, databases and tables.
#include "catalog/sqlite_catalog.h"

#include <chrono>

#include "catalog/catalog_codec.h"

namespace tarn::catalog {

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// ---- Open ----

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path, Options options) {
    TARN_ASSIGN_OR_RETURN(auto writer, SqliteConnection::Open(path, /*read_only=*/false));
    // WAL: readers never block the writer nor each other. synchronous=FULL: a commit that
    // returned is on disk, which the lake commit relies on.
    TARN_RETURN_IF_ERROR(writer.Exec("PRAGMA journal_mode = WAL"));
    TARN_RETURN_IF_ERROR(writer.Exec("PRAGMA synchronous = FULL"));
    TARN_RETURN_IF_ERROR(MigrateCatalogSchema(writer, path));
    std::vector<SqliteConnection> readers;
    for (int i = 0; i < std::max(1, options.read_connections); ++i) {
        TARN_ASSIGN_OR_RETURN(auto reader, SqliteConnection::Open(path, /*read_only=*/true));
        readers.push_back(std::move(reader));
    }
    return std::unique_ptr<Catalog>(new SqliteCatalog(std::move(writer), std::move(readers)));
}

// ---- CatalogWriter ----

CatalogWriter::CatalogWriter(SqliteConnection db)
    : db_(std::move(db)), thread_([this] { Loop(); }) {}

CatalogWriter::~CatalogWriter() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

Status CatalogWriter::Write(Work work) {
    std::future<Status> done;
    {
        std::lock_guard lock(mu_);
        jobs_.push_back(Job{std::move(work), {}});
        done = jobs_.back().done.get_future();
    }
    cv_.notify_one();
    return done.get();
}

void CatalogWriter::Loop() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, and every job is done
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job.done.set_value(RunJob(job.work));
    }
}

Status CatalogWriter::RunJob(const Work& work) {
    TARN_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    Status s = db_.Exec("UPDATE meta SET value = value + 1 WHERE key = 'version'");
    int64_t version = 0;
    if (s.ok()) {
        auto st = db_.Prepare("SELECT value FROM meta WHERE key = 'version'");
        if (!st.ok()) {
            s = st.status();
        } else if (auto row = st->Step(); !row.ok()) {
            s = row.status();
        } else {
            version = st->Int64(0);
        }
    }
    if (s.ok()) s = work(db_, version);
    if (s.ok()) s = db_.Exec("COMMIT");
    if (!s.ok()) (void)db_.Exec("ROLLBACK");
    return s;
}

// ---- CatalogReaders ----

CatalogReaders::CatalogReaders(std::vector<SqliteConnection> connections)
    : free_(std::move(connections)) {}

Status CatalogReaders::Read(const std::function<Status(SqliteConnection& db)>& read) {
    SqliteConnection db;
    {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !free_.empty(); });
        db = std::move(free_.back());
        free_.pop_back();
    }
    Status s = db.Exec("BEGIN");
    if (s.ok()) {
        s = read(db);
        (void)db.Exec("COMMIT");  // a read transaction: ending it cannot lose anything
    }
    {
        std::lock_guard lock(mu_);
        free_.push_back(std::move(db));
    }
    cv_.notify_one();
    return s;
}

Result<int64_t> SqliteCatalog::CurrentVersion() {
    int64_t version = 0;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT value FROM meta WHERE key = 'version'"));
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (row) version = st.Int64(0);
        return Status::Ok();
    }));
    return version;
}

// ---- Databases ----

namespace {

Status NoDatabase(std::string_view name) {
    return Status::NotFound("database " + std::string(name) + " not found");
}

Result<Database> DatabaseFromRow(const SqliteStatement& st) {
    Database d;
    d.name = st.Text(0);
    d.description = st.Text(1);
    d.location_uri = st.Text(2);
    TARN_ASSIGN_OR_RETURN(d.parameters, MapFromText(st.Text(3)));
    d.created_ms = st.Int64(4);
    return d;
}

constexpr const char* kDatabaseColumns =
    "SELECT name, description, location_uri, parameters, created_ms FROM databases";

}  // namespace

Status SqliteCatalog::CreateDatabase(const Database& database) {
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("database", database.name));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("INSERT OR IGNORE INTO databases VALUES (?, ?, ?, ?, ?)"));
        st.Bind(1, name);
        st.Bind(2, database.description);
        st.Bind(3, database.location_uri);
        st.Bind(4, MapToText(database.parameters));
        st.Bind(5, database.created_ms != 0 ? database.created_ms : NowMs());
        TARN_RETURN_IF_ERROR(st.Run());
        if (db.Changes() == 0) return Status::AlreadyExists("database " + name + " already exists");
        return Status::Ok();
    });
}

Result<Database> SqliteCatalog::GetDatabase(std::string_view name_in) {
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("database", name_in));
    Database out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare(std::string(kDatabaseColumns) + " WHERE name = ?"));
        st.Bind(1, name);
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return NoDatabase(name);
        TARN_ASSIGN_OR_RETURN(out, DatabaseFromRow(st));
        return Status::Ok();
    }));
    return out;
}

Result<std::vector<Database>> SqliteCatalog::ListDatabases() {
    std::vector<Database> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare(std::string(kDatabaseColumns) + " ORDER BY name"));
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            TARN_ASSIGN_OR_RETURN(Database d, DatabaseFromRow(st));
            out.push_back(std::move(d));
        }
    }));
    return out;
}

Status SqliteCatalog::UpdateDatabase(const Database& database) {
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("database", database.name));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("UPDATE databases SET description = ?, location_uri = ?, "
                                         "parameters = ? WHERE name = ?"));
        st.Bind(1, database.description);
        st.Bind(2, database.location_uri);
        st.Bind(3, MapToText(database.parameters));
        st.Bind(4, name);
        TARN_RETURN_IF_ERROR(st.Run());
        return db.Changes() == 0 ? NoDatabase(name) : Status::Ok();
    });
}

Status SqliteCatalog::DeleteDatabase(std::string_view name_in) {
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("database", name_in));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("DELETE FROM databases WHERE name = ?"));
        st.Bind(1, name);
        TARN_RETURN_IF_ERROR(st.Run());  // tables, partitions, versions, files: ON DELETE CASCADE
        return db.Changes() == 0 ? NoDatabase(name) : Status::Ok();
    });
}

// ---- Tables ----

namespace {

Status NoTable(std::string_view database, std::string_view name) {
    return Status::NotFound("table " + std::string(database) + "." + std::string(name) +
                            " not found");
}

constexpr const char* kTableColumns =
    "SELECT database, name, body, schema_version, created_ms, updated_ms FROM tables";

Result<Table> TableFromRow(const SqliteStatement& st) {
    Table t;
    t.database = st.Text(0);
    t.name = st.Text(1);
    TARN_RETURN_IF_ERROR(TableBodyFromText(st.Text(2), &t));
    t.schema_version = st.Int64(3);
    t.created_ms = st.Int64(4);
    t.updated_ms = st.Int64(5);
    return t;
}

Result<std::optional<Table>> FindTable(SqliteConnection& db, std::string_view database,
                                       std::string_view name) {
    TARN_ASSIGN_OR_RETURN(
        auto st, db.Prepare(std::string(kTableColumns) + " WHERE database = ? AND name = ?"));
    st.Bind(1, database);
    st.Bind(2, name);
    TARN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<Table>();
    TARN_ASSIGN_OR_RETURN(Table t, TableFromRow(st));
    return std::optional<Table>(std::move(t));
}

Status InsertVersion(SqliteConnection& db, const Table& t, std::string_view change, int64_t now) {
    TARN_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT INTO table_versions VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, t.database);
    st.Bind(2, t.name);
    st.Bind(3, t.schema_version);
    st.Bind(4, ColumnsToText(t.columns));
    st.Bind(5, ColumnsToText(t.partition_keys));
    st.Bind(6, change);
    st.Bind(7, now);
    return st.Run();
}

Status ValidateColumns(const Table& t) {
    for (const auto* list : {&t.columns, &t.partition_keys}) {
        for (const Column& c : *list) {
            if (c.name.empty())
                return Status::InvalidArgument("a column of " + t.name + " has no name");
            if (c.type.empty()) {
                return Status::InvalidArgument("column " + c.name + " of " + t.name +
                                               " has no type");
            }
        }
    }
    return Status::Ok();
}

// The table with its names normalized, checked.
Result<Table> Normalized(const Table& table) {
    Table t = table;
    TARN_ASSIGN_OR_RETURN(t.database, NormalizeName("database", table.database));
    TARN_ASSIGN_OR_RETURN(t.name, NormalizeName("table", table.name));
    TARN_RETURN_IF_ERROR(ValidateColumns(t));
    return t;
}

}  // namespace

Status RequireTable(SqliteConnection& db, std::string_view database, std::string_view name) {
    TARN_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT 1 FROM tables WHERE database = ? AND name = ?"));
    st.Bind(1, database);
    st.Bind(2, name);
    TARN_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? Status::Ok() : NoTable(database, name);
}

Result<size_t> PartitionKeyCount(SqliteConnection& db, std::string_view database,
                                 std::string_view name) {
    TARN_ASSIGN_OR_RETURN(auto table, FindTable(db, database, name));
    if (!table) return NoTable(database, name);
    return table->partition_keys.size();
}

Status SqliteCatalog::CreateTable(const Table& table) {
    TARN_ASSIGN_OR_RETURN(Table t, Normalized(table));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        {
            TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT 1 FROM databases WHERE name = ?"));
            st.Bind(1, t.database);
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return NoDatabase(t.database);
        }
        const int64_t now = NowMs();
        t.schema_version = 1;
        t.created_ms = t.updated_ms = now;
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("INSERT OR IGNORE INTO tables VALUES (?, ?, ?, ?, ?, ?)"));
        st.Bind(1, t.database);
        st.Bind(2, t.name);
        st.Bind(3, TableBodyToText(t));
        st.Bind(4, t.schema_version);
        st.Bind(5, now);
        st.Bind(6, now);
        TARN_RETURN_IF_ERROR(st.Run());
        if (db.Changes() == 0) {
            return Status::AlreadyExists("table " + t.database + "." + t.name + " already exists");
        }
        return InsertVersion(db, t, "created", now);
    });
}

Result<Table> SqliteCatalog::GetTable(std::string_view database_in, std::string_view name_in) {
    TARN_ASSIGN_OR_RETURN(std::string database, NormalizeName("database", database_in));
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("table", name_in));
    std::optional<Table> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(out, FindTable(db, database, name));
        return Status::Ok();
    }));
    if (!out) return NoTable(database, name);
    return std::move(*out);
}

Result<std::vector<Table>> SqliteCatalog::ListTables(std::string_view database_in) {
    TARN_ASSIGN_OR_RETURN(std::string database, NormalizeName("database", database_in));
    std::vector<Table> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        {
            TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT 1 FROM databases WHERE name = ?"));
            st.Bind(1, database);
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return NoDatabase(database);
        }
        TARN_ASSIGN_OR_RETURN(
            auto st, db.Prepare(std::string(kTableColumns) + " WHERE database = ? ORDER BY name"));
        st.Bind(1, database);
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            TARN_ASSIGN_OR_RETURN(Table t, TableFromRow(st));
            out.push_back(std::move(t));
        }
    }));
    return out;
}

Result<Table> SqliteCatalog::UpdateTable(const Table& table, std::string_view change,
                                         std::optional<int64_t> expected_version) {
    TARN_ASSIGN_OR_RETURN(Table t, Normalized(table));
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto stored, FindTable(db, t.database, t.name));
        if (!stored) return NoTable(t.database, t.name);
        if (expected_version && *expected_version != stored->schema_version) {
            return Status::FailedPrecondition("table " + t.database + "." + t.name +
                                              " is at schema version " +
                                              std::to_string(stored->schema_version) + ", not " +
                                              std::to_string(*expected_version));
        }
        const bool schema_changed =
            t.columns != stored->columns || t.partition_keys != stored->partition_keys;
        const int64_t now = NowMs();
        t.schema_version = stored->schema_version + (schema_changed ? 1 : 0);
        t.created_ms = stored->created_ms;
        t.updated_ms = now;
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("UPDATE tables SET body = ?, schema_version = ?, "
                                         "updated_ms = ? WHERE database = ? AND name = ?"));
        st.Bind(1, TableBodyToText(t));
        st.Bind(2, t.schema_version);
        st.Bind(3, now);
        st.Bind(4, t.database);
        st.Bind(5, t.name);
        TARN_RETURN_IF_ERROR(st.Run());
        if (!schema_changed) return Status::Ok();
        return InsertVersion(db, t, change.empty() ? "updated" : change, now);
    }));
    return t;
}

Status SqliteCatalog::DeleteTable(std::string_view database_in, std::string_view name_in) {
    TARN_ASSIGN_OR_RETURN(std::string database, NormalizeName("database", database_in));
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("table", name_in));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("DELETE FROM tables WHERE database = ? AND name = ?"));
        st.Bind(1, database);
        st.Bind(2, name);
        TARN_RETURN_IF_ERROR(st.Run());  // versions, partitions, files: ON DELETE CASCADE
        return db.Changes() == 0 ? NoTable(database, name) : Status::Ok();
    });
}

Result<std::vector<TableVersion>> SqliteCatalog::GetTableVersions(std::string_view database_in,
                                                                  std::string_view name_in) {
    TARN_ASSIGN_OR_RETURN(std::string database, NormalizeName("database", database_in));
    TARN_ASSIGN_OR_RETURN(std::string name, NormalizeName("table", name_in));
    std::vector<TableVersion> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_RETURN_IF_ERROR(RequireTable(db, database, name));
        TARN_ASSIGN_OR_RETURN(
            auto st, db.Prepare("SELECT version, columns, partition_keys, change, created_ms FROM "
                                "table_versions WHERE database = ? AND table_name = ? "
                                "ORDER BY version DESC"));
        st.Bind(1, database);
        st.Bind(2, name);
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            TableVersion v;
            v.version = st.Int64(0);
            TARN_ASSIGN_OR_RETURN(v.columns, ColumnsFromText(st.Text(1)));
            TARN_ASSIGN_OR_RETURN(v.partition_keys, ColumnsFromText(st.Text(2)));
            v.change = st.Text(3);
            v.created_ms = st.Int64(4);
            out.push_back(std::move(v));
        }
    }));
    return out;
}

}  // namespace tarn::catalog
