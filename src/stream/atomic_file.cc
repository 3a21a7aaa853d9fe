#include "stream/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "stream/file_io.h"

namespace tarn::stream {

Status WriteFileAtomically(const std::string& dir, std::string_view file_name,
                           std::string_view text) {
    const std::string path = dir + "/" + std::string(file_name);
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::FromErrno(errno, "open " + tmp);
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            Status st = Status::FromErrno(errno, "write " + tmp);
            ::close(fd);
            ::unlink(tmp.c_str());
            return st;
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        Status st = Status::FromErrno(errno, "fsync " + tmp);
        ::close(fd);
        ::unlink(tmp.c_str());
        return st;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        Status st = Status::FromErrno(errno, "rename " + tmp);
        ::unlink(tmp.c_str());
        return st;
    }
    return DefaultFileIo()->SyncDir(dir);
}

Result<std::string> ReadWholeFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return Status::NotFound(path + " does not exist");
        return Status::FromErrno(errno, "open " + path);
    }
    std::string text;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            Status st = Status::FromErrno(errno, "read " + path);
            ::close(fd);
            return st;
        }
        if (n == 0) break;
        text.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return text;
}

}  // namespace tarn::stream
