// A Firehose delivery stream's configuration, as tarn keeps it: the part of CreateDeliveryStream
// (and UpdateDestination's ExtendedS3DestinationUpdate) that tarn uses. A plain value; parsing it
// from Firehose's JSON and describing it back are in api/firehose_json.h.
//
// Sources: DirectPut, or KinesisStreamAsSource reading a tarn stream named by the last part of
// its KinesisStreamARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME).
// Destination: one ExtendedS3 destination. Its BucketARN is kept (and described back) but tarn
// always writes into its own lake; Prefix and ErrorOutputPrefix are Firehose prefix templates
// (delivery/prefix_template.h), kept as the user gave them: an empty text means "not given", and
// tarn then uses DefaultPrefixText(DeliveryTableName(config)) and
// DefaultErrorOutputPrefixText(name) (see EffectivePrefixText / EffectiveErrorOutputPrefixText).
//
// Validate() is the whole set of rules a configuration must pass before a delivery stream is
// created or updated; every error is InvalidArgument with a message naming the member.
//
// Thread-safety: values; pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::delivery {

enum class DeliveryStreamType : uint8_t { kDirectPut, kKinesisStreamAsSource };
enum class DeliveryStreamStatus : uint8_t { kCreating, kActive, kDeleting };
// Firehose's CompressionFormat. tarn writes kUncompressed and kGzip; Validate refuses the others.
enum class CompressionFormat : uint8_t { kUncompressed, kGzip, kZip, kSnappy, kHadoopSnappy };
// ParquetSerDe's Compression (Firehose's default is SNAPPY).
enum class ParquetCompression : uint8_t { kSnappy, kGzip, kUncompressed };

// Firehose's names ("DirectPut", "ACTIVE", "GZIP", "HADOOP_SNAPPY", "SNAPPY", ...), and back
// (nullopt for an unknown name; exact, case-sensitive match as in Firehose).
std::string_view DeliveryStreamTypeName(DeliveryStreamType type);
std::optional<DeliveryStreamType> ParseDeliveryStreamType(std::string_view name);
std::string_view DeliveryStreamStatusName(DeliveryStreamStatus status);
std::string_view CompressionFormatName(CompressionFormat format);
std::optional<CompressionFormat> ParseCompressionFormat(std::string_view name);
std::string_view ParquetCompressionName(ParquetCompression compression);
std::optional<ParquetCompression> ParseParquetCompression(std::string_view name);

// BufferingHints limits and defaults. Firehose's current limits: IntervalInSeconds 0..900
// (older botocore models say 60..900), SizeInMBs 1..128.
inline constexpr int kMinBufferSizeMb = 1;
inline constexpr int kMaxBufferSizeMb = 128;
inline constexpr int kDefaultBufferSizeMb = 5;
inline constexpr int kMinBufferIntervalSeconds = 0;
inline constexpr int kMaxBufferIntervalSeconds = 900;
inline constexpr int kDefaultBufferIntervalSeconds = 300;
// DeliveryStreamName: 1..64 of [a-zA-Z0-9_.-].
inline constexpr size_t kMaxDeliveryStreamNameLength = 64;
// The id of a delivery stream's only destination.
inline constexpr std::string_view kDestinationId = "destinationId-000000000001";
// The JsonParsingEngine Firehose accepts (the MetadataExtraction processor's parameter).
inline constexpr std::string_view kJsonParsingEngineJq16 = "JQ-1.6";

struct BufferingHints {
    int size_mb = kDefaultBufferSizeMb;
    int interval_seconds = kDefaultBufferIntervalSeconds;
    friend bool operator==(const BufferingHints&, const BufferingHints&) = default;
};

// DynamicPartitioningConfiguration plus the ProcessingConfiguration that serves it.
struct DynamicPartitioning {
    bool enabled = false;
    bool given = false;  // DynamicPartitioningConfiguration was in the request (for Describe)
    int retry_duration_seconds = 300;  // RetryOptions.DurationInSeconds (kept, described back)
    // ProcessingConfiguration.Enabled, and its MetadataExtraction processor's parameters (empty
    // when there is no such processor).
    bool processing_enabled = false;
    bool processing_given = false;  // ProcessingConfiguration was in the request
    std::string metadata_extraction_query;
    std::string json_parsing_engine;
    // The AppendDelimiterToRecord processor (tarn writes newline-delimited records anyway) and
    // RecordDeAggregation's SubRecordType ("JSON" | "DELIMITED"; empty: no such processor).
    bool append_delimiter = false;
    std::string deaggregation_sub_record_type;
    friend bool operator==(const DynamicPartitioning&, const DynamicPartitioning&) = default;
};

// DataFormatConversionConfiguration: JSON records converted to Parquet with the schema of a
// catalog table. Input deserializers (OpenX / Hive JSON) are accepted and not kept.
struct DataFormatConversion {
    bool enabled = false;
    bool given = false;  // DataFormatConversionConfiguration was in the request
    std::string database_name;
    std::string table_name;
    std::string schema_role_arn;  // kept, described back
    ParquetCompression parquet_compression = ParquetCompression::kSnappy;
    friend bool operator==(const DataFormatConversion&, const DataFormatConversion&) = default;
};

struct DeliveryStreamConfig {
    std::string name;
    DeliveryStreamType type = DeliveryStreamType::kDirectPut;
    // For kKinesisStreamAsSource: the KinesisStreamARN as given, the tarn stream it names, and
    // the source's RoleARN.
    std::string source_stream_arn;
    std::string source_stream_name;
    std::string source_role_arn;
    // For kDirectPut: the internal stream that holds its records (set by DeliveryService::Create;
    // unique per creation, so a re-created delivery stream starts on a fresh stream).
    std::string internal_stream;

    // ExtendedS3 destination.
    std::string role_arn;
    std::string bucket_arn;
    std::string prefix;               // empty: tarn's default (EffectivePrefixText)
    std::string error_output_prefix;  // empty: tarn's default
    BufferingHints buffering;
    CompressionFormat compression = CompressionFormat::kUncompressed;
    DynamicPartitioning dynamic_partitioning;
    DataFormatConversion data_format_conversion;

    std::string version_id = "1";  // UpdateDestination's CurrentDeliveryStreamVersionId
    std::string destination_id = std::string(kDestinationId);
    int64_t create_time_ms = 0;  // unix ms
    DeliveryStreamStatus status = DeliveryStreamStatus::kCreating;

    friend bool operator==(const DeliveryStreamConfig&, const DeliveryStreamConfig&) = default;
};

// "stream/NAME" part of arn:aws:kinesis:REGION:ACCOUNT:stream/NAME; InvalidArgument otherwise.
Result<std::string> StreamNameFromKinesisArn(std::string_view arn);

// The lake table the delivery writes into: the DataFormatConversion's TableName when it names
// one, else the delivery stream's name.
std::string DeliveryTableName(const DeliveryStreamConfig& config);
// The Prefix / ErrorOutputPrefix tarn uses: the given text, or tarn's default when empty.
std::string EffectivePrefixText(const DeliveryStreamConfig& config);
std::string EffectiveErrorOutputPrefixText(const DeliveryStreamConfig& config);

// OK when `config` can be created (or an update applied): the name, the source, BufferingHints
// ranges, a compression tarn writes (UNCOMPRESSED or GZIP; with data format conversion only
// UNCOMPRESSED, as in Firehose), both prefix templates (PrefixTemplate::Parse and
// ValidatePrefixPair, and tarn's defaults as they will be used), dynamic partitioning's
// MetadataExtraction parameters, and data format conversion's schema. InvalidArgument otherwise,
// the message naming the member as Firehose does.
Status Validate(const DeliveryStreamConfig& config);

}  // namespace tarn::delivery
