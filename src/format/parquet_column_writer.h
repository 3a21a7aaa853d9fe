// ColumnChunkWriter: encodes one leaf column of the current row group into pages, buffered in
// memory until the row group is flushed (a row group's column chunks are contiguous in the file).
// Internal to the format module; ParquetWriter drives one per leaf.
//
// Levels go straight into RLE/bit-packed encoders as slices arrive; values go to the chunk's
// current encoding (typed subclasses, one per physical representation, see
// parquet_column_writer.cc). A page is cut at a row boundary once its estimated size reaches
// data_page_bytes, checked every kMiniBatchLevels levels, once it holds data_page_max_rows rows,
// or when the dictionary has outgrown its limit. Page statistics are computed as values arrive and
// merged into the chunk's.
//
// Encoding choice, per column chunk: the first page samples. It keeps the PLAIN bytes and, when
// dictionaries are on (and the type is not BOOLEAN), the dictionary indices; when it is flushed
// the writer compares PLAIN, DELTA_BINARY_PACKED (INT32/INT64 physical types, when delta is on)
// and RLE_DICTIONARY (its indices plus the whole dictionary so far) and keeps the smallest for the
// chunk. A dictionary chunk falls back to the best of PLAIN/DELTA for the rest of its pages once
// the dictionary's PLAIN size passes dictionary_page_limit (the page that crossed it still uses
// the dictionary, so the dictionary page may exceed the limit by one page's new entries).
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "format/compression.h"
#include "format/parquet_levels.h"
#include "format/parquet_metadata.h"
#include "format/parquet_schema.h"
#include "format/rle_bit_packing.h"
#include "storage/storage.h"

namespace tarn::format {

// Memory for the pages of open column chunks: blocks that go back to the pool when a row group
// is flushed and are reused by the next one (any column), so steady-state writing neither
// reallocates page memory nor faults in fresh pages. Owned by the ParquetWriter, shared by its
// column writers (one thread).
class BlockPool {
public:
    struct Free {
        void operator()(char* p) const;
    };
    struct Block {
        std::unique_ptr<char[], Free> data;
        size_t capacity = 0;
        size_t used = 0;
    };
    // A free block of at least `min_capacity` bytes (used == 0), or a new one.
    Block Take(size_t min_capacity);
    void Give(Block block);
    // Bytes held by free blocks.
    size_t free_bytes() const { return free_bytes_; }

private:
    std::vector<Block> free_;
    size_t free_bytes_ = 0;
};

// Buffers for assembling one page, shared by the column writers of one ParquetWriter (pages are
// flushed one at a time), so their memory is paid once per file rather than once per column.
struct PageScratch {
    std::string page;
    std::string values;
    ScratchArray<char> compressed;
    std::string header;
};

struct ColumnWriterOptions {
    CompressionCodec codec = CompressionCodec::kSnappy;
    std::optional<int> compression_level;
    size_t data_page_bytes = 1 << 20;
    size_t data_page_max_rows = 20000;
    bool dictionary = true;
    size_t dictionary_page_limit = 1 << 20;
    bool delta = true;
    int data_page_version = 1;
    // BYTE_ARRAY min/max statistics longer than this are truncated (0: never).
    size_t max_statistics_bytes = 64;
};

class ColumnChunkWriter {
public:
    // Levels written between page-size checks, at most; fewer when the page is close to full
    // (estimated from the bytes per level seen so far) so wide values do not overshoot it.
    static constexpr size_t kMiniBatchLevels = 1024;
    // Levels of the first mini-batch of a page, at most.
    static constexpr size_t kFirstMiniBatchLevels = 64;

    // A writer for `column`; `column`, `pool` and `scratch` must outlive it.
    static std::unique_ptr<ColumnChunkWriter> Make(const ParquetColumn& column,
                                                   const ColumnWriterOptions& options,
                                                   BlockPool* pool, PageScratch* scratch);
    virtual ~ColumnChunkWriter() = default;
    ColumnChunkWriter(const ColumnChunkWriter&) = delete;
    ColumnChunkWriter& operator=(const ColumnChunkWriter&) = delete;

    // Appends one slice of rows (made by LevelShredder for this column).
    Status Write(const LeafLevels& levels);

    // Bytes the current chunk holds: finished pages (compressed), the current page and the
    // dictionary (estimated, encoded).
    size_t EstimatedSize() const;

    // Ends the chunk: flushes the last page, appends the dictionary page (if any) and the data
    // pages to `out`, whose size() is the chunk's file offset, and fills `*chunk`. The writer is
    // then ready for the next row group's chunk. Does not take ownership of `out`.
    Status FinishChunk(storage::ObjectWriter* out, ColumnChunk* chunk);

protected:
    ColumnChunkWriter(const ParquetColumn& column, const ColumnWriterOptions& options,
                      BlockPool* pool, PageScratch* scratch);

    // ---- Typed hooks ----------------------------------------------------------------------
    // Appends the values [begin, end) of the slice's value selection to the current page.
    virtual void AppendValues(const LeafLevels& levels, size_t begin, size_t end) = 0;
    // Estimated encoded bytes of the current page's values.
    virtual size_t PageValuesEstimate() const = 0;
    // Bytes held by the dictionary (its PLAIN size), 0 without one.
    virtual size_t DictionaryBytes() const { return 0; }
    // True when the dictionary has outgrown dictionary_page_limit (the page is then flushed and
    // the chunk falls back).
    virtual bool DictionaryFull() const { return false; }
    // Appends the current page's encoded values to `*out` and says how they are encoded; sets
    // min/max in `*stats` (when the page has non-null values) and clears the page's values.
    virtual void EncodePageValues(std::string* out, Encoding* encoding, Statistics* stats) = 0;
    // The dictionary page body (PLAIN) and entry count when the chunk used a dictionary.
    virtual bool DictionaryPage(std::string* body, int32_t* count) = 0;
    // Sets the chunk's min/max in `*stats` (when it has non-null values).
    virtual void ChunkMinMax(Statistics* stats) = 0;
    // Forgets the chunk's dictionary, statistics and encoding choice.
    virtual void ResetChunk() = 0;

    const ParquetColumn& column_;
    const ColumnWriterOptions options_;

private:
    void StartPage();
    Status FlushPage();
    // Compresses `body` (or not) and appends header, levels and body to the chunk's blocks.
    Status AppendPage(PageHeader* header, std::string_view levels, std::string_view body);
    // `n` bytes of block space at the end of the chunk.
    char* Reserve(size_t n);
    void CountPage(PageType type, Encoding encoding);

    const int def_width_;
    const int rep_width_;
    std::string def_buf_;
    std::string rep_buf_;
    RleBitPackedEncoder def_enc_;
    RleBitPackedEncoder rep_enc_;

    // Levels that should take the current page to about data_page_bytes.
    size_t MiniBatchLevels() const;

    // Encoded bytes per level of the last flushed page (0 before the first).
    double last_bytes_per_level_ = 0;
    // The current page.
    size_t page_levels_ = 0;
    size_t page_values_ = 0;
    size_t page_rows_ = 0;

    // The current chunk.
    BlockPool* const pool_;
    std::vector<BlockPool::Block> blocks_;  // data pages: header + body each, in order
    size_t chunk_bytes_ = 0;                // bytes used in blocks_
    int64_t chunk_levels_ = 0;
    int64_t chunk_values_ = 0;
    int64_t chunk_uncompressed_ = 0;  // headers included
    int64_t chunk_compressed_ = 0;
    int32_t page_counts_[10] = {};  // data pages per Encoding value

    PageScratch* const scratch_;
};

}  // namespace tarn::format
