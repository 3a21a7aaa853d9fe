// Waiting in tests: one failure guard for waits that should end almost at once, and Eventually()
// for states a test can only poll from outside.
//
// kGuard is never a sleep and never part of what a test checks: it only keeps a broken build from
// hanging the test run. Waits that a test can observe directly (a condition variable, a future,
// ManualClock::WaitForWaiters) should use them with kGuard rather than polling.
//
// Thread-safety: Eventually() calls `pred` on the calling thread only.
#pragma once

#include <chrono>
#include <thread>

namespace tarn::testing {

// Failure guard for waits that should end almost at once.
constexpr std::chrono::milliseconds kGuard{10'000};

// Polls `pred` about every millisecond until it is true (true) or kGuard has passed (false).
template <typename Pred>
bool Eventually(Pred pred) {
    const auto deadline = std::chrono::steady_clock::now() + kGuard;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace tarn::testing
