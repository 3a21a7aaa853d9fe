#include "format/csv_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "columnar/value_format.h"
#include "format/compression.h"

namespace tarn::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using Rows = std::vector<std::vector<std::string>>;

constexpr std::string_view kNull = "<null>";

Schema MakeSchema(std::vector<Field> fields) {
    auto schema = Schema::Make(std::move(fields));
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    return std::move(schema).value();
}

Schema Varchars(const std::vector<std::string>& names) {
    std::vector<Field> fields;
    for (const auto& n : names) fields.push_back({n, DataType::Varchar()});
    return MakeSchema(std::move(fields));
}

struct ReadResult {
    Rows rows;
    std::vector<CsvError> errors;
    uint64_t error_count = 0;
    uint64_t skipped_rows = 0;
    std::vector<size_t> batch_sizes;
};

// A cell's text: VARCHAR as it is, nulls as <null>, other types as their JSON text.
std::string Cell(const columnar::ColumnVector& col, size_t row) {
    if (col.IsNull(row)) return std::string(kNull);
    if (col.type_id() == columnar::TypeId::kVarchar) return std::string(col.GetString(row));
    std::string out;
    columnar::AppendValueJson(col, row, &out);
    return out;
}

ReadResult Read(std::string_view data, const Schema& schema, const CsvReadOptions& options = {}) {
    ReadResult result;
    auto reader = CsvReader::Open(data, "t.csv", schema, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return result;
    columnar::RecordBatch batch = (*reader)->NewBatch();
    while (true) {
        auto more = (*reader)->Next(&batch);
        EXPECT_TRUE(more.ok()) << more.status().ToString();
        if (!more.ok() || !*more) break;
        EXPECT_TRUE(batch.Validate().ok()) << batch.Validate().ToString();
        result.batch_sizes.push_back(batch.num_rows());
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            std::vector<std::string> row;
            for (size_t c = 0; c < batch.num_columns(); ++c)
                row.push_back(Cell(batch.column(c), r));
            result.rows.push_back(std::move(row));
        }
    }
    result.errors = (*reader)->errors();
    result.error_count = (*reader)->error_count();
    result.skipped_rows = (*reader)->skipped_rows();
    return result;
}

std::string Gzip(std::string_view text) {
    std::string out;
    EXPECT_TRUE(Compress(CompressionCodec::kGzip, text, &out).ok());
    return out;
}

// ---- Tokenizing ---------------------------------------------------------------------------

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
    const std::string csv =
        "a,b\n"
        "\"x,y\",\"say \"\"hi\"\"\"\n"
        "\"line1\nline2\",\"cr\r\nlf\"\n"
        "\"\",plain\n";
    ReadResult r = Read(csv, Varchars({"a", "b"}));
    EXPECT_EQ(r.rows, (Rows{{"x,y", "say \"hi\""}, {"line1\nline2", "cr\r\nlf"}, {"", "plain"}}));
    EXPECT_EQ(r.error_count, 0u);
}

TEST(CsvReaderTest, CrlfBomNoTrailingNewlineAndBlankLastLine) {
    const Rows want = {{"1", "x"}, {"2", "y"}};
    for (const std::string csv :
         {"\xEF\xBB\xBF"
          "a,b\r\n1,x\r\n2,y\r\n",
          "a,b\n1,x\n2,y", "a,b\r\n1,x\r\n2,y", "a,b\n1,x\n2,y\n\n", "a,b\r1,x\r2,y\r"}) {
        ReadResult r = Read(csv, Varchars({"a", "b"}));
        EXPECT_EQ(r.rows, want) << csv;
        EXPECT_EQ(r.error_count, 0u) << csv;
    }
}

TEST(CsvReaderTest, BlankLinesAreNoRowsUnlessTheFileHasOneColumn) {
    EXPECT_EQ(Read("a,b\n\n1,2\n\n3,4\n", Varchars({"a", "b"})).rows,
              (Rows{{"1", "2"}, {"3", "4"}}));
    // One column: a blank line is how a writer writes NULL.
    EXPECT_EQ(Read("a\n1\n\n2\n", Varchars({"a"})).rows,
              (Rows{{"1"}, {std::string(kNull)}, {"2"}}));
}

TEST(CsvReaderTest, OtherDelimiters) {
    CsvReadOptions tab;
    tab.delimiter = '\t';
    EXPECT_EQ(Read("a\tb\nx,1\t\"q\tr\"\n", Varchars({"a", "b"}), tab).rows,
              (Rows{{"x,1", "q\tr"}}));
    CsvReadOptions semi;
    semi.delimiter = ';';
    semi.quote = '\'';
    EXPECT_EQ(Read("a;b\n'1;2';'it''s'\n", Varchars({"a", "b"}), semi).rows,
              (Rows{{"1;2", "it's"}}));
}

// ---- Columns -------------------------------------------------------------------------------

TEST(CsvReaderTest, HeaderMapsByNameThenIgnoringCase) {
    const Schema schema = MakeSchema(
        {{"id", DataType::Int64()}, {"Name", DataType::Varchar()}, {"missing", DataType::Int32()}});
    ReadResult r = Read("extra,NAME,id\nz,ann,1\nz,bob,2\n", schema);
    EXPECT_EQ(r.rows, (Rows{{"1", "ann", std::string(kNull)}, {"2", "bob", std::string(kNull)}}));
}

TEST(CsvReaderTest, WithoutHeaderFieldsAreTakenByPosition) {
    CsvReadOptions options;
    options.header = false;
    const Schema schema = MakeSchema({{"n", DataType::Int32()}, {"s", DataType::Varchar()}});
    ReadResult r = Read("1,a\n2,b\n3\n", schema, options);
    EXPECT_EQ(r.rows, (Rows{{"1", "a"}, {"2", "b"}}));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 3u);
}

TEST(CsvReaderTest, NestedColumnsAndBadOptionsAreRejectedAtOpen) {
    const Schema nested = MakeSchema({{"l", DataType::List(DataType::Int32())}});
    auto reader = CsvReader::Open("l\n1\n", "t.csv", nested);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(reader.status().message().find("t.csv"), std::string::npos);
    CsvReadOptions same;
    same.delimiter = '"';
    EXPECT_EQ(CsvReader::Open("a\n", "t.csv", Varchars({"a"}), same).status().code(),
              StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, EveryTypeConverts) {
    const Schema schema = MakeSchema({{"b", DataType::Boolean()},
                                      {"i8", DataType::Int8()},
                                      {"i16", DataType::Int16()},
                                      {"i32", DataType::Int32()},
                                      {"i64", DataType::Int64()},
                                      {"f", DataType::Float()},
                                      {"d", DataType::Double()},
                                      {"dec", DataType::Decimal(10, 2)},
                                      {"big", DataType::Decimal(38, 0)},
                                      {"day", DataType::Date()},
                                      {"ts", DataType::Timestamp()},
                                      {"bin", DataType::Varbinary()}});
    const std::string csv =
        "b,i8,i16,i32,i64,f,d,dec,big,day,ts,bin\n"
        "TRUE,-128,32767,-2147483648,9223372036854775807,1.5,-2.5e3,12.345,"
        "123456789012345678901234567890,2024-02-29,2024-01-02T03:04:05.123456Z,aGk=\n"
        "false,+7,0,1,-1,0,NaN,-0.005,0,1970-01-01,2024-01-02 03:04:05+01:00,\n";
    ReadResult r = Read(csv, schema);
    EXPECT_EQ(r.error_count, 0u) << r.errors[0].message;
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0], (std::vector<std::string>{
                             "true", "-128", "32767", "-2147483648", "9223372036854775807", "1.5",
                             "-2500", "12.35", "123456789012345678901234567890", "\"2024-02-29\"",
                             "\"2024-01-02 03:04:05.123456\"", "\"aGk=\""}));
    EXPECT_EQ(r.rows[1], (std::vector<std::string>{"false", "7", "0", "1", "-1", "0", "\"NaN\"",
                                                   "-0.01", "0", "\"1970-01-01\"",
                                                   "\"2024-01-02 02:04:05\"", std::string(kNull)}));
}

TEST(CsvReaderTest, BadValuesBecomeNullAndAreReportedWithLineAndColumn) {
    const Schema schema = MakeSchema({{"n", DataType::Int8()}, {"d", DataType::Date()}});
    ReadResult r = Read("n,d\n1,2024-01-01\n300,2024-13-01\n\"x\ny\",2024-01-02\n", schema);
    EXPECT_EQ(r.rows, (Rows{{"1", "\"2024-01-01\""},
                            {std::string(kNull), std::string(kNull)},
                            {std::string(kNull), "\"2024-01-02\""}}));
    ASSERT_EQ(r.errors.size(), 3u);
    EXPECT_EQ(r.errors[0].line, 3u);
    EXPECT_EQ(r.errors[0].column, "n");
    EXPECT_EQ(r.errors[0].message, "t.csv:3: column 'n': cannot convert \"300\" to INT8");
    EXPECT_EQ(r.errors[1].column, "d");
    EXPECT_EQ(r.errors[2].line, 4u);
    EXPECT_EQ(r.skipped_rows, 0u);
}

TEST(CsvReaderTest, NullsEmptyStringsAndNullText) {
    const Schema schema = MakeSchema({{"s", DataType::Varchar()}, {"n", DataType::Int32()}});
    ReadResult r = Read("s,n\n,\n\"\",\"\"\nNULL,NULL\n\"NULL\",5\n", schema);
    EXPECT_EQ(r.rows, (Rows{{std::string(kNull), std::string(kNull)},
                            {"", std::string(kNull)},
                            {"NULL", std::string(kNull)},
                            {"NULL", "5"}}));
    EXPECT_EQ(r.error_count, 1u);  // NULL is not an INT32 without null_text
    CsvReadOptions options;
    options.null_text = "NULL";
    r = Read("s,n\nNULL,NULL\n\"NULL\",5\n", schema, options);
    EXPECT_EQ(r.rows, (Rows{{std::string(kNull), std::string(kNull)}, {"NULL", "5"}}));
    EXPECT_EQ(r.error_count, 0u);
}

TEST(CsvReaderTest, NumericColumnsTakeBooleansAsOneAndZero) {
    const Schema schema = MakeSchema({{"i", DataType::Int64()}, {"d", DataType::Double()}});
    EXPECT_EQ(Read("i,d\ntrue,false\n", schema).rows, (Rows{{"1", "0"}}));
}

TEST(CsvReaderTest, InvalidUtf8IsReportedAndNull) {
    ReadResult r = Read("s\nok\n\xC3\x28\n", Varchars({"s"}));
    EXPECT_EQ(r.rows, (Rows{{"ok"}, {std::string(kNull)}}));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 3u);
}

// ---- Bad rows ------------------------------------------------------------------------------

TEST(CsvReaderTest, RaggedRowsAreSkippedWithPhysicalLineNumbers) {
    // Line 2-3 is one row (a quoted line break); line 4 has too many fields, line 6 too few.
    const std::string csv = "a,b\n\"x\ny\",1\n1,2,3\n4,5\n6\n7,8\n";
    ReadResult r = Read(csv, Varchars({"a", "b"}));
    EXPECT_EQ(r.rows, (Rows{{"x\ny", "1"}, {"4", "5"}, {"7", "8"}}));
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].line, 4u);
    EXPECT_EQ(r.errors[0].message, "t.csv:4: expected 2 fields, found 3");
    EXPECT_EQ(r.errors[1].line, 6u);
    EXPECT_EQ(r.skipped_rows, 2u);
}

TEST(CsvReaderTest, UnterminatedQuoteIsReportedAndTheRestIsRead) {
    const std::string csv = "a,b\n1,2\n3,\"open\n5,6\n7,8";
    ReadResult r = Read(csv, Varchars({"a", "b"}));
    EXPECT_EQ(r.rows, (Rows{{"1", "2"}, {"5", "6"}, {"7", "8"}}));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 3u);
    EXPECT_EQ(r.errors[0].reason, "unterminated quote");
}

TEST(CsvReaderTest, StrayByteAfterClosingQuoteSkipsTheRow) {
    ReadResult r = Read("a,b\n\"x\"y,1\n2,3\n", Varchars({"a", "b"}));
    EXPECT_EQ(r.rows, (Rows{{"2", "3"}}));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 2u);
}

TEST(CsvReaderTest, RowsLongerThanTheLimitAreSkipped) {
    CsvReadOptions options;
    options.max_row_bytes = 64;
    const std::string csv =
        "a\nshort\n\"" + std::string(200, 'x') + "\n" + std::string(100, 'y') + "\nafter\n";
    ReadResult r = Read(csv, Varchars({"a"}), options);
    EXPECT_EQ(r.rows, (Rows{{"short"}, {"after"}}));
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].line, 3u);
    EXPECT_EQ(r.errors[1].line, 4u);
}

TEST(CsvReaderTest, ErrorListIsBoundedButCounted) {
    CsvReadOptions options;
    options.max_errors = 3;
    std::string csv = "a,b\n";
    for (int i = 0; i < 50; ++i) csv += "only-one\n";
    csv += "1,2\n";
    ReadResult r = Read(csv, Varchars({"a", "b"}), options);
    EXPECT_EQ(r.rows, (Rows{{"1", "2"}}));
    EXPECT_EQ(r.errors.size(), 3u);
    EXPECT_EQ(r.error_count, 50u);
    EXPECT_EQ(r.errors[2].line, 4u);
}

TEST(CsvReaderTest, BadHeaderFailsOpen) {
    auto reader = CsvReader::Open("\"a,b\n1,2\n", "t.csv", Varchars({"a"}));
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().message(), "t.csv:1: header line: unterminated quote");
}

// ---- Gzip ----------------------------------------------------------------------------------

TEST(CsvReaderTest, GzipSingleAndMultiMember) {
    const std::string part1 = "a,b\n1,\"x\ny\"\n";
    const std::string part2 = "2,z\n";
    const Rows want = {{"1", "x\ny"}, {"2", "z"}};
    EXPECT_EQ(Read(Gzip(part1 + part2), Varchars({"a", "b"})).rows, want);
    EXPECT_EQ(Read(Gzip(part1) + Gzip(part2), Varchars({"a", "b"})).rows, want);
    EXPECT_EQ(Read(Gzip("\xEF\xBB\xBF") + Gzip(part1 + part2), Varchars({"a", "b"})).rows, want);
}

TEST(CsvReaderTest, GzipLargerThanOneInflateChunkMatchesPlain) {
    std::string csv = "id,text\r\n";
    for (int i = 0; i < 60000; ++i) {
        csv += std::to_string(i) + ",\"row " + std::to_string(i) + (i % 7 == 0 ? "\r\n" : "") +
               " says \"\"hi\"\"\"\r\n";
    }
    const Schema schema = MakeSchema({{"id", DataType::Int64()}, {"text", DataType::Varchar()}});
    ReadResult plain = Read(csv, schema);
    ReadResult gz = Read(Gzip(csv), schema);
    ASSERT_EQ(plain.rows.size(), 60000u);
    EXPECT_EQ(gz.rows, plain.rows);
    EXPECT_EQ(gz.error_count, 0u);
    EXPECT_EQ(plain.rows[59999][0], "59999");
}

TEST(CsvReaderTest, DamagedGzipIsCorruptionNamingTheFile) {
    std::string gz = Gzip("a\n1\n2\n");
    for (const std::string& bad : {gz.substr(0, gz.size() - 6), gz + "junk"}) {
        auto reader = CsvReader::Open(bad, "t.csv.gz", Varchars({"a"}));
        Status status = reader.status();
        if (reader.ok()) {
            columnar::RecordBatch batch = (*reader)->NewBatch();
            while (status.ok()) {
                auto more = (*reader)->Next(&batch);
                status = more.status();
                if (more.ok() && !*more) break;
            }
        }
        EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
        EXPECT_NE(status.message().find("t.csv.gz"), std::string::npos);
    }
}

// ---- Batches -------------------------------------------------------------------------------

TEST(CsvReaderTest, FiveThousandRowsOverBatchBoundaries) {
    std::string csv = "n,s\n";
    for (int i = 0; i < 5000; ++i) csv += std::to_string(i) + ",v" + std::to_string(i) + "\n";
    const Schema schema = MakeSchema({{"n", DataType::Int32()}, {"s", DataType::Varchar()}});
    ReadResult r = Read(csv, schema);
    EXPECT_EQ(r.batch_sizes, (std::vector<size_t>{2048, 2048, 904}));
    ASSERT_EQ(r.rows.size(), 5000u);
    for (int i = 0; i < 5000; ++i) {
        ASSERT_EQ(r.rows[i],
                  (std::vector<std::string>{std::to_string(i), "v" + std::to_string(i)}));
    }
}

// ---- Inference -----------------------------------------------------------------------------

TEST(CsvReaderTest, InfersTypesFromASample) {
    const std::string csv =
        "i,d,b,day,ts,s,big,huge,empty,mixed,q\n"
        "1,1.5,true,2024-01-01,2024-01-01T00:00:00Z,x,9223372036854775808,"
        "123456789012345678901234567890123456789,,1,\"7\"\n"
        "-2,2,FALSE,2024-12-31,2024-01-02,y,1,1,,a,\"8\"\n"
        ",,,,,,,,,,\n";
    auto schema = CsvReader::InferSchema(csv, "t.csv");
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->ToString(),
              "i: INT64, d: DOUBLE, b: BOOLEAN, day: DATE, ts: TIMESTAMP, s: VARCHAR, "
              "big: DECIMAL(38,0), huge: VARCHAR, empty: VARCHAR, mixed: VARCHAR, q: INT64");
    ReadResult r = Read(csv, *schema);
    EXPECT_EQ(r.error_count, 0u);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[1][4], "\"2024-01-02 00:00:00\"");
    EXPECT_EQ(r.rows[0][6], "9223372036854775808");
}

TEST(CsvReaderTest, InferenceWidensAndNeverFails) {
    // Beyond 2^53 a bigint never becomes double; a quoted "" is a string.
    auto schema = CsvReader::InferSchema("a,b,c\n9007199254740993,1,1\n1.5,\"\",true\n", "t.csv");
    ASSERT_TRUE(schema.ok());
    EXPECT_EQ(schema->ToString(), "a: VARCHAR, b: VARCHAR, c: INT64");
}

TEST(CsvReaderTest, InferenceNamesColumnsWithoutHeaderAndFixesBadNames) {
    CsvReadOptions options;
    options.header = false;
    auto schema = CsvReader::InferSchema("\n1,x\n2,y\n", "t.csv", options);
    ASSERT_TRUE(schema.ok());
    EXPECT_EQ(schema->ToString(), "column0: INT64, column1: VARCHAR");
    schema = CsvReader::InferSchema("a,,a,a\n1,2,3,4\n", "t.csv");
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->ToString(), "a: INT64, column1: INT64, a_1: INT64, a_2: INT64");
    // The reader names columns the same way, so the inferred schema maps back.
    EXPECT_EQ(Read("a,,a,a\n1,2,3,4\n", *schema).rows, (Rows{{"1", "2", "3", "4"}}));
}

TEST(CsvReaderTest, InferenceSamplesOnlyMaxRowsAndReadsGzip) {
    std::string csv = "v\n";
    for (int i = 0; i < 100; ++i) csv += std::to_string(i) + "\n";
    csv += "text\n";
    auto sampled = CsvReader::InferSchema(Gzip(csv), "t.csv.gz", {}, 100);
    ASSERT_TRUE(sampled.ok());
    EXPECT_EQ(sampled->ToString(), "v: INT64");
    auto all = CsvReader::InferSchema(Gzip(csv), "t.csv.gz", {}, 101);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->ToString(), "v: VARCHAR");
}

// ---- Property: random tables written with random quoting read back equal ------------------

// An RFC 4180 writer that quotes a field when it must and, at random, when it need not.
std::string WriteCsv(const Rows& rows, char delimiter, const std::string& eol, std::mt19937& rng) {
    std::string out;
    for (const auto& row : rows) {
        for (size_t c = 0; c < row.size(); ++c) {
            if (c > 0) out += delimiter;
            const std::string& v = row[c];
            const bool must = v.empty() || v.find_first_of(std::string("\"\r\n") + delimiter) !=
                                               std::string::npos;
            if (must || rng() % 3 == 0) {
                out += '"';
                for (char ch : v) {
                    if (ch == '"') out += '"';
                    out += ch;
                }
                out += '"';
            } else {
                out += v;
            }
        }
        if (&row != &rows.back() || rng() % 2 == 0) out += eol;
    }
    return out;
}

TEST(CsvReaderTest, PropertyRandomTablesReadBackEqual) {
    std::mt19937 rng(20240607);
    const std::vector<std::string> alphabet = {"a",  "b",  " ",  ",",        ";", "\t", "|",
                                               "\"", "\r", "\n", "\xC3\xA9", "x", "1"};
    for (int round = 0; round < 200; ++round) {
        const size_t columns = 1 + rng() % 5;
        const size_t num_rows = rng() % 40;
        const char delimiter = ",;\t|"[rng() % 4];
        const std::string eol = rng() % 2 ? "\r\n" : "\n";
        std::vector<std::string> names;
        for (size_t c = 0; c < columns; ++c) names.push_back("c" + std::to_string(c));
        Rows rows = {names};
        for (size_t r = 0; r < num_rows; ++r) {
            std::vector<std::string> row;
            for (size_t c = 0; c < columns; ++c) {
                std::string v;
                const size_t len = 1 + rng() % 8;  // non-empty: empty is NULL unless quoted
                for (size_t k = 0; k < len; ++k) v += alphabet[rng() % alphabet.size()];
                row.push_back(v);
            }
            rows.push_back(std::move(row));
        }
        CsvReadOptions options;
        options.delimiter = delimiter;
        options.batch_rows = 1 + rng() % 7;
        const std::string csv = WriteCsv(rows, delimiter, eol, rng);
        const bool gzip = rng() % 4 == 0;
        ReadResult r = Read(gzip ? Gzip(csv) : csv, Varchars(names), options);
        const Rows want(rows.begin() + 1, rows.end());
        ASSERT_EQ(r.rows, want) << "round " << round << "\n" << csv;
        ASSERT_EQ(r.error_count, 0u) << r.errors[0].message;
    }
}

}  // namespace
}  // namespace tarn::format
