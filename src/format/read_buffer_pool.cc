#include "format/read_buffer_pool.h"

#include <utility>

namespace tarn::format {
namespace {

constexpr size_t kRoundBytes = size_t{1} << 20;

}  // namespace

ReadBuffer::~ReadBuffer() { Release(); }

ReadBuffer::ReadBuffer(ReadBuffer&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      bytes_(std::move(other.bytes_)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

ReadBuffer& ReadBuffer::operator=(ReadBuffer&& other) noexcept {
    if (this != &other) {
        Release();
        pool_ = std::exchange(other.pool_, nullptr);
        bytes_ = std::move(other.bytes_);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

void ReadBuffer::Release() {
    if (pool_ != nullptr && bytes_ != nullptr) pool_->Give(std::move(bytes_), capacity_);
    bytes_.reset();
    pool_ = nullptr;
    size_ = capacity_ = 0;
}

ReadBufferPool* ReadBufferPool::Default() {
    static ReadBufferPool* pool = new ReadBufferPool(size_t{1} << 30);  // never destroyed
    return pool;
}

ReadBuffer ReadBufferPool::Take(size_t size) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        size_t best = idle_.size();
        for (size_t i = 0; i < idle_.size(); ++i) {
            if (idle_[i].capacity >= size &&
                (best == idle_.size() || idle_[i].capacity < idle_[best].capacity)) {
                best = i;
            }
        }
        if (best < idle_.size()) {
            Idle found = std::move(idle_[best]);
            idle_[best] = std::move(idle_.back());
            idle_.pop_back();
            idle_bytes_ -= found.capacity;
            return ReadBuffer(this, std::move(found.bytes), size, found.capacity);
        }
    }
    const size_t capacity = (size + kRoundBytes - 1) / kRoundBytes * kRoundBytes;
    // new char[] leaves the bytes uninitialized: the read that fills them is their first touch.
    return ReadBuffer(this, std::unique_ptr<char[]>(new char[capacity == 0 ? 1 : capacity]), size,
                      capacity);
}

void ReadBufferPool::Give(std::unique_ptr<char[]> bytes, size_t capacity) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_bytes_ + capacity > max_idle_bytes_) return;  // freed as `bytes` goes
    idle_bytes_ += capacity;
    idle_.push_back({std::move(bytes), capacity});
}

size_t ReadBufferPool::idle_bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return idle_bytes_;
}

size_t ReadBufferPool::idle_buffers() const {
    std::lock_guard<std::mutex> lock(mu_);
    return idle_.size();
}

}  // namespace tarn::format
