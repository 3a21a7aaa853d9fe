#include "cli/convert.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "cli/local_files.h"
#include "columnar/record_batch.h"
#include "format/csv_reader.h"
#include "format/ndjson_reader.h"
#include "format/parquet_reader.h"
#include "format/parquet_writer.h"
#include "format/text_writer.h"
#include "storage/local_store.h"

namespace tarn::cli {
namespace {

using columnar::RecordBatch;
using columnar::Schema;

constexpr size_t kMaxMessages = 5;
constexpr size_t kRingBatches = 4;  // batches in flight between the reader and the writer

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view WithoutGz(std::string_view path) {
    return EndsWith(path, ".gz") ? path.substr(0, path.size() - 3) : path;
}

// ---- Sources -----------------------------------------------------------------------------------

// Batches of one input file. Next is called from the reader thread only.
class BatchSource {
public:
    virtual ~BatchSource() = default;
    virtual std::shared_ptr<const Schema> schema() const = 0;
    virtual RecordBatch NewBatch() const = 0;
    virtual Result<bool> Next(RecordBatch* batch) = 0;
    virtual uint64_t bad_records() const { return 0; }
    virtual std::vector<std::string> messages() const { return {}; }
};

template <typename Reader>
class TextSource final : public BatchSource {
public:
    TextSource(std::unique_ptr<MappedFile> file, std::unique_ptr<Reader> reader)
        : file_(std::move(file)), reader_(std::move(reader)) {}
    std::shared_ptr<const Schema> schema() const override { return reader_->schema(); }
    RecordBatch NewBatch() const override { return reader_->NewBatch(); }
    Result<bool> Next(RecordBatch* batch) override { return reader_->Next(batch); }
    uint64_t bad_records() const override;
    std::vector<std::string> messages() const override {
        std::vector<std::string> out;
        for (const auto& e : reader_->errors()) {
            if (out.size() == kMaxMessages) break;
            out.push_back(e.message);
        }
        return out;
    }

private:
    std::unique_ptr<MappedFile> file_;  // the reader's input: outlives it
    std::unique_ptr<Reader> reader_;
};

template <>
uint64_t TextSource<format::NdjsonReader>::bad_records() const {
    const format::NdjsonStats& s = reader_->stats();
    return s.malformed_records + s.rejected_records + s.conversion_errors;
}

template <>
uint64_t TextSource<format::CsvReader>::bad_records() const {
    return reader_->error_count();
}

class ParquetSource final : public BatchSource {
public:
    explicit ParquetSource(std::unique_ptr<format::ParquetReader> reader)
        : reader_(std::move(reader)) {}
    std::shared_ptr<const Schema> schema() const override { return reader_->schema(); }
    RecordBatch NewBatch() const override { return reader_->NewBatch(); }
    Result<bool> Next(RecordBatch* batch) override { return reader_->Next(batch); }

private:
    std::unique_ptr<format::ParquetReader> reader_;
};

// Plain NDJSON parsed on several threads. The input is cut at line boundaries into pieces of about
// kPieceBytes; each worker takes the next piece, counts its lines (so that messages carry the
// file's line numbers), reads it with its own NdjsonReader and queues its batches; Next hands the
// batches out in input order, swapping buffers with the caller's batch so that no batch memory is
// allocated once the pool is warm. Workers stay at most kPiecesAhead pieces ahead of Next.
class ParallelNdjsonSource final : public BatchSource {
public:
    static constexpr size_t kPieceBytes = size_t{16} << 20;
    static constexpr size_t kPiecesAhead = 3;

    ParallelNdjsonSource(std::unique_ptr<MappedFile> file, std::string name, Schema schema,
                         unsigned workers)
        : file_(std::move(file)),
          name_(std::move(name)),
          schema_(std::make_shared<const Schema>(std::move(schema))) {
        Cut();
        for (unsigned w = 0; w < workers; ++w) threads_.emplace_back([this] { Work(); });
    }
    ~ParallelNdjsonSource() override {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
            cv_.notify_all();
        }
        for (std::thread& t : threads_) t.join();
    }

    std::shared_ptr<const Schema> schema() const override { return schema_; }
    RecordBatch NewBatch() const override { return RecordBatch(schema_); }

    Result<bool> Next(RecordBatch* out) override {
        std::unique_lock<std::mutex> lock(mu_);
        while (true) {
            if (!status_.ok()) return status_;
            if (current_ == pieces_.size()) return false;
            Piece& piece = pieces_[current_];
            if (!piece.batches.empty()) {
                RecordBatch* b = piece.batches.front();
                piece.batches.pop_front();
                std::swap(*out, *b);
                free_.push_back(b);
                cv_.notify_all();
                return true;
            }
            if (piece.done) {
                ++current_;
                cv_.notify_all();
                continue;
            }
            cv_.wait(lock);
        }
    }

    uint64_t bad_records() const override {
        std::lock_guard<std::mutex> lock(mu_);
        uint64_t n = 0;
        for (const Piece& p : pieces_) n += p.bad_records;
        return n;
    }
    std::vector<std::string> messages() const override {
        std::lock_guard<std::mutex> lock(mu_);
        std::vector<std::string> out;
        for (const Piece& p : pieces_) {
            for (const std::string& m : p.messages) {
                if (out.size() == kMaxMessages) return out;
                out.push_back(m);
            }
        }
        return out;
    }

private:
    struct Piece {
        std::string_view bytes;
        uint64_t lines = 0;  // '\n's in bytes, once counted
        bool counted = false;
        std::deque<RecordBatch*> batches;  // read, not yet handed out
        bool done = false;
        uint64_t bad_records = 0;
        std::vector<std::string> messages;
    };

    void Cut() {
        const std::string_view all = file_->bytes();
        size_t start = 0;
        while (start < all.size()) {
            size_t end = std::min(all.size(), start + kPieceBytes);
            if (end < all.size()) {
                const size_t newline = all.find('\n', end);
                end = newline == std::string_view::npos ? all.size() : newline + 1;
            }
            pieces_.push_back(Piece{all.substr(start, end - start)});
            start = end;
        }
    }

    // The number of piece i's first line, once the pieces before it are counted; 0 until then.
    uint64_t FirstLine(size_t i) const {
        uint64_t line = 1;
        for (size_t k = 0; k < i; ++k) {
            if (!pieces_[k].counted) return 0;
            line += pieces_[k].lines;
        }
        return line;
    }

    RecordBatch* TakeFreeBatch() {  // REQUIRES: mu_ held
        if (free_.empty()) {
            owned_.push_back(std::make_unique<RecordBatch>(schema_));
            return owned_.back().get();
        }
        RecordBatch* b = free_.back();
        free_.pop_back();
        return b;
    }

    void Fail(Status s) {  // REQUIRES: mu_ held
        if (status_.ok()) status_ = std::move(s);
        stopping_ = true;
        cv_.notify_all();
    }

    void Work() {
        std::unique_lock<std::mutex> lock(mu_);
        while (true) {
            cv_.wait(lock, [&] {
                return stopping_ || next_piece_ == pieces_.size() ||
                       next_piece_ < current_ + kPiecesAhead;
            });
            if (stopping_ || next_piece_ == pieces_.size()) return;
            const size_t i = next_piece_++;
            const std::string_view bytes = pieces_[i].bytes;
            lock.unlock();
            const auto lines = static_cast<uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
            lock.lock();
            pieces_[i].lines = lines;
            pieces_[i].counted = true;
            cv_.notify_all();
            cv_.wait(lock, [&] { return stopping_ || FirstLine(i) != 0; });
            if (stopping_) return;
            format::NdjsonReaderOptions options;
            options.first_line = FirstLine(i);
            lock.unlock();
            ReadPiece(i, bytes, options);
            lock.lock();
        }
    }

    void ReadPiece(size_t i, std::string_view bytes, const format::NdjsonReaderOptions& options) {
        auto reader = format::NdjsonReader::Open(bytes, name_, *schema_, options);
        std::unique_lock<std::mutex> lock(mu_);
        if (!reader.ok()) return Fail(reader.status());
        while (!stopping_) {
            RecordBatch* b = TakeFreeBatch();
            lock.unlock();
            Result<bool> more = (*reader)->Next(b);
            lock.lock();
            if (!more.ok()) return Fail(more.status());
            if (!*more) {
                free_.push_back(b);
                break;
            }
            pieces_[i].batches.push_back(b);
            cv_.notify_all();
        }
        Piece& piece = pieces_[i];
        const format::NdjsonStats& s = (*reader)->stats();
        piece.bad_records = s.malformed_records + s.rejected_records + s.conversion_errors;
        for (const format::NdjsonError& e : (*reader)->errors()) {
            if (piece.messages.size() == kMaxMessages) break;
            piece.messages.push_back(e.message);
        }
        piece.done = true;
        cv_.notify_all();
    }

    std::unique_ptr<MappedFile> file_;
    const std::string name_;
    const std::shared_ptr<const Schema> schema_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Piece> pieces_;  // fixed once cut; contents guarded by mu_
    size_t next_piece_ = 0;      // the next piece a worker takes
    size_t current_ = 0;         // the piece Next hands out
    std::vector<std::unique_ptr<RecordBatch>> owned_;
    std::vector<RecordBatch*> free_;
    bool stopping_ = false;
    Status status_;
    std::vector<std::thread> threads_;  // last: started once the rest is built
};

bool IsGzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

format::CsvReadOptions CsvOptions(const ConvertOptions& o, const std::string& path) {
    format::CsvReadOptions csv;
    csv.delimiter = o.delimiter.value_or(EndsWith(WithoutGz(path), ".tsv") ? '\t' : ',');
    csv.header = o.csv_header;
    return csv;
}

Result<std::unique_ptr<BatchSource>> OpenSource(const ConvertOptions& o, FileFormat format) {
    if (format == FileFormat::kParquet) {
        TARN_ASSIGN_OR_RETURN(auto source, OpenLocalSource(o.input));
        TARN_ASSIGN_OR_RETURN(auto reader, format::ParquetReader::Open(std::move(source)));
        return std::unique_ptr<BatchSource>(std::make_unique<ParquetSource>(std::move(reader)));
    }
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(o.input));
    const std::string_view bytes = file->bytes();
    if (format == FileFormat::kNdjson) {
        Schema schema;
        if (o.schema) {
            schema = *o.schema;
        } else {
            format::NdjsonInferOptions infer;
            infer.max_records = o.infer_rows;
            TARN_ASSIGN_OR_RETURN(schema, format::InferNdjsonSchema(bytes, o.input, infer));
        }
        // Plain input of a few pieces or more is parsed on every core; gzip is one stream.
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        if (!IsGzip(bytes) && cores > 1 && bytes.size() >= 2 * ParallelNdjsonSource::kPieceBytes) {
            return std::unique_ptr<BatchSource>(std::make_unique<ParallelNdjsonSource>(
                std::move(file), o.input, std::move(schema), cores));
        }
        TARN_ASSIGN_OR_RETURN(auto reader, format::NdjsonReader::Open(bytes, o.input, schema));
        return std::unique_ptr<BatchSource>(
            std::make_unique<TextSource<format::NdjsonReader>>(std::move(file), std::move(reader)));
    }
    const format::CsvReadOptions csv = CsvOptions(o, o.input);
    Schema schema;
    if (o.schema) {
        schema = *o.schema;
    } else {
        TARN_ASSIGN_OR_RETURN(schema,
                              format::CsvReader::InferSchema(bytes, o.input, csv, o.infer_rows));
    }
    TARN_ASSIGN_OR_RETURN(auto reader, format::CsvReader::Open(bytes, o.input, schema, csv));
    return std::unique_ptr<BatchSource>(
        std::make_unique<TextSource<format::CsvReader>>(std::move(file), std::move(reader)));
}

// ---- Sinks -------------------------------------------------------------------------------------

class BatchSink {
public:
    virtual ~BatchSink() = default;
    virtual Status Write(const RecordBatch& batch) = 0;
    virtual Status Close() = 0;
};

class ParquetSink final : public BatchSink {
public:
    explicit ParquetSink(std::unique_ptr<format::ParquetWriter> writer)
        : writer_(std::move(writer)) {}
    Status Write(const RecordBatch& batch) override { return writer_->Write(batch); }
    Status Close() override { return writer_->Close().status(); }

private:
    std::unique_ptr<format::ParquetWriter> writer_;
};

class TextSink final : public BatchSink {
public:
    explicit TextSink(std::unique_ptr<format::TextWriter> writer) : writer_(std::move(writer)) {}
    Status Write(const RecordBatch& batch) override { return writer_->Write(batch); }
    Status Close() override { return writer_->Close(); }

private:
    std::unique_ptr<format::TextWriter> writer_;
};

Result<std::unique_ptr<BatchSink>> OpenSink(const ConvertOptions& o, FileFormat format,
                                            storage::ObjectWriter* out,
                                            std::shared_ptr<const Schema> schema) {
    if (format == FileFormat::kParquet) {
        format::ParquetWriterOptions p;
        p.codec = o.compression.value_or(format::CompressionCodec::kSnappy);
        p.row_group_bytes = o.row_group_bytes;
        TARN_ASSIGN_OR_RETURN(auto writer, format::ParquetWriter::Open(out, std::move(schema), p));
        return std::unique_ptr<BatchSink>(std::make_unique<ParquetSink>(std::move(writer)));
    }
    format::TextWriterOptions t;
    t.format = format == FileFormat::kCsv ? format::TextFormat::kCsv : format::TextFormat::kNdjson;
    const auto codec =
        o.compression.value_or(EndsWith(o.output, ".gz") ? format::CompressionCodec::kGzip
                                                         : format::CompressionCodec::kUncompressed);
    if (codec != format::CompressionCodec::kGzip &&
        codec != format::CompressionCodec::kUncompressed) {
        return Status::InvalidArgument("text output can be gzip-compressed or not, not " +
                                       std::string(format::CompressionCodecName(codec)));
    }
    t.gzip = codec == format::CompressionCodec::kGzip;
    t.csv_header = o.csv_header;
    if (t.format == format::TextFormat::kCsv && o.delimiter.value_or(',') != ',') {
        return Status::InvalidArgument("CSV output is comma-separated (--delimiter is for input)");
    }
    TARN_ASSIGN_OR_RETURN(auto writer, format::TextWriter::Open(out, std::move(schema), t));
    return std::unique_ptr<BatchSink>(std::make_unique<TextSink>(std::move(writer)));
}

// ---- The pipeline ------------------------------------------------------------------------------

// A ring of batches between the reader thread (fills free ones) and the writer (drains full ones).
class BatchRing {
public:
    explicit BatchRing(const BatchSource& source) {
        for (size_t i = 0; i < kRingBatches; ++i) {
            batches_.push_back(std::make_unique<RecordBatch>(source.NewBatch()));
            free_.push_back(batches_.back().get());
        }
    }

    // Reader side: a free batch, or null once the writer has stopped.
    RecordBatch* TakeFree() {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !free_.empty() || stopped_; });
        if (stopped_) return nullptr;
        RecordBatch* b = free_.front();
        free_.pop_front();
        return b;
    }
    void PushFull(RecordBatch* b) {
        std::lock_guard<std::mutex> lock(mu_);
        full_.push_back(b);
        cv_.notify_all();
    }
    // The reader is done: `status` is its outcome.
    void Finish(Status status) {
        std::lock_guard<std::mutex> lock(mu_);
        reader_done_ = true;
        reader_status_ = std::move(status);
        cv_.notify_all();
    }

    // Writer side: the next full batch, or null at the end (then reader_status() tells why).
    RecordBatch* TakeFull() {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !full_.empty() || reader_done_; });
        if (full_.empty()) return nullptr;
        RecordBatch* b = full_.front();
        full_.pop_front();
        return b;
    }
    void GiveBack(RecordBatch* b) {
        std::lock_guard<std::mutex> lock(mu_);
        free_.push_back(b);
        cv_.notify_all();
    }
    // The writer failed: the reader stops at its next batch.
    void Stop() {
        std::lock_guard<std::mutex> lock(mu_);
        stopped_ = true;
        cv_.notify_all();
    }
    Status reader_status() {
        std::lock_guard<std::mutex> lock(mu_);
        return reader_status_;
    }

private:
    std::vector<std::unique_ptr<RecordBatch>> batches_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<RecordBatch*> free_;
    std::deque<RecordBatch*> full_;
    bool reader_done_ = false;
    bool stopped_ = false;
    Status reader_status_;
};

void ReadAll(BatchSource* source, BatchRing* ring) {
    while (true) {
        RecordBatch* batch = ring->TakeFree();
        if (batch == nullptr) return ring->Finish(Status::Ok());
        Result<bool> more = source->Next(batch);
        if (!more.ok()) return ring->Finish(more.status());
        if (!*more) {
            ring->GiveBack(batch);
            return ring->Finish(Status::Ok());
        }
        ring->PushFull(batch);
    }
}

// Runs the reader thread and writes what it reads; returns the rows written.
Result<uint64_t> Pump(BatchSource* source, BatchSink* sink, ProgressLine* progress) {
    BatchRing ring(*source);
    std::thread reader([&] { ReadAll(source, &ring); });
    uint64_t rows = 0;
    Status written;
    while (RecordBatch* batch = ring.TakeFull()) {
        if (written.ok()) {
            written = sink->Write(*batch);
            rows += batch->num_rows();
            if (progress != nullptr) progress->Update(rows);
        }
        ring.GiveBack(batch);
        if (!written.ok()) ring.Stop();
    }
    reader.join();
    TARN_RETURN_IF_ERROR(ring.reader_status());
    TARN_RETURN_IF_ERROR(written);
    return rows;
}

Result<FileFormat> ResolveFormat(const std::optional<FileFormat>& given, const std::string& path,
                                 const char* which) {
    if (given) return *given;
    if (auto f = FormatOfPath(path)) return *f;
    return Status::InvalidArgument(std::string("cannot tell the format of ") + which + " '" + path +
                                   "' from its name; give --" +
                                   (std::string_view(which) == "input" ? "from" : "to"));
}

}  // namespace

std::optional<FileFormat> FormatOfPath(const std::string& path) {
    const std::string_view p = path;
    if (EndsWith(p, ".parquet") || EndsWith(p, ".pq")) return FileFormat::kParquet;
    const std::string_view text = WithoutGz(p);
    if (EndsWith(text, ".json") || EndsWith(text, ".jsonl") || EndsWith(text, ".ndjson")) {
        return FileFormat::kNdjson;
    }
    if (EndsWith(text, ".csv") || EndsWith(text, ".tsv")) return FileFormat::kCsv;
    return std::nullopt;
}

Result<ConvertResult> Convert(const ConvertOptions& options, ProgressLine* progress) {
    TARN_ASSIGN_OR_RETURN(FileFormat from, ResolveFormat(options.from, options.input, "input"));
    TARN_ASSIGN_OR_RETURN(FileFormat to, ResolveFormat(options.to, options.output, "output"));
    if (options.schema && from == FileFormat::kParquet) {
        return Status::InvalidArgument(
            "--schema is for NDJSON and CSV input (Parquet has its own)");
    }
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<BatchSource> source, OpenSource(options, from));

    // The output: a LocalStore on its folder, so that it appears whole or not at all.
    const std::string& out = options.output;
    const size_t slash = out.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : out.substr(0, slash));
    const std::string key = slash == std::string::npos ? out : out.substr(slash + 1);
    TARN_ASSIGN_OR_RETURN(auto store, storage::LocalStore::Open(dir));
    TARN_ASSIGN_OR_RETURN(auto object, store->OpenWriter(key));
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<BatchSink> sink,
                          OpenSink(options, to, object.get(), source->schema()));

    ConvertResult result;
    TARN_ASSIGN_OR_RETURN(result.rows, Pump(source.get(), sink.get(), progress));
    TARN_RETURN_IF_ERROR(sink->Close());
    result.output_bytes = object->size();
    TARN_RETURN_IF_ERROR(object->Commit());
    result.bad_records = source->bad_records();
    result.messages = source->messages();
    result.schema = *source->schema();
    return result;
}

}  // namespace tarn::cli
