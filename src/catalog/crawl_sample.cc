// The crawl scan's reading of one file: classify it by content (the extension a hint), read
// only what the schema needs (a Parquet footer, or the first sample_bytes of text, inflating just
// enough of a gzip file) and infer its schema with the format module.
// GCC 12 at -O3 reports a moved-from std::string's small buffer as maybe-uninitialized once
// inlined into the sample readers (a false positive of its SSO tracking, gone in GCC 13).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "catalog/crawl_internal.h"
#include "common/text.h"
#include "format/compression.h"
#include "format/csv_reader.h"
#include "format/ndjson_reader.h"
#include "format/parquet_reader.h"

namespace tarn::catalog::crawl {
namespace {

using format::InferredType;

constexpr std::string_view kParquetMagic = "PAR1";
// The least head read: enough to tell the formats apart and to start inflating.
constexpr uint64_t kMinHeadBytes = 4096;
// Compressed bytes fetched per read while inflating a gzip file's prefix.
constexpr uint64_t kGzipChunkBytes = 256 << 10;

// What the file name suggests.
enum class Hint : uint8_t { kNone, kParquet, kJson, kCsv, kTsv };

Hint HintOf(std::string_view key) {
    std::string name = AsciiLower(key.substr(key.rfind('/') + 1));
    for (std::string_view gz : {".gz", ".gzip"}) {
        if (name.ends_with(gz)) name.resize(name.size() - gz.size());
    }
    for (std::string_view ext : {".parquet", ".parq", ".pq"}) {
        if (name.ends_with(ext)) return Hint::kParquet;
    }
    for (std::string_view ext : {".json", ".jsonl", ".ndjson"}) {
        if (name.ends_with(ext)) return Hint::kJson;
    }
    if (name.ends_with(".csv")) return Hint::kCsv;
    if (name.ends_with(".tsv")) return Hint::kTsv;
    return Hint::kNone;
}

bool IsGzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// The codec's name as Glue writes a table's compression.
std::string CodecName(format::CompressionCodec codec) {
    switch (codec) {
        case format::CompressionCodec::kUncompressed:
            return "none";
        case format::CompressionCodec::kLz4:
        case format::CompressionCodec::kLz4Raw:
            return "lz4";
        default:
            return AsciiLower(format::CompressionCodecName(codec));
    }
}

Result<FileSample> SampleParquet(storage::ObjectStore& store, const std::string& key) {
    format::ParquetReaderOptions options;
    options.columns = std::vector<std::string>{};  // the footer only: no column is read
    options.skip_unsupported_columns = true;
    Result<std::unique_ptr<format::ParquetReader>> reader =
        format::ParquetReader::Open(&store, key, options);
    if (!reader.ok()) return reader.status();
    const format::FileMetaData& meta = (*reader)->metadata();
    FileSample sample;
    sample.format = DataFormat::kParquet;
    sample.row_count = static_cast<uint64_t>(std::max<int64_t>(meta.num_rows, 0));
    sample.compression = "none";
    for (const format::RowGroup& group : meta.row_groups) {
        if (!group.columns.empty() && group.columns[0].meta_data) {
            sample.compression = CodecName(group.columns[0].meta_data->codec);
            break;
        }
    }
    MergeFields((*reader)->file_schema().schema.fields(), &sample.parquet_fields);
    return sample;
}

// Inflates a gzip object from its start (`head` holds its first bytes) until `want` bytes of
// text or the end of its last member, reading further compressed bytes only as needed.
// *complete tells whether the whole text was inflated.
class GzipPrefix {
public:
    GzipPrefix() { std::memset(&zs_, 0, sizeof(zs_)); }
    ~GzipPrefix() {
        if (open_) inflateEnd(&zs_);
    }
    GzipPrefix(const GzipPrefix&) = delete;
    GzipPrefix& operator=(const GzipPrefix&) = delete;

    Result<std::string> Inflate(storage::ObjectStore& store, const storage::ObjectInfo& object,
                                std::string head, uint64_t want, bool* complete) {
        if (inflateInit2(&zs_, 15 + 16) != Z_OK) return Status::Internal("inflateInit2 failed");
        open_ = true;
        std::string in = std::move(head);
        uint64_t in_offset = 0;  // of `in` in the object
        std::string out;
        SetInput(in, 0);
        while (out.size() < want) {
            if (zs_.avail_in == 0) {
                const uint64_t next = in_offset + in.size();
                if (next >= object.size) return Status::Corruption(Truncated(next));
                TARN_ASSIGN_OR_RETURN(in, store.GetRange(object.key, next, kGzipChunkBytes));
                in_offset = next;
                SetInput(in, 0);
            }
            const size_t before = out.size();
            // Grow by at most a chunk: a large sample_bytes need not be allocated up front.
            out.resize(before + std::min<uint64_t>(want - before, kGzipChunkBytes * 4));
            zs_.next_out = reinterpret_cast<Bytef*>(out.data() + before);
            zs_.avail_out = static_cast<uInt>(out.size() - before);
            const int rc = inflate(&zs_, Z_NO_FLUSH);
            out.resize(out.size() - zs_.avail_out);
            const uint64_t at = in_offset + (in.size() - zs_.avail_in);
            if (rc == Z_STREAM_END) {
                if (at >= object.size) {
                    *complete = true;
                    return out;
                }
                // Another member may follow (concatenated gzip, as `cat a.gz b.gz`).
                if (inflateReset(&zs_) != Z_OK) return Status::Internal("inflateReset failed");
                continue;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                return Status::Corruption("invalid gzip data at compressed byte " +
                                          std::to_string(at) + ": " +
                                          (zs_.msg != nullptr ? zs_.msg : "inflate failed"));
            }
        }
        *complete = false;
        return out;
    }

private:
    void SetInput(const std::string& in, size_t from) {
        zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + from));
        zs_.avail_in = static_cast<uInt>(in.size() - from);
    }
    static std::string Truncated(uint64_t size) {
        return "truncated gzip stream: it ends at byte " + std::to_string(size) +
               " inside a member";
    }

    z_stream zs_;
    bool open_ = false;
};

// The text sample of a file: the first `want` bytes of its text, cut after its last whole line
// when the text goes on.
Result<std::string> TextSample(storage::ObjectStore& store, const storage::ObjectInfo& object,
                               std::string head, uint64_t want, bool* gzip) {
    bool complete = head.size() >= object.size;
    *gzip = IsGzip(head);
    std::string text;
    if (*gzip) {
        GzipPrefix inflater;
        TARN_ASSIGN_OR_RETURN(text,
                              inflater.Inflate(store, object, std::move(head), want, &complete));
    } else {
        text = std::move(head);
    }
    if (text.size() > want) {
        text.resize(want);
        complete = false;
    }
    const size_t last_newline = text.rfind('\n');
    if (!complete && last_newline != std::string::npos) text.resize(last_newline + 1);
    return text;
}

// Text that is not UTF-8 (a sample may end inside a character, so its last bytes are spared).
bool LooksBinary(std::string_view text) {
    const size_t bad = FindInvalidUtf8(text);
    return bad != std::string_view::npos && bad + 4 < text.size();
}

// The first character that is not whitespace or a UTF-8 byte-order mark, or '\0'.
char FirstSignificant(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
    }
    return '\0';
}

Result<FileSample> SampleJson(std::string_view text, const std::string& key,
                              uint64_t sample_bytes) {
    format::NdjsonInferOptions options;
    options.max_records = 0;  // every record of the sample (sample_bytes bounds it)
    uint64_t malformed = 0;
    TARN_ASSIGN_OR_RETURN(InferredType type,
                          format::InferNdjsonType(text, key, options, &malformed));
    if (type.fields.empty()) {
        if (malformed > 0) {
            return Status::InvalidArgument("not JSON: no object in the first " +
                                           std::to_string(sample_bytes) + " bytes (" +
                                           std::to_string(malformed) + " malformed records)");
        }
        return Status::InvalidArgument("no JSON object with fields in the first " +
                                       std::to_string(sample_bytes) + " bytes");
    }
    FileSample sample;
    sample.format = DataFormat::kJson;
    sample.inferred = LowerCaseTopLevel(type);
    return sample;
}

std::string_view FirstLine(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const size_t end = text.find_first_of("\r\n");
    return end == std::string_view::npos ? text : text.substr(0, end);
}

// A header names columns: a first line with a field that reads as a number, a boolean or a
// date is data instead.
bool LooksLikeHeader(std::string_view line, char delimiter) {
    size_t start = 0;
    while (start <= line.size()) {
        size_t end = line.find(delimiter, start);
        if (end == std::string_view::npos) end = line.size();
        const InferredType::Kind kind =
            format::ClassifyCsvField(line.substr(start, end - start)).kind;
        if (kind != InferredType::Kind::kNull && kind != InferredType::Kind::kString) return false;
        start = end + 1;
    }
    return true;
}

Result<FileSample> SampleCsv(std::string_view text, const std::string& key, bool tsv_hint) {
    const std::string_view header = FirstLine(text);
    if (header.empty()) return Status::InvalidArgument("CSV without a header line");
    format::CsvReadOptions options;
    options.delimiter = DetectCsvDelimiter(header, tsv_hint);
    options.header = LooksLikeHeader(header, options.delimiter);
    TARN_ASSIGN_OR_RETURN(columnar::Schema schema,
                          format::CsvReader::InferSchema(text, key, options, size_t{1} << 30));
    FileSample sample;
    sample.format = DataFormat::kCsv;
    sample.csv_delimiter = options.delimiter;
    sample.csv_header = options.header;
    InferredType type = InferredType::Struct({});
    for (const columnar::Field& f : schema.fields()) {
        type.fields.emplace_back(f.name, InferredOfCsvType(f.type));
    }
    sample.inferred = LowerCaseTopLevel(type);
    return sample;
}

Result<FileSample> SampleText(storage::ObjectStore& store, const storage::ObjectInfo& object,
                              std::string head, Hint hint, uint64_t sample_bytes) {
    bool gzip = false;
    TARN_ASSIGN_OR_RETURN(std::string text,
                          TextSample(store, object, std::move(head), sample_bytes, &gzip));
    if (hint == Hint::kNone && LooksBinary(text)) {
        return Status::InvalidArgument("unrecognised format: binary content");
    }
    const char first = FirstSignificant(text);
    Result<FileSample> sample =
        Status::InvalidArgument("unrecognised format: not Parquet, JSON or CSV with a header");
    const bool csv_hint = hint == Hint::kCsv || hint == Hint::kTsv;
    if (first == '[' && !csv_hint) {
        // Athena's and Glue's JSON SerDes read one object per line too.
        sample = Status::InvalidArgument(
            "a JSON array document; the lake's JSON must be one object per line (NDJSON)");
    } else if (hint == Hint::kJson || (!csv_hint && first == '{')) {
        sample = SampleJson(text, object.key, sample_bytes);
    } else if (csv_hint || (hint == Hint::kNone && first != '\0' &&
                            FirstLine(text).find_first_of(",\t|;") != std::string_view::npos)) {
        sample = SampleCsv(text, object.key, hint == Hint::kTsv);
    }
    if (sample.ok()) sample->compression = gzip ? "gzip" : "none";
    return sample;
}

}  // namespace

char DetectCsvDelimiter(std::string_view first_line, bool tsv_hint) {
    constexpr char kCandidates[] = {',', '\t', '|', ';'};
    size_t counts[4] = {0, 0, 0, 0};
    bool quoted = false;
    for (char c : first_line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        for (size_t i = 0; i < 4; ++i) counts[i] += c == kCandidates[i] ? 1 : 0;
    }
    if (tsv_hint && counts[1] > 0) return '\t';
    size_t best = 0;
    for (size_t i = 1; i < 4; ++i) {
        if (counts[i] > counts[best]) best = i;
    }
    return kCandidates[best];
}

Result<FileSample> SampleFile(storage::ObjectStore& store, const storage::ObjectInfo& object,
                              uint64_t sample_bytes) {
    const Hint hint = HintOf(object.key);
    if (hint == Hint::kParquet) return SampleParquet(store, object.key);
    const uint64_t head_bytes = std::min(object.size, std::max(sample_bytes, kMinHeadBytes));
    auto head = store.GetRange(object.key, 0, head_bytes);
    if (!head.ok()) return head.status();
    if (head->starts_with(kParquetMagic)) return SampleParquet(store, object.key);
    return SampleText(store, object, std::move(head.value()), hint,
                      std::max<uint64_t>(sample_bytes, 1));
}

}  // namespace tarn::catalog::crawl
