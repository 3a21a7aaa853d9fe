#include "format/parquet_writer.h"

#include <algorithm>
#include <climits>
#include <string>
#include <utility>

#include "format/parquet_column_writer.h"
#include "format/parquet_levels.h"

#ifndef TARN_VERSION
#define TARN_VERSION "0.0.0"
#endif

namespace tarn::format {
namespace {

constexpr std::string_view kMagic = "PAR1";
// Rows shredded per step, at most; the row-group size is checked after each.
constexpr size_t kMaxSliceRows = 4096;
// The first slice of a file, before any row size is known.
constexpr size_t kFirstSliceRows = 1024;
constexpr uint64_t kMaxDictionaryLimit = uint64_t{1} << 30;

Status CheckOptions(const ParquetWriterOptions& o) {
    switch (o.codec) {
        case CompressionCodec::kUncompressed:
        case CompressionCodec::kSnappy:
        case CompressionCodec::kGzip:
        case CompressionCodec::kZstd:
        case CompressionCodec::kLz4Raw:
        case CompressionCodec::kBrotli:
            break;
        default:
            return Status::InvalidArgument("ParquetWriter: codec " +
                                           std::string(CompressionCodecName(o.codec)) +
                                           " cannot be written (use UNCOMPRESSED, SNAPPY, GZIP, "
                                           "ZSTD, LZ4_RAW or BROTLI)");
    }
    if (o.codec != CompressionCodec::kUncompressed) {
        std::string probe;
        const Status s = Compress(o.codec, "tarn", &probe, o.compression_level);
        if (!s.ok()) return Status::InvalidArgument("ParquetWriter: " + s.message());
    }
    if (o.row_group_bytes == 0) {
        return Status::InvalidArgument("ParquetWriter: row_group_bytes must be positive");
    }
    if (o.data_page_bytes == 0 || o.data_page_bytes > INT32_MAX) {
        return Status::InvalidArgument("ParquetWriter: data_page_bytes must be in 1..2^31-1");
    }
    if (o.data_page_max_rows == 0 || o.data_page_max_rows > INT32_MAX) {
        return Status::InvalidArgument("ParquetWriter: data_page_max_rows must be in 1..2^31-1");
    }
    if (o.dictionary_page_limit > kMaxDictionaryLimit) {
        return Status::InvalidArgument(
            "ParquetWriter: dictionary_page_limit must be at most "
            "1 GiB");
    }
    if (o.data_page_version != 1 && o.data_page_version != 2) {
        return Status::InvalidArgument("ParquetWriter: data_page_version must be 1 or 2, not " +
                                       std::to_string(o.data_page_version));
    }
    return Status::Ok();
}

}  // namespace

std::string DefaultCreatedBy() { return std::string("tarn version ") + TARN_VERSION; }

ParquetWriter::ParquetWriter(storage::ObjectWriter* out,
                             std::shared_ptr<const columnar::Schema> schema,
                             ParquetWriterOptions options)
    : out_(out),
      schema_(std::move(schema)),
      options_(std::move(options)),
      pschema_(ToParquetSchema(*schema_)),
      pool_(std::make_unique<BlockPool>()),
      scratch_(std::make_unique<PageScratch>()),
      shredder_(std::make_unique<LevelShredder>()),
      levels_(std::make_unique<LeafLevels>()) {
    const ColumnWriterOptions co{
        .codec = options_.codec,
        .compression_level = options_.compression_level,
        .data_page_bytes = static_cast<size_t>(options_.data_page_bytes),
        .data_page_max_rows = static_cast<size_t>(options_.data_page_max_rows),
        .dictionary = options_.dictionary,
        .dictionary_page_limit = static_cast<size_t>(options_.dictionary_page_limit),
        .delta = options_.delta,
        .data_page_version = options_.data_page_version,
        .max_statistics_bytes = options_.max_statistics_bytes,
    };
    for (const ParquetColumn& col : pschema_.columns) {
        writers_.push_back(ColumnChunkWriter::Make(col, co, pool_.get(), scratch_.get()));
    }
}

ParquetWriter::~ParquetWriter() = default;

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(
    storage::ObjectWriter* out, std::shared_ptr<const columnar::Schema> schema,
    ParquetWriterOptions options) {
    if (out == nullptr || schema == nullptr) {
        return Status::InvalidArgument("ParquetWriter: null ObjectWriter or schema");
    }
    if (out->size() != 0) {
        return Status::InvalidArgument("ParquetWriter: object '" + out->key() + "' already holds " +
                                       std::to_string(out->size()) + " bytes");
    }
    TARN_RETURN_IF_ERROR(CheckOptions(options));
    std::unique_ptr<ParquetWriter> w(new ParquetWriter(out, std::move(schema), std::move(options)));
    TARN_RETURN_IF_ERROR(out->Append(kMagic));
    return w;
}

Status ParquetWriter::Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
    return status_;
}

size_t ParquetWriter::buffered_bytes() const {
    size_t total = 0;
    for (const auto& w : writers_) total += w->EstimatedSize();
    return total;
}

size_t ParquetWriter::NextSliceRows(size_t remaining) const {
    size_t rows = std::min(remaining, kMaxSliceRows);
    double per_row = bytes_per_row_;
    size_t buffered = 0;
    if (group_rows_ > 0) {
        buffered = buffered_bytes();
        per_row = static_cast<double>(buffered) / static_cast<double>(group_rows_);
    }
    if (per_row <= 0) return std::min(rows, kFirstSliceRows);
    const double left = options_.row_group_bytes > buffered
                            ? static_cast<double>(options_.row_group_bytes - buffered)
                            : 0.0;
    const double fit = left / per_row + 1;
    return fit < static_cast<double>(rows) ? std::max<size_t>(1, static_cast<size_t>(fit)) : rows;
}

Status ParquetWriter::Write(const columnar::RecordBatch& batch) {
    if (!status_.ok()) return status_;
    if (closed_) return Status::FailedPrecondition("ParquetWriter: Write after Close");
    if (batch.schema().get() != schema_.get() && !batch.schema()->Equals(*schema_)) {
        return Fail(
            Status::InvalidArgument("ParquetWriter: batch schema (" + batch.schema()->ToString() +
                                    ") differs from the file's (" + schema_->ToString() + ")"));
    }
    const size_t rows = batch.num_rows();
    for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (batch.column(c).length() != rows) {
            return Fail(Status::InvalidArgument("ParquetWriter: column '" + schema_->field(c).name +
                                                "' has " +
                                                std::to_string(batch.column(c).length()) +
                                                " rows, the batch " + std::to_string(rows)));
        }
    }
    size_t row = 0;
    while (row < rows) {
        const size_t n = NextSliceRows(rows - row);
        for (size_t c = 0; c < writers_.size(); ++c) {
            const ParquetColumn& col = pschema_.columns[c];
            shredder_->Shred(col, batch.column(col.field_index), row, row + n, levels_.get());
            const Status s = writers_[c]->Write(*levels_);
            if (!s.ok()) return Fail(s);
        }
        row += n;
        group_rows_ += n;
        num_rows_ += static_cast<int64_t>(n);
        if (buffered_bytes() >= options_.row_group_bytes) {
            const Status s = FlushRowGroup();
            if (!s.ok()) return Fail(s);
        }
    }
    return Status::Ok();
}

Status ParquetWriter::FlushRowGroup() {
    if (group_rows_ == 0) return Status::Ok();
    bytes_per_row_ = static_cast<double>(buffered_bytes()) / static_cast<double>(group_rows_);
    RowGroup rg;
    const auto start = static_cast<int64_t>(out_->size());
    rg.file_offset = start;
    rg.num_rows = static_cast<int64_t>(group_rows_);
    int64_t uncompressed = 0;
    for (auto& w : writers_) {
        ColumnChunk chunk;
        TARN_RETURN_IF_ERROR(w->FinishChunk(out_, &chunk));
        uncompressed += chunk.meta_data->total_uncompressed_size;
        rg.columns.push_back(std::move(chunk));
    }
    rg.total_byte_size = uncompressed;
    rg.total_compressed_size = static_cast<int64_t>(out_->size()) - start;
    if (row_groups_.size() <= INT16_MAX) rg.ordinal = static_cast<int16_t>(row_groups_.size());
    row_groups_.push_back(std::move(rg));
    group_rows_ = 0;
    return Status::Ok();
}

Result<FileMetaData> ParquetWriter::Close() {
    if (!status_.ok()) return status_;
    if (closed_) return Status::FailedPrecondition("ParquetWriter: Close called twice");
    if (Status s = FlushRowGroup(); !s.ok()) return Fail(s);
    FileMetaData md;
    md.version = 2;
    md.schema = pschema_.elements;
    md.num_rows = num_rows_;
    md.row_groups = std::move(row_groups_);
    if (!options_.key_value_metadata.empty()) md.key_value_metadata = options_.key_value_metadata;
    md.created_by = options_.created_by.empty() ? DefaultCreatedBy() : options_.created_by;
    md.column_orders = std::vector<ColumnOrder>(pschema_.columns.size(), ColumnOrder{});
    std::string footer;
    format::Write(md, &footer);
    if (footer.size() > UINT32_MAX) {
        return Fail(Status::InvalidArgument("ParquetWriter: footer exceeds 4 GiB"));
    }
    const auto len = static_cast<uint32_t>(footer.size());
    for (int i = 0; i < 4; ++i) footer.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
    footer.append(kMagic);
    if (Status s = out_->Append(footer); !s.ok()) return Fail(s);
    closed_ = true;
    return md;
}

}  // namespace tarn::format
