#include "catalog/table_ddl.h"

#include <gtest/gtest.h>

namespace tarn::catalog {
namespace {

std::vector<Column> Keys(std::initializer_list<const char*> names) {
    std::vector<Column> out;
    for (const char* name : names) out.push_back({name, "string", ""});
    return out;
}

TEST(TableDdlTest, ParquetTable) {
    Table t;
    t.database = "processed";
    t.name = "events";
    t.location = "processed/events/";
    t.format = DataFormat::kParquet;
    t.compression = "snappy";
    t.columns = {
        {"event_id", "string", "unique id"}, {"ts", "timestamp", ""}, {"user_id", "bigint", ""}};
    t.partition_keys = Keys({"year", "month", "day"});
    t.kind = TableKind::kManaged;
    t.time_partition_source = "ts";
    t.schema_version = 2;
    EXPECT_EQ(HiveDdl(t, LakeLocation("s3://bucket/lake/")),
              "CREATE EXTERNAL TABLE `processed`.`events` (\n"
              "  `event_id` string COMMENT 'unique id',\n"
              "  `ts` timestamp,\n"
              "  `user_id` bigint\n"
              ")\n"
              "PARTITIONED BY (`year` string, `month` string, `day` string)\n"
              "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
              "WITH SERDEPROPERTIES ('serialization.format'='1')\n"
              "STORED AS INPUTFORMAT "
              "'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' OUTPUTFORMAT "
              "'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n"
              "LOCATION 's3://bucket/lake/processed/events/'\n"
              "TBLPROPERTIES ('classification'='parquet', 'compressionType'='snappy', "
              "'tarn.kind'='managed', 'tarn.schema_version'='2', "
              "'tarn.time_partition_source'='ts', 'typeOfData'='file');\n");
}

TEST(TableDdlTest, GzippedJsonTableWithCommentsAndUserProperties) {
    Table t;
    t.database = "raw";
    t.name = "events";
    t.description = "Clickstream, as delivered";
    t.location = "raw/events/";
    t.format = DataFormat::kJson;
    t.compression = "gzip";
    t.columns = {{"event_id", "string", ""},
                 {"user", "string", "producer's id"},
                 {"payload", "struct<a:int,b:array<string>>", ""}};
    t.partition_keys = Keys({"year", "month", "day", "hour"});
    t.parameters = {{"team", "growth"}};
    t.kind = TableKind::kManaged;
    t.time_partition_source = "arrival_time";
    t.schema_version = 1;
    EXPECT_EQ(HiveDdl(t, LakeLocation("file:///data/lake/")),
              "CREATE EXTERNAL TABLE `raw`.`events` (\n"
              "  `event_id` string,\n"
              "  `user` string COMMENT 'producer\\'s id',\n"
              "  `payload` struct<a:int,b:array<string>>\n"
              ")\n"
              "COMMENT 'Clickstream, as delivered'\n"
              "PARTITIONED BY (`year` string, `month` string, `day` string, `hour` string)\n"
              "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
              "WITH SERDEPROPERTIES ('paths'='event_id,user,payload')\n"
              "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat' OUTPUTFORMAT "
              "'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
              "LOCATION 'file:///data/lake/raw/events/'\n"
              "TBLPROPERTIES ('classification'='json', 'compressionType'='gzip', "
              "'tarn.kind'='managed', 'tarn.schema_version'='1', "
              "'tarn.time_partition_source'='arrival_time', 'team'='growth', "
              "'typeOfData'='file');\n");
}

TEST(TableDdlTest, CsvTableOutsideTheLakeWithOddNames) {
    Table t;
    t.database = "curated";
    t.name = "odd`name";
    t.location = "s3://partner/drops/";  // declared through Glue, outside the lake
    t.format = DataFormat::kCsv;
    t.compression = "none";
    t.csv_delimiter = ',';
    t.csv_header = true;
    t.columns = {{"id", "int", ""}, {"note", "string", "line1\nline2 \\ end"}};
    t.schema_version = 1;
    EXPECT_EQ(HiveDdl(t, LakeLocation("s3://bucket/lake/")),
              "CREATE EXTERNAL TABLE `curated`.`odd``name` (\n"
              "  `id` int,\n"
              "  `note` string COMMENT 'line1\\nline2 \\\\ end'\n"
              ")\n"
              "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n"
              "WITH SERDEPROPERTIES ('quoteChar'='\"', 'separatorChar'=',')\n"
              "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat' OUTPUTFORMAT "
              "'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
              "LOCATION 's3://partner/drops/'\n"
              "TBLPROPERTIES ('classification'='csv', 'compressionType'='none', "
              "'delimiter'=',', 'skip.header.line.count'='1', 'tarn.kind'='external', "
              "'tarn.schema_version'='1', 'typeOfData'='file');\n");
}

TEST(TableDdlTest, QuotingHelpers) {
    EXPECT_EQ(HiveIdentifier("a`b``c"), "`a``b````c`");
    EXPECT_EQ(HiveIdentifier(""), "``");
    EXPECT_EQ(HiveString("it's a\\b\tc\r"), "'it\\'s a\\\\b\\tc\\r'");
}

}  // namespace
}  // namespace tarn::catalog
