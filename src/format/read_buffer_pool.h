// ReadBufferPool: large byte buffers kept for reuse by readers of column chunks.
//
// Why: the Parquet reader fetches a row group's column chunks (often 10-100 MB) into memory.
// Fresh memory from the allocator is first-touched by the read, and on virtual machines a page
// fault costs far more than copying the page: measured here, a 110 MB pread from the page cache
// takes 0.6 s into fresh pages and 0.011 s into pages touched before. So readers take their
// buffers from a pool and give them back, and a scan after the first runs at memory speed.
//
// A ReadBuffer is an uninitialized byte array of at least the asked size; destroying it returns
// the memory to its pool, which keeps idle buffers up to a byte budget and frees the rest.
//
// Thread-safety: a pool may be used from many threads; a ReadBuffer belongs to one.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace tarn::format {

class ReadBufferPool;

class ReadBuffer {
public:
    ReadBuffer() = default;
    ~ReadBuffer();
    ReadBuffer(ReadBuffer&& other) noexcept;
    ReadBuffer& operator=(ReadBuffer&& other) noexcept;
    ReadBuffer(const ReadBuffer&) = delete;
    ReadBuffer& operator=(const ReadBuffer&) = delete;

    char* data() { return bytes_.get(); }
    const char* data() const { return bytes_.get(); }
    // The size asked of the pool (capacity() may be larger).
    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }

private:
    friend class ReadBufferPool;
    ReadBuffer(ReadBufferPool* pool, std::unique_ptr<char[]> bytes, size_t size, size_t capacity)
        : pool_(pool), bytes_(std::move(bytes)), size_(size), capacity_(capacity) {}
    void Release();

    ReadBufferPool* pool_ = nullptr;
    std::unique_ptr<char[]> bytes_;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

class ReadBufferPool {
public:
    // Keeps at most `max_idle_bytes` of idle buffers.
    explicit ReadBufferPool(size_t max_idle_bytes) : max_idle_bytes_(max_idle_bytes) {}
    ReadBufferPool(const ReadBufferPool&) = delete;
    ReadBufferPool& operator=(const ReadBufferPool&) = delete;

    // The process's pool (1 GiB of idle buffers at most), used when a reader is given none.
    static ReadBufferPool* Default();

    // A buffer of at least `size` bytes (contents unspecified): the smallest idle one that fits,
    // or a new one (sizes are rounded up to 1 MiB so that buffers fit later requests).
    ReadBuffer Take(size_t size);

    size_t idle_bytes() const;
    size_t idle_buffers() const;

private:
    friend class ReadBuffer;
    void Give(std::unique_ptr<char[]> bytes, size_t capacity);

    struct Idle {
        std::unique_ptr<char[]> bytes;
        size_t capacity;
    };
    const size_t max_idle_bytes_;
    mutable std::mutex mu_;
    std::vector<Idle> idle_;  // guarded by mu_
    size_t idle_bytes_ = 0;   // guarded by mu_
};

}  // namespace tarn::format
