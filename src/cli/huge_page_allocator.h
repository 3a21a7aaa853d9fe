// HugePageAllocator: a std allocator for large lookup tables read at random (the clickstream
// generator's Zipf alias table). It places each allocation of 256 KiB or more on 2 MiB boundaries
// and asks for transparent huge pages (madvise MADV_HUGEPAGE), so that random reads of the table
// miss one TLB entry instead of one per 4 KiB page: on the VMs tarn runs on, that page walk was
// most of the cost of generating an event. Where huge pages are unavailable, madvise fails and the
// memory is ordinary.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace tarn::cli {

template <typename T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr size_t kHugePage = size_t{2} << 20;
    static constexpr size_t kWorthIt = size_t{256} << 10;

    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocators convert implicitly

    T* allocate(size_t n) {
        const size_t bytes = n * sizeof(T);
        if (bytes < kWorthIt) {
            if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return static_cast<T*>(p);
            throw std::bad_alloc();
        }
        const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        void* p = std::aligned_alloc(kHugePage, rounded);
        if (p == nullptr) throw std::bad_alloc();
        ::madvise(p, rounded, MADV_HUGEPAGE);
        return static_cast<T*>(p);
    }
    void deallocate(T* p, size_t) { std::free(p); }

    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const {
        return true;
    }
};

}  // namespace tarn::cli
