// Gate: a one-shot barrier that the test opens and that work under test waits in.
//
// Work (a pool closure, a scheduled run, an event handler) calls Enter() to block until the test
// calls Open(); the test sees how many are inside with WaitInside(n) / inside(), and how many ever
// entered with entered(). Wait() is for the other direction: a thread waits until the gate has
// been opened, without being counted. Once opened a gate stays open.
//
// Waits the test makes (Wait, WaitInside) end after kGuard at the latest, so a broken build fails
// instead of hanging; Enter() has no guard, so the test must Open() every gate it closes work in.
//
// Thread-safety: all methods may be called from any thread. A Gate a detached thread may still
// wait in must outlive it: hold it through std::shared_ptr shared with that thread.
#pragma once

#include <condition_variable>
#include <mutex>

#include "testing/wait.h"

namespace tarn::testing {

class Gate {
public:
    // Counts the caller as entered and inside, and blocks until Open().
    void Enter() {
        std::unique_lock<std::mutex> lock(mu_);
        ++entered_;
        ++inside_;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
        --inside_;
    }
    // Lets everyone in Enter() or Wait() go on, and all later callers pass at once.
    void Open() {
        std::lock_guard<std::mutex> lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    // True once the gate is open; false after kGuard.
    bool Wait() {
        std::unique_lock<std::mutex> lock(mu_);
        return cv_.wait_for(lock, kGuard, [&] { return open_; });
    }
    // True once `n` callers are inside Enter() at the same time; false after kGuard.
    bool WaitInside(int n) {
        std::unique_lock<std::mutex> lock(mu_);
        return cv_.wait_for(lock, kGuard, [&] { return inside_ >= n; });
    }
    // How many calls to Enter() there have been.
    int entered() {
        std::lock_guard<std::mutex> lock(mu_);
        return entered_;
    }
    // How many callers are in Enter() now.
    int inside() {
        std::lock_guard<std::mutex> lock(mu_);
        return inside_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = false;
    int entered_ = 0;
    int inside_ = 0;
};

}  // namespace tarn::testing
