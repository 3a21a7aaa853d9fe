// Internal to sql/exec/: the row order of ORDER BY, shared by Sort and TopN.
//
// RowComparator compares two rows (of possibly different column sets of one schema) key by key
// with one typed compare function per key, chosen once: strings by bytes, NaN above every number,
// -0.0 = 0.0, NULLS FIRST/LAST per key independent of direction.
//
// SortRows avoids most of those calls: it sorts most-significant-first. For the first key it
// maps every row to a uint64_t image that orders as the key does (direction included; strings
// 8 bytes at a time, 128-bit decimals a half at a time), sorts (image, row) pairs stably (LSD
// radix sort for large ranges, std::stable_sort for smaller ones), and then sorts each run of
// equal images by the next 8 bytes or the next key the same way. The typed compare functions
// only run inside runs of at most 16 rows.
//
// Thread-safety: a const comparator may be used from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/schema.h"
#include "sql/exec/aggregate_sort.h"

namespace tarn::sql {

// Column pointers of one set of rows, by schema column.
using ColumnRefs = std::vector<const columnar::ColumnVector*>;

class RowComparator {
public:
    // REQUIRES: each key's column exists in `schema` and is not nested.
    RowComparator(const columnar::Schema& schema, std::vector<SortKey> keys);

    // < 0 when row a of `as` sorts before row b of `bs`, 0 on a tie (keys from `first_key` on).
    int Compare(const ColumnRefs& as, uint32_t a, const ColumnRefs& bs, uint32_t b,
                size_t first_key = 0) const;

    const std::vector<SortKey>& keys() const { return keys_; }

private:
    using CompareFn = int (*)(const columnar::ColumnVector&, uint32_t,
                              const columnar::ColumnVector&, uint32_t);
    std::vector<SortKey> keys_;
    std::vector<CompareFn> compare_;
};

// Sets *order to the rows [0, rows) of `columns` in sorted order, ties in row order (stable).
void SortRows(const RowComparator& comparator, const ColumnRefs& columns, size_t rows,
              std::vector<uint32_t>* order);

// Checks the keys against the schema: in range and orderable.
Status CheckSortKeys(const columnar::Schema& schema, const std::vector<SortKey>& keys);

}  // namespace tarn::sql
