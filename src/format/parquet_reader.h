// ParquetReader: reads a Parquet file into columnar record batches, through byte-range reads of a
// RandomAccessSource (parquet_source.h), so the same code reads local lake files and S3 objects.
//
// Use:
//   ParquetReaderOptions options;
//   options.columns = std::vector<std::string>{"user_id", "device.os"};   // projection
//   options.predicates = {{"event_time", ParquetPredicate::Op::kGe, int64_t{t0}}};
//   TARN_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(store, "processed/t/part-0.parquet",
//                                                          options));
//   columnar::RecordBatch batch = reader->NewBatch();
//   while (true) {
//       TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
//       if (!more) break;
//       ... batch.num_rows() rows of reader->schema() ...
//   }
//
// Open reads the footer (one read of the file's last 64 KiB, one of its leading magic, and a third
// only when the footer is larger than the tail read; one read in all for smaller files), checks
// the "PAR1" magic at both ends and every size and offset of the footer against
// the file size before anything is allocated from it, maps the schema (parquet_schema.h's rules),
// resolves the projection and the predicates, and decides which row groups to read. Next then
// reads, per row group, the byte ranges of the projected column chunks only (adjacent ones in one
// read), holds them while it decodes them batch by batch (memory: about one row group's projected
// compressed bytes plus a batch), and moves on; batches never span row groups.
//
// Projection: `columns` names top-level fields ("a") or struct members ("a.b", "a.b.c"); the
// output schema has the named top-level fields in the order first named, and a struct of which
// only some members are named keeps just those (in file order): "a.b" gives a: STRUCT<b: ...>.
// A name that exists as a top-level field is taken whole even if it contains dots.
//
// Row-group skipping: predicates (parquet_stats_filter.h) are ANDed; a row group is skipped when
// one of them cannot hold for any of its rows by the chunk's statistics. skipped_row_groups()
// tells which were, scan_bytes() how many column-chunk bytes the read will fetch.
//
// Errors: a damaged file gives Status::Corruption naming the file, and the row group, column and
// page where it applies ("lake/x.parquet: column chunk 3 of row group 1 ends at 9000, past the end
// of the file (8123 bytes)"); encrypted files and features tarn lacks give Unimplemented; the
// source's errors (NotFound, IOError) pass through with the file named. After an error, Next
// returns the same error again. Decoded batches always pass RecordBatch::Validate().
//
// Limits (ResourceExhausted, naming the column): one batch of one column holds at most 4 GiB of
// string bytes (columnar offsets are 32-bit) and a nested column at most 2^24 level entries
// (values, nulls and empty lists) per batch; read with fewer batch_rows. These bound what one
// batch of a damaged or hostile file can make the reader allocate.
//
// Thread-safety: one thread at a time per reader; separate readers are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/parquet_leaf_path.h"
#include "format/parquet_metadata.h"
#include "format/parquet_schema.h"
#include "format/parquet_source.h"
#include "format/parquet_stats_filter.h"
#include "format/read_buffer_pool.h"
#include "storage/storage.h"

namespace tarn::format {

class ColumnChunkReader;
class NestedAssembler;
struct NestedLevels;

struct ParquetReaderOptions {
    // nullopt: every column. An empty list reads no column (batches carry only row counts).
    std::optional<std::vector<std::string>> columns;
    // ANDed; row groups that cannot match are skipped. Not applied to rows.
    std::vector<ParquetPredicate> predicates;
    // Only these row groups (in this order); nullopt: all. Predicates still apply.
    std::optional<std::vector<size_t>> row_groups;
    // Rows per batch (at most; fewer at the end of a row group). REQUIRES: > 0.
    size_t batch_rows = columnar::kDefaultBatchRows;
    ParquetSchemaOptions schema;
    // Top-level columns whose types tarn does not read (INTERVAL, VARIANT, ...: the Unimplemented
    // cases of parquet_schema.h) are left out of file_schema() instead of failing Open; see
    // unsupported_columns(). Naming one in `columns` is still an error.
    bool skip_unsupported_columns = false;
    // Projected column chunks of a row group that lie at most this many bytes apart are fetched
    // in one read, the bytes between them included (worth it on S3, where a request costs more
    // than a few hundred KiB). 0: only chunks that touch are merged, so exactly the projected
    // chunks' bytes are read.
    uint64_t coalesce_gap_bytes = 0;
    // Runs RecordBatch::Validate on every batch (tests; the reader keeps batches valid anyway).
    bool validate_batches = false;
    // Where the buffers of fetched column chunks come from; nullptr: ReadBufferPool::Default().
    // Must outlive the reader.
    ReadBufferPool* buffer_pool = nullptr;
    // Called by Open once the file's schema is mapped, before `columns` and `predicates` are
    // resolved: a caller whose projection depends on what the file holds (a table whose schema
    // evolved: older files lack columns) sets them here, in the same single footer read.
    std::function<void(const ParquetSchema& file_schema, ParquetReaderOptions* options)>
        adapt_to_file;
};

// A file's footer, read and checked as ParquetReader::Open does (magic at both ends, the footer
// length against the file size) but without mapping its schema: for tools that show files tarn
// cannot otherwise read. Sets *file_size and *footer_size when not null.
Result<FileMetaData> ReadParquetFooter(RandomAccessSource* source, uint64_t* file_size = nullptr,
                                       uint32_t* footer_size = nullptr);

class ParquetReader {
public:
    // Takes ownership of `source`.
    static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessSource> source,
                                                       ParquetReaderOptions options = {});
    // The object `key` of `store`. Does not take ownership of `store`, which must outlive the
    // reader.
    static Result<std::unique_ptr<ParquetReader>> Open(storage::ObjectStore* store, std::string key,
                                                       ParquetReaderOptions options = {});
    ~ParquetReader();
    ParquetReader(const ParquetReader&) = delete;
    ParquetReader& operator=(const ParquetReader&) = delete;

    // ---- The file ---------------------------------------------------------------------------
    const std::string& name() const;
    uint64_t file_size() const { return file_size_; }
    uint32_t footer_size() const { return footer_size_; }
    const FileMetaData& metadata() const { return meta_; }
    // The whole file's schema: columnar, Parquet elements and leaf columns.
    const ParquetSchema& file_schema() const { return pschema_; }
    // The file's column order for leaf `leaf`, or nullptr when the file declares none.
    const ColumnOrder* column_order(size_t leaf) const;
    // The column chunk of leaf `leaf` (of file_schema().columns) in row group `group`.
    const ColumnChunk& chunk(size_t group, size_t leaf) const {
        return meta_.row_groups[group].columns[file_leaf_[leaf]];
    }
    // Top-level columns left out by skip_unsupported_columns: name and reason.
    const std::vector<std::pair<std::string, std::string>>& unsupported_columns() const {
        return unsupported_;
    }

    // ---- The scan ---------------------------------------------------------------------------
    // The output schema (after projection).
    const std::shared_ptr<const columnar::Schema>& schema() const { return schema_; }
    // The leaf columns read (indices into file_schema().columns), in file order.
    const std::vector<size_t>& projected_leaves() const { return leaves_; }
    // Row groups to read, in order, and those skipped by the predicates.
    const std::vector<size_t>& row_groups() const { return groups_; }
    const std::vector<size_t>& skipped_row_groups() const { return skipped_; }
    // Rows the scan returns in total.
    int64_t num_rows() const { return scan_rows_; }
    // Column-chunk bytes the scan fetches (projected chunks of the row groups read).
    uint64_t scan_bytes() const { return scan_bytes_; }
    // Bytes fetched from the source so far (footer included) and the number of reads.
    uint64_t bytes_read() const;
    uint64_t reads() const;

    // A batch of schema(), sized for batch_rows rows.
    columnar::RecordBatch NewBatch() const;

    // Replaces *batch's rows with the next rows (at most batch_rows); false when every row has
    // been read (the batch is then empty). REQUIRES: batch's schema equals schema().
    Result<bool> Next(columnar::RecordBatch* batch);

private:
    ParquetReader(std::unique_ptr<RandomAccessSource> source, ParquetReaderOptions options);
    Status ReadFooter();
    Status MapSchema();
    Status ValidateMetadata();
    Status Project();
    Status SelectRowGroups();
    Status StartRowGroup(size_t group);
    Status ReadBatch(size_t rows, columnar::RecordBatch* batch);
    Status Fail(Status s);

    std::unique_ptr<RandomAccessSource> source_;
    ParquetReaderOptions options_;
    uint64_t file_size_ = 0;
    uint32_t footer_size_ = 0;
    FileMetaData meta_;
    ParquetSchema pschema_;
    std::vector<size_t> file_leaf_;  // per pschema_ leaf: its column chunk index in the file
    size_t file_leaves_ = 0;         // column chunks per row group
    std::vector<std::pair<std::string, std::string>> unsupported_;
    std::shared_ptr<const columnar::Schema> schema_;
    std::vector<size_t> leaves_;
    std::vector<LeafPath> paths_;  // per projected leaf
    std::vector<size_t> groups_;
    std::vector<size_t> skipped_;
    int64_t scan_rows_ = 0;
    uint64_t scan_bytes_ = 0;

    // The scan's position.
    size_t next_group_ = 0;                 // index into groups_
    int64_t group_left_ = 0;                // rows of the current row group not yet returned
    ReadBufferPool* pool_ = nullptr;        // options_.buffer_pool or the default pool
    std::vector<ReadBuffer> group_bytes_;  // the current row group's fetched ranges
    std::vector<std::unique_ptr<ColumnChunkReader>> readers_;  // per projected leaf
    std::unique_ptr<NestedAssembler> assembler_;
    std::unique_ptr<NestedLevels> levels_;
    std::vector<columnar::ColumnVector*> vecs_;
    Status status_;
};

}  // namespace tarn::format
