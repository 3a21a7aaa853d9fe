#include "cli/local_files.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "storage/local_store.h"

namespace tarn::cli {
namespace {

// An object of a store, named in messages by the path the user typed.
class NamedSource final : public format::RandomAccessSource {
public:
    NamedSource(std::unique_ptr<storage::LocalStore> store, const std::string& key,
                std::string name)
        : store_(std::move(store)),
          inner_(format::MakeObjectSource(store_.get(), key)),
          name_(std::move(name)) {}

    const std::string& name() const override { return name_; }
    Result<uint64_t> Size() override { return inner_->Size(); }

protected:
    Status DoRead(uint64_t offset, uint64_t length, char* dest) override {
        return inner_->ReadInto(offset, length, dest);
    }

private:
    std::unique_ptr<storage::LocalStore> store_;
    std::unique_ptr<format::RandomAccessSource> inner_;
    const std::string name_;
};

}  // namespace

Result<std::unique_ptr<format::RandomAccessSource>> OpenLocalSource(const std::string& path) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (real == nullptr) return Status::FromErrno(errno, path);
    const std::string resolved(real);
    std::free(real);
    struct stat st {};
    if (::stat(resolved.c_str(), &st) != 0) return Status::FromErrno(errno, path);
    if (S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + ": is a directory");
    const size_t slash = resolved.rfind('/');
    const std::string dir = slash == 0 ? "/" : resolved.substr(0, slash);
    const std::string key = resolved.substr(slash + 1);
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<storage::LocalStore> store,
                          storage::LocalStore::Open(dir));
    return std::unique_ptr<format::RandomAccessSource>(
        std::make_unique<NamedSource>(std::move(store), key, path));
}

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Status::FromErrno(err, path);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        return Status::InvalidArgument(path + ": is a directory");
    }
    const auto size = static_cast<size_t>(st.st_size);
    if (size == 0) {
        ::close(fd);
        return std::unique_ptr<MappedFile>(new MappedFile("", 0));
    }
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd);  // the mapping keeps the file
    if (data == MAP_FAILED) return Status::FromErrno(err, path);
    ::madvise(data, size, MADV_SEQUENTIAL);
    return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const char*>(data), size));
}

MappedFile::~MappedFile() {
    if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace tarn::cli
