#include "api/kinesis_put_batch.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/base64.h"
#include "stream/hash_key.h"

namespace tarn::api::kinesis {
namespace {

std::string Records(const nlohmann::json& records, std::string_view stream = "s") {
    return nlohmann::json{{"StreamName", stream}, {"Records", records}}.dump();
}

nlohmann::json Record(std::string_view data, std::string_view key) {
    return {{"Data", Base64Encode(data)}, {"PartitionKey", key}};
}

// The AWS error type and message of a failed parse.
std::pair<std::string, std::string> ErrorOf(const std::optional<HttpResponse>& response) {
    EXPECT_TRUE(response.has_value());
    if (!response) return {};
    auto body = nlohmann::json::parse(response->body);
    return {body["__type"], body["message"]};
}

TEST(KinesisPutBatchTest, ParsesRecordsIntoOneBuffer) {
    PutBatch batch;
    nlohmann::json records = {
        Record("hello", "k1"),
        Record("", "k\"2\u00e9"),
        {{"Data", "AAEC"}, {"PartitionKey", "k3"}, {"ExplicitHashKey", "42"}}};
    ASSERT_FALSE(ParsePutRecords(Records(records, "my-stream"), batch).has_value());
    EXPECT_EQ(batch.stream, "my-stream");
    ASSERT_EQ(batch.records.size(), 3u);
    EXPECT_EQ(batch.records[0].data, "hello");
    EXPECT_EQ(batch.records[0].partition_key, "k1");
    EXPECT_FALSE(batch.records[0].explicit_hash_key.has_value());
    EXPECT_EQ(batch.records[1].data, "");
    EXPECT_EQ(batch.records[1].partition_key, "k\"2\u00e9");
    EXPECT_EQ(batch.records[2].data, std::string("\x00\x01\x02", 3));
    ASSERT_TRUE(batch.records[2].explicit_hash_key.has_value());
    EXPECT_EQ(stream::FormatHashKey(*batch.records[2].explicit_hash_key), "42");
    for (const auto& record : batch.records) {  // every view is into the used part of the body
        EXPECT_GE(record.partition_key.data(), batch.body.data());
        EXPECT_LE(record.data.data() + record.data.size(), batch.body.data() + batch.used);
    }
}

TEST(KinesisPutBatchTest, StreamArnIsAccepted) {
    PutBatch batch;
    std::string body = nlohmann::json{{"StreamARN", "arn:aws:kinesis:us-east-1:0:stream/x"},
                                      {"Records", {Record("d", "k")}}}
                           .dump();
    ASSERT_FALSE(ParsePutRecords(body, batch).has_value());
    EXPECT_EQ(batch.stream, "arn:aws:kinesis:us-east-1:0:stream/x");
}

TEST(KinesisPutBatchTest, RecordCountLimits) {
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 501; ++i) many.push_back(Record("x", "k"));
    PutBatch a, b, c;
    auto [type, message] = ErrorOf(ParsePutRecords(Records(many), a));
    EXPECT_EQ(type, "ValidationException");
    EXPECT_NE(message.find("'records'"), std::string::npos) << message;
    EXPECT_NE(message.find("less than or equal to 500"), std::string::npos) << message;
    EXPECT_EQ(ErrorOf(ParsePutRecords(Records(nlohmann::json::array()), b)).first,
              "ValidationException");
    EXPECT_EQ(ErrorOf(ParsePutRecords(R"({"StreamName":"s"})", c)).first, "ValidationException");
    many.erase(many.begin());
    PutBatch ok;
    EXPECT_FALSE(ParsePutRecords(Records(many), ok).has_value());
    EXPECT_EQ(ok.records.size(), 500u);
}

TEST(KinesisPutBatchTest, RecordSizeLimits) {
    PutBatch big, key_long, key_empty, total;
    auto [type, message] = ErrorOf(ParsePutRecords(
        Records({Record("a", "k"), Record(std::string((1 << 20) + 1, 'x'), "k")}), big));
    EXPECT_EQ(type, "ValidationException");
    EXPECT_NE(message.find("records.2.member.data"), std::string::npos) << message;
    EXPECT_EQ(
        ErrorOf(ParsePutRecords(
                    Records(nlohmann::json::array({Record("x", std::string(257, 'k'))})), key_long))
            .first,
        "ValidationException");
    EXPECT_EQ(ErrorOf(ParsePutRecords(Records(nlohmann::json::array({Record("x", "")})), key_empty))
                  .first,
              "ValidationException");
    nlohmann::json six = nlohmann::json::array();
    for (int i = 0; i < 6; ++i) six.push_back(Record(std::string(1 << 20, 'x'), "k"));
    EXPECT_EQ(ErrorOf(ParsePutRecords(Records(six), total)).first, "InvalidArgumentException");
}

TEST(KinesisPutBatchTest, ExplicitHashKeyPatternAndRange) {
    const auto with_key = [](std::string key) {
        return Records({{{"Data", "eA=="}, {"PartitionKey", "k"}, {"ExplicitHashKey", key}}});
    };
    PutBatch a, b, c, d;
    EXPECT_EQ(ErrorOf(ParsePutRecords(with_key("12ab"), a)).first, "ValidationException");
    EXPECT_EQ(ErrorOf(ParsePutRecords(with_key("007"), b)).first, "ValidationException");
    EXPECT_EQ(
        ErrorOf(ParsePutRecords(with_key("340282366920938463463374607431768211456"), c)).first,
        "InvalidArgumentException");
    EXPECT_FALSE(
        ParsePutRecords(with_key("340282366920938463463374607431768211455"), d).has_value());
}

TEST(KinesisPutBatchTest, MalformedBodies) {
    PutBatch a, b, c, d, e;
    EXPECT_EQ(ErrorOf(ParsePutRecords(R"({"StreamName":"s",)", a)).first, "SerializationException");
    EXPECT_EQ(ErrorOf(ParsePutRecords(Records({{{"Data", "no*base64"}, {"PartitionKey", "k"}}}), b))
                  .first,
              "SerializationException");
    EXPECT_EQ(ErrorOf(ParsePutRecords(Records({{{"Data", 5}, {"PartitionKey", "k"}}}), c)).first,
              "SerializationException");
    EXPECT_EQ(
        ErrorOf(ParsePutRecords(R"({"Records":[{"Data":"eA==","PartitionKey":"k"}]})", d)).first,
        "InvalidArgumentException");  // no stream
    EXPECT_EQ(ErrorOf(ParsePutRecords("", e)).first, "SerializationException");
}

TEST(KinesisPutBatchTest, PutRecordReadsTopLevelFields) {
    PutBatch batch;
    ASSERT_FALSE(ParsePutRecord(R"({"StreamName":"s","Data":"eHk=","PartitionKey":"p",)"
                                R"("SequenceNumberForOrdering":"1"})",
                                batch)
                     .has_value());
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_EQ(batch.records[0].data, "xy");
    EXPECT_EQ(batch.records[0].partition_key, "p");
    PutBatch missing;
    auto [type, message] = ErrorOf(ParsePutRecord(R"({"StreamName":"s","Data":"eHk="})", missing));
    EXPECT_EQ(type, "ValidationException");
    EXPECT_NE(message.find("'partitionKey'"), std::string::npos) << message;
}

TEST(KinesisPutBatchTest, ResponseBody) {
    stream::PutRecordsResult result;
    result.stream_epoch_ms = 1704067200000;
    result.records.push_back({stream::PutRecordError::kNone, "", 3, stream::Offset{4900}});
    result.records.push_back({stream::PutRecordError::kThroughputExceeded,
                              "Rate exceeded for shard \"1\"", 1, stream::Offset{}});
    result.records.push_back({stream::PutRecordError::kNone, "", 3, stream::Offset{4901}});
    result.records.push_back({stream::PutRecordError::kNone, "", 0, stream::Offset{7}});
    result.failed_record_count = 1;
    auto body = nlohmann::json::parse(PutRecordsResponseBody(result));
    EXPECT_EQ(body["FailedRecordCount"], 1);
    ASSERT_EQ(body["Records"].size(), 4u);
    EXPECT_EQ(body["Records"][0],
              (nlohmann::json{{"SequenceNumber", stream::FormatSequenceNumber(result.sequence(0))},
                              {"ShardId", "shardId-000000000003"}}));
    EXPECT_EQ(body["Records"][1]["ErrorCode"], "ProvisionedThroughputExceededException");
    EXPECT_EQ(body["Records"][1]["ErrorMessage"], "Rate exceeded for shard \"1\"");
    EXPECT_EQ(body["Records"][2]["SequenceNumber"],
              stream::FormatSequenceNumber(result.sequence(2)));
    EXPECT_EQ(body["Records"][3],
              (nlohmann::json{{"SequenceNumber", stream::FormatSequenceNumber(result.sequence(3))},
                              {"ShardId", "shardId-000000000000"}}));
    auto parsed = stream::ParseSequenceNumber(body["Records"][2]["SequenceNumber"].get<std::string>());
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(stream::ToU64(parsed->offset), 4901u);
}

}  // namespace
}  // namespace tarn::api::kinesis
