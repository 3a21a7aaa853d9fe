#include "api/firehose_json.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tarn::api::firehose {
namespace {

using delivery::DeliveryStreamConfig;
using json = nlohmann::json;

// "1 validation error detected: Value <value> at '<path>' failed to satisfy constraint: <c>".
Status Constraint(std::string_view value, std::string_view path, std::string_view constraint) {
    return Status::InvalidArgument("1 validation error detected: Value " + std::string(value) +
                                   " at '" + std::string(path) +
                                   "' failed to satisfy constraint: " + std::string(constraint));
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Reads members of one JSON object, keeping the first error (shared with nested readers), so a
// parser reads everything and checks the error once.
class Reader {
public:
    Reader(const json* object, std::string path, Status* error)
        : object_(object), path_(std::move(path)), error_(error) {}

    bool ok() const { return error_->ok(); }
    void Fail(Status status) {
        if (error_->ok()) *error_ = std::move(status);
    }
    std::string PathOf(std::string_view field) const {
        return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
    }

    // The member, or nullptr when absent or null (an error when `required`).
    const json* Find(std::string_view field, bool required) {
        const json* found = nullptr;
        if (object_ != nullptr && object_->is_object()) {
            auto it = object_->find(field);
            if (it != object_->end() && !it->is_null()) found = &*it;
        }
        if (found == nullptr && required) {
            Fail(Constraint("null", PathOf(field), "Member must not be null"));
        }
        return found;
    }

    std::optional<std::string> String(std::string_view field, bool required, size_t min_length,
                                      size_t max_length) {
        const json* v = Find(field, required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string()) {
            Fail(Status::InvalidArgument("Member '" + PathOf(field) + "' must be a string"));
            return std::nullopt;
        }
        std::string s = v->get<std::string>();
        if (s.size() < min_length) {
            Fail(Constraint(
                Quoted(s), PathOf(field),
                "Member must have length greater than or equal to " + std::to_string(min_length)));
        } else if (s.size() > max_length) {
            Fail(Constraint(
                Quoted(s), PathOf(field),
                "Member must have length less than or equal to " + std::to_string(max_length)));
        }
        return s;
    }

    // A string that must be one of `names` (listed in the message).
    template <typename T, typename ParseFn>
    std::optional<T> Enum(std::string_view field, bool required, ParseFn parse,
                          std::string_view names) {
        auto s = String(field, required, 0, 1024);
        if (!s) return std::nullopt;
        std::optional<T> value = parse(*s);
        if (!value) {
            Fail(Constraint(Quoted(*s), PathOf(field),
                            "Member must satisfy enum value set: [" + std::string(names) + "]"));
        }
        return value;
    }

    std::optional<int64_t> Int(std::string_view field, int64_t min, int64_t max) {
        const json* v = Find(field, false);
        if (v == nullptr) return std::nullopt;
        if (!v->is_number_integer()) {
            Fail(Status::InvalidArgument("Member '" + PathOf(field) + "' must be an integer"));
            return std::nullopt;
        }
        int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t{INT64_MAX}
                        ? INT64_MAX
                        : v->get<int64_t>();
        if (n < min) {
            Fail(Constraint(
                std::to_string(n), PathOf(field),
                "Member must have value greater than or equal to " + std::to_string(min)));
        } else if (n > max) {
            Fail(Constraint(std::to_string(n), PathOf(field),
                            "Member must have value less than or equal to " + std::to_string(max)));
        }
        return n;
    }

    std::optional<bool> Bool(std::string_view field) {
        const json* v = Find(field, false);
        if (v == nullptr) return std::nullopt;
        if (!v->is_boolean()) {
            Fail(Status::InvalidArgument("Member '" + PathOf(field) + "' must be a boolean"));
            return std::nullopt;
        }
        return v->get<bool>();
    }

    // A nested object's reader; nullopt when absent (an error when required or not an object).
    std::optional<Reader> Object(std::string_view field, bool required) {
        const json* v = Find(field, required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_object()) {
            Fail(Status::InvalidArgument("Member '" + PathOf(field) + "' must be an object"));
            return std::nullopt;
        }
        return Reader(v, PathOf(field), error_);
    }

    // A list's elements as readers (each must be an object).
    std::optional<std::vector<Reader>> List(std::string_view field) {
        const json* v = Find(field, false);
        if (v == nullptr) return std::nullopt;
        if (!v->is_array()) {
            Fail(Status::InvalidArgument("Member '" + PathOf(field) + "' must be a list"));
            return std::nullopt;
        }
        std::vector<Reader> items;
        for (size_t i = 0; i < v->size(); ++i) {
            std::string path = PathOf(field) + "." + std::to_string(i + 1);
            if (!(*v)[i].is_object()) {
                Fail(Status::InvalidArgument("Member '" + path + "' must be an object"));
                return std::nullopt;
            }
            items.emplace_back(&(*v)[i], path, error_);
        }
        return items;
    }

private:
    const json* object_;
    std::string path_;
    Status* error_;
};

constexpr int64_t kMaxRetryDurationSeconds = 7200;

void ReadBufferingHints(Reader& r, delivery::BufferingHints& hints) {
    auto b = r.Object("BufferingHints", false);
    if (!b) return;
    if (auto size = b->Int("SizeInMBs", delivery::kMinBufferSizeMb, delivery::kMaxBufferSizeMb)) {
        hints.size_mb = static_cast<int>(*size);
    }
    if (auto interval = b->Int("IntervalInSeconds", delivery::kMinBufferIntervalSeconds,
                               delivery::kMaxBufferIntervalSeconds)) {
        hints.interval_seconds = static_cast<int>(*interval);
    }
}

// ProcessingConfiguration: replaces the processing fields of `dp`.
void ReadProcessing(Reader& r, delivery::DynamicPartitioning& dp) {
    auto p = r.Object("ProcessingConfiguration", false);
    if (!p) return;
    dp.processing_given = true;
    dp.processing_enabled = p->Bool("Enabled").value_or(false);
    dp.metadata_extraction_query.clear();
    dp.json_parsing_engine.clear();
    dp.append_delimiter = false;
    dp.deaggregation_sub_record_type.clear();
    auto processors = p->List("Processors");
    if (!processors) return;
    for (Reader& proc : *processors) {
        auto type = proc.String("Type", true, 1, 64);
        if (!type) return;
        std::optional<std::string> query, engine, sub_record_type;
        if (auto params = proc.List("Parameters")) {
            for (Reader& param : *params) {
                auto name = param.String("ParameterName", true, 1, 64);
                auto value = param.String("ParameterValue", true, 1, 5120);
                if (!name || !value) return;
                if (*name == "MetadataExtractionQuery") query = *value;
                if (*name == "JsonParsingEngine") engine = *value;
                if (*name == "SubRecordType") sub_record_type = *value;
            }
        }
        if (*type == "MetadataExtraction") {
            if (!query) {
                proc.Fail(Status::InvalidArgument(
                    "The MetadataExtraction processor needs a MetadataExtractionQuery parameter"));
                return;
            }
            dp.metadata_extraction_query = *query;
            dp.json_parsing_engine = engine.value_or(std::string(delivery::kJsonParsingEngineJq16));
        } else if (*type == "AppendDelimiterToRecord") {
            dp.append_delimiter = true;
        } else if (*type == "RecordDeAggregation") {
            dp.deaggregation_sub_record_type = sub_record_type.value_or("JSON");
        } else if (*type == "Lambda") {
            proc.Fail(Status::InvalidArgument(
                "Processor type Lambda is not supported by tarn: use MetadataExtraction for "
                "dynamic partitioning"));
        } else {
            proc.Fail(Constraint(Quoted(*type), proc.PathOf("Type"),
                                 "Member must satisfy enum value set: [RecordDeAggregation, "
                                 "Lambda, MetadataExtraction, AppendDelimiterToRecord]"));
        }
    }
}

void ReadDataFormatConversion(Reader& r, delivery::DataFormatConversion& fc) {
    auto f = r.Object("DataFormatConversionConfiguration", false);
    if (!f) return;
    fc = delivery::DataFormatConversion{};
    fc.given = true;
    fc.enabled = f->Bool("Enabled").value_or(true);  // Firehose's default when given
    if (auto schema = f->Object("SchemaConfiguration", false)) {
        fc.database_name = schema->String("DatabaseName", false, 1, 1024).value_or("");
        fc.table_name = schema->String("TableName", false, 1, 1024).value_or("");
        fc.schema_role_arn = schema->String("RoleARN", false, 1, 1024).value_or("");
    }
    bool parquet = false;
    if (auto out = f->Object("OutputFormatConfiguration", false)) {
        if (auto serializer = out->Object("Serializer", false)) {
            if (serializer->Find("OrcSerDe", false) != nullptr) {
                serializer->Fail(
                    Status::InvalidArgument("OrcSerDe is not supported by tarn: use ParquetSerDe"));
                return;
            }
            if (auto serde = serializer->Object("ParquetSerDe", false)) {
                parquet = true;
                if (auto c = serde->Enum<delivery::ParquetCompression>(
                        "Compression", false, delivery::ParseParquetCompression,
                        "UNCOMPRESSED, GZIP, SNAPPY")) {
                    fc.parquet_compression = *c;
                }
            }
        }
    }
    if (fc.enabled && !parquet) {
        f->Fail(Status::InvalidArgument(
            "DataFormatConversionConfiguration.OutputFormatConfiguration.Serializer.ParquetSerDe "
            "is required: tarn converts records to Parquet"));
    }
}

// The destination members present in `r` onto `c` (for create, `create` makes RoleARN and
// BucketARN required and DynamicPartitioning settable).
void ReadDestination(Reader& r, DeliveryStreamConfig& c, bool create) {
    if (auto role = r.String("RoleARN", create, 1, 512)) c.role_arn = *role;
    if (auto bucket = r.String("BucketARN", create, 1, 2048)) c.bucket_arn = *bucket;
    if (auto prefix = r.String("Prefix", false, 0, 1024)) c.prefix = *prefix;
    if (auto prefix = r.String("ErrorOutputPrefix", false, 0, 1024)) {
        c.error_output_prefix = *prefix;
    }
    ReadBufferingHints(r, c.buffering);
    if (auto f = r.Enum<delivery::CompressionFormat>(
            "CompressionFormat", false, delivery::ParseCompressionFormat,
            "UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY")) {
        c.compression = *f;
    }
    ReadProcessing(r, c.dynamic_partitioning);
    ReadDataFormatConversion(r, c.data_format_conversion);
    if (auto d = r.Object("DynamicPartitioningConfiguration", false)) {
        bool enabled = d->Bool("Enabled").value_or(false);
        if (!create && enabled != c.dynamic_partitioning.enabled) {
            d->Fail(Status::InvalidArgument(
                "DynamicPartitioningConfiguration.Enabled cannot be changed after the delivery "
                "stream is created"));
            return;
        }
        c.dynamic_partitioning.enabled = enabled;
        c.dynamic_partitioning.given = true;
        if (auto retry = d->Object("RetryOptions", false)) {
            if (auto s = retry->Int("DurationInSeconds", 0, kMaxRetryDurationSeconds)) {
                c.dynamic_partitioning.retry_duration_seconds = static_cast<int>(*s);
            }
        }
    }
}

constexpr std::string_view kOtherDestinations[] = {
    "RedshiftDestinationConfiguration",
    "ElasticsearchDestinationConfiguration",
    "AmazonopensearchserviceDestinationConfiguration",
    "SplunkDestinationConfiguration",
    "HttpEndpointDestinationConfiguration",
    "AmazonOpenSearchServerlessDestinationConfiguration",
};

json BufferingHintsJson(const delivery::BufferingHints& b) {
    return {{"SizeInMBs", b.size_mb}, {"IntervalInSeconds", b.interval_seconds}};
}

json ProcessingJson(const delivery::DynamicPartitioning& dp) {
    json processors = json::array();
    if (!dp.deaggregation_sub_record_type.empty()) {
        processors.push_back(
            {{"Type", "RecordDeAggregation"},
             {"Parameters",
              json::array({{{"ParameterName", "SubRecordType"},
                            {"ParameterValue", dp.deaggregation_sub_record_type}}})}});
    }
    if (!dp.metadata_extraction_query.empty()) {
        processors.push_back(
            {{"Type", "MetadataExtraction"},
             {"Parameters", json::array({{{"ParameterName", "MetadataExtractionQuery"},
                                          {"ParameterValue", dp.metadata_extraction_query}},
                                         {{"ParameterName", "JsonParsingEngine"},
                                          {"ParameterValue", dp.json_parsing_engine}}})}});
    }
    if (dp.append_delimiter) {
        processors.push_back({{"Type", "AppendDelimiterToRecord"}, {"Parameters", json::array()}});
    }
    return {{"Enabled", dp.processing_enabled}, {"Processors", std::move(processors)}};
}

json DataFormatConversionJson(const delivery::DataFormatConversion& fc) {
    json schema = {{"DatabaseName", fc.database_name}, {"TableName", fc.table_name}};
    if (!fc.schema_role_arn.empty()) schema["RoleARN"] = fc.schema_role_arn;
    return {{"Enabled", fc.enabled},
            {"SchemaConfiguration", std::move(schema)},
            {"OutputFormatConfiguration",
             {{"Serializer",
               {{"ParquetSerDe",
                 {{"Compression",
                   std::string(delivery::ParquetCompressionName(fc.parquet_compression))}}}}}}}};
}

}  // namespace

std::string DeliveryStreamArn(std::string_view name) {
    return "arn:aws:firehose:" + std::string(kRegion) + ":" + std::string(kAccountId) +
           ":deliverystream/" + std::string(name);
}

Result<DeliveryStreamConfig> ParseCreateDeliveryStream(const json& request, int64_t now_ms) {
    if (!request.is_object()) return Status::InvalidArgument("The request must be a JSON object");
    Status error;
    Reader r(&request, "", &error);
    DeliveryStreamConfig c;
    c.create_time_ms = now_ms;
    c.status = delivery::DeliveryStreamStatus::kCreating;
    c.name = r.String("DeliveryStreamName", true, 1, delivery::kMaxDeliveryStreamNameLength)
                 .value_or("");
    if (auto type = r.Enum<delivery::DeliveryStreamType>("DeliveryStreamType", false,
                                                         delivery::ParseDeliveryStreamType,
                                                         "DirectPut, KinesisStreamAsSource")) {
        c.type = *type;
    }
    if (!r.ok()) return error;
    auto source = r.Object("KinesisStreamSourceConfiguration",
                           c.type == delivery::DeliveryStreamType::kKinesisStreamAsSource);
    if (source && c.type == delivery::DeliveryStreamType::kDirectPut) {
        return Status::InvalidArgument(
            "KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is "
            "KinesisStreamAsSource");
    }
    if (source) {
        c.source_stream_arn = source->String("KinesisStreamARN", true, 1, 512).value_or("");
        c.source_role_arn = source->String("RoleARN", true, 1, 512).value_or("");
        if (!r.ok()) return error;
        TARN_ASSIGN_OR_RETURN(c.source_stream_name,
                              delivery::StreamNameFromKinesisArn(c.source_stream_arn));
    }
    if (!r.ok()) return error;
    for (std::string_view other : kOtherDestinations) {
        if (r.Find(other, false) != nullptr) {
            return Status::InvalidArgument(std::string(other) +
                                           " is not supported by tarn: use "
                                           "ExtendedS3DestinationConfiguration");
        }
    }
    const char* member = "ExtendedS3DestinationConfiguration";
    if (r.Find(member, false) == nullptr && r.Find("S3DestinationConfiguration", false)) {
        member = "S3DestinationConfiguration";
    }
    auto dest = r.Object(member, true);
    if (dest) ReadDestination(*dest, c, /*create=*/true);
    if (!r.ok()) return error;
    TARN_RETURN_IF_ERROR(delivery::Validate(c));
    return c;
}

Result<DeliveryStreamConfig> ParseCreateDeliveryStreamBody(std::string_view body, int64_t now_ms) {
    json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded() || !request.is_object()) {
        return Status::InvalidArgument("The request body is not a JSON object");
    }
    return ParseCreateDeliveryStream(request, now_ms);
}

json DeliveryStreamDescriptionJson(const DeliveryStreamConfig& c) {
    json s3 = {{"RoleARN", c.role_arn},
               {"BucketARN", c.bucket_arn},
               {"BufferingHints", BufferingHintsJson(c.buffering)},
               {"CompressionFormat", std::string(delivery::CompressionFormatName(c.compression))},
               {"EncryptionConfiguration", {{"NoEncryptionConfig", "NoEncryption"}}},
               {"CloudWatchLoggingOptions", {{"Enabled", false}}}};
    if (!c.prefix.empty()) s3["Prefix"] = c.prefix;
    if (!c.error_output_prefix.empty()) s3["ErrorOutputPrefix"] = c.error_output_prefix;
    json extended = s3;
    if (c.dynamic_partitioning.processing_given) {
        extended["ProcessingConfiguration"] = ProcessingJson(c.dynamic_partitioning);
    }
    extended["S3BackupMode"] = "Disabled";
    if (c.data_format_conversion.given) {
        extended["DataFormatConversionConfiguration"] =
            DataFormatConversionJson(c.data_format_conversion);
    }
    if (c.dynamic_partitioning.given) {
        extended["DynamicPartitioningConfiguration"] = {
            {"Enabled", c.dynamic_partitioning.enabled},
            {"RetryOptions",
             {{"DurationInSeconds", c.dynamic_partitioning.retry_duration_seconds}}}};
    }
    json out = {
        {"DeliveryStreamName", c.name},
        {"DeliveryStreamARN", DeliveryStreamArn(c.name)},
        {"DeliveryStreamStatus", std::string(delivery::DeliveryStreamStatusName(c.status))},
        {"DeliveryStreamType", std::string(delivery::DeliveryStreamTypeName(c.type))},
        {"VersionId", c.version_id},
        {"CreateTimestamp", static_cast<double>(c.create_time_ms) / 1000.0},
        {"Destinations", json::array({{{"DestinationId", c.destination_id},
                                       {"ExtendedS3DestinationDescription", std::move(extended)},
                                       {"S3DestinationDescription", std::move(s3)}}})},
        {"HasMoreDestinations", false},
    };
    if (c.type == delivery::DeliveryStreamType::kKinesisStreamAsSource) {
        out["Source"] = {
            {"KinesisStreamSourceDescription",
             {{"KinesisStreamARN", c.source_stream_arn},
              {"RoleARN", c.source_role_arn},
              {"DeliveryStartTimestamp", static_cast<double>(c.create_time_ms) / 1000.0}}}};
    }
    return out;
}

Status ApplyUpdateDestination(const json& request, DeliveryStreamConfig& config) {
    if (!request.is_object()) return Status::InvalidArgument("The request must be a JSON object");
    Status error;
    Reader r(&request, "", &error);
    auto name = r.String("DeliveryStreamName", true, 1, delivery::kMaxDeliveryStreamNameLength);
    auto version = r.String("CurrentDeliveryStreamVersionId", true, 1, 50);
    auto destination = r.String("DestinationId", true, 1, 100);
    if (!r.ok()) return error;
    if (*name != config.name) {
        return Status::InvalidArgument("DeliveryStreamName '" + *name + "' is not '" + config.name +
                                       "'");
    }
    if (*destination != config.destination_id) {
        return Status::InvalidArgument("Destination " + *destination +
                                       " not found for delivery stream " + config.name);
    }
    // ConcurrentModificationException in AWS.
    if (*version != config.version_id) {
        return Status::FailedPrecondition("CurrentDeliveryStreamVersionId " + *version +
                                          " does not match the delivery stream's version " +
                                          config.version_id);
    }
    DeliveryStreamConfig updated = config;
    const char* member = "ExtendedS3DestinationUpdate";
    if (r.Find(member, false) == nullptr && r.Find("S3DestinationUpdate", false)) {
        member = "S3DestinationUpdate";
    }
    if (auto dest = r.Object(member, false)) ReadDestination(*dest, updated, /*create=*/false);
    if (!r.ok()) return error;
    TARN_RETURN_IF_ERROR(delivery::Validate(updated));
    int64_t next = 0;
    for (char ch : updated.version_id) next = next * 10 + (ch - '0');  // [0-9]+ by construction
    updated.version_id = std::to_string(next + 1);
    config = std::move(updated);
    return Status::Ok();
}

}  // namespace tarn::api::firehose
