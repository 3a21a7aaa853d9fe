#include "delivery/delivery_config.h"

#include <array>
#include <string>
#include <utility>

#include "delivery/prefix_template.h"

namespace tarn::delivery {
namespace {

constexpr std::array<std::pair<std::string_view, CompressionFormat>, 5> kCompressionNames = {{
    {"UNCOMPRESSED", CompressionFormat::kUncompressed},
    {"GZIP", CompressionFormat::kGzip},
    {"ZIP", CompressionFormat::kZip},
    {"Snappy", CompressionFormat::kSnappy},
    {"HADOOP_SNAPPY", CompressionFormat::kHadoopSnappy},
}};
constexpr std::array<std::pair<std::string_view, ParquetCompression>, 3> kParquetNames = {{
    {"SNAPPY", ParquetCompression::kSnappy},
    {"GZIP", ParquetCompression::kGzip},
    {"UNCOMPRESSED", ParquetCompression::kUncompressed},
}};

bool ValidNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

Status ValidateName(std::string_view name) {
    if (name.empty() || name.size() > kMaxDeliveryStreamNameLength) {
        return Status::InvalidArgument("DeliveryStreamName must be 1 to 64 characters long");
    }
    for (char c : name) {
        if (!ValidNameChar(c)) {
            return Status::InvalidArgument("DeliveryStreamName '" + std::string(name) +
                                           "' must match [a-zA-Z0-9_.-]+");
        }
    }
    if (name == "." || name == "..") {  // would not be a valid lake key segment
        return Status::InvalidArgument("DeliveryStreamName must not be '.' or '..'");
    }
    return Status::Ok();
}

Status ValidatePrefixes(const DeliveryStreamConfig& c) {
    const bool dynamic = c.dynamic_partitioning.enabled;
    auto prefix = PrefixTemplate::Parse(c.prefix, PrefixKind::kPrefix);
    if (!prefix.ok())
        return prefix.status().WithContext("ExtendedS3DestinationConfiguration.Prefix");
    std::optional<PrefixTemplate> error_prefix;
    if (!c.error_output_prefix.empty()) {
        auto parsed = PrefixTemplate::Parse(c.error_output_prefix, PrefixKind::kErrorOutputPrefix);
        if (!parsed.ok()) {
            return parsed.status().WithContext(
                "ExtendedS3DestinationConfiguration.ErrorOutputPrefix");
        }
        error_prefix = std::move(parsed).value();
    }
    TARN_RETURN_IF_ERROR(
        ValidatePrefixPair(*prefix, error_prefix ? &*error_prefix : nullptr, dynamic));
    if (!prefix->PartitionKeyNames().empty() &&
        (c.dynamic_partitioning.metadata_extraction_query.empty() ||
         !c.dynamic_partitioning.processing_enabled)) {
        return Status::InvalidArgument(
            "Prefix uses !{partitionKeyFromQuery:...} but ProcessingConfiguration is not "
            "enabled with a MetadataExtraction processor and its MetadataExtractionQuery");
    }
    // tarn's defaults, as they will be used (the table name is part of a key).
    if (c.prefix.empty()) {
        auto def = PrefixTemplate::Parse(EffectivePrefixText(c), PrefixKind::kPrefix);
        if (!def.ok()) return def.status().WithContext("default Prefix");
    }
    if (c.error_output_prefix.empty()) {
        auto def = PrefixTemplate::Parse(EffectiveErrorOutputPrefixText(c),
                                         PrefixKind::kErrorOutputPrefix);
        if (!def.ok()) return def.status().WithContext("default ErrorOutputPrefix");
    }
    return Status::Ok();
}

}  // namespace

std::string_view DeliveryStreamTypeName(DeliveryStreamType type) {
    return type == DeliveryStreamType::kDirectPut ? "DirectPut" : "KinesisStreamAsSource";
}

std::optional<DeliveryStreamType> ParseDeliveryStreamType(std::string_view name) {
    if (name == "DirectPut") return DeliveryStreamType::kDirectPut;
    if (name == "KinesisStreamAsSource") return DeliveryStreamType::kKinesisStreamAsSource;
    return std::nullopt;
}

std::string_view DeliveryStreamStatusName(DeliveryStreamStatus status) {
    switch (status) {
        case DeliveryStreamStatus::kCreating:
            return "CREATING";
        case DeliveryStreamStatus::kActive:
            return "ACTIVE";
        case DeliveryStreamStatus::kDeleting:
            return "DELETING";
    }
    return "ACTIVE";
}

std::string_view CompressionFormatName(CompressionFormat format) {
    for (const auto& [name, value] : kCompressionNames) {
        if (value == format) return name;
    }
    return "UNCOMPRESSED";
}

std::optional<CompressionFormat> ParseCompressionFormat(std::string_view name) {
    for (const auto& [n, value] : kCompressionNames) {
        if (n == name) return value;
    }
    return std::nullopt;
}

std::string_view ParquetCompressionName(ParquetCompression compression) {
    for (const auto& [name, value] : kParquetNames) {
        if (value == compression) return name;
    }
    return "SNAPPY";
}

std::optional<ParquetCompression> ParseParquetCompression(std::string_view name) {
    for (const auto& [n, value] : kParquetNames) {
        if (n == name) return value;
    }
    return std::nullopt;
}

Result<std::string> StreamNameFromKinesisArn(std::string_view arn) {
    // arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME
    auto invalid = [&] {
        return Status::InvalidArgument("KinesisStreamARN '" + std::string(arn) +
                                       "' is not a Kinesis stream ARN "
                                       "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
    };
    std::string_view rest = arn;
    std::array<std::string_view, 5> parts;
    for (auto& part : parts) {
        size_t colon = rest.find(':');
        if (colon == std::string_view::npos) return invalid();
        part = rest.substr(0, colon);
        rest.remove_prefix(colon + 1);
    }
    if (parts[0] != "arn" || parts[1].empty() || parts[2] != "kinesis") return invalid();
    constexpr std::string_view kStream = "stream/";
    if (!rest.starts_with(kStream)) return invalid();
    rest.remove_prefix(kStream.size());
    if (rest.empty() || rest.size() > 128) return invalid();
    for (char c : rest) {
        if (!ValidNameChar(c)) return invalid();
    }
    return std::string(rest);
}

std::string DeliveryTableName(const DeliveryStreamConfig& config) {
    if (config.data_format_conversion.enabled &&
        !config.data_format_conversion.table_name.empty()) {
        return config.data_format_conversion.table_name;
    }
    return config.name;
}

std::string EffectivePrefixText(const DeliveryStreamConfig& config) {
    return config.prefix.empty() ? DefaultPrefixText(DeliveryTableName(config)) : config.prefix;
}

std::string EffectiveErrorOutputPrefixText(const DeliveryStreamConfig& config) {
    return config.error_output_prefix.empty() ? DefaultErrorOutputPrefixText(config.name)
                                              : config.error_output_prefix;
}

Status Validate(const DeliveryStreamConfig& c) {
    TARN_RETURN_IF_ERROR(ValidateName(c.name));
    if (c.type == DeliveryStreamType::kKinesisStreamAsSource) {
        if (c.source_stream_name.empty()) {
            return Status::InvalidArgument(
                "KinesisStreamSourceConfiguration is required when DeliveryStreamType is "
                "KinesisStreamAsSource");
        }
        if (c.source_role_arn.empty()) {
            return Status::InvalidArgument("KinesisStreamSourceConfiguration.RoleARN is required");
        }
    }
    if (!c.bucket_arn.starts_with("arn:")) {
        return Status::InvalidArgument(
            "ExtendedS3DestinationConfiguration.BucketARN must be an ARN (arn:aws:s3:::BUCKET)");
    }
    if (!c.role_arn.starts_with("arn:")) {
        return Status::InvalidArgument("ExtendedS3DestinationConfiguration.RoleARN must be an ARN");
    }
    if (c.buffering.size_mb < kMinBufferSizeMb || c.buffering.size_mb > kMaxBufferSizeMb) {
        return Status::InvalidArgument("BufferingHints.SizeInMBs " +
                                       std::to_string(c.buffering.size_mb) +
                                       " is out of range: it must be between 1 and 128");
    }
    if (c.buffering.interval_seconds < kMinBufferIntervalSeconds ||
        c.buffering.interval_seconds > kMaxBufferIntervalSeconds) {
        return Status::InvalidArgument("BufferingHints.IntervalInSeconds " +
                                       std::to_string(c.buffering.interval_seconds) +
                                       " is out of range: it must be between 0 and 900");
    }
    if (c.compression != CompressionFormat::kUncompressed &&
        c.compression != CompressionFormat::kGzip) {
        return Status::InvalidArgument("CompressionFormat " +
                                       std::string(CompressionFormatName(c.compression)) +
                                       " is not supported by tarn: use UNCOMPRESSED or GZIP");
    }
    const DynamicPartitioning& dp = c.dynamic_partitioning;
    if (!dp.json_parsing_engine.empty() && dp.json_parsing_engine != kJsonParsingEngineJq16) {
        return Status::InvalidArgument("JsonParsingEngine '" + dp.json_parsing_engine +
                                       "' is not supported: the only engine is JQ-1.6");
    }
    if (!dp.deaggregation_sub_record_type.empty() && dp.deaggregation_sub_record_type != "JSON" &&
        dp.deaggregation_sub_record_type != "DELIMITED") {
        return Status::InvalidArgument("SubRecordType '" + dp.deaggregation_sub_record_type +
                                       "' must be JSON or DELIMITED");
    }
    const DataFormatConversion& fc = c.data_format_conversion;
    if (fc.enabled) {
        if (fc.database_name.empty() || fc.table_name.empty()) {
            return Status::InvalidArgument(
                "DataFormatConversionConfiguration.SchemaConfiguration must name a DatabaseName "
                "and a TableName");
        }
        if (c.compression != CompressionFormat::kUncompressed) {
            return Status::InvalidArgument(
                "CompressionFormat must be UNCOMPRESSED when DataFormatConversion is enabled: "
                "set ParquetSerDe.Compression instead");
        }
    }
    return ValidatePrefixes(c);
}

}  // namespace tarn::delivery
