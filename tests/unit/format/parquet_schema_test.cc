// Schema mapping both ways: what the writer emits for each columnar type, the leaf descriptors
// (paths, levels, steps), round trips, and the reader-side backward-compatibility rules.
#include "format/parquet_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tarn::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using columnar::TypeId;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using K = LogicalType::Kind;
using R = FieldRepetitionType;
using VC = ValueConversion;

Schema MakeSchema(std::vector<Field> fields) {
    auto s = Schema::Make(std::move(fields));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return *s;
}

const SchemaElement& Element(const ParquetSchema& ps, const std::string& name) {
    for (const SchemaElement& e : ps.elements) {
        if (e.name == name) return e;
    }
    ADD_FAILURE() << "no element " << name;
    return ps.elements[0];
}

TEST(DecimalByteLengthTest, LeastBytesHoldingThePrecision) {
    EXPECT_EQ(DecimalByteLength(1), 1);
    EXPECT_EQ(DecimalByteLength(2), 1);
    EXPECT_EQ(DecimalByteLength(3), 2);  // 999 needs 11 bits
    EXPECT_EQ(DecimalByteLength(9), 4);
    EXPECT_EQ(DecimalByteLength(10), 5);
    EXPECT_EQ(DecimalByteLength(18), 8);
    EXPECT_EQ(DecimalByteLength(19), 9);
    EXPECT_EQ(DecimalByteLength(20), 9);
    EXPECT_EQ(DecimalByteLength(21), 9);  // 2^71 > 10^21
    EXPECT_EQ(DecimalByteLength(22), 10);
    EXPECT_EQ(DecimalByteLength(38), 16);
}

TEST(ToParquetSchemaTest, PrimitiveTypes) {
    const Schema s = MakeSchema({
        Field{"b", DataType::Boolean(), false},
        Field{"i8", DataType::Int8()},
        Field{"i16", DataType::Int16()},
        Field{"i32", DataType::Int32(), true, 7},
        Field{"i64", DataType::Int64()},
        Field{"f", DataType::Float()},
        Field{"d", DataType::Double()},
        Field{"dec9", DataType::Decimal(9, 2)},
        Field{"dec18", DataType::Decimal(18, 0)},
        Field{"dec19", DataType::Decimal(19, 4)},
        Field{"dec38", DataType::Decimal(38, 38)},
        Field{"s", DataType::Varchar()},
        Field{"bin", DataType::Varbinary()},
        Field{"day", DataType::Date()},
        Field{"ts", DataType::Timestamp()},
    });
    const ParquetSchema ps = ToParquetSchema(s);
    ASSERT_EQ(ps.elements.size(), 16u);
    EXPECT_EQ(ps.elements[0].name, "schema");
    EXPECT_EQ(ps.elements[0].num_children, 15);
    EXPECT_FALSE(ps.elements[0].repetition_type.has_value());

    const SchemaElement& b = Element(ps, "b");
    EXPECT_EQ(b.type, Type::kBoolean);
    EXPECT_EQ(b.repetition_type, R::kRequired);
    EXPECT_FALSE(b.logical_type.has_value());

    const SchemaElement& i8 = Element(ps, "i8");
    EXPECT_EQ(i8.type, Type::kInt32);
    EXPECT_EQ(i8.repetition_type, R::kOptional);
    EXPECT_EQ(i8.converted_type, ConvertedType::kInt8);
    EXPECT_EQ(i8.logical_type, LogicalType::Integer(8, true));
    EXPECT_EQ(Element(ps, "i16").converted_type, ConvertedType::kInt16);
    EXPECT_EQ(Element(ps, "i16").logical_type, LogicalType::Integer(16, true));

    const SchemaElement& i32 = Element(ps, "i32");
    EXPECT_EQ(i32.type, Type::kInt32);
    EXPECT_FALSE(i32.converted_type.has_value());
    EXPECT_EQ(i32.field_id, 7);
    EXPECT_FALSE(Element(ps, "i64").field_id.has_value());
    EXPECT_EQ(Element(ps, "i64").type, Type::kInt64);
    EXPECT_EQ(Element(ps, "f").type, Type::kFloat);
    EXPECT_EQ(Element(ps, "d").type, Type::kDouble);

    const SchemaElement& dec9 = Element(ps, "dec9");
    EXPECT_EQ(dec9.type, Type::kInt32);
    EXPECT_EQ(dec9.converted_type, ConvertedType::kDecimal);
    EXPECT_EQ(dec9.precision, 9);
    EXPECT_EQ(dec9.scale, 2);
    EXPECT_EQ(dec9.logical_type, LogicalType::Decimal(2, 9));
    EXPECT_EQ(Element(ps, "dec18").type, Type::kInt64);
    const SchemaElement& dec19 = Element(ps, "dec19");
    EXPECT_EQ(dec19.type, Type::kFixedLenByteArray);
    EXPECT_EQ(dec19.type_length, 9);
    EXPECT_EQ(Element(ps, "dec38").type_length, 16);
    EXPECT_EQ(Element(ps, "dec38").logical_type, LogicalType::Decimal(38, 38));

    const SchemaElement& str = Element(ps, "s");
    EXPECT_EQ(str.type, Type::kByteArray);
    EXPECT_EQ(str.converted_type, ConvertedType::kUtf8);
    EXPECT_EQ(str.logical_type, LogicalType::Of(K::kString));
    EXPECT_EQ(Element(ps, "bin").type, Type::kByteArray);
    EXPECT_FALSE(Element(ps, "bin").logical_type.has_value());
    EXPECT_EQ(Element(ps, "day").logical_type, LogicalType::Of(K::kDate));
    EXPECT_EQ(Element(ps, "day").converted_type, ConvertedType::kDate);

    const SchemaElement& ts = Element(ps, "ts");
    EXPECT_EQ(ts.type, Type::kInt64);
    EXPECT_EQ(ts.logical_type, LogicalType::Timestamp(false, TimeUnit::kMicros));
    EXPECT_EQ(ts.converted_type, ConvertedType::kTimestampMicros);

    ASSERT_EQ(ps.columns.size(), 15u);
    EXPECT_EQ(ps.columns[0].max_def_level, 0);
    EXPECT_EQ(ps.columns[1].max_def_level, 1);
    EXPECT_EQ(ps.columns[1].max_rep_level, 0);
    EXPECT_EQ(ps.columns[10].physical_type, Type::kFixedLenByteArray);
    EXPECT_EQ(ps.columns[10].type_length, 16);
    EXPECT_THAT(ps.columns[14].path, ElementsAre("ts"));
    EXPECT_EQ(ps.columns[14].field_index, 14u);
    EXPECT_EQ(ps.columns[14].schema_element, 15u);
}

TEST(ToParquetSchemaTest, NestedTypesUseTheSpecsThreeLevelLayout) {
    Field element{"element", DataType::Varchar(), false, 11};
    Field value{"value", DataType::Int64(), true, 13};
    const Schema s = MakeSchema({
        Field{"tags", DataType::List(element), true, 10},
        Field{"attrs", DataType::Map(Field{"key", DataType::Varchar(), false, 12}, value), false},
        Field{"s",
              DataType::Struct({Field{"x", DataType::Int32()},
                                Field{"y", DataType::List(DataType::Double()), false}}),
              true},
    });
    const ParquetSchema ps = ToParquetSchema(s);
    std::vector<std::string> names;
    for (const SchemaElement& e : ps.elements) names.push_back(e.name);
    EXPECT_THAT(names, ElementsAre("schema", "tags", "list", "element", "attrs", "key_value", "key",
                                   "value", "s", "x", "y", "list", "element"));
    EXPECT_EQ(ps.elements[1].logical_type, LogicalType::Of(K::kList));
    EXPECT_EQ(ps.elements[1].converted_type, ConvertedType::kList);
    EXPECT_EQ(ps.elements[1].repetition_type, R::kOptional);
    EXPECT_EQ(ps.elements[1].field_id, 10);
    EXPECT_EQ(ps.elements[2].repetition_type, R::kRepeated);
    EXPECT_FALSE(ps.elements[2].field_id.has_value());
    EXPECT_EQ(ps.elements[3].repetition_type, R::kRequired);
    EXPECT_EQ(ps.elements[3].field_id, 11);
    EXPECT_EQ(ps.elements[4].logical_type, LogicalType::Of(K::kMap));
    EXPECT_EQ(ps.elements[4].converted_type, ConvertedType::kMap);
    EXPECT_EQ(ps.elements[4].repetition_type, R::kRequired);
    EXPECT_EQ(ps.elements[5].num_children, 2);
    EXPECT_FALSE(ps.elements[5].converted_type.has_value());
    EXPECT_EQ(ps.elements[6].repetition_type, R::kRequired);
    EXPECT_EQ(ps.elements[7].repetition_type, R::kOptional);
    EXPECT_EQ(ps.elements[8].num_children, 2);
    EXPECT_FALSE(ps.elements[8].logical_type.has_value());

    ASSERT_EQ(ps.columns.size(), 5u);
    const ParquetColumn& tags = ps.columns[0];
    EXPECT_THAT(tags.path, ElementsAre("tags", "list", "element"));
    EXPECT_EQ(tags.max_def_level, 2);  // optional list, repeated; element required
    EXPECT_EQ(tags.max_rep_level, 1);
    ASSERT_EQ(tags.steps.size(), 2u);
    EXPECT_EQ(
        tags.steps[0],
        (ColumnStep{
            .kind = TypeId::kList, .optional = true, .def_level = 1, .rep_level = 1, .child = 0}));
    EXPECT_EQ(tags.steps[1],
              (ColumnStep{.kind = TypeId::kVarchar, .optional = false, .def_level = 2}));
    const ParquetColumn& key = ps.columns[1];
    EXPECT_THAT(key.path, ElementsAre("attrs", "key_value", "key"));
    EXPECT_EQ(key.max_def_level, 1);
    EXPECT_EQ(key.max_rep_level, 1);
    EXPECT_EQ(key.steps[0].child, 0);
    const ParquetColumn& val = ps.columns[2];
    EXPECT_EQ(val.max_def_level, 2);
    EXPECT_EQ(val.steps[0].child, 1);
    EXPECT_EQ(val.field_index, 1u);
    const ParquetColumn& y = ps.columns[4];
    EXPECT_THAT(y.path, ElementsAre("s", "y", "list", "element"));
    EXPECT_EQ(y.max_def_level, 3);  // s optional, y required list, repeated, element optional
    EXPECT_EQ(y.max_rep_level, 1);
    ASSERT_EQ(y.steps.size(), 3u);
    EXPECT_EQ(y.steps[0].kind, TypeId::kStruct);
    EXPECT_EQ(y.steps[0].child, 1);
    EXPECT_EQ(
        y.steps[1],
        (ColumnStep{
            .kind = TypeId::kList, .optional = false, .def_level = 1, .rep_level = 1, .child = 0}));
    EXPECT_EQ(y.steps[2].def_level, 3);
    EXPECT_EQ(y.PathString(), "s.y.list.element");
}

TEST(ToParquetSchemaTest, ListOfListsCountsRepetitionLevels) {
    const Schema s =
        MakeSchema({Field{"ll", DataType::List(DataType::List(DataType::Int32())), false}});
    const ParquetSchema ps = ToParquetSchema(s);
    ASSERT_EQ(ps.columns.size(), 1u);
    EXPECT_THAT(ps.columns[0].path, ElementsAre("ll", "list", "element", "list", "element"));
    EXPECT_EQ(ps.columns[0].max_rep_level, 2);
    EXPECT_EQ(ps.columns[0].max_def_level, 4);
    EXPECT_EQ(ps.columns[0].steps[1].rep_level, 2);
}

TEST(RoundTripTest, FromParquetSchemaInvertsToParquetSchema) {
    const Schema s = MakeSchema({
        Field{"id", DataType::Int64(), false, 1},
        Field{"b", DataType::Boolean()},
        Field{"i8", DataType::Int8(), true, 2},
        Field{"i16", DataType::Int16()},
        Field{"f", DataType::Float()},
        Field{"dec5", DataType::Decimal(5, 1)},
        Field{"dec12", DataType::Decimal(12, 3)},
        Field{"dec30", DataType::Decimal(30, 10)},
        Field{"s", DataType::Varchar()},
        Field{"bin", DataType::Varbinary(), false},
        Field{"day", DataType::Date()},
        Field{"ts", DataType::Timestamp()},
        Field{"tags", DataType::List(Field{"element", DataType::Varchar(), false, 3}), true, 4},
        Field{"m", DataType::Map(Field{"key", DataType::Varchar(), false, 5},
                                 Field{"value", DataType::List(DataType::Int32()), true, 6})},
        Field{"st",
              DataType::Struct({Field{"a", DataType::Int32(), false, 8},
                                Field{"b", DataType::Struct({Field{"c", DataType::Date()}})}}),
              true, 7},
    });
    const ParquetSchema out = ToParquetSchema(s);
    auto back = FromParquetSchema(out.elements);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->schema.Equals(s)) << back->schema.ToString() << "\nvs\n" << s.ToString();
    ASSERT_EQ(back->columns.size(), out.columns.size());
    for (size_t i = 0; i < out.columns.size(); ++i) {
        const ParquetColumn& a = out.columns[i];
        const ParquetColumn& b = back->columns[i];
        EXPECT_EQ(a.path, b.path);
        EXPECT_EQ(a.physical_type, b.physical_type);
        EXPECT_EQ(a.type_length, b.type_length);
        EXPECT_EQ(a.max_def_level, b.max_def_level) << a.PathString();
        EXPECT_EQ(a.max_rep_level, b.max_rep_level) << a.PathString();
        EXPECT_EQ(a.steps, b.steps) << a.PathString();
        EXPECT_EQ(a.field_index, b.field_index);
        EXPECT_EQ(a.schema_element, b.schema_element);
        EXPECT_TRUE(a.type.Equals(b.type)) << a.PathString();
    }
    // What the writer writes needs no conversion, except narrow ints and int32 decimals.
    EXPECT_EQ(back->columns[0].conversion, VC::kNone);
    EXPECT_EQ(back->columns[2].conversion, VC::kInt32ToInt8);
    EXPECT_EQ(back->columns[3].conversion, VC::kInt32ToInt16);
    EXPECT_EQ(back->columns[5].conversion, VC::kInt32ToInt64);
    EXPECT_EQ(back->columns[6].conversion, VC::kNone);
    EXPECT_EQ(back->columns[7].conversion, VC::kBigEndianDecimal);
}

// ---- FromParquetSchema: building blocks ---------------------------------------------------

SchemaElement Root(int children) { return SchemaElement{.name = "root", .num_children = children}; }
SchemaElement Leaf(std::string name, Type t, R rep) {
    return SchemaElement{.type = t, .repetition_type = rep, .name = std::move(name)};
}
SchemaElement Group(std::string name, R rep, int children,
                    std::optional<ConvertedType> ct = std::nullopt) {
    return SchemaElement{.repetition_type = rep,
                         .name = std::move(name),
                         .num_children = children,
                         .converted_type = ct};
}
template <class F>
SchemaElement With(SchemaElement e, F f) {
    f(e);
    return e;
}

Result<ParquetSchema> From(std::vector<SchemaElement> el, ParquetSchemaOptions o = {}) {
    return FromParquetSchema(el, o);
}

void ExpectType(const Result<ParquetSchema>& ps, const std::string& expected) {
    ASSERT_TRUE(ps.ok()) << ps.status().ToString();
    EXPECT_EQ(ps->schema.ToString(), expected);
}

TEST(FromParquetSchemaTest, ListBackwardCompatibilityRules) {
    // Rule 1: a repeated primitive is the required element.
    auto r1 = From({Root(1), Group("my_list", R::kOptional, 1, ConvertedType::kList),
                    Leaf("element", Type::kInt32, R::kRepeated)});
    ExpectType(r1, "my_list: LIST<INT32 NOT NULL>");
    EXPECT_THAT(r1->columns[0].path, ElementsAre("my_list", "element"));
    EXPECT_EQ(r1->columns[0].max_def_level, 2);
    EXPECT_EQ(r1->columns[0].max_rep_level, 1);

    // Rule 2: a repeated group of several fields is the required element.
    auto r2 = From({Root(1), Group("my_list", R::kOptional, 1, ConvertedType::kList),
                    Group("element", R::kRepeated, 2),
                    With(Leaf("str", Type::kByteArray, R::kRequired),
                         [](auto& e) { e.converted_type = ConvertedType::kUtf8; }),
                    Leaf("num", Type::kInt32, R::kRequired)});
    ExpectType(r2, "my_list: LIST<STRUCT<str: VARCHAR NOT NULL, num: INT32 NOT NULL> NOT NULL>");
    EXPECT_THAT(r2->columns[1].path, ElementsAre("my_list", "element", "num"));

    // Rule 3: a repeated group holding one repeated field is the element (a list of lists).
    auto r3 = From({Root(1), Group("my_list", R::kOptional, 1, ConvertedType::kList),
                    Group("array", R::kRepeated, 1, ConvertedType::kList),
                    Leaf("array", Type::kInt32, R::kRepeated)});
    ExpectType(r3, "my_list: LIST<LIST<INT32 NOT NULL> NOT NULL>");
    EXPECT_EQ(r3->columns[0].max_rep_level, 2);
    EXPECT_EQ(r3->columns[0].max_def_level, 3);

    // Rule 4: a one-field repeated group named "array" or "<list>_tuple" is the element.
    for (const char* name : {"array", "my_list_tuple"}) {
        auto r4 = From({Root(1), Group("my_list", R::kOptional, 1, ConvertedType::kList),
                        Group(name, R::kRepeated, 1),
                        With(Leaf("str", Type::kByteArray, R::kRequired),
                             [](auto& e) { e.converted_type = ConvertedType::kUtf8; })});
        ExpectType(r4, "my_list: LIST<STRUCT<str: VARCHAR NOT NULL> NOT NULL>");
    }

    // Rule 5: otherwise the one field of the repeated group is the element (3-level), whatever
    // the names.
    auto r5 = From({Root(1), Group("my_list", R::kRequired, 1, ConvertedType::kList),
                    Group("element", R::kRepeated, 1),
                    With(Leaf("str", Type::kByteArray, R::kOptional),
                         [](auto& e) { e.logical_type = LogicalType::Of(K::kString); })});
    ExpectType(r5, "my_list: LIST<VARCHAR> NOT NULL");
    EXPECT_THAT(r5->columns[0].path, ElementsAre("my_list", "element", "str"));
    EXPECT_EQ(r5->columns[0].max_def_level, 2);

    // Arrow's legacy 3-level names ("item").
    auto arrow = From({Root(1), Group("l", R::kOptional, 1, ConvertedType::kList),
                       Group("list", R::kRepeated, 1), Leaf("item", Type::kInt64, R::kOptional)});
    ExpectType(arrow, "l: LIST<INT64>");
    EXPECT_EQ(arrow->schema.field(0).type.element_field().name, "item");
}

TEST(FromParquetSchemaTest, UnannotatedRepeatedFieldsAreRequiredLists) {
    auto ps = From({Root(2),
                    With(Leaf("num", Type::kInt32, R::kRepeated), [](auto& e) { e.field_id = 4; }),
                    Group("my_list", R::kRepeated, 2), Leaf("a", Type::kInt32, R::kRequired),
                    Leaf("b", Type::kByteArray, R::kOptional)});
    ExpectType(ps,
               "num: LIST<INT32 NOT NULL> NOT NULL (id=4), "
               "my_list: LIST<STRUCT<a: INT32 NOT NULL, b: VARBINARY> NOT NULL> NOT NULL");
    EXPECT_EQ(ps->schema.field(0).field_id, 4);
    EXPECT_EQ(ps->schema.field(0).type.element_field().field_id, columnar::kNoFieldId);
    EXPECT_THAT(ps->columns[0].path, ElementsAre("num"));
    EXPECT_EQ(ps->columns[0].max_def_level, 1);
    EXPECT_EQ(ps->columns[0].max_rep_level, 1);
    EXPECT_EQ(
        ps->columns[0].steps[0],
        (ColumnStep{.kind = TypeId::kList, .optional = false, .def_level = 0, .rep_level = 1}));
    EXPECT_EQ(ps->columns[2].max_def_level, 2);
}

TEST(FromParquetSchemaTest, MapsByPositionAndMapKeyValue) {
    // Misnamed children of a MAP group: key and value by position.
    auto m1 = From({Root(1), Group("my_map", R::kOptional, 1, ConvertedType::kMap),
                    Group("map", R::kRepeated, 2),
                    With(Leaf("str", Type::kByteArray, R::kRequired),
                         [](auto& e) { e.converted_type = ConvertedType::kUtf8; }),
                    Leaf("num", Type::kInt32, R::kRequired)});
    ExpectType(m1, "my_map: MAP<VARCHAR, INT32 NOT NULL>");
    EXPECT_THAT(m1->columns[1].path, ElementsAre("my_map", "map", "num"));
    EXPECT_EQ(m1->columns[1].max_def_level, 2);
    EXPECT_EQ(m1->columns[1].steps[0].kind, TypeId::kMap);
    EXPECT_EQ(m1->columns[1].steps[0].child, 1);

    // MAP_KEY_VALUE in place of MAP.
    auto m2 = From({Root(1), Group("my_map", R::kOptional, 1, ConvertedType::kMapKeyValue),
                    Group("map", R::kRepeated, 2, ConvertedType::kMapKeyValue),
                    Leaf("key", Type::kByteArray, R::kRequired),
                    Leaf("value", Type::kInt32, R::kOptional)});
    ExpectType(m2, "my_map: MAP<VARBINARY, INT32>");

    // A key_value group with only a key: a list of keys.
    auto set = From({Root(1), Group("s", R::kRequired, 1, ConvertedType::kMap),
                     Group("key_value", R::kRepeated, 1), Leaf("key", Type::kInt64, R::kRequired)});
    ExpectType(set, "s: LIST<INT64 NOT NULL> NOT NULL");
    EXPECT_EQ(set->schema.field(0).type.element_field().name, "key");

    // An OPTIONAL key is accepted; the columnar key is NOT NULL and the step keeps its level.
    auto opt = From({Root(1), Group("m", R::kOptional, 1, ConvertedType::kMap),
                     Group("key_value", R::kRepeated, 2), Leaf("key", Type::kInt32, R::kOptional),
                     Leaf("value", Type::kInt32, R::kOptional)});
    ExpectType(opt, "m: MAP<INT32, INT32>");
    EXPECT_TRUE(opt->columns[0].steps[1].optional);
    EXPECT_EQ(opt->columns[0].max_def_level, 3);
}

struct LeafCase {
    SchemaElement element;
    std::string type;
    ValueConversion conversion;
};

TEST(FromParquetSchemaTest, LeafTypesAndConversions) {
    auto leaf = [](Type t, auto f) {
        SchemaElement e = Leaf("c", t, R::kOptional);
        f(e);
        return e;
    };
    auto lt = [](LogicalType l) { return [l](SchemaElement& e) { e.logical_type = l; }; };
    auto ct = [](ConvertedType c) { return [c](SchemaElement& e) { e.converted_type = c; }; };
    auto none = [](SchemaElement&) {};
    auto flba = [](int n, auto f) {
        return [n, f](SchemaElement& e) {
            e.type_length = n;
            f(e);
        };
    };
    const std::vector<LeafCase> cases = {
        {leaf(Type::kBoolean, none), "BOOLEAN", VC::kNone},
        {leaf(Type::kInt32, none), "INT32", VC::kNone},
        {leaf(Type::kInt64, none), "INT64", VC::kNone},
        {leaf(Type::kFloat, none), "FLOAT", VC::kNone},
        {leaf(Type::kDouble, none), "DOUBLE", VC::kNone},
        {leaf(Type::kByteArray, none), "VARBINARY", VC::kNone},
        {leaf(Type::kFixedLenByteArray, flba(3, none)), "VARBINARY", VC::kNone},
        {leaf(Type::kInt96, none), "TIMESTAMP", VC::kInt96ToMicros},
        // Legacy ConvertedTypes without a LogicalType.
        {leaf(Type::kByteArray, ct(ConvertedType::kUtf8)), "VARCHAR", VC::kNone},
        {leaf(Type::kByteArray, ct(ConvertedType::kEnum)), "VARCHAR", VC::kNone},
        {leaf(Type::kByteArray, ct(ConvertedType::kJson)), "VARCHAR", VC::kNone},
        {leaf(Type::kByteArray, ct(ConvertedType::kBson)), "VARBINARY", VC::kNone},
        {leaf(Type::kInt32, ct(ConvertedType::kInt8)), "INT8", VC::kInt32ToInt8},
        {leaf(Type::kInt32, ct(ConvertedType::kInt16)), "INT16", VC::kInt32ToInt16},
        {leaf(Type::kInt32, ct(ConvertedType::kInt32)), "INT32", VC::kNone},
        {leaf(Type::kInt64, ct(ConvertedType::kInt64)), "INT64", VC::kNone},
        {leaf(Type::kInt32, ct(ConvertedType::kUint8)), "INT16", VC::kUint32ToInt16},
        {leaf(Type::kInt32, ct(ConvertedType::kUint16)), "INT32", VC::kUint32ToInt32},
        {leaf(Type::kInt32, ct(ConvertedType::kUint32)), "INT64", VC::kUint32ToInt64},
        {leaf(Type::kInt64, ct(ConvertedType::kUint64)), "DECIMAL(20,0)", VC::kUint64ToInt128},
        {leaf(Type::kInt32, ct(ConvertedType::kDate)), "DATE", VC::kNone},
        {leaf(Type::kInt64, ct(ConvertedType::kTimestampMillis)), "TIMESTAMP", VC::kMillisToMicros},
        {leaf(Type::kInt64, ct(ConvertedType::kTimestampMicros)), "TIMESTAMP", VC::kNone},
        {leaf(Type::kInt32, ct(ConvertedType::kTimeMillis)), "INT64", VC::kMillisToMicros},
        {leaf(Type::kInt64, ct(ConvertedType::kTimeMicros)), "INT64", VC::kNone},
        {leaf(Type::kInt32,
              [](SchemaElement& e) {
                  e.converted_type = ConvertedType::kDecimal;
                  e.precision = 9;
                  e.scale = 2;
              }),
         "DECIMAL(9,2)", VC::kInt32ToInt64},
        // LogicalTypes.
        {leaf(Type::kByteArray, lt(LogicalType::Of(K::kString))), "VARCHAR", VC::kNone},
        {leaf(Type::kByteArray, lt(LogicalType::Of(K::kJson))), "VARCHAR", VC::kNone},
        {leaf(Type::kInt32, lt(LogicalType::Integer(8, false))), "INT16", VC::kUint32ToInt16},
        {leaf(Type::kInt64, lt(LogicalType::Integer(64, false))), "DECIMAL(20,0)",
         VC::kUint64ToInt128},
        {leaf(Type::kInt64, lt(LogicalType::Integer(64, true))), "INT64", VC::kNone},
        {leaf(Type::kInt64, lt(LogicalType::Timestamp(true, TimeUnit::kMillis))), "TIMESTAMP",
         VC::kMillisToMicros},
        {leaf(Type::kInt64, lt(LogicalType::Timestamp(true, TimeUnit::kMicros))), "TIMESTAMP",
         VC::kNone},
        {leaf(Type::kInt64, lt(LogicalType::Timestamp(false, TimeUnit::kNanos))), "TIMESTAMP",
         VC::kNanosToMicros},
        {leaf(Type::kInt64, lt(LogicalType::Time(false, TimeUnit::kNanos))), "INT64",
         VC::kNanosToMicros},
        {leaf(Type::kInt64, lt(LogicalType::Decimal(2, 18))), "DECIMAL(18,2)", VC::kNone},
        {leaf(Type::kInt64, lt(LogicalType::Decimal(0, 20))), "DECIMAL(20,0)", VC::kInt64ToInt128},
        {leaf(Type::kFixedLenByteArray, flba(16, lt(LogicalType::Decimal(5, 38)))), "DECIMAL(38,5)",
         VC::kBigEndianDecimal},
        {leaf(Type::kFixedLenByteArray, flba(4, lt(LogicalType::Decimal(1, 7)))), "DECIMAL(7,1)",
         VC::kBigEndianDecimal},
        {leaf(Type::kByteArray, lt(LogicalType::Decimal(3, 25))), "DECIMAL(25,3)",
         VC::kBigEndianDecimal},
        {leaf(Type::kFixedLenByteArray, flba(16, lt(LogicalType::Of(K::kUuid)))), "VARCHAR",
         VC::kUuidToText},
        {leaf(Type::kFixedLenByteArray, flba(2,
                                             [](SchemaElement& e) {
                                                 e.logical_type = LogicalType{
                                                     .kind = static_cast<K>(15)};  // FLOAT16
                                             })),
         "FLOAT", VC::kFloat16ToFloat},
        {leaf(Type::kInt32, lt(LogicalType::Of(K::kUnknown))), "INT32", VC::kNone},
        // The LogicalType wins over a ConvertedType.
        {leaf(Type::kInt64,
              [](SchemaElement& e) {
                  e.converted_type = ConvertedType::kTimestampMicros;
                  e.logical_type = LogicalType::Timestamp(false, TimeUnit::kMillis);
              }),
         "TIMESTAMP", VC::kMillisToMicros},
    };
    for (const LeafCase& c : cases) {
        auto ps = From({Root(1), c.element});
        ASSERT_TRUE(ps.ok()) << c.type << ": " << ps.status().ToString();
        EXPECT_EQ(ps->schema.field(0).type.ToString(), c.type);
        EXPECT_EQ(ps->columns[0].conversion, c.conversion)
            << c.type << ": " << ValueConversionName(ps->columns[0].conversion);
    }
}

TEST(FromParquetSchemaTest, BinaryAsString) {
    auto ps = From({Root(1), Leaf("c", Type::kByteArray, R::kOptional)},
                   ParquetSchemaOptions{.binary_as_string = true});
    ExpectType(ps, "c: VARCHAR");
}

void ExpectError(const Result<ParquetSchema>& ps, StatusCode code, const std::string& needle) {
    ASSERT_FALSE(ps.ok());
    EXPECT_EQ(ps.status().code(), code) << ps.status().ToString();
    EXPECT_THAT(ps.status().message(), HasSubstr(needle));
}

TEST(FromParquetSchemaTest, RefusesWhatItCannotMap) {
    ExpectError(From({Root(1), With(Leaf("iv", Type::kFixedLenByteArray, R::kOptional),
                                    [](auto& e) {
                                        e.type_length = 12;
                                        e.converted_type = ConvertedType::kInterval;
                                    })}),
                StatusCode::kUnimplemented, "INTERVAL");
    ExpectError(
        From({Root(1), With(Leaf("d", Type::kByteArray, R::kOptional),
                            [](auto& e) { e.logical_type = LogicalType::Decimal(0, 40); })}),
        StatusCode::kUnimplemented, "precision 40");
    ExpectError(From({Root(1), With(Leaf("v", Type::kByteArray, R::kOptional),
                                    [](auto& e) {
                                        e.logical_type = LogicalType{.kind = static_cast<K>(16)};
                                    })}),
                StatusCode::kUnimplemented, "logical type 16");
    ExpectError(From({Root(1), Group("g", R::kOptional, 0)}), StatusCode::kUnimplemented,
                "empty group");
}

TEST(FromParquetSchemaTest, RejectsMalformedTrees) {
    ExpectError(From({}), StatusCode::kCorruption, "no root");
    ExpectError(From({Root(3), Leaf("a", Type::kInt32, R::kOptional)}), StatusCode::kCorruption,
                "claims 3 children");
    ExpectError(From({Root(1), Leaf("a", Type::kInt32, R::kOptional),
                      Leaf("b", Type::kInt32, R::kOptional)}),
                StatusCode::kCorruption, "after the end");
    ExpectError(From({Root(1), SchemaElement{.repetition_type = R::kOptional, .name = "x"}}),
                StatusCode::kCorruption, "neither a type nor children");
    ExpectError(From({Root(1), SchemaElement{.type = Type::kInt32, .name = "x"}}),
                StatusCode::kCorruption, "no repetition type");
    ExpectError(
        From({Root(1), Group("l", R::kOptional, 2, ConvertedType::kList),
              Leaf("a", Type::kInt32, R::kRepeated), Leaf("b", Type::kInt32, R::kRepeated)}),
        StatusCode::kCorruption, "exactly one repeated field");
    ExpectError(From({Root(1), Group("l", R::kOptional, 1, ConvertedType::kList),
                      Leaf("a", Type::kInt32, R::kOptional)}),
                StatusCode::kCorruption, "exactly one repeated field");
    ExpectError(From({Root(1), Group("m", R::kOptional, 1, ConvertedType::kMap),
                      Leaf("a", Type::kInt32, R::kRepeated)}),
                StatusCode::kCorruption, "MAP group");
    ExpectError(From({Root(1), With(Leaf("s", Type::kInt32, R::kOptional),
                                    [](auto& e) { e.converted_type = ConvertedType::kUtf8; })}),
                StatusCode::kCorruption, "string annotation");
    ExpectError(From({Root(1), With(Leaf("t", Type::kInt32, R::kOptional),
                                    [](auto& e) {
                                        e.logical_type =
                                            LogicalType::Timestamp(true, TimeUnit::kMicros);
                                    })}),
                StatusCode::kCorruption, "TIMESTAMP must annotate int64");
    ExpectError(From({Root(1), Leaf("f", Type::kFixedLenByteArray, R::kOptional)}),
                StatusCode::kCorruption, "type_length");
    ExpectError(From({Root(2), Leaf("a", Type::kInt32, R::kOptional),
                      Leaf("a", Type::kInt32, R::kOptional)}),
                StatusCode::kCorruption, "valid schema");
    // Nesting deeper than the limit is refused, not recursed into.
    std::vector<SchemaElement> deep = {Root(1)};
    for (int i = 0; i < 200; ++i) deep.push_back(Group("g" + std::to_string(i), R::kOptional, 1));
    deep.push_back(Leaf("x", Type::kInt32, R::kOptional));
    ExpectError(From(deep), StatusCode::kUnimplemented, "deeper");
}

}  // namespace
}  // namespace tarn::format
