#include "common/clock.h"

#include <algorithm>
#include <optional>

namespace tarn {

SystemClock* SystemClock::Instance() {
    static SystemClock* const instance =
        new SystemClock();  // never destroyed: no exit-order issues
    return instance;
}

Clock::TimePoint SystemClock::Now() { return std::chrono::system_clock::now(); }

void SystemClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                            TimePoint deadline) {
    const TimePoint now = Now();
    if (deadline <= now) return;
    // `deadline - now` can't overflow when it is compared this way round.
    std::chrono::nanoseconds slice = kMaxWaitSlice;
    if (deadline - kMaxWaitSlice < now) slice = deadline - now;
    // wait_for measures on the steady clock, so the slice is immune to wall-clock steps.
    cv.wait_for(lock, slice);
}

ManualClock::ManualClock(TimePoint start) : now_(start) {}

ManualClock::~ManualClock() = default;

Clock::TimePoint ManualClock::Now() {
    std::lock_guard<std::mutex> g(mu_);
    return now_;
}

void ManualClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                            TimePoint deadline) {
    Waiter self{lock.mutex(), &cv, 0};
    {
        std::lock_guard<std::mutex> g(mu_);
        if (now_ >= deadline) return;
        self.epoch = epoch_;
        waiters_.push_back(&self);
    }
    changed_cv_.notify_all();  // WaitForWaiters
    // `lock` has been held since before we read now_, and Advance notifies `cv` only while holding
    // `lock`'s mutex, so an Advance after our read can't notify before we are waiting.
    cv.wait(lock);
    // Deregister. An Advance may have copied our mutex/cv pointers and be about to lock our mutex;
    // release it and wait until no Advance still uses them, so the caller may destroy them after
    // we return.
    lock.unlock();
    {
        std::unique_lock<std::mutex> g(mu_);
        waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
        changed_cv_.wait(g, [&] { return self.notifiers == 0; });
    }
    lock.lock();
}

void ManualClock::Advance(std::chrono::nanoseconds d) {
    WakeAll(std::chrono::duration_cast<TimePoint::duration>(d), std::nullopt);
}

void ManualClock::Set(TimePoint t) { WakeAll(TimePoint::duration::zero(), t); }

void ManualClock::WakeAll(TimePoint::duration advance, std::optional<TimePoint> set_to) {
    std::vector<Waiter*> snapshot;
    {
        std::lock_guard<std::mutex> g(mu_);
        now_ = set_to ? *set_to : now_ + advance;
        ++epoch_;
        snapshot = waiters_;
        for (Waiter* w : snapshot) ++w->notifiers;
    }
    for (Waiter* w : snapshot) {
        std::lock_guard<std::mutex> waiter_lock(*w->mu);
        w->cv->notify_all();
    }
    {
        std::lock_guard<std::mutex> g(mu_);
        for (Waiter* w : snapshot) --w->notifiers;
    }
    changed_cv_.notify_all();
}

bool ManualClock::WaitForWaiters(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> g(mu_);
    return changed_cv_.wait_for(g, timeout, [&] {
        size_t current = 0;
        for (const Waiter* w : waiters_) current += w->epoch == epoch_ ? 1 : 0;
        return current >= n;
    });
}

size_t ManualClock::num_waiters() {
    std::lock_guard<std::mutex> g(mu_);
    return waiters_.size();
}

}  // namespace tarn
