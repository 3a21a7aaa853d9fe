#include "storage/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <random>
#include <system_error>
#include <utility>
#include <vector>

#include "common/logging.h"
#include "storage/key_rules.h"
#include "storage/list_collector.h"

// Why paths are walked with openat() + O_NOFOLLOW, one segment at a time:
//
// A key must never reach outside the root, even when someone plants a symbolic link inside it
// ("lake/raw -> /etc"). Checking with realpath() and then opening the path is racy: the link can
// appear between the check and the open. Linux's openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
// would do it in one call, but it is Linux-only (5.6+) and tarn also builds on macOS. So every
// operation starts from the root's descriptor and opens each folder of the key with
// openat(parent_fd, segment, O_DIRECTORY | O_NOFOLLOW), then works on the final name relative to
// the last folder's descriptor (openat/renameat/unlinkat/fstatat with O_NOFOLLOW or
// AT_SYMLINK_NOFOLLOW). No path is ever resolved through a link, so there is no window to race,
// and a key costs one open per segment (tarn's keys have about seven).
//
// Concurrent Delete removes folders it leaves empty, so a Put can find the folder it just opened
// gone (creating a file in a removed folder fails with ENOENT); Put then starts over.

namespace tarn::storage {

namespace {

constexpr int kMaxPutAttempts = 16;
constexpr size_t kWriterBufferBytes = 1 << 20;

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            Reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~UniqueFd() { Reset(); }
    int get() const { return fd_; }
    // Closes the descriptor; returns close()'s errno, or 0.
    int Reset() {
        int err = 0;
        if (fd_ >= 0 && ::close(fd_) != 0) err = errno;
        fd_ = -1;
        return err;
    }

private:
    int fd_ = -1;
};

std::string Context(std::string_view op, std::string_view key) {
    std::string out(op);
    out += ' ';
    out += key;
    return out;
}

Status OsError(std::string_view op, std::string_view key, int err) {
    return Status::FromErrno(err, Context(op, key));
}

// fsync/rename failures: ENOSPC stays ResourceExhausted; others are Unavailable (the write may
// succeed when retried from scratch), with the step named.
Status StepError(std::string_view op, std::string_view key, std::string_view step, int err) {
    Status s = Status::FromErrno(err, Context(op, key) + ": " + std::string(step));
    if (s.code() == StatusCode::kResourceExhausted) return s;
    return Status::Unavailable(s.message());
}

Status NoSuchObject(std::string_view op, std::string_view key) {
    return Status::NotFound(Context(op, key) + ": no such object");
}

Status SymlinkRefused(std::string_view op, std::string_view key, std::string_view path) {
    return Status::InvalidArgument(Context(op, key) + ": \"" + std::string(path) +
                                   "\" is a symbolic link inside the store root; LocalStore never "
                                   "follows links");
}

Status ObjectIsFolder(std::string_view op, std::string_view key) {
    return Status::FailedPrecondition(
        Context(op, key) + ": objects exist under \"" + std::string(key) +
        "/\", and LocalStore cannot hold an object and a folder with the same name");
}

Status FolderIsObject(std::string_view op, std::string_view key, std::string_view path) {
    return Status::FailedPrecondition(
        Context(op, key) + ": \"" + std::string(path) +
        "\" is an object, and LocalStore cannot hold an object and a folder with the same name");
}

// The key rules of storage.h plus the file-name length limit.
Status CheckKey(std::string_view op, std::string_view key) {
    Status s = ValidateKey(key);
    if (!s.ok()) return Status(s.code(), std::string(op) + ": " + s.message());
    size_t begin = 0;
    while (begin <= key.size()) {
        size_t end = key.find('/', begin);
        if (end == std::string_view::npos) end = key.size();
        if (end - begin > kMaxLocalSegmentBytes) {
            return Status::InvalidArgument(std::string(op) + ": invalid key " +
                                           QuoteForMessage(key) + ": a segment is longer than " +
                                           std::to_string(kMaxLocalSegmentBytes) +
                                           " bytes, the file-name limit of LocalStore");
        }
        begin = end + 1;
    }
    return Status::Ok();
}

// Splits a valid key into its folder segments and its final name.
std::vector<std::string_view> FolderSegments(std::string_view key, std::string_view* name) {
    std::vector<std::string_view> segments;
    size_t begin = 0;
    size_t end;
    while ((end = key.find('/', begin)) != std::string_view::npos) {
        segments.push_back(key.substr(begin, end - begin));
        begin = end + 1;
    }
    *name = key.substr(begin);
    return segments;
}

int WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    return 0;
}

int FsyncFd(int fd) {
    while (::fsync(fd) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

std::chrono::system_clock::time_point MtimeOf(const struct stat& st) {
#if defined(__APPLE__)
    const struct timespec& ts = st.st_mtimespec;
#else
    const struct timespec& ts = st.st_mtim;
#endif
    auto since_epoch = std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

// The folders of a key, opened from the root.
struct FolderWalk {
    enum class Outcome {
        kOk,
        kMissing,    // a folder does not exist (or vanished while creating it: retry)
        kNotFolder,  // a folder of the key is an object (or another non-folder)
        kSymlink,    // a folder of the key is a symbolic link
        kError,      // `error` says what
    };
    Outcome outcome = Outcome::kOk;
    std::string path;  // kNotFolder, kSymlink: the key prefix that is not a folder
    Status error;
    std::vector<UniqueFd> chain;  // kOk: the root, then one descriptor per folder segment
};

// Opens the folders `segments` below `root_fd`, creating missing ones when `create` (each new
// folder is made durable by fsyncing its parent). `op` and `key` name OS errors.
FolderWalk WalkFolders(int root_fd, const std::vector<std::string_view>& segments, bool create,
                       std::string_view op, std::string_view key) {
    FolderWalk walk;
    int root = ::openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        walk.outcome = FolderWalk::Outcome::kError;
        walk.error = OsError(op, key, errno);
        return walk;
    }
    walk.chain.emplace_back(root);
    std::string path;
    for (std::string_view segment : segments) {
        if (!path.empty()) path += '/';
        path.append(segment);
        const std::string name(segment);
        int parent = walk.chain.back().get();
        int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && create) {
            if (::mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST) {
                int err = errno;
                walk.outcome =
                    err == ENOENT ? FolderWalk::Outcome::kMissing : FolderWalk::Outcome::kError;
                walk.error = OsError(op, key, err);
                return walk;
            }
            // Also after EEXIST: the creator may not have fsynced the parent yet, and this Put
            // must not be acknowledged before the folder's entry is durable.
            if (int err = FsyncFd(parent); err != 0) {
                walk.outcome = FolderWalk::Outcome::kError;
                walk.error = StepError(op, key, "fsync folder", err);
                return walk;
            }
            fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0) {
            int err = errno;
            walk.path = path;
            if (err == ENOENT) {
                walk.outcome = FolderWalk::Outcome::kMissing;
            } else if (err == ENOTDIR || err == ELOOP) {
                // O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR or ELOOP: look closer.
                struct stat st;
                if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                    walk.outcome = FolderWalk::Outcome::kMissing;
                } else if (S_ISLNK(st.st_mode)) {
                    walk.outcome = FolderWalk::Outcome::kSymlink;
                } else {
                    walk.outcome = FolderWalk::Outcome::kNotFolder;
                }
            } else {
                walk.outcome = FolderWalk::Outcome::kError;
                walk.error = OsError(op, key, err);
            }
            return walk;
        }
        walk.chain.emplace_back(fd);
    }
    return walk;
}

// Maps a failed walk for the read operations (get, range, head).
Status ReadWalkError(const FolderWalk& walk, std::string_view op, std::string_view key) {
    switch (walk.outcome) {
        case FolderWalk::Outcome::kOk:
            return Status::Ok();
        case FolderWalk::Outcome::kMissing:
        case FolderWalk::Outcome::kNotFolder:
            return NoSuchObject(op, key);
        case FolderWalk::Outcome::kSymlink:
            return SymlinkRefused(op, key, walk.path);
        case FolderWalk::Outcome::kError:
            return walk.error;
    }
    return Status::Internal("unreachable");
}

class LocalObjectWriter final : public ObjectWriter {
public:
    LocalObjectWriter(std::string key, UniqueFd folder, UniqueFd file, std::string temp_name,
                      std::string name)
        : key_(std::move(key)),
          folder_(std::move(folder)),
          file_(std::move(file)),
          temp_name_(std::move(temp_name)),
          name_(std::move(name)) {}

    ~LocalObjectWriter() override {
        if (!finished_) RemoveTemp();
    }

    Status Append(std::string_view data) override {
        if (finished_) {
            return Status::FailedPrecondition(Context("put", key_) + ": writer finished");
        }
        if (!error_.ok()) return error_;
        size_ += data.size();
        if (buffer_.size() + data.size() <= kWriterBufferBytes) {
            buffer_.append(data);
            return Status::Ok();
        }
        TARN_RETURN_IF_ERROR(Flush());
        if (data.size() >= kWriterBufferBytes) return Write(data);
        buffer_.append(data);
        return Status::Ok();
    }

    Status Commit() override {
        if (finished_) {
            return Status::FailedPrecondition(Context("put", key_) + ": writer finished");
        }
        finished_ = true;
        Status s = error_.ok() ? Publish() : error_;
        if (!s.ok()) {
            error_ = s;
            RemoveTemp();
        }
        return s;
    }

    uint64_t size() const override { return size_; }
    const std::string& key() const override { return key_; }

private:
    Status Write(std::string_view data) {
        if (int err = WriteAll(file_.get(), data); err != 0) error_ = OsError("put", key_, err);
        return error_;
    }

    Status Flush() {
        if (buffer_.empty()) return Status::Ok();
        Status s = Write(buffer_);
        buffer_.clear();
        return s;
    }

    // Flush, fsync, close, rename over the target, fsync the folder. On error the caller removes
    // the temporary (harmless if the rename already happened: it is gone then).
    Status Publish() {
        TARN_RETURN_IF_ERROR(Flush());
        std::string().swap(buffer_);
        if (int err = FsyncFd(file_.get()); err != 0) return StepError("put", key_, "fsync", err);
        if (int err = file_.Reset(); err != 0) return StepError("put", key_, "close", err);
        if (::renameat(folder_.get(), temp_name_.c_str(), folder_.get(), name_.c_str()) != 0) {
            int err = errno;
            if (err == EISDIR || err == ENOTEMPTY || err == EEXIST) {
                return ObjectIsFolder("put", key_);
            }
            return StepError("put", key_, "rename", err);
        }
        renamed_ = true;
        if (int err = FsyncFd(folder_.get()); err != 0) {
            return StepError("put", key_, "fsync folder", err);
        }
        return Status::Ok();
    }

    void RemoveTemp() {
        file_.Reset();
        if (renamed_) return;
        if (::unlinkat(folder_.get(), temp_name_.c_str(), 0) != 0 && errno != ENOENT) {
            TARN_LOG_WARN("storage.temp_remove_failed",
                          {{"key", key_}, {"temp", temp_name_}, {"errno", errno}});
        }
    }

    const std::string key_;
    UniqueFd folder_;
    UniqueFd file_;
    const std::string temp_name_;
    const std::string name_;
    std::string buffer_;
    uint64_t size_ = 0;
    Status error_;
    bool finished_ = false;
    bool renamed_ = false;
};

std::atomic<uint64_t> g_temp_counter{0};

struct DirEntry {
    std::string sort_key;  // the name, plus '/' for a folder: siblings sort as their keys do
    bool is_folder = false;
    std::string_view name() const {
        return std::string_view(sort_key).substr(0, sort_key.size() - (is_folder ? 1 : 0));
    }
};

// A directory stream over `dir_fd` (which stays open and owned by the caller); close it with
// closedir().
Result<DIR*> OpenDirStream(int dir_fd, std::string_view context) {
    int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, context);
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        int err = errno;
        ::close(fd);
        return Status::FromErrno(err, context);
    }
    return dir;
}

// The files and folders of `dir_fd` whose names start with `name_filter` and could be key
// segments, sorted so that their keys come out in byte-wise order: "a-b" < "a.b" < "a/..." < "a0".
// Temporaries, symbolic links and other kinds of entries are left out.
Result<std::vector<DirEntry>> ReadFolder(int dir_fd, std::string_view name_filter,
                                         std::string_view context) {
    TARN_ASSIGN_OR_RETURN(DIR * dir, OpenDirStream(dir_fd, context));
    std::vector<DirEntry> entries;
    while (true) {
        errno = 0;
        struct dirent* ent = ::readdir(dir);
        if (ent == nullptr) break;
        std::string_view name(ent->d_name);
        if (name == "." || name == ".." || !name.starts_with(name_filter)) continue;
        if (!SegmentProblem(name).empty() || !IsValidUtf8(name)) continue;  // incl. temporaries
        bool is_folder;
        unsigned char type = ent->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (::fstatat(dir_fd, ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
        }
        if (type == DT_DIR) {
            is_folder = true;
        } else if (type == DT_REG) {
            is_folder = false;
        } else {
            continue;
        }
        DirEntry entry{std::string(name), is_folder};
        if (is_folder) entry.sort_key += '/';
        entries.push_back(std::move(entry));
    }
    int err = errno;
    ::closedir(dir);
    if (err != 0) return Status::FromErrno(err, context);
    std::sort(entries.begin(), entries.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.sort_key < b.sort_key; });
    return entries;
}

// Offers the keys under `dir_fd` (whose keys start with `key_prefix`) to `collector`, in order,
// skipping the folders it rules out without reading them.
Status ListFolder(int dir_fd, std::string& key_prefix, std::string_view name_filter,
                  ListCollector& collector, std::string_view context) {
    TARN_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, ReadFolder(dir_fd, name_filter, context));
    const size_t base = key_prefix.size();
    for (const DirEntry& entry : entries) {
        // Also true once the page is full, or once this folder was rolled up into a common prefix.
        if (collector.CanSkip(key_prefix)) break;
        key_prefix += entry.sort_key;
        std::string name(entry.name());
        if (entry.is_folder) {
            if (key_prefix.size() < kMaxKeyBytes && !collector.CanSkip(key_prefix)) {
                int fd =
                    ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                    UniqueFd sub(fd);
                    Status s = ListFolder(sub.get(), key_prefix, "", collector, context);
                    if (!s.ok()) return s;
                } else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) {
                    return Status::FromErrno(errno, context);
                }  // else: removed or replaced since it was read
            }
        } else if (key_prefix.size() <= kMaxKeyBytes) {
            ListCollector::Verdict verdict = collector.Offer(key_prefix);
            if (verdict == ListCollector::Verdict::kTake) {
                struct stat st;
                if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    S_ISREG(st.st_mode)) {
                    collector.AddObject(
                        {key_prefix, static_cast<uint64_t>(st.st_size), MtimeOf(st)});
                }  // else: deleted since it was read
            }
        }
        key_prefix.resize(base);
        if (collector.done()) break;
    }
    key_prefix.resize(base);
    return Status::Ok();
}

// Removes temporaries not tagged `own_tag` and empty folders below `dir_fd`.
Status SweepFolder(int dir_fd, const std::string& path, const std::string& own_tag,
                   size_t* removed) {
    std::string context = "remove temporaries in " + (path.empty() ? std::string(".") : path);
    TARN_ASSIGN_OR_RETURN(DIR * dir, OpenDirStream(dir_fd, context));
    std::vector<std::string> temps;
    std::vector<std::string> folders;
    while (true) {
        errno = 0;
        struct dirent* ent = ::readdir(dir);
        if (ent == nullptr) break;
        std::string_view name(ent->d_name);
        if (name == "." || name == "..") continue;
        struct stat st;
        if (::fstatat(dir_fd, ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (name.starts_with(kReservedPrefix)) {
            if (S_ISREG(st.st_mode) && !name.starts_with(own_tag)) temps.emplace_back(name);
        } else if (S_ISDIR(st.st_mode)) {
            folders.emplace_back(name);
        }
    }
    int err = errno;
    ::closedir(dir);
    if (err != 0) return Status::FromErrno(err, context);

    for (const std::string& name : temps) {
        if (::unlinkat(dir_fd, name.c_str(), 0) == 0) {
            ++*removed;
        } else if (errno != ENOENT) {
            return Status::FromErrno(errno, context + "/" + name);
        }
    }
    for (const std::string& name : folders) {
        std::string sub_path = path.empty() ? name : path + "/" + name;
        int sub = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;  // removed or replaced meanwhile
        UniqueFd sub_fd(sub);
        TARN_RETURN_IF_ERROR(SweepFolder(sub_fd.get(), sub_path, own_tag, removed));
        sub_fd.Reset();
        // Fails with ENOTEMPTY unless the folder holds nothing: fine either way.
        (void)::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR);
    }
    return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<LocalStore>> LocalStore::Open(const std::string& root) {
    if (root.empty()) return Status::InvalidArgument("local store: empty root path");
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) {
        return Status::FromErrno(ec.value(), "local store: create root " + root);
    }
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, "local store: open root " + root);

    // A random tag per store instance, so that RemoveTemporaries() can tell its own writers'
    // temporaries from a crashed process's (a pid is not enough: in a container it is always 1).
    std::random_device random;
    uint64_t token = (static_cast<uint64_t>(random()) << 32) ^ random();
    char hex[17];
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) hex[i] = kHex[(token >> (60 - 4 * i)) & 0xF];
    hex[16] = '\0';
    std::string tag = std::string(kReservedPrefix) + hex + "-";
    return std::unique_ptr<LocalStore>(new LocalStore(root, fd, std::move(tag)));
}

LocalStore::LocalStore(std::string root, int root_fd, std::string temp_tag)
    : root_(std::move(root)), root_fd_(root_fd), temp_tag_(std::move(temp_tag)) {}

LocalStore::~LocalStore() { ::close(root_fd_); }

Status LocalStore::Put(std::string_view key, std::string_view data) {
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<ObjectWriter> writer, OpenWriter(key));
    TARN_RETURN_IF_ERROR(writer->Append(data));
    return writer->Commit();
}

Result<std::unique_ptr<ObjectWriter>> LocalStore::OpenWriter(std::string_view key) {
    TARN_RETURN_IF_ERROR(CheckKey("put", key));
    std::string_view name_view;
    std::vector<std::string_view> segments = FolderSegments(key, &name_view);
    const std::string name(name_view);
    for (int attempt = 0; attempt < kMaxPutAttempts; ++attempt) {
        FolderWalk walk = WalkFolders(root_fd_, segments, /*create=*/true, "put", key);
        switch (walk.outcome) {
            case FolderWalk::Outcome::kOk:
                break;
            case FolderWalk::Outcome::kMissing:
                continue;  // a concurrent Delete removed it
            case FolderWalk::Outcome::kNotFolder:
                return FolderIsObject("put", key, walk.path);
            case FolderWalk::Outcome::kSymlink:
                return SymlinkRefused("put", key, walk.path);
            case FolderWalk::Outcome::kError:
                return walk.error;
        }
        int folder = walk.chain.back().get();
        struct stat st;
        if (::fstatat(folder, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode)) return ObjectIsFolder("put", key);
            if (S_ISLNK(st.st_mode)) return SymlinkRefused("put", key, key);
        } else if (errno != ENOENT) {
            return OsError("put", key, errno);
        }
        std::string temp = temp_tag_ + std::to_string(g_temp_counter.fetch_add(1));
        int fd = ::openat(folder, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            if (errno == ENOENT || errno == EEXIST) continue;  // folder removed; name taken
            return OsError("put", key, errno);
        }
        return std::unique_ptr<ObjectWriter>(new LocalObjectWriter(
            std::string(key), std::move(walk.chain.back()), UniqueFd(fd), std::move(temp), name));
    }
    return Status::Unavailable(Context("put", key) +
                               ": its folder kept being removed by concurrent deletes");
}

namespace {

struct OpenedObject {
    UniqueFd fd;
    uint64_t size = 0;
    std::chrono::system_clock::time_point mtime;
};

Result<OpenedObject> OpenObject(int root_fd, std::string_view op, std::string_view key) {
    TARN_RETURN_IF_ERROR(CheckKey(op, key));
    std::string_view name_view;
    std::vector<std::string_view> segments = FolderSegments(key, &name_view);
    FolderWalk walk = WalkFolders(root_fd, segments, /*create=*/false, op, key);
    TARN_RETURN_IF_ERROR(ReadWalkError(walk, op, key));
    const std::string name(name_view);
    // O_NONBLOCK: opening a FIFO planted under the root must not hang.
    int fd = ::openat(walk.chain.back().get(), name.c_str(),
                      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR) return NoSuchObject(op, key);
        if (err == ELOOP) return SymlinkRefused(op, key, key);
        return OsError(op, key, err);
    }
    OpenedObject object;
    object.fd = UniqueFd(fd);
    struct stat st;
    if (::fstat(fd, &st) != 0) return OsError(op, key, errno);
    if (S_ISDIR(st.st_mode)) return NoSuchObject(op, key);
    if (!S_ISREG(st.st_mode)) {
        return Status::FailedPrecondition(Context(op, key) + ": not a regular file");
    }
    object.size = static_cast<uint64_t>(st.st_size);
    object.mtime = MtimeOf(st);
    return object;
}

Status ReadAt(const OpenedObject& object, uint64_t offset, uint64_t length, char* dest,
              std::string_view op, std::string_view key) {
    uint64_t done = 0;
    while (done < length) {
        ssize_t n =
            ::pread(object.fd.get(), dest + done, length - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return OsError(op, key, errno);
        }
        if (n == 0) {
            // Objects are immutable; a file that shrinks was changed behind the store's back.
            return Status::IOError(Context(op, key) + ": object shrank while being read");
        }
        done += static_cast<uint64_t>(n);
    }
    return Status::Ok();
}

Result<std::string> ReadAt(const OpenedObject& object, uint64_t offset, uint64_t length,
                           std::string_view op, std::string_view key) {
    std::string out(length, '\0');
    TARN_RETURN_IF_ERROR(ReadAt(object, offset, length, out.data(), op, key));
    return out;
}

// The bytes GetRange and GetRangeInto read: InvalidArgument for a range that starts past the end.
Result<uint64_t> RangeLength(const OpenedObject& object, uint64_t offset, uint64_t length,
                             std::string_view key) {
    if (offset > object.size || (offset == object.size && length > 0)) {
        return Status::InvalidArgument(Context("get range", key) + ": offset " +
                                       std::to_string(offset) + " is past the end (size " +
                                       std::to_string(object.size) + ")");
    }
    return std::min(length, object.size - offset);
}

}  // namespace

Result<std::string> LocalStore::Get(std::string_view key) {
    TARN_ASSIGN_OR_RETURN(OpenedObject object, OpenObject(root_fd_, "get", key));
    return ReadAt(object, 0, object.size, "get", key);
}

Result<std::string> LocalStore::GetRange(std::string_view key, uint64_t offset, uint64_t length) {
    TARN_ASSIGN_OR_RETURN(OpenedObject object, OpenObject(root_fd_, "get range", key));
    TARN_ASSIGN_OR_RETURN(uint64_t n, RangeLength(object, offset, length, key));
    return ReadAt(object, offset, n, "get range", key);
}

Result<uint64_t> LocalStore::GetRangeInto(std::string_view key, uint64_t offset, uint64_t length,
                                          char* dest) {
    TARN_ASSIGN_OR_RETURN(OpenedObject object, OpenObject(root_fd_, "get range", key));
    TARN_ASSIGN_OR_RETURN(uint64_t n, RangeLength(object, offset, length, key));
    TARN_RETURN_IF_ERROR(ReadAt(object, offset, n, dest, "get range", key));
    return n;
}

Result<ObjectInfo> LocalStore::Head(std::string_view key) {
    TARN_RETURN_IF_ERROR(CheckKey("head", key));
    std::string_view name_view;
    std::vector<std::string_view> segments = FolderSegments(key, &name_view);
    FolderWalk walk = WalkFolders(root_fd_, segments, /*create=*/false, "head", key);
    TARN_RETURN_IF_ERROR(ReadWalkError(walk, "head", key));
    const std::string name(name_view);
    struct stat st;
    if (::fstatat(walk.chain.back().get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return NoSuchObject("head", key);
        return OsError("head", key, errno);
    }
    if (S_ISLNK(st.st_mode)) return SymlinkRefused("head", key, key);
    if (S_ISDIR(st.st_mode)) return NoSuchObject("head", key);
    if (!S_ISREG(st.st_mode)) {
        return Status::FailedPrecondition(Context("head", key) + ": not a regular file");
    }
    return ObjectInfo{std::string(key), static_cast<uint64_t>(st.st_size), MtimeOf(st)};
}

Result<ListPage> LocalStore::List(std::string_view prefix, const ListOptions& options) {
    if (options.max_keys == 0) {
        return Status::InvalidArgument(Context("list", prefix) + ": max_keys must be at least 1");
    }
    if (prefix.size() > kMaxKeyBytes) {
        return Status::InvalidArgument("list: prefix longer than " + std::to_string(kMaxKeyBytes) +
                                       " bytes");
    }
    // The folder part of the prefix ("raw/" of "raw/ev") is walked; the rest filters names.
    size_t slash = prefix.rfind('/');
    std::string_view folder_part =
        slash == std::string_view::npos ? std::string_view() : prefix.substr(0, slash + 1);
    std::string_view name_filter = prefix.substr(folder_part.size());
    std::vector<std::string_view> segments;
    for (size_t begin = 0; begin < folder_part.size();) {
        size_t end = folder_part.find('/', begin);
        std::string_view segment = folder_part.substr(begin, end - begin);
        if (!SegmentProblem(segment).empty() || segment.size() > kMaxLocalSegmentBytes) {
            return ListPage{};  // no valid key has this prefix
        }
        segments.push_back(segment);
        begin = end + 1;
    }
    FolderWalk walk = WalkFolders(root_fd_, segments, /*create=*/false, "list", prefix);
    if (walk.outcome == FolderWalk::Outcome::kError) return walk.error;
    if (walk.outcome != FolderWalk::Outcome::kOk) return ListPage{};

    ListCollector collector(prefix, options);
    std::string key_prefix(folder_part);
    const std::string context = Context("list", prefix);
    TARN_RETURN_IF_ERROR(
        ListFolder(walk.chain.back().get(), key_prefix, name_filter, collector, context));
    return std::move(collector).Finish();
}

Status LocalStore::Delete(std::string_view key) {
    TARN_RETURN_IF_ERROR(CheckKey("delete", key));
    std::string_view name_view;
    std::vector<std::string_view> segments = FolderSegments(key, &name_view);
    FolderWalk walk = WalkFolders(root_fd_, segments, /*create=*/false, "delete", key);
    switch (walk.outcome) {
        case FolderWalk::Outcome::kOk:
            break;
        case FolderWalk::Outcome::kMissing:
        case FolderWalk::Outcome::kNotFolder:
            return Status::Ok();
        case FolderWalk::Outcome::kSymlink:
            return SymlinkRefused("delete", key, walk.path);
        case FolderWalk::Outcome::kError:
            return walk.error;
    }
    const std::string name(name_view);
    int folder = walk.chain.back().get();
    struct stat st;
    if (::fstatat(folder, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode)) return SymlinkRefused("delete", key, key);
        if (S_ISDIR(st.st_mode)) return Status::Ok();  // a folder of other objects, not an object
        if (::unlinkat(folder, name.c_str(), 0) != 0 && errno != ENOENT) {
            return OsError("delete", key, errno);
        }
    } else if (errno != ENOENT) {
        return OsError("delete", key, errno);
    }
    // Remove the folders left empty, deepest first, up to (not including) the root. A concurrent
    // Put that loses its folder this way starts over (see the comment at the top).
    for (size_t i = segments.size(); i > 0; --i) {
        const std::string folder_name(segments[i - 1]);
        if (::unlinkat(walk.chain[i - 1].get(), folder_name.c_str(), AT_REMOVEDIR) != 0) {
            int err = errno;
            if (err != ENOTEMPTY && err != EEXIST && err != ENOENT && err != EBUSY) {
                TARN_LOG_WARN("storage.remove_folder_failed", {{"key", key}, {"errno", err}});
            }
            break;
        }
    }
    return Status::Ok();
}

Result<size_t> LocalStore::RemoveTemporaries() {
    size_t removed = 0;
    TARN_RETURN_IF_ERROR(SweepFolder(root_fd_, "", temp_tag_, &removed));
    if (removed > 0) {
        TARN_LOG_INFO("storage.temporaries_removed", {{"root", root_}, {"count", removed}});
    }
    return removed;
}

}  // namespace tarn::storage
