#include "api/firehose_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "delivery/prefix_template.h"

namespace tarn::api::firehose {
namespace {

using delivery::DeliveryStreamConfig;
using json = nlohmann::json;

constexpr int64_t kNow = 1'700'000'000'123;

// What boto3's firehose.create_delivery_stream sends with every member tarn reads (and some it
// ignores), for a DirectPut stream with dynamic partitioning.
json DirectPutRequest() {
    return json::parse(R"({
      "DeliveryStreamName": "clicks",
      "DeliveryStreamType": "DirectPut",
      "ExtendedS3DestinationConfiguration": {
        "RoleARN": "arn:aws:iam::000000000000:role/firehose",
        "BucketARN": "arn:aws:s3:::lake",
        "Prefix": "data/customer=!{partitionKeyFromQuery:customer}/year=!{timestamp:yyyy}/",
        "ErrorOutputPrefix": "errors/!{firehose:error-output-type}/",
        "BufferingHints": {"SizeInMBs": 64, "IntervalInSeconds": 60},
        "CompressionFormat": "GZIP",
        "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"},
        "CloudWatchLoggingOptions": {"Enabled": false},
        "ProcessingConfiguration": {
          "Enabled": true,
          "Processors": [
            {"Type": "RecordDeAggregation",
             "Parameters": [{"ParameterName": "SubRecordType", "ParameterValue": "JSON"}]},
            {"Type": "MetadataExtraction",
             "Parameters": [
               {"ParameterName": "MetadataExtractionQuery", "ParameterValue": "{customer: .id}"},
               {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]},
            {"Type": "AppendDelimiterToRecord",
             "Parameters": [{"ParameterName": "Delimiter", "ParameterValue": "\\n"}]}
          ]
        },
        "S3BackupMode": "Disabled",
        "DynamicPartitioningConfiguration": {"Enabled": true,
                                             "RetryOptions": {"DurationInSeconds": 600}}
      },
      "Tags": [{"Key": "team", "Value": "web"}]
    })");
}

// A stream-fed delivery converting to Parquet.
json KinesisRequest() {
    return json::parse(R"({
      "DeliveryStreamName": "orders-to-lake",
      "DeliveryStreamType": "KinesisStreamAsSource",
      "KinesisStreamSourceConfiguration": {
        "KinesisStreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/orders",
        "RoleARN": "arn:aws:iam::000000000000:role/source"
      },
      "ExtendedS3DestinationConfiguration": {
        "RoleARN": "arn:aws:iam::000000000000:role/firehose",
        "BucketARN": "arn:aws:s3:::lake",
        "CompressionFormat": "UNCOMPRESSED",
        "DataFormatConversionConfiguration": {
          "Enabled": true,
          "SchemaConfiguration": {"DatabaseName": "shop", "TableName": "orders",
                                  "RoleARN": "arn:aws:iam::000000000000:role/glue",
                                  "Region": "us-east-1"},
          "InputFormatConfiguration": {"Deserializer": {"OpenXJsonSerDe": {}}},
          "OutputFormatConfiguration": {"Serializer": {"ParquetSerDe": {"Compression": "GZIP"}}}
        }
      }
    })");
}

DeliveryStreamConfig MustParse(const json& request) {
    auto c = ParseCreateDeliveryStream(request, kNow);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : DeliveryStreamConfig{};
}

void ExpectInvalid(const json& request, std::string_view fragment) {
    auto c = ParseCreateDeliveryStream(request, kNow);
    ASSERT_FALSE(c.ok()) << request.dump();
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument) << c.status().ToString();
    EXPECT_NE(c.status().message().find(fragment), std::string::npos) << c.status().message();
}

TEST(FirehoseJsonTest, CreateDirectPutWithEveryMember) {
    DeliveryStreamConfig c = MustParse(DirectPutRequest());
    EXPECT_EQ(c.name, "clicks");
    EXPECT_EQ(c.type, delivery::DeliveryStreamType::kDirectPut);
    EXPECT_EQ(c.role_arn, "arn:aws:iam::000000000000:role/firehose");
    EXPECT_EQ(c.bucket_arn, "arn:aws:s3:::lake");
    EXPECT_EQ(c.prefix, "data/customer=!{partitionKeyFromQuery:customer}/year=!{timestamp:yyyy}/");
    EXPECT_EQ(c.error_output_prefix, "errors/!{firehose:error-output-type}/");
    EXPECT_EQ(c.buffering.size_mb, 64);
    EXPECT_EQ(c.buffering.interval_seconds, 60);
    EXPECT_EQ(c.compression, delivery::CompressionFormat::kGzip);
    EXPECT_TRUE(c.dynamic_partitioning.enabled);
    EXPECT_EQ(c.dynamic_partitioning.retry_duration_seconds, 600);
    EXPECT_TRUE(c.dynamic_partitioning.processing_enabled);
    EXPECT_EQ(c.dynamic_partitioning.metadata_extraction_query, "{customer: .id}");
    EXPECT_EQ(c.dynamic_partitioning.json_parsing_engine, "JQ-1.6");
    EXPECT_TRUE(c.dynamic_partitioning.append_delimiter);
    EXPECT_EQ(c.dynamic_partitioning.deaggregation_sub_record_type, "JSON");
    EXPECT_FALSE(c.data_format_conversion.given);
    EXPECT_EQ(c.version_id, "1");
    EXPECT_EQ(c.destination_id, "destinationId-000000000001");
    EXPECT_EQ(c.create_time_ms, kNow);
    EXPECT_EQ(c.status, delivery::DeliveryStreamStatus::kCreating);
}

TEST(FirehoseJsonTest, CreateKinesisSourceWithFormatConversion) {
    DeliveryStreamConfig c = MustParse(KinesisRequest());
    EXPECT_EQ(c.type, delivery::DeliveryStreamType::kKinesisStreamAsSource);
    EXPECT_EQ(c.source_stream_arn, "arn:aws:kinesis:us-east-1:000000000000:stream/orders");
    EXPECT_EQ(c.source_stream_name, "orders");
    EXPECT_EQ(c.source_role_arn, "arn:aws:iam::000000000000:role/source");
    EXPECT_TRUE(c.data_format_conversion.enabled);
    EXPECT_EQ(c.data_format_conversion.database_name, "shop");
    EXPECT_EQ(c.data_format_conversion.table_name, "orders");
    EXPECT_EQ(c.data_format_conversion.schema_role_arn, "arn:aws:iam::000000000000:role/glue");
    EXPECT_EQ(c.data_format_conversion.parquet_compression, delivery::ParquetCompression::kGzip);
    EXPECT_EQ(delivery::EffectivePrefixText(c), delivery::DefaultPrefixText("orders"));
}

TEST(FirehoseJsonTest, CreateDefaults) {
    auto c = ParseCreateDeliveryStreamBody(std::string_view(R"({"DeliveryStreamName": "d",
            "ExtendedS3DestinationConfiguration": {"RoleARN": "arn:aws:iam::1:role/r",
                                                   "BucketARN": "arn:aws:s3:::b"}})"),
                                           kNow);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->type, delivery::DeliveryStreamType::kDirectPut);
    EXPECT_EQ(c->buffering.size_mb, 5);
    EXPECT_EQ(c->buffering.interval_seconds, 300);
    EXPECT_EQ(c->compression, delivery::CompressionFormat::kUncompressed);
    EXPECT_TRUE(c->prefix.empty());
    EXPECT_EQ(delivery::EffectivePrefixText(*c), delivery::DefaultPrefixText("d"));
    EXPECT_FALSE(c->dynamic_partitioning.enabled);
    EXPECT_FALSE(c->data_format_conversion.enabled);

    // S3DestinationConfiguration is read like the extended one.
    json s3 = {{"DeliveryStreamName", "d"},
               {"S3DestinationConfiguration",
                {{"RoleARN", "arn:aws:iam::1:role/r"}, {"BucketARN", "arn:aws:s3:::b"}}}};
    EXPECT_TRUE(ParseCreateDeliveryStream(s3, kNow).ok());
}

TEST(FirehoseJsonTest, CreateValidationErrors) {
    EXPECT_FALSE(ParseCreateDeliveryStreamBody(std::string_view("{"), kNow).ok());
    EXPECT_FALSE(ParseCreateDeliveryStreamBody(std::string_view("[]"), kNow).ok());

    json r = DirectPutRequest();
    r.erase("DeliveryStreamName");
    ExpectInvalid(r,
                  "1 validation error detected: Value null at 'DeliveryStreamName' failed to "
                  "satisfy constraint: Member must not be null");
    r = DirectPutRequest();
    r["DeliveryStreamName"] = std::string(65, 'x');
    ExpectInvalid(r, "Member must have length less than or equal to 64");
    r["DeliveryStreamName"] = "has space";
    ExpectInvalid(r, "[a-zA-Z0-9_.-]+");
    r["DeliveryStreamName"] = 7;
    ExpectInvalid(r, "'DeliveryStreamName' must be a string");

    r = DirectPutRequest();
    r["DeliveryStreamType"] = "Kafka";
    ExpectInvalid(r, "Member must satisfy enum value set: [DirectPut, KinesisStreamAsSource]");

    r = DirectPutRequest();
    r.erase("ExtendedS3DestinationConfiguration");
    ExpectInvalid(r, "Value null at 'ExtendedS3DestinationConfiguration'");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"].erase("BucketARN");
    ExpectInvalid(r, "Value null at 'ExtendedS3DestinationConfiguration.BucketARN'");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"].erase("RoleARN");
    ExpectInvalid(r, "Value null at 'ExtendedS3DestinationConfiguration.RoleARN'");
    r = DirectPutRequest();
    r["RedshiftDestinationConfiguration"] = json::object();
    ExpectInvalid(r, "RedshiftDestinationConfiguration is not supported by tarn");

    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["BufferingHints"]["SizeInMBs"] = 0;
    ExpectInvalid(r,
                  "Value 0 at 'ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs' "
                  "failed to satisfy constraint: Member must have value greater than or "
                  "equal to 1");
    r["ExtendedS3DestinationConfiguration"]["BufferingHints"]["SizeInMBs"] = 129;
    ExpectInvalid(r, "less than or equal to 128");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["BufferingHints"]["IntervalInSeconds"] = 901;
    ExpectInvalid(r,
                  "IntervalInSeconds' failed to satisfy constraint: Member must have value "
                  "less than or equal to 900");
    r["ExtendedS3DestinationConfiguration"]["BufferingHints"]["IntervalInSeconds"] = "60";
    ExpectInvalid(r, "must be an integer");

    for (const char* f : {"ZIP", "Snappy", "HADOOP_SNAPPY"}) {
        r = DirectPutRequest();
        r["ExtendedS3DestinationConfiguration"]["CompressionFormat"] = f;
        ExpectInvalid(r, std::string("CompressionFormat ") + f +
                             " is not supported by tarn: use UNCOMPRESSED or GZIP");
    }
    r["ExtendedS3DestinationConfiguration"]["CompressionFormat"] = "gzip";
    ExpectInvalid(r,
                  "Member must satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, "
                  "HADOOP_SNAPPY]");

    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["Prefix"] = "data/!{timestamp:yyyy";
    ExpectInvalid(r, "ExtendedS3DestinationConfiguration.Prefix");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"].erase("ErrorOutputPrefix");
    ExpectInvalid(r, "ErrorOutputPrefix");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["DynamicPartitioningConfiguration"]["Enabled"] = false;
    ExpectInvalid(r, "partitionKeyFromQuery");

    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["ProcessingConfiguration"]["Processors"][1] = {
        {"Type", "Lambda"},
        {"Parameters", {{{"ParameterName", "LambdaArn"}, {"ParameterValue", "arn:x"}}}}};
    ExpectInvalid(r, "Processor type Lambda is not supported by tarn");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["ProcessingConfiguration"]["Processors"][1]
     ["Parameters"][1]["ParameterValue"] = "JQ-1.5";
    ExpectInvalid(r, "JsonParsingEngine 'JQ-1.5' is not supported");
    r = DirectPutRequest();
    r["ExtendedS3DestinationConfiguration"]["ProcessingConfiguration"]["Processors"][1]
     ["Parameters"]
         .erase(0);
    ExpectInvalid(r, "needs a MetadataExtractionQuery");

    r = KinesisRequest();
    r.erase("KinesisStreamSourceConfiguration");
    ExpectInvalid(r, "Value null at 'KinesisStreamSourceConfiguration'");
    r = KinesisRequest();
    r["KinesisStreamSourceConfiguration"]["KinesisStreamARN"] = "arn:aws:kinesis:x:1:orders";
    ExpectInvalid(r, "is not a Kinesis stream ARN");
    r = KinesisRequest();
    r["KinesisStreamSourceConfiguration"].erase("RoleARN");
    ExpectInvalid(r, "'KinesisStreamSourceConfiguration.RoleARN'");
    r = KinesisRequest();
    r["DeliveryStreamType"] = "DirectPut";
    ExpectInvalid(r, "only allowed when DeliveryStreamType is KinesisStreamAsSource");

    r = KinesisRequest();
    auto& conversion = r["ExtendedS3DestinationConfiguration"]["DataFormatConversionConfiguration"];
    conversion["OutputFormatConfiguration"]["Serializer"] = {{"OrcSerDe", json::object()}};
    ExpectInvalid(r, "OrcSerDe is not supported by tarn");
    r = KinesisRequest();
    r["ExtendedS3DestinationConfiguration"]["DataFormatConversionConfiguration"]
     ["OutputFormatConfiguration"]["Serializer"]["ParquetSerDe"]["Compression"] = "LZO";
    ExpectInvalid(r, "[UNCOMPRESSED, GZIP, SNAPPY]");
    r = KinesisRequest();
    r["ExtendedS3DestinationConfiguration"]["DataFormatConversionConfiguration"]
     ["SchemaConfiguration"]
         .erase("TableName");
    ExpectInvalid(r, "TableName");
    r = KinesisRequest();
    r["ExtendedS3DestinationConfiguration"]["CompressionFormat"] = "GZIP";
    ExpectInvalid(r, "must be UNCOMPRESSED when DataFormatConversion is enabled");
}

TEST(FirehoseJsonTest, DescribeIsExact) {
    DeliveryStreamConfig c = MustParse(DirectPutRequest());
    c.status = delivery::DeliveryStreamStatus::kActive;
    const json s3 = {
        {"RoleARN", "arn:aws:iam::000000000000:role/firehose"},
        {"BucketARN", "arn:aws:s3:::lake"},
        {"Prefix", "data/customer=!{partitionKeyFromQuery:customer}/year=!{timestamp:yyyy}/"},
        {"ErrorOutputPrefix", "errors/!{firehose:error-output-type}/"},
        {"BufferingHints", {{"SizeInMBs", 64}, {"IntervalInSeconds", 60}}},
        {"CompressionFormat", "GZIP"},
        {"EncryptionConfiguration", {{"NoEncryptionConfig", "NoEncryption"}}},
        {"CloudWatchLoggingOptions", {{"Enabled", false}}},
    };
    json extended = s3;
    extended["ProcessingConfiguration"] = json::parse(R"({"Enabled": true, "Processors": [
        {"Type": "RecordDeAggregation",
         "Parameters": [{"ParameterName": "SubRecordType", "ParameterValue": "JSON"}]},
        {"Type": "MetadataExtraction",
         "Parameters": [
           {"ParameterName": "MetadataExtractionQuery", "ParameterValue": "{customer: .id}"},
           {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]},
        {"Type": "AppendDelimiterToRecord", "Parameters": []}]})");
    extended["S3BackupMode"] = "Disabled";
    extended["DynamicPartitioningConfiguration"] =
        json::parse(R"({"Enabled": true, "RetryOptions": {"DurationInSeconds": 600}})");
    const json expected = {
        {"DeliveryStreamName", "clicks"},
        {"DeliveryStreamARN", "arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks"},
        {"DeliveryStreamStatus", "ACTIVE"},
        {"DeliveryStreamType", "DirectPut"},
        {"VersionId", "1"},
        {"CreateTimestamp", 1700000000.123},
        {"Destinations", json::array({{{"DestinationId", "destinationId-000000000001"},
                                       {"ExtendedS3DestinationDescription", extended},
                                       {"S3DestinationDescription", s3}}})},
        {"HasMoreDestinations", false},
    };
    EXPECT_EQ(DeliveryStreamDescriptionJson(c), expected)
        << DeliveryStreamDescriptionJson(c).dump(2);
}

TEST(FirehoseJsonTest, DescribeKinesisSource) {
    DeliveryStreamConfig c = MustParse(KinesisRequest());
    json d = DeliveryStreamDescriptionJson(c);
    EXPECT_EQ(d["DeliveryStreamStatus"], "CREATING");
    EXPECT_EQ(d["DeliveryStreamType"], "KinesisStreamAsSource");
    EXPECT_EQ(d["Source"], json::parse(R"({"KinesisStreamSourceDescription": {
        "KinesisStreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/orders",
        "RoleARN": "arn:aws:iam::000000000000:role/source",
        "DeliveryStartTimestamp": 1700000000.123}})"));
    const json& ext = d["Destinations"][0]["ExtendedS3DestinationDescription"];
    EXPECT_EQ(ext["DataFormatConversionConfiguration"], json::parse(R"({"Enabled": true,
        "SchemaConfiguration": {"DatabaseName": "shop", "TableName": "orders",
                                "RoleARN": "arn:aws:iam::000000000000:role/glue"},
        "OutputFormatConfiguration": {"Serializer": {"ParquetSerDe": {"Compression": "GZIP"}}}})"));
    EXPECT_FALSE(ext.contains("Prefix"));
    EXPECT_FALSE(ext.contains("DynamicPartitioningConfiguration"));
    EXPECT_FALSE(d["Destinations"][0]["S3DestinationDescription"].contains(
        "DataFormatConversionConfiguration"));
}

json Update(std::string_view version, json destination) {
    return {{"DeliveryStreamName", "clicks"},
            {"CurrentDeliveryStreamVersionId", version},
            {"DestinationId", "destinationId-000000000001"},
            {"ExtendedS3DestinationUpdate", std::move(destination)}};
}

TEST(FirehoseJsonTest, UpdateDestinationWithMatchingVersion) {
    DeliveryStreamConfig c = MustParse(DirectPutRequest());
    Status s = ApplyUpdateDestination(
        Update("1", {{"BufferingHints", {{"IntervalInSeconds", 120}}},
                     {"CompressionFormat", "UNCOMPRESSED"},
                     {"Prefix", "v2/customer=!{partitionKeyFromQuery:customer}/"}}),
        c);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(c.version_id, "2");
    EXPECT_EQ(c.buffering.size_mb, 64);  // kept
    EXPECT_EQ(c.buffering.interval_seconds, 120);
    EXPECT_EQ(c.compression, delivery::CompressionFormat::kUncompressed);
    EXPECT_EQ(c.prefix, "v2/customer=!{partitionKeyFromQuery:customer}/");
    EXPECT_EQ(c.error_output_prefix, "errors/!{firehose:error-output-type}/");  // kept
    EXPECT_EQ(c.dynamic_partitioning.metadata_extraction_query, "{customer: .id}");

    // The next update must name version 2.
    s = ApplyUpdateDestination(Update("2", {{"BufferingHints", {{"SizeInMBs", 128}}}}), c);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(c.version_id, "3");
    EXPECT_EQ(c.buffering.size_mb, 128);
}

TEST(FirehoseJsonTest, UpdateDestinationErrorsLeaveConfigUnchanged) {
    const DeliveryStreamConfig original = MustParse(DirectPutRequest());
    DeliveryStreamConfig c = original;

    Status s = ApplyUpdateDestination(Update("7", {{"CompressionFormat", "UNCOMPRESSED"}}), c);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find("CurrentDeliveryStreamVersionId 7 does not match"),
              std::string::npos);
    EXPECT_EQ(c, original);

    json r = Update("1", json::object());
    r["DestinationId"] = "destinationId-000000000002";
    EXPECT_EQ(ApplyUpdateDestination(r, c).code(), StatusCode::kInvalidArgument);
    r = Update("1", json::object());
    r.erase("CurrentDeliveryStreamVersionId");
    s = ApplyUpdateDestination(r, c);
    EXPECT_NE(s.message().find("Value null at 'CurrentDeliveryStreamVersionId'"), std::string::npos)
        << s.ToString();
    s = ApplyUpdateDestination(Update("1", {{"CompressionFormat", "ZIP"}}), c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    s = ApplyUpdateDestination(Update("1", {{"Prefix", "data/!{timestamp:yyyy"}}), c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    s = ApplyUpdateDestination(
        Update("1", {{"DynamicPartitioningConfiguration", {{"Enabled", false}}}}), c);
    EXPECT_NE(s.message().find("cannot be changed"), std::string::npos) << s.ToString();
    s = ApplyUpdateDestination(
        Update("1", {{"BufferingHints", {{"SizeInMBs", 256}}}, {"CompressionFormat", "GZIP"}}), c);
    EXPECT_NE(s.message().find("ExtendedS3DestinationUpdate.BufferingHints.SizeInMBs"),
              std::string::npos)
        << s.ToString();
    EXPECT_EQ(c, original);
}

}  // namespace
}  // namespace tarn::api::firehose
