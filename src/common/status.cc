#include "common/status.h"

#include <cerrno>
#include <cstring>

namespace tarn {

std::string_view StatusCodeName(StatusCode code) {
    switch (code) {
        case StatusCode::kOk:
            return "OK";
        case StatusCode::kInvalidArgument:
            return "InvalidArgument";
        case StatusCode::kNotFound:
            return "NotFound";
        case StatusCode::kAlreadyExists:
            return "AlreadyExists";
        case StatusCode::kFailedPrecondition:
            return "FailedPrecondition";
        case StatusCode::kPermissionDenied:
            return "PermissionDenied";
        case StatusCode::kResourceExhausted:
            return "ResourceExhausted";
        case StatusCode::kUnavailable:
            return "Unavailable";
        case StatusCode::kAborted:
            return "Aborted";
        case StatusCode::kCorruption:
            return "Corruption";
        case StatusCode::kIOError:
            return "IOError";
        case StatusCode::kInternal:
            return "Internal";
        case StatusCode::kUnimplemented:
            return "Unimplemented";
        case StatusCode::kExpired:
            return "Expired";
    }
    return "Unknown";
}

Status::Status(StatusCode code, std::string message) {
    if (code != StatusCode::kOk) {
        state_ = std::make_shared<const State>(State{code, std::move(message)});
    }
}

Status Status::FromErrno(int err, std::string_view context) {
    std::string msg(context);
    msg += ": ";
    msg += std::strerror(err);
    if (err == ENOSPC || err == EDQUOT) return ResourceExhausted(std::move(msg));
    if (err == ENOENT) return NotFound(std::move(msg));
    if (err == EACCES || err == EPERM) return PermissionDenied(std::move(msg));
    return IOError(std::move(msg));
}

const std::string& Status::message() const {
    static const std::string kEmpty;
    return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
    if (ok()) return "OK";
    std::string out(StatusCodeName(code()));
    out += ": ";
    out += state_->message;
    return out;
}

Status Status::WithContext(std::string_view context) const {
    if (ok()) return *this;
    std::string msg(context);
    msg += ": ";
    msg += state_->message;
    return Status(code(), std::move(msg));
}

}  // namespace tarn
