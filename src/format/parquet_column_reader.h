// ColumnChunkReader: reads one leaf column of one row group at a time, batch by batch, into the
// output vectors. Internal to the format module; ParquetReader keeps one per projected leaf and
// restarts it on each row group.
//
// Flat leaves (no repetition) are decoded page segment by page segment straight into the batch:
// a segment whose definition levels are one RLE run (no nulls, or all null) never materializes
// its levels; otherwise the levels are decoded in bulk, validity bits are written 64 at a time, and
// the values, decoded densely, are spread over their slots in place. Nested leaves hand their
// levels and dense values to NestedAssembler (parquet_nested_assembly.h).
//
// Thread-safety: one thread per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "columnar/buffer.h"
#include "columnar/column_vector.h"
#include "common/status.h"
#include "format/parquet_leaf_path.h"
#include "format/parquet_metadata.h"
#include "format/parquet_page_reader.h"
#include "format/parquet_rle_decoder.h"
#include "format/parquet_schema.h"
#include "format/parquet_value_decoder.h"

namespace tarn::format {

// The levels of a batch of rows of a nested leaf.
struct NestedLevels {
    columnar::Buffer def;  // uint16_t per entry
    columnar::Buffer rep;  // uint16_t per entry
    size_t entries = 0;
    size_t values = 0;  // entries with def == max_def: the dense values decoded into the leaf

    const uint16_t* def_levels() const { return def.data_as<uint16_t>(); }
    const uint16_t* rep_levels() const { return rep.data_as<uint16_t>(); }
};

class ColumnChunkReader {
public:
    // REQUIRES: `column` and `path` outlive the reader. `file` names the file in messages.
    ColumnChunkReader(const ParquetColumn& column, const LeafPath& path, std::string file);

    // Starts on the pages of a column chunk (`chunk` must outlive the reading) of row group
    // `row_group`, which has `num_rows` rows.
    void Start(std::string_view chunk, const ColumnMetaData& meta, size_t row_group,
               int64_t num_rows);

    // Flat leaves: decodes the next `rows` rows into slots [0, rows) of the path's vectors
    // (vecs[i] for path step i), which already have length `rows` (fresh: valid, zero/empty).
    // Only the leaf and the vectors this leaf drives are written.
    Status ReadFlat(size_t rows, columnar::ColumnVector* const* vecs);

    // Nested leaves: the levels of the next `rows` rows into *levels and their values, dense,
    // into slots [0, levels->values) of `leaf` (which starts the batch empty, or as long as
    // another leaf's struct made it).
    Status ReadNested(size_t rows, NestedLevels* levels, columnar::ColumnVector* leaf);

    const std::string& context() const { return context_; }

private:
    Status Fail(const std::string& what) const;
    // Moves to the next data page with values (decoding a dictionary page on the way); false at
    // the end of the chunk.
    Result<bool> NextDataPage();
    Status CheckLevels(const uint16_t* levels, size_t n, int16_t max, const char* what) const;
    Status DecodeValuesInto(size_t n, columnar::ColumnVector* leaf, size_t pos);

    const ParquetColumn& column_;
    const LeafPath& path_;
    const std::string file_;
    std::string context_;
    PageReader pages_;
    ValueDecoder values_;
    RleDecoder def_;
    RleDecoder rep_;
    int64_t chunk_values_ = 0;  // ColumnMetaData::num_values
    int64_t levels_seen_ = 0;   // level entries of the pages started so far
    int64_t num_rows_ = 0;
    int64_t rows_read_ = 0;
    bool data_seen_ = false;
    size_t page_left_ = 0;  // entries of the current page whose levels are not decoded yet
    columnar::Buffer def_scratch_;
    // Nested leaves: levels decoded ahead, within the current page.
    columnar::Buffer win_def_;
    columnar::Buffer win_rep_;
    size_t win_pos_ = 0;
    size_t win_len_ = 0;
};

}  // namespace tarn::format
