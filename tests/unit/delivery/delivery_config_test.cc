#include "delivery/delivery_config.h"

#include <gtest/gtest.h>

#include <string>

#include "delivery/prefix_template.h"

namespace tarn::delivery {
namespace {

DeliveryStreamConfig Basic() {
    DeliveryStreamConfig c;
    c.name = "clicks";
    c.role_arn = "arn:aws:iam::000000000000:role/firehose";
    c.bucket_arn = "arn:aws:s3:::lake";
    return c;
}

DeliveryStreamConfig Dynamic() {
    DeliveryStreamConfig c = Basic();
    c.prefix = "data/customer=!{partitionKeyFromQuery:customer}/year=!{timestamp:yyyy}/";
    c.error_output_prefix = "errors/!{firehose:error-output-type}/";
    c.dynamic_partitioning.enabled = true;
    c.dynamic_partitioning.processing_enabled = true;
    c.dynamic_partitioning.metadata_extraction_query = "{customer: .customer_id}";
    c.dynamic_partitioning.json_parsing_engine = "JQ-1.6";
    return c;
}

void ExpectInvalid(const DeliveryStreamConfig& c, std::string_view fragment) {
    Status s = Validate(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

TEST(DeliveryConfigTest, Defaults) {
    DeliveryStreamConfig c;
    EXPECT_EQ(c.type, DeliveryStreamType::kDirectPut);
    EXPECT_EQ(c.buffering.size_mb, 5);
    EXPECT_EQ(c.buffering.interval_seconds, 300);
    EXPECT_EQ(c.compression, CompressionFormat::kUncompressed);
    EXPECT_EQ(c.destination_id, "destinationId-000000000001");
    EXPECT_EQ(c.version_id, "1");
    EXPECT_EQ(c.status, DeliveryStreamStatus::kCreating);
    EXPECT_EQ(c.data_format_conversion.parquet_compression, ParquetCompression::kSnappy);
    EXPECT_FALSE(c.dynamic_partitioning.enabled);
}

TEST(DeliveryConfigTest, DefaultPrefixUsesTableName) {
    DeliveryStreamConfig c = Basic();
    EXPECT_TRUE(Validate(c).ok());
    EXPECT_EQ(DeliveryTableName(c), "clicks");
    EXPECT_EQ(EffectivePrefixText(c), DefaultPrefixText("clicks"));
    EXPECT_EQ(EffectiveErrorOutputPrefixText(c), DefaultErrorOutputPrefixText("clicks"));
    c.data_format_conversion.enabled = true;
    c.data_format_conversion.database_name = "web";
    c.data_format_conversion.table_name = "click_events";
    EXPECT_TRUE(Validate(c).ok());
    EXPECT_EQ(EffectivePrefixText(c), DefaultPrefixText("click_events"));
    EXPECT_EQ(EffectiveErrorOutputPrefixText(c), DefaultErrorOutputPrefixText("clicks"));
    c.prefix = "mine/";
    EXPECT_EQ(EffectivePrefixText(c), "mine/");
}

TEST(DeliveryConfigTest, Names) {
    EXPECT_EQ(ParseCompressionFormat("Snappy"), CompressionFormat::kSnappy);
    EXPECT_EQ(ParseCompressionFormat("SNAPPY"), std::nullopt);
    EXPECT_EQ(CompressionFormatName(CompressionFormat::kHadoopSnappy), "HADOOP_SNAPPY");
    EXPECT_EQ(ParseParquetCompression("SNAPPY"), ParquetCompression::kSnappy);
    EXPECT_EQ(ParseDeliveryStreamType("KinesisStreamAsSource"),
              DeliveryStreamType::kKinesisStreamAsSource);
    EXPECT_EQ(ParseDeliveryStreamType("directput"), std::nullopt);
    EXPECT_EQ(DeliveryStreamStatusName(DeliveryStreamStatus::kDeleting), "DELETING");
}

TEST(DeliveryConfigTest, StreamNameFromKinesisArn) {
    auto name = StreamNameFromKinesisArn("arn:aws:kinesis:us-east-1:000000000000:stream/clicks");
    ASSERT_TRUE(name.ok()) << name.status().ToString();
    EXPECT_EQ(*name, "clicks");
    for (const char* bad : {"clicks", "arn:aws:kinesis:us-east-1:000000000000:clicks",
                            "arn:aws:s3:us-east-1:000000000000:stream/clicks",
                            "arn:aws:kinesis:us-east-1:000000000000:stream/",
                            "arn:aws:kinesis:us-east-1:000000000000:stream/a/b"}) {
        EXPECT_EQ(StreamNameFromKinesisArn(bad).status().code(), StatusCode::kInvalidArgument)
            << bad;
    }
}

TEST(DeliveryConfigTest, ValidDynamicPartitioning) {
    Status s = Validate(Dynamic());
    EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(DeliveryConfigTest, ValidationErrors) {
    auto c = Basic();
    c.name = "";
    ExpectInvalid(c, "DeliveryStreamName");
    c.name = "bad name";
    ExpectInvalid(c, "[a-zA-Z0-9_.-]+");
    c.name = std::string(65, 'a');
    ExpectInvalid(c, "1 to 64");
    c.name = "..";
    ExpectInvalid(c, "DeliveryStreamName");

    c = Basic();
    c.type = DeliveryStreamType::kKinesisStreamAsSource;
    ExpectInvalid(c, "KinesisStreamSourceConfiguration");
    c.source_stream_name = "clicks";
    ExpectInvalid(c, "RoleARN");

    c = Basic();
    c.bucket_arn = "lake";
    ExpectInvalid(c, "BucketARN");
    c = Basic();
    c.role_arn = "";
    ExpectInvalid(c, "RoleARN");

    c = Basic();
    c.buffering.size_mb = 0;
    ExpectInvalid(c, "SizeInMBs 0");
    c.buffering.size_mb = 129;
    ExpectInvalid(c, "SizeInMBs 129");
    c = Basic();
    c.buffering.interval_seconds = -1;
    ExpectInvalid(c, "IntervalInSeconds -1");
    c.buffering.interval_seconds = 901;
    ExpectInvalid(c, "IntervalInSeconds 901");
    c.buffering.interval_seconds = 0;
    EXPECT_TRUE(Validate(c).ok());

    for (auto f :
         {CompressionFormat::kZip, CompressionFormat::kSnappy, CompressionFormat::kHadoopSnappy}) {
        c = Basic();
        c.compression = f;
        ExpectInvalid(c, "is not supported by tarn: use UNCOMPRESSED or GZIP");
    }
    c = Basic();
    c.compression = CompressionFormat::kGzip;
    EXPECT_TRUE(Validate(c).ok());

    c = Basic();
    c.data_format_conversion.enabled = true;
    ExpectInvalid(c, "DatabaseName");
    c.data_format_conversion.database_name = "db";
    c.data_format_conversion.table_name = "t";
    c.compression = CompressionFormat::kGzip;
    ExpectInvalid(c, "must be UNCOMPRESSED when DataFormatConversion");
}

TEST(DeliveryConfigTest, PrefixErrors) {
    auto c = Basic();
    c.prefix = "data/!{timestamp:yyyy";
    ExpectInvalid(c, "ExtendedS3DestinationConfiguration.Prefix");
    c = Basic();
    c.prefix = "data/";
    c.error_output_prefix = "err/!{nope:x}/";
    ExpectInvalid(c, "ErrorOutputPrefix");
    // Expressions in Prefix need an ErrorOutputPrefix.
    c = Basic();
    c.prefix = "data/!{timestamp:yyyy}/";
    EXPECT_FALSE(Validate(c).ok());
    c.error_output_prefix = "err/!{firehose:error-output-type}/";
    EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();

    // Dynamic partitioning needs partitionKeyFromQuery, and that needs the query.
    c = Dynamic();
    c.prefix = "data/!{timestamp:yyyy}/";
    EXPECT_FALSE(Validate(c).ok());
    c = Dynamic();
    c.dynamic_partitioning.metadata_extraction_query.clear();
    ExpectInvalid(c, "MetadataExtractionQuery");
    c = Dynamic();
    c.dynamic_partitioning.processing_enabled = false;
    ExpectInvalid(c, "MetadataExtractionQuery");
    c = Dynamic();
    c.dynamic_partitioning.json_parsing_engine = "JQ-1.5";
    ExpectInvalid(c, "JsonParsingEngine");
    c = Dynamic();
    c.dynamic_partitioning.enabled = false;
    EXPECT_FALSE(Validate(c).ok());  // partitionKeyFromQuery without dynamic partitioning
}

}  // namespace
}  // namespace tarn::delivery
