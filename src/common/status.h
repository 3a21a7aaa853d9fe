// Status and Result<T>: how errors cross module boundaries in tarn.
//
// A Status is either OK (cheap: no allocation) or a code plus a message. Result<T> holds a value or
// a non-OK Status. Both are [[nodiscard]]: an ignored error is a compile warning (an error in CI).
// Exceptions never cross a module boundary; code that calls a throwing library catches at the call
// site and returns a Status. Codes map to AWS error shapes, SQLSTATEs and HTTP codes in api/ only.
//
// Thread-safety: values; a const Status may be read from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tarn {

enum class StatusCode : uint8_t {
    kOk = 0,
    kInvalidArgument,     // the caller's input is wrong; retrying the same call fails again
    kNotFound,            // the named thing does not exist
    kAlreadyExists,       // creating something whose name is taken
    kFailedPrecondition,  // the system is not in a state that allows the call (e.g. dir locked)
    kPermissionDenied,    // not allowed
    kResourceExhausted,   // a limit was reached (disk full, quota, too large); may succeed later
    kUnavailable,         // transient: retry may succeed (shutting down, fsync failed)
    kAborted,             // a concurrent change won; retry the whole operation
    kCorruption,          // stored data is damaged
    kIOError,             // the operating system failed an I/O call
    kInternal,            // a bug: an invariant did not hold
    kUnimplemented,       // a feature that this version of tarn does not have
    kExpired,             // a token or iterator that was valid is now too old; get a new one
};

// Short stable name of a code, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
public:
    Status() = default;  // OK
    Status(StatusCode code, std::string message);

    static Status Ok() { return Status(); }
    static Status InvalidArgument(std::string msg) {
        return {StatusCode::kInvalidArgument, std::move(msg)};
    }
    static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
    static Status AlreadyExists(std::string msg) {
        return {StatusCode::kAlreadyExists, std::move(msg)};
    }
    static Status FailedPrecondition(std::string msg) {
        return {StatusCode::kFailedPrecondition, std::move(msg)};
    }
    static Status PermissionDenied(std::string msg) {
        return {StatusCode::kPermissionDenied, std::move(msg)};
    }
    static Status ResourceExhausted(std::string msg) {
        return {StatusCode::kResourceExhausted, std::move(msg)};
    }
    static Status Unavailable(std::string msg) {
        return {StatusCode::kUnavailable, std::move(msg)};
    }
    static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
    static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
    static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
    static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
    static Status Unimplemented(std::string msg) {
        return {StatusCode::kUnimplemented, std::move(msg)};
    }
    static Status Expired(std::string msg) { return {StatusCode::kExpired, std::move(msg)}; }
    // An IOError (or ResourceExhausted for ENOSPC/EDQUOT) from an errno value:
    // "<context>: <strerror>".
    static Status FromErrno(int err, std::string_view context);

    bool ok() const { return state_ == nullptr; }
    StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
    // Empty for OK.
    const std::string& message() const;
    // "OK" or "<CodeName>: <message>".
    std::string ToString() const;

    // A copy whose message is "<context>: <message>"; OK stays OK.
    Status WithContext(std::string_view context) const;

    friend bool operator==(const Status& a, const Status& b) {
        return a.code() == b.code() && a.message() == b.message();
    }

private:
    struct State {
        StatusCode code;
        std::string message;
    };
    // Shared and immutable: copying a Status is cheap and OK costs nothing.
    std::shared_ptr<const State> state_;
};

// A value of T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
    Result(Status status) : data_(std::in_place_index<1>, std::move(status)) {  // NOLINT
        if (std::get<1>(data_).ok()) {
            data_.template emplace<1>(Status::Internal("Result constructed from an OK Status"));
        }
    }

    bool ok() const { return data_.index() == 0; }
    const Status& status() const {
        static const Status kOk;
        return ok() ? kOk : std::get<1>(data_);
    }

    // REQUIRES: ok().
    T& value() & { return std::get<0>(data_); }
    const T& value() const& { return std::get<0>(data_); }
    T&& value() && { return std::get<0>(std::move(data_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Status> data_;
};

}  // namespace tarn

#define TARN_CONCAT_INNER_(a, b) a##b
#define TARN_CONCAT_(a, b) TARN_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define TARN_RETURN_IF_ERROR(expr)                   \
    do {                                             \
        ::tarn::Status tarn_status_ = (expr);        \
        if (!tarn_status_.ok()) return tarn_status_; \
    } while (0)

// `TARN_ASSIGN_OR_RETURN(auto x, F());` declares x from F()'s value or returns its Status.
#define TARN_ASSIGN_OR_RETURN(lhs, expr) \
    TARN_ASSIGN_OR_RETURN_IMPL_(TARN_CONCAT_(tarn_result_, __LINE__), lhs, expr)
#define TARN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                              \
    if (!tmp.ok()) return tmp.status();             \
    lhs = std::move(tmp).value()
