#include "catalog/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace tarn::catalog {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Status SqliteError(sqlite3* db, int code, std::string_view context) {
    std::string message = "sqlite: ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    if (!context.empty()) {
        message += " (in ";
        message += context.substr(0, 120);
        message += ")";
    }
    switch (code & 0xff) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
            return Status::IOError(std::move(message));
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return Status::Corruption(std::move(message));
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Status::Unavailable(std::move(message));
        case SQLITE_CONSTRAINT:
            return Status::AlreadyExists(std::move(message));
        default:
            return Status::Internal(std::move(message));
    }
}

// ---- SqliteStatement ----

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        db_ = other.db_;
    }
    return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::Bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStatement::Bind(int index, std::optional<uint64_t> value) {
    if (value) {
        sqlite3_bind_int64(stmt_, index, static_cast<int64_t>(*value));
    } else {
        sqlite3_bind_null(stmt_, index);
    }
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

Status SqliteStatement::Error(int code) const { return SqliteError(db_, code, sqlite3_sql(stmt_)); }

Result<bool> SqliteStatement::Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error(rc);
}

Status SqliteStatement::Run() {
    for (;;) {
        TARN_ASSIGN_OR_RETURN(bool row, Step());
        if (!row) return Status::Ok();
    }
}

void SqliteStatement::Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStatement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool SqliteStatement::IsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- SqliteConnection ----

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Result<SqliteConnection> SqliteConnection::Open(const std::string& path, bool read_only) {
    sqlite3* db = nullptr;
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    SqliteConnection connection(db);  // closes db on every path
    if (rc != SQLITE_OK) return SqliteError(db, rc, "open " + path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    TARN_RETURN_IF_ERROR(connection.Exec("PRAGMA foreign_keys = ON"));
    return connection;
}

Status SqliteConnection::Exec(std::string_view sql) {
    const std::string text(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    return Status::Ok();
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    return SqliteStatement(stmt, db_);
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

int64_t SqliteConnection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace tarn::catalog
