// Dremel shredding of hand-made vectors against hand-computed definition/repetition levels.
#include "format/parquet_levels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "columnar/column_vector.h"
#include "format/parquet_schema.h"

namespace tarn::format {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

struct Shredded {
    std::vector<uint16_t> def;
    std::vector<uint16_t> rep;
    std::vector<uint32_t> values;  // leaf slots
    size_t num_levels = 0;
    bool implicit_def = false;  // def empty: all levels are values
    bool contiguous = false;
};

ParquetSchema SchemaOf(Field f) {
    auto s = Schema::Make({std::move(f)});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return ToParquetSchema(*s);
}

Shredded Shred(const ParquetColumn& col, const ColumnVector& v, size_t begin, size_t end) {
    LevelShredder shredder;
    LeafLevels lv;
    shredder.Shred(col, v, begin, end, &lv);
    Shredded out;
    out.num_levels = lv.num_levels;
    out.def.assign(lv.def.data(), lv.def.data() + lv.def.size());
    out.rep.assign(lv.rep.data(), lv.rep.data() + lv.rep.size());
    out.implicit_def = lv.def.empty();
    out.contiguous = lv.contiguous;
    for (size_t i = 0; i < lv.num_values; ++i) {
        out.values.push_back(lv.contiguous ? static_cast<uint32_t>(lv.value_begin + i)
                                           : lv.value_index[i]);
    }
    if (!out.implicit_def) {
        EXPECT_EQ(out.def.size(), out.num_levels);
        size_t values = 0;
        for (uint16_t d : out.def) values += d == col.max_def_level;
        EXPECT_EQ(values, lv.num_values) << "values are the entries at max_def_level";
    } else {
        EXPECT_EQ(lv.num_values, lv.num_levels);
    }
    if (col.max_rep_level > 0) {
        EXPECT_EQ(out.rep.size(), out.num_levels);
    }
    return out;
}

Shredded Shred(const ParquetColumn& col, const ColumnVector& v) {
    return Shred(col, v, 0, v.length());
}

TEST(LevelShredderTest, FlatRequiredHasNoLevels) {
    const ParquetSchema ps = SchemaOf(Field{"a", DataType::Int64(), false});
    ColumnVector v(DataType::Int64());
    for (int64_t i = 0; i < 5; ++i) v.Append(i);
    const Shredded s = Shred(ps.columns[0], v, 1, 4);
    EXPECT_EQ(s.num_levels, 3u);
    EXPECT_TRUE(s.implicit_def);
    EXPECT_THAT(s.rep, IsEmpty());
    EXPECT_TRUE(s.contiguous);
    EXPECT_THAT(s.values, ElementsAre(1, 2, 3));
}

TEST(LevelShredderTest, FlatOptionalWithoutNullsIsImplicit) {
    const ParquetSchema ps = SchemaOf(Field{"a", DataType::Varchar()});
    ColumnVector v(DataType::Varchar());
    v.AppendString("x");
    v.AppendNull();
    v.AppendString("y");
    v.AppendString("z");
    // Rows [2, 4) have no nulls although the vector does.
    const Shredded s = Shred(ps.columns[0], v, 2, 4);
    EXPECT_TRUE(s.implicit_def);
    EXPECT_TRUE(s.contiguous);
    EXPECT_THAT(s.values, ElementsAre(2, 3));
}

TEST(LevelShredderTest, FlatOptionalWithNulls) {
    const ParquetSchema ps = SchemaOf(Field{"a", DataType::Int32()});
    ColumnVector v(DataType::Int32());
    v.Append<int32_t>(5);
    v.AppendNull();
    v.Append<int32_t>(7);
    v.AppendNull();
    Shredded s = Shred(ps.columns[0], v);
    EXPECT_THAT(s.def, ElementsAre(1, 0, 1, 0));
    EXPECT_FALSE(s.contiguous);
    EXPECT_THAT(s.values, ElementsAre(0, 2));
    s = Shred(ps.columns[0], v, 1, 3);
    EXPECT_THAT(s.def, ElementsAre(0, 1));
    EXPECT_THAT(s.values, ElementsAre(2));
    // Many rows, crossing validity words.
    ColumnVector w(DataType::Int32());
    std::vector<uint16_t> expected;
    std::vector<uint32_t> slots;
    for (uint32_t i = 0; i < 300; ++i) {
        if (i % 3 == 1 || (i > 100 && i < 170)) {
            w.AppendNull();
            expected.push_back(0);
        } else {
            w.Append<int32_t>(static_cast<int32_t>(i));
            expected.push_back(1);
            if (i >= 7) slots.push_back(i);
        }
    }
    s = Shred(ps.columns[0], w, 7, 300);
    EXPECT_THAT(s.def, ElementsAreArray(expected.begin() + 7, expected.end()));
    EXPECT_THAT(s.values, ElementsAreArray(slots));
}

// [[1, 2], null, [], [3, null]]
ColumnVector IntList() {
    ColumnVector v(DataType::List(DataType::Int32()));
    v.child(0).Append<int32_t>(1);
    v.child(0).Append<int32_t>(2);
    v.AppendListEnd();
    v.AppendNull();
    v.AppendListEnd();
    v.child(0).Append<int32_t>(3);
    v.child(0).AppendNull();
    v.AppendListEnd();
    return v;
}

TEST(LevelShredderTest, ListOfNullableInts) {
    const ParquetSchema ps = SchemaOf(Field{"l", DataType::List(DataType::Int32())});
    const ParquetColumn& col = ps.columns[0];
    ASSERT_EQ(col.max_def_level, 3);
    ASSERT_EQ(col.max_rep_level, 1);
    const ColumnVector v = IntList();
    Shredded s = Shred(col, v);
    EXPECT_THAT(s.def, ElementsAre(3, 3, 0, 1, 3, 2));
    EXPECT_THAT(s.rep, ElementsAre(0, 1, 0, 0, 0, 1));
    EXPECT_THAT(s.values, ElementsAre(0, 1, 2));
    // Rows [1, 3): the null and the empty list.
    s = Shred(col, v, 1, 3);
    EXPECT_THAT(s.def, ElementsAre(0, 1));
    EXPECT_THAT(s.rep, ElementsAre(0, 0));
    EXPECT_THAT(s.values, IsEmpty());
    // Row 3 alone.
    s = Shred(col, v, 3, 4);
    EXPECT_THAT(s.def, ElementsAre(3, 2));
    EXPECT_THAT(s.rep, ElementsAre(0, 1));
    EXPECT_THAT(s.values, ElementsAre(2));
}

TEST(LevelShredderTest, NullListHidesTheElementsItsOffsetsCover) {
    // A null list slot may own a non-empty range (column_vector.h); its elements are not values.
    const ParquetSchema ps = SchemaOf(Field{"l", DataType::List(DataType::Int32())});
    ColumnVector v(DataType::List(DataType::Int32()));
    v.child(0).Append<int32_t>(1);
    v.AppendListEnd();
    v.child(0).Append<int32_t>(2);
    v.child(0).Append<int32_t>(3);
    v.AppendListEnd();
    v.SetNull(1);
    v.child(0).Append<int32_t>(4);
    v.AppendListEnd();
    const Shredded s = Shred(ps.columns[0], v);
    EXPECT_THAT(s.def, ElementsAre(3, 0, 3));
    EXPECT_THAT(s.rep, ElementsAre(0, 0, 0));
    EXPECT_THAT(s.values, ElementsAre(0, 3));
}

TEST(LevelShredderTest, RequiredListOfRequiredElementsWithoutNullsIsImplicit) {
    const ParquetSchema ps =
        SchemaOf(Field{"l", DataType::List(Field{"element", DataType::Int32(), false}), false});
    ColumnVector v(ps.schema.field(0).type);
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j <= i; ++j) v.child(0).Append<int32_t>(i * 10 + j);
        v.AppendListEnd();
    }
    const Shredded s = Shred(ps.columns[0], v);
    EXPECT_EQ(ps.columns[0].max_def_level, 1);
    EXPECT_TRUE(s.implicit_def);
    EXPECT_THAT(s.rep, ElementsAre(0, 0, 1, 0, 1, 1));
    EXPECT_TRUE(s.contiguous);
    EXPECT_THAT(s.values, ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST(LevelShredderTest, NullStructWithRequiredAndOptionalChildren) {
    // STRUCT<a: INT32 NOT NULL, b: VARCHAR>: {a: 1, b: "x"}, null, {a: 2, b: null}
    const ParquetSchema ps = SchemaOf(Field{
        "s",
        DataType::Struct({Field{"a", DataType::Int32(), false}, Field{"b", DataType::Varchar()}})});
    ColumnVector v(ps.schema.field(0).type);
    v.child(0).Append<int32_t>(1);
    v.child(1).AppendString("x");
    v.AppendStructEnd();
    v.AppendNull();  // appends a default 0 to `a` (NOT NULL) and a null to `b`
    v.child(0).Append<int32_t>(2);
    v.child(1).AppendNull();
    v.AppendStructEnd();
    ASSERT_TRUE(v.Validate().ok());
    const Shredded a = Shred(ps.columns[0], v);
    EXPECT_EQ(ps.columns[0].max_def_level, 1);
    EXPECT_THAT(a.def, ElementsAre(1, 0, 1));
    EXPECT_THAT(a.rep, IsEmpty());
    EXPECT_THAT(a.values, ElementsAre(0, 2));
    const Shredded b = Shred(ps.columns[1], v);
    EXPECT_EQ(ps.columns[1].max_def_level, 2);
    EXPECT_THAT(b.def, ElementsAre(2, 0, 1));
    EXPECT_THAT(b.values, ElementsAre(0));
}

TEST(LevelShredderTest, NonNullStructOfNullChildren) {
    // A null struct and a struct whose members are null are different levels.
    const ParquetSchema ps =
        SchemaOf(Field{"s", DataType::Struct({Field{"x", DataType::Int64()}})});
    ColumnVector v(ps.schema.field(0).type);
    v.child(0).AppendNull();
    v.AppendStructEnd();
    v.AppendNull();
    v.child(0).Append<int64_t>(9);
    v.AppendStructEnd();
    const Shredded s = Shred(ps.columns[0], v);
    EXPECT_THAT(s.def, ElementsAre(1, 0, 2));
    EXPECT_THAT(s.values, ElementsAre(2));
}

TEST(LevelShredderTest, StructWithoutNullsHasContiguousValues) {
    const ParquetSchema ps =
        SchemaOf(Field{"s", DataType::Struct({Field{"x", DataType::Int64()}})});
    ColumnVector v(ps.schema.field(0).type);
    for (int64_t i = 0; i < 4; ++i) {
        v.child(0).Append<int64_t>(i);
        v.AppendStructEnd();
    }
    const Shredded s = Shred(ps.columns[0], v, 1, 4);
    EXPECT_TRUE(s.implicit_def);
    EXPECT_TRUE(s.contiguous);
    EXPECT_THAT(s.values, ElementsAre(1, 2, 3));
}

TEST(LevelShredderTest, MapWithNullValuesNullAndEmptyMaps) {
    // {"a": 1, "b": null}, null, {}
    const ParquetSchema ps =
        SchemaOf(Field{"m", DataType::Map(DataType::Varchar(), DataType::Int64())});
    ColumnVector v(ps.schema.field(0).type);
    v.child(0).AppendString("a");
    v.child(1).Append<int64_t>(1);
    v.child(0).AppendString("b");
    v.child(1).AppendNull();
    v.AppendListEnd();
    v.AppendNull();
    v.AppendListEnd();
    const ParquetColumn& key = ps.columns[0];
    const ParquetColumn& value = ps.columns[1];
    ASSERT_EQ(key.max_def_level, 2);
    ASSERT_EQ(value.max_def_level, 3);
    const Shredded k = Shred(key, v);
    EXPECT_THAT(k.def, ElementsAre(2, 2, 0, 1));
    EXPECT_THAT(k.rep, ElementsAre(0, 1, 0, 0));
    EXPECT_THAT(k.values, ElementsAre(0, 1));
    const Shredded val = Shred(value, v);
    EXPECT_THAT(val.def, ElementsAre(3, 2, 0, 1));
    EXPECT_THAT(val.rep, ElementsAre(0, 1, 0, 0));
    EXPECT_THAT(val.values, ElementsAre(0));
}

TEST(LevelShredderTest, ListOfLists) {
    // LIST<LIST<INT32 NOT NULL>> NOT NULL: [[1, 2], [3]], [], [null, []], [[4]]
    const DataType inner = DataType::List(Field{"element", DataType::Int32(), false});
    const ParquetSchema ps = SchemaOf(Field{"ll", DataType::List(inner), false});
    const ParquetColumn& col = ps.columns[0];
    ASSERT_EQ(col.max_def_level, 3);
    ASSERT_EQ(col.max_rep_level, 2);
    ColumnVector v(ps.schema.field(0).type);
    ColumnVector& lists = v.child(0);
    ColumnVector& ints = lists.child(0);
    ints.Append<int32_t>(1);
    ints.Append<int32_t>(2);
    lists.AppendListEnd();
    ints.Append<int32_t>(3);
    lists.AppendListEnd();
    v.AppendListEnd();
    v.AppendListEnd();  // []
    lists.AppendNull();
    lists.AppendListEnd();
    v.AppendListEnd();  // [null, []]
    ints.Append<int32_t>(4);
    lists.AppendListEnd();
    v.AppendListEnd();  // [[4]]
    ASSERT_TRUE(v.Validate().ok()) << v.Validate().ToString();
    Shredded s = Shred(col, v);
    EXPECT_THAT(s.def, ElementsAre(3, 3, 3, 0, 1, 2, 3));
    EXPECT_THAT(s.rep, ElementsAre(0, 2, 1, 0, 0, 1, 0));
    EXPECT_THAT(s.values, ElementsAre(0, 1, 2, 3));
    s = Shred(col, v, 2, 4);
    EXPECT_THAT(s.def, ElementsAre(1, 2, 3));
    EXPECT_THAT(s.rep, ElementsAre(0, 1, 0));
    EXPECT_THAT(s.values, ElementsAre(3));
}

TEST(LevelShredderTest, ListOfStructsWithLists) {
    // LIST<STRUCT<x: INT32, y: LIST<VARCHAR>>>:
    //   [{x: 1, y: ["a", "b"]}, {x: 2, y: null}, null], null, [{x: 3, y: []}, {x: null, y: [null]}]
    const DataType st = DataType::Struct(
        {Field{"x", DataType::Int32()}, Field{"y", DataType::List(DataType::Varchar())}});
    const ParquetSchema ps = SchemaOf(Field{"l", DataType::List(st)});
    const ParquetColumn& x = ps.columns[0];
    const ParquetColumn& y = ps.columns[1];
    ASSERT_EQ(x.max_def_level, 4);
    ASSERT_EQ(y.max_def_level, 6);
    ASSERT_EQ(y.max_rep_level, 2);
    ColumnVector v(ps.schema.field(0).type);
    ColumnVector& s = v.child(0);
    ColumnVector& xs = s.child(0);
    ColumnVector& ys = s.child(1);
    xs.Append<int32_t>(1);
    ys.child(0).AppendString("a");
    ys.child(0).AppendString("b");
    ys.AppendListEnd();
    s.AppendStructEnd();
    xs.Append<int32_t>(2);
    ys.AppendNull();
    s.AppendStructEnd();
    s.AppendNull();
    v.AppendListEnd();
    v.AppendNull();
    xs.Append<int32_t>(3);
    ys.AppendListEnd();
    s.AppendStructEnd();
    xs.AppendNull();
    ys.child(0).AppendNull();
    ys.AppendListEnd();
    s.AppendStructEnd();
    v.AppendListEnd();
    ASSERT_TRUE(v.Validate().ok()) << v.Validate().ToString();

    const Shredded sx = Shred(x, v);
    EXPECT_THAT(sx.def, ElementsAre(4, 4, 2, 0, 4, 3));
    EXPECT_THAT(sx.rep, ElementsAre(0, 1, 1, 0, 0, 1));
    EXPECT_THAT(sx.values, ElementsAre(0, 1, 3));
    const Shredded sy = Shred(y, v);
    EXPECT_THAT(sy.def, ElementsAre(6, 6, 3, 2, 0, 4, 5));
    EXPECT_THAT(sy.rep, ElementsAre(0, 2, 1, 1, 0, 0, 1));
    EXPECT_THAT(sy.values, ElementsAre(0, 1));
}

TEST(LevelShredderTest, ReusesScratchAcrossCalls) {
    const ParquetSchema ps = SchemaOf(Field{"l", DataType::List(DataType::Int32())});
    const ColumnVector v = IntList();
    LevelShredder shredder;
    LeafLevels lv;
    for (int i = 0; i < 3; ++i) {
        shredder.Shred(ps.columns[0], v, 0, 4, &lv);
        ASSERT_EQ(lv.num_levels, 6u);
        EXPECT_EQ(lv.def[4], 3);
        shredder.Shred(ps.columns[0], v, 1, 2, &lv);
        ASSERT_EQ(lv.num_levels, 1u);
        EXPECT_EQ(lv.def[0], 0);
    }
}

}  // namespace
}  // namespace tarn::format
