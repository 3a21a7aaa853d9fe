#include "catalog/lake_commit.h"

#include <algorithm>

namespace tarn::catalog {

LakeCommitter::LakeCommitter(Catalog* catalog, storage::ObjectStore* store, Options options)
    : catalog_(catalog), store_(store), options_(std::move(options)) {}

Result<CommitIntent> LakeCommitter::Begin(CommitIntent intent) {
    TARN_ASSIGN_OR_RETURN(CommitIntent recorded, catalog_->BeginIntent(std::move(intent)));
    Step(LakeCommitStep::kIntentRecorded);
    return recorded;
}

Result<int64_t> LakeCommitter::Commit(const CommitIntent& intent, FileCommit commit) {
    const std::set<std::string> promised(intent.keys.begin(), intent.keys.end());
    for (const DataFile& f : commit.added) {
        if (!promised.contains(f.key)) {
            return Status::InvalidArgument("lake commit: " + f.key +
                                           " is not an object of intent " +
                                           std::to_string(intent.id));
        }
    }
    commit.intent_id = intent.id;
    commit.database = intent.database;
    commit.table = intent.table;
    TARN_ASSIGN_OR_RETURN(int64_t version, catalog_->CommitFiles(commit));
    Step(LakeCommitStep::kCatalogCommitted);
    return version;
}

Status LakeCommitter::Abort(const CommitIntent& intent) {
    for (const std::string& key : intent.keys) {
        TARN_RETURN_IF_ERROR(store_->Delete(key));  // OK when it was never written
    }
    return catalog_->DropIntent(intent.id);
}

Result<int64_t> LakeCommitter::WriteAndCommit(CommitIntent intent, std::vector<LakeObject> objects,
                                              std::vector<std::string> retired,
                                              std::vector<FileCommit::Checkpoint> checkpoints) {
    intent.keys.clear();
    for (const LakeObject& o : objects) intent.keys.push_back(o.file.key);
    TARN_ASSIGN_OR_RETURN(CommitIntent begun, Begin(std::move(intent)));
    FileCommit commit;
    for (LakeObject& o : objects) {
        if (Status s = store_->Put(o.file.key, o.data); !s.ok()) {
            (void)Abort(begun);  // best effort; Recover finishes the job after a crash
            return s;
        }
        Step(LakeCommitStep::kObjectWritten);
        o.file.bytes = o.data.size();
        commit.added.push_back(std::move(o.file));
    }
    commit.retired = std::move(retired);
    commit.checkpoints = std::move(checkpoints);
    auto version = Commit(begun, std::move(commit));
    if (!version.ok()) {
        (void)Abort(begun);
        return version.status();
    }
    TARN_RETURN_IF_ERROR(CollectGarbage().status());
    return version;
}

Result<size_t> LakeCommitter::Recover(const std::set<std::string>& skip_owners) {
    TARN_ASSIGN_OR_RETURN(auto intents, catalog_->ListIntents());
    size_t rolled_back = 0;
    for (const CommitIntent& intent : intents) {
        if (skip_owners.contains(intent.owner)) continue;
        TARN_RETURN_IF_ERROR(Abort(intent));
        ++rolled_back;
    }
    return rolled_back;
}

// ---- Leases and garbage ----

LakeCommitter::ReadLease::ReadLease(ReadLease&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), version_(other.version_) {}

LakeCommitter::ReadLease::~ReadLease() {
    if (owner_ != nullptr) owner_->Release(version_);
}

Result<LakeCommitter::ReadLease> LakeCommitter::AcquireReadLease() {
    // Hold the lock across reading the version, so that CollectGarbage cannot run between the
    // read and the registration and delete a file this reader is about to list.
    std::lock_guard lock(mu_);
    TARN_ASSIGN_OR_RETURN(int64_t version, catalog_->CurrentVersion());
    ++leases_[version];
    return ReadLease(this, version);
}

void LakeCommitter::Release(int64_t version) {
    std::lock_guard lock(mu_);
    auto it = leases_.find(version);
    if (it != leases_.end() && --it->second == 0) leases_.erase(it);
}

Result<size_t> LakeCommitter::CollectGarbage() {
    TARN_ASSIGN_OR_RETURN(auto retired, catalog_->ListRetiredFiles());
    int64_t oldest_reader = INT64_MAX;
    {
        std::lock_guard lock(mu_);
        if (!leases_.empty()) oldest_reader = leases_.begin()->first;
    }
    // A reader at version V lists the files live at V; a file retired at R > V is among them.
    std::vector<std::string> deleted;
    for (const RetiredFile& f : retired) {
        if (f.retired_version > oldest_reader) continue;
        TARN_RETURN_IF_ERROR(store_->Delete(f.key));
        Step(LakeCommitStep::kRetiredDeleted);
        deleted.push_back(f.key);
    }
    if (!deleted.empty()) TARN_RETURN_IF_ERROR(catalog_->ForgetRetiredFiles(deleted));
    return deleted.size();
}

}  // namespace tarn::catalog
