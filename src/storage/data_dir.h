// DataDirLock: one process owns a data dir (DESIGN.md, "On disk").
//
// `tarn server` holds an exclusive flock(2) on DATA/LOCK for as long as it runs; CLI commands that
// would open the data dir themselves (--data) first try to take it, and are told to use --endpoint
// when a server holds it. The LOCK file also says who owns the dir, for that message and for
// `tarn status`:
//
//   pid=<decimal pid>\n
//   endpoint=<url>\n        (once the owner calls SetEndpoint)
//
// The lock belongs to the open file description: it is released when the DataDirLock is destroyed,
// and by the kernel when the process dies, however it dies. A second Acquire in the same process
// conflicts like one from another process. The descriptor is close-on-exec; a child made with
// fork() and no exec() shares the lock until it exits. The LOCK file is never deleted or replaced
// (that would let two processes lock different files); its contents are cleared on release.
// flock is advisory and unreliable on some network file systems; keep data dirs on local disks.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::storage {

// Who holds a data dir, as its LOCK file says.
struct DataDirOwner {
    int64_t pid = 0;       // 0 when the file does not say (yet)
    std::string endpoint;  // "" until the owner has called SetEndpoint
};

class DataDirLock {
public:
    static constexpr std::string_view kLockFileName = "LOCK";

    // Creates `data_dir` (and its parents) when missing, takes the lock without blocking and writes
    // this process's pid into the LOCK file. When another DataDirLock (in any process) holds it:
    // FailedPrecondition, e.g. "data dir ./tarn-data is in use by a tarn server (pid 1234, endpoint
    // http://127.0.0.1:4566); stop it, or use --endpoint http://127.0.0.1:4566 instead of --data".
    static Result<std::unique_ptr<DataDirLock>> Acquire(const std::string& data_dir);

    // Who holds `data_dir`, or nullopt when nobody does (also when the dir does not exist).
    // Never creates anything and never holds the lock: it takes a shared lock for an instant to
    // test (flock has no "test" operation), and Acquire() tells such a probe from an owner and
    // waits it out, so a probe never makes a starting server fail.
    static Result<std::optional<DataDirOwner>> QueryOwner(const std::string& data_dir);
    static Result<bool> IsLocked(const std::string& data_dir);

    // Releases the lock (and clears the LOCK file's contents).
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

    // Records where this process serves (e.g. "http://127.0.0.1:4566"), for QueryOwner and for the
    // message others get from Acquire. REQUIRES: `endpoint` is non-empty and has no line break
    // (InvalidArgument otherwise).
    Status SetEndpoint(std::string_view endpoint);

    const std::string& data_dir() const { return data_dir_; }
    const std::string& lock_path() const { return lock_path_; }

private:
    DataDirLock(std::string data_dir, std::string lock_path, int fd);
    Status WriteOwner(const DataDirOwner& owner);

    const std::string data_dir_;
    const std::string lock_path_;
    const int fd_;  // owned; holds the flock
    std::mutex mu_;
    DataDirOwner owner_;  // guarded by mu_
};

}  // namespace tarn::storage
