#include "format/ndjson_reader.h"

#include "format/ndjson_kernel.h"

namespace tarn::format {

using ndjson_internal::ErrorLog;

namespace {

constexpr size_t kMaxRecordBytesLimit = size_t{1} << 30;

}  // namespace

struct NdjsonReader::Impl {
    Impl(std::string_view data, std::string name, columnar::Schema schema_in,
         const NdjsonReaderOptions& options_in)
        : options(options_in),
          schema(std::make_shared<const columnar::Schema>(std::move(schema_in))),
          log(std::move(name), options.max_reported_errors, &stats),
          filler(ndjson_internal::MakeBatchFiller(data, *schema, options, &log, &stats)) {}

    NdjsonReaderOptions options;
    std::shared_ptr<const columnar::Schema> schema;
    NdjsonStats stats;
    ErrorLog log;
    std::unique_ptr<ndjson_internal::BatchFiller> filler;
    Status error;  // sticky
    bool done = false;
};

Result<std::unique_ptr<NdjsonReader>> NdjsonReader::Open(std::string_view data, std::string name,
                                                         columnar::Schema schema,
                                                         NdjsonReaderOptions options) {
    if (options.batch_rows == 0) {
        return Status::InvalidArgument("NDJSON reader: batch_rows must be positive");
    }
    if (options.max_record_bytes == 0 || options.max_record_bytes > kMaxRecordBytesLimit) {
        return Status::InvalidArgument("NDJSON reader: max_record_bytes must be in 1..2^30");
    }
    if (options.first_line == 0) {
        return Status::InvalidArgument("NDJSON reader: first_line must be >= 1");
    }
    return std::unique_ptr<NdjsonReader>(new NdjsonReader(
        std::make_unique<Impl>(data, std::move(name), std::move(schema), options)));
}

NdjsonReader::NdjsonReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NdjsonReader::~NdjsonReader() = default;

const std::shared_ptr<const columnar::Schema>& NdjsonReader::schema() const {
    return impl_->schema;
}

columnar::RecordBatch NdjsonReader::NewBatch() const {
    return columnar::RecordBatch(impl_->schema, impl_->options.batch_rows);
}

Result<bool> NdjsonReader::Next(columnar::RecordBatch* batch) {
    batch->Reset();
    if (!impl_->error.ok()) return impl_->error;
    if (impl_->done) return false;
    size_t rows = 0;
    bool more = false;
    const Status status = impl_->filler->Fill(batch, &rows, &more);
    impl_->stats.malformed_records = impl_->filler->malformed_records();
    if (!status.ok()) {
        // The rows before the damage are handed out; the error comes with the next call.
        impl_->error = status;
        if (rows == 0) return status;
    }
    impl_->done = !more;
    batch->set_num_rows(rows);
    impl_->stats.rows += rows;
    return batch->num_rows() > 0;
}

const NdjsonStats& NdjsonReader::stats() const { return impl_->stats; }

const std::vector<NdjsonError>& NdjsonReader::errors() const { return impl_->log.errors(); }

}  // namespace tarn::format
