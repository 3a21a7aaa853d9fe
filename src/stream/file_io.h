// FileIo: the seam between the stream log and the file system, so that durability and failure
// handling can be tested (fault_file_io.h fails writes and fsyncs on demand, like LevelDB's
// fault-injection Env). Calls are per batch, never per record, so the virtual calls cost nothing.
//
// Errors are Status::FromErrno values: ResourceExhausted for ENOSPC/EDQUOT, IOError otherwise.
// Thread-safety: a FileIo may be used from any thread. A File's const methods (ReadAt, Size) may
// run concurrently with each other and with one thread calling the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace tarn::stream {

class File {
public:
    virtual ~File() = default;
    // Writes all `size` bytes at `pos`, or fails (some of them may have been written).
    virtual Status WriteAt(uint64_t pos, const char* data, size_t size) = 0;
    // Reads up to `size` bytes at `pos`; `*got` < `size` only at the end of the file.
    virtual Status ReadAt(uint64_t pos, char* out, size_t size, size_t* got) const = 0;
    // Makes the written bytes and the file's size durable (fdatasync).
    virtual Status Sync() = 0;
    virtual Status Truncate(uint64_t size) = 0;
    virtual Result<uint64_t> Size() const = 0;
    // Advice, best effort: bytes [pos, pos + size), already durable, will not be read soon, so the
    // OS may drop them from its page cache (posix_fadvise DONTNEED). Never fails.
    virtual void DropCache(uint64_t pos, uint64_t size) {
        (void)pos;
        (void)size;
    }
};

class FileIo {
public:
    enum class OpenMode : uint8_t { kCreateNew, kExisting };

    virtual ~FileIo() = default;
    // kCreateNew fails with AlreadyExists when `path` exists; kExisting with NotFound when not.
    virtual Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) = 0;
    // Makes `dir`'s entries (created or removed files) durable.
    virtual Status SyncDir(const std::string& dir) = 0;
    // Creates `dir` and missing parents; OK when it exists. Makes the new entries durable.
    virtual Status CreateDirs(const std::string& dir) = 0;
    virtual Status RemoveFile(const std::string& path) = 0;
    // Names (not paths) of the entries of `dir`, unordered.
    virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
};

// The real file system (POSIX calls). Lives for the whole process.
FileIo* DefaultFileIo();

}  // namespace tarn::stream
