#include "format/text_writer.h"

#include <utility>

#include "columnar/value_format.h"

namespace tarn::format {

Result<std::unique_ptr<TextWriter>> TextWriter::Open(storage::ObjectWriter* out,
                                                     std::shared_ptr<const columnar::Schema> schema,
                                                     TextWriterOptions options) {
    if (options.buffer_bytes == 0) return Status::InvalidArgument("buffer_bytes must be > 0");
    std::unique_ptr<GzipDeflater> deflater;
    if (options.gzip) {
        TARN_ASSIGN_OR_RETURN(deflater, GzipDeflater::Open(options.gzip_level));
    }
    return std::unique_ptr<TextWriter>(
        new TextWriter(out, std::move(schema), options, std::move(deflater)));
}

TextWriter::TextWriter(storage::ObjectWriter* out, std::shared_ptr<const columnar::Schema> schema,
                       TextWriterOptions options, std::unique_ptr<GzipDeflater> deflater)
    : out_(out), schema_(std::move(schema)), options_(options), deflater_(std::move(deflater)) {
    text_.reserve(options_.buffer_bytes + (64 << 10));
}

Status TextWriter::Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
    return status_;
}

void TextWriter::AppendHeader() {
    header_written_ = true;
    if (options_.format != TextFormat::kCsv || !options_.csv_header) return;
    for (size_t c = 0; c < schema_->num_fields(); ++c) {
        if (c > 0) text_ += ',';
        columnar::AppendCsvText(schema_->field(c).name, &text_);
    }
    text_ += '\n';
}

Status TextWriter::Write(const columnar::RecordBatch& batch) {
    if (!status_.ok()) return status_;
    if (closed_) return Status::FailedPrecondition("text writer: Write after Close");
    if (!header_written_) AppendHeader();
    const bool csv = options_.format == TextFormat::kCsv;
    for (size_t r = 0; r < batch.num_rows(); ++r) {
        if (csv) {
            for (size_t c = 0; c < batch.num_columns(); ++c) {
                if (c > 0) text_ += ',';
                columnar::AppendValueCsv(batch.column(c), r, &text_);
            }
        } else {
            columnar::AppendRowJson(batch, r, &text_);
        }
        text_ += '\n';
        if (text_.size() >= options_.buffer_bytes) {
            if (Status s = Flush(false); !s.ok()) return Fail(std::move(s));
        }
    }
    rows_ += batch.num_rows();
    return Status::Ok();
}

Status TextWriter::Flush(bool final) {
    if (deflater_ != nullptr) {
        compressed_.clear();
        TARN_RETURN_IF_ERROR(deflater_->Compress(text_, &compressed_));
        if (final) TARN_RETURN_IF_ERROR(deflater_->Finish(&compressed_));
        if (!compressed_.empty()) TARN_RETURN_IF_ERROR(out_->Append(compressed_));
    } else if (!text_.empty()) {
        TARN_RETURN_IF_ERROR(out_->Append(text_));
    }
    text_.clear();
    return Status::Ok();
}

Status TextWriter::Close() {
    if (!status_.ok()) return status_;
    if (closed_) return Status::FailedPrecondition("text writer: Close called twice");
    closed_ = true;
    if (!header_written_) AppendHeader();
    if (Status s = Flush(true); !s.ok()) return Fail(std::move(s));
    return Status::Ok();
}

}  // namespace tarn::format
