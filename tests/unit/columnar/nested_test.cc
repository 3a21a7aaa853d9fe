// Building STRUCT, LIST and MAP vectors, and Validate() catching each broken nested invariant.
#include <gtest/gtest.h>

#include <string>

#include "columnar/column_vector.h"

namespace tarn::columnar {
namespace {

void ExpectInvalid(const ColumnVector& v, const std::string& needle) {
    const Status s = v.Validate("col");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "expected: " << needle;
    EXPECT_NE(s.message().find(needle), std::string::npos)
        << "expected '" << needle << "' in: " << s.ToString();
}

// [[1, 2], null, [], [3]]
ColumnVector MakeIntList() {
    ColumnVector v(DataType::List(DataType::Int32()));
    v.child(0).Append<int32_t>(1);
    v.child(0).Append<int32_t>(2);
    v.AppendListEnd();
    v.AppendNull();
    v.AppendListEnd();
    v.child(0).Append<int32_t>(3);
    v.AppendListEnd();
    return v;
}

TEST(NestedTest, BuildsList) {
    ColumnVector v = MakeIntList();
    ASSERT_EQ(v.length(), 4u);
    ASSERT_EQ(v.num_children(), 1u);
    EXPECT_EQ(v.child(0).length(), 3u);
    EXPECT_EQ(v.ListLength(0), 2u);
    EXPECT_TRUE(v.IsNull(1));
    EXPECT_EQ(v.ListLength(1), 0u);
    EXPECT_TRUE(v.IsValid(2));
    EXPECT_EQ(v.ListLength(2), 0u);
    EXPECT_EQ(v.offsets()[3], 2u);
    EXPECT_EQ(v.offsets()[4], 3u);
    EXPECT_EQ(v.child(0).Value<int32_t>(v.offsets()[3]), 3);
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
}

TEST(NestedTest, ListValidateCatchesBrokenOffsets) {
    {
        ColumnVector v = MakeIntList();
        v.mutable_offsets()[2] = 1;  // 2 -> 1
        ExpectInvalid(v, "offsets decrease at row 1");
    }
    {
        ColumnVector v = MakeIntList();
        v.child(0).Append<int32_t>(99);  // an element no slot owns
        ExpectInvalid(v, "last offset 3 != length 4 of child 'element'");
    }
    {
        ColumnVector v = MakeIntList();
        v.mutable_offsets()[4] = 7;  // past the child
        ExpectInvalid(v, "last offset 7 != length 3");
    }
    {
        ColumnVector v = MakeIntList();
        v.mutable_offsets()[0] = 1;
        ExpectInvalid(v, "offsets[0] is 1");
    }
    {
        ColumnVector v(DataType::List(Field{"element", DataType::Int32(), false}));
        v.child(0).Append<int32_t>(1);
        v.child(0).AppendNull();
        v.AppendListEnd();
        ExpectInvalid(v, "non-nullable child 'element' must not be null; found 1 nulls");
    }
}

TEST(NestedTest, ListOfStringsAndResize) {
    ColumnVector v(DataType::List(DataType::Varchar()));
    v.child(0).AppendString("a");
    v.child(0).AppendString("");
    v.child(0).AppendNull();
    v.AppendListEnd();
    v.child(0).AppendString("z");
    v.AppendListEnd();
    EXPECT_TRUE(v.Validate().ok());
    v.Resize(5);  // three empty lists
    EXPECT_EQ(v.ListLength(4), 0u);
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
    v.Resize(1);  // the child drops the elements of removed slots
    EXPECT_EQ(v.child(0).length(), 3u);
    EXPECT_EQ(v.child(0).string_bytes(), 1u);
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
}

TEST(NestedTest, ChildErrorsNameThePath) {
    ColumnVector v(DataType::List(DataType::Varchar()));
    v.child(0).AppendString("\xFF");
    v.AppendListEnd();
    ExpectInvalid(v, "column 'col.element' (VARCHAR): value at row 0 is not valid UTF-8");
}

// {a: 1, b: "x"}, null, {a: null, b: "y"}
ColumnVector MakeStruct() {
    ColumnVector v(
        DataType::Struct({Field{"a", DataType::Int64()}, Field{"b", DataType::Varchar(), false}}));
    v.child(0).Append<int64_t>(1);
    v.child(1).AppendString("x");
    v.AppendStructEnd();
    v.AppendNull();
    v.child(0).AppendNull();
    v.child(1).AppendString("y");
    v.AppendStructEnd();
    return v;
}

TEST(NestedTest, BuildsStruct) {
    ColumnVector v = MakeStruct();
    ASSERT_EQ(v.length(), 3u);
    ASSERT_EQ(v.num_children(), 2u);
    EXPECT_EQ(v.child(0).length(), 3u);
    EXPECT_EQ(v.child(1).length(), 3u);
    EXPECT_TRUE(v.IsNull(1));
    // A null struct slot: nullable children get a null, non-nullable ones a default value.
    EXPECT_TRUE(v.child(0).IsNull(1));
    EXPECT_TRUE(v.child(1).IsValid(1));
    EXPECT_EQ(v.child(1).GetString(1), "");
    EXPECT_TRUE(v.IsValid(2));
    EXPECT_TRUE(v.child(0).IsNull(2));
    EXPECT_EQ(v.NullCount(), 1u);
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();

    v.Resize(5);  // children follow
    EXPECT_EQ(v.child(0).length(), 5u);
    EXPECT_EQ(v.child(1).GetString(4), "");
    EXPECT_TRUE(v.Validate().ok());
    v.AppendDefault();
    EXPECT_EQ(v.child(0).Value<int64_t>(5), 0);
    EXPECT_TRUE(v.child(0).IsValid(5));
    EXPECT_TRUE(v.Validate().ok());
}

TEST(NestedTest, StructValidateCatchesBrokenInvariants) {
    {
        ColumnVector v = MakeStruct();
        v.child(0).Append<int64_t>(5);  // a child longer than the struct
        ExpectInvalid(v, "child 'a' has length 4, not 3");
    }
    {
        ColumnVector v = MakeStruct();
        v.child(1).SetNull(0);
        ExpectInvalid(v, "non-nullable child 'b' must not be null");
    }
    {
        ColumnVector v = MakeStruct();
        v.child(1).mutable_offsets()[1] = 5;
        ExpectInvalid(v, "column 'col.b' (VARCHAR): offsets decrease at row 1");
    }
}

// {"a": 1, "b": null}, null, {}
ColumnVector MakeMap() {
    ColumnVector v(DataType::Map(DataType::Varchar(), DataType::Int32()));
    v.child(0).AppendString("a");
    v.child(1).Append<int32_t>(1);
    v.child(0).AppendString("b");
    v.child(1).AppendNull();
    v.AppendListEnd();
    v.AppendNull();
    v.AppendListEnd();
    return v;
}

TEST(NestedTest, BuildsMap) {
    ColumnVector v = MakeMap();
    ASSERT_EQ(v.length(), 3u);
    ASSERT_EQ(v.num_children(), 2u);
    EXPECT_EQ(v.ListLength(0), 2u);
    EXPECT_EQ(v.child(0).GetString(1), "b");
    EXPECT_TRUE(v.child(1).IsNull(1));
    EXPECT_TRUE(v.IsNull(1));
    EXPECT_EQ(v.ListLength(2), 0u);
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
}

TEST(NestedTest, MapValidateCatchesBrokenInvariants) {
    {
        ColumnVector v = MakeMap();
        v.child(0).SetNull(1);
        ExpectInvalid(v, "map keys must not be null");
    }
    {
        ColumnVector v = MakeMap();
        v.child(1).Append<int32_t>(3);  // a value without a key
        ExpectInvalid(v, "last offset 2 != length 3 of child 'value'");
    }
    {
        ColumnVector v = MakeMap();
        v.mutable_offsets()[1] = 3;
        ExpectInvalid(v, "offsets decrease at row 1");
    }
}

TEST(NestedTest, DeepNestingAndReset) {
    // LIST<STRUCT<k: VARCHAR, v: MAP<INT32, LIST<DOUBLE>>>>
    const DataType inner_map = DataType::Map(DataType::Int32(), DataType::List(DataType::Double()));
    const DataType type =
        DataType::List(DataType::Struct({Field{"k", DataType::Varchar()}, Field{"v", inner_map}}));
    ASSERT_TRUE(type.Validate().ok());
    ColumnVector v(type);
    for (int round = 0; round < 2; ++round) {
        for (int row = 0; row < 100; ++row) {
            ColumnVector& items = v.child(0);
            for (int e = 0; e < row % 3; ++e) {
                items.child(0).AppendString("key" + std::to_string(e));
                ColumnVector& map = items.child(1);
                map.child(0).Append<int32_t>(e);
                map.child(1).child(0).Append<double>(0.5 * e);
                map.child(1).AppendListEnd();
                map.AppendListEnd();
                items.AppendStructEnd();
            }
            v.AppendListEnd();
        }
        EXPECT_EQ(v.length(), 100u);
        EXPECT_EQ(v.child(0).length(), 99u);  // 33 * (0 + 1 + 2)
        ASSERT_TRUE(v.Validate().ok()) << v.Validate().ToString();
        const size_t arena_capacity = v.child(0).child(0).string_bytes();
        v.Reset();
        EXPECT_EQ(v.child(0).length(), 0u);
        EXPECT_EQ(v.child(0).child(1).child(1).child(0).length(), 0u);
        EXPECT_GT(arena_capacity, 0u);
        EXPECT_TRUE(v.Validate().ok());
    }
}

}  // namespace
}  // namespace tarn::columnar
