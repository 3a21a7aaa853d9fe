// Buffer: a growable byte buffer whose storage is 64-byte aligned, the unit every column vector
// keeps its validity bits, fixed-width values, offsets and string bytes in.
//
// Contract:
// - data() is 64-byte aligned (kBufferAlignment) whenever capacity() > 0, and capacity() is a
//   multiple of 64, so a reader may load whole 64-byte blocks up to capacity() (SIMD) without
//   leaving the allocation. Bytes between size() and capacity() are unspecified.
// - Growth is amortized: Reserve() at least doubles the capacity when it must grow, so appending
//   n bytes one at a time costs O(n). Growing moves the contents to a new allocation, so pointers
//   into a buffer are invalidated by any call that may grow it (Reserve, Resize, Append).
// - Reset() sets size() to 0 and keeps the allocation: a buffer reused batch after batch stops
//   allocating once it has reached its working size. Only the destructor, Release() and moving
//   from a buffer give memory back.
// - Resize() leaves new bytes unspecified; ResizeZeroed() sets them to zero.
// - Move-only: copying column data is never implicit.
//
// Bounds are checked with assert (debug builds) only. Thread-safety: none; a const Buffer may be
// read from many threads.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tarn::columnar {

inline constexpr size_t kBufferAlignment = 64;

class Buffer {
public:
    Buffer() = default;
    ~Buffer() { Release(); }
    Buffer(Buffer&& other) noexcept
        : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
        other.data_ = nullptr;
        other.size_ = other.capacity_ = 0;
    }
    Buffer& operator=(Buffer&& other) noexcept {
        if (this != &other) {
            Release();
            data_ = other.data_;
            size_ = other.size_;
            capacity_ = other.capacity_;
            other.data_ = nullptr;
            other.size_ = other.capacity_ = 0;
        }
        return *this;
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    // nullptr while capacity() == 0.
    const uint8_t* data() const { return data_; }
    uint8_t* mutable_data() { return data_; }
    template <class T>
    const T* data_as() const {
        return reinterpret_cast<const T*>(data_);
    }
    template <class T>
    T* mutable_data_as() {
        return reinterpret_cast<T*>(data_);
    }
    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }
    std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

    // Ensures capacity() >= n, keeping the contents.
    void Reserve(size_t n) {
        if (n > capacity_) Grow(n);
    }
    // Sets size() to n; bytes past the old size are unspecified.
    void Resize(size_t n) {
        Reserve(n);
        size_ = n;
    }
    // Sets size() to n; bytes past the old size are zero.
    void ResizeZeroed(size_t n) {
        const size_t old = size_;
        Resize(n);
        if (n > old) std::memset(data_ + old, 0, n - old);
    }
    void Append(const void* bytes, size_t n) {
        if (n == 0) return;  // bytes may be nullptr
        Reserve(size_ + n);
        std::memcpy(data_ + size_, bytes, n);
        size_ += n;
    }
    template <class T>
    void AppendValue(const T& v) {
        Append(&v, sizeof(T));
    }
    // size() = 0; the allocation is kept.
    void Reset() { size_ = 0; }
    // Frees the allocation: size() = capacity() = 0.
    void Release();

private:
    void Grow(size_t min_capacity);

    uint8_t* data_ = nullptr;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

}  // namespace tarn::columnar
