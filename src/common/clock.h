// Clock: the injectable source of wall-clock time for everything that schedules or times out.
//
// Code that depends on time takes a `Clock*` (never calls std::chrono::system_clock directly), so
// tests drive it with a ManualClock and never sleep. A Clock also knows how to *wait* on itself:
// WaitUntil blocks on the caller's condition variable until a deadline on that clock passes or the
// caller's own notify arrives. With SystemClock that is a timed wait; with ManualClock it is an
// untimed wait that Advance()/Set() ends, so a test that advances the clock past a deadline wakes
// the waiter deterministically and nothing polls.
//
// Thread-safety: every method of every Clock may be called from any thread. SystemClock::Instance()
// lives for the whole process (it is never destroyed).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace tarn {

class Clock {
public:
    using TimePoint = std::chrono::system_clock::time_point;

    virtual ~Clock() = default;

    // The current instant (UTC; system_clock's epoch is the Unix epoch).
    virtual TimePoint Now() = 0;

    // Blocks until Now() >= `deadline` or `cv` is notified, whichever comes first; it may also
    // return spuriously, so callers loop and re-check their own state and Now(), like cv.wait().
    // Returns at once when the deadline has already passed. TimePoint::max() means "no deadline".
    // REQUIRES: `lock` is locked and is the lock the caller's notifiers take before notifying `cv`
    // (the usual condition-variable discipline). `lock` is released while waiting and held again on
    // return. Does not take ownership of anything.
    virtual void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                           TimePoint deadline) = 0;
};

// The real clock. WaitUntil waits on the steady clock in slices of at most kMaxWaitSlice and then
// returns (a spurious wake-up), so a step of the wall clock (NTP, a manual change) is noticed
// within one slice instead of stretching or shortening a wait.
class SystemClock final : public Clock {
public:
    static constexpr std::chrono::seconds kMaxWaitSlice{1};

    // The process-wide instance; never destroyed.
    static SystemClock* Instance();

    TimePoint Now() override;
    void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                   TimePoint deadline) override;
};

// A clock that moves only when told to, for tests. Starts at `start` (by default
// 2024-01-01T00:00:00Z, a fixed instant so tests are reproducible). Time may be Set() backwards.
//
// Advance()/Set() wake every thread blocked in WaitUntil on this clock: each waiter's cv is
// notified while holding that waiter's mutex, so a wake-up can't slip in between a waiter's check
// and its wait. REQUIRES: the thread calling Advance()/Set() holds none of the mutexes passed to
// WaitUntil.
class ManualClock final : public Clock {
public:
    static constexpr TimePoint kDefaultStart{std::chrono::seconds(1704067200)};  // 2024-01-01

    explicit ManualClock(TimePoint start = kDefaultStart);
    // REQUIRES: no thread is blocked in WaitUntil on this clock.
    ~ManualClock() override;

    ManualClock(const ManualClock&) = delete;
    ManualClock& operator=(const ManualClock&) = delete;

    TimePoint Now() override;
    void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                   TimePoint deadline) override;

    // Moves the clock forward by `d` (REQUIRES: d >= 0) and wakes all waiters.
    void Advance(std::chrono::nanoseconds d);
    // Sets the clock to `t` (forwards or backwards) and wakes all waiters.
    void Set(TimePoint t);

    // For tests that must know a waiter has *caught up* with the clock: blocks (in real time, at
    // most `timeout`) until at least `n` threads are blocked in WaitUntil having started to wait
    // after the latest Advance()/Set() — i.e. they saw the current time and their deadline is still
    // in the future. Returns false on timeout. Example: Advance(5s), then WaitForWaiters(1, …)
    // means the Scheduler has processed the new time and is idle again. Only meaningful while
    // nothing but this clock wakes the waiters (a waiter woken by its own cv counts until it has
    // left WaitUntil).
    bool WaitForWaiters(size_t n, std::chrono::milliseconds timeout);

    // Number of threads currently blocked in WaitUntil.
    size_t num_waiters();

private:
    struct Waiter {
        std::mutex* mu;
        std::condition_variable* cv;
        uint64_t epoch;     // epoch_ when the wait started
        int notifiers = 0;  // Advance/Set calls currently using mu/cv; guarded by mu_
    };

    // Sets now_ to `*set_to`, or advances it by `advance`, then notifies every waiter.
    void WakeAll(TimePoint::duration advance, std::optional<TimePoint> set_to);

    std::mutex mu_;
    std::condition_variable changed_cv_;  // waiters list or notifier counts changed
    TimePoint now_;                       // guarded by mu_
    uint64_t epoch_ = 0;                  // bumped by every Advance/Set; guarded by mu_
    std::vector<Waiter*> waiters_;        // guarded by mu_; entries live on waiters' stacks
};

}  // namespace tarn
