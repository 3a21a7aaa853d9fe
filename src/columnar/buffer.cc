#include "columnar/buffer.h"

#include <algorithm>
#include <new>

namespace tarn::columnar {

void Buffer::Release() {
    if (data_ != nullptr) {
        ::operator delete (data_, std::align_val_t{kBufferAlignment});
    }
    data_ = nullptr;
    size_ = capacity_ = 0;
}

void Buffer::Grow(size_t min_capacity) {
    size_t capacity = std::max({min_capacity, capacity_ * 2, kBufferAlignment});
    capacity = (capacity + kBufferAlignment - 1) & ~(kBufferAlignment - 1);
    auto* data =
        static_cast<uint8_t*>(::operator new (capacity, std::align_val_t{kBufferAlignment}));
    if (size_ > 0) std::memcpy(data, data_, size_);
    if (data_ != nullptr) ::operator delete (data_, std::align_val_t{kBufferAlignment});
    data_ = data;
    capacity_ = capacity;
}

}  // namespace tarn::columnar
