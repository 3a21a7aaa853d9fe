#include "format/ndjson_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "columnar/value_format.h"

namespace tarn::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using Kind = InferredType::Kind;

Schema MakeSchema(std::vector<Field> fields) {
    auto schema = Schema::Make(std::move(fields));
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    return *schema;
}

struct ReadResult {
    std::vector<std::string> rows;  // AppendRowJson of each row
    std::vector<size_t> batch_sizes;
    NdjsonStats stats;
    std::vector<NdjsonError> errors;
    Status status;  // of the last Next
};

ReadResult Read(std::string_view data, const Schema& schema, NdjsonReaderOptions options = {}) {
    ReadResult out;
    auto reader = NdjsonReader::Open(data, "t.json", schema, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return out;
    columnar::RecordBatch batch = (*reader)->NewBatch();
    while (true) {
        Result<bool> more = (*reader)->Next(&batch);
        if (!more.ok()) {
            out.status = more.status();
            break;
        }
        if (!*more) break;
        EXPECT_TRUE(batch.Validate().ok()) << batch.Validate().ToString();
        out.batch_sizes.push_back(batch.num_rows());
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            std::string row;
            columnar::AppendRowJson(batch, r, &row);
            out.rows.push_back(std::move(row));
        }
    }
    out.stats = (*reader)->stats();
    out.errors = (*reader)->errors();
    return out;
}

std::string Gzip(std::string_view in) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&zs, in.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// ---- Conversions into a given schema ------------------------------------------------------------

TEST(NdjsonReaderTest, ScalarConversions) {
    const Schema schema = MakeSchema({{"b", DataType::Boolean()},
                                      {"i8", DataType::Int8()},
                                      {"i32", DataType::Int32()},
                                      {"i64", DataType::Int64()},
                                      {"f", DataType::Float()},
                                      {"d", DataType::Double()},
                                      {"dec", DataType::Decimal(10, 2)},
                                      {"s", DataType::Varchar()},
                                      {"dt", DataType::Date()}});
    const std::string data =
        R"({"b":true,"i8":-128,"i32":2147483647,"i64":-9223372036854775808,"f":1.5,"d":2,"dec":12.345,"s":"h\u00e9\"llo","dt":"2024-02-29"})"
        "\n"
        R"({"b":"FALSE","i8":"12","i32":1e3,"i64":true,"f":"2.25","d":false,"dec":"-0.5","s":42.50,"dt":"2024-03-01T23:59:59-02:00"})"
        "\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(
        r.rows[0],
        R"({"b":true,"i8":-128,"i32":2147483647,"i64":-9223372036854775808,"f":1.5,"d":2,"dec":12.35,"s":"hé\"llo","dt":"2024-02-29"})");
    EXPECT_EQ(
        r.rows[1],
        R"({"b":false,"i8":12,"i32":1000,"i64":1,"f":2.25,"d":0,"dec":-0.50,"s":"42.50","dt":"2024-03-02"})");
    EXPECT_TRUE(r.errors.empty()) << r.errors[0].message;
}

TEST(NdjsonReaderTest, NullsMissingAndExtraFields) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}, {"s", DataType::Varchar()}});
    const std::string data = "{\"a\":null,\"x\":[1,{\"y\":2}],\"s\":\"v\"}\n{\"zz\":1}\n{}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[0], R"({"a":null,"s":"v"})");
    EXPECT_EQ(r.rows[1], R"({"a":null,"s":null})");
    EXPECT_EQ(r.rows[2], R"({"a":null,"s":null})");
    EXPECT_EQ(r.stats.ignored_fields, 2u);
    EXPECT_EQ(r.stats.conversion_errors, 0u);
}

TEST(NdjsonReaderTest, RepeatedKeyFirstWinsAndShapeChangesAreHandled) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}, {"b", DataType::Int64()}});
    // The field-order cache sees a, b then b, a then a key repeated.
    const std::string data = "{\"a\":1,\"b\":2}\n{\"b\":3,\"a\":4}\n{\"a\":5,\"a\":6,\"b\":7}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[0], R"({"a":1,"b":2})");
    EXPECT_EQ(r.rows[1], R"({"a":4,"b":3})");
    EXPECT_EQ(r.rows[2], R"({"a":5,"b":7})");
}

TEST(NdjsonReaderTest, FieldNamesMatchCaseInsensitivelyUnlessDisabled) {
    const Schema schema =
        MakeSchema({{"userId", DataType::Int64()}, {"Name", DataType::Varchar()}});
    const std::string data = "{\"USERID\":7,\"name\":\"x\",\"userId\":8}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0], R"({"userId":7,"Name":"x"})");  // first matching key wins
    NdjsonReaderOptions exact;
    exact.case_insensitive_names = false;
    r = Read(data, schema, exact);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0], R"({"userId":8,"Name":null})");
    EXPECT_EQ(r.stats.ignored_fields, 2u);
}

TEST(NdjsonReaderTest, EscapedKeysMatch) {
    const Schema schema = MakeSchema({{"ab", DataType::Int64()}, {"q\"k", DataType::Int64()}});
    const std::string data = "{\"a\\u0062\":1,\"q\\\"k\":2}\n{\"ab\":3,\"q\\\"k\":4}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0], R"({"ab":1,"q\"k":2})");
    EXPECT_EQ(r.rows[1], R"({"ab":3,"q\"k":4})");
}

TEST(NdjsonReaderTest, ConversionErrorsStoreNullAndAreReportedWithLine) {
    const Schema schema = MakeSchema(
        {{"i8", DataType::Int8()}, {"i", DataType::Int32()}, {"ts", DataType::Timestamp()}});
    const std::string data =
        "{\"i8\":1,\"i\":1,\"ts\":\"2024-01-01\"}\n"
        "{\"i8\":300,\"i\":1.5,\"ts\":\"yesterday\"}\n"
        "{\"i8\":[1],\"i\":{\"a\":1},\"ts\":true}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[1], R"({"i8":null,"i":null,"ts":null})");
    EXPECT_EQ(r.rows[2], R"({"i8":null,"i":null,"ts":null})");
    EXPECT_EQ(r.stats.conversion_errors, 6u);
    ASSERT_EQ(r.errors.size(), 6u);
    EXPECT_EQ(r.errors[0].kind, NdjsonError::Kind::kConversion);
    EXPECT_EQ(r.errors[0].line, 2u);
    EXPECT_NE(r.errors[0].message.find("t.json: line 2, column 1: field 'i8'"), std::string::npos)
        << r.errors[0].message;
    EXPECT_NE(r.errors[2].message.find("yesterday"), std::string::npos) << r.errors[2].message;
    EXPECT_EQ(r.errors[5].line, 3u);
}

TEST(NdjsonReaderTest, RejectPolicySkipsRecordsThatDoNotConvert) {
    const Schema schema = MakeSchema({{"i", DataType::Int32()}, {"s", DataType::Varchar()}});
    NdjsonReaderOptions options;
    options.reject_records_on_conversion_error = true;
    const std::string data =
        "{\"i\":1,\"s\":\"a\"}\n{\"s\":\"b\",\"i\":\"x\"}\n{\"i\":3,\"s\":\"c\"}\n";
    ReadResult r = Read(data, schema, options);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[1], R"({"i":3,"s":"c"})");
    EXPECT_EQ(r.stats.rejected_records, 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].kind, NdjsonError::Kind::kRejected);
    EXPECT_EQ(r.errors[0].line, 2u);
    EXPECT_NE(r.errors[0].message.find("skipped the record: field 'i': "), std::string::npos)
        << r.errors[0].message;
}

TEST(NdjsonReaderTest, NotNullFieldMissingRejectsTheRecord) {
    const Schema schema =
        MakeSchema({{"id", DataType::Int64(), false}, {"s", DataType::Varchar()}});
    const std::string data =
        "{\"id\":1}\n{\"s\":\"no id\"}\n{\"id\":null}\n{\"id\":4,\"s\":\"d\"}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0], R"({"id":1,"s":null})");
    EXPECT_EQ(r.rows[1], R"({"id":4,"s":"d"})");
    EXPECT_EQ(r.stats.rejected_records, 2u);
    // Each rejection says why (the reason once came out empty: "line 2, column 1: ").
    ASSERT_EQ(r.errors.size(), 2u);
    for (const NdjsonError& e : r.errors) {
        EXPECT_EQ(e.kind, NdjsonError::Kind::kRejected);
        EXPECT_NE(e.message.find("skipped the record: field 'id' is NOT NULL but missing or null"),
                  std::string::npos)
            << e.message;
    }
    EXPECT_EQ(r.errors[0].line, 2u);
    EXPECT_EQ(r.errors[1].line, 3u);
}

TEST(NdjsonReaderTest, VarcharKeepsNumberTextAndNestedJson) {
    const Schema schema = MakeSchema({{"n", DataType::Varchar()},
                                      {"o", DataType::Varchar()},
                                      {"a", DataType::Varchar()},
                                      {"b", DataType::Varchar()}});
    const std::string data =
        "{\"n\":1.50e3 , \"o\":{\"x\": [1, 2]}, \"a\":[true,null], \"b\":false}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0], R"({"n":"1.50e3","o":"{\"x\": [1, 2]}","a":"[true,null]","b":"false"})");
}

TEST(NdjsonReaderTest, TimestampsWithAndWithoutFractionsAndOffsets) {
    const Schema schema = MakeSchema({{"ts", DataType::Timestamp()}});
    const std::string data =
        "{\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        "{\"ts\":\"2026-01-01T00:00:00.123Z\"}\n"
        "{\"ts\":\"2026-01-01 10:30:00.123456789+02:00\"}\n"
        "{\"ts\":\"2026-01-01T00:00:00-0130\"}\n"
        "{\"ts\":\"2026-01-01\"}\n"
        "{\"ts\":1767225600123}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 6u);
    EXPECT_EQ(r.rows[0], R"({"ts":"2026-01-01 00:00:00"})");
    EXPECT_EQ(r.rows[1], R"({"ts":"2026-01-01 00:00:00.123000"})");
    EXPECT_EQ(r.rows[2], R"({"ts":"2026-01-01 08:30:00.123456"})");
    EXPECT_EQ(r.rows[3], R"({"ts":"2026-01-01 01:30:00"})");
    EXPECT_EQ(r.rows[4], R"({"ts":"2026-01-01 00:00:00"})");
    EXPECT_EQ(r.rows[5], R"({"ts":"2026-01-01 00:00:00.123000"})");
}

TEST(NdjsonReaderTest, BigIntegers) {
    const Schema schema = MakeSchema({{"i", DataType::Int64()},
                                      {"dec", DataType::Decimal(38, 0)},
                                      {"s", DataType::Varchar()},
                                      {"d", DataType::Double()}});
    const std::string data =
        "{\"i\":9007199254740993,\"dec\":9007199254740993,\"s\":9007199254740993,\"d\":"
        "9007199254740993}\n"
        "{\"i\":18446744073709551616,\"dec\":-123456789012345678901234567890,"
        "\"s\":123456789012345678901234567890123456789012,\"d\":1e2}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(
        r.rows[0],
        R"({"i":9007199254740993,"dec":9007199254740993,"s":"9007199254740993","d":9007199254740992})");
    EXPECT_EQ(
        r.rows[1],
        R"({"i":null,"dec":-123456789012345678901234567890,"s":"123456789012345678901234567890123456789012","d":100})");
    EXPECT_EQ(r.stats.conversion_errors, 1u);
}

TEST(NdjsonReaderTest, NestedStructListMap) {
    const Schema schema = MakeSchema(
        {{"ctx", DataType::Struct({{"os", DataType::Varchar()},
                                   {"screen", DataType::Struct({{"w", DataType::Int32()},
                                                                {"h", DataType::Int32()}})}})},
         {"tags", DataType::List(DataType::Varchar())},
         {"nums", DataType::List(DataType::List(DataType::Int64()))},
         {"attrs", DataType::Map(DataType::Varchar(), DataType::Double())},
         {"counts", DataType::Map(DataType::Int32(), DataType::Int64())}});
    const std::string data =
        R"({"ctx":{"screen":{"h":844,"w":390},"os":"iOS 17","extra":1},"tags":["a","b"],"nums":[[1],[],[2,3]],"attrs":{"x":1.5,"y":null},"counts":{"1":10,"two":2}})"
        "\n"
        R"({"ctx":{"os":"Android"},"tags":[],"nums":null,"attrs":{},"counts":{}})"
        "\n"
        R"({"ctx":null,"tags":["c",null,5]})"
        "\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(
        r.rows[0],
        R"({"ctx":{"os":"iOS 17","screen":{"w":390,"h":844}},"tags":["a","b"],"nums":[[1],[],[2,3]],"attrs":{"x":1.5,"y":null},"counts":[{"key":1,"value":10}]})");
    EXPECT_EQ(
        r.rows[1],
        R"({"ctx":{"os":"Android","screen":null},"tags":[],"nums":null,"attrs":{},"counts":[]})");
    EXPECT_EQ(r.rows[2],
              R"({"ctx":null,"tags":["c",null,"5"],"nums":null,"attrs":null,"counts":null})");
    EXPECT_EQ(r.stats.conversion_errors, 1u);  // the map key "two"
    EXPECT_EQ(r.stats.ignored_fields, 1u);     // ctx.extra
}

// ---- Layout: concatenated objects, line endings ----------------------------------------------

TEST(NdjsonReaderTest, ConcatenatedObjectsWithoutNewlines) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    const std::string data = "{\"a\":1}{\"a\":2} {\"a\":3}\n{\"a\":4}\n{\"a\":5}{\"a\":6}";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 6u);
    for (size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(r.rows[i], "{\"a\":" + std::to_string(i + 1) + "}");
    }
    EXPECT_TRUE(r.errors.empty());
}

TEST(NdjsonReaderTest, ConcatenatedObjectsAcrossBatchesResumeMidLine) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    std::string data;
    for (int i = 0; i < 5000; ++i) data += "{\"a\":" + std::to_string(i) + "}";
    NdjsonReaderOptions options;
    options.batch_rows = 2048;
    ReadResult r = Read(data, schema, options);
    ASSERT_EQ(r.rows.size(), 5000u);
    EXPECT_EQ(r.batch_sizes, (std::vector<size_t>{2048, 2048, 904}));
    for (int i = 0; i < 5000; i += 997) EXPECT_EQ(r.rows[i], "{\"a\":" + std::to_string(i) + "}");
    EXPECT_EQ(r.rows[4999], "{\"a\":4999}");
}

TEST(NdjsonReaderTest, CrlfBlankLinesAndByteOrderMark) {
    const Schema schema = MakeSchema({{"a", DataType::Varchar()}});
    const std::string data = "\xEF\xBB\xBF{\"a\":\"x\"}\r\n\r\n   \n\t\r\n{\"a\":\"y\"}\r\n\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0], R"({"a":"x"})");
    EXPECT_EQ(r.rows[1], R"({"a":"y"})");
    EXPECT_EQ(r.stats.malformed_records, 0u);
}

TEST(NdjsonReaderTest, MalformedLinesAreReportedWithLineNumbersAndSkipped) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    const std::string data =
        "{\"a\":1}\n"                      // 1
        "{\"a\":2,\"b\":\"trunc\n"         // 2 truncated inside a string
        "{\"a\":3,}\n"                     // 3 trailing comma
        "{'a':4}\n"                        // 4 single quotes
        "<html><body>502</body></html>\n"  // 5 not JSON
        "[1,2,3]\n"                        // 6 not an object
        "{\"a\":7} trailing\n"             // 7 content after the object
        "{\"a\":8\n"                       // 8 truncated object
        "{\"a\":tru}\n"                    // 9 bad literal
        "\"just a string\"\n"              // 10
        "{\"a\":11}\n";                    // 11
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 2u) << r.rows[1];
    EXPECT_EQ(r.rows[0], R"({"a":1})");
    EXPECT_EQ(r.rows[1], R"({"a":11})");
    EXPECT_EQ(r.stats.malformed_records, 9u);
    std::vector<uint64_t> lines;
    for (const NdjsonError& e : r.errors) {
        EXPECT_EQ(e.kind, NdjsonError::Kind::kMalformed);
        EXPECT_EQ(e.message.rfind("t.json: line " + std::to_string(e.line) + ", column ", 0), 0u)
            << e.message;
        lines.push_back(e.line);
    }
    EXPECT_EQ(lines, (std::vector<uint64_t>{2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

// A reader of one piece of a file (split at line boundaries) numbers lines from first_line.
TEST(NdjsonReaderTest, FirstLineNumbersThePiecesLines) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    NdjsonReaderOptions options;
    options.first_line = 1001;
    ReadResult r = Read("{\"a\":1}\nnot json\n{\"a\":\"x\"}\n", schema, options);
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].line, 1002u);
    EXPECT_EQ(r.errors[0].message.rfind("t.json: line 1002, column 1", 0), 0u)
        << r.errors[0].message;
    EXPECT_EQ(r.errors[1].line, 1003u);
    options.first_line = 0;
    EXPECT_EQ(NdjsonReader::Open("{}", "t.json", schema, options).status().code(),
              StatusCode::kInvalidArgument);
}

TEST(NdjsonReaderTest, MalformedObjectInConcatenatedLineResumesAtNextObject) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    const std::string data = "{\"a\":1}{\"a\":2,}{\"a\":3} {'a':4}{\"a\":5}\n{\"a\":6}\n";
    ReadResult r = Read(data, schema);
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0], R"({"a":1})");
    EXPECT_EQ(r.rows[1], R"({"a":3})");
    EXPECT_EQ(r.rows[2], R"({"a":5})");
    EXPECT_EQ(r.rows[3], R"({"a":6})");
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].line, 1u);
    EXPECT_EQ(r.errors[0].column, 8u);
    EXPECT_EQ(r.errors[1].column, 24u);  // the ' of {'a':4}
}

TEST(NdjsonReaderTest, RecordLongerThanLimitIsSkipped) {
    const Schema schema = MakeSchema({{"a", DataType::Varchar()}});
    NdjsonReaderOptions options;
    options.max_record_bytes = 100;
    const std::string big = "{\"a\":\"" + std::string(200, 'x') + "\"}";
    const std::string data = "{\"a\":\"s\"}\n" + big + "\n{\"a\":\"t\"}\n";
    ReadResult r = Read(data, schema, options);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[1], R"({"a":"t"})");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 2u);
}

TEST(NdjsonReaderTest, ReportedErrorsAreBoundedButCounted) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    std::string data;
    for (int i = 0; i < 50; ++i) data += "not json\n";
    NdjsonReaderOptions options;
    options.max_reported_errors = 5;
    ReadResult r = Read(data, schema, options);
    EXPECT_EQ(r.errors.size(), 5u);
    EXPECT_EQ(r.stats.malformed_records, 50u);
    EXPECT_EQ(r.stats.unreported_errors, 45u);
    EXPECT_EQ(r.errors[4].line, 5u);
}

TEST(NdjsonReaderTest, EveryTruncationOfARecordIsSkippedOrRead) {
    // Cut a nested record at every byte: each cut line is either a complete object (read) or
    // reported as malformed; the line after it is always read. Under ASan this also checks that
    // no cut reads outside the input.
    const Schema schema =
        MakeSchema({{"a", DataType::Int64()},
                    {"s", DataType::Varchar()},
                    {"o", DataType::Struct({{"l", DataType::List(DataType::Double())}})}});
    const std::string record = R"({"a":12,"s":"x\"y\u00e9","o":{"l":[1.5,2e3,null]},"z":[{}]})";
    for (size_t cut = 1; cut < record.size(); ++cut) {
        const std::string data = record.substr(0, cut) + "\n{\"a\":1}";
        ReadResult r = Read(data, schema);
        ASSERT_EQ(r.rows.size() + r.stats.malformed_records, 2u) << "cut " << cut;
        EXPECT_EQ(r.rows.back(), R"({"a":1,"s":null,"o":null})") << "cut " << cut;
    }
}

TEST(NdjsonReaderTest, RandomBytesNeverCrash) {
    const Schema schema = MakeSchema({{"a", DataType::Varchar()}, {"b", DataType::Int64()}});
    uint32_t state = 12345;
    const std::string alphabet = "{}[]\":,\\ \n\rabtrue0123456789.e-nul\x80\xff";
    for (int round = 0; round < 200; ++round) {
        std::string data;
        for (int i = 0; i < 200; ++i) {
            state = state * 1103515245 + 12345;
            data += alphabet[(state >> 16) % alphabet.size()];
        }
        data += "\n{\"a\":\"ok\",\"b\":2}\n";
        ReadResult r = Read(data, schema);
        ASSERT_FALSE(r.rows.empty()) << "round " << round;
        EXPECT_EQ(r.rows.back(), R"({"a":"ok","b":2})") << "round " << round;
    }
}

// ---- Gzip ---------------------------------------------------------------------------------------

std::string NumberedLines(int first, int count) {
    std::string s;
    for (int i = first; i < first + count; ++i) {
        s += "{\"a\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 50, 'p') + "\"}\n";
    }
    return s;
}

TEST(NdjsonReaderTest, GzipSingleAndMultiMemberAcrossChunks) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    NdjsonReaderOptions options;
    options.chunk_bytes = 4096;  // many chunks, lines cut at chunk ends
    const std::string plain = NumberedLines(0, 3000) + "bad line\n" + NumberedLines(3000, 10);
    ReadResult one = Read(Gzip(plain), schema, options);
    ASSERT_EQ(one.rows.size(), 3010u);
    EXPECT_EQ(one.rows[2999], R"({"a":2999})");
    EXPECT_EQ(one.rows[3009], R"({"a":3009})");
    ASSERT_EQ(one.errors.size(), 1u);
    EXPECT_EQ(one.errors[0].line, 3001u);

    // Members split mid-line: the line continues in the next member.
    const std::string multi =
        Gzip(plain.substr(0, 1000)) + Gzip(plain.substr(1000, 70000)) + Gzip(plain.substr(71000));
    ReadResult many = Read(multi, schema, options);
    EXPECT_EQ(many.rows, one.rows);
    ASSERT_EQ(many.errors.size(), 1u);
    EXPECT_EQ(many.errors[0].line, 3001u);
    EXPECT_TRUE(many.status.ok());
}

TEST(NdjsonReaderTest, TruncatedGzipReturnsRowsThenCorruption) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    const std::string gz = Gzip(NumberedLines(0, 2000));
    ReadResult r = Read(std::string_view(gz).substr(0, gz.size() / 2), schema);
    EXPECT_GT(r.rows.size(), 100u);
    EXPECT_LT(r.rows.size(), 2000u);
    EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
    EXPECT_NE(r.status.message().find("t.json"), std::string::npos);
}

TEST(NdjsonReaderTest, DamagedGzipIsCorruption) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    std::string gz = Gzip(NumberedLines(0, 100));
    for (size_t i = 20; i < 40; ++i) gz[i] = static_cast<char>(0xff);
    ReadResult r = Read(gz, schema);
    EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
}

// ---- Batches ------------------------------------------------------------------------------------

TEST(NdjsonReaderTest, BatchBoundaries) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}, {"s", DataType::Varchar()}});
    std::string data;
    for (int i = 0; i < 5000; ++i) {
        data += "{\"a\":" + std::to_string(i) + ",\"s\":\"v" + std::to_string(i) + "\"}\n";
    }
    ReadResult r = Read(data, schema);  // batch_rows 2048 by default
    EXPECT_EQ(r.batch_sizes, (std::vector<size_t>{2048, 2048, 904}));
    ASSERT_EQ(r.rows.size(), 5000u);
    for (int i = 0; i < 5000; i += 511) {
        EXPECT_EQ(r.rows[i],
                  "{\"a\":" + std::to_string(i) + ",\"s\":\"v" + std::to_string(i) + "\"}");
    }
    EXPECT_EQ(r.stats.rows, 5000u);
}

TEST(NdjsonReaderTest, EmptyInputAndBadOptions) {
    const Schema schema = MakeSchema({{"a", DataType::Int64()}});
    ReadResult r = Read("", schema);
    EXPECT_TRUE(r.rows.empty());
    EXPECT_TRUE(r.status.ok());
    NdjsonReaderOptions options;
    options.batch_rows = 0;
    EXPECT_EQ(NdjsonReader::Open("", "t", schema, options).status().code(),
              StatusCode::kInvalidArgument);
}

// ---- Inference ----------------------------------------------------------------------------------

InferredType Infer(std::string_view data) {
    auto type = InferNdjsonType(data, "t.json");
    EXPECT_TRUE(type.ok()) << type.status().ToString();
    return type.ok() ? *type : InferredType();
}

const InferredType& FieldOf(const InferredType& t, std::string_view name) {
    for (const auto& [n, type] : t.fields) {
        if (n == name) return type;
    }
    ADD_FAILURE() << "no field " << name;
    static const InferredType kNone;
    return kNone;
}

TEST(NdjsonInferTest, ScalarLattice) {
    const InferredType t = Infer(
        "{\"n\":null,\"b\":true,\"bi\":true,\"d\":1,\"s\":1,\"ts\":\"2026-01-01T00:00:00Z\","
        "\"dt\":\"2026-01-01\",\"mix\":\"2026-01-01\"}\n"
        "{\"n\":null,\"b\":false,\"bi\":7,\"d\":1.5,\"s\":\"x\",\"ts\":\"2026-01-01 "
        "10:00:00.5+02:00\","
        "\"dt\":\"2026-01-02\",\"mix\":\"2026-01-01T10:00:00\"}\n");
    ASSERT_EQ(t.kind, Kind::kStruct);
    ASSERT_EQ(t.fields.size(), 8u);
    EXPECT_EQ(t.fields[0].first, "n");  // first-seen order
    EXPECT_EQ(FieldOf(t, "n").kind, Kind::kNull);
    EXPECT_EQ(FieldOf(t, "b").kind, Kind::kBoolean);
    EXPECT_EQ(FieldOf(t, "bi").kind, Kind::kBigint);
    EXPECT_EQ(FieldOf(t, "d").kind, Kind::kDouble);
    EXPECT_EQ(FieldOf(t, "s").kind, Kind::kString);
    EXPECT_EQ(FieldOf(t, "ts").kind, Kind::kTimestamp);
    EXPECT_EQ(FieldOf(t, "dt").kind, Kind::kDate);
    EXPECT_EQ(FieldOf(t, "mix").kind, Kind::kTimestamp);
}

TEST(NdjsonInferTest, BigIntegersNeverBecomeDouble) {
    const InferredType t = Infer(
        "{\"big\":9007199254740993,\"huge\":18446744073709551616,\"bd\":9007199254740993,"
        "\"giant\":123456789012345678901234567890123456789012}\n"
        "{\"big\":1,\"huge\":2,\"bd\":0.5,\"giant\":1}\n");
    EXPECT_EQ(FieldOf(t, "big").kind, Kind::kBigint);
    EXPECT_TRUE(FieldOf(t, "big").big_integers);
    EXPECT_EQ(FieldOf(t, "huge").kind, Kind::kDecimal38);
    EXPECT_EQ(FieldOf(t, "bd").kind, Kind::kString);
    EXPECT_EQ(FieldOf(t, "giant").kind, Kind::kString);
}

TEST(NdjsonInferTest, NestedTypesMergeAndConflictsWiden) {
    const InferredType t = Infer(
        "{\"o\":{\"a\":1},\"l\":[1,2],\"c\":{\"x\":1},\"e\":[]}\n"
        "{\"o\":{\"b\":\"x\",\"a\":2.5},\"l\":[3.5,null],\"c\":[1]}\n"
        "{\"o\":null,\"l\":null,\"e\":[[true]]}\n");
    const InferredType& o = FieldOf(t, "o");
    ASSERT_EQ(o.kind, Kind::kStruct);
    EXPECT_EQ(FieldOf(o, "a").kind, Kind::kDouble);
    EXPECT_EQ(FieldOf(o, "b").kind, Kind::kString);
    const InferredType& l = FieldOf(t, "l");
    ASSERT_EQ(l.kind, Kind::kList);
    EXPECT_EQ(l.element[0].kind, Kind::kDouble);
    EXPECT_EQ(FieldOf(t, "c").kind, Kind::kString);  // struct vs list
    const InferredType& e = FieldOf(t, "e");
    ASSERT_EQ(e.kind, Kind::kList);
    ASSERT_EQ(e.element[0].kind, Kind::kList);
    EXPECT_EQ(e.element[0].element[0].kind, Kind::kBoolean);
}

TEST(NdjsonInferTest, SkipsMalformedAndHonoursSampleSize) {
    uint64_t malformed = 0;
    NdjsonInferOptions options;
    options.max_records = 2;
    auto t = InferNdjsonType("{\"a\":1}\nnot json\n{\"a\":2}\n{\"a\":\"late string\"}\n", "t",
                             options, &malformed);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(FieldOf(*t, "a").kind, Kind::kBigint);
    EXPECT_EQ(malformed, 1u);
    auto empty = InferNdjsonSchema("\n\n", "t");
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty->num_fields(), 0u);
}

TEST(NdjsonInferTest, DeepNestingInfersAsString) {
    NdjsonInferOptions options;
    options.max_depth = 3;
    auto t = InferNdjsonType("{\"a\":{\"b\":{\"c\":{\"d\":1}}},\"l\":[[[[1]]]]}\n", "t", options);
    ASSERT_TRUE(t.ok());
    const InferredType& b = FieldOf(FieldOf(*t, "a"), "b");
    EXPECT_EQ(b.kind, Kind::kStruct);
    EXPECT_EQ(FieldOf(b, "c").kind, Kind::kString);
    ASSERT_EQ(FieldOf(*t, "l").kind, Kind::kList);
    EXPECT_EQ(FieldOf(*t, "l").element[0].element[0].kind, Kind::kString);
}

// A `tarn gen` event (src/cli/clickstream.h), written by hand.
const char* const kEvents =
    R"({"event_id":"0b7c8d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f","user_id":4821,"session_id":"9f86d081884c7d65","event_type":"purchase","page":"/checkout","referrer":null,"country":"DE","device":"mobile","price":129.99,"ts":"2026-01-01T00:00:01.250Z","context":{"app_version":"3.4.1","os":"iOS 17","screen":{"w":390,"h":844}},"tags":["sale","new"]})"
    "\n"
    R"({"event_id":"1c8d9e3f-2a4b-4c6d-9e0f-1b2c3d4e5f60","user_id":17,"session_id":"2c26b46b68ffc68f","event_type":"view","page":"/products/123","referrer":"https://www.google.com/","country":"US","device":"desktop","ts":"2026-01-01T00:00:02.000Z","context":{"app_version":"3.4.0","os":"Windows 11","screen":{"w":1920,"h":1080}},"tags":[]})"
    "\n";

TEST(NdjsonInferTest, ClickstreamEventsInferAndRead) {
    auto schema = InferNdjsonSchema(kEvents, "events.json");
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->ToString(),
              "event_id: VARCHAR, user_id: INT64, session_id: VARCHAR, event_type: VARCHAR, "
              "page: VARCHAR, referrer: VARCHAR, country: VARCHAR, device: VARCHAR, "
              "price: DOUBLE, ts: TIMESTAMP, context: STRUCT<app_version: VARCHAR, os: VARCHAR, "
              "screen: STRUCT<w: INT64, h: INT64>>, tags: LIST<VARCHAR>");
    ReadResult r = Read(Gzip(kEvents), *schema);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(
        r.rows[0],
        R"({"event_id":"0b7c8d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f","user_id":4821,"session_id":"9f86d081884c7d65","event_type":"purchase","page":"/checkout","referrer":null,"country":"DE","device":"mobile","price":129.99,"ts":"2026-01-01 00:00:01.250000","context":{"app_version":"3.4.1","os":"iOS 17","screen":{"w":390,"h":844}},"tags":["sale","new"]})");
    EXPECT_EQ(
        r.rows[1].substr(r.rows[1].find("\"price\"")),
        R"("price":null,"ts":"2026-01-01 00:00:02","context":{"app_version":"3.4.0","os":"Windows 11","screen":{"w":1920,"h":1080}},"tags":[]})");
    EXPECT_TRUE(r.errors.empty());
}

}  // namespace
}  // namespace tarn::format
