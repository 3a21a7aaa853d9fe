#include "catalog/table_storage.h"

#include <gtest/gtest.h>

namespace tarn::catalog {
namespace {

Table EventsTable(DataFormat format, std::string compression) {
    Table t;
    t.database = "raw";
    t.name = "events";
    t.location = "raw/events/";
    t.format = format;
    t.compression = std::move(compression);
    t.columns = {{"event_id", "string", ""}, {"ts", "bigint", ""}, {"user", "string", ""}};
    t.partition_keys = {{"year", "string", ""}, {"month", "string", ""}};
    t.schema_version = 3;
    return t;
}

TEST(TableStorageTest, ParquetDescriptorIsHivesParquetSerde) {
    StorageDescriptor d = StorageDescriptorOf(EventsTable(DataFormat::kParquet, "snappy"));
    EXPECT_EQ(d.input_format, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    EXPECT_EQ(d.output_format, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    EXPECT_EQ(d.serde_library, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    EXPECT_EQ(d.serde_parameters, (Parameters{{"serialization.format", "1"}}));
    EXPECT_FALSE(d.compressed);  // page compression is not Glue's `Compressed`
}

TEST(TableStorageTest, JsonDescriptorIsOpenxWithPathsAndGzipIsCompressed) {
    StorageDescriptor d = StorageDescriptorOf(EventsTable(DataFormat::kJson, "gzip"));
    EXPECT_EQ(d.input_format, "org.apache.hadoop.mapred.TextInputFormat");
    EXPECT_EQ(d.output_format, "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
    EXPECT_EQ(d.serde_library, "org.openx.data.jsonserde.JsonSerDe");
    EXPECT_EQ(d.serde_parameters, (Parameters{{"paths", "event_id,ts,user"}}));
    EXPECT_TRUE(d.compressed);
    EXPECT_FALSE(StorageDescriptorOf(EventsTable(DataFormat::kJson, "none")).compressed);
    EXPECT_FALSE(StorageDescriptorOf(EventsTable(DataFormat::kJson, "")).compressed);
}

TEST(TableStorageTest, CsvDescriptorIsOpenCsvSerdeWithItsSeparator) {
    Table t = EventsTable(DataFormat::kCsv, "none");
    t.csv_delimiter = ';';
    StorageDescriptor d = StorageDescriptorOf(t);
    EXPECT_EQ(d.input_format, "org.apache.hadoop.mapred.TextInputFormat");
    EXPECT_EQ(d.serde_library, "org.apache.hadoop.hive.serde2.OpenCSVSerde");
    EXPECT_EQ(d.serde_parameters, (Parameters{{"quoteChar", "\""}, {"separatorChar", ";"}}));
}

TEST(TableStorageTest, UnknownFormatGivesBackTheFormatsKeptInParameters) {
    Table t = EventsTable(DataFormat::kUnknown, "");
    EXPECT_EQ(StorageDescriptorOf(t), StorageDescriptor{});
    t.parameters = {{"tarn.input_format", "orc.In"},
                    {"tarn.output_format", "orc.Out"},
                    {"tarn.serde", "orc.Serde"}};
    StorageDescriptor d = StorageDescriptorOf(t);
    EXPECT_EQ(d.input_format, "orc.In");
    EXPECT_EQ(d.output_format, "orc.Out");
    EXPECT_EQ(d.serde_library, "orc.Serde");
}

TEST(TableStorageTest, TableParametersDeriveFromFieldsOverUserParameters) {
    Table t = EventsTable(DataFormat::kCsv, "gzip");
    t.csv_header = true;
    t.kind = TableKind::kManaged;
    t.time_partition_source = "arrival_time";
    t.parameters = {{"owner_team", "growth"}, {"classification", "stale"}};
    EXPECT_EQ(TableParametersOf(t), (Parameters{{"classification", "csv"},
                                                {"compressionType", "gzip"},
                                                {"delimiter", ","},
                                                {"owner_team", "growth"},
                                                {"skip.header.line.count", "1"},
                                                {"tarn.kind", "managed"},
                                                {"tarn.schema_version", "3"},
                                                {"tarn.time_partition_source", "arrival_time"},
                                                {"typeOfData", "file"}}));

    Table p = EventsTable(DataFormat::kParquet, "");
    p.deprecated = true;
    EXPECT_EQ(TableParametersOf(p), (Parameters{{"classification", "parquet"},
                                                {"compressionType", "none"},
                                                {"tarn.deprecated", "true"},
                                                {"tarn.kind", "external"},
                                                {"tarn.schema_version", "3"},
                                                {"typeOfData", "file"}}));
}

TEST(TableStorageTest, UnknownFormatKeepsTheClientsFormatKeys) {
    Table t = EventsTable(DataFormat::kUnknown, "");
    t.parameters = {{"classification", "orc"}};
    Parameters p = TableParametersOf(t);
    EXPECT_EQ(p.at("classification"), "orc");
    EXPECT_FALSE(p.contains("typeOfData"));
    EXPECT_EQ(UserParameters(p, DataFormat::kUnknown), (Parameters{{"classification", "orc"}}));
}

TEST(TableStorageTest, UserParametersDropEveryDerivedKey) {
    Table t = EventsTable(DataFormat::kCsv, "gzip");
    t.time_partition_source = "ts";
    t.deprecated = true;
    t.parameters = {{"team", "a"}};
    EXPECT_EQ(UserParameters(TableParametersOf(t), DataFormat::kCsv), t.parameters);
}

// What a descriptor says, for the spellings boto3 users and Glue crawlers write.
struct StorageCase {
    const char* name;
    StorageDescriptor descriptor;
    Parameters table_parameters;
    DataFormat format;
    std::string compression;
    char delimiter;
    bool header;
};

TEST(TableStorageTest, FormatFromStorageReadsCommonSpellings) {
    const std::string lazy = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    const std::string text_in(kTextInputFormat);
    std::vector<StorageCase> cases = {
        {"parquet serde",
         {.serde_library = std::string(kParquetSerde)},
         {},
         DataFormat::kParquet,
         "",
         ',',
         false},
        {"parquet input format only",
         {.input_format = std::string(kParquetInputFormat)},
         {},
         DataFormat::kParquet,
         "",
         ',',
         false},
        {"openx json, gzip by flag",
         {.input_format = text_in,
          .serde_library = std::string(kOpenxJsonSerde),
          .compressed = true},
         {},
         DataFormat::kJson,
         "gzip",
         ',',
         false},
        {"hcatalog json",
         {.serde_library = "org.apache.hive.hcatalog.data.JsonSerDe"},
         {{"compressionType", "GZIP"}},
         DataFormat::kJson,
         "gzip",
         ',',
         false},
        {"hive serde2 json",
         {.serde_library = "org.apache.hadoop.hive.serde2.JsonSerDe"},
         {},
         DataFormat::kJson,
         "",
         ',',
         false},
        {"lazy simple tab with header",
         {.serde_library = lazy, .serde_parameters = {{"field.delim", "\t"}}},
         {{"skip.header.line.count", "1"}},
         DataFormat::kCsv,
         "",
         '\t',
         true},
        {"lazy simple, default ^A delimiter",
         {.serde_library = lazy, .serde_parameters = {{"serialization.format", "1"}}},
         {},
         DataFormat::kCsv,
         "",
         '\x01',
         false},
        {"lazy simple, octal escape",
         {.serde_library = lazy, .serde_parameters = {{"field.delim", "\\001"}}},
         {},
         DataFormat::kCsv,
         "",
         '\x01',
         false},
        {"lazy simple, comma via serialization.format",
         {.serde_library = lazy, .serde_parameters = {{"serialization.format", ","}}},
         {},
         DataFormat::kCsv,
         "",
         ',',
         false},
        {"open csv",
         {.serde_library = std::string(kOpenCsvSerde),
          .serde_parameters = {{"separatorChar", "|"}, {"quoteChar", "\""}}},
         {{"skip.header.line.count", "2"}},
         DataFormat::kCsv,
         "",
         '|',
         true},
        {"classification only",
         {.input_format = text_in},
         {{"classification", "JSON"}},
         DataFormat::kJson,
         "",
         ',',
         false},
        {"csv by classification with crawler delimiter",
         {.input_format = text_in},
         {{"classification", "csv"}, {"delimiter", ";"}, {"skip.header.line.count", "0"}},
         DataFormat::kCsv,
         "",
         ';',
         false},
        {"orc",
         {.input_format = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
          .serde_library = "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
         {{"classification", "orc"}},
         DataFormat::kUnknown,
         "",
         ',',
         false},
        {"nothing at all", {}, {}, DataFormat::kUnknown, "", ',', false},
    };
    for (const StorageCase& c : cases) {
        SCOPED_TRACE(c.name);
        StorageFormat f = FormatFromStorage(c.descriptor, c.table_parameters);
        EXPECT_EQ(f.format, c.format);
        EXPECT_EQ(f.compression, c.compression);
        if (c.format == DataFormat::kCsv) {
            EXPECT_EQ(f.csv_delimiter, c.delimiter);
            EXPECT_EQ(f.csv_header, c.header);
        }
    }
}

TEST(TableStorageTest, DescriptorAndParametersRoundTripTheFormat) {
    for (DataFormat format : {DataFormat::kParquet, DataFormat::kJson, DataFormat::kCsv}) {
        for (bool header : {false, true}) {
            Table t = EventsTable(format, format == DataFormat::kParquet ? "snappy" : "gzip");
            t.csv_delimiter = '\t';
            t.csv_header = header;
            SCOPED_TRACE(std::string(DataFormatName(format)) + (header ? " header" : ""));
            StorageFormat f = FormatFromStorage(StorageDescriptorOf(t), TableParametersOf(t));
            EXPECT_EQ(f.format, format);
            EXPECT_EQ(f.compression, t.compression);
            if (format == DataFormat::kCsv) {
                EXPECT_EQ(f.csv_delimiter, '\t');
                EXPECT_EQ(f.csv_header, header);
            }
        }
    }
}

TEST(TableStorageTest, IsUriTellsUrisFromKeyPrefixes) {
    EXPECT_TRUE(IsUri("s3://b/p/"));
    EXPECT_TRUE(IsUri("file:/x"));
    EXPECT_TRUE(IsUri("s3a://b/"));
    EXPECT_FALSE(IsUri("raw/events/"));
    EXPECT_FALSE(IsUri("/abs/path"));
    EXPECT_FALSE(IsUri(":x"));
    EXPECT_FALSE(IsUri("raw/a:b/"));
    EXPECT_FALSE(IsUri("1s3://b/"));
}

TEST(LakeLocationTest, FileRootMapsPrefixesToUrisAndBack) {
    LakeLocation lake("file:///abs/path/tarn-data/lake");  // trailing '/' added
    EXPECT_EQ(lake.root(), "file:///abs/path/tarn-data/lake/");
    EXPECT_EQ(lake.ToUri("raw/events/"), "file:///abs/path/tarn-data/lake/raw/events/");
    EXPECT_EQ(lake.ToUri(""), "file:///abs/path/tarn-data/lake/");
    EXPECT_EQ(lake.ToUri("s3://elsewhere/x/"), "s3://elsewhere/x/");

    for (const char* uri :
         {"file:///abs/path/tarn-data/lake/raw/events/",
          "file:///abs/path/tarn-data/lake/raw/events", "file:/abs/path/tarn-data/lake/raw/events/",
          "file://localhost/abs/path/tarn-data/lake/raw/events/",
          "FILE:///abs/path/tarn-data/lake/raw/events/", "/abs/path/tarn-data/lake/raw/events",
          "raw/events"}) {
        SCOPED_TRACE(uri);
        LakeLocation::Resolved r = lake.FromUri(uri);
        EXPECT_TRUE(r.inside);
        EXPECT_EQ(r.location, "raw/events/");
    }
    for (const char* root : {"file:///abs/path/tarn-data/lake/", "file:/abs/path/tarn-data/lake",
                             "/abs/path/tarn-data/lake"}) {
        SCOPED_TRACE(root);
        EXPECT_TRUE(lake.FromUri(root).inside);
        EXPECT_EQ(lake.FromUri(root).location, "");
    }
}

TEST(LakeLocationTest, UrisOutsideTheLakeComeBackUnchanged) {
    LakeLocation lake("file:///abs/path/tarn-data/lake/");
    for (const char* uri :
         {"file:///abs/path/tarn-data/lakehouse/x/", "file:///abs/path/", "s3://bucket/lake/x/",
          "file:///abs/path/tarn-data/lake/raw/../../../etc/",
          "hdfs://nn/abs/path/tarn-data/lake/x", "raw/../x/"}) {
        SCOPED_TRACE(uri);
        LakeLocation::Resolved r = lake.FromUri(uri);
        EXPECT_FALSE(r.inside);
        EXPECT_EQ(r.location, uri);
    }
}

TEST(LakeLocationTest, S3RootAcceptsS3aAndS3n) {
    LakeLocation lake("s3://bucket/prefix/");
    EXPECT_EQ(lake.ToUri("curated/dau/"), "s3://bucket/prefix/curated/dau/");
    for (const char* uri :
         {"s3://bucket/prefix/curated/dau/", "s3a://bucket/prefix/curated/dau",
          "s3n://bucket/prefix/curated/dau/", "S3://bucket/prefix/curated/dau/"}) {
        SCOPED_TRACE(uri);
        EXPECT_EQ(lake.FromUri(uri).location, "curated/dau/");
        EXPECT_TRUE(lake.FromUri(uri).inside);
    }
    EXPECT_FALSE(lake.FromUri("s3://bucket/prefix2/x/").inside);
    EXPECT_FALSE(lake.FromUri("s3://other/prefix/x/").inside);
    EXPECT_FALSE(lake.FromUri("/bucket/prefix/x/").inside);  // a file path, not the bucket
    EXPECT_TRUE(lake.FromUri("s3a://bucket/prefix").inside);
}

}  // namespace
}  // namespace tarn::catalog
