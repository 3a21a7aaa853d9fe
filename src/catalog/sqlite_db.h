// A thin, Status-returning wrapper over the SQLite C API, for the catalog's store.
//
//   TARN_ASSIGN_OR_RETURN(auto db, SqliteConnection::Open(path, /*read_only=*/false));
//   TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
//   st.Bind(1, "version");
//   TARN_ASSIGN_OR_RETURN(bool row, st.Step());
//   if (row) version = st.Int64(0);
//
// Errors carry SQLite's message and the statement ("sqlite: UNIQUE constraint failed: ... (in
// INSERT INTO ...)"). SQLITE_FULL and SQLITE_IOERR become IOError, SQLITE_CORRUPT and
// SQLITE_NOTADB Corruption, SQLITE_BUSY/LOCKED Unavailable, constraint violations AlreadyExists,
// anything else Internal.
// Thread-safety: a connection and its statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tarn::catalog {

class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    ~SqliteStatement();

    // Parameters are 1-based, as in SQLite. Text is copied.
    void Bind(int index, std::string_view text);
    void Bind(int index, const char* text) { Bind(index, std::string_view(text)); }
    void Bind(int index, int64_t value);
    void Bind(int index, std::optional<uint64_t> value);  // NULL when empty
    void BindNull(int index);

    // True when a row is ready, false when the statement is done.
    Result<bool> Step();
    // Steps to the end (for statements without rows).
    Status Run();
    // Makes the statement ready to run again, with its bindings cleared.
    void Reset();

    int64_t Int64(int column) const;
    std::string Text(int column) const;
    bool IsNull(int column) const;

private:
    friend class SqliteConnection;
    SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    Status Error(int code) const;

    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
};

class SqliteConnection {
public:
    SqliteConnection() = default;
    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    ~SqliteConnection();

    // Opens the database file (creating it unless read_only) with extended result codes and a
    // busy timeout; foreign keys on.
    static Result<SqliteConnection> Open(const std::string& path, bool read_only);

    // Runs one or more statements without results.
    Status Exec(std::string_view sql);
    Result<SqliteStatement> Prepare(std::string_view sql);
    // Rows changed by the last INSERT/UPDATE/DELETE.
    int64_t Changes() const;
    int64_t LastInsertRowId() const;

private:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

// The Status for SQLite result `code` with the connection's message, in `context`.
Status SqliteError(sqlite3* db, int code, std::string_view context);

}  // namespace tarn::catalog
