// ParquetWriter: streams columnar record batches into one Parquet file written through a
// storage::ObjectWriter, so the same code writes local files and S3 objects. The file layout,
// encodings and statistics are described in parquet_writer.md beside this header; the schema
// mapping in parquet_schema.h.
//
// Use:
//   TARN_ASSIGN_OR_RETURN(auto object, store->OpenWriter("processed/t/part-0.parquet"));
//   TARN_ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(object.get(), schema, options));
//   for (...) TARN_RETURN_IF_ERROR(writer->Write(batch));
//   TARN_ASSIGN_OR_RETURN(FileMetaData footer, writer->Close());
//   TARN_RETURN_IF_ERROR(object->Commit());  // the caller publishes the object
//
// Streaming: batches are shredded and encoded into pages as they arrive; the pages of the open
// row group are buffered per column (a row group's column chunks must be contiguous) and written
// out when the row group reaches row_group_bytes, so memory is bounded by about one row group
// plus one page per column. Rows of one batch may end up in two row groups.
//
// Errors: the first error (an I/O error of the ObjectWriter, a page over the format's 2 GiB
// limit, a batch of another schema) leaves the writer failed: later Write and Close calls return
// the same Status. A failed or unclosed file is not a valid Parquet file; the caller drops the
// ObjectWriter without committing it. Output is deterministic: the same batches and options give
// the same bytes (nothing depends on the time of writing), so a replayed write is byte-identical.
//
// Thread-safety: one thread at a time. Batches are only read during Write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/compression.h"
#include "format/parquet_metadata.h"
#include "format/parquet_schema.h"
#include "storage/storage.h"

namespace tarn::format {

class BlockPool;
class ColumnChunkWriter;
struct PageScratch;
class LevelShredder;
struct LeafLevels;

struct ParquetWriterOptions {
    // UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW or BROTLI (others are InvalidArgument).
    CompressionCodec codec = CompressionCodec::kSnappy;
    // The codec's own level (GZIP 1..9, ZSTD's range); nullopt: the library default.
    std::optional<int> compression_level;
    // A row group is closed once its estimated encoded size (finished compressed pages, the open
    // pages and the dictionaries) reaches this. It is checked every few thousand rows (fewer when
    // the rows are large), so row groups are about this size, not exactly.
    uint64_t row_group_bytes = uint64_t{128} << 20;
    // A data page is cut, at a row boundary, once its estimated encoded size reaches
    // data_page_bytes or it holds data_page_max_rows rows (parquet-mr's and Arrow's default
    // limit: small pages of dictionary indices stay in cache, and readers skip finer).
    uint64_t data_page_bytes = uint64_t{1} << 20;
    uint64_t data_page_max_rows = 20000;
    // Dictionary encoding (RLE_DICTIONARY) for every type but BOOLEAN, kept for a column chunk
    // when its first page is smaller so; a chunk falls back to PLAIN/DELTA once its dictionary
    // passes dictionary_page_limit bytes (PLAIN size; at most 1 GiB).
    bool dictionary = true;
    uint64_t dictionary_page_limit = uint64_t{1} << 20;
    // DELTA_BINARY_PACKED for INT32/INT64 physical columns (integers, DATE, TIMESTAMP, DECIMAL
    // up to 18 digits) when it is smaller than PLAIN on a chunk's first page.
    bool delta = true;
    // 1 (DataPageHeader) or 2 (DataPageHeaderV2: levels uncompressed, page statistics too).
    int data_page_version = 1;
    std::vector<KeyValue> key_value_metadata;
    // Empty: "tarn version <version>".
    std::string created_by;
    // VARCHAR/VARBINARY min/max statistics longer than this many bytes are truncated to valid
    // bounds (see parquet_statistics.h); 0 keeps them whole.
    size_t max_statistics_bytes = 64;
};

// The `created_by` tarn writes by default.
std::string DefaultCreatedBy();

class ParquetWriter {
public:
    // Starts a file on `out` (which must be empty) by writing the leading magic. Does not take
    // ownership of `out`, which must outlive the writer. InvalidArgument for options out of range
    // (a codec that cannot be written, a bad level, zero sizes, page version other than 1 or 2)
    // or a non-empty `out`; the ObjectWriter's error when the write fails.
    static Result<std::unique_ptr<ParquetWriter>> Open(
        storage::ObjectWriter* out, std::shared_ptr<const columnar::Schema> schema,
        ParquetWriterOptions options = {});
    ~ParquetWriter();
    ParquetWriter(const ParquetWriter&) = delete;
    ParquetWriter& operator=(const ParquetWriter&) = delete;

    // Appends the batch's rows. REQUIRES: the batch is valid (RecordBatch::Validate; it is not
    // re-checked here). InvalidArgument when its schema differs from the writer's (names, types,
    // nullability, field ids); FailedPrecondition after Close.
    Status Write(const columnar::RecordBatch& batch);

    // Flushes the open row group and writes the footer, its length and the trailing magic. The
    // object is then a complete Parquet file (the caller commits it). Returns the footer written.
    // A file without rows has no row groups. FailedPrecondition when called twice.
    Result<FileMetaData> Close();

    const ParquetSchema& parquet_schema() const { return pschema_; }
    // Rows written so far, in closed row groups and the open one.
    int64_t num_rows() const { return num_rows_; }
    // Estimated bytes of the open row group.
    size_t buffered_bytes() const;

private:
    ParquetWriter(storage::ObjectWriter* out, std::shared_ptr<const columnar::Schema> schema,
                  ParquetWriterOptions options);
    Status Fail(Status s);
    Status FlushRowGroup();
    size_t NextSliceRows(size_t remaining) const;

    storage::ObjectWriter* const out_;
    const std::shared_ptr<const columnar::Schema> schema_;
    const ParquetWriterOptions options_;
    const ParquetSchema pschema_;
    std::unique_ptr<BlockPool> pool_;
    std::unique_ptr<PageScratch> scratch_;
    std::vector<std::unique_ptr<ColumnChunkWriter>> writers_;
    std::unique_ptr<LevelShredder> shredder_;
    std::unique_ptr<LeafLevels> levels_;
    std::vector<RowGroup> row_groups_;
    int64_t num_rows_ = 0;
    size_t group_rows_ = 0;     // rows in the open row group
    double bytes_per_row_ = 0;  // of the last closed row group; 0 before the first
    Status status_;
    bool closed_ = false;
};

}  // namespace tarn::format
