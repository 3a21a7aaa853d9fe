#include "common/thread_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "testing/gate.h"

namespace tarn {
namespace {

using tarn::testing::Gate;

TEST(ThreadPoolTest, RunsEverySubmittedClosure) {
    ThreadPool pool(3);
    EXPECT_EQ(pool.num_threads(), 3u);
    std::atomic<int> count{0};
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(pool.Submit([&] { ++count; }).ok());
    pool.WaitIdle();
    EXPECT_EQ(count, 200);
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_EQ(pool.running(), 0u);
}

TEST(ThreadPoolTest, ZeroThreadsMeansOne) {
    ThreadPool pool(0);
    EXPECT_EQ(pool.num_threads(), 1u);
    std::atomic<bool> ran{false};
    ASSERT_TRUE(pool.Submit([&] { ran = true; }).ok());
    pool.WaitIdle();
    EXPECT_TRUE(ran);
}

TEST(ThreadPoolTest, NeverRunsMoreThanItsThreads) {
    ThreadPool pool(3);
    Gate gate;
    std::atomic<int> active{0};
    std::atomic<int> max_active{0};
    for (int i = 0; i < 12; ++i) {
        ASSERT_TRUE(pool.Submit([&] {
                            const int now = ++active;
                            int seen = max_active.load();
                            while (now > seen && !max_active.compare_exchange_weak(seen, now)) {
                            }
                            gate.Enter();
                            --active;
                        })
                        .ok());
    }
    ASSERT_TRUE(gate.WaitInside(3));
    // All three workers are blocked: the other nine closures must still be queued.
    EXPECT_EQ(pool.running(), 3u);
    EXPECT_EQ(pool.queued(), 9u);
    EXPECT_EQ(gate.inside(), 3);
    gate.Open();
    pool.WaitIdle();
    EXPECT_EQ(max_active, 3);
}

TEST(ThreadPoolTest, BoundedQueueRefusesWhenFull) {
    ThreadPool pool(ThreadPool::Options{1, 2, "test-pool"});
    Gate gate;
    ASSERT_TRUE(pool.Submit([&] { gate.Enter(); }).ok());
    ASSERT_TRUE(gate.WaitInside(1));  // the worker is busy, the queue is empty
    EXPECT_TRUE(pool.Submit([] {}).ok());
    EXPECT_TRUE(pool.Submit([] {}).ok());
    Status full = pool.Submit([] {});
    EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
    EXPECT_THAT(full.message(), ::testing::HasSubstr("queue is full"));
    gate.Open();
    pool.WaitIdle();
    EXPECT_TRUE(pool.Submit([] {}).ok());
}

TEST(ThreadPoolTest, ShutdownRunsQueuedClosuresThenRefuses) {
    ThreadPool pool(1);
    Gate gate;
    std::atomic<int> count{0};
    ASSERT_TRUE(pool.Submit([&] { gate.Enter(); }).ok());
    ASSERT_TRUE(gate.WaitInside(1));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.Submit([&] { ++count; }).ok());
    std::thread opener([&] {
        // Open the gate only once Shutdown has started refusing work.
        while (pool.Submit([] {}).ok()) std::this_thread::yield();
        gate.Open();
    });
    pool.Shutdown();
    opener.join();
    EXPECT_EQ(count, 5);
    EXPECT_EQ(pool.Submit([] {}).code(), StatusCode::kUnavailable);
    pool.Shutdown();  // idempotent
}

TEST(ThreadPoolTest, AThrowingClosureDoesNotKillTheWorker) {
    ThreadPool pool(1);
    ASSERT_TRUE(pool.Submit([] { throw std::runtime_error("boom"); }).ok());
    ASSERT_TRUE(pool.Submit([] { throw 7; }).ok());
    std::atomic<bool> ran{false};
    ASSERT_TRUE(pool.Submit([&] { ran = true; }).ok());
    pool.WaitIdle();
    EXPECT_TRUE(ran);
}

TEST(ThreadPoolTest, InWorkerAndSubmitFromAClosure) {
    ThreadPool pool(2);
    EXPECT_FALSE(pool.InWorker());
    std::atomic<bool> in_worker{false};
    std::atomic<bool> nested_ran{false};
    ASSERT_TRUE(pool.Submit([&] {
                        in_worker = pool.InWorker();
                        EXPECT_TRUE(pool.Submit([&] { nested_ran = true; }).ok());
                    })
                    .ok());
    pool.WaitIdle();
    EXPECT_TRUE(in_worker);
    EXPECT_TRUE(nested_ran);
}

TEST(ThreadPoolTest, ConcurrentSubmitters) {
    std::atomic<int> count{0};
    {
        ThreadPool pool(4);
        std::vector<std::thread> submitters;
        for (int t = 0; t < 4; ++t) {
            submitters.emplace_back([&] {
                for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.Submit([&] { ++count; }).ok());
            });
        }
        for (std::thread& t : submitters) t.join();
    }  // the destructor drains the queue
    EXPECT_EQ(count, 2000);
}

}  // namespace
}  // namespace tarn
