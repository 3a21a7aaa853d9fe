#include "columnar/record_batch.h"

#include <gtest/gtest.h>

#include <memory>

namespace tarn::columnar {
namespace {

std::shared_ptr<const Schema> MakeSchema(std::vector<Field> fields) {
    auto schema = Schema::Make(std::move(fields));
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    return std::make_shared<const Schema>(std::move(schema).value());
}

std::shared_ptr<const Schema> TestSchema() {
    return MakeSchema(
        {Field{"id", DataType::Int64(), false, 1}, Field{"name", DataType::Varchar(), true, 2},
         Field{"tags", DataType::List(DataType::Varchar()), true, 3},
         Field{"attrs", DataType::Map(DataType::Varchar(), DataType::Double()), true, 4},
         Field{
             "loc",
             DataType::Struct({Field{"lat", DataType::Double()}, Field{"lon", DataType::Double()}}),
             true, 5}});
}

void AppendRow(RecordBatch& b, int64_t id) {
    b.column(0).Append<int64_t>(id);
    if (id % 2 == 0) {
        b.column(1).AppendString("n" + std::to_string(id));
    } else {
        b.column(1).AppendNull();
    }
    b.column(2).child(0).AppendString("t");
    b.column(2).AppendListEnd();
    b.column(3).child(0).AppendString("k");
    b.column(3).child(1).Append<double>(1.5);
    b.column(3).AppendListEnd();
    b.column(4).child(0).Append<double>(1.0);
    b.column(4).child(1).Append<double>(2.0);
    b.column(4).AppendStructEnd();
    b.set_num_rows(b.num_rows() + 1);
}

TEST(RecordBatchTest, CreationAllocatesTheVectorTree) {
    RecordBatch b(TestSchema());
    ASSERT_EQ(b.num_columns(), 5u);
    EXPECT_EQ(b.num_rows(), 0u);
    for (size_t i = 0; i < b.num_columns(); ++i) {
        EXPECT_EQ(b.column(i).type(), b.schema()->field(i).type) << i;
    }
    EXPECT_EQ(b.column(0).num_children(), 0u);
    EXPECT_EQ(b.column(2).num_children(), 1u);
    EXPECT_EQ(b.column(2).child(0).type(), DataType::Varchar());
    EXPECT_EQ(b.column(3).num_children(), 2u);
    EXPECT_EQ(b.column(3).child(1).type(), DataType::Double());
    EXPECT_EQ(b.column(4).num_children(), 2u);
    // Reserved for kDefaultBatchRows: appending that many rows does not move the values.
    const int64_t* ids = b.column(0).Data<int64_t>();
    EXPECT_NE(ids, nullptr);
    for (size_t i = 0; i < kDefaultBatchRows; ++i) b.column(0).Append<int64_t>(1);
    EXPECT_EQ(b.column(0).Data<int64_t>(), ids);
    EXPECT_FALSE(b.Validate().ok());  // other columns have 0 rows, num_rows is 0
}

TEST(RecordBatchTest, ValidBatch) {
    RecordBatch b(TestSchema(), 16);
    for (int64_t i = 0; i < 100; ++i) AppendRow(b, i);
    EXPECT_EQ(b.num_rows(), 100u);
    EXPECT_TRUE(b.Validate().ok()) << b.Validate().ToString();
}

TEST(RecordBatchTest, ValidateCatchesLengthMismatch) {
    RecordBatch b(TestSchema());
    AppendRow(b, 1);
    AppendRow(b, 2);
    b.column(1).AppendString("extra");
    const Status s = b.Validate();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("column 'name' has 3 rows, the batch 2"), std::string::npos)
        << s.ToString();
    b.Reset();
    AppendRow(b, 1);
    b.set_num_rows(5);
    EXPECT_NE(b.Validate().message().find("column 'id' has 1 rows, the batch 5"),
              std::string::npos);
}

TEST(RecordBatchTest, ValidateCatchesNullsInNotNullField) {
    RecordBatch b(TestSchema());
    AppendRow(b, 1);
    AppendRow(b, 2);
    b.column(0).SetNull(1);
    const Status s = b.Validate();
    EXPECT_NE(s.message().find("column 'id' is NOT NULL but has 1 nulls"), std::string::npos)
        << s.ToString();
}

TEST(RecordBatchTest, ValidateNamesNestedColumns) {
    RecordBatch b(TestSchema());
    AppendRow(b, 1);
    b.column(3).child(0).SetNull(0);
    const Status s = b.Validate();
    EXPECT_NE(s.message().find("column 'attrs'"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("map keys must not be null"), std::string::npos) << s.ToString();
}

TEST(RecordBatchTest, MakeChecksColumns) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}, Field{"b", DataType::Varchar()}});
    {
        std::vector<ColumnVector> cols;
        cols.emplace_back(DataType::Int32());
        cols.emplace_back(DataType::Varchar());
        cols[0].Append<int32_t>(7);
        cols[1].AppendString("x");
        auto batch = RecordBatch::Make(schema, std::move(cols), 1);
        ASSERT_TRUE(batch.ok()) << batch.status().ToString();
        EXPECT_EQ(batch->column(1).GetString(0), "x");
    }
    {
        std::vector<ColumnVector> cols;
        cols.emplace_back(DataType::Int32());
        auto batch = RecordBatch::Make(schema, std::move(cols), 0);
        EXPECT_NE(batch.status().message().find("1 columns for a schema of 2 fields"),
                  std::string::npos);
    }
    {
        std::vector<ColumnVector> cols;
        cols.emplace_back(DataType::Int64());
        cols.emplace_back(DataType::Varchar());
        auto batch = RecordBatch::Make(schema, std::move(cols), 0);
        EXPECT_NE(batch.status().message().find("column 'a' has type INT64, the schema says INT32"),
                  std::string::npos)
            << batch.status().ToString();
    }
}

TEST(RecordBatchTest, ResetReuseKeepsCapacity) {
    RecordBatch b(TestSchema(), 4);
    for (int64_t i = 0; i < 3000; ++i) AppendRow(b, i);
    ASSERT_TRUE(b.Validate().ok());
    const char* names = b.column(1).string_data();
    const double* lat = b.column(4).child(0).Data<double>();
    const char* tags = b.column(2).child(0).string_data();
    b.Reset();
    EXPECT_EQ(b.num_rows(), 0u);
    EXPECT_EQ(b.column(2).child(0).length(), 0u);
    EXPECT_TRUE(b.Validate().ok());
    for (int64_t i = 0; i < 3000; ++i) AppendRow(b, i);
    EXPECT_EQ(b.column(1).string_data(), names);
    EXPECT_EQ(b.column(4).child(0).Data<double>(), lat);
    EXPECT_EQ(b.column(2).child(0).string_data(), tags);
    EXPECT_TRUE(b.Validate().ok());
}

TEST(RecordBatchTest, EmptySchemaCountsRows) {
    RecordBatch b(std::make_shared<const Schema>());
    b.set_num_rows(42);
    EXPECT_EQ(b.num_columns(), 0u);
    EXPECT_TRUE(b.Validate().ok());
}

}  // namespace
}  // namespace tarn::columnar
