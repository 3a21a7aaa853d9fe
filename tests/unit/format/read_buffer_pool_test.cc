#include "format/read_buffer_pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

namespace tarn::format {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

TEST(ReadBufferPoolTest, ReusesAReturnedBuffer) {
    ReadBufferPool pool(64 * kMiB);
    const char* first = nullptr;
    {
        ReadBuffer b = pool.Take(3 * kMiB + 1);
        EXPECT_EQ(b.size(), 3 * kMiB + 1);
        EXPECT_EQ(b.capacity(), 4 * kMiB);  // rounded up to whole MiB
        std::memset(b.data(), 7, b.size());
        first = b.data();
        EXPECT_EQ(pool.idle_buffers(), 0u);
    }
    EXPECT_EQ(pool.idle_buffers(), 1u);
    EXPECT_EQ(pool.idle_bytes(), 4 * kMiB);
    ReadBuffer again = pool.Take(2 * kMiB);
    EXPECT_EQ(again.data(), first);
    EXPECT_EQ(again.size(), 2 * kMiB);
    EXPECT_EQ(again.capacity(), 4 * kMiB);
    EXPECT_EQ(pool.idle_bytes(), 0u);
}

TEST(ReadBufferPoolTest, TakesTheSmallestIdleBufferThatFits) {
    ReadBufferPool pool(64 * kMiB);
    const char* small = nullptr;
    const char* large = nullptr;
    {
        ReadBuffer a = pool.Take(8 * kMiB);
        ReadBuffer b = pool.Take(2 * kMiB);
        large = a.data();
        small = b.data();
    }
    EXPECT_EQ(pool.idle_buffers(), 2u);
    ReadBuffer fits_small = pool.Take(kMiB);
    EXPECT_EQ(fits_small.data(), small);
    ReadBuffer needs_large = pool.Take(5 * kMiB);
    EXPECT_EQ(needs_large.data(), large);
    ReadBuffer fresh = pool.Take(kMiB);  // none idle: a new buffer
    EXPECT_NE(fresh.data(), small);
    EXPECT_NE(fresh.data(), large);
}

TEST(ReadBufferPoolTest, FreesWhatIsOverTheIdleBudget) {
    ReadBufferPool pool(3 * kMiB);
    {
        ReadBuffer a = pool.Take(2 * kMiB);
        ReadBuffer b = pool.Take(2 * kMiB);
    }
    EXPECT_EQ(pool.idle_buffers(), 1u);
    EXPECT_EQ(pool.idle_bytes(), 2 * kMiB);
}

TEST(ReadBufferPoolTest, MovedBuffersReturnOnce) {
    ReadBufferPool pool(64 * kMiB);
    {
        ReadBuffer a = pool.Take(kMiB);
        ReadBuffer b = std::move(a);
        ReadBuffer c;
        c = std::move(b);
        EXPECT_EQ(a.data(), nullptr);
        EXPECT_EQ(c.size(), kMiB);
        c = pool.Take(kMiB);  // the moved-in buffer goes back to the pool first
        EXPECT_EQ(pool.idle_buffers(), 1u);
    }
    EXPECT_EQ(pool.idle_buffers(), 2u);
}

TEST(ReadBufferPoolTest, ManyThreadsNeverShareABuffer) {
    ReadBufferPool pool(6 * kMiB);
    std::vector<std::thread> threads;
    std::vector<int> overwritten(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&pool, &overwritten, t] {
            for (int i = 0; i < 100; ++i) {
                ReadBuffer b = pool.Take(static_cast<size_t>(1 + (i + t) % 3) * kMiB);
                std::memset(b.data(), 'a' + t, b.size());
                std::this_thread::yield();
                for (size_t k = 0; k < b.size(); k += 4096) {
                    if (b.data()[k] != 'a' + t) ++overwritten[t];
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(overwritten, std::vector<int>(4, 0));
    EXPECT_LE(pool.idle_bytes(), 6 * kMiB);
}

}  // namespace
}  // namespace tarn::format
