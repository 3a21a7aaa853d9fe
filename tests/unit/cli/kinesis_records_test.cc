// Tests of the Kinesis producer's wire pieces without a network: PutRecords bodies and answers
// (cli/kinesis_records.h), batches of clickstream records (cli/kinesis_batch.h) and endpoint URLs
// (cli/kinesis_producer.h). The producer end to end is tested against kinesalite and tarn in
// tests/e2e (kinesalite_gen.test.mjs, test_gen_kinesis.py).
#include "cli/kinesis_records.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/kinesis_batch.h"
#include "cli/kinesis_producer.h"
#include "common/base64.h"
#include "common/hash.h"

namespace tarn::cli {
namespace {

using json = nlohmann::json;

struct Ack {
    size_t index;
    std::string shard;
    std::string sequence;
};

class CollectAcks final : public AckSink {
public:
    void Acked(size_t index, std::string_view shard, std::string_view sequence) override {
        acks.push_back({index, std::string(shard), std::string(sequence)});
    }
    std::vector<Ack> acks;
};

TEST(PutRecordsBodyTest, IsTheJsonOfPutRecordsAndReusesItsBuffer) {
    PutRecordsBody body;
    for (int round = 0; round < 2; ++round) {  // the second body must not keep the first's bytes
        body.Begin("s1");
        body.Add("k\"1", std::string("a\0b\n", 4));
        body.Add("42", "");
        body.Finish();
        const json parsed = json::parse(body.text());
        EXPECT_EQ(parsed["StreamName"], "s1");
        ASSERT_EQ(parsed["Records"].size(), 2u);
        EXPECT_EQ(parsed["Records"][0]["PartitionKey"], "k\"1");
        EXPECT_EQ(*Base64Decode(parsed["Records"][0]["Data"].get<std::string>()),
                  std::string("a\0b\n", 4));
        EXPECT_EQ(parsed["Records"][1]["Data"], "");
        EXPECT_EQ(body.records(), 2u);
    }
}

TEST(ParsePutRecordsAnswerTest, PassesEachSuccessToTheSinkAndCountsFailures) {
    std::string answer = R"({"FailedRecordCount":1,"Records":[
        {"SequenceNumber":"100","ShardId":"shardId-000000000001"},
        {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"slow down"},
        {"ShardId":"shardId-000000000000","SequenceNumber":"7","Extra":{"x":[1]}}]})";
    CollectAcks sink;
    auto parsed = ParsePutRecordsAnswer(&answer, 3, &sink);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->failed_records, 1u);
    EXPECT_EQ(parsed->first_failure, "ProvisionedThroughputExceededException: slow down");
    ASSERT_EQ(sink.acks.size(), 2u);
    EXPECT_EQ(sink.acks[0].index, 0u);
    EXPECT_EQ(sink.acks[0].shard, "shardId-000000000001");
    EXPECT_EQ(sink.acks[0].sequence, "100");
    EXPECT_EQ(sink.acks[1].index, 2u);
    EXPECT_EQ(sink.acks[1].sequence, "7");
}

TEST(PutRecordsBodyTest, ForFirehoseIsTheJsonOfPutRecordBatch) {
    PutRecordsBody body(PutApi::kFirehosePutRecordBatch);
    body.Begin("clicks");
    body.Add("ignored", "{\"a\":1}\n");
    body.Finish();
    const json parsed = json::parse(body.text());
    EXPECT_EQ(parsed["DeliveryStreamName"], "clicks");
    EXPECT_FALSE(parsed.contains("StreamName"));
    ASSERT_EQ(parsed["Records"].size(), 1u);
    EXPECT_FALSE(parsed["Records"][0].contains("PartitionKey"));
    EXPECT_EQ(*Base64Decode(parsed["Records"][0]["Data"].get<std::string>()), "{\"a\":1}\n");
    EXPECT_EQ(PutApiTarget(PutApi::kFirehosePutRecordBatch), "Firehose_20150804.PutRecordBatch");
}

TEST(ParsePutRecordsAnswerTest, ReadsAPutRecordBatchAnswer) {
    std::string answer = R"({"FailedPutCount":1,"Encrypted":false,"RequestResponses":[
        {"RecordId":"4911"},
        {"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."}]})";
    CollectAcks sink;
    auto parsed = ParsePutRecordsAnswer(&answer, 2, &sink, PutApi::kFirehosePutRecordBatch);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->failed_records, 1u);
    EXPECT_EQ(parsed->first_failure, "ServiceUnavailableException: Slow down.");
    ASSERT_EQ(sink.acks.size(), 1u);
    EXPECT_EQ(sink.acks[0].sequence, "4911");
    EXPECT_EQ(sink.acks[0].shard, "");
    // A Kinesis answer is not a Firehose one.
    std::string kinesis = R"({"FailedRecordCount":0,"Records":[{"ShardId":"s","SequenceNumber":"1"}]})";
    EXPECT_FALSE(ParsePutRecordsAnswer(&kinesis, 1, &sink, PutApi::kFirehosePutRecordBatch).ok());
}

TEST(ParsePutRecordsAnswerTest, WithoutASinkReadsTheCountAndTheFirstFailure) {
    std::string ok = R"({"Records":[{"SequenceNumber":"1","ShardId":"s"}],"FailedRecordCount":0})";
    auto parsed = ParsePutRecordsAnswer(&ok, 1, nullptr);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->failed_records, 0u);
    std::string failed = R"({"FailedRecordCount":1,"Records":[{"SequenceNumber":"1","ShardId":"s"},
        {"ErrorCode":"InternalFailure","ErrorMessage":"disk"}]})";
    parsed = ParsePutRecordsAnswer(&failed, 2, nullptr);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->failed_records, 1u);
    EXPECT_EQ(parsed->first_failure, "InternalFailure: disk");
}

TEST(ParsePutRecordsAnswerTest, RejectsMalformedAnswersAndWrongCounts) {
    CollectAcks sink;
    for (std::string bad :
         {std::string("not json"), std::string(R"({"Records":[]})"),
          std::string(R"({"FailedRecordCount":"0","Records":[]})"),
          std::string(R"({"FailedRecordCount":0,"Records":[{"ShardId":"s"}]})")}) {
        EXPECT_FALSE(ParsePutRecordsAnswer(&bad, 1, &sink).ok()) << bad;
    }
    std::string short_answer =
        R"({"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"s"}]})";
    auto parsed = ParsePutRecordsAnswer(&short_answer, 2, &sink);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.status().message().find("1 records for a request of 2"), std::string::npos);
}

TEST(KinesisAnswersTest, StreamStatusAndAwsErrors) {
    std::string summary =
        R"({"StreamDescriptionSummary":{"StreamName":"s","StreamStatus":"CREATING"}})";
    EXPECT_EQ(*ParseStreamStatus(&summary), "CREATING");
    std::string empty = "{}";
    EXPECT_FALSE(ParseStreamStatus(&empty).ok());
    EXPECT_EQ(DescribeAwsError(400, R"({"__type":"ResourceNotFoundException","message":"no s"})"),
              "ResourceNotFoundException: no s (HTTP 400)");
    EXPECT_EQ(DescribeAwsError(400, R"({"__type":"com.amazon#ValidationException","Message":"m"})"),
              "ValidationException: m (HTTP 400)");
    EXPECT_EQ(DescribeAwsError(502, "<html>bad gateway</html>"),
              "unexpected answer '<html>bad gateway</html>' (HTTP 502)");
}

TEST(ParseKinesisEndpointTest, AcceptsHttpHostPortOnly) {
    auto e = ParseKinesisEndpoint("http://127.0.0.1:4566");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->host, "127.0.0.1");
    EXPECT_EQ(e->port, "4566");
    EXPECT_EQ(e->host_header, "127.0.0.1:4566");
    e = ParseKinesisEndpoint("http://localhost/");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->port, "80");
    e = ParseKinesisEndpoint("http://[::1]:81");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->host, "::1");
    for (const char* bad : {"https://h:1", "h:1", "http://", "http://h:0", "http://h:65536",
                            "http://h:x", "http://h:1/path"}) {
        EXPECT_FALSE(ParseKinesisEndpoint(bad).ok()) << bad;
    }
}

ClickstreamGenerator Generator(double malformed_rate = 0) {
    ClickstreamOptions options;
    options.count = 1000;
    options.malformed_rate = malformed_rate;
    return *ClickstreamGenerator::Create(options);
}

std::vector<json> RecordsOf(BatchWriter& writer) {
    return json::parse(writer.body_text())["Records"].get<std::vector<json>>();
}

TEST(BatchWriterTest, RecordsAreLinesKeyedByUserId) {
    const ClickstreamGenerator gen = Generator();
    BatchWriter writer(&gen, "s1", 10, 0, false);
    writer.WriteScheduled(5, 10);
    std::string lines;
    gen.AppendEvents(5, 10, &lines);
    const auto records = RecordsOf(writer);
    ASSERT_EQ(records.size(), 10u);
    std::string joined;
    for (const json& r : records) {
        const std::string data = *Base64Decode(r["Data"].get<std::string>());
        EXPECT_EQ(r["PartitionKey"], std::to_string(json::parse(data)["user_id"].get<int>()));
        joined += data;
    }
    EXPECT_EQ(joined, lines);
    EXPECT_EQ(writer.data_bytes(), lines.size());
}

TEST(BatchWriterTest, MalformedLinesAreKeyedByTheirIndex) {
    const ClickstreamGenerator gen = Generator(1.0);  // every line malformed
    BatchWriter writer(&gen, "s1", 20, 0, false);
    writer.WriteScheduled(100, 20);
    int keyed_by_index = 0;
    for (size_t i = 0; i < 20; ++i) {
        keyed_by_index += RecordsOf(writer)[i]["PartitionKey"] == std::to_string(100 + i);
    }
    EXPECT_GT(keyed_by_index, 0);  // a truncated event may still carry its user_id
}

TEST(BatchWriterTest, RecordBytesPadsWithSpacesOrCuts) {
    const ClickstreamGenerator gen = Generator();
    for (size_t size : {size_t{1}, size_t{200}, size_t{2000}}) {
        BatchWriter writer(&gen, "s1", 50, size, false);
        writer.WriteScheduled(0, 50);
        for (const json& r : RecordsOf(writer)) {
            const std::string data = *Base64Decode(r["Data"].get<std::string>());
            ASSERT_EQ(data.size(), size);
            EXPECT_EQ(data.back(), '\n');
            if (size == 2000) {
                EXPECT_NO_THROW(json::parse(data)) << "padding keeps JSON valid";
            }
        }
        EXPECT_EQ(writer.data_bytes(), 50 * size);
    }
}

TEST(BatchWriterTest, AckLinesNameKeyShardSequenceAndDataMd5) {
    const ClickstreamGenerator gen = Generator();
    BatchWriter writer(&gen, "s1", 3, 0, true);
    writer.WriteScheduled(0, 3);
    const auto records = RecordsOf(writer);
    std::string out;
    writer.AppendAckLine(2, "shardId-000000000001", "123", &out);
    const std::string data = *Base64Decode(records[2]["Data"].get<std::string>());
    EXPECT_EQ(out, records[2]["PartitionKey"].get<std::string>() + "\tshardId-000000000001\t123\t" +
                       Md5Hex(data) + "\n");
}

TEST(RecordSourceTest, HandsOutEachRecordOnceInBatches) {
    const ClickstreamGenerator gen = Generator();
    RecordSource source(&gen, 1234, false, 500, 0, false);
    BatchWriter writer(&gen, "s1", 500, 0, false);
    std::vector<size_t> sizes;
    RecordSource::SteadyTime due;
    const auto now = std::chrono::steady_clock::now();
    while (source.Next(now, &writer, &due) == RecordSource::Take::kBatch) {
        sizes.push_back(writer.records());
        EXPECT_LE(due, now) << "no rate: every batch is due at once";
    }
    EXPECT_EQ(sizes, (std::vector<size_t>{500, 500, 234}));
    EXPECT_EQ(source.Next(now, &writer, &due), RecordSource::Take::kDone);
}

TEST(RecordSourceTest, WithDistinctRecordIIsLineIModDistinct) {
    const ClickstreamGenerator gen = Generator();
    RecordSource source(&gen, 2550, false, 100, 0, false);
    BatchWriter builder(&gen, "s1", 100, 200, false);
    source.Freeze(1000, &builder);
    BatchWriter writer(&gen, "s1", 100, 200, false);
    BatchWriter expected(&gen, "s1", 100, 200, false);
    RecordSource::SteadyTime due;
    const auto now = std::chrono::steady_clock::now();
    uint64_t first = 0;
    while (source.Next(now, &writer, &due) == RecordSource::Take::kBatch) {
        const uint64_t n = std::min<uint64_t>(100, 2550 - first);
        expected.WriteScheduled(first % 1000, n);
        ASSERT_EQ(writer.records(), n);
        EXPECT_EQ(writer.body_text(), expected.body_text()) << "batch from " << first;
        EXPECT_EQ(writer.data_bytes(), n * 200);
        first += n;
    }
    EXPECT_EQ(first, 2550u);
}

TEST(RecordSourceTest, ARatePacesBatchesOfFiftyMilliseconds) {
    const ClickstreamGenerator gen = Generator();
    RecordSource source(&gen, 0, true, 500, 1000, false);  // 1000/s: batches of 50, 50 ms apart
    BatchWriter writer(&gen, "s1", 500, 0, false);
    RecordSource::SteadyTime first, second;
    const auto now = std::chrono::steady_clock::now();
    ASSERT_EQ(source.Next(now, &writer, &first), RecordSource::Take::kBatch);
    EXPECT_EQ(writer.records(), 50u);
    ASSERT_EQ(source.Next(now, &writer, &second), RecordSource::Take::kBatch);
    EXPECT_EQ(second - first, std::chrono::milliseconds(50));
}

TEST(RecordSourceTest, LiveLinesWaitUntilDue) {
    const ClickstreamGenerator gen = Generator();
    RecordSource source(&gen, 100, false, 500, 20, true);  // 20/s: one line per batch
    BatchWriter writer(&gen, "s1", 500, 0, false);
    RecordSource::SteadyTime due;
    const auto now = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    ASSERT_EQ(source.Next(now, &writer, &due), RecordSource::Take::kBatch);
    EXPECT_EQ(writer.records(), 1u);
    EXPECT_EQ(source.Next(now, &writer, &due), RecordSource::Take::kWait);
    EXPECT_GT(due, now);
    EXPECT_EQ(source.Next(due, &writer, &due), RecordSource::Take::kBatch);
}

}  // namespace
}  // namespace tarn::cli
