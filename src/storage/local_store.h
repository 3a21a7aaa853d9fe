// LocalStore: an ObjectStore over files under one root directory (the lake of a local data dir,
// DATA/lake). Key "raw/events/x.json" is the file ROOT/raw/events/x.json.
//
// Durability: Put (and ObjectWriter::Commit) writes a temporary file in the target's directory,
// fsyncs it, renames it over the target and fsyncs the directory; directories it creates are made
// durable by fsyncing their parents. So an acknowledged Put survives a crash, and a reader never
// sees a partial object. Delete is not fsynced: a crash right after it may bring the object back
// (callers that retire objects re-delete orphans).
//
// Temporaries are named "<kReservedPrefix><store-token>-<n>", a prefix no key may use: List never
// shows them, and RemoveTemporaries() sweeps those a crash left behind.
//
// Confinement: a key never reaches outside the root. Keys are checked by ValidateKey (storage.h)
// plus a 255-byte limit per segment (the file-name limit). Symbolic links inside the root are never
// followed, whatever they point to: a key whose path crosses one is refused (InvalidArgument), and
// List skips them. (See local_store.cc for why paths are walked with openat + O_NOFOLLOW.)
//
// Files and folders: S3 can hold both "a" and "a/b"; a file system cannot. Writing "a/b" while the
// object "a" exists, or "a" while objects "a/..." exist, is FailedPrecondition and changes nothing.
// Reading "a" when only "a/..." exists is NotFound, as is reading "a/b" when "a" is an object.
// tarn's own layouts never need both.
//
// Files put under the root by hand are objects too, if their path is a valid key; other entries
// (symlinks, sockets, names that are not valid key segments) are skipped by List.
//
// Thread-safety: all methods may be called from many threads; writers are independent. Several
// LocalStores (in one or more processes) over one root are safe, but RemoveTemporaries() of one
// fails the open writers of the others (their Commit reports an error; nothing is corrupted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/storage.h"

namespace tarn::storage {

// Longest key segment LocalStore can store (NAME_MAX on Linux and macOS).
inline constexpr size_t kMaxLocalSegmentBytes = 255;

class LocalStore final : public ObjectStore {
public:
    // Opens the store rooted at `root`, creating the directory (and its parents) when missing.
    // `root` itself may be a symbolic link; nothing under it is followed.
    static Result<std::unique_ptr<LocalStore>> Open(const std::string& root);
    ~LocalStore() override;

    Status Put(std::string_view key, std::string_view data) override;
    // The writer's temporary file is created now (so folder conflicts fail here). The writer may
    // outlive the store.
    Result<std::unique_ptr<ObjectWriter>> OpenWriter(std::string_view key) override;
    Result<std::string> Get(std::string_view key) override;
    Result<std::string> GetRange(std::string_view key, uint64_t offset, uint64_t length) override;
    Result<uint64_t> GetRangeInto(std::string_view key, uint64_t offset, uint64_t length,
                                  char* dest) override;
    Result<ObjectInfo> Head(std::string_view key) override;
    Result<ListPage> List(std::string_view prefix, const ListOptions& options) override;
    // Also removes the folders the deletion leaves empty, up to (not including) the root.
    Status Delete(std::string_view key) override;

    // Removes the temporary files under the root except those of this store's open writers (left
    // by a crash, or by another LocalStore over the same root, whose writers then fail), and the
    // folders left empty. Returns how many temporaries were removed. Call it at startup, while
    // holding the DataDirLock.
    Result<size_t> RemoveTemporaries();

    const std::string& root() const { return root_; }

private:
    LocalStore(std::string root, int root_fd, std::string temp_tag);

    const std::string root_;
    const int root_fd_;           // owned; O_DIRECTORY
    const std::string temp_tag_;  // "<kReservedPrefix><random token>-": this store's temporaries
};

}  // namespace tarn::storage
