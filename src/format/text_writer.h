// TextWriter: record batches out as NDJSON or CSV text through a storage::ObjectWriter, optionally
// gzip-compressed, for `tarn convert` and query results. Values are written as
// columnar/value_format.h says (JSON per type; CSV per RFC 4180 with a header line of the field
// names, NULL as an empty field, nested values as JSON text).
//
// Use:
//   TARN_ASSIGN_OR_RETURN(auto writer, TextWriter::Open(object.get(), schema, options));
//   for (...) TARN_RETURN_IF_ERROR(writer->Write(batch));
//   TARN_RETURN_IF_ERROR(writer->Close());
//   TARN_RETURN_IF_ERROR(object->Commit());  // the caller publishes the object
//
// Text is buffered and handed to the ObjectWriter about every buffer_bytes. The first error
// leaves the writer failed: later calls return it again. Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/gzip_stream.h"
#include "storage/storage.h"

namespace tarn::format {

enum class TextFormat : uint8_t { kNdjson, kCsv };

struct TextWriterOptions {
    TextFormat format = TextFormat::kNdjson;
    bool gzip = false;
    int gzip_level = -1;  // 1..9, -1: zlib's default
    bool csv_header = true;
    size_t buffer_bytes = size_t{1} << 20;
};

class TextWriter {
public:
    // Does not take ownership of `out`, which must outlive the writer. The CSV header is written
    // with the first Write or at Close.
    static Result<std::unique_ptr<TextWriter>> Open(storage::ObjectWriter* out,
                                                    std::shared_ptr<const columnar::Schema> schema,
                                                    TextWriterOptions options = {});

    // REQUIRES: the batch is of the writer's schema.
    Status Write(const columnar::RecordBatch& batch);
    // Writes what is buffered (and the gzip trailer). FailedPrecondition when called twice.
    Status Close();

    uint64_t rows() const { return rows_; }

private:
    TextWriter(storage::ObjectWriter* out, std::shared_ptr<const columnar::Schema> schema,
               TextWriterOptions options, std::unique_ptr<GzipDeflater> deflater);
    Status Flush(bool final);
    Status Fail(Status s);
    void AppendHeader();

    storage::ObjectWriter* const out_;
    const std::shared_ptr<const columnar::Schema> schema_;
    const TextWriterOptions options_;
    std::unique_ptr<GzipDeflater> deflater_;
    std::string text_;
    std::string compressed_;
    uint64_t rows_ = 0;
    bool header_written_ = false;
    bool closed_ = false;
    Status status_;
};

}  // namespace tarn::format
