// The lake commit: how every writer (delivery, CTAS/INSERT, ETL jobs, compaction) adds files to a
// table, so that a reader sees the old state or the new one, never a mix, and a crash leaves
// nothing behind.
//
//   LakeCommitter lake(catalog, store);
//   TARN_ASSIGN_OR_RETURN(auto intent, lake.Begin({.owner = "ctas", .database = "processed",
//                                                  .table = "events", .keys = {key}}));
//   ... write each object under intent.keys with store.Put / OpenWriter + Commit ...
//   TARN_ASSIGN_OR_RETURN(int64_t version, lake.Commit(intent, {.added = files, .retired = old}));
//
// The steps, and what a crash after each leaves:
//   1. Begin records the intent (the keys about to be written) in the catalog. Crash: an intent
//      with no objects.
//   2. The writer writes its objects (each atomic: LocalStore renames, S3 PUTs). Crash: an intent
//      and some objects that no table lists: orphans.
//   3. Commit runs one catalog transaction: files and partitions registered, replaced files
//      retired, checkpoints set, intent dropped. This is the moment the new state appears.
//   4. Retired files' objects are deleted once no reader holds a lease on a version older than
//      their retirement (CollectGarbage). Crash: retired rows whose objects may be gone; deleting
//      again is harmless.
// Recover (at start, before writers run) removes every open intent's objects and the intent:
// the writer's work is rolled back, as if it never began. Writers that can redo their work
// exactly (delivery replays to byte-identical objects) take their intents first (ListIntents in
// the catalog, by owner) and commit them instead; Recover leaves owners it is told to skip.
//
// Readers take a ReadLease for the catalog version they read at; files retired after it stay
// until the lease is released.
//
// For tests: Options::on_step is called after each step; a test makes it end the process (in a
// forked child) to crash the writer at a chosen point.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "storage/storage.h"

namespace tarn::catalog {

enum class LakeCommitStep : uint8_t {
    kIntentRecorded,    // after step 1
    kObjectWritten,     // after each object of WriteAndCommit (step 2)
    kCatalogCommitted,  // after step 3
    kRetiredDeleted,    // after each retired object is deleted (step 4)
};

// An object to write, for WriteAndCommit.
struct LakeObject {
    DataFile file;     // key, partition values, bytes (filled in from data), row count
    std::string data;  // the whole object
};

class LakeCommitter {
public:
    struct Options {
        std::function<void(LakeCommitStep)> on_step;  // tests only
    };

    // Does not take ownership; both must outlive the committer.
    LakeCommitter(Catalog* catalog, storage::ObjectStore* store, Options options);
    LakeCommitter(Catalog* catalog, storage::ObjectStore* store)
        : LakeCommitter(catalog, store, Options{}) {}

    // Step 1. The table must exist.
    Result<CommitIntent> Begin(CommitIntent intent);
    // Step 3: registers `commit` (its intent_id, database and table are taken from `intent`).
    // Every key added must be one of the intent's. Returns the catalog version it committed.
    Result<int64_t> Commit(const CommitIntent& intent, FileCommit commit);
    // Gives up: deletes the intent's objects (those written so far) and the intent.
    Status Abort(const CommitIntent& intent);

    // Steps 1 to 4 for objects held in memory: Begin, Put each, Commit, CollectGarbage. On a
    // failure before the commit, the objects written are removed (Abort).
    Result<int64_t> WriteAndCommit(CommitIntent intent, std::vector<LakeObject> objects,
                                   std::vector<std::string> retired,
                                   std::vector<FileCommit::Checkpoint> checkpoints = {});

    // Rolls back every open intent whose owner is not in `skip_owners`. Returns how many.
    Result<size_t> Recover(const std::set<std::string>& skip_owners = {});

    // A reader's hold on the files live at `version`.
    class ReadLease {
    public:
        ReadLease(ReadLease&& other) noexcept;
        ReadLease& operator=(ReadLease&&) = delete;
        ~ReadLease();
        int64_t version() const { return version_; }

    private:
        friend class LakeCommitter;
        ReadLease(LakeCommitter* owner, int64_t version) : owner_(owner), version_(version) {}
        LakeCommitter* owner_;
        int64_t version_;
    };
    // A lease on the current catalog version: read ListFiles after taking it.
    Result<ReadLease> AcquireReadLease();

    // Step 4: deletes the objects of retired files that no lease can still read, then forgets
    // them. Returns how many objects were deleted.
    Result<size_t> CollectGarbage();

private:
    void Release(int64_t version);
    void Step(LakeCommitStep step) {
        if (options_.on_step) options_.on_step(step);
    }

    Catalog* catalog_;
    storage::ObjectStore* store_;
    Options options_;
    std::mutex mu_;
    std::map<int64_t, int> leases_;  // version -> readers holding it; guarded by mu_
};

}  // namespace tarn::catalog
