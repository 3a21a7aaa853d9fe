#include "storage/data_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/logging.h"
#include "testing/files.h"
#include "testing/temp_dir.h"

namespace tarn::storage {
namespace {

namespace fs = std::filesystem;

using tarn::testing::ReadFile;
using tarn::testing::TempDir;

// Exit status of a forked child that tries flock(LOCK_EX | LOCK_NB) on `path` on its own open
// file description: 0 when it got the lock, 1 when it is held, 2 on another error.
int ChildTryLock(const std::string& path) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(path.c_str(), O_RDWR);
        if (fd < 0) ::_exit(2);
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::_exit(0);
        ::_exit(errno == EWOULDBLOCK ? 1 : 2);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DataDirLockTest, AcquireCreatesTheDirAndRecordsTheOwner) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/nested/tarn-data";
    auto lock = DataDirLock::Acquire(dir);
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    EXPECT_EQ((*lock)->data_dir(), dir);
    EXPECT_EQ((*lock)->lock_path(), dir + "/LOCK");
    const std::string pid = std::to_string(::getpid());
    EXPECT_EQ(ReadFile(dir + "/LOCK"), "pid=" + pid + "\n");

    auto owner = DataDirLock::QueryOwner(dir);
    ASSERT_TRUE(owner.ok()) << owner.status().ToString();
    ASSERT_TRUE(owner->has_value());
    EXPECT_EQ((*owner)->pid, ::getpid());
    EXPECT_EQ((*owner)->endpoint, "");

    ASSERT_TRUE((*lock)->SetEndpoint("http://127.0.0.1:45666").ok());
    ASSERT_TRUE((*lock)->SetEndpoint("http://127.0.0.1:4566").ok());  // shorter: no old tail
    EXPECT_EQ(ReadFile(dir + "/LOCK"), "pid=" + pid + "\nendpoint=http://127.0.0.1:4566\n");
    owner = DataDirLock::QueryOwner(dir);
    ASSERT_TRUE(owner.ok() && owner->has_value());
    EXPECT_EQ((*owner)->endpoint, "http://127.0.0.1:4566");
    EXPECT_EQ(*DataDirLock::IsLocked(dir), true);

    EXPECT_EQ((*lock)->SetEndpoint("").code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*lock)->SetEndpoint("http://x\npid=1").code(), StatusCode::kInvalidArgument);
}

TEST(DataDirLockTest, SecondAcquireInTheSameProcessFailsWithTheOwner) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/tarn-data";
    auto first = DataDirLock::Acquire(dir);
    ASSERT_TRUE(first.ok()) << first.status().ToString();

    auto second = DataDirLock::Acquire(dir);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
    const std::string pid = std::to_string(::getpid());
    EXPECT_EQ(second.status().message(),
              "data dir " + dir + " is in use by a tarn server (pid " + pid +
                  ", no endpoint published yet); stop it, or use --endpoint with its address "
                  "instead of --data");

    ASSERT_TRUE((*first)->SetEndpoint("http://127.0.0.1:4566").ok());
    second = DataDirLock::Acquire(dir);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().message(),
              "data dir " + dir + " is in use by a tarn server (pid " + pid +
                  ", endpoint http://127.0.0.1:4566); stop it, or use --endpoint "
                  "http://127.0.0.1:4566 instead of --data");
    // The failed attempt changed nothing.
    EXPECT_EQ(ReadFile(dir + "/LOCK"), "pid=" + pid + "\nendpoint=http://127.0.0.1:4566\n");
}

TEST(DataDirLockTest, ReleasedOnDestruction) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/tarn-data";
    auto lock = DataDirLock::Acquire(dir);
    ASSERT_TRUE(lock.ok());
    ASSERT_TRUE((*lock)->SetEndpoint("http://127.0.0.1:4566").ok());
    lock->reset();
    EXPECT_EQ(*DataDirLock::IsLocked(dir), false);
    EXPECT_EQ(ReadFile(dir + "/LOCK"), "");  // no stale owner left behind
    EXPECT_TRUE(fs::exists(dir + "/LOCK"));  // never deleted
    auto again = DataDirLock::Acquire(dir);
    EXPECT_TRUE(again.ok()) << again.status().ToString();
}

TEST(DataDirLockTest, OtherProcessesSeeItHeld) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/tarn-data";
    std::string path = dir + "/LOCK";
    {
        auto lock = DataDirLock::Acquire(dir);
        ASSERT_TRUE(lock.ok());
        EXPECT_EQ(ChildTryLock(path), 1);
        if (fs::exists("/usr/bin/flock")) {
            EXPECT_NE(std::system(("/usr/bin/flock -n " + path + " true").c_str()), 0);
        }
    }
    EXPECT_EQ(ChildTryLock(path), 0);
    if (fs::exists("/usr/bin/flock")) {
        EXPECT_EQ(std::system(("/usr/bin/flock -n " + path + " true").c_str()), 0);
    }
}

TEST(DataDirLockTest, ReleasedWhenTheOwningProcessDies) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/tarn-data";
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(ready[0]);
        auto lock = DataDirLock::Acquire(dir);
        if (!lock.ok() || !(*lock)->SetEndpoint("http://127.0.0.1:9999").ok()) ::_exit(3);
        char c = 'r';
        if (::write(ready[1], &c, 1) != 1) ::_exit(4);
        while (true) ::pause();  // until killed, holding the lock
    }
    ::close(ready[1]);
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);

    auto owner = DataDirLock::QueryOwner(dir);
    ASSERT_TRUE(owner.ok() && owner->has_value());
    EXPECT_EQ((*owner)->pid, child);
    EXPECT_EQ((*owner)->endpoint, "http://127.0.0.1:9999");
    auto refused = DataDirLock::Acquire(dir);
    EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(refused.status().message().find("(pid " + std::to_string(child) +
                                              ", endpoint http://127.0.0.1:9999)"),
              std::string::npos)
        << refused.status().message();

    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // The kernel released the lock; the dead owner's text is still there but means nothing.
    EXPECT_EQ(*DataDirLock::IsLocked(dir), false);
    auto mine = DataDirLock::Acquire(dir);
    ASSERT_TRUE(mine.ok()) << mine.status().ToString();
    EXPECT_EQ(ReadFile(dir + "/LOCK"), "pid=" + std::to_string(::getpid()) + "\n");
}

TEST(DataDirLockTest, QueryOwnerCreatesNothing) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/missing";
    auto owner = DataDirLock::QueryOwner(dir);
    ASSERT_TRUE(owner.ok()) << owner.status().ToString();
    EXPECT_FALSE(owner->has_value());
    EXPECT_FALSE(fs::exists(dir));
    fs::create_directories(dir);
    EXPECT_EQ(*DataDirLock::IsLocked(dir), false);
    EXPECT_FALSE(fs::exists(dir + "/LOCK"));
}

TEST(DataDirLockTest, ProbesNeverMakeAcquireFail) {
    TempDir tmp("tarn-datadir-");
    std::string dir = tmp.path() + "/tarn-data";
    { ASSERT_TRUE(DataDirLock::Acquire(dir).ok()); }
    SetLogLevel(LogLevel::kWarn);  // no line per Acquire
    std::atomic<bool> stop{false};
    std::atomic<int> probes{0};
    std::vector<std::thread> probers;
    for (int t = 0; t < 2; ++t) {
        probers.emplace_back([&] {
            while (!stop.load()) {
                if (DataDirLock::QueryOwner(dir).ok()) ++probes;
            }
        });
    }
    int failures = 0;
    for (int i = 0; i < 1500; ++i) {
        auto lock = DataDirLock::Acquire(dir);
        if (!lock.ok()) ++failures;
    }
    stop = true;
    for (auto& t : probers) t.join();
    SetLogLevel(LogLevel::kInfo);
    EXPECT_EQ(failures, 0);
    EXPECT_GT(probes.load(), 0);
}

}  // namespace
}  // namespace tarn::storage
