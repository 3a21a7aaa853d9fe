#include "api/glue_json.h"

#include <gtest/gtest.h>

namespace tarn::api::glue {
namespace {

using nlohmann::json;

const catalog::LakeLocation kLake("s3://bucket/lake/");

std::string ErrorOf(const Status& status) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
    return status.message();
}

TEST(GlueJsonTest, DatabaseInputIsReadAndNameLowerCased) {
    auto db = DatabaseFromInput(json::parse(R"({"Name": "Raw_Zone", "Description": "landing",
        "LocationUri": "s3://bucket/lake/raw/", "Parameters": {"team": "growth"},
        "CreateTableDefaultPermissions": []})"));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(db->name, "raw_zone");
    EXPECT_EQ(db->description, "landing");
    EXPECT_EQ(db->location_uri, "s3://bucket/lake/raw/");
    EXPECT_EQ(db->parameters, (catalog::Parameters{{"team", "growth"}}));
}

TEST(GlueJsonTest, DatabaseInputErrorsAreGlueLike) {
    EXPECT_EQ(ErrorOf(DatabaseFromInput(json::parse(R"({"Description": "x"})")).status()),
              "1 validation error detected: Value null at 'databaseInput.name' failed to satisfy "
              "constraint: Member must not be null");
    EXPECT_EQ(ErrorOf(DatabaseFromInput(json{{"Name", std::string(256, 'a')}}).status()),
              "1 validation error detected: Value at 'databaseInput.name' failed to satisfy "
              "constraint: Member must have length less than or equal to 255");
    EXPECT_TRUE(DatabaseFromInput(json{{"Name", std::string(255, 'a')}}).ok());
    EXPECT_EQ(ErrorOf(DatabaseFromInput(json{{"Name", ""}}).status()),
              "1 validation error detected: Value at 'databaseInput.name' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");
    EXPECT_NE(ErrorOf(DatabaseFromInput(json{{"Name", "a\nb"}}).status())
                  .find("Member must satisfy regular expression pattern"),
              std::string::npos);
    EXPECT_EQ(ErrorOf(DatabaseFromInput(json{{"Name", 5}}).status()),
              "DatabaseInput.Name must be a string");
    EXPECT_EQ(
        ErrorOf(DatabaseFromInput(json::parse(R"({"Name":"a","Parameters":{"k":1}})")).status()),
        "DatabaseInput.Parameters.k must be a string");
    EXPECT_EQ(ErrorOf(DatabaseFromInput(json::array()).status()),
              "DatabaseInput must be an object");
}

TEST(GlueJsonTest, DatabaseToJson) {
    catalog::Database db{.name = "raw",
                         .description = "",
                         .location_uri = "",
                         .parameters = {{"k", "v"}},
                         .created_ms = 1700000000123};
    EXPECT_EQ(DatabaseToJson(db), json::parse(R"({"Name": "raw", "Parameters": {"k": "v"},
        "CreateTime": 1700000000.123, "CreateTableDefaultPermissions": [],
        "CatalogId": "000000000000"})"));
}

// A CreateTable request as boto3 sends it, with every TableInput member botocore's service
// model (glue 2017-03-31) defines for a plain Hive table.
const char* kBoto3CreateTable = R"({
  "DatabaseName": "Raw",
  "TableInput": {
    "Name": "Events",
    "Description": "clickstream",
    "Owner": "hadoop",
    "LastAccessTime": 1700000000,
    "Retention": 0,
    "StorageDescriptor": {
      "Columns": [
        {"Name": "event_id", "Type": "STRING", "Comment": "unique"},
        {"Name": "Payload", "Type": "struct<Name:string,Size:bigint>"},
        {"Name": "ts", "Type": "timestamp", "Parameters": {}}
      ],
      "Location": "s3a://bucket/lake/raw/events",
      "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
      "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      "Compressed": true,
      "NumberOfBuckets": -1,
      "SerdeInfo": {
        "Name": "events-serde",
        "SerializationLibrary": "org.apache.hive.hcatalog.data.JsonSerDe",
        "Parameters": {"serialization.format": "1"}
      },
      "BucketColumns": [],
      "SortColumns": [],
      "Parameters": {"classification": "json"},
      "SkewedInfo": {"SkewedColumnNames": [], "SkewedColumnValues": [],
                     "SkewedColumnValueLocationMaps": {}},
      "StoredAsSubDirectories": false
    },
    "PartitionKeys": [{"Name": "year", "Type": "string"}, {"Name": "month", "Type": "string"}],
    "TableType": "EXTERNAL_TABLE",
    "Parameters": {"EXTERNAL": "TRUE", "compressionType": "gzip"}
  }
})";

TEST(GlueJsonTest, Boto3CreateTableRequestBecomesATable) {
    json request = json::parse(kBoto3CreateTable);
    auto t =
        TableFromInput(request["TableInput"], request["DatabaseName"].get<std::string>(), kLake);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->database, "raw");
    EXPECT_EQ(t->name, "events");
    EXPECT_EQ(t->description, "clickstream");
    EXPECT_EQ(t->owner, "hadoop");
    EXPECT_EQ(t->location, "raw/events/");
    EXPECT_EQ(t->format, catalog::DataFormat::kJson);
    EXPECT_EQ(t->compression, "gzip");
    EXPECT_EQ(t->columns,
              (std::vector<catalog::Column>{{"event_id", "string", "unique"},
                                            {"Payload", "struct<Name:string,Size:bigint>", ""},
                                            {"ts", "timestamp", ""}}));
    EXPECT_EQ(t->partition_keys,
              (std::vector<catalog::Column>{{"year", "string", ""}, {"month", "string", ""}}));
    EXPECT_EQ(t->table_type, "EXTERNAL_TABLE");
    EXPECT_EQ(t->parameters, (catalog::Parameters{{"EXTERNAL", "TRUE"}}));
    EXPECT_EQ(t->kind, catalog::TableKind::kExternal);
}

TEST(GlueJsonTest, TableOutsideTheLakeKeepsItsUri) {
    auto t = TableFromInput(json::parse(R"({"Name": "ext", "StorageDescriptor": {
        "Location": "s3://partner/drops/", "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}}})"),
                            "db", kLake);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->location, "s3://partner/drops/");
    EXPECT_EQ(t->format, catalog::DataFormat::kParquet);
    EXPECT_EQ(TableToJson(*t, kLake)["StorageDescriptor"]["Location"], "s3://partner/drops/");
}

TEST(GlueJsonTest, UnknownFormatKeepsTheClientsDescriptor) {
    auto t = TableFromInput(json::parse(R"({"Name": "orc_t", "StorageDescriptor": {
        "InputFormat": "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.orc.OrcSerde"}},
        "Parameters": {"classification": "orc"}})"),
                            "db", kLake);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->format, catalog::DataFormat::kUnknown);
    json sd = TableToJson(*t, kLake)["StorageDescriptor"];
    EXPECT_EQ(sd["InputFormat"], "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat");
    EXPECT_EQ(sd["OutputFormat"], "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat");
    EXPECT_EQ(sd["SerdeInfo"]["SerializationLibrary"], "org.apache.hadoop.hive.ql.io.orc.OrcSerde");
    EXPECT_EQ(TableToJson(*t, kLake)["Parameters"]["classification"], "orc");
}

catalog::Table ManagedTable(catalog::DataFormat format, std::string compression) {
    catalog::Table t;
    t.database = "processed";
    t.name = "events";
    t.location = "processed/events/";
    t.format = format;
    t.compression = std::move(compression);
    t.csv_delimiter = '|';
    t.csv_header = true;
    t.columns = {{"event_id", "string", "unique"}, {"n", "bigint", ""}};
    t.partition_keys = {{"dt", "date", ""}};
    t.parameters = {{"team", "growth"}};
    t.kind = catalog::TableKind::kManaged;
    t.time_partition_source = "ts";
    t.schema_version = 4;
    t.created_ms = 1700000000000;
    t.updated_ms = 1700000360500;
    return t;
}

TEST(GlueJsonTest, TableToJsonIsGetTablesShape) {
    json got = TableToJson(ManagedTable(catalog::DataFormat::kParquet, "snappy"), kLake);
    EXPECT_EQ(got, json::parse(R"({
      "Name": "events", "DatabaseName": "processed",
      "CreateTime": 1700000000.0, "UpdateTime": 1700000360.5, "Retention": 0,
      "StorageDescriptor": {
        "Columns": [{"Name": "event_id", "Type": "string", "Comment": "unique"},
                    {"Name": "n", "Type": "bigint"}],
        "Location": "s3://bucket/lake/processed/events/",
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "Compressed": false, "NumberOfBuckets": -1,
        "SerdeInfo": {
          "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
          "Parameters": {"serialization.format": "1"}},
        "BucketColumns": [], "SortColumns": [], "Parameters": {}, "StoredAsSubDirectories": false
      },
      "PartitionKeys": [{"Name": "dt", "Type": "date"}],
      "TableType": "EXTERNAL_TABLE",
      "Parameters": {"classification": "parquet", "compressionType": "snappy",
                     "tarn.kind": "managed", "tarn.schema_version": "4",
                     "tarn.time_partition_source": "ts", "team": "growth", "typeOfData": "file"},
      "CreatedBy": "tarn", "IsRegisteredWithLakeFormation": false,
      "CatalogId": "000000000000", "VersionId": "4"
    })"));
}

// GetTable → (client edits) → UpdateTable gives back the same table, for each format.
TEST(GlueJsonTest, TableRoundTripsThroughJsonForEachFormat) {
    for (auto [format, compression] : std::vector<std::pair<catalog::DataFormat, std::string>>{
             {catalog::DataFormat::kParquet, "snappy"},
             {catalog::DataFormat::kJson, "gzip"},
             {catalog::DataFormat::kCsv, "none"}}) {
        SCOPED_TRACE(catalog::DataFormatName(format));
        catalog::Table original = ManagedTable(format, compression);
        json as_json = TableToJson(original, kLake);
        auto back = TableFromInput(as_json, as_json["DatabaseName"].get<std::string>(), kLake);
        ASSERT_TRUE(back.ok()) << back.status().ToString();
        EXPECT_EQ(back->name, original.name);
        EXPECT_EQ(back->database, original.database);
        EXPECT_EQ(back->location, original.location);
        EXPECT_EQ(back->format, original.format);
        EXPECT_EQ(back->compression, original.compression);
        EXPECT_EQ(back->columns, original.columns);
        EXPECT_EQ(back->partition_keys, original.partition_keys);
        EXPECT_EQ(back->parameters, original.parameters);
        EXPECT_EQ(back->kind, original.kind);
        EXPECT_EQ(back->time_partition_source, original.time_partition_source);
        if (format == catalog::DataFormat::kCsv) {
            EXPECT_EQ(back->csv_delimiter, '|');
            EXPECT_TRUE(back->csv_header);
            EXPECT_EQ(as_json["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"],
                      "org.apache.hadoop.hive.serde2.OpenCSVSerde");
            EXPECT_EQ(as_json["Parameters"]["skip.header.line.count"], "1");
        }
        if (format == catalog::DataFormat::kJson) {
            EXPECT_EQ(as_json["StorageDescriptor"]["Compressed"], true);
            EXPECT_EQ(as_json["StorageDescriptor"]["SerdeInfo"]["Parameters"]["paths"],
                      "event_id,n");
        }
    }
}

TEST(GlueJsonTest, TableInputErrors) {
    EXPECT_EQ(ErrorOf(TableFromInput(json::parse(R"({"Description":"x"})"), "db", kLake).status()),
              "1 validation error detected: Value null at 'tableInput.name' failed to satisfy "
              "constraint: Member must not be null");
    EXPECT_EQ(ErrorOf(TableFromInput(json{{"Name", "t"}}, "", kLake).status()),
              "1 validation error detected: Value at 'databaseName' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");
    EXPECT_EQ(ErrorOf(TableFromInput(json::parse(R"({"Name":"t","StorageDescriptor":{
        "Columns":[{"Type":"int"}]}})"),
                                     "db", kLake)
                          .status()),
              "1 validation error detected: Value null at "
              "'tableInput.storageDescriptor.columns[0].name' failed to satisfy constraint: "
              "Member must not be null");
    EXPECT_EQ(ErrorOf(TableFromInput(json::parse(R"({"Name":"t","StorageDescriptor":{
        "Compressed":"yes"}})"),
                                     "db", kLake)
                          .status()),
              "TableInput.StorageDescriptor.Compressed must be a boolean");
    EXPECT_EQ(
        ErrorOf(
            TableFromInput(json::parse(R"({"Name":"t","Retention":-1})"), "db", kLake).status()),
        "1 validation error detected: Value at 'tableInput.retention' failed to satisfy "
        "constraint: Member must have value greater than or equal to 0");
    EXPECT_EQ(ErrorOf(TableFromInput(json::parse(R"({"Name":"t","PartitionKeys":{}})"), "db", kLake)
                          .status()),
              "TableInput.PartitionKeys must be a list");
    EXPECT_EQ(ErrorOf(TableFromInput(json{{"Name", "t"}, {"Description", std::string(2049, 'd')}},
                                     "db", kLake)
                          .status()),
              "1 validation error detected: Value at 'tableInput.description' failed to satisfy "
              "constraint: Member must have length less than or equal to 2048");
}

catalog::Table PartitionedTable() {
    catalog::Table t = ManagedTable(catalog::DataFormat::kJson, "gzip");
    t.database = "raw";
    t.location = "raw/events/";
    t.partition_keys = {{"year", "string", ""}, {"month", "string", ""}};
    return t;
}

TEST(GlueJsonTest, PartitionInputAndJson) {
    auto p = PartitionFromInput(json::parse(R"({"Values": ["2026", "11"],
        "LastAccessTime": 1700000000,
        "StorageDescriptor": {"Location": "s3://bucket/lake/raw/events/year=2026/month=11/"},
        "Parameters": {"numFiles": "99", "note": "late data"}})"),
                                kLake);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->values, (std::vector<std::string>{"2026", "11"}));
    EXPECT_EQ(p->location, "raw/events/year=2026/month=11/");
    EXPECT_EQ(p->parameters, (catalog::Parameters{{"note", "late data"}}));  // stats are tarn's

    p->file_count = 3;
    p->bytes = 4096;
    p->row_count = 120;
    p->created_ms = 1700000000000;
    json got = PartitionToJson(*p, PartitionedTable(), kLake);
    EXPECT_EQ(got["Values"], json::parse(R"(["2026", "11"])"));
    EXPECT_EQ(got["DatabaseName"], "raw");
    EXPECT_EQ(got["TableName"], "events");
    EXPECT_EQ(got["CreationTime"], 1700000000.0);
    EXPECT_EQ(got["LastAccessTime"], 1700000000.0);
    EXPECT_EQ(got["CatalogId"], "000000000000");
    EXPECT_EQ(got["Parameters"], json::parse(R"({"note": "late data", "numFiles": "3",
        "totalSize": "4096", "numRows": "120", "recordCount": "120"})"));
    EXPECT_EQ(got["StorageDescriptor"]["Location"],
              "s3://bucket/lake/raw/events/year=2026/month=11/");
    EXPECT_EQ(got["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"],
              "org.openx.data.jsonserde.JsonSerDe");
    EXPECT_EQ(got["StorageDescriptor"]["Columns"].size(), 2u);
    EXPECT_FALSE(PartitionToJson(*p, PartitionedTable(), kLake,
                                 /*exclude_columns=*/true)["StorageDescriptor"]
                     .contains("Columns"));

    catalog::Partition bare{.values = {"2025", "01"}};
    json fallback = PartitionToJson(bare, PartitionedTable(), kLake);
    EXPECT_EQ(fallback["StorageDescriptor"]["Location"],
              "s3://bucket/lake/raw/events/year=2025/month=01/");
    EXPECT_FALSE(fallback["Parameters"].contains("recordCount"));  // row count unknown
    EXPECT_EQ(fallback["Parameters"]["numFiles"], "0");
}

TEST(GlueJsonTest, PartitionInputErrors) {
    EXPECT_EQ(ErrorOf(PartitionFromInput(json::parse(R"({"Parameters": {}})"), kLake).status()),
              "1 validation error detected: Value null at 'partitionInput.values' failed to "
              "satisfy constraint: Member must not be null");
    EXPECT_EQ(ErrorOf(PartitionFromInput(json::parse(R"({"Values": [2026]})"), kLake).status()),
              "PartitionInput.Values must be a list of strings");
    EXPECT_EQ(
        ErrorOf(PartitionFromInput(json::parse(R"({"Values": ["2026", ""]})"), kLake).status()),
        "1 validation error detected: Value at 'partitionInput.values' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1");
}

const char* kCreateCrawler = R"js({
  "Name": "RawCrawler",
  "Role": "arn:aws:iam::000000000000:role/glue",
  "DatabaseName": "Raw",
  "Description": "crawls raw",
  "Targets": {
    "S3Targets": [
      {"Path": "s3://bucket/lake/raw/", "Exclusions": ["**.tmp", "/_staging/**"]},
      {"Path": "s3a://bucket/lake/processed/events", "Exclusions": []}
    ],
    "JdbcTargets": [], "DynamoDBTargets": []
  },
  "Schedule": "cron(0/15 * * * ? *)",
  "TablePrefix": "t_",
  "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "DELETE_FROM_DATABASE"},
  "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
  "Configuration": "{\"Version\": 1.0}",
  "Tags": {"team": "growth"}
})js";

TEST(GlueJsonTest, CreateCrawlerRequestBecomesACrawler) {
    auto c = CrawlerFromRequest(json::parse(kCreateCrawler), kLake);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->name, "RawCrawler");
    EXPECT_EQ(c->role, "arn:aws:iam::000000000000:role/glue");
    EXPECT_EQ(c->database, "raw");
    EXPECT_EQ(c->description, "crawls raw");
    EXPECT_EQ(c->targets, (std::vector<std::string>{"raw/", "processed/events/"}));
    EXPECT_EQ(c->exclusions, (std::vector<std::string>{"raw/**.tmp", "raw/_staging/**"}));
    EXPECT_EQ(c->schedule, "cron(0/15 * * * ? *)");
    EXPECT_EQ(c->table_prefix, "t_");
    EXPECT_EQ(c->update_behavior, catalog::UpdateBehavior::kLog);
    EXPECT_EQ(c->delete_behavior, catalog::DeleteBehavior::kDeleteFromDatabase);
    EXPECT_TRUE(c->recrawl_new_folders_only);

    auto defaults = CrawlerFromRequest(
        json::parse(
            R"({"Name":"c","Role":"r","Targets":{"S3Targets":[{"Path":"s3://bucket/lake/"}]}})"),
        kLake);
    ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
    EXPECT_EQ(defaults->targets, (std::vector<std::string>{""}));
    EXPECT_EQ(defaults->update_behavior, catalog::UpdateBehavior::kUpdateInDatabase);
    EXPECT_EQ(defaults->delete_behavior, catalog::DeleteBehavior::kDeprecateInDatabase);
    EXPECT_FALSE(defaults->recrawl_new_folders_only);
    EXPECT_EQ(defaults->schedule, "");
}

TEST(GlueJsonTest, CreateCrawlerErrors) {
    auto with = [](const char* key, json value) {
        json request = json::parse(kCreateCrawler);
        if (value.is_null()) {
            request.erase(key);
        } else {
            request[key] = std::move(value);
        }
        return CrawlerFromRequest(request, kLake).status();
    };
    EXPECT_EQ(ErrorOf(with("Targets", nullptr)),
              "1 validation error detected: Value null at 'targets' failed to satisfy "
              "constraint: Member must not be null");
    EXPECT_EQ(ErrorOf(with("Role", nullptr)),
              "1 validation error detected: Value null at 'role' failed to satisfy constraint: "
              "Member must not be null");
    EXPECT_EQ(ErrorOf(with("SchemaChangePolicy", {{"UpdateBehavior", "MERGE"}})),
              "1 validation error detected: Value at 'schemaChangePolicy.updateBehavior' failed "
              "to satisfy constraint: Member must satisfy enum value set: [LOG, "
              "UPDATE_IN_DATABASE]");
    EXPECT_EQ(ErrorOf(with("SchemaChangePolicy", {{"DeleteBehavior", "KEEP"}})),
              "1 validation error detected: Value at 'schemaChangePolicy.deleteBehavior' failed "
              "to satisfy constraint: Member must satisfy enum value set: [LOG, "
              "DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE]");
    EXPECT_NE(ErrorOf(with("RecrawlPolicy", {{"RecrawlBehavior", "CRAWL_EVENT_MODE"}}))
                  .find("CRAWL_EVENT_MODE is not supported"),
              std::string::npos);
    EXPECT_EQ(ErrorOf(with("Targets", json::parse(R"({"S3Targets":[{"Path":"s3://other/x/"}]})"))),
              "Targets.S3Targets[0].Path 's3://other/x/' is outside the lake (s3://bucket/lake/)");
    EXPECT_EQ(ErrorOf(with("Targets", json::parse(R"({"S3Targets":[]})"))),
              "Targets must have at least one S3Targets entry");
    EXPECT_EQ(ErrorOf(with("Targets", json::parse(R"({"S3Targets":[{"Path":"s3://bucket/lake/"}],
        "JdbcTargets":[{"ConnectionName":"pg","Path":"db/%"}]})"))),
              "Targets.JdbcTargets is not supported: tarn crawls S3 targets in its lake only");
    EXPECT_EQ(ErrorOf(with("Configuration", "{not json")), "Configuration must be a JSON object");
    EXPECT_EQ(ErrorOf(with("Schedule", "cron(bad)")).substr(0, 10), "Schedule: ");
    EXPECT_EQ(ErrorOf(with("TablePrefix", std::string(129, 'p'))),
              "1 validation error detected: Value at 'tablePrefix' failed to satisfy constraint: "
              "Member must have length less than or equal to 128");
    EXPECT_EQ(ErrorOf(with("Classifiers", json::array({"mine"}))).substr(0, 26),
              "Classifiers are not suppor");
}

TEST(GlueJsonTest, UpdateCrawlerKeepsWhatItLeavesOut) {
    auto current = CrawlerFromRequest(json::parse(kCreateCrawler), kLake);
    ASSERT_TRUE(current.ok());
    auto updated = CrawlerFromRequest(json::parse(R"({"Name": "RawCrawler", "Description": "new",
                        "SchemaChangePolicy": {"DeleteBehavior": "LOG"}})"),
                                      kLake, &*current);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    EXPECT_EQ(updated->description, "new");
    EXPECT_EQ(updated->delete_behavior, catalog::DeleteBehavior::kLog);
    EXPECT_EQ(updated->update_behavior, catalog::UpdateBehavior::kLog);  // kept
    EXPECT_EQ(updated->role, current->role);
    EXPECT_EQ(updated->targets, current->targets);
    EXPECT_EQ(updated->exclusions, current->exclusions);
    EXPECT_EQ(updated->schedule, current->schedule);
    EXPECT_TRUE(updated->recrawl_new_folders_only);

    auto retargeted = CrawlerFromRequest(json::parse(R"({"Name": "RawCrawler", "DatabaseName": "",
                        "Targets": {"S3Targets": [{"Path": "s3://bucket/lake/curated/"}]}})"),
                                         kLake, &*current);
    ASSERT_TRUE(retargeted.ok()) << retargeted.status().ToString();
    EXPECT_EQ(retargeted->targets, (std::vector<std::string>{"curated/"}));
    EXPECT_TRUE(retargeted->exclusions.empty());
    EXPECT_EQ(retargeted->database, "");  // one database per zone
    EXPECT_EQ(retargeted->delete_behavior, catalog::DeleteBehavior::kDeleteFromDatabase);  // kept
}

TEST(GlueJsonTest, CrawlerToJsonIsGetCrawlersShape) {
    auto c = CrawlerFromRequest(json::parse(kCreateCrawler), kLake);
    ASSERT_TRUE(c.ok());
    c->created_ms = 1700000000000;
    c->updated_ms = 1700000100000;
    c->version = 2;
    catalog::CrawlRun run{.id = 7,
                          .crawler = "RawCrawler",
                          .state = "FAILED",
                          .started_ms = 1700000200000,
                          .finished_ms = 1700000260000,
                          .message = "raw/x/bad.json: not JSON"};
    json got = CrawlerToJson(*c, "RUNNING", run, kLake, 1700000300000, 1700000312000);
    EXPECT_EQ(got, json::parse(R"js({
      "Name": "RawCrawler", "Role": "arn:aws:iam::000000000000:role/glue",
      "Targets": {
        "S3Targets": [
          {"Path": "s3://bucket/lake/raw/", "Exclusions": ["**.tmp", "_staging/**"]},
          {"Path": "s3://bucket/lake/processed/events/", "Exclusions": []}],
        "JdbcTargets": [], "MongoDBTargets": [], "DynamoDBTargets": [], "CatalogTargets": [],
        "DeltaTargets": [], "IcebergTargets": [], "HudiTargets": []},
      "DatabaseName": "raw", "Description": "crawls raw", "Classifiers": [],
      "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
      "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "DELETE_FROM_DATABASE"},
      "LineageConfiguration": {"CrawlerLineageSettings": "DISABLE"},
      "State": "RUNNING", "TablePrefix": "t_",
      "Schedule": {"ScheduleExpression": "cron(0/15 * * * ? *)", "State": "SCHEDULED"},
      "CrawlElapsedTime": 12000,
      "CreationTime": 1700000000.0, "LastUpdated": 1700000100.0,
      "LastCrawl": {"Status": "FAILED", "ErrorMessage": "raw/x/bad.json: not JSON",
                    "LogGroup": "/aws-glue/crawlers", "LogStream": "RawCrawler",
                    "MessagePrefix": "run-7", "StartTime": 1700000200.0},
      "Version": 2
    })js"));

    json ready = CrawlerToJson(*c, "READY", std::nullopt, kLake);
    EXPECT_FALSE(ready.contains("LastCrawl"));
    EXPECT_EQ(ready["CrawlElapsedTime"], 0);
    // What CrawlerToJson lists is what CrawlerFromRequest reads back.
    json again = json::parse(kCreateCrawler);
    again["Targets"] = ready["Targets"];
    auto back = CrawlerFromRequest(again, kLake);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->targets, c->targets);
    EXPECT_EQ(back->exclusions, c->exclusions);
}

TEST(GlueJsonTest, CrawlerMetricsFromRuns) {
    auto run = [](const char* state, int64_t start_s, int64_t end_s, uint64_t created) {
        return catalog::CrawlRun{.state = state,
                                 .started_ms = start_s * 1000,
                                 .finished_ms = end_s * 1000,
                                 .tables_created = created,
                                 .tables_updated = created + 1,
                                 .tables_deleted = created + 2};
    };
    // Newest first: one running, then finished runs of 30 s, 10 s and 50 s.
    std::vector<catalog::CrawlRun> runs = {run("RUNNING", 500, 0, 0), run("SUCCEEDED", 400, 430, 2),
                                           run("FAILED", 300, 310, 5),
                                           run("SUCCEEDED", 100, 150, 9)};
    EXPECT_EQ(CrawlerMetricsJson("c", runs), json::parse(R"({"CrawlerName": "c",
        "TimeLeftSeconds": 0.0, "StillEstimating": true, "LastRuntimeSeconds": 30.0,
        "MedianRuntimeSeconds": 30.0, "TablesCreated": 2, "TablesUpdated": 3,
        "TablesDeleted": 4})"));
    runs.pop_back();
    EXPECT_EQ(CrawlerMetricsJson("c", runs)["MedianRuntimeSeconds"], 20.0);
    EXPECT_EQ(CrawlerMetricsJson("c", {}), json::parse(R"({"CrawlerName": "c",
        "TimeLeftSeconds": 0.0, "StillEstimating": false, "LastRuntimeSeconds": 0.0,
        "MedianRuntimeSeconds": 0.0, "TablesCreated": 0, "TablesUpdated": 0,
        "TablesDeleted": 0})"));
}

}  // namespace
}  // namespace tarn::api::glue
