#include "format/text_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "columnar/columnar.h"
#include "format/compression.h"
#include "parquet_test_util.h"

namespace tarn::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::RecordBatch;
using columnar::Schema;

std::shared_ptr<const Schema> TestSchema() {
    auto s = Schema::Make({Field{"id", DataType::Int64()}, Field{"name", DataType::Varchar()},
                           Field{"tags", DataType::List(DataType::Varchar())}});
    return std::make_shared<const Schema>(std::move(*s));
}

RecordBatch TestBatch(const std::shared_ptr<const Schema>& schema, int rows) {
    RecordBatch b(schema);
    for (int i = 0; i < rows; ++i) {
        b.column(0).Append<int64_t>(i);
        if (i % 3 == 1) {
            b.column(1).AppendNull();
        } else {
            b.column(1).AppendString(i % 3 == 2 ? "a,\"b\"" : "");
        }
        b.column(2).child(0).AppendString("t" + std::to_string(i));
        b.column(2).AppendListEnd();
    }
    b.set_num_rows(static_cast<size_t>(rows));
    return b;
}

std::string WriteText(TextWriterOptions options, int rows) {
    auto schema = TestSchema();
    testing::MemoryObjectWriter out("out");
    auto writer = TextWriter::Open(&out, schema, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    if (rows > 0) {
        EXPECT_TRUE((*writer)->Write(TestBatch(schema, rows)).ok());
    }
    EXPECT_TRUE((*writer)->Close().ok());
    EXPECT_EQ((*writer)->rows(), static_cast<uint64_t>(rows));
    EXPECT_EQ((*writer)->Close().code(), StatusCode::kFailedPrecondition);
    return out.data();
}

TEST(TextWriterTest, Ndjson) {
    EXPECT_EQ(WriteText({}, 3),
              "{\"id\":0,\"name\":\"\",\"tags\":[\"t0\"]}\n"
              "{\"id\":1,\"name\":null,\"tags\":[\"t1\"]}\n"
              "{\"id\":2,\"name\":\"a,\\\"b\\\"\",\"tags\":[\"t2\"]}\n");
    EXPECT_EQ(WriteText({}, 0), "");
}

TEST(TextWriterTest, CsvWithHeader) {
    TextWriterOptions o;
    o.format = TextFormat::kCsv;
    EXPECT_EQ(WriteText(o, 3),
              "id,name,tags\n"
              "0,\"\",\"[\"\"t0\"\"]\"\n"
              "1,,\"[\"\"t1\"\"]\"\n"
              "2,\"a,\"\"b\"\"\",\"[\"\"t2\"\"]\"\n");
    EXPECT_EQ(WriteText(o, 0), "id,name,tags\n");  // an empty table still has its header
    o.csv_header = false;
    EXPECT_EQ(WriteText(o, 1), "0,\"\",\"[\"\"t0\"\"]\"\n");
}

TEST(TextWriterTest, GzipInflatesToTheSameText) {
    for (TextFormat format : {TextFormat::kNdjson, TextFormat::kCsv}) {
        TextWriterOptions o;
        o.format = format;
        o.buffer_bytes = 4096;  // many flushes
        const std::string plain = WriteText(o, 20000);
        o.gzip = true;
        const std::string packed = WriteText(o, 20000);
        ASSERT_GE(packed.size(), 2u);
        EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
        EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
        EXPECT_LT(packed.size(), plain.size() / 3);
        std::string inflated(plain.size(), '\0');
        ASSERT_TRUE(
            Decompress(CompressionCodec::kGzip, packed, plain.size(), inflated.data()).ok());
        EXPECT_EQ(inflated, plain);
    }
}

TEST(TextWriterTest, ObjectWriterErrorsAreSticky) {
    auto schema = TestSchema();
    testing::MemoryObjectWriter out("out");
    out.FailAfter(100);
    TextWriterOptions o;
    o.buffer_bytes = 64;
    auto writer = TextWriter::Open(&out, schema, o);
    ASSERT_TRUE(writer.ok());
    const Status s = (*writer)->Write(TestBatch(schema, 50));
    EXPECT_EQ(s.code(), StatusCode::kIOError);
    EXPECT_EQ((*writer)->Write(TestBatch(schema, 1)).code(), StatusCode::kIOError);
    EXPECT_EQ((*writer)->Close().code(), StatusCode::kIOError);
    EXPECT_FALSE(
        TextWriter::Open(&out, schema, TextWriterOptions{.gzip = true, .gzip_level = 12}).ok());
}

}  // namespace
}  // namespace tarn::format
