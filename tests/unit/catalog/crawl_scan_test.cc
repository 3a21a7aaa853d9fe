// The crawler's scan over real files in a LocalStore: naming, grouping, partitions, formats,
// schema merging, skipped and unreadable files, incremental crawls and paged listings.
#include "catalog/crawl_scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/crawl_internal.h"
#include "columnar/type_parser.h"
#include "format/gzip_stream.h"
#include "format/ndjson_reader.h"
#include "format/parquet_writer.h"
#include "storage/local_store.h"
#include "testing/temp_dir.h"

namespace tarn::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Counts the reads of each key and the List calls; can make List fail.
class CountingStore final : public storage::ObjectStore {
public:
    explicit CountingStore(storage::ObjectStore& inner) : inner_(inner) {}

    Status Put(std::string_view key, std::string_view data) override {
        return inner_.Put(key, data);
    }
    Result<std::unique_ptr<storage::ObjectWriter>> OpenWriter(std::string_view key) override {
        return inner_.OpenWriter(key);
    }
    Result<std::string> Get(std::string_view key) override {
        if (Denied(key)) return Denial(key);
        Result<std::string> r = inner_.Get(key);
        Count(key, r.ok() ? r->size() : 0);
        return r;
    }
    Result<std::string> GetRange(std::string_view key, uint64_t offset, uint64_t length) override {
        if (Denied(key)) return Denial(key);
        Result<std::string> r = inner_.GetRange(key, offset, length);
        Count(key, r.ok() ? r->size() : 0);
        return r;
    }
    Result<uint64_t> GetRangeInto(std::string_view key, uint64_t offset, uint64_t length,
                                  char* dest) override {
        if (Denied(key)) return Denial(key);
        Result<uint64_t> r = inner_.GetRangeInto(key, offset, length, dest);
        Count(key, r.ok() ? *r : 0);
        return r;
    }
    Result<storage::ObjectInfo> Head(std::string_view key) override {
        if (Denied(key)) return Denial(key);
        Count(key, 0);
        return inner_.Head(key);
    }
    Result<storage::ListPage> List(std::string_view prefix,
                                   const storage::ListOptions& options) override {
        ++lists;
        if (fail_list) return Status::IOError("list " + std::string(prefix) + ": injected");
        return inner_.List(prefix, options);
    }
    Status Delete(std::string_view key) override { return inner_.Delete(key); }

    // Reads of keys starting with `prefix`.
    int ReadsUnder(std::string_view prefix) {
        std::lock_guard<std::mutex> lock(mu_);
        int n = 0;
        for (const auto& [key, count] : reads_) {
            if (key.starts_with(prefix)) n += count;
        }
        return n;
    }
    uint64_t BytesRead(const std::string& key) {
        std::lock_guard<std::mutex> lock(mu_);
        return bytes_[key];
    }

    std::atomic<int> lists{0};
    bool fail_list = false;
    std::string deny_prefix;  // reads of keys starting with it are PermissionDenied

private:
    bool Denied(std::string_view key) const {
        return !deny_prefix.empty() && key.starts_with(deny_prefix);
    }
    static Status Denial(std::string_view key) {
        return Status::PermissionDenied("get " + std::string(key) + ": access denied");
    }
    void Count(std::string_view key, uint64_t bytes) {
        std::lock_guard<std::mutex> lock(mu_);
        ++reads_[std::string(key)];
        bytes_[std::string(key)] += bytes;
    }

    storage::ObjectStore& inner_;
    std::mutex mu_;
    std::map<std::string, int> reads_;
    std::map<std::string, uint64_t> bytes_;
};

std::string Gzip(std::string_view text) {
    auto deflater = format::GzipDeflater::Open();
    EXPECT_TRUE(deflater.ok());
    std::string out;
    EXPECT_TRUE((*deflater)->Compress(text, &out).ok());
    EXPECT_TRUE((*deflater)->Finish(&out).ok());
    return out;
}

class CrawlScanTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto store = storage::LocalStore::Open(dir_.path() + "/lake");
        ASSERT_TRUE(store.ok()) << store.status().ToString();
        store_ = std::move(*store);
    }

    void Put(const std::string& key, std::string_view data) {
        ASSERT_TRUE(store_->Put(key, data).ok()) << key;
    }

    // A Parquet file of `schema` (tarn's schema text) holding the NDJSON `rows`.
    void PutParquet(const std::string& key, std::string_view schema_text, std::string_view rows,
                    format::CompressionCodec codec = format::CompressionCodec::kSnappy) {
        auto schema = columnar::ParseSchema(schema_text);
        ASSERT_TRUE(schema.ok()) << schema.status().ToString();
        auto reader = format::NdjsonReader::Open(rows, key, *schema);
        ASSERT_TRUE(reader.ok()) << reader.status().ToString();
        auto object = store_->OpenWriter(key);
        ASSERT_TRUE(object.ok());
        format::ParquetWriterOptions options;
        options.codec = codec;
        auto writer = format::ParquetWriter::Open(object->get(), (*reader)->schema(), options);
        ASSERT_TRUE(writer.ok()) << writer.status().ToString();
        columnar::RecordBatch batch = (*reader)->NewBatch();
        while (true) {
            Result<bool> more = (*reader)->Next(&batch);
            ASSERT_TRUE(more.ok());
            if (!*more) break;
            ASSERT_TRUE((*writer)->Write(batch).ok());
        }
        ASSERT_TRUE((*writer)->Close().ok());
        ASSERT_TRUE((*object)->Commit().ok());
    }

    ScanResult MustScan(std::string_view target, const ScanOptions& options = {}) {
        return MustScanStore(*store_, target, options);
    }
    static ScanResult MustScanStore(storage::ObjectStore& store, std::string_view target,
                                    const ScanOptions& options = {}) {
        Result<ScanResult> r = ScanTarget(store, target, options);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return r.ok() ? std::move(*r) : ScanResult{};
    }

    testing::TempDir dir_{"crawl_scan_test"};
    std::unique_ptr<storage::LocalStore> store_;
};

std::map<std::string, std::string> TypesOf(const ScannedDataset& d) {
    std::map<std::string, std::string> out;
    for (const Column& c : d.columns) out[c.name] = c.type;
    return out;
}

std::vector<std::string> NamesOf(const std::vector<Column>& columns) {
    std::vector<std::string> out;
    for (const Column& c : columns) out.push_back(c.name);
    return out;
}

std::vector<std::string> ErrorKeys(const ScanResult& r) {
    std::vector<std::string> out;
    for (const FileError& e : r.errors) out.push_back(e.key);
    return out;
}

TEST_F(CrawlScanTest, ManyHivePartitionsAndExtraFieldsMakeOneTable) {
    for (int day = 1; day <= 6; ++day) {
        const std::string folder = "raw/events/year=2026/month=01/day=0" + std::to_string(day);
        std::string rows = R"({"user":"u1","n":1})"
                           "\n"
                           R"({"user":"u2","n":2})"
                           "\n";
        if (day == 4)
            rows += R"({"user":"u3","n":3,"Extra":true})"
                    "\n";
        Put(folder + "/part-0.json", rows);
        Put(folder + "/part-1.json", rows);
    }
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_EQ(d.database, "raw");
    EXPECT_EQ(d.table, "events");
    EXPECT_EQ(d.location, "raw/events/");
    EXPECT_EQ(d.format, DataFormat::kJson);
    EXPECT_EQ(d.compression, "none");
    EXPECT_THAT(NamesOf(d.columns), ElementsAre("user", "n", "extra"));
    EXPECT_EQ(TypesOf(d)["n"], "bigint");
    EXPECT_EQ(TypesOf(d)["extra"], "boolean");
    EXPECT_THAT(NamesOf(d.partition_keys), ElementsAre("year", "month", "day"));
    for (const Column& k : d.partition_keys) EXPECT_EQ(k.type, "string");
    ASSERT_EQ(d.partitions.size(), 6u);
    EXPECT_THAT(d.partitions[0].values, ElementsAre("2026", "01", "01"));
    EXPECT_EQ(d.partitions[0].location, "raw/events/year=2026/month=01/day=01/");
    EXPECT_THAT(d.partitions[5].values, ElementsAre("2026", "01", "06"));
    EXPECT_EQ(d.partitions[0].files.size(), 2u);
    EXPECT_EQ(d.new_partition_locations.size(), 6u);
    EXPECT_EQ(r.files_read, 12u);
    EXPECT_TRUE(r.errors.empty());
}

TEST_F(CrawlScanTest, FoldersThatAreNotHiveGetPartitionN) {
    Put("raw/logs/2026/01/a.json", R"({"a":1})");
    Put("raw/logs/2026/02/a.json", R"({"a":1})");
    Put("raw/logs/2025/12/a.json", R"({"a":1})");
    ScanResult r = MustScan("raw/logs/");
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_THAT(NamesOf(d.partition_keys), ElementsAre("partition_0", "partition_1"));
    ASSERT_EQ(d.partitions.size(), 3u);
    EXPECT_THAT(d.partitions[0].values, ElementsAre("2025", "12"));
    EXPECT_EQ(d.partitions[0].location, "raw/logs/2025/12/");
}

TEST_F(CrawlScanTest, HiveKeysAtSomeLevelsOnly) {
    Put("raw/logs/dt=2026-01-01%3A00/eu/a.json", R"({"a":1})");
    Put("raw/logs/dt=2026-01-02/us/a.json", R"({"a":1})");
    ScanResult r = MustScan("raw/logs");
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_THAT(NamesOf(d.partition_keys), ElementsAre("dt", "partition_1"));
    ASSERT_EQ(d.partitions.size(), 2u);
    EXPECT_THAT(d.partitions[0].values, ElementsAre("2026-01-01:00", "eu"));
    EXPECT_EQ(d.partitions[0].location, "raw/logs/dt=2026-01-01%3A00/eu/");
}

TEST_F(CrawlScanTest, UnpartitionedDatasetHasOnePartitionWithoutValues) {
    Put("curated/Daily-Users/a.json", R"({"a":1})");
    Put("curated/Daily-Users/b.json", R"({"a":2})");
    ScanResult r = MustScan("curated/");
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_EQ(d.table, "daily_users");
    EXPECT_TRUE(d.partition_keys.empty());
    ASSERT_EQ(d.partitions.size(), 1u);
    EXPECT_TRUE(d.partitions[0].values.empty());
    EXPECT_EQ(d.partitions[0].location, "curated/Daily-Users/");
    EXPECT_EQ(d.partitions[0].files.size(), 2u);
}

TEST_F(CrawlScanTest, FileAtAnotherDepthIsAnErrorNotANewTable) {
    Put("raw/events/year=2026/month=01/a.json", R"({"a":1})");
    Put("raw/events/year=2026/month=02/a.json", R"({"a":1})");
    Put("raw/events/year=2026/stray.json", R"({"b":1})");
    Put("raw/events/loose.json", R"({"c":1})");
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a"));
    EXPECT_EQ(r.datasets[0].partitions.size(), 2u);
    EXPECT_THAT(ErrorKeys(r),
                ElementsAre("raw/events/loose.json", "raw/events/year=2026/stray.json"));
    EXPECT_THAT(r.errors[1].reason, HasSubstr("depth 1"));
    EXPECT_THAT(r.errors[1].reason, HasSubstr("depth 2"));
}

TEST_F(CrawlScanTest, IntegersWidenToDoubleAndObjectsAreStructs) {
    Put("raw/m/a.json", R"({"v":1,"device":{"os":"ios","ver":17},"tags":["a"]})");
    Put("raw/m/b.json",
        R"({"v":2.5,"device":{"os":"android","beta":true},"ts":"2026-01-01T00:00:00Z"})");
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    auto types = TypesOf(r.datasets[0]);
    EXPECT_EQ(types["v"], "double");
    EXPECT_EQ(types["device"], "struct<os:string,ver:bigint,beta:boolean>");
    EXPECT_EQ(types["tags"], "array<string>");
    EXPECT_EQ(types["ts"], "timestamp");
    for (const Column& c : r.datasets[0].columns) {
        EXPECT_TRUE(columnar::ParseDataType(c.type).ok()) << c.type;
    }
}

TEST_F(CrawlScanTest, ConcatenatedJsonObjectsWithoutNewlines) {
    Put("raw/fh/a", R"({"a":1}{"a":2,"b":"x"}{"a":3})");
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].format, DataFormat::kJson);
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a", "b"));
}

TEST_F(CrawlScanTest, ParquetSchemaRowCountsAndCodec) {
    PutParquet("processed/t/dt=1/part-0.parquet", "id: INT32, name: VARCHAR, price: DECIMAL(10,2)",
               R"({"id":1,"name":"a","price":"1.25"})"
               "\n"
               R"({"id":2,"name":"b","price":"2"})");
    PutParquet("processed/t/dt=2/part-0.parquet",
               "id: INT64, name: VARCHAR, price: DECIMAL(12,4), at: TIMESTAMP, "
               "loc: STRUCT<lat: DOUBLE, lon: DOUBLE>",
               R"({"id":3,"name":"c","price":"3","at":"2026-01-01T00:00:00Z"})");
    ScanResult r = MustScan("processed/t/");
    ASSERT_EQ(r.datasets.size(), 1u) << (r.errors.empty() ? "" : r.errors[0].reason);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_EQ(d.format, DataFormat::kParquet);
    EXPECT_EQ(d.compression, "snappy");
    EXPECT_THAT(NamesOf(d.columns), ElementsAre("id", "name", "price", "at", "loc"));
    auto types = TypesOf(d);
    EXPECT_EQ(types["id"], "bigint");
    EXPECT_EQ(types["name"], "string");
    EXPECT_EQ(types["price"], "decimal(12,4)");
    EXPECT_EQ(types["at"], "timestamp");
    EXPECT_EQ(types["loc"], "struct<lat:double,lon:double>");
    ASSERT_EQ(d.partitions.size(), 2u);
    EXPECT_EQ(d.partitions[0].files[0].row_count, 2u);
    EXPECT_EQ(d.partitions[1].files[0].row_count, 1u);
    EXPECT_TRUE(r.errors.empty());
}

TEST_F(CrawlScanTest, ParquetCodecsAndConflictingTypes) {
    PutParquet("processed/z/a.parquet", "x: INT32, y: DATE, f: FLOAT",
               R"({"x":1,"y":"2026-01-01","f":1})", format::CompressionCodec::kZstd);
    PutParquet("processed/z/b.parquet", "x: VARCHAR, y: TIMESTAMP, f: INT64", R"({"x":"q"})",
               format::CompressionCodec::kZstd);
    ScanResult r = MustScan("processed/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].compression, "zstd");
    auto types = TypesOf(r.datasets[0]);
    EXPECT_EQ(types["x"], "string");
    EXPECT_EQ(types["y"], "timestamp");
    EXPECT_EQ(types["f"], "double");
}

TEST_F(CrawlScanTest, CsvWithHeaderAndSemicolons) {
    Put("raw/sales/a.csv", "id;amount;city\n1;2.5;Oslo\n2;3;Bergen\n");
    Put("raw/sales/b.csv", "id;amount;city;note\n3;4;Oslo;x\n");
    ScanResult r = MustScan("raw/sales/");
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_EQ(d.format, DataFormat::kCsv);
    EXPECT_EQ(d.csv_delimiter, ';');
    EXPECT_TRUE(d.csv_header);
    EXPECT_THAT(NamesOf(d.columns), ElementsAre("id", "amount", "city", "note"));
    auto types = TypesOf(d);
    EXPECT_EQ(types["id"], "bigint");
    EXPECT_EQ(types["amount"], "double");
    EXPECT_EQ(types["city"], "string");
}

TEST_F(CrawlScanTest, TsvAndGzippedCsv) {
    Put("raw/tsv/a.tsv", "a\tb\n1\tx\n");
    Put("raw/gzcsv/a.csv.gz", Gzip("a|b\n1|x\n2|y\n"));
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 2u);
    EXPECT_EQ(r.datasets[0].table, "gzcsv");
    EXPECT_EQ(r.datasets[0].csv_delimiter, '|');
    EXPECT_EQ(r.datasets[0].compression, "gzip");
    EXPECT_EQ(r.datasets[1].csv_delimiter, '\t');
    EXPECT_EQ(TypesOf(r.datasets[1])["a"], "bigint");
}

TEST_F(CrawlScanTest, GzipJsonIsSampledFromItsPrefixOnly) {
    std::string text;
    for (int i = 0; i < 20000; ++i) {
        text += R"({"i":)" + std::to_string(i) + R"(,"s":"row )" + std::to_string(i * 7919) +
                R"(","pad":")" + std::string(i % 50, 'a' + i % 26) + "\"}\n";
    }
    // Past the sample: a field that would change the type, which the sample must not see.
    text += R"({"i":"not a number"})"
            "\n";
    const std::string gz = Gzip(text);
    Put("raw/big/year=2026/a.json.gz", gz);
    CountingStore counting(*store_);
    ScanOptions options;
    options.sample_bytes = 16 << 10;
    ScanResult r = MustScanStore(counting, "raw/", options);
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].compression, "gzip");
    EXPECT_EQ(TypesOf(r.datasets[0])["i"], "bigint");
    EXPECT_LT(counting.BytesRead("raw/big/year=2026/a.json.gz"), gz.size());
}

TEST_F(CrawlScanTest, SkipsMarkersHiddenAndEmptyFiles) {
    Put("raw/events/dt=1/a.json", R"({"a":1})");
    Put("raw/events/dt=1/_SUCCESS", "x");
    Put("raw/events/_SUCCESS", "");
    Put("raw/events/dt=1/.a.json.crc", "crc");
    Put("raw/events/_delta_log/0.json", R"({"commitInfo":{}})");
    Put("raw/events/dt=1/empty.json", "");
    Put("raw/_staging/x/a.json", R"({"z":1})");
    // A temporary LocalStore left behind (never listed) and the zones tarn writes itself.
    std::filesystem::create_directories(dir_.path() + "/lake/raw/events/dt=2");
    std::ofstream(dir_.path() + "/lake/raw/events/dt=2/.tarn-tmp-abc-1") << R"({"t":1})";
    Put("errors/delivery/kind/a.json", R"({"e":1})");
    Put("athena-results/q.csv", "a\n1\n");
    ScanResult r = MustScan("");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].table, "events");
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a"));
    ASSERT_EQ(r.datasets[0].partitions.size(), 1u);
    EXPECT_EQ(r.datasets[0].partitions[0].files.size(), 1u);
    EXPECT_EQ(r.files_read, 1u);
    EXPECT_TRUE(r.errors.empty()) << r.errors[0].key << ": " << r.errors[0].reason;
}

TEST_F(CrawlScanTest, ExclusionsAreGlobsRelativeToTheTarget) {
    Put("raw/events/dt=1/a.json", R"({"a":1})");
    Put("raw/events/dt=1/a.json.crc", "crc");
    Put("raw/events/dt=1/tmp/b.json", R"({"b":1})");
    Put("raw/other/a.json", R"({"o":1})");
    ScanOptions options;
    options.exclusions = {"*.crc", "**/tmp/**", "other/**"};
    ScanResult r = MustScan("raw/", options);
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].table, "events");
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.files_read, 1u);
}

TEST_F(CrawlScanTest, UnreadableFilesAreReportedAndTheRestIsScanned) {
    Put("processed/p/a.parquet", "");  // empty: skipped, not an error
    PutParquet("processed/p/good.parquet", "a: INT64", R"({"a":1})");
    Put("processed/p/corrupt.parquet", std::string("PAR1") + std::string(100, 'x') + "PAR1");
    Put("raw/j/good.json.gz", Gzip(R"({"a":1})"
                                   "\n"));
    std::string bad = Gzip(R"({"a":1})"
                           "\n");
    bad[bad.size() / 2] ^= 0x55;
    bad[bad.size() / 2 + 1] ^= 0x55;
    Put("raw/j/bad.json.gz", bad);
    Put("raw/j/truncated.json.gz", Gzip(std::string(5000, ' ') + R"({"a":1})").substr(0, 12));
    Put("raw/j/garbage.json", "this is not json\nnor this\n");
    ScanResult r = MustScan("");
    ASSERT_EQ(r.datasets.size(), 2u);
    EXPECT_EQ(r.datasets[0].table, "p");
    EXPECT_EQ(r.datasets[0].partitions[0].files.size(), 1u);
    EXPECT_EQ(r.datasets[1].table, "j");
    EXPECT_EQ(r.datasets[1].partitions[0].files.size(), 1u);
    EXPECT_THAT(ErrorKeys(r), ElementsAre("processed/p/corrupt.parquet", "raw/j/bad.json.gz",
                                          "raw/j/garbage.json", "raw/j/truncated.json.gz"));
    EXPECT_THAT(r.errors[2].reason, HasSubstr("not JSON"));
    EXPECT_THAT(r.errors[3].reason, HasSubstr("truncated gzip"));
    for (const FileError& e : r.errors) {
        EXPECT_EQ(e.reason.find('\n'), std::string::npos) << e.reason;
    }
}

TEST_F(CrawlScanTest, UnrecognisedContentIsReported) {
    Put("raw/u/good.json", R"({"a":1})");
    Put("raw/u/array.json", R"([{"a":1},{"a":2}])");
    const char kImage[] = "\x89PNG\r\n\x1a\n\xff\xfe\xfd,\xfc\xfb\xfa\xf9\xf8";
    Put("raw/u/image", std::string(kImage, sizeof(kImage) - 1));
    Put("raw/u/notes", "just words\nand more words\n");
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].format, DataFormat::kJson);
    EXPECT_THAT(ErrorKeys(r), ElementsAre("raw/u/array.json", "raw/u/image", "raw/u/notes"));
    EXPECT_THAT(r.errors[0].reason, HasSubstr("JSON array"));
    EXPECT_THAT(r.errors[1].reason, HasSubstr("binary"));
    EXPECT_THAT(r.errors[2].reason, HasSubstr("unrecognised format"));
}

TEST_F(CrawlScanTest, ConcatenatedGzipMembers) {
    Put("raw/g/a.json.gz", Gzip(R"({"a":1})"
                                "\n") +
                               Gzip(R"({"b":"x"})"
                                    "\n"));
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a", "b"));
    EXPECT_TRUE(r.errors.empty());
}

TEST_F(CrawlScanTest, ReadErrorsAreFileErrors) {
    Put("raw/p/a.json", R"({"a":1})");
    Put("raw/p/secret.json", R"({"s":1})");
    PutParquet("raw/q/secret.parquet", "a: INT64", R"({"a":1})");
    CountingStore denying(*store_);
    denying.deny_prefix = "raw/p/secret";
    ScanResult r = MustScanStore(denying, "raw/p/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a"));
    denying.deny_prefix = "raw/q/secret";
    ScanResult q = MustScanStore(denying, "raw/q/");
    EXPECT_TRUE(q.datasets.empty());
    EXPECT_THAT(ErrorKeys(q), ElementsAre("raw/q/secret.parquet"));
    EXPECT_THAT(ErrorKeys(r), ElementsAre("raw/p/secret.json"));
    EXPECT_THAT(r.errors[0].reason, HasSubstr("PermissionDenied"));
}

TEST_F(CrawlScanTest, MixedFormatsTakeTheMajority) {
    Put("raw/mix/a.json", R"({"a":1})");
    Put("raw/mix/b.json", R"({"a":2})");
    Put("raw/mix/c.csv", "x,y\n1,2\n");
    ScanResult r = MustScan("raw/");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_EQ(r.datasets[0].format, DataFormat::kJson);
    EXPECT_THAT(NamesOf(r.datasets[0].columns), ElementsAre("a"));
    EXPECT_THAT(ErrorKeys(r), ElementsAre("raw/mix/c.csv"));
    EXPECT_THAT(r.errors[0].reason, HasSubstr("csv file in a dataset of json files"));
}

TEST_F(CrawlScanTest, IncrementalCrawlDoesNotReadKnownPartitions) {
    for (int h = 0; h < 4; ++h) {
        Put("raw/e/hour=0" + std::to_string(h) + "/a.json", R"({"a":1})");
        Put("raw/e/hour=0" + std::to_string(h) + "/b.json", R"({"a":2})");
    }
    CountingStore counting(*store_);
    ScanOptions options;
    options.known_partition_locations = {"raw/e/hour=00/", "raw/e/hour=01/"};
    ScanResult r = MustScanStore(counting, "raw/e/", options);
    EXPECT_EQ(counting.ReadsUnder("raw/e/hour=00/"), 0);
    EXPECT_EQ(counting.ReadsUnder("raw/e/hour=01/"), 0);
    EXPECT_GT(counting.ReadsUnder("raw/e/hour=02/"), 0);
    EXPECT_EQ(r.files_read, 4u);
    ASSERT_EQ(r.datasets.size(), 1u);
    const ScannedDataset& d = r.datasets[0];
    EXPECT_EQ(d.partitions.size(), 4u);
    EXPECT_EQ(d.partitions[0].files.size(), 2u);  // listed, not read
    EXPECT_THAT(d.new_partition_locations, ElementsAre("raw/e/hour=02/", "raw/e/hour=03/"));
    EXPECT_THAT(NamesOf(d.columns), ElementsAre("a"));

    // Everything known: nothing is read, the partitions are still reported.
    options.known_partition_locations.insert({"raw/e/hour=02/", "raw/e/hour=03/"});
    ScanResult again = MustScanStore(counting, "raw/e/", options);
    ASSERT_EQ(again.datasets.size(), 1u);
    EXPECT_EQ(again.files_read, 0u);
    EXPECT_EQ(again.datasets[0].format, DataFormat::kUnknown);
    EXPECT_TRUE(again.datasets[0].columns.empty());
    EXPECT_TRUE(again.datasets[0].new_partition_locations.empty());
    EXPECT_EQ(again.datasets[0].partitions.size(), 4u);
}

TEST_F(CrawlScanTest, PagedListings) {
    for (int i = 0; i < 7; ++i) Put("z" + std::to_string(i) + "/t/a.json", R"({"a":1})");
    for (int i = 0; i < 25; ++i) {
        Put("raw/t" + std::to_string(i % 5) + "/p=" + std::to_string(i) + "/a.json", R"({"a":1})");
    }
    CountingStore counting(*store_);
    ScanOptions options;
    options.list_page_size = 2;
    ScanResult r = MustScanStore(counting, "", options);
    EXPECT_EQ(r.datasets.size(), 12u);
    EXPECT_EQ(r.files_read, 32u);
    size_t partitions = 0;
    for (const ScannedDataset& d : r.datasets) partitions += d.partitions.size();
    EXPECT_EQ(partitions, 32u);
    EXPECT_GT(counting.lists.load(), 20);
}

TEST_F(CrawlScanTest, StrayFilesOutsideDatasetFolders) {
    Put("README.json", R"({"a":1})");
    Put("raw/notes.json", R"({"a":1})");
    Put("raw/t/a.json", R"({"a":1})");
    ScanResult r = MustScan("");
    ASSERT_EQ(r.datasets.size(), 1u);
    EXPECT_THAT(ErrorKeys(r), ElementsAre("README.json", "raw/notes.json"));
    EXPECT_THAT(r.errors[0].reason, HasSubstr("not inside a dataset folder"));
}

TEST_F(CrawlScanTest, TargetsAndListFailures) {
    Put("raw/t/a.json", R"({"a":1})");
    EXPECT_EQ(MustScan("raw").datasets.size(), 1u);
    EXPECT_EQ(MustScan("raw/t").datasets.size(), 1u);
    EXPECT_EQ(MustScan("missing/").datasets.size(), 0u);
    EXPECT_EQ(ScanTarget(*store_, "raw/t/x/", {}).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ScanTarget(*store_, "raw//", {}).status().code(), StatusCode::kInvalidArgument);
    CountingStore failing(*store_);
    failing.fail_list = true;
    Result<ScanResult> r = ScanTarget(failing, "raw/", {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kIOError);
}

TEST_F(CrawlScanTest, OnFileSeesEveryReadKey) {
    Put("raw/t/a.json", R"({"a":1})");
    Put("raw/t/b.json", R"({"a":1})");
    std::vector<std::string> seen;
    ScanOptions options;
    options.on_file = [&](std::string_view key) { seen.emplace_back(key); };
    MustScan("raw/", options);
    EXPECT_THAT(seen, ElementsAre("raw/t/a.json", "raw/t/b.json"));
}

// ---- The parts ----------------------------------------------------------------------------

TEST(CrawlScanPartsTest, ExclusionGlobs) {
    EXPECT_TRUE(MatchesExclusion("*.crc", "a.crc"));
    EXPECT_TRUE(MatchesExclusion("*.crc", "x/y/a.crc"));
    EXPECT_FALSE(MatchesExclusion("*.crc", "x/a.crc.json"));
    EXPECT_TRUE(MatchesExclusion("**/_tmp/**", "_tmp/a"));
    EXPECT_TRUE(MatchesExclusion("**/_tmp/**", "x/y/_tmp/a/b"));
    EXPECT_FALSE(MatchesExclusion("**/_tmp/**", "x/tmp/a"));
    EXPECT_TRUE(MatchesExclusion("events/*", "events/a"));
    EXPECT_FALSE(MatchesExclusion("events/*", "events/a/b"));
    EXPECT_TRUE(MatchesExclusion("events/**", "events/a/b"));
    EXPECT_TRUE(MatchesExclusion("*/year=202[0-4]/**", "t/year=2023/x.json"));
    EXPECT_FALSE(MatchesExclusion("*/year=202[0-4]/**", "t/year=2025/x.json"));
    EXPECT_TRUE(MatchesExclusion("**.{csv,tsv}", "a/b.tsv"));
    EXPECT_FALSE(MatchesExclusion("**.{csv,tsv}", "a/b.json"));
    EXPECT_TRUE(MatchesExclusion("?.json", "a.json"));
    EXPECT_FALSE(MatchesExclusion("?.json", "ab.json"));
}

TEST(CrawlScanPartsTest, NamesAndValues) {
    EXPECT_EQ(GlueName("Click-Stream.v2"), "click_stream_v2");
    EXPECT_EQ(crawl::UrlDecode("a%3Ab%2fc%zz%4"), "a:b/c%zz%4");
    EXPECT_EQ(crawl::DetectCsvDelimiter("a,b;c;d", false), ';');
    EXPECT_EQ(crawl::DetectCsvDelimiter("\"a;b\",c", false), ',');
    EXPECT_EQ(crawl::DetectCsvDelimiter("a\tb,c", true), '\t');
    EXPECT_EQ(crawl::DetectCsvDelimiter("abc", false), ',');
}

TEST(CrawlScanPartsTest, WideningParquetTypes) {
    using columnar::DataType;
    auto hive = [](const DataType& a, const DataType& b) {
        return columnar::HiveTypeName(crawl::WidenType(a, b));
    };
    EXPECT_EQ(hive(DataType::Int8(), DataType::Int32()), "int");
    EXPECT_EQ(hive(DataType::Int64(), DataType::Double()), "double");
    EXPECT_EQ(hive(DataType::Float(), DataType::Int16()), "double");
    EXPECT_EQ(hive(DataType::Decimal(10, 2), DataType::Decimal(5, 4)), "decimal(12,4)");
    EXPECT_EQ(hive(DataType::Decimal(10, 2), DataType::Int32()), "decimal(12,2)");
    EXPECT_EQ(hive(DataType::Decimal(38, 30), DataType::Int64()), "double");
    EXPECT_EQ(hive(DataType::Date(), DataType::Boolean()), "string");
    EXPECT_EQ(hive(DataType::List(DataType::Int32()), DataType::List(DataType::Int64())),
              "array<bigint>");
    EXPECT_EQ(hive(DataType::List(DataType::Int32()), DataType::Int64()), "string");
    EXPECT_EQ(hive(DataType::Map(DataType::Varchar(), DataType::Int32()),
                   DataType::Map(DataType::Varchar(), DataType::Float())),
              "map<string,double>");
}

}  // namespace
}  // namespace tarn::catalog
