#include "storage/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

#include "common/logging.h"

namespace tarn::storage {

namespace {

// How Acquire waits out QueryOwner probes, which hold a shared lock for microseconds.
constexpr std::chrono::milliseconds kFirstRetryDelay{1};
constexpr std::chrono::milliseconds kMaxRetryDelay{16};
constexpr std::chrono::milliseconds kMaxProbeWait{5000};
constexpr size_t kMaxOwnerBytes = 4096;

std::string LockPath(const std::string& data_dir) {
    std::string path = data_dir;
    if (!path.empty() && path.back() != '/') path += '/';
    path += DataDirLock::kLockFileName;
    return path;
}

// Parses the complete "key=value\n" lines of a LOCK file; a line still being written (no '\n'
// yet) and unknown keys are ignored.
DataDirOwner ParseOwner(std::string_view text) {
    DataDirOwner owner;
    size_t end;
    while ((end = text.find('\n')) != std::string_view::npos) {
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = line.substr(0, eq);
        std::string_view value = line.substr(eq + 1);
        if (key == "pid") {
            int64_t pid = 0;
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), pid);
            if (ec == std::errc() && ptr == value.data() + value.size() && pid > 0) owner.pid = pid;
        } else if (key == "endpoint") {
            owner.endpoint = std::string(value);
        }
    }
    return owner;
}

std::string FormatOwner(const DataDirOwner& owner) {
    std::string out = "pid=" + std::to_string(owner.pid) + "\n";
    if (!owner.endpoint.empty()) out += "endpoint=" + owner.endpoint + "\n";
    return out;
}

DataDirOwner ReadOwnerOnce(int fd) {
    std::string buf(kMaxOwnerBytes, '\0');
    size_t got = 0;
    while (got < buf.size()) {
        ssize_t n = ::pread(fd, buf.data() + got, buf.size() - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
    }
    buf.resize(got);
    return ParseOwner(buf);
}

// The owner's info. An owner that has just taken the lock may not have written it yet: look
// again briefly before settling for "unknown".
DataDirOwner ReadOwner(int fd) {
    DataDirOwner owner;
    for (int attempt = 0; attempt < 3; ++attempt) {
        owner = ReadOwnerOnce(fd);
        if (owner.pid != 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return owner;
}

std::string InUseMessage(const std::string& data_dir, const DataDirOwner& owner) {
    std::string msg = "data dir " + data_dir + " is in use by ";
    if (owner.pid == 0) {
        return msg +
               "another process; stop it, or use --endpoint with the server's address "
               "instead of --data";
    }
    msg += "a tarn server (pid " + std::to_string(owner.pid);
    if (owner.endpoint.empty()) {
        return msg +
               ", no endpoint published yet); stop it, or use --endpoint with its address "
               "instead of --data";
    }
    return msg + ", endpoint " + owner.endpoint + "); stop it, or use --endpoint " +
           owner.endpoint + " instead of --data";
}

int FlockRetryingEintr(int fd, int operation) {
    while (::flock(fd, operation) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::string& data_dir) {
    if (data_dir.empty()) return Status::InvalidArgument("data dir: empty path");
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return Status::FromErrno(ec.value(), "data dir " + data_dir + ": create");
    std::string path = LockPath(data_dir);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::FromErrno(errno, "data dir " + data_dir + ": open LOCK");

    // When the exclusive lock is busy, a shared one tells who holds it: if it is refused too, an
    // owner holds the exclusive lock; if it is granted, only QueryOwner probes were there (each for
    // an instant, unless descheduled), so wait a little and try again.
    auto fail = [&](Status s) {
        ::close(fd);
        return s;
    };
    std::chrono::milliseconds delay = kFirstRetryDelay;
    auto deadline = std::chrono::steady_clock::now() + kMaxProbeWait;
    while (true) {
        int err = FlockRetryingEintr(fd, LOCK_EX | LOCK_NB);
        if (err == 0) break;
        if (err != EWOULDBLOCK) {
            return fail(Status::FromErrno(err, "data dir " + data_dir + ": lock LOCK"));
        }
        err = FlockRetryingEintr(fd, LOCK_SH | LOCK_NB);
        if (err == EWOULDBLOCK) {
            return fail(Status::FailedPrecondition(InUseMessage(data_dir, ReadOwner(fd))));
        }
        if (err != 0) return fail(Status::FromErrno(err, "data dir " + data_dir + ": lock LOCK"));
        (void)FlockRetryingEintr(fd, LOCK_UN);
        if (std::chrono::steady_clock::now() >= deadline) {
            return fail(Status::Unavailable("data dir " + data_dir +
                                            ": LOCK stayed busy with status probes; try again"));
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, kMaxRetryDelay);
    }

    std::unique_ptr<DataDirLock> lock(new DataDirLock(data_dir, std::move(path), fd));
    // A crashed owner's text may still be there; clear it before writing ours.
    if (::ftruncate(fd, 0) != 0) {
        return Status::FromErrno(errno, "data dir " + data_dir + ": write LOCK");
    }
    DataDirOwner owner;
    owner.pid = static_cast<int64_t>(::getpid());
    TARN_RETURN_IF_ERROR(lock->WriteOwner(owner));
    TARN_LOG_INFO("storage.data_dir_locked", {{"data_dir", data_dir}, {"pid", owner.pid}});
    return lock;
}

Result<std::optional<DataDirOwner>> DataDirLock::QueryOwner(const std::string& data_dir) {
    std::string path = LockPath(data_dir);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<DataDirOwner>();
        return Status::FromErrno(errno, "data dir " + data_dir + ": open LOCK");
    }
    std::optional<DataDirOwner> result;
    int err = FlockRetryingEintr(fd, LOCK_SH | LOCK_NB);
    if (err == 0) {
        (void)FlockRetryingEintr(fd, LOCK_UN);
    } else if (err == EWOULDBLOCK) {
        result = ReadOwner(fd);
    } else {
        ::close(fd);
        return Status::FromErrno(err, "data dir " + data_dir + ": test LOCK");
    }
    ::close(fd);
    return result;
}

Result<bool> DataDirLock::IsLocked(const std::string& data_dir) {
    TARN_ASSIGN_OR_RETURN(std::optional<DataDirOwner> owner, QueryOwner(data_dir));
    return owner.has_value();
}

DataDirLock::DataDirLock(std::string data_dir, std::string lock_path, int fd)
    : data_dir_(std::move(data_dir)), lock_path_(std::move(lock_path)), fd_(fd) {}

DataDirLock::~DataDirLock() {
    // Clear first, so nobody reads a dead owner's pid; closing releases the lock.
    if (::ftruncate(fd_, 0) != 0) {
        TARN_LOG_WARN("storage.data_dir_clear_failed", {{"data_dir", data_dir_}, {"errno", errno}});
    }
    ::close(fd_);
}

Status DataDirLock::SetEndpoint(std::string_view endpoint) {
    if (endpoint.empty() || endpoint.find_first_of("\r\n") != std::string_view::npos) {
        return Status::InvalidArgument("data dir " + data_dir_ +
                                       ": endpoint must be one non-empty line");
    }
    std::lock_guard<std::mutex> guard(mu_);
    DataDirOwner owner = owner_;
    owner.endpoint = std::string(endpoint);
    return WriteOwner(owner);
}

// Writes the whole text at offset 0, then cuts what is left of a longer old text: the pid line
// comes first and never changes, so a concurrent reader sees it whole.
Status DataDirLock::WriteOwner(const DataDirOwner& owner) {
    std::string text = FormatOwner(owner);
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::pwrite(fd_, text.data() + done, text.size() - done, static_cast<off_t>(done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return Status::FromErrno(errno, "data dir " + data_dir_ + ": write LOCK");
        }
        done += static_cast<size_t>(n);
    }
    if (::ftruncate(fd_, static_cast<off_t>(text.size())) != 0) {
        return Status::FromErrno(errno, "data dir " + data_dir_ + ": write LOCK");
    }
    owner_ = owner;
    return Status::Ok();
}

}  // namespace tarn::storage
