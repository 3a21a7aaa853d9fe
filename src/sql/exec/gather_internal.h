// Internal to sql/exec/: appending selected rows of one vector to another, the building block of
// GatherRows (filters, sort permutations) and of the operators that copy their input into owned
// storage (sort, TopN), which must keep rows after the child's batch is gone.
#pragma once

#include <cstddef>
#include <cstdint>

#include "columnar/column_vector.h"

namespace tarn::sql {

// Calls f.template operator()<T>() with T the physical type of a fixed-width slot of `width`
// bytes (1, 2, 4, 8 or 16) and returns true; returns false for other widths (strings, nested).
template <class F>
bool VisitFixedWidth(int width, F&& f) {
    switch (width) {
        case 1:
            f.template operator()<uint8_t>();
            return true;
        case 2:
            f.template operator()<int16_t>();
            return true;
        case 4:
            f.template operator()<int32_t>();
            return true;
        case 8:
            f.template operator()<int64_t>();
            return true;
        case 16:
            f.template operator()<columnar::int128_t>();
            return true;
        default:
            return false;
    }
}

// Appends the rows `selection` names (in that order) of `in` to `out`, which keeps its rows.
// REQUIRES: out->type() equals in.type().
void AppendRows(const columnar::ColumnVector& in, const uint32_t* selection, size_t count,
                columnar::ColumnVector* out);

// Appends rows [start, start + count) of `in` to `out`: bulk copies of each buffer, for
// concatenating whole batches. REQUIRES: as AppendRows; start + count <= in.length().
void AppendRange(const columnar::ColumnVector& in, size_t start, size_t count,
                 columnar::ColumnVector* out);

}  // namespace tarn::sql
