// ExpandValues: spreads values decoded densely (nulls left out) over their slots, in place.
// Internal to the format module (the Parquet reader's flat and nested assembly).
//
// Thread-safety: pure functions over the caller's vector.
#pragma once

#include <cstddef>
#include <cstdint>

#include "columnar/column_vector.h"

namespace tarn::format {

namespace expand_internal {

template <class T, class Present>
void ExpandFixed(T* d, size_t k, size_t n_valid, Present present) {
    size_t j = n_valid;
    for (size_t i = k; i-- > 0;) {
        if (present(i)) {
            d[i] = d[--j];
        } else {
            d[i] = T{};
        }
    }
}

}  // namespace expand_internal

// `leaf` holds n_valid values in slots [base, base + n_valid) (for strings: offsets base .. base +
// n_valid). Afterwards slot base + i, for i < k, holds the next of them in order when present(i),
// else zero / an empty string. REQUIRES: leaf->length() >= base + k; exactly n_valid of
// present(0 .. k-1) are true.
template <class Present>
void ExpandValues(columnar::ColumnVector* leaf, size_t base, size_t k, size_t n_valid,
                  Present present) {
    using columnar::int128_t;
    if (n_valid == k) return;
    if (leaf->HasOffsets()) {
        uint32_t* off = leaf->mutable_offsets() + base;
        uint32_t end = off[n_valid];
        size_t j = n_valid;
        for (size_t i = k; i-- > 0;) {
            off[i + 1] = end;
            if (present(i)) end = off[--j];
        }
        return;
    }
    switch (leaf->type().FixedWidth()) {
        case 1:
            expand_internal::ExpandFixed(leaf->MutableData<uint8_t>() + base, k, n_valid, present);
            break;
        case 2:
            expand_internal::ExpandFixed(leaf->MutableData<int16_t>() + base, k, n_valid, present);
            break;
        case 4:
            expand_internal::ExpandFixed(leaf->MutableData<int32_t>() + base, k, n_valid, present);
            break;
        case 8:
            expand_internal::ExpandFixed(leaf->MutableData<int64_t>() + base, k, n_valid, present);
            break;
        default:
            expand_internal::ExpandFixed(leaf->MutableData<int128_t>() + base, k, n_valid, present);
            break;
    }
}

}  // namespace tarn::format
