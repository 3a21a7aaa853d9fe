// The Glue API driven through the AWS JSON dispatcher, as the edge server
// would, over a real catalog in a temp dir and a real CrawlerService.
#include "api/glue_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/glue_api_internal.h"
#include "api/http_respond_state.h"
#include "catalog/catalog.h"
#include "catalog/crawler_service.h"
#include "storage/local_store.h"
#include "testing/temp_dir.h"
#include "testing/wait.h"

namespace tarn::api {
namespace {

using nlohmann::json;

std::string Lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

struct Answer {
    int status = 0;
    json body;
    std::string error_type;  // the x-amzn-ErrorType header
};

class GlueApiTest : public ::testing::Test {
protected:
    GlueApiTest() {
        catalog_ = std::move(*catalog::Catalog::Open(dir_.path() + "/catalog.db"));
        store_ = std::move(*storage::LocalStore::Open(dir_.path() + "/lake"));
        crawlers_ =
            std::make_unique<catalog::CrawlerService>(catalog_.get(), store_.get(), &scheduler_);
        AddGlueApi(dispatcher_, *catalog_, *crawlers_, lake_);
    }

    Answer Call(std::string_view operation, const json& body) {
        return CallRaw(operation, body.dump());
    }

    Answer CallRaw(std::string_view operation, std::string body) {
        HttpRequest request;
        request.method = "POST";
        request.target = request.path = "/";
        request.headers = {{"x-amz-target", "AWSGlue." + std::string(operation)},
                           {"content-type", "application/x-amz-json-1.1"}};
        request.body = std::move(body);
        std::optional<HttpResponse> response;
        dispatcher_.Dispatch(std::move(request),
                             HttpRespond(std::make_shared<HttpRespond::State>(
                                 [&response](HttpResponse r) { response = std::move(r); })));
        Answer answer;
        EXPECT_TRUE(response.has_value()) << operation << " did not answer synchronously";
        if (!response) return answer;
        answer.status = response->status;
        answer.body = json::parse(response->body, nullptr, false);
        answer.error_type = std::string(response->Header("x-amzn-ErrorType"));
        return answer;
    }

    // The body of a call that must succeed.
    json Ok(std::string_view operation, const json& body) {
        Answer answer = Call(operation, body);
        EXPECT_EQ(answer.status, 200) << operation << ": " << answer.body.dump();
        return answer.body;
    }

    // The Glue error type of a call that must fail with HTTP 400, checked against
    // the body.
    std::string Error(std::string_view operation, const json& body) {
        Answer answer = Call(operation, body);
        EXPECT_EQ(answer.status, 400) << operation << ": " << answer.body.dump();
        EXPECT_EQ(answer.body.value("__type", ""), answer.error_type);
        EXPECT_FALSE(answer.body.value("message", "").empty());
        return answer.error_type;
    }

    json TableInput(std::string_view name, json columns = nullptr) {
        if (columns.is_null()) {
            columns = json::array(
                {{{"Name", "id"}, {"Type", "bigint"}}, {{"Name", "name"}, {"Type", "string"}}});
        }
        return {{"Name", name},
                {"StorageDescriptor",
                 {{"Columns", columns},
                  {"Location", lake_.root() + "raw/" + Lower(name) + "/"},
                  {"SerdeInfo", {{"SerializationLibrary", "org.openx.data.jsonserde.JsonSerDe"}}}}},
                {"PartitionKeys", json::array({{{"Name", "year"}, {"Type", "int"}},
                                               {{"Name", "month"}, {"Type", "string"}}})},
                {"TableType", "EXTERNAL_TABLE"},
                {"Parameters", {{"classification", "json"}}}};
    }

    void CreateDatabase(std::string_view name) {
        Ok("CreateDatabase", {{"DatabaseInput", {{"Name", name}}}});
    }

    void CreateTable(std::string_view database, std::string_view name) {
        Ok("CreateTable", {{"DatabaseName", database}, {"TableInput", TableInput(name)}});
    }

    static json Part(std::string year, std::string month) { return {{"Values", {year, month}}}; }

    // The raw.events table with partitions 2025/12, 2026/01, 2026/02, 2026/03.
    void CreateEventsWithPartitions() {
        CreateDatabase("raw");
        CreateTable("raw", "events");
        json errors =
            Ok("BatchCreatePartition", {{"DatabaseName", "raw"},
                                        {"TableName", "events"},
                                        {"PartitionInputList",
                                         {Part("2025", "12"), Part("2026", "01"),
                                          Part("2026", "02"), Part("2026", "03")}}})["Errors"];
        EXPECT_TRUE(errors.empty()) << errors.dump();
    }

    static std::vector<std::string> Names(const json& list, std::string_view member = "Name") {
        std::vector<std::string> out;
        for (const json& item : list) out.push_back(item.at(std::string(member)));
        return out;
    }

    static std::vector<std::string> Months(const json& partitions) {
        std::vector<std::string> out;
        for (const json& p : partitions)
            out.push_back(p["Values"][0].get<std::string>() + "/" +
                          p["Values"][1].get<std::string>());
        return out;
    }

    // Every partition of raw.events that `request` (extra members) lists,
    // following NextToken.
    std::vector<std::string> AllPartitionPages(json request, int* pages = nullptr) {
        request["DatabaseName"] = "raw";
        request["TableName"] = "events";
        std::vector<std::string> out;
        int count = 0;
        while (true) {
            json page = Ok("GetPartitions", request);
            ++count;
            for (const auto& month : Months(page["Partitions"])) out.push_back(month);
            if (!page.contains("NextToken") || count > 20) break;
            request["NextToken"] = page["NextToken"];
        }
        if (pages) *pages = count;
        return out;
    }

    testing::TempDir dir_{"tarn-glueapi-"};
    std::unique_ptr<catalog::Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> store_;
    Scheduler scheduler_{2};
    std::unique_ptr<catalog::CrawlerService> crawlers_;  // before scheduler_ goes
    catalog::LakeLocation lake_{"file://" + dir_.path() + "/lake/"};
    AwsJsonDispatcher dispatcher_;
};

// ---- Databases ----

TEST_F(GlueApiTest, DatabasesCreateGetUpdateDelete) {
    Ok("CreateDatabase", {{"CatalogId", "123456789012"},
                          {"DatabaseInput", {{"Name", "Sales"}, {"Description", "money"}}}});
    json db = Ok("GetDatabase", {{"Name", "SALES"}})["Database"];
    EXPECT_EQ(db["Name"], "sales");  // Glue lower-cases names
    EXPECT_EQ(db["Description"], "money");
    EXPECT_EQ(Error("CreateDatabase", {{"DatabaseInput", {{"Name", "sales"}}}}),
              "AlreadyExistsException");

    Ok("UpdateDatabase",
       {{"Name", "sales"}, {"DatabaseInput", {{"Name", "sales"}, {"Description", "more money"}}}});
    EXPECT_EQ(Ok("GetDatabase", {{"Name", "sales"}})["Database"]["Description"], "more money");
    EXPECT_EQ(Error("UpdateDatabase", {{"Name", "sales"}, {"DatabaseInput", {{"Name", "other"}}}}),
              "InvalidInputException");

    Ok("DeleteDatabase", {{"Name", "sales"}});
    EXPECT_EQ(Error("GetDatabase", {{"Name", "sales"}}), "EntityNotFoundException");
    EXPECT_EQ(Error("DeleteDatabase", {{"Name", "sales"}}), "EntityNotFoundException");
    EXPECT_EQ(Error("CreateDatabase", json::object()), "InvalidInputException");
    EXPECT_EQ(Error("GetDatabase", {{"Name", ""}}), "InvalidInputException");
}

TEST_F(GlueApiTest, GetDatabasesPagesWithOpaqueTokens) {
    for (std::string name : {"e", "a", "d", "c", "b"}) CreateDatabase(name);
    std::vector<std::string> seen;
    json request = {{"MaxResults", 2}};
    int pages = 0;
    while (true) {
        json page = Ok("GetDatabases", request);
        ++pages;
        for (const auto& name : Names(page["DatabaseList"])) seen.push_back(name);
        if (!page.contains("NextToken") || pages > 10) break;
        request["NextToken"] = page["NextToken"];
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
    EXPECT_EQ(Names(Ok("GetDatabases", json::object())["DatabaseList"]).size(), 5u);
    EXPECT_EQ(Error("GetDatabases", {{"NextToken", "not-a-token"}}), "InvalidInputException");
    EXPECT_EQ(Error("GetDatabases", {{"MaxResults", 0}}), "InvalidInputException");
    EXPECT_EQ(Error("GetDatabases", {{"MaxResults", 101}}), "InvalidInputException");
}

// ---- Tables ----

TEST_F(GlueApiTest, TableRoundTripsWithLocationAsUri) {
    CreateDatabase("raw");
    Ok("CreateTable", {{"DatabaseName", "RAW"}, {"TableInput", TableInput("Events")}});
    json table = Ok("GetTable", {{"DatabaseName", "raw"}, {"Name", "events"}})["Table"];
    EXPECT_EQ(table["Name"], "events");
    EXPECT_EQ(table["DatabaseName"], "raw");
    EXPECT_EQ(table["VersionId"], "1");
    EXPECT_EQ(table["StorageDescriptor"]["Location"], lake_.root() + "raw/events/");
    EXPECT_EQ(Names(table["StorageDescriptor"]["Columns"]),
              (std::vector<std::string>{"id", "name"}));
    EXPECT_EQ(Names(table["PartitionKeys"]), (std::vector<std::string>{"year", "month"}));
    EXPECT_EQ(table["Parameters"]["classification"], "json");
    // Stored as a lake prefix, so the engine finds it.
    EXPECT_EQ(catalog_->GetTable("raw", "events")->location, "raw/events/");

    EXPECT_EQ(Error("CreateTable", {{"DatabaseName", "raw"}, {"TableInput", TableInput("events")}}),
              "AlreadyExistsException");
    EXPECT_EQ(
        Error("CreateTable", {{"DatabaseName", "nope"}, {"TableInput", TableInput("events")}}),
        "EntityNotFoundException");
    EXPECT_EQ(Error("GetTable", {{"DatabaseName", "raw"}, {"Name", "nope"}}),
              "EntityNotFoundException");
    EXPECT_EQ(Error("CreateTable", {{"DatabaseName", "raw"}}), "InvalidInputException");
}

TEST_F(GlueApiTest, UpdateTableKeepsVersionsAndChecksVersionId) {
    CreateDatabase("raw");
    CreateTable("raw", "events");
    json wider = TableInput("events", json::array({{{"Name", "id"}, {"Type", "bigint"}},
                                                   {{"Name", "name"}, {"Type", "string"}},
                                                   {{"Name", "price"}, {"Type", "double"}}}));
    Ok("UpdateTable", {{"DatabaseName", "raw"}, {"TableInput", wider}, {"VersionId", "1"}});

    json versions =
        Ok("GetTableVersions", {{"DatabaseName", "raw"}, {"TableName", "events"}})["TableVersions"];
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions[0]["VersionId"], "2");  // newest first
    EXPECT_EQ(versions[0]["Table"]["StorageDescriptor"]["Columns"].size(), 3u);
    EXPECT_EQ(versions[1]["VersionId"], "1");
    EXPECT_EQ(versions[1]["Table"]["StorageDescriptor"]["Columns"].size(), 2u);

    json paged = Ok("GetTableVersions",
                    {{"DatabaseName", "raw"}, {"TableName", "events"}, {"MaxResults", 1}});
    ASSERT_EQ(paged["TableVersions"].size(), 1u);
    ASSERT_TRUE(paged.contains("NextToken"));
    json rest = Ok("GetTableVersions", {{"DatabaseName", "raw"},
                                        {"TableName", "events"},
                                        {"MaxResults", 1},
                                        {"NextToken", paged["NextToken"]}});
    ASSERT_EQ(rest["TableVersions"].size(), 1u);
    EXPECT_EQ(rest["TableVersions"][0]["VersionId"], "1");
    EXPECT_FALSE(rest.contains("NextToken"));

    json one = Ok("GetTableVersion",
                  {{"DatabaseName", "raw"}, {"TableName", "events"}, {"VersionId", "1"}});
    EXPECT_EQ(one["TableVersion"]["Table"]["StorageDescriptor"]["Columns"].size(), 2u);
    json current = Ok("GetTableVersion", {{"DatabaseName", "raw"}, {"TableName", "events"}});
    EXPECT_EQ(current["TableVersion"]["VersionId"], "2");
    EXPECT_EQ(Error("GetTableVersion",
                    {{"DatabaseName", "raw"}, {"TableName", "events"}, {"VersionId", "9"}}),
              "EntityNotFoundException");

    // A stale VersionId is a concurrent modification, and nothing changes.
    EXPECT_EQ(
        Error("UpdateTable",
              {{"DatabaseName", "raw"}, {"TableInput", TableInput("events")}, {"VersionId", "1"}}),
        "ConcurrentModificationException");
    EXPECT_EQ(catalog_->GetTable("raw", "events")->columns.size(), 3u);
    EXPECT_EQ(Error("UpdateTable", {{"DatabaseName", "raw"}, {"TableInput", TableInput("nope")}}),
              "EntityNotFoundException");
}

TEST_F(GlueApiTest, GetTablesFiltersByExpressionAndPages) {
    CreateDatabase("raw");
    for (std::string name : {"events", "events_v2", "orders", "clicks"}) CreateTable("raw", name);
    auto names = [&](const json& extra) {
        json request = extra;
        request["DatabaseName"] = "raw";
        return Names(Ok("GetTables", request)["TableList"]);
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names(json::object()), (V{"clicks", "events", "events_v2", "orders"}));
    EXPECT_EQ(names({{"Expression", "events*"}}), (V{"events", "events_v2"}));
    EXPECT_EQ(names({{"Expression", "*s"}}), (V{"clicks", "events", "orders"}));
    EXPECT_EQ(names({{"Expression", "orders|clicks"}}), (V{"clicks", "orders"}));
    EXPECT_EQ(names({{"Expression", "EV.*"}}), (V{"events", "events_v2"}));  // ignores case
    EXPECT_EQ(names({{"Expression", "^events$"}}), (V{"events"}));           // whole names
    EXPECT_EQ(names({{"Expression", "event"}}), V{});
    EXPECT_EQ(Error("GetTables", {{"DatabaseName", "raw"}, {"Expression", "(events"}}),
              "InvalidInputException");
    EXPECT_EQ(Error("GetTables", {{"DatabaseName", "nope"}}), "EntityNotFoundException");

    // Pages of one, filtered first: the token continues the filtered listing.
    V seen;
    json request = {{"DatabaseName", "raw"}, {"Expression", "*s*"}, {"MaxResults", 1}};
    for (int i = 0; i < 10; ++i) {
        json page = Ok("GetTables", request);
        for (const auto& name : Names(page["TableList"])) seen.push_back(name);
        if (!page.contains("NextToken")) break;
        request["NextToken"] = page["NextToken"];
    }
    EXPECT_EQ(seen, (V{"clicks", "events", "events_v2", "orders"}));
}

TEST(GlueTableNamePatternTest, MatchesWholeNamesInTheSupportedDialect) {
    auto matches = [](std::string_view pattern, std::string_view name) {
        auto parsed = glue::TableNamePattern::Parse(pattern);
        EXPECT_TRUE(parsed.ok()) << pattern << ": " << parsed.status().message();
        return parsed.ok() && parsed->Matches(name);
    };
    EXPECT_TRUE(matches("", "anything"));
    EXPECT_TRUE(matches("*", ""));
    EXPECT_TRUE(matches("a*b", "axxb"));  // * is any run (Hive's wildcard), not "a repeated"
    EXPECT_TRUE(matches("a*b", "ab"));
    EXPECT_FALSE(matches("a*b", "axxc"));
    EXPECT_TRUE(matches("a.*", "a"));  // and .* is the regular expression's any run
    EXPECT_FALSE(matches("a.", "a"));
    EXPECT_TRUE(matches("a+", "aaa"));
    EXPECT_FALSE(matches("a+", ""));
    EXPECT_TRUE(matches("colou?r", "color"));
    EXPECT_TRUE(matches("a\\.b", "a.b"));
    EXPECT_FALSE(matches("a\\.b", "axb"));
    EXPECT_TRUE(matches("x|y|z", "z"));
    EXPECT_FALSE(matches("x|y", "xy"));
    // Many stars stay linear (no backtracking blow-up).
    EXPECT_FALSE(matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
    for (std::string_view bad : {"[ab]", "a{2}", "(a|b)", "+a", "a\\"}) {
        auto parsed = glue::TableNamePattern::Parse(bad);
        EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
    }
}

TEST_F(GlueApiTest, DeleteTableAndBatchDeleteTableReportPerTable) {
    CreateDatabase("raw");
    for (std::string name : {"a", "b", "c"}) CreateTable("raw", name);
    Ok("DeleteTable", {{"DatabaseName", "raw"}, {"Name", "a"}});
    EXPECT_EQ(Error("DeleteTable", {{"DatabaseName", "raw"}, {"Name", "a"}}),
              "EntityNotFoundException");
    json errors = Ok("BatchDeleteTable",
                     {{"DatabaseName", "raw"}, {"TablesToDelete", {"b", "missing"}}})["Errors"];
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["TableName"], "missing");
    EXPECT_EQ(errors[0]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
    EXPECT_FALSE(errors[0]["ErrorDetail"]["ErrorMessage"].get<std::string>().empty());
    EXPECT_EQ(Names(Ok("GetTables", {{"DatabaseName", "raw"}})["TableList"]),
              std::vector<std::string>{"c"});
}

// ---- Partitions ----

TEST_F(GlueApiTest, BatchCreatePartitionReportsErrorsInGluesShape) {
    CreateEventsWithPartitions();
    json errors =
        Ok("BatchCreatePartition", {{"DatabaseName", "raw"},
                                    {"TableName", "events"},
                                    {"PartitionInputList",
                                     {Part("2026", "01"),
                                      Part("2026", "04"),
                                      {{"Values", {"2026"}}},
                                      {{"StorageDescriptor", json::object()}}}}})["Errors"];
    ASSERT_EQ(errors.size(), 3u) << errors.dump();
    std::map<std::string, std::string> code_by_values;
    for (const json& e : errors) {
        ASSERT_TRUE(e.contains("PartitionValues"));
        code_by_values[e["PartitionValues"].dump()] = e["ErrorDetail"]["ErrorCode"];
    }
    EXPECT_EQ(code_by_values[R"(["2026","01"])"], "AlreadyExistsException");
    EXPECT_EQ(code_by_values[R"(["2026"])"],
              "InvalidInputException");                        // one value for two keys
    EXPECT_EQ(code_by_values["[]"], "InvalidInputException");  // no Values at all
    // The valid one was created despite the others.
    EXPECT_EQ(Ok("GetPartition", {{"DatabaseName", "raw"},
                                  {"TableName", "events"},
                                  {"PartitionValues", {"2026", "04"}}})["Partition"]["Values"],
              json({"2026", "04"}));
    EXPECT_EQ(Error("BatchCreatePartition",
                    {{"DatabaseName", "raw"}, {"TableName", "nope"}, {"PartitionInputList", {}}}),
              "EntityNotFoundException");
}

TEST_F(GlueApiTest, CreateGetUpdateDeletePartition) {
    CreateEventsWithPartitions();
    json key = {{"DatabaseName", "raw"}, {"TableName", "events"}};
    json create = key;
    create["PartitionInput"] = Part("2027", "01");
    Ok("CreatePartition", create);
    EXPECT_EQ(Error("CreatePartition", create), "AlreadyExistsException");

    json get = key;
    get["PartitionValues"] = {"2027", "01"};
    json partition = Ok("GetPartition", get)["Partition"];
    EXPECT_EQ(partition["TableName"], "events");
    EXPECT_EQ(partition["StorageDescriptor"]["Location"],
              lake_.root() + "raw/events/year=2027/month=01/");
    EXPECT_EQ(partition["StorageDescriptor"]["Columns"].size(), 2u);

    json update = key;
    update["PartitionValueList"] = {"2027", "01"};
    update["PartitionInput"] = {{"Values", {"2027", "01"}}, {"Parameters", {{"owner", "me"}}}};
    Ok("UpdatePartition", update);
    EXPECT_EQ(Ok("GetPartition", get)["Partition"]["Parameters"]["owner"], "me");

    Ok("DeletePartition", get);
    EXPECT_EQ(Error("GetPartition", get), "EntityNotFoundException");
    EXPECT_EQ(Error("DeletePartition", get), "EntityNotFoundException");
    json missing_values = key;
    EXPECT_EQ(Error("GetPartition", missing_values), "InvalidInputException");
}

TEST_F(GlueApiTest, GetPartitionsFiltersByExpression) {
    CreateEventsWithPartitions();
    using V = std::vector<std::string>;
    EXPECT_EQ(AllPartitionPages(json::object()), (V{"2025/12", "2026/01", "2026/02", "2026/03"}));
    EXPECT_EQ(AllPartitionPages({{"Expression", "year = 2026 AND month >= '02'"}}),
              (V{"2026/02", "2026/03"}));
    EXPECT_EQ(AllPartitionPages({{"Expression", "year < 2026 or month in ('01')"}}),
              (V{"2025/12", "2026/01"}));
    EXPECT_EQ(Error("GetPartitions",
                    {{"DatabaseName", "raw"}, {"TableName", "events"}, {"Expression", "yr = 1"}}),
              "InvalidInputException");
}

TEST_F(GlueApiTest, GetPartitionsPagesAfterFiltering) {
    CreateEventsWithPartitions();
    int pages = 0;
    EXPECT_EQ(AllPartitionPages({{"MaxResults", 1}, {"Expression", "year = 2026"}}, &pages),
              (std::vector<std::string>{"2026/01", "2026/02", "2026/03"}));
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(Error("GetPartitions",
                    {{"DatabaseName", "raw"}, {"TableName", "events"}, {"MaxResults", 1001}}),
              "InvalidInputException");
}

TEST_F(GlueApiTest, GetPartitionsSegmentsAreDisjointAndCoverAll) {
    CreateDatabase("raw");
    CreateTable("raw", "events");
    json inputs = json::array();
    for (int month = 1; month <= 24; ++month) {
        inputs.push_back(Part(std::to_string(2025 + (month - 1) / 12), std::to_string(month)));
    }
    Ok("BatchCreatePartition",
       {{"DatabaseName", "raw"}, {"TableName", "events"}, {"PartitionInputList", inputs}});
    std::multiset<std::string> union_of_segments;
    for (int segment = 0; segment < 3; ++segment) {
        auto listed = AllPartitionPages(
            {{"Segment", {{"SegmentNumber", segment}, {"TotalSegments", 3}}}, {"MaxResults", 5}});
        union_of_segments.insert(listed.begin(), listed.end());
    }
    auto all = AllPartitionPages(json::object());
    EXPECT_EQ(all.size(), 24u);
    EXPECT_EQ(union_of_segments, std::multiset<std::string>(all.begin(), all.end()));
    for (json bad :
         {json{{"SegmentNumber", 3}, {"TotalSegments", 3}},
          json{{"SegmentNumber", 0}, {"TotalSegments", 11}}, json{{"SegmentNumber", 0}}}) {
        EXPECT_EQ(Error("GetPartitions",
                        {{"DatabaseName", "raw"}, {"TableName", "events"}, {"Segment", bad}}),
                  "InvalidInputException")
            << bad.dump();
    }
}

TEST_F(GlueApiTest, GetPartitionsCanLeaveOutColumns) {
    CreateEventsWithPartitions();
    json with = Ok("GetPartitions", {{"DatabaseName", "raw"}, {"TableName", "events"}});
    json without =
        Ok("GetPartitions",
           {{"DatabaseName", "raw"}, {"TableName", "events"}, {"ExcludeColumnSchema", true}});
    ASSERT_EQ(with["Partitions"].size(), 4u);
    ASSERT_EQ(without["Partitions"].size(), 4u);
    EXPECT_TRUE(with["Partitions"][0]["StorageDescriptor"].contains("Columns"));
    EXPECT_FALSE(without["Partitions"][0]["StorageDescriptor"].contains("Columns"));
    EXPECT_TRUE(without["Partitions"][0]["StorageDescriptor"].contains("Location"));
}

TEST_F(GlueApiTest, BatchGetAndBatchDeletePartition) {
    CreateEventsWithPartitions();
    json got =
        Ok("BatchGetPartition",
           {{"DatabaseName", "raw"},
            {"TableName", "events"},
            {"PartitionsToGet", {Part("2026", "01"), Part("1999", "01"), Part("2026", "03")}}});
    EXPECT_EQ(Months(got["Partitions"]), (std::vector<std::string>{"2026/01", "2026/03"}));
    ASSERT_TRUE(got.contains("UnprocessedKeys"));
    EXPECT_TRUE(got["UnprocessedKeys"].empty());

    json errors = Ok("BatchDeletePartition",
                     {{"DatabaseName", "raw"},
                      {"TableName", "events"},
                      {"PartitionsToDelete", {Part("2026", "01"), Part("1999", "01")}}})["Errors"];
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["PartitionValues"], json({"1999", "01"}));
    EXPECT_EQ(errors[0]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
    EXPECT_EQ(AllPartitionPages(json::object()),
              (std::vector<std::string>{"2025/12", "2026/02", "2026/03"}));
}

// ---- Crawlers ----

TEST_F(GlueApiTest, CrawlerLifecycleCrawlsTheLake) {
    ASSERT_TRUE(store_->Put("raw/clicks/day=01/a.json", "{\"id\": 1, \"page\": \"/\"}\n").ok());
    ASSERT_TRUE(store_->Put("raw/clicks/day=02/b.json", "{\"id\": 2, \"page\": \"/x\"}\n").ok());
    json create = {{"Name", "Lake"},
                   {"Role", "arn:aws:iam::000000000000:role/glue"},
                   {"DatabaseName", "raw"},
                   {"Targets", {{"S3Targets", {{{"Path", lake_.root() + "raw/"}}}}}},
                   {"Tags", {{"team", "data"}}}};
    Ok("CreateCrawler", create);
    EXPECT_EQ(Error("CreateCrawler", create), "AlreadyExistsException");
    json crawler = Ok("GetCrawler", {{"Name", "Lake"}})["Crawler"];
    EXPECT_EQ(crawler["Name"], "Lake");
    EXPECT_EQ(crawler["State"], "READY");
    EXPECT_FALSE(crawler.contains("LastCrawl"));
    EXPECT_EQ(crawler["Targets"]["S3Targets"][0]["Path"], lake_.root() + "raw/");
    EXPECT_EQ(Ok("ListCrawlers", json::object())["CrawlerNames"], json({"Lake"}));
    EXPECT_EQ(Names(Ok("GetCrawlers", json::object())["Crawlers"]),
              std::vector<std::string>{"Lake"});

    Ok("UpdateCrawler", {{"Name", "Lake"}, {"Description", "the whole lake"}});
    crawler = Ok("GetCrawler", {{"Name", "Lake"}})["Crawler"];
    EXPECT_EQ(crawler["Description"], "the whole lake");
    EXPECT_EQ(crawler["DatabaseName"], "raw");  // left out: kept
    EXPECT_EQ(Error("StopCrawler", {{"Name", "Lake"}}), "CrawlerNotRunningException");

    Ok("StartCrawler", {{"Name", "Lake"}});
    json last;
    ASSERT_TRUE(testing::Eventually([&] {
        crawler = Ok("GetCrawler", {{"Name", "Lake"}})["Crawler"];
        return crawler["State"] == "READY" && crawler.contains("LastCrawl");
    })) << crawler.dump();
    EXPECT_EQ(crawler["LastCrawl"]["Status"], "SUCCEEDED") << crawler.dump();

    json table = Ok("GetTable", {{"DatabaseName", "raw"}, {"Name", "clicks"}})["Table"];
    EXPECT_EQ(Names(table["StorageDescriptor"]["Columns"]),
              (std::vector<std::string>{"id", "page"}));
    EXPECT_EQ(Ok("GetPartitions", {{"DatabaseName", "raw"}, {"TableName", "clicks"}})["Partitions"]
                  .size(),
              2u);
    json metrics = Ok("GetCrawlerMetrics", {{"CrawlerNameList", {"Lake", "Ghost"}}});
    ASSERT_EQ(metrics["CrawlerMetricsList"].size(), 1u);
    EXPECT_EQ(metrics["CrawlerMetricsList"][0]["CrawlerName"], "Lake");
    EXPECT_EQ(metrics["CrawlerMetricsList"][0]["TablesCreated"], 1);

    Ok("DeleteCrawler", {{"Name", "Lake"}});
    EXPECT_EQ(Error("GetCrawler", {{"Name", "Lake"}}), "EntityNotFoundException");
    EXPECT_EQ(Error("StartCrawler", {{"Name", "Lake"}}), "EntityNotFoundException");
    EXPECT_EQ(Error("CreateCrawler", {{"Name", "x"}, {"Role", "r"}}), "InvalidInputException");
}

TEST_F(GlueApiTest, CrawlerListsPageAndMetricsCoverEveryCrawler) {
    for (std::string name : {"c3", "c1", "c2"}) {
        Ok("CreateCrawler", {{"Name", name},
                             {"Role", "r"},
                             {"Targets", {{"S3Targets", {{{"Path", lake_.root() + "raw/"}}}}}}});
    }
    json first = Ok("ListCrawlers", {{"MaxResults", 2}});
    EXPECT_EQ(first["CrawlerNames"], json({"c1", "c2"}));
    ASSERT_TRUE(first.contains("NextToken"));
    json second = Ok("GetCrawlers", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
    EXPECT_EQ(Names(second["Crawlers"]), std::vector<std::string>{"c3"});
    EXPECT_FALSE(second.contains("NextToken"));

    json metrics = Ok("GetCrawlerMetrics", json::object())["CrawlerMetricsList"];
    EXPECT_EQ(Names(metrics, "CrawlerName"), (std::vector<std::string>{"c1", "c2", "c3"}));
    EXPECT_EQ(metrics[0]["TablesCreated"], 0);  // never ran
    EXPECT_EQ(metrics[0]["LastRuntimeSeconds"], 0.0);
    EXPECT_EQ(Error("UpdateCrawler", {{"Name", "ghost"}, {"Description", "x"}}),
              "EntityNotFoundException");
    EXPECT_EQ(Error("ListCrawlers", {{"MaxResults", 1001}}), "InvalidInputException");
}

TEST_F(GlueApiTest, BatchCreatePartitionWithOnlyBadInputsCreatesNothing) {
    CreateEventsWithPartitions();
    json errors =
        Ok("BatchCreatePartition",
           {{"DatabaseName", "raw"},
            {"TableName", "events"},
            {"PartitionInputList", {{{"Values", 3}}, {{"Values", {"2026", ""}}}}}})["Errors"];
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0]["ErrorDetail"]["ErrorCode"], "InvalidInputException");
    EXPECT_EQ(errors[1]["PartitionValues"], json({"2026", ""}));
    EXPECT_EQ(AllPartitionPages(json::object()).size(), 4u);
}

// ---- Errors ----

TEST(GlueErrorTest, StatusCodesMapToGlueErrorTypes) {
    struct Case {
        Status status;
        int http;
        std::string_view type;
    } cases[] = {
        {Status::NotFound("x"), 400, "EntityNotFoundException"},
        {Status::AlreadyExists("x"), 400, "AlreadyExistsException"},
        {Status::InvalidArgument("x"), 400, "InvalidInputException"},
        {Status::FailedPrecondition("CrawlerRunning: crawler c is already running"), 400,
         "CrawlerRunningException"},
        {Status::FailedPrecondition("CrawlerNotRunning: crawler c is not running"), 400,
         "CrawlerNotRunningException"},
        {Status::FailedPrecondition("CrawlerStopping: crawler c is stopping"), 400,
         "CrawlerStoppingException"},
        {Status::FailedPrecondition("table raw.t is at version 3, not 2"), 400,
         "ConcurrentModificationException"},
        {Status::IOError("disk"), 500, "InternalServiceException"},
        {Status::Internal("bug"), 500, "InternalServiceException"},
    };
    for (const Case& c : cases) {
        HttpResponse response = glue::GlueErrorResponse(c.status);
        EXPECT_EQ(response.status, c.http) << c.status.message();
        EXPECT_EQ(response.Header("x-amzn-ErrorType"), c.type);
        json body = json::parse(response.body);
        EXPECT_EQ(body["__type"], c.type);
        EXPECT_EQ(body["message"], c.status.message());
        EXPECT_EQ(glue::ErrorDetailJson(c.status)["ErrorCode"], c.type);
    }
}

TEST_F(GlueApiTest, BadBodiesAreSerializationErrors) {
    for (std::string body : {"{not json", "[1, 2]", "\"text\""}) {
        Answer answer = CallRaw("GetDatabases", body);
        EXPECT_EQ(answer.status, 400) << body;
        EXPECT_EQ(answer.error_type, "SerializationException") << body;
    }
    EXPECT_EQ(CallRaw("GetDatabases", "").status,
              200);  // an empty body reads as {}
    EXPECT_EQ(Error("GetTable", {{"DatabaseName", 7}, {"Name", "t"}}), "InvalidInputException");
    EXPECT_EQ(
        Error("GetPartitions",
              {{"DatabaseName", "raw"}, {"TableName", "events"}, {"ExcludeColumnSchema", "yes"}}),
        "InvalidInputException");
}

}  // namespace
}  // namespace tarn::api
