// TempDir: a fresh directory from mkdtemp(3), removed with everything in it when it goes away.
//
// It is made under $TMPDIR (or /tmp) as "<prefix>XXXXXX". Before removal the owner gets full
// permissions on it back, so a test may chmod it to provoke permission errors. A failure to make
// the directory aborts the test binary; a failure to remove it is ignored.
//
// Thread-safety: path() may be read from any thread.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace tarn::testing {

class TempDir {
public:
    explicit TempDir(std::string_view prefix) {
        const char* base = std::getenv("TMPDIR");
        std::string pattern =
            std::string(base && *base ? base : "/tmp") + "/" + std::string(prefix) + "XXXXXX";
        char* made = ::mkdtemp(pattern.data());
        if (made == nullptr) std::abort();
        path_ = made;
    }
    ~TempDir() {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace tarn::testing
