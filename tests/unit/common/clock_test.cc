#include "common/clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "testing/wait.h"

namespace tarn {
namespace {

using namespace std::chrono_literals;

using tarn::testing::kGuard;

TEST(ManualClockTest, StartsAtAFixedInstantAndMovesOnlyWhenTold) {
    ManualClock clock;
    EXPECT_EQ(clock.Now().time_since_epoch(), std::chrono::seconds(1704067200));
    EXPECT_EQ(clock.Now(), clock.Now());
    clock.Advance(90s);
    EXPECT_EQ(clock.Now(), ManualClock::kDefaultStart + 90s);
    clock.Set(ManualClock::kDefaultStart - 1h);  // backwards is allowed
    EXPECT_EQ(clock.Now(), ManualClock::kDefaultStart - 1h);

    ManualClock custom(Clock::TimePoint(std::chrono::seconds(42)));
    EXPECT_EQ(custom.Now().time_since_epoch(), 42s);
}

TEST(ManualClockTest, WaitUntilReturnsAtOnceWhenTheDeadlinePassed) {
    ManualClock clock;
    std::mutex mu;
    std::condition_variable cv;
    std::unique_lock<std::mutex> lock(mu);
    clock.WaitUntil(lock, cv, clock.Now());       // deadline == now
    clock.WaitUntil(lock, cv, clock.Now() - 1s);  // in the past
    EXPECT_TRUE(lock.owns_lock());
    EXPECT_EQ(clock.num_waiters(), 0u);
}

TEST(ManualClockTest, AdvancePastTheDeadlineWakesTheWaiter) {
    ManualClock clock;
    std::mutex mu;
    std::condition_variable cv;
    const Clock::TimePoint deadline = clock.Now() + 10s;
    std::atomic<bool> done{false};
    std::thread waiter([&] {
        std::unique_lock<std::mutex> lock(mu);
        while (clock.Now() < deadline) clock.WaitUntil(lock, cv, deadline);
        EXPECT_TRUE(lock.owns_lock());
        done = true;
    });
    ASSERT_TRUE(clock.WaitForWaiters(1, kGuard));
    clock.Advance(9s);
    // The waiter woke, saw 9s < 10s, and is waiting again at the new time.
    ASSERT_TRUE(clock.WaitForWaiters(1, kGuard));
    EXPECT_FALSE(done);
    clock.Advance(1s);
    waiter.join();
    EXPECT_TRUE(done);
    EXPECT_EQ(clock.num_waiters(), 0u);
}

TEST(ManualClockTest, SetWakesTheWaiter) {
    ManualClock clock;
    std::mutex mu;
    std::condition_variable cv;
    const Clock::TimePoint deadline = clock.Now() + 24h;
    std::thread waiter([&] {
        std::unique_lock<std::mutex> lock(mu);
        while (clock.Now() < deadline) clock.WaitUntil(lock, cv, deadline);
    });
    ASSERT_TRUE(clock.WaitForWaiters(1, kGuard));
    clock.Set(deadline + 1s);
    waiter.join();
}

TEST(ManualClockTest, TheCallersOwnNotifyWakesTheWaiter) {
    ManualClock clock;
    std::mutex mu;
    std::condition_variable cv;
    bool flag = false;  // guarded by mu
    std::thread waiter([&] {
        std::unique_lock<std::mutex> lock(mu);
        while (!flag) clock.WaitUntil(lock, cv, Clock::TimePoint::max());
    });
    ASSERT_TRUE(clock.WaitForWaiters(1, kGuard));
    {
        std::lock_guard<std::mutex> g(mu);
        flag = true;
    }
    cv.notify_all();
    waiter.join();
    EXPECT_EQ(clock.Now(), ManualClock::kDefaultStart);  // no time passed
}

TEST(ManualClockTest, WaitForWaitersTimesOut) {
    ManualClock clock;
    EXPECT_FALSE(clock.WaitForWaiters(1, 1ms));
    EXPECT_TRUE(clock.WaitForWaiters(0, 1ms));
}

TEST(ManualClockTest, WaitersMayDestroyTheirMutexRightAfterWaking) {
    // Many short-lived waiters, each with a heap mutex/cv freed as soon as WaitUntil returns, race
    // with a thread that keeps advancing. ASan reports a use-after-free if Advance ever touches a
    // waiter's mutex/cv after that waiter left WaitUntil.
    ManualClock clock;
    std::atomic<bool> stop{false};
    std::thread advancer([&] {
        while (!stop) clock.Advance(1ms);
    });
    std::vector<std::thread> waiters;
    for (int t = 0; t < 4; ++t) {
        waiters.emplace_back([&] {
            for (int i = 0; i < 300; ++i) {
                auto mu = std::make_unique<std::mutex>();
                auto cv = std::make_unique<std::condition_variable>();
                const Clock::TimePoint deadline = clock.Now() + 1ms;
                std::unique_lock<std::mutex> lock(*mu);
                while (clock.Now() < deadline) clock.WaitUntil(lock, *cv, deadline);
                lock.unlock();
                cv.reset();
                mu.reset();
            }
        });
    }
    for (std::thread& w : waiters) w.join();
    stop = true;
    advancer.join();
    EXPECT_EQ(clock.num_waiters(), 0u);
}

TEST(SystemClockTest, TracksTheSystemClock) {
    SystemClock* clock = SystemClock::Instance();
    EXPECT_EQ(clock, SystemClock::Instance());
    const auto before = std::chrono::system_clock::now();
    const auto now = clock->Now();
    const auto after = std::chrono::system_clock::now();
    EXPECT_LE(before, now);
    EXPECT_LE(now, after);
}

TEST(SystemClockTest, WaitUntilWaitsForTheDeadline) {
    SystemClock* clock = SystemClock::Instance();
    std::mutex mu;
    std::condition_variable cv;
    std::unique_lock<std::mutex> lock(mu);
    const auto deadline = clock->Now() + 20ms;
    while (clock->Now() < deadline) clock->WaitUntil(lock, cv, deadline);
    EXPECT_GE(clock->Now(), deadline);
    EXPECT_TRUE(lock.owns_lock());
    lock.unlock();
    // No deadline: a notify ends the wait (and TimePoint::max() does not overflow anything).
    std::atomic<bool> returned{false};
    std::thread notifier([&] {
        while (!returned) {
            std::lock_guard<std::mutex> g(mu);
            cv.notify_all();
        }
    });
    lock.lock();
    clock->WaitUntil(lock, cv, Clock::TimePoint::max());
    returned = true;
    lock.unlock();
    notifier.join();
}

}  // namespace
}  // namespace tarn
