#include "stream/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace tarn::stream {

namespace {

class PosixFile final : public File {
public:
    PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    ~PosixFile() override { ::close(fd_); }

    Status WriteAt(uint64_t pos, const char* data, size_t size) override {
        while (size > 0) {
            ssize_t n = ::pwrite(fd_, data, size, static_cast<off_t>(pos));
            if (n < 0) {
                if (errno == EINTR) continue;
                return Status::FromErrno(errno, "write " + path_);
            }
            data += n;
            size -= static_cast<size_t>(n);
            pos += static_cast<uint64_t>(n);
        }
        return Status::Ok();
    }
    Status ReadAt(uint64_t pos, char* out, size_t size, size_t* got) const override {
        *got = 0;
        while (*got < size) {
            ssize_t n = ::pread(fd_, out + *got, size - *got, static_cast<off_t>(pos + *got));
            if (n < 0) {
                if (errno == EINTR) continue;
                return Status::FromErrno(errno, "read " + path_);
            }
            if (n == 0) break;
            *got += static_cast<size_t>(n);
        }
        return Status::Ok();
    }
    Status Sync() override {
        if (::fdatasync(fd_) != 0) return Status::FromErrno(errno, "fdatasync " + path_);
        return Status::Ok();
    }
    void DropCache(uint64_t pos, uint64_t size) override {
        (void)::posix_fadvise(fd_, static_cast<off_t>(pos), static_cast<off_t>(size),
                              POSIX_FADV_DONTNEED);
    }
    Status Truncate(uint64_t size) override {
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
            return Status::FromErrno(errno, "ftruncate " + path_);
        }
        return Status::Ok();
    }
    Result<uint64_t> Size() const override {
        struct stat st;
        if (::fstat(fd_, &st) != 0) return Status::FromErrno(errno, "fstat " + path_);
        return static_cast<uint64_t>(st.st_size);
    }

private:
    int fd_;
    std::string path_;
};

class PosixFileIo final : public FileIo {
public:
    Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override {
        const int flags =
            O_RDWR | O_CLOEXEC | (mode == OpenMode::kCreateNew ? O_CREAT | O_EXCL : 0);
        int fd = ::open(path.c_str(), flags, 0644);
        if (fd < 0) {
            const int err = errno;
            if (err == EEXIST) return Status::AlreadyExists(path + " exists");
            if (err == ENOENT) return Status::NotFound(path + " does not exist");
            return Status::FromErrno(err, "open " + path);
        }
        return std::unique_ptr<File>(new PosixFile(fd, path));
    }
    Status SyncDir(const std::string& dir) override {
        int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return Status::FromErrno(errno, "open folder " + dir);
        int rc = ::fsync(fd);
        int err = errno;
        ::close(fd);
        if (rc != 0) return Status::FromErrno(err, "fsync folder " + dir);
        return Status::Ok();
    }
    Status CreateDirs(const std::string& dir) override {
        namespace fs = std::filesystem;
        fs::path p = fs::path(dir).lexically_normal();
        if (p.has_relative_path() && !p.has_filename()) p = p.parent_path();  // trailing '/'
        std::error_code ec;
        if (fs::is_directory(p, ec)) return Status::Ok();
        if (p.has_parent_path() && p.parent_path() != p) {
            TARN_RETURN_IF_ERROR(CreateDirs(p.parent_path().string()));
        }
        if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) {
            return Status::FromErrno(errno, "mkdir " + p.string());
        }
        return SyncDir(p.has_parent_path() ? p.parent_path().string() : ".");
    }
    Status RemoveFile(const std::string& path) override {
        if (::unlink(path.c_str()) != 0) return Status::FromErrno(errno, "unlink " + path);
        return Status::Ok();
    }
    Result<std::vector<std::string>> ListDir(const std::string& dir) override {
        DIR* d = ::opendir(dir.c_str());
        if (d == nullptr) return Status::FromErrno(errno, "opendir " + dir);
        std::vector<std::string> names;
        while (struct dirent* e = ::readdir(d)) {
            std::string_view name(e->d_name);
            if (name != "." && name != "..") names.emplace_back(name);
        }
        ::closedir(d);
        return names;
    }
};

}  // namespace

FileIo* DefaultFileIo() {
    static PosixFileIo* io = new PosixFileIo();
    return io;
}

}  // namespace tarn::stream
