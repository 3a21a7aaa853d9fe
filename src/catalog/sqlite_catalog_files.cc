// Partitions, the file lists and the lake commit's primitives.
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/catalog_codec.h"
#include "catalog/sqlite_catalog.h"

namespace tarn::catalog {
namespace {

struct TableName {
    std::string database, name;
};

Result<TableName> Names(std::string_view database, std::string_view table) {
    TableName out;
    TARN_ASSIGN_OR_RETURN(out.database, NormalizeName("database", database));
    TARN_ASSIGN_OR_RETURN(out.name, NormalizeName("table", table));
    return out;
}

std::string Describe(const TableName& t, const std::vector<std::string>& values) {
    std::string out = "partition (";
    for (size_t i = 0; i < values.size(); ++i) out += (i ? ", '" : "'") + values[i] + "'";
    return out + ") of " + t.database + "." + t.name;
}

Status WrongArity(const TableName& t, const std::vector<std::string>& values, size_t keys) {
    return Status::InvalidArgument(Describe(t, values) + " has " + std::to_string(values.size()) +
                                   " values; the table has " + std::to_string(keys) +
                                   " partition keys");
}

constexpr const char* kPartitionColumns =
    "SELECT vals, location, parameters, file_count, bytes, row_count, created_ms, updated_ms "
    "FROM partitions";

Result<Partition> PartitionFromRow(const SqliteStatement& st) {
    Partition p;
    TARN_ASSIGN_OR_RETURN(p.values, ValuesFromText(st.Text(0)));
    p.location = st.Text(1);
    TARN_ASSIGN_OR_RETURN(p.parameters, MapFromText(st.Text(2)));
    p.file_count = static_cast<uint64_t>(st.Int64(3));
    p.bytes = static_cast<uint64_t>(st.Int64(4));
    if (!st.IsNull(5)) p.row_count = static_cast<uint64_t>(st.Int64(5));
    p.created_ms = st.Int64(6);
    p.updated_ms = st.Int64(7);
    return p;
}

Status InsertPartition(SqliteConnection& db, const TableName& t, const Partition& p, int64_t now,
                       bool* inserted) {
    TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("INSERT OR IGNORE INTO partitions VALUES "
                                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, t.database);
    st.Bind(2, t.name);
    st.Bind(3, ValuesToText(p.values));
    st.Bind(4, p.location);
    st.Bind(5, MapToText(p.parameters));
    st.Bind(6, static_cast<int64_t>(p.file_count));
    st.Bind(7, static_cast<int64_t>(p.bytes));
    st.Bind(8, p.row_count);
    st.Bind(9, p.created_ms != 0 ? p.created_ms : now);
    st.Bind(10, now);
    TARN_RETURN_IF_ERROR(st.Run());
    *inserted = db.Changes() > 0;
    return Status::Ok();
}

// The folder of a key: "raw/t/year=2026/x.json" -> "raw/t/year=2026/".
std::string FolderOf(std::string_view key) {
    const size_t slash = key.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash + 1));
}

// Recomputes a partition's counters from its live files, creating the partition when missing.
Status RefreshPartition(SqliteConnection& db, const TableName& t, const std::string& vals,
                        const std::string& location_if_new, int64_t now) {
    TARN_ASSIGN_OR_RETURN(
        auto sum, db.Prepare("SELECT count(*), coalesce(sum(bytes), 0), sum(row_count), "
                             "count(row_count) FROM files WHERE database = ? AND table_name = ? "
                             "AND vals = ?"));
    sum.Bind(1, t.database);
    sum.Bind(2, t.name);
    sum.Bind(3, vals);
    TARN_RETURN_IF_ERROR(sum.Step().status());
    const int64_t files = sum.Int64(0), bytes = sum.Int64(1);
    const bool rows_known = sum.Int64(3) == files;
    TARN_ASSIGN_OR_RETURN(
        auto upsert, db.Prepare("INSERT INTO partitions VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?, ?) "
                                "ON CONFLICT (database, table_name, vals) DO UPDATE SET "
                                "file_count = excluded.file_count, bytes = excluded.bytes, "
                                "row_count = excluded.row_count, "
                                "updated_ms = excluded.updated_ms"));
    upsert.Bind(1, t.database);
    upsert.Bind(2, t.name);
    upsert.Bind(3, vals);
    upsert.Bind(4, location_if_new);
    upsert.Bind(5, files);
    upsert.Bind(6, bytes);
    if (rows_known) {
        upsert.Bind(7, sum.Int64(2));
    } else {
        upsert.BindNull(7);
    }
    upsert.Bind(8, now);
    upsert.Bind(9, now);
    return upsert.Run();
}

Status AddFile(SqliteConnection& db, const TableName& t, const DataFile& f, size_t keys,
               int64_t version) {
    if (f.partition_values.size() != keys) return WrongArity(t, f.partition_values, keys);
    {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT 1 FROM retired_files WHERE key = ?"));
        st.Bind(1, f.key);
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (row) {
            return Status::AlreadyExists("file " + f.key + " was retired and awaits deletion");
        }
    }
    TARN_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT OR IGNORE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, f.key);
    st.Bind(2, t.database);
    st.Bind(3, t.name);
    st.Bind(4, ValuesToText(f.partition_values));
    st.Bind(5, static_cast<int64_t>(f.bytes));
    st.Bind(6, f.row_count);
    st.Bind(7, version);
    TARN_RETURN_IF_ERROR(st.Run());
    if (db.Changes() == 0) return Status::AlreadyExists("file " + f.key + " is already committed");
    return Status::Ok();
}

// Takes a live file of the table off the file list, into retired_files (whose objects the lake
// commit deletes) when `retire`; returns its partition values text.
Result<std::string> RetireFile(SqliteConnection& db, const TableName& t, const std::string& key,
                               int64_t version, bool retire) {
    TARN_ASSIGN_OR_RETURN(
        auto find,
        db.Prepare("SELECT vals FROM files WHERE key = ? AND database = ? AND table_name = ?"));
    find.Bind(1, key);
    find.Bind(2, t.database);
    find.Bind(3, t.name);
    TARN_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) {
        return Status::NotFound("file " + key + " is not a live file of " + t.database + "." +
                                t.name);
    }
    std::string vals = find.Text(0);
    TARN_ASSIGN_OR_RETURN(auto del, db.Prepare("DELETE FROM files WHERE key = ?"));
    del.Bind(1, key);
    TARN_RETURN_IF_ERROR(del.Run());
    if (!retire) return vals;
    TARN_ASSIGN_OR_RETURN(auto ins, db.Prepare("INSERT INTO retired_files VALUES (?, ?, ?, ?)"));
    ins.Bind(1, key);
    ins.Bind(2, t.database);
    ins.Bind(3, t.name);
    ins.Bind(4, version);
    TARN_RETURN_IF_ERROR(ins.Run());
    return vals;
}

Status PutCheckpointIn(SqliteConnection& db, std::string_view ns, std::string_view key,
                       std::string_view value) {
    TARN_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT INTO checkpoints VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT (ns, key) DO UPDATE SET "
                                     "value = excluded.value, updated_ms = excluded.updated_ms"));
    st.Bind(1, ns);
    st.Bind(2, key);
    st.Bind(3, value);
    st.Bind(4, NowMs());
    return st.Run();
}

Status DeleteIntent(SqliteConnection& db, int64_t id) {
    TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("DELETE FROM intents WHERE id = ?"));
    st.Bind(1, id);
    TARN_RETURN_IF_ERROR(st.Run());
    if (db.Changes() == 0) {
        return Status::FailedPrecondition("commit intent " + std::to_string(id) +
                                          " is not open (already committed or rolled back)");
    }
    return Status::Ok();
}

// A writer must write new objects: overwriting a committed one would show readers data that is
// not committed yet (and recovering the intent would delete a committed object).
Status RequireUnusedKeys(SqliteConnection& db, const std::vector<std::string>& keys) {
    TARN_ASSIGN_OR_RETURN(auto live, db.Prepare("SELECT 1 FROM files WHERE key = ?"));
    TARN_ASSIGN_OR_RETURN(auto retired, db.Prepare("SELECT 1 FROM retired_files WHERE key = ?"));
    for (const std::string& key : keys) {
        for (SqliteStatement* st : {&live, &retired}) {
            st->Reset();
            st->Bind(1, key);
            TARN_ASSIGN_OR_RETURN(bool row, st->Step());
            if (row) {
                return Status::AlreadyExists("object " + key +
                                             " belongs to a committed file; write a new key");
            }
        }
    }
    return Status::Ok();
}

}  // namespace

// ---- Partitions ----

Result<std::vector<Status>> SqliteCatalog::CreatePartitions(std::string_view database,
                                                            std::string_view table,
                                                            const std::vector<Partition>& parts) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    std::vector<Status> out;
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        out.clear();
        TARN_ASSIGN_OR_RETURN(size_t keys, PartitionKeyCount(db, t.database, t.name));
        const int64_t now = NowMs();
        for (const Partition& p : parts) {
            if (p.values.size() != keys) {
                out.push_back(WrongArity(t, p.values, keys));
                continue;
            }
            bool inserted = false;
            TARN_RETURN_IF_ERROR(InsertPartition(db, t, p, now, &inserted));
            out.push_back(inserted
                              ? Status::Ok()
                              : Status::AlreadyExists(Describe(t, p.values) + " already exists"));
        }
        return Status::Ok();
    }));
    return out;
}

Result<Partition> SqliteCatalog::GetPartition(std::string_view database, std::string_view table,
                                              const std::vector<std::string>& values) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    Partition out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_RETURN_IF_ERROR(RequireTable(db, t.database, t.name));
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare(std::string(kPartitionColumns) +
                                         " WHERE database = ? AND table_name = ? AND vals = ?"));
        st.Bind(1, t.database);
        st.Bind(2, t.name);
        st.Bind(3, ValuesToText(values));
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return Status::NotFound(Describe(t, values) + " not found");
        TARN_ASSIGN_OR_RETURN(out, PartitionFromRow(st));
        return Status::Ok();
    }));
    return out;
}

Result<std::vector<Partition>> SqliteCatalog::ListPartitions(std::string_view database,
                                                             std::string_view table) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    std::vector<Partition> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_RETURN_IF_ERROR(RequireTable(db, t.database, t.name));
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare(std::string(kPartitionColumns) +
                                                  " WHERE database = ? AND table_name = ?"));
        st.Bind(1, t.database);
        st.Bind(2, t.name);
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) break;
            TARN_ASSIGN_OR_RETURN(Partition p, PartitionFromRow(st));
            out.push_back(std::move(p));
        }
        return Status::Ok();
    }));
    // By values, element by element (the stored JSON text does not sort so).
    std::sort(out.begin(), out.end(),
              [](const Partition& a, const Partition& b) { return a.values < b.values; });
    return out;
}

Status SqliteCatalog::UpdatePartition(std::string_view database, std::string_view table,
                                      const std::vector<std::string>& values,
                                      const Partition& partition) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(size_t keys, PartitionKeyCount(db, t.database, t.name));
        if (partition.values.size() != keys) return WrongArity(t, partition.values, keys);
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("UPDATE partitions SET vals = ?, location = ?, "
                                         "parameters = ?, updated_ms = ? WHERE database = ? "
                                         "AND table_name = ? AND vals = ?"));
        st.Bind(1, ValuesToText(partition.values));
        st.Bind(2, partition.location);
        st.Bind(3, MapToText(partition.parameters));
        st.Bind(4, NowMs());
        st.Bind(5, t.database);
        st.Bind(6, t.name);
        st.Bind(7, ValuesToText(values));
        TARN_RETURN_IF_ERROR(st.Run());
        if (db.Changes() == 0) return Status::NotFound(Describe(t, values) + " not found");
        if (partition.values == values) return Status::Ok();
        TARN_ASSIGN_OR_RETURN(auto files, db.Prepare("UPDATE files SET vals = ? WHERE database = ? "
                                                     "AND table_name = ? AND vals = ?"));
        files.Bind(1, ValuesToText(partition.values));
        files.Bind(2, t.database);
        files.Bind(3, t.name);
        files.Bind(4, ValuesToText(values));
        return files.Run();
    });
}

Result<std::vector<Status>> SqliteCatalog::DeletePartitions(
    std::string_view database, std::string_view table,
    const std::vector<std::vector<std::string>>& values) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    std::vector<Status> out;
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        out.clear();
        TARN_RETURN_IF_ERROR(RequireTable(db, t.database, t.name));
        for (const auto& v : values) {
            for (const char* sql :
                 {"DELETE FROM files WHERE database = ? AND table_name = ? AND vals = ?",
                  "DELETE FROM partitions WHERE database = ? AND table_name = ? "
                  "AND vals = ?"}) {
                TARN_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
                st.Bind(1, t.database);
                st.Bind(2, t.name);
                st.Bind(3, ValuesToText(v));
                TARN_RETURN_IF_ERROR(st.Run());
            }
            out.push_back(db.Changes() > 0 ? Status::Ok()
                                           : Status::NotFound(Describe(t, v) + " not found"));
        }
        return Status::Ok();
    }));
    return out;
}

// ---- Files and the lake commit ----

Result<std::vector<DataFile>> SqliteCatalog::ListFiles(std::string_view database,
                                                       std::string_view table) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(database, table));
    std::vector<DataFile> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_RETURN_IF_ERROR(RequireTable(db, t.database, t.name));
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT key, vals, bytes, row_count, "
                                                  "committed_version FROM files WHERE database = ? "
                                                  "AND table_name = ? ORDER BY key"));
        st.Bind(1, t.database);
        st.Bind(2, t.name);
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            DataFile f;
            f.key = st.Text(0);
            TARN_ASSIGN_OR_RETURN(f.partition_values, ValuesFromText(st.Text(1)));
            f.bytes = static_cast<uint64_t>(st.Int64(2));
            if (!st.IsNull(3)) f.row_count = static_cast<uint64_t>(st.Int64(3));
            f.committed_version = st.Int64(4);
            out.push_back(std::move(f));
        }
    }));
    return out;
}

Result<CommitIntent> SqliteCatalog::BeginIntent(CommitIntent intent) {
    TARN_ASSIGN_OR_RETURN(intent.database, NormalizeName("database", intent.database));
    TARN_ASSIGN_OR_RETURN(intent.table, NormalizeName("table", intent.table));
    intent.created_ms = NowMs();
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_RETURN_IF_ERROR(RequireTable(db, intent.database, intent.table));
        TARN_RETURN_IF_ERROR(RequireUnusedKeys(db, intent.keys));
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("INSERT INTO intents (owner, database, table_name, "
                                         "keys, payload, created_ms) VALUES (?, ?, ?, ?, ?, ?)"));
        st.Bind(1, intent.owner);
        st.Bind(2, intent.database);
        st.Bind(3, intent.table);
        st.Bind(4, ValuesToText(intent.keys));
        st.Bind(5, intent.payload);
        st.Bind(6, intent.created_ms);
        TARN_RETURN_IF_ERROR(st.Run());
        intent.id = db.LastInsertRowId();
        return Status::Ok();
    }));
    return intent;
}

Result<std::vector<CommitIntent>> SqliteCatalog::ListIntents() {
    std::vector<CommitIntent> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT id, owner, database, table_name, keys, "
                                                  "payload, created_ms FROM intents ORDER BY id"));
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            CommitIntent i;
            i.id = st.Int64(0);
            i.owner = st.Text(1);
            i.database = st.Text(2);
            i.table = st.Text(3);
            TARN_ASSIGN_OR_RETURN(i.keys, ValuesFromText(st.Text(4)));
            i.payload = st.Text(5);
            i.created_ms = st.Int64(6);
            out.push_back(std::move(i));
        }
    }));
    return out;
}

Status SqliteCatalog::DropIntent(int64_t intent_id) {
    return writer_.Write(
        [&](SqliteConnection& db, int64_t) -> Status { return DeleteIntent(db, intent_id); });
}

Result<int64_t> SqliteCatalog::CommitFiles(const FileCommit& commit) {
    TARN_ASSIGN_OR_RETURN(TableName t, Names(commit.database, commit.table));
    int64_t committed = 0;
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t version) -> Status {
        if (commit.intent_id != 0) TARN_RETURN_IF_ERROR(DeleteIntent(db, commit.intent_id));
        TARN_ASSIGN_OR_RETURN(size_t keys, PartitionKeyCount(db, t.database, t.name));
        // Partition values text -> the location of a partition created by this commit.
        std::map<std::string, std::string> touched;
        for (const DataFile& f : commit.added) {
            TARN_RETURN_IF_ERROR(AddFile(db, t, f, keys, version));
            touched.emplace(ValuesToText(f.partition_values), FolderOf(f.key));
        }
        for (const std::string& key : commit.retired) {
            TARN_ASSIGN_OR_RETURN(std::string vals, RetireFile(db, t, key, version, true));
            touched.emplace(std::move(vals), FolderOf(key));
        }
        for (const std::string& key : commit.forgotten) {
            TARN_ASSIGN_OR_RETURN(std::string vals, RetireFile(db, t, key, version, false));
            touched.emplace(std::move(vals), FolderOf(key));
        }
        if (keys > 0) {
            const int64_t now = NowMs();
            for (const auto& [vals, location] : touched) {
                TARN_RETURN_IF_ERROR(RefreshPartition(db, t, vals, location, now));
            }
        }
        for (const auto& c : commit.checkpoints) {
            TARN_RETURN_IF_ERROR(PutCheckpointIn(db, c.ns, c.key, c.value));
        }
        committed = version;
        return Status::Ok();
    }));
    return committed;
}

Result<std::vector<RetiredFile>> SqliteCatalog::ListRetiredFiles() {
    std::vector<RetiredFile> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("SELECT database, table_name, key, retired_version "
                                         "FROM retired_files ORDER BY retired_version, key"));
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Int64(3)});
        }
    }));
    return out;
}

Status SqliteCatalog::ForgetRetiredFiles(const std::vector<std::string>& keys) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("DELETE FROM retired_files WHERE key = ?"));
        for (const std::string& key : keys) {
            st.Reset();
            st.Bind(1, key);
            TARN_RETURN_IF_ERROR(st.Run());
        }
        return Status::Ok();
    });
}

// ---- Checkpoints ----

Result<std::optional<std::string>> SqliteCatalog::GetCheckpoint(std::string_view ns,
                                                                std::string_view key) {
    std::optional<std::string> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("SELECT value FROM checkpoints WHERE ns = ? AND key = ?"));
        st.Bind(1, ns);
        st.Bind(2, key);
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (row) out = st.Text(0);
        return Status::Ok();
    }));
    return out;
}

Status SqliteCatalog::PutCheckpoint(std::string_view ns, std::string_view key,
                                    std::string_view value) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        return PutCheckpointIn(db, ns, key, value);
    });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteCatalog::ListCheckpoints(
    std::string_view ns) {
    std::vector<std::pair<std::string, std::string>> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(
            auto st, db.Prepare("SELECT key, value FROM checkpoints WHERE ns = ? ORDER BY key"));
        st.Bind(1, ns);
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            out.emplace_back(st.Text(0), st.Text(1));
        }
    }));
    return out;
}

Status SqliteCatalog::DeleteCheckpoints(std::string_view ns, std::optional<std::string_view> key) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare(key ? "DELETE FROM checkpoints WHERE ns = ? AND key = ?"
                                                      : "DELETE FROM checkpoints WHERE ns = ?"));
        st.Bind(1, ns);
        if (key) st.Bind(2, *key);
        return st.Run();
    });
}

}  // namespace tarn::catalog
