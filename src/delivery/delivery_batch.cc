#include "delivery/delivery_batch.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <utility>

#include "columnar/type_parser.h"
#include "common/base64.h"
#include "common/json_escape.h"
#include "delivery/kpl_aggregation.h"
#include "format/gzip_stream.h"
#include "format/ndjson_reader.h"
#include "format/parquet_writer.h"
#include "storage/storage.h"
#include "stream/sequence_number.h"
#include "stream/stream_metadata.h"

namespace tarn::delivery {
namespace {

constexpr std::string_view kProcessingFailed = "processing-failed";
constexpr std::string_view kPartitioningFailed = "dynamic-partitioning-failed";
constexpr std::string_view kConversionFailed = "format-conversion-failed";
// How much of a range's delivered text schema inference reads.
constexpr size_t kSampleBytes = size_t{1} << 20;

std::string_view ErrorCodeOf(std::string_view kind) {
    if (kind == kPartitioningFailed) return "DynamicPartitioning.MetadataExtractionFailed";
    if (kind == kConversionFailed) return "DataFormatConversion.MalformedData";
    return "Processing.InvalidJson";
}

void AppendPadded(std::string& out, uint64_t value, int width) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    (void)ec;
    for (int n = static_cast<int>(end - digits); n < width; ++n) out += '0';
    out.append(digits, end);
}

std::string_view TrimTrailingSpace(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' ||
                          s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// Collects a Parquet file in memory: the objects are written to the store only after the intent
// naming them is recorded.
class StringObjectWriter final : public storage::ObjectWriter {
public:
    explicit StringObjectWriter(std::string key) : key_(std::move(key)) {}
    Status Append(std::string_view data) override {
        data_.append(data);
        return Status::Ok();
    }
    Status Commit() override { return Status::Ok(); }
    uint64_t size() const override { return data_.size(); }
    const std::string& key() const override { return key_; }
    std::string& data() { return data_; }

private:
    std::string key_;
    std::string data_;
};

// Where a line of a group came from, for records that conversion rejects.
struct LineOrigin {
    uint64_t offset = 0;
    uint32_t sub = 0;
    int64_t arrival_ms = 0;
    size_t start = 0;  // in Group::text
    size_t size = 0;
};

struct Group {
    std::string prefix;
    std::string text;
    uint64_t records = 0;
    uint64_t first = 0, last = 0;
    std::vector<LineOrigin> lines;  // when converting
};

struct ErrorGroup {
    std::string prefix;
    std::string kind;
    std::string text;
    uint64_t records = 0;
    uint64_t first = 0, last = 0;
};

}  // namespace

std::string DeliveredObjectName(std::string_view delivery, uint64_t stream_epoch_ms,
                                uint32_t shard_index, uint64_t first_offset,
                                uint64_t last_offset) {
    stream::ShardMetadata shard{.index = shard_index};
    std::string name;
    name.reserve(delivery.size() + 20 + 2 * stream::kSequenceNumberDigits + 3);
    name.append(delivery).append("-").append(shard.id()).append("-");
    name += stream::FormatSequenceNumber({stream_epoch_ms, shard_index, stream::Offset{first_offset}});
    name += '-';
    name += stream::FormatSequenceNumber({stream_epoch_ms, shard_index, stream::Offset{last_offset}});
    return name;
}

struct DeliveryBatchBuilder::Impl {
    std::shared_ptr<const Destination> dest;
    uint64_t epoch_ms = 0;
    uint32_t shard_index = 0;
    std::string shard_id;
    std::string seed;
    bool infer_columns = false;
    int64_t granularity = 1;
    int64_t error_granularity = 1;

    simdjson::dom::parser dom;
    simdjson::ondemand::parser ondemand;
    std::string padded;
    std::string minified;
    PartitionKeyValues keys;
    std::string lookup;
    std::map<std::string, size_t, std::less<>> group_index;
    std::map<std::string, size_t, std::less<>> prefix_index;
    std::vector<Group> groups;
    std::map<std::string, size_t, std::less<>> error_index;
    std::vector<ErrorGroup> errors;
    uint64_t source_records = 0;
    std::map<std::string, uint64_t> error_counts;

    void AddUser(const stream::RecordView& record, uint32_t sub, std::string_view data);
    void AddError(uint64_t offset, uint32_t sub, int64_t arrival_ms, std::string_view data,
                  std::string_view kind, std::string_view message);
    Status EncodeData(Group& group, DeliveryBatch& out);
    Status Convert(Group& group, const std::string& key, DeliveredObject& object);
};

DeliveryBatchBuilder::DeliveryBatchBuilder(std::shared_ptr<const Destination> destination,
                                           uint64_t stream_epoch_ms, uint32_t shard_index,
                                           uint64_t range_first_offset, bool infer_columns)
    : impl_(std::make_unique<Impl>()) {
    impl_->dest = std::move(destination);
    impl_->epoch_ms = stream_epoch_ms;
    impl_->shard_index = shard_index;
    impl_->shard_id = stream::ShardMetadata{.index = shard_index}.id();
    impl_->seed = impl_->dest->config.name + "/" +
                  stream::FormatSequenceNumber(
                      {stream_epoch_ms, shard_index, stream::Offset{range_first_offset}});
    impl_->infer_columns = infer_columns;
    impl_->granularity = impl_->dest->prefix.TimestampGranularityMs();
    impl_->error_granularity = impl_->dest->error_prefix.TimestampGranularityMs();
}

DeliveryBatchBuilder::~DeliveryBatchBuilder() = default;

void DeliveryBatchBuilder::Add(const stream::RecordView& record) {
    Impl& m = *impl_;
    ++m.source_records;
    if (!IsKplAggregated(record.data)) {
        m.AddUser(record, 0, record.data);
        return;
    }
    auto users = Deaggregate(record.data, record.partition_key);
    if (!users.ok()) {
        m.AddError(ToU64(record.offset), 0, record.arrival_ms, record.data, kProcessingFailed,
                   "broken KPL aggregate: " + users.status().message());
        return;
    }
    for (size_t i = 0; i < users->size(); ++i) {
        m.AddUser(record, static_cast<uint32_t>(i), (*users)[i].data);
    }
}

void DeliveryBatchBuilder::Impl::AddUser(const stream::RecordView& record, uint32_t sub,
                                         std::string_view raw) {
    const uint64_t offset = ToU64(record.offset);
    std::string_view data = TrimTrailingSpace(raw);
    padded.assign(data);
    padded.resize(data.size() + simdjson::SIMDJSON_PADDING);
    simdjson::dom::element root;
    auto parse_error = dom.parse(padded.data(), data.size(), false).get(root);
    if (parse_error) {
        AddError(offset, sub, record.arrival_ms, raw, kProcessingFailed,
                 std::string("not valid JSON: ") + simdjson::error_message(parse_error));
        return;
    }
    if (!root.is_object()) {
        AddError(offset, sub, record.arrival_ms, raw, kProcessingFailed,
                 "not a JSON object: a record must be one JSON object");
        return;
    }
    std::string_view line = data;
    if (std::memchr(data.data(), '\n', data.size()) || std::memchr(data.data(), '\r', data.size())) {
        minified.resize(data.size());
        size_t len = 0;
        if (simdjson::minify(data.data(), data.size(), minified.data(), len) == simdjson::SUCCESS) {
            line = std::string_view(minified.data(), len);
        }
    }
    if (dest->query) {
        Status extracted =
            dest->query->Extract(std::string_view(padded.data(), data.size()), ondemand, &keys);
        if (!extracted.ok()) {
            AddError(offset, sub, record.arrival_ms, raw, kPartitioningFailed,
                     extracted.message());
            return;
        }
    }
    lookup.clear();
    AppendPadded(lookup, static_cast<uint64_t>(record.arrival_ms / granularity), 1);
    if (dest->query) {
        for (const auto& [name, value] : keys) {
            lookup += '\x1f';
            AppendPadded(lookup, value.size(), 1);
            lookup += ':';
            lookup += value;
        }
    }
    auto it = group_index.find(lookup);
    if (it == group_index.end()) {
        PrefixContext ctx{.timestamp_ms = record.arrival_ms,
                          .random_seed = seed,
                          .partition_keys = dest->query ? &keys : nullptr};
        auto prefix = dest->prefix.Evaluate(ctx);
        if (!prefix.ok()) {
            AddError(offset, sub, record.arrival_ms, raw, kPartitioningFailed,
                     prefix.status().message());
            return;
        }
        // Two lookups may evaluate alike (a key the template does not use): one object each
        // prefix, so that names never collide.
        auto same = prefix_index.find(*prefix);
        size_t index = groups.size();
        if (same != prefix_index.end()) {
            index = same->second;
        } else {
            prefix_index.emplace(*prefix, index);
            groups.push_back(Group{.prefix = std::move(*prefix), .first = offset});
        }
        it = group_index.emplace(lookup, index).first;
    }
    Group& group = groups[it->second];
    if (dest->converts()) {
        group.lines.push_back(LineOrigin{.offset = offset,
                                         .sub = sub,
                                         .arrival_ms = record.arrival_ms,
                                         .start = group.text.size(),
                                         .size = line.size()});
    }
    group.text.append(line);
    group.text += '\n';
    group.last = offset;
    ++group.records;
}

void DeliveryBatchBuilder::Impl::AddError(uint64_t offset, uint32_t sub, int64_t arrival_ms,
                                          std::string_view data, std::string_view kind,
                                          std::string_view message) {
    ++error_counts[std::string(kind)];
    lookup.assign(kind);
    lookup += '\x1f';
    AppendPadded(lookup, static_cast<uint64_t>(arrival_ms / error_granularity), 1);
    auto it = error_index.find(lookup);
    if (it == error_index.end()) {
        PrefixContext ctx{
            .timestamp_ms = arrival_ms, .random_seed = seed, .error_output_type = kind};
        auto prefix = dest->error_prefix.Evaluate(ctx);
        // Only an over-long result can fail here (the kind is a valid key); fall back to
        // tarn's default layout rather than lose the record.
        std::string text = prefix.ok() ? std::move(*prefix)
                                       : "errors/" + dest->config.name + "/" + std::string(kind) + "/";
        it = error_index.emplace(lookup, errors.size()).first;
        errors.push_back(ErrorGroup{.prefix = std::move(text), .kind = std::string(kind),
                                    .first = offset});
    }
    ErrorGroup& group = errors[it->second];
    std::string& out = group.text;
    out += "{\"attemptsMade\":1,\"arrivalTimestamp\":";
    AppendPadded(out, static_cast<uint64_t>(arrival_ms), 1);
    out += ",\"errorCode\":";
    AppendJsonString(out, ErrorCodeOf(kind));
    out += ",\"errorMessage\":";
    AppendJsonString(out, message);
    out += ",\"shardId\":";
    AppendJsonString(out, shard_id);
    out += ",\"sequenceNumber\":\"";
    out += stream::FormatSequenceNumber({epoch_ms, shard_index, stream::Offset{offset}});
    out += '"';
    out += ",\"subSequenceNumber\":";
    AppendPadded(out, sub, 1);
    out += ",\"rawData\":\"";
    Base64EncodeAppend(data, &out);
    out += "\"}\n";
    group.last = offset;
    ++group.records;
}

Status DeliveryBatchBuilder::Impl::Convert(Group& group, const std::string& key,
                                           DeliveredObject& object) {
    format::NdjsonReaderOptions options;
    options.reject_records_on_conversion_error = true;
    options.max_reported_errors = SIZE_MAX;
    TARN_ASSIGN_OR_RETURN(auto reader, format::NdjsonReader::Open(group.text, key,
                                                                 *dest->conversion_schema, options));
    StringObjectWriter sink(key);
    format::ParquetWriterOptions writer_options;
    switch (dest->config.data_format_conversion.parquet_compression) {
        case ParquetCompression::kSnappy: writer_options.codec = format::CompressionCodec::kSnappy; break;
        case ParquetCompression::kGzip: writer_options.codec = format::CompressionCodec::kGzip; break;
        case ParquetCompression::kUncompressed:
            writer_options.codec = format::CompressionCodec::kUncompressed;
            break;
    }
    TARN_ASSIGN_OR_RETURN(auto writer,
                          format::ParquetWriter::Open(&sink, dest->conversion_schema, writer_options));
    columnar::RecordBatch batch = reader->NewBatch();
    for (;;) {
        TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
        if (!more) break;
        TARN_RETURN_IF_ERROR(writer->Write(batch));
    }
    TARN_RETURN_IF_ERROR(writer->Close().status());
    // Records the reader skipped go to the error output, with the first message about them.
    std::map<uint64_t, std::string> rejected;
    std::map<uint64_t, std::string> first_message;
    for (const format::NdjsonError& error : reader->errors()) {
        first_message.emplace(error.line, error.message);
        if (error.kind != format::NdjsonError::Kind::kConversion) rejected.emplace(error.line, "");
    }
    for (const auto& [line, unused] : rejected) {
        if (line == 0 || line > group.lines.size()) continue;
        const LineOrigin& origin = group.lines[line - 1];
        AddError(origin.offset, origin.sub, origin.arrival_ms,
                 std::string_view(group.text).substr(origin.start, origin.size),
                 kConversionFailed, first_message[line]);
    }
    object.records = static_cast<uint64_t>(writer->num_rows());
    object.data = std::move(sink.data());
    return Status::Ok();
}

Status DeliveryBatchBuilder::Impl::EncodeData(Group& group, DeliveryBatch& out) {
    DeliveredObject object;
    object.key = group.prefix;
    object.key += DeliveredObjectName(dest->config.name, epoch_ms, shard_index, group.first, group.last);
    object.key += dest->DataExtension();
    object.partition_values = dest->layout.ValuesOf(group.prefix);
    if (dest->converts()) {
        TARN_RETURN_IF_ERROR(Convert(group, object.key, object));
        if (object.records == 0) return Status::Ok();
    } else {
        object.records = group.records;
        if (dest->config.compression == CompressionFormat::kGzip) {
            TARN_ASSIGN_OR_RETURN(object.data, format::GzipCompress(group.text));
        } else {
            object.data = group.text;
        }
    }
    out.user_records += object.records;
    out.objects.push_back(std::move(object));
    return Status::Ok();
}

Result<DeliveryBatch> DeliveryBatchBuilder::Finish() {
    Impl& m = *impl_;
    DeliveryBatch out;
    out.source_records = m.source_records;
    for (Group& group : m.groups) TARN_RETURN_IF_ERROR(m.EncodeData(group, out));
    if (m.infer_columns && !m.dest->converts() && !m.groups.empty()) {
        // Inference reads a sample: the first whole lines of every object, about 1 MiB in all
        // (thousands of records), so that it costs a fraction of the compression.
        std::string sample;
        const size_t per_group = std::max(kSampleBytes / m.groups.size(), size_t{4096});
        for (const Group& group : m.groups) {
            std::string_view text = group.text;
            if (text.size() > per_group) {
                const size_t cut = text.rfind('\n', per_group);
                text = text.substr(0, cut == std::string_view::npos ? 0 : cut + 1);
            }
            sample += text;
            if (sample.size() >= kSampleBytes) break;
        }
        format::NdjsonInferOptions infer;
        infer.max_records = 0;  // the whole sample
        auto schema = format::InferNdjsonSchema(sample, m.dest->config.name, infer);
        if (schema.ok()) {
            for (const columnar::Field& field : schema->fields()) {
                out.inferred_columns.push_back(
                    catalog::Column{field.name, columnar::HiveTypeName(field.type), ""});
            }
        }
    }
    for (ErrorGroup& group : m.errors) {
        DeliveredObject object;
        object.is_error = true;
        object.key = group.prefix;
        object.key += DeliveredObjectName(m.dest->config.name, m.epoch_ms, m.shard_index, group.first, group.last);
        object.key += '-';
        object.key += group.kind;
        object.key += m.dest->ErrorExtension();
        object.records = group.records;
        if (m.dest->config.compression == CompressionFormat::kGzip) {
            TARN_ASSIGN_OR_RETURN(object.data, format::GzipCompress(group.text));
        } else {
            object.data = std::move(group.text);
        }
        out.objects.push_back(std::move(object));
    }
    out.error_records = m.error_counts;
    return out;
}

}  // namespace tarn::delivery
