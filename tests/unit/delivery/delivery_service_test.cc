// DeliveryService over a real stream service, SQLite catalog and local lake: records put are
// delivered (buffered by size or interval, partitioned by arrival hour or by a key, converted to
// Parquet), bad ones go to the error output, and a crash between writing objects and committing
// them is replayed into byte-identical objects.
#include "delivery/delivery_service.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <future>
#include <map>
#include <set>

#include "catalog/catalog.h"
#include "catalog/lake_commit.h"
#include "common/base64.h"
#include "delivery/kpl_aggregation.h"
#include "format/parquet_reader.h"
#include "storage/local_store.h"
#include "stream/stream_service.h"
#include "testing/temp_dir.h"

namespace tarn::delivery {
namespace {

using std::chrono::milliseconds;
using testing::TempDir;

std::string Gunzip(std::string_view in) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 31), Z_OK);
    std::string out(in.size() * 8 + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (z.total_out == out.size()) out.resize(out.size() * 2);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
        z.avail_out = static_cast<uInt>(out.size() - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
    }
    EXPECT_EQ(rc, Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

std::vector<std::string> Lines(std::string_view text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        lines.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

// 2026-11-26 09:59:59.900 UTC and friends.
constexpr int64_t kBeforeHour = 1795687199900;
constexpr int64_t kAfterHour = 1795687200100;

class DeliveryServiceTest : public ::testing::Test {
protected:
    void SetUp() override { Open(); }
    void TearDown() override { Close(); }

    // `store_override` (not owned) stands in for the local store, e.g. to crash after a write.
    void Open(storage::ObjectStore* store_override = nullptr) {
        stream::StreamServiceOptions so;
        so.dir = tmp_.path() + "/streams";
        so.commit_max_wait = std::chrono::microseconds(0);
        so.retention_interval = milliseconds(0);
        so.clock = &arrival_clock_;
        auto streams = stream::StreamService::Open(so);
        ASSERT_TRUE(streams.ok()) << streams.status().ToString();
        streams_ = std::move(*streams);
        auto catalog = catalog::Catalog::Open(tmp_.path() + "/catalog.db");
        ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
        catalog_ = std::move(*catalog);
        auto store = storage::LocalStore::Open(tmp_.path() + "/lake");
        ASSERT_TRUE(store.ok());
        store_ = std::move(*store);
        storage::ObjectStore* store_used = store_override ? store_override : store_.get();
        lake_ = std::make_unique<catalog::LakeCommitter>(catalog_.get(), store_used);
        auto service = DeliveryService::Open({.streams = streams_.get(),
                                              .catalog = catalog_.get(),
                                              .lake = lake_.get(),
                                              .store = store_used,
                                              .poll_interval = milliseconds(10),
                                              .retry_min = milliseconds(10),
                                              .retry_max = milliseconds(100)});
        ASSERT_TRUE(service.ok()) << service.status().ToString();
        service_ = std::move(*service);
    }

    void Close() {
        service_.reset();
        lake_.reset();
        store_.reset();
        catalog_.reset();
        streams_.reset();
    }

    DeliveryStreamConfig DirectPut(const std::string& name) {
        DeliveryStreamConfig c;
        c.name = name;
        c.bucket_arn = "arn:aws:s3:::lake";
        c.role_arn = "arn:aws:iam::000000000000:role/firehose";
        c.compression = CompressionFormat::kGzip;
        c.buffering.interval_seconds = 900;
        return c;
    }

    void Create(const DeliveryStreamConfig& config) {
        auto created = service_->Create(config);
        ASSERT_TRUE(created.ok()) << created.status().ToString();
    }

    PutBatchResult Put(const std::string& name, const std::vector<std::string>& records) {
        std::vector<std::string_view> views(records.begin(), records.end());
        std::promise<Result<PutBatchResult>> done;
        service_->PutRecordBatch(name, views, [&](Result<PutBatchResult> r) {
            done.set_value(std::move(r));
        });
        auto result = done.get_future().get();
        EXPECT_TRUE(result.ok()) << result.status().ToString();
        return result.ok() ? *result : PutBatchResult{};
    }

    // A delivery of the stream `events` (created with `shards` shards).
    void CreateStreamSource(uint32_t shards) {
        ASSERT_TRUE(streams_->CreateStream({.name = "events", .shard_count = shards}).ok());
        streams_->WaitForTransitions();
        DeliveryStreamConfig c = DirectPut("events");
        c.type = DeliveryStreamType::kKinesisStreamAsSource;
        c.source_stream_name = "events";
        c.source_stream_arn = "arn:aws:kinesis:us-east-1:000000000000:stream/events";
        c.source_role_arn = "arn:aws:iam::000000000000:role/firehose";
        Create(c);
    }

    // Puts data[from, to) to the stream `events`, record i with partition key "key-i".
    void PutToStream(const std::vector<std::string>& data, size_t from, size_t to) {
        std::vector<std::string> keys;
        for (size_t i = from; i < to; ++i) keys.push_back("key-" + std::to_string(i));
        std::vector<stream::RecordInput> inputs;
        for (size_t i = from; i < to; ++i) {
            inputs.push_back({.partition_key = keys[i - from], .data = data[i]});
        }
        std::promise<void> done;
        streams_->PutRecords("events", inputs, [&](Result<stream::PutRecordsResult> r) {
            EXPECT_TRUE(r.ok());
            done.set_value();
        });
        done.get_future().wait();
    }

    FlushResult Flush(const std::string& name) {
        auto flushed = service_->Flush(name, milliseconds(20'000));
        EXPECT_TRUE(flushed.ok()) << flushed.status().ToString();
        return flushed.ok() ? *flushed : FlushResult{};
    }

    // Every object under `prefix`, key -> bytes.
    std::map<std::string, std::string> Objects(const std::string& prefix) {
        std::map<std::string, std::string> out;
        auto page = store_->List(prefix, {});
        EXPECT_TRUE(page.ok());
        for (const auto& o : page->objects) out[o.key] = *store_->Get(o.key);
        return out;
    }

    std::vector<std::string> DeliveredLines(const std::string& prefix) {
        std::vector<std::string> lines;
        for (const auto& [key, data] : Objects(prefix)) {
            for (auto& line : Lines(Gunzip(data))) lines.push_back(std::move(line));
        }
        return lines;
    }

    TempDir tmp_{"delivery-"};
    ManualClock arrival_clock_{Clock::TimePoint(milliseconds(kBeforeHour))};
    std::unique_ptr<stream::StreamService> streams_;
    std::unique_ptr<catalog::Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> store_;
    std::unique_ptr<catalog::LakeCommitter> lake_;
    std::unique_ptr<DeliveryService> service_;
    std::unique_ptr<storage::LocalStore> flaky_inner_;
};

TEST_F(DeliveryServiceTest, DirectPutsLandAsGzipNdjsonInHourPartitionsOfANewTable) {
    Create(DirectPut("clicks"));
    PutBatchResult put = Put("clicks", {R"({"id":1,"page":"/a"})", "{\"id\":2,\n \"page\":\"/b\"}\n"});
    EXPECT_EQ(put.failed_put_count, 0u);
    ASSERT_EQ(put.records.size(), 2u);
    EXPECT_EQ(put.records[0].record_id.size(), 56u);
    FlushResult flushed = Flush("clicks");
    EXPECT_EQ(flushed.records, 2u);
    EXPECT_EQ(flushed.objects, 1u);

    auto objects = Objects("raw/clicks/");
    ASSERT_EQ(objects.size(), 1u);
    const std::string& key = objects.begin()->first;
    EXPECT_TRUE(key.starts_with("raw/clicks/year=2026/month=11/day=26/hour=09/clicks-shardId-000000000000-49"))
        << key;
    EXPECT_TRUE(key.ends_with(".json.gz")) << key;
    const std::string& gz = objects.begin()->second;
    ASSERT_GE(gz.size(), 10u);
    EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0'));  // no mtime: replays are byte-identical
    EXPECT_EQ(Lines(Gunzip(gz)),
              (std::vector<std::string>{R"({"id":1,"page":"/a"})", R"({"id":2,"page":"/b"})"}));

    auto table = catalog_->GetTable("raw", "clicks");
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->location, "raw/clicks/");
    EXPECT_EQ(table->format, catalog::DataFormat::kJson);
    EXPECT_EQ(table->time_partition_source, "arrival_time");
    ASSERT_EQ(table->partition_keys.size(), 4u);
    EXPECT_EQ(table->partition_keys[3].name, "hour");
    ASSERT_EQ(table->columns.size(), 2u);
    EXPECT_EQ(table->columns[0].name, "id");
    EXPECT_EQ(table->columns[0].type, "bigint");
    auto files = catalog_->ListFiles("raw", "clicks");
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ((*files)[0].row_count, std::optional<uint64_t>(2));
    EXPECT_EQ((*files)[0].partition_values,
              (std::vector<std::string>{"2026", "11", "26", "09"}));

    auto status = service_->GetStatus("clicks");
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(status->records_delivered, 2u);
    EXPECT_EQ(status->lag_records, 0u);
    EXPECT_EQ(status->buffered_records, 0u);
}

TEST_F(DeliveryServiceTest, NewFieldsAndWiderTypesEvolveTheTable) {
    Create(DirectPut("clicks"));
    Put("clicks", {R"({"id":1})"});
    Flush("clicks");
    Put("clicks", {R"({"id":1.5,"page":"/a"})"});
    Flush("clicks");
    auto table = catalog_->GetTable("raw", "clicks");
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(table->columns, (std::vector<catalog::Column>{{"id", "double", ""},
                                                            {"page", "string", ""}}));
    EXPECT_EQ(table->schema_version, 2);
    auto versions = catalog_->GetTableVersions("raw", "clicks");
    ASSERT_EQ(versions->size(), 2u);
    const auto& evolved = versions->front().version == 2 ? versions->front() : versions->back();
    EXPECT_EQ(evolved.change,
              "delivery clicks: widened column id bigint -> double; added column page string");
}

TEST_F(DeliveryServiceTest, RecordsEitherSideOfAnHourLandInTheirOwnPartitions) {
    Create(DirectPut("clicks"));
    Put("clicks", {R"({"n":1})"});
    arrival_clock_.Advance(milliseconds(kAfterHour - kBeforeHour));
    Put("clicks", {R"({"n":2})"});
    arrival_clock_.Advance(std::chrono::hours(14));  // 2026-11-27 00:00:00.100
    Put("clicks", {R"({"n":3})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/year=2026/month=11/day=26/hour=09/"),
              (std::vector<std::string>{R"({"n":1})"}));
    EXPECT_EQ(DeliveredLines("raw/clicks/year=2026/month=11/day=26/hour=10/"),
              (std::vector<std::string>{R"({"n":2})"}));
    EXPECT_EQ(DeliveredLines("raw/clicks/year=2026/month=11/day=27/hour=00/"),
              (std::vector<std::string>{R"({"n":3})"}));
    EXPECT_EQ(catalog_->ListPartitions("raw", "clicks")->size(), 3u);
}

TEST_F(DeliveryServiceTest, RecordsThatAreNotJsonObjectsGoToTheErrorOutputWithTheirReason) {
    Create(DirectPut("clicks"));
    Put("clicks", {"not json", "[1,2]", R"({"ok":true})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/"), (std::vector<std::string>{R"({"ok":true})"}));
    auto errors = Objects("errors/clicks/processing-failed/year=2026/month=11/day=26/hour=09/");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_TRUE(errors.begin()->first.ends_with("-processing-failed.json.gz"));
    auto lines = Lines(Gunzip(errors.begin()->second));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find("\"errorMessage\":\"not valid JSON"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\"rawData\":\"" + Base64Encode("not json") + "\""), std::string::npos);
    EXPECT_NE(lines[1].find("not a JSON object"), std::string::npos) << lines[1];
    auto status = service_->GetStatus("clicks");
    ASSERT_EQ(status->error_records.size(), 1u);
    EXPECT_EQ(status->error_records[0], (std::pair<std::string, uint64_t>{"processing-failed", 2}));
}

TEST_F(DeliveryServiceTest, DynamicPartitioningRoutesByKeyAndRecordsWithoutItToErrors) {
    DeliveryStreamConfig c = DirectPut("clicks");
    c.prefix = "raw/clicks/region=!{partitionKeyFromQuery:region}/";
    c.error_output_prefix = "errors/clicks/!{firehose:error-output-type}/";
    c.dynamic_partitioning.enabled = true;
    c.dynamic_partitioning.given = true;
    c.dynamic_partitioning.processing_enabled = true;
    c.dynamic_partitioning.metadata_extraction_query = "{region: .geo.region}";
    c.dynamic_partitioning.json_parsing_engine = "JQ-1.6";
    Create(c);
    Put("clicks", {R"({"geo":{"region":"eu"},"n":1})", R"({"geo":{"region":"us"},"n":2})",
                   R"({"n":3})", R"({"geo":{"region":"eu"},"n":4})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/region=eu/"),
              (std::vector<std::string>{R"({"geo":{"region":"eu"},"n":1})",
                                        R"({"geo":{"region":"eu"},"n":4})"}));
    EXPECT_EQ(DeliveredLines("raw/clicks/region=us/").size(), 1u);
    EXPECT_EQ(Objects("errors/clicks/dynamic-partitioning-failed/").size(), 1u);
    auto table = catalog_->GetTable("raw", "clicks");
    ASSERT_EQ(table->partition_keys.size(), 1u);
    EXPECT_EQ(table->partition_keys[0].name, "region");
    EXPECT_EQ(table->time_partition_source, "");
}

// Firehose's way to partition by event time: dynamic partitioning with strftime on a field. The
// table then records that field as its time partitions' source.
TEST_F(DeliveryServiceTest, PartitionsByAnEventTimeFieldRecordThatFieldInTheTable) {
    DeliveryStreamConfig c = DirectPut("orders");
    c.prefix = "raw/orders/day=!{partitionKeyFromQuery:day}/";
    c.error_output_prefix = "errors/orders/!{firehose:error-output-type}/";
    c.dynamic_partitioning = {.enabled = true,
                              .given = true,
                              .processing_enabled = true,
                              .metadata_extraction_query = R"({day: .ts | strftime("%F")})",
                              .json_parsing_engine = "JQ-1.6"};
    Create(c);
    Put("orders", {R"({"ts":1700000000,"n":1})", R"({"ts":1700100000,"n":2})"});
    Flush("orders");
    EXPECT_EQ(DeliveredLines("raw/orders/day=2023-11-14/").size(), 1u);
    EXPECT_EQ(DeliveredLines("raw/orders/day=2023-11-16/").size(), 1u);
    auto table = catalog_->GetTable("raw", "orders");
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(table->time_partition_source, "ts");
}

TEST_F(DeliveryServiceTest, ABufferIsDeliveredWhenItReachesSizeInMBsAndNeverAbove) {
    DeliveryStreamConfig c = DirectPut("big");
    c.buffering.size_mb = 1;
    Create(c);
    const std::string record = "{\"pad\":\"" + std::string(100'000, 'x') + "\"}";
    for (int i = 0; i < 25; ++i) Put("big", {record});  // 2.5 MB
    // No flush: two full buffers must be delivered on their own.
    for (int i = 0; i < 2000 && service_->GetStatus("big")->objects_written < 2; ++i) {
        std::this_thread::sleep_for(milliseconds(10));
    }
    EXPECT_EQ(service_->GetStatus("big")->objects_written, 2u);
    for (const auto& [key, data] : Objects("raw/big/")) {
        EXPECT_LE(Gunzip(data).size(), size_t{1} << 20) << key;
        EXPECT_EQ(Lines(Gunzip(data)).size(), 10u) << key;  // 10 x 100 KB fit in 1 MiB
    }
    Flush("big");
    EXPECT_EQ(DeliveredLines("raw/big/").size(), 25u);
}

TEST_F(DeliveryServiceTest, WithIntervalZeroRecordsAreDeliveredWithoutAFlush) {
    DeliveryStreamConfig c = DirectPut("fresh");
    c.buffering.interval_seconds = 0;
    Create(c);
    Put("fresh", {R"({"n":1})"});
    for (int i = 0; i < 2000 && service_->GetStatus("fresh")->records_delivered < 1; ++i) {
        std::this_thread::sleep_for(milliseconds(5));
    }
    EXPECT_EQ(DeliveredLines("raw/fresh/").size(), 1u);
}

TEST_F(DeliveryServiceTest, AStreamSourceIsDeliveredFromEveryShard) {
    CreateStreamSource(2);
    std::vector<std::string> data;
    for (int i = 0; i < 200; ++i) data.push_back("{\"i\":" + std::to_string(i) + "}");
    PutToStream(data, 0, 200);
    EXPECT_EQ(Flush("events").records, 200u);
    auto lines = DeliveredLines("raw/events/");
    EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()),
              std::set<std::string>(data.begin(), data.end()));
    EXPECT_EQ(lines.size(), 200u);
    EXPECT_EQ(Objects("raw/events/").size(), 2u);  // one per shard
    EXPECT_EQ(service_->Create(*service_->Describe("events")).status().code(),
              StatusCode::kAlreadyExists);
}

TEST_F(DeliveryServiceTest, ParquetConversionUsesTheCatalogTableAndRejectsWhatDoesNotConvert) {
    ASSERT_TRUE(catalog_->CreateDatabase({.name = "processed"}).ok());
    catalog::Table typed{.database = "processed",
                         .name = "clicks",
                         .location = "processed/clicks/",
                         .format = catalog::DataFormat::kParquet,
                         .columns = {{"id", "bigint", ""}, {"page", "string", ""}},
                         .partition_keys = {{"dt", "string", ""}}};
    ASSERT_TRUE(catalog_->CreateTable(typed).ok());
    {
        // A Prefix whose folders do not match the table's partition keys is refused up front.
        DeliveryStreamConfig wrong = DirectPut("wrong");
        wrong.compression = CompressionFormat::kUncompressed;
        wrong.prefix = "processed/clicks/";
        wrong.error_output_prefix = "errors/wrong/";
        wrong.data_format_conversion = {.enabled = true,
                                        .given = true,
                                        .database_name = "processed",
                                        .table_name = "clicks"};
        auto refused = service_->Create(wrong);
        EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(refused.status().message().find("partition keys (dt)"), std::string::npos)
            << refused.status().ToString();
    }
    DeliveryStreamConfig c = DirectPut("typed");
    c.compression = CompressionFormat::kUncompressed;
    c.prefix = "processed/clicks/dt=!{timestamp:yyyy-MM-dd}/";
    c.error_output_prefix = "errors/typed/!{firehose:error-output-type}/";
    c.data_format_conversion = {.enabled = true,
                                .given = true,
                                .database_name = "processed",
                                .table_name = "clicks"};
    Create(c);
    Put("typed", {R"({"id":1,"page":"/a"})", R"({"id":"not a number","page":"/b"})",
                  R"({"id":3,"extra":true})"});
    Flush("typed");
    auto objects = Objects("processed/clicks/dt=2026-11-26/");
    ASSERT_EQ(objects.size(), 1u);
    EXPECT_TRUE(objects.begin()->first.ends_with(".parquet"));
    auto reader = format::ParquetReader::Open(store_.get(), objects.begin()->first);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->metadata().num_rows, 2);
    auto errors = Objects("errors/typed/format-conversion-failed/");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(Lines(errors.begin()->second).size(), 1u);
    EXPECT_EQ(catalog_->ListFiles("processed", "clicks")->size(), 1u);
}

TEST_F(DeliveryServiceTest, ADestinationUpdateAppliesFromTheNextRange) {
    Create(DirectPut("clicks"));
    Put("clicks", {R"({"v":1})"});
    Flush("clicks");
    ASSERT_TRUE(service_->Update("clicks", [](DeliveryStreamConfig& c) {
        c.prefix = "raw/clicks/v=2/";
        c.error_output_prefix = "errors/clicks/";
        return Status::Ok();
    }).ok());
    Put("clicks", {R"({"v":2})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/v=2/"), (std::vector<std::string>{R"({"v":2})"}));
    EXPECT_EQ(DeliveredLines("raw/clicks/year=2026/").size(), 1u);
}

TEST_F(DeliveryServiceTest, ARestartResumesAfterTheCheckpointAndADeleteForgetsEverything) {
    Create(DirectPut("clicks"));
    Put("clicks", {R"({"n":1})"});
    Flush("clicks");
    Close();
    Open();
    ASSERT_EQ(service_->List(std::nullopt, "", 10), (std::vector<std::string>{"clicks"}));
    Put("clicks", {R"({"n":2})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/").size(), 2u);

    ASSERT_TRUE(service_->Delete("clicks").ok());
    EXPECT_EQ(service_->Describe("clicks").status().code(), StatusCode::kNotFound);
    arrival_clock_.Advance(milliseconds(5));  // the new internal stream has a new epoch
    Create(DirectPut("clicks"));
    Put("clicks", {R"({"n":3})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/").size(), 3u);  // the new stream starts afresh
}

TEST_F(DeliveryServiceTest, KplAggregatesAreDeliveredAsTheirUserRecords) {
    Create(DirectPut("kpl"));
    const std::string aggregate = Aggregate({{"pk1", "", R"({"u":1})"},
                                             {"pk2", "", R"({"u":2})"},
                                             {"pk1", "", R"({"u":3})"}});
    Put("kpl", {aggregate, R"({"u":4})"});
    EXPECT_EQ(Flush("kpl").records, 2u);  // source records
    EXPECT_EQ(DeliveredLines("raw/kpl/"),
              (std::vector<std::string>{R"({"u":1})", R"({"u":2})", R"({"u":3})", R"({"u":4})"}));
    EXPECT_EQ(service_->GetStatus("kpl")->records_delivered, 4u);
}

TEST_F(DeliveryServiceTest, AfterASplitTheChildrenAreDeliveredOnceTheParentIs) {
    CreateStreamSource(1);
    std::vector<std::string> data;
    for (int i = 0; i < 100; ++i) data.push_back("{\"i\":" + std::to_string(i) + "}");
    PutToStream(data, 0, 50);
    ASSERT_TRUE(streams_->SplitShard("events", "shardId-000000000000",
                                     "170141183460469231731687303715884105728")
                    .ok());
    streams_->WaitForTransitions();
    PutToStream(data, 50, 100);
    EXPECT_EQ(Flush("events").records, 100u);
    auto lines = DeliveredLines("raw/events/");
    EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()),
              std::set<std::string>(data.begin(), data.end()));
    EXPECT_EQ(lines.size(), 100u);
    std::set<std::string> shards;
    for (const auto& [key, bytes] : Objects("raw/events/")) {
        shards.insert(key.substr(key.find("shardId-"), 20));
    }
    EXPECT_EQ(shards, (std::set<std::string>{"shardId-000000000000", "shardId-000000000001",
                                             "shardId-000000000002"}));
}

// Forwards every call to another store; tests override Put to fail or crash.
class ForwardingStore : public storage::ObjectStore {
public:
    explicit ForwardingStore(storage::ObjectStore* inner) : inner_(inner) {}
    Status Put(std::string_view key, std::string_view data) override {
        return inner_->Put(key, data);
    }
    Result<std::unique_ptr<storage::ObjectWriter>> OpenWriter(std::string_view key) override {
        return inner_->OpenWriter(key);
    }
    Result<std::string> Get(std::string_view key) override { return inner_->Get(key); }
    Result<std::string> GetRange(std::string_view key, uint64_t offset, uint64_t length) override {
        return inner_->GetRange(key, offset, length);
    }
    Result<uint64_t> GetRangeInto(std::string_view key, uint64_t offset, uint64_t length,
                                  char* dest) override {
        return inner_->GetRangeInto(key, offset, length, dest);
    }
    Result<storage::ObjectInfo> Head(std::string_view key) override { return inner_->Head(key); }
    Result<storage::ListPage> List(std::string_view prefix,
                                   const storage::ListOptions& options) override {
        return inner_->List(prefix, options);
    }
    Status Delete(std::string_view key) override { return inner_->Delete(key); }

protected:
    storage::ObjectStore* inner_;
};

// Ends the process right after writing a key with `marker` in it.
class CrashingStore final : public ForwardingStore {
public:
    CrashingStore(storage::ObjectStore* inner, std::string marker)
        : ForwardingStore(inner), marker_(std::move(marker)) {}
    Status Put(std::string_view key, std::string_view data) override {
        Status s = inner_->Put(key, data);
        if (key.find(marker_) != std::string_view::npos) _exit(3);
        return s;
    }

private:
    std::string marker_;
};

// A delivery killed after writing its objects but before committing them: on restart the open
// intent is replayed into byte-identical objects and committed once.
TEST_F(DeliveryServiceTest, AnIntentLeftOpenByACrashIsReplayedToTheSameBytes) {
    Create(DirectPut("clicks"));
    arrival_clock_.Advance(milliseconds(kAfterHour - kBeforeHour));
    Put("clicks", {R"({"n":1})", "oops", R"({"n":2})"});
    Close();
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The error object is the last one a range writes: the child dies right after it.
        auto store = storage::LocalStore::Open(tmp_.path() + "/lake");
        if (!store.ok()) _exit(5);
        CrashingStore crashing(store->get(), "processing-failed");
        Open(&crashing);
        (void)service_->Flush("clicks", milliseconds(20'000));
        _exit(4);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 3);

    // What the crashed attempt left: its objects, an open intent, no file in the catalog.
    {
        auto catalog = catalog::Catalog::Open(tmp_.path() + "/catalog.db");
        ASSERT_TRUE(catalog.ok());
        auto intents = (*catalog)->ListIntents();
        ASSERT_EQ(intents->size(), 1u);
        EXPECT_EQ((*intents)[0].owner, "delivery/clicks");
        EXPECT_EQ((*intents)[0].keys.size(), 2u);
    }
    auto store = storage::LocalStore::Open(tmp_.path() + "/lake");
    ASSERT_TRUE(store.ok());
    std::map<std::string, std::string> orphans;
    auto listed = (*store)->List("", {});
    ASSERT_TRUE(listed.ok());
    for (const auto& o : listed->objects) orphans[o.key] = *(*store)->Get(o.key);
    ASSERT_EQ(orphans.size(), 2u);

    Open();  // replays the intent
    Flush("clicks");
    EXPECT_EQ(Objects(""), orphans);  // the same keys with the same bytes
    EXPECT_TRUE(catalog_->ListIntents()->empty());
    auto files = catalog_->ListFiles("raw", "clicks");
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ((*files)[0].row_count, std::optional<uint64_t>(2));
    EXPECT_EQ(service_->GetStatus("clicks")->records_delivered, 2u);
    // Nothing is delivered twice afterwards.
    Put("clicks", {R"({"n":3})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/").size(), 3u);
}

// Fails every Put while `failing` is set.
class FlakyStore final : public ForwardingStore {
public:
    using ForwardingStore::ForwardingStore;
    std::atomic<bool> failing{false};
    Status Put(std::string_view key, std::string_view data) override {
        if (failing.load()) return Status::ResourceExhausted("no space left on device (test)");
        return inner_->Put(key, data);
    }
};

// A lake that refuses writes (disk full): the delivery retries, keeps its checkpoint, reports
// the lag and the reason; once writes work again everything is delivered once.
TEST_F(DeliveryServiceTest, WriteFailuresAreRetriedWithoutLosingOrDuplicatingRecords) {
    Close();
    {
        auto store = storage::LocalStore::Open(tmp_.path() + "/lake");
        ASSERT_TRUE(store.ok());
        flaky_inner_ = std::move(*store);
    }
    FlakyStore flaky(flaky_inner_.get());
    Open(&flaky);
    Create(DirectPut("clicks"));
    flaky.failing = true;
    Put("clicks", {R"({"n":1})", R"({"n":2})"});
    auto failed = service_->Flush("clicks", milliseconds(300));
    EXPECT_EQ(failed.status().code(), StatusCode::kExpired);
    EXPECT_NE(failed.status().message().find("no space left"), std::string::npos)
        << failed.status().ToString();
    auto status = service_->GetStatus("clicks");
    EXPECT_EQ(status->lag_records, 2u);
    EXPECT_NE(status->last_error.find("no space left"), std::string::npos);
    EXPECT_TRUE(catalog_->ListFiles("raw", "clicks")->empty());
    flaky.failing = false;
    Put("clicks", {R"({"n":3})"});
    Flush("clicks");
    EXPECT_EQ(DeliveredLines("raw/clicks/").size(), 3u);
    EXPECT_EQ(service_->GetStatus("clicks")->last_error, "");
    EXPECT_EQ(service_->GetStatus("clicks")->lag_records, 0u);
    Close();
}

}  // namespace
}  // namespace tarn::delivery
