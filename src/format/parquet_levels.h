// Dremel shredding: the definition and repetition levels of one Parquet leaf column for a range of
// top-level rows of a columnar vector, and which leaf slots hold its values. Internal to the
// format module (the Parquet writer; the reader's tests use it as an oracle).
//
// The steps of the leaf (ParquetColumn::steps) say how each nesting level contributes: a null
// optional field ends the entry at its parent's level, an empty list or map ends it at the list's
// level, a list's entries fan out (the first keeps the enclosing repetition level, the others get
// the list's), and an entry that reaches the leaf with a non-null value has max_def_level. Null
// parents hide whatever their children slots hold, and a null list may own any offsets range.
//
// Flat columns take fast paths: a required column has no definition levels and its values are
// the row range itself; an optional one without nulls in the range has constant levels (encoded
// as one run) and the same contiguous values; only nulls or nesting produce level and index
// arrays. Scratch buffers are kept across calls, so shredding allocates only while growing.
//
// Thread-safety: one shredder per thread; a const ColumnVector may be shredded by many at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "columnar/buffer.h"
#include "columnar/column_vector.h"
#include "format/parquet_schema.h"

namespace tarn::format {

// Typed view over a columnar::Buffer used as a growable scratch array (contents unspecified after
// Resize).
template <class T>
class ScratchArray {
public:
    T* data() { return buf_.mutable_data_as<T>(); }
    const T* data() const { return buf_.data_as<T>(); }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void Resize(size_t n) {
        buf_.Resize(n * sizeof(T));
        size_ = n;
    }
    void Clear() { size_ = 0; }
    T& operator[](size_t i) { return data()[i]; }
    const T& operator[](size_t i) const { return data()[i]; }

private:
    columnar::Buffer buf_;
    size_t size_ = 0;
};

// The levels and values of one leaf for a range of rows.
struct LeafLevels {
    size_t num_levels = 0;
    // One definition level per entry, or empty when every entry is a value (then the levels are
    // all max_def_level, which is 0 for a required flat column).
    ScratchArray<uint16_t> def;
    // One repetition level per entry; empty when max_rep_level == 0.
    ScratchArray<uint16_t> rep;
    // The leaf vector and its slots holding the entries' values, in order: value_index when
    // `contiguous` is false, else the slots [value_begin, value_begin + num_values).
    const columnar::ColumnVector* leaf = nullptr;
    size_t num_values = 0;
    bool contiguous = true;
    size_t value_begin = 0;
    ScratchArray<uint32_t> value_index;
};

class LevelShredder {
public:
    // Shreds rows [row_begin, row_end) of `top`, the top-level column holding `column`, into
    // `*out` (previous contents replaced). REQUIRES: top's type matches the column's steps;
    // row_begin <= row_end <= top.length(); the vector is valid (ColumnVector::Validate).
    void Shred(const ParquetColumn& column, const columnar::ColumnVector& top, size_t row_begin,
               size_t row_end, LeafLevels* out);

private:
    void ShredFlat(const ParquetColumn& column, const columnar::ColumnVector& top, size_t row_begin,
                   size_t row_end, LeafLevels* out);
    void ShredNested(const ParquetColumn& column, const columnar::ColumnVector& top,
                     size_t row_begin, size_t row_end, LeafLevels* out);

    // Entries being expanded: index into the current vector (kDead once the entry has ended),
    // and the levels fixed so far. Two sets, swapped at each list expansion.
    ScratchArray<uint32_t> idx_[2];
    ScratchArray<uint16_t> def_[2];
    ScratchArray<uint16_t> rep_[2];
};

}  // namespace tarn::format
