#include "stream/fault_file_io.h"

#include <algorithm>

namespace tarn::stream {

class FaultFile final : public File {
public:
    FaultFile(FaultFileIo* io, std::unique_ptr<File> base, std::string path)
        : io_(io), base_(std::move(base)), path_(std::move(path)) {}

    Status WriteAt(uint64_t pos, const char* data, size_t size) override {
        io_->writes_.fetch_add(1);
        size_t partial = 0;
        if (int err = io_->TakeWriteFault(&partial)) {
            partial = std::min(partial, size);
            if (partial > 0) TARN_RETURN_IF_ERROR(base_->WriteAt(pos, data, partial));
            return Status::FromErrno(err, "write " + path_ + " (injected)");
        }
        return base_->WriteAt(pos, data, size);
    }
    Status ReadAt(uint64_t pos, char* out, size_t size, size_t* got) const override {
        return base_->ReadAt(pos, out, size, got);
    }
    Status Sync() override {
        std::function<void()> hook;
        {
            std::lock_guard lock(io_->mu_);
            hook = io_->sync_hook_;
        }
        if (hook) hook();
        io_->file_syncs_.fetch_add(1);
        if (int err = io_->TakeSyncFault()) {
            return Status::FromErrno(err, "fdatasync " + path_ + " (injected)");
        }
        return base_->Sync();
    }
    Status Truncate(uint64_t size) override {
        if (int err = io_->TakeTruncateFault()) {
            return Status::FromErrno(err, "ftruncate " + path_ + " (injected)");
        }
        return base_->Truncate(size);
    }
    Result<uint64_t> Size() const override { return base_->Size(); }
    void DropCache(uint64_t pos, uint64_t size) override {
        {
            std::lock_guard lock(io_->mu_);
            io_->dropped_.push_back({path_, pos, size});
        }
        base_->DropCache(pos, size);
    }

private:
    FaultFileIo* io_;
    std::unique_ptr<File> base_;
    std::string path_;
};

void FaultFileIo::FailWrites(int err, int count, size_t partial_bytes) {
    std::lock_guard lock(mu_);
    write_err_ = err;
    write_count_ = count;
    write_partial_ = partial_bytes;
}

void FaultFileIo::FailSyncs(int err, int count) {
    std::lock_guard lock(mu_);
    sync_err_ = err;
    sync_count_ = count;
}

void FaultFileIo::FailTruncates(int err, int count) {
    std::lock_guard lock(mu_);
    truncate_err_ = err;
    truncate_count_ = count;
}

void FaultFileIo::SetSyncHook(std::function<void()> hook) {
    std::lock_guard lock(mu_);
    sync_hook_ = std::move(hook);
}

std::vector<FaultFileIo::DroppedRange> FaultFileIo::dropped_cache() {
    std::lock_guard lock(mu_);
    return dropped_;
}

int FaultFileIo::TakeWriteFault(size_t* partial_bytes) {
    std::lock_guard lock(mu_);
    if (write_count_ <= 0) return 0;
    --write_count_;
    *partial_bytes = write_partial_;
    return write_err_;
}

int FaultFileIo::TakeSyncFault() {
    std::lock_guard lock(mu_);
    if (sync_count_ <= 0) return 0;
    --sync_count_;
    return sync_err_;
}

int FaultFileIo::TakeTruncateFault() {
    std::lock_guard lock(mu_);
    if (truncate_count_ <= 0) return 0;
    --truncate_count_;
    return truncate_err_;
}

Result<std::unique_ptr<File>> FaultFileIo::OpenFile(const std::string& path, OpenMode mode) {
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<File> base, base_->OpenFile(path, mode));
    return std::unique_ptr<File>(new FaultFile(this, std::move(base), path));
}

Status FaultFileIo::SyncDir(const std::string& dir) {
    dir_syncs_.fetch_add(1);
    return base_->SyncDir(dir);
}

Status FaultFileIo::CreateDirs(const std::string& dir) { return base_->CreateDirs(dir); }
Status FaultFileIo::RemoveFile(const std::string& path) { return base_->RemoveFile(path); }
Result<std::vector<std::string>> FaultFileIo::ListDir(const std::string& dir) {
    return base_->ListDir(dir);
}

}  // namespace tarn::stream
