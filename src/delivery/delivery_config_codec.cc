#include "delivery/delivery_config_codec.h"

#include <exception>

namespace tarn::delivery {
namespace {

using nlohmann::json;

json DynamicPartitioningToJson(const DynamicPartitioning& d) {
    return json{{"enabled", d.enabled},
                {"given", d.given},
                {"retry_duration_seconds", d.retry_duration_seconds},
                {"processing_enabled", d.processing_enabled},
                {"processing_given", d.processing_given},
                {"metadata_extraction_query", d.metadata_extraction_query},
                {"json_parsing_engine", d.json_parsing_engine},
                {"append_delimiter", d.append_delimiter},
                {"deaggregation_sub_record_type", d.deaggregation_sub_record_type}};
}

DynamicPartitioning DynamicPartitioningFromJson(const json& j) {
    DynamicPartitioning d;
    d.enabled = j.at("enabled").get<bool>();
    d.given = j.at("given").get<bool>();
    d.retry_duration_seconds = j.at("retry_duration_seconds").get<int>();
    d.processing_enabled = j.at("processing_enabled").get<bool>();
    d.processing_given = j.at("processing_given").get<bool>();
    d.metadata_extraction_query = j.at("metadata_extraction_query").get<std::string>();
    d.json_parsing_engine = j.at("json_parsing_engine").get<std::string>();
    d.append_delimiter = j.at("append_delimiter").get<bool>();
    d.deaggregation_sub_record_type = j.at("deaggregation_sub_record_type").get<std::string>();
    return d;
}

json ConversionToJson(const DataFormatConversion& c) {
    return json{{"enabled", c.enabled},
                {"given", c.given},
                {"database_name", c.database_name},
                {"table_name", c.table_name},
                {"schema_role_arn", c.schema_role_arn},
                {"parquet_compression", ParquetCompressionName(c.parquet_compression)}};
}

DataFormatConversion ConversionFromJson(const json& j) {
    DataFormatConversion c;
    c.enabled = j.at("enabled").get<bool>();
    c.given = j.at("given").get<bool>();
    c.database_name = j.at("database_name").get<std::string>();
    c.table_name = j.at("table_name").get<std::string>();
    c.schema_role_arn = j.at("schema_role_arn").get<std::string>();
    auto compression = ParseParquetCompression(j.at("parquet_compression").get<std::string>());
    if (!compression) throw std::invalid_argument("unknown parquet_compression");
    c.parquet_compression = *compression;
    return c;
}

}  // namespace

nlohmann::json DeliveryConfigToJson(const DeliveryStreamConfig& c) {
    return json{{"name", c.name},
                {"type", DeliveryStreamTypeName(c.type)},
                {"source_stream_arn", c.source_stream_arn},
                {"source_stream_name", c.source_stream_name},
                {"source_role_arn", c.source_role_arn},
                {"internal_stream", c.internal_stream},
                {"role_arn", c.role_arn},
                {"bucket_arn", c.bucket_arn},
                {"prefix", c.prefix},
                {"error_output_prefix", c.error_output_prefix},
                {"buffer_size_mb", c.buffering.size_mb},
                {"buffer_interval_seconds", c.buffering.interval_seconds},
                {"compression", CompressionFormatName(c.compression)},
                {"dynamic_partitioning", DynamicPartitioningToJson(c.dynamic_partitioning)},
                {"data_format_conversion", ConversionToJson(c.data_format_conversion)},
                {"version_id", c.version_id},
                {"destination_id", c.destination_id},
                {"create_time_ms", c.create_time_ms},
                {"status", DeliveryStreamStatusName(c.status)}};
}

Result<DeliveryStreamConfig> DeliveryConfigFromJson(const nlohmann::json& j) {
    try {
        DeliveryStreamConfig c;
        c.name = j.at("name").get<std::string>();
        auto type = ParseDeliveryStreamType(j.at("type").get<std::string>());
        auto compression = ParseCompressionFormat(j.at("compression").get<std::string>());
        if (!type || !compression) return Status::Corruption("delivery config: unknown enum value");
        c.type = *type;
        c.source_stream_arn = j.at("source_stream_arn").get<std::string>();
        c.source_stream_name = j.at("source_stream_name").get<std::string>();
        c.source_role_arn = j.at("source_role_arn").get<std::string>();
        c.internal_stream = j.at("internal_stream").get<std::string>();
        c.role_arn = j.at("role_arn").get<std::string>();
        c.bucket_arn = j.at("bucket_arn").get<std::string>();
        c.prefix = j.at("prefix").get<std::string>();
        c.error_output_prefix = j.at("error_output_prefix").get<std::string>();
        c.buffering.size_mb = j.at("buffer_size_mb").get<int>();
        c.buffering.interval_seconds = j.at("buffer_interval_seconds").get<int>();
        c.compression = *compression;
        c.dynamic_partitioning = DynamicPartitioningFromJson(j.at("dynamic_partitioning"));
        c.data_format_conversion = ConversionFromJson(j.at("data_format_conversion"));
        c.version_id = j.at("version_id").get<std::string>();
        c.destination_id = j.at("destination_id").get<std::string>();
        c.create_time_ms = j.at("create_time_ms").get<int64_t>();
        const std::string status = j.at("status").get<std::string>();
        c.status = status == "ACTIVE"     ? DeliveryStreamStatus::kActive
                   : status == "DELETING" ? DeliveryStreamStatus::kDeleting
                                          : DeliveryStreamStatus::kCreating;
        return c;
    } catch (const std::exception& e) {
        return Status::Corruption(std::string("delivery config: ") + e.what());
    }
}

std::string EncodeDeliveryConfig(const DeliveryStreamConfig& config) {
    return DeliveryConfigToJson(config).dump();
}

Result<DeliveryStreamConfig> DecodeDeliveryConfig(std::string_view text) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return Status::Corruption("delivery config: not JSON");
    return DeliveryConfigFromJson(j);
}

}  // namespace tarn::delivery
