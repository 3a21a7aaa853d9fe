#include "format/parquet_source.h"

#include <cstring>
#include <optional>
#include <utility>

namespace tarn::format {
namespace {

class ObjectSource final : public RandomAccessSource {
public:
    ObjectSource(storage::ObjectStore* store, std::string key)
        : store_(store), key_(std::move(key)) {}

    const std::string& name() const override { return key_; }

    Result<uint64_t> Size() override {
        if (!size_) {
            TARN_ASSIGN_OR_RETURN(storage::ObjectInfo info, store_->Head(key_));
            size_ = info.size;
        }
        return *size_;
    }

protected:
    Status DoRead(uint64_t offset, uint64_t length, char* dest) override {
        TARN_ASSIGN_OR_RETURN(uint64_t got, store_->GetRangeInto(key_, offset, length, dest));
        if (got != length) {
            return Status::Corruption(key_ + ": read of " + std::to_string(length) +
                                      " bytes at offset " + std::to_string(offset) + " returned " +
                                      std::to_string(got) +
                                      " (the object is shorter than its size said)");
        }
        return Status::Ok();
    }

private:
    storage::ObjectStore* const store_;
    const std::string key_;
    std::optional<uint64_t> size_;
};

class MemorySource final : public RandomAccessSource {
public:
    MemorySource(std::string name, std::string bytes)
        : name_(std::move(name)), bytes_(std::move(bytes)) {}

    const std::string& name() const override { return name_; }
    Result<uint64_t> Size() override { return static_cast<uint64_t>(bytes_.size()); }

protected:
    Status DoRead(uint64_t offset, uint64_t length, char* dest) override {
        if (offset > bytes_.size() || length > bytes_.size() - offset) {
            return Status::InvalidArgument(name_ + ": read of " + std::to_string(length) +
                                           " bytes at offset " + std::to_string(offset) +
                                           " is past the end (" + std::to_string(bytes_.size()) +
                                           " bytes)");
        }
        if (length > 0) std::memcpy(dest, bytes_.data() + offset, length);
        return Status::Ok();
    }

private:
    const std::string name_;
    const std::string bytes_;
};

}  // namespace

std::unique_ptr<RandomAccessSource> MakeObjectSource(storage::ObjectStore* store, std::string key) {
    return std::make_unique<ObjectSource>(store, std::move(key));
}

std::unique_ptr<RandomAccessSource> MakeMemorySource(std::string name, std::string bytes) {
    return std::make_unique<MemorySource>(std::move(name), std::move(bytes));
}

}  // namespace tarn::format
