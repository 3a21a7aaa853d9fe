// FaultFileIo: a FileIo that forwards to another one and fails writes, fsyncs and truncations on
// demand, and counts calls. For tests of this module and of modules above it (an API test can make
// a put see a full disk), like LevelDB's fault-injection Env.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "stream/file_io.h"

namespace tarn::stream {

class FaultFileIo final : public FileIo {
public:
    // Does not take ownership of `base`, which must outlive this and every File it opened.
    explicit FaultFileIo(FileIo* base) : base_(base) {}

    // The next `count` File::WriteAt calls write the first `partial_bytes` bytes (at most the whole
    // buffer) and then fail with `err` (ENOSPC, EIO, ...).
    void FailWrites(int err, int count = 1, size_t partial_bytes = 0);
    // The next `count` File::Sync calls fail with `err` (nothing is synced).
    void FailSyncs(int err, int count = 1);
    // The next `count` File::Truncate calls fail with `err`.
    void FailTruncates(int err, int count = 1);
    // Called at the start of every File::Sync (outside any lock of this class); e.g. a test gate.
    void SetSyncHook(std::function<void()> hook);

    uint64_t file_syncs() const { return file_syncs_.load(); }
    uint64_t dir_syncs() const { return dir_syncs_.load(); }
    uint64_t writes() const { return writes_.load(); }
    // Every File::DropCache call so far: which bytes of which file were let go of.
    struct DroppedRange {
        std::string path;
        uint64_t pos = 0, size = 0;
    };
    std::vector<DroppedRange> dropped_cache();

    Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override;
    Status SyncDir(const std::string& dir) override;
    Status CreateDirs(const std::string& dir) override;
    Status RemoveFile(const std::string& path) override;
    Result<std::vector<std::string>> ListDir(const std::string& dir) override;

private:
    friend class FaultFile;
    // Each returns 0 (no fault) or the errno to fail with, consuming one planned fault.
    int TakeWriteFault(size_t* partial_bytes);
    int TakeSyncFault();
    int TakeTruncateFault();

    FileIo* base_;
    std::mutex mu_;
    int write_err_ = 0, write_count_ = 0;
    size_t write_partial_ = 0;
    int sync_err_ = 0, sync_count_ = 0;
    int truncate_err_ = 0, truncate_count_ = 0;
    std::function<void()> sync_hook_;
    std::vector<DroppedRange> dropped_;
    std::atomic<uint64_t> file_syncs_{0}, dir_syncs_{0}, writes_{0};
};

}  // namespace tarn::stream
