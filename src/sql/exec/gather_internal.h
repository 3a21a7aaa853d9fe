// Internal to sql/exec/: appending selected rows of one vector to another, the building block of
// GatherRows (filters, sort permutations) and of the operators that copy their input into owned
// storage (sort, TopN), which must keep rows after the child's batch is gone.
#pragma once

#include <cstddef>
#include <cstdint>

#include "columnar/column_vector.h"

namespace tarn::sql {

// Appends the rows `selection` names (in that order) of `in` to `out`, which keeps its rows.
// REQUIRES: out->type() equals in.type().
void AppendRows(const columnar::ColumnVector& in, const uint32_t* selection, size_t count,
                columnar::ColumnVector* out);

// Appends rows [start, start + count) of `in` to `out`: bulk copies of each buffer, for
// concatenating whole batches. REQUIRES: as AppendRows; start + count <= in.length().
void AppendRange(const columnar::ColumnVector& in, size_t start, size_t count,
                 columnar::ColumnVector* out);

}  // namespace tarn::sql
