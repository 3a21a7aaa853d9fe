#include "columnar/buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace tarn::columnar {
namespace {

bool Aligned(const void* p) { return reinterpret_cast<uintptr_t>(p) % kBufferAlignment == 0; }

TEST(BufferTest, StartsEmpty) {
    Buffer b;
    EXPECT_EQ(b.size(), 0u);
    EXPECT_EQ(b.capacity(), 0u);
    EXPECT_EQ(b.data(), nullptr);
    b.Append(nullptr, 0);  // no-op
    EXPECT_EQ(b.capacity(), 0u);
}

TEST(BufferTest, AlignedAndGrowsGeometrically) {
    Buffer b;
    size_t reallocations = 0;
    const uint8_t* last = nullptr;
    for (int i = 0; i < 100000; ++i) {
        b.AppendValue(static_cast<uint8_t>(i));
        if (b.data() != last) {
            ++reallocations;
            last = b.data();
            EXPECT_TRUE(Aligned(b.data()));
            EXPECT_EQ(b.capacity() % kBufferAlignment, 0u);
        }
    }
    EXPECT_EQ(b.size(), 100000u);
    EXPECT_LE(reallocations, 20u);  // doubling from 64 bytes
    for (int i = 0; i < 100000; i += 997) EXPECT_EQ(b.data()[i], static_cast<uint8_t>(i));
}

TEST(BufferTest, ResetKeepsCapacity) {
    Buffer b;
    b.Resize(10000);
    const uint8_t* data = b.data();
    const size_t capacity = b.capacity();
    b.Reset();
    EXPECT_EQ(b.size(), 0u);
    EXPECT_EQ(b.capacity(), capacity);
    b.Resize(10000);  // no new allocation
    EXPECT_EQ(b.data(), data);
    b.Release();
    EXPECT_EQ(b.capacity(), 0u);
    EXPECT_EQ(b.data(), nullptr);
}

TEST(BufferTest, ResizeZeroedAndAppendKeepContents) {
    Buffer b;
    b.Append("abc", 3);
    b.ResizeZeroed(200);
    EXPECT_EQ(b.view().substr(0, 3), "abc");
    for (size_t i = 3; i < 200; ++i) ASSERT_EQ(b.data()[i], 0) << i;
    b.Resize(2);
    EXPECT_EQ(b.view(), "ab");
    b.AppendValue(uint32_t{0x01020304});
    EXPECT_EQ(b.size(), 6u);
    EXPECT_EQ(b.data()[2], 0x04);  // little-endian
}

TEST(BufferTest, MoveTransfersOwnership) {
    Buffer a;
    a.Append("hello", 5);
    const uint8_t* data = a.data();
    Buffer b(std::move(a));
    EXPECT_EQ(b.data(), data);
    EXPECT_EQ(b.view(), "hello");
    EXPECT_EQ(a.data(), nullptr);  // NOLINT: moved-from is defined as empty
    EXPECT_EQ(a.size(), 0u);
    Buffer c;
    c.Append("x", 1);
    c = std::move(b);
    EXPECT_EQ(c.view(), "hello");
    EXPECT_TRUE(Aligned(c.data()));
}

TEST(BufferTest, ReserveExact) {
    Buffer b;
    b.Reserve(1000);
    EXPECT_GE(b.capacity(), 1000u);
    EXPECT_EQ(b.size(), 0u);
    EXPECT_TRUE(Aligned(b.data()));
    const size_t cap = b.capacity();
    b.Reserve(10);  // never shrinks
    EXPECT_EQ(b.capacity(), cap);
}

}  // namespace
}  // namespace tarn::columnar
