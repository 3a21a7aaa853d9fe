#include "columnar/type_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tarn::columnar {
namespace {

DataType MustType(std::string_view text) {
    Result<DataType> t = ParseDataType(text);
    EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
    return t.ok() ? *t : DataType::Boolean();
}

std::string ErrorOf(std::string_view text) {
    Result<DataType> t = ParseDataType(text);
    EXPECT_FALSE(t.ok()) << text;
    return t.ok() ? "" : t.status().message();
}

TEST(TypeParserTest, TarnSpelling) {
    EXPECT_EQ(MustType("INT64"), DataType::Int64());
    EXPECT_EQ(MustType("DECIMAL(10,2)"), DataType::Decimal(10, 2));
    EXPECT_EQ(MustType(" LIST< VARCHAR NOT NULL >"),
              DataType::List(Field{"element", DataType::Varchar(), false}));
    EXPECT_EQ(MustType("MAP<VARCHAR, LIST<INT32>>"),
              DataType::Map(DataType::Varchar(), DataType::List(DataType::Int32())));
    EXPECT_EQ(MustType(R"(STRUCT<a: INT8, "b c": DATE NOT NULL, "q""": TIMESTAMP>)"),
              DataType::Struct({Field{"a", DataType::Int8()}, Field{"b c", DataType::Date(), false},
                                Field{"q\"", DataType::Timestamp()}}));
}

TEST(TypeParserTest, HiveSpellingAsGlueWritesIt) {
    EXPECT_EQ(MustType("bigint"), DataType::Int64());
    EXPECT_EQ(MustType("int"), DataType::Int32());
    EXPECT_EQ(MustType("string"), DataType::Varchar());
    EXPECT_EQ(MustType("varchar(255)"), DataType::Varchar());
    EXPECT_EQ(MustType("char(2)"), DataType::Varchar());
    EXPECT_EQ(MustType("decimal"), DataType::Decimal(10, 0));
    EXPECT_EQ(MustType("decimal(38)"), DataType::Decimal(38, 0));
    EXPECT_EQ(MustType("array<struct<w:int,h:int>>"),
              DataType::List(DataType::Struct(
                  {Field{"w", DataType::Int32()}, Field{"h", DataType::Int32()}})));
    EXPECT_EQ(MustType("map<string,array<double>>"),
              DataType::Map(DataType::Varchar(), DataType::List(DataType::Double())));
    EXPECT_EQ(
        MustType("struct<`a b`:binary,c:boolean>"),
        DataType::Struct({Field{"a b", DataType::Varbinary()}, Field{"c", DataType::Boolean()}}));
}

TEST(TypeParserTest, ErrorsNameThePosition) {
    EXPECT_EQ(ErrorOf("STRUCT<a INT"), "type 'STRUCT<a INT' at 12: expected '>'");
    EXPECT_EQ(ErrorOf("LIST<>"), "type 'LIST<>' at 5: expected a type");
    EXPECT_EQ(ErrorOf("INT64 x"), "type 'INT64 x' at 6: expected the end");
    EXPECT_EQ(ErrorOf("uuid"), "type 'uuid' at 0: expected a type");
    EXPECT_EQ(ErrorOf("STRUCT<\"a: INT>"), "type 'STRUCT<\"a: INT>' at 15: expected a closing \"");
    EXPECT_NE(ErrorOf("DECIMAL(40,2)").find("precision must be 1..38"), std::string::npos);
    EXPECT_NE(ErrorOf("STRUCT<a: INT, a: INT>").find("duplicate STRUCT field name 'a'"),
              std::string::npos);
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "LIST<";
    EXPECT_NE(ErrorOf(deep + "INT").find("less nesting"), std::string::npos);
}

TEST(TypeParserTest, Schemas) {
    Result<Schema> s = ParseSchema("id INT64 NOT NULL, name: VARCHAR (id=7), tags array<string>");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_EQ(s->num_fields(), 3u);
    EXPECT_EQ(s->field(0), (Field{"id", DataType::Int64(), false}));
    EXPECT_EQ(s->field(1), (Field{"name", DataType::Varchar(), true, 7}));
    EXPECT_EQ(s->field(2).type, DataType::List(DataType::Varchar()));
    EXPECT_FALSE(ParseSchema("a INT, a INT").ok());
    EXPECT_FALSE(ParseSchema("a INT,").ok());
    Result<Schema> empty = ParseSchema("  ");
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty->num_fields(), 0u);
}

// ToString's output parses back to the same type, for random types.
DataType RandomType(std::mt19937_64& rng, int depth) {
    const int kind = static_cast<int>(rng() % (depth >= 3 ? 12 : 15));
    switch (kind) {
        case 0:
            return DataType::Boolean();
        case 1:
            return DataType::Int8();
        case 2:
            return DataType::Int16();
        case 3:
            return DataType::Int32();
        case 4:
            return DataType::Int64();
        case 5:
            return DataType::Float();
        case 6:
            return DataType::Double();
        case 7: {
            const int p = 1 + static_cast<int>(rng() % 38);
            return DataType::Decimal(p, static_cast<int>(rng() % (p + 1)));
        }
        case 8:
            return DataType::Varchar();
        case 9:
            return DataType::Varbinary();
        case 10:
            return DataType::Date();
        case 11:
            return DataType::Timestamp();
        case 12: {
            std::vector<Field> fields;
            const size_t n = 1 + rng() % 4;
            for (size_t i = 0; i < n; ++i) {
                const std::string name =
                    i % 2 ? "f" + std::to_string(i) : "x \"" + std::to_string(i);
                fields.push_back(Field{name, RandomType(rng, depth + 1), rng() % 2 == 0});
            }
            return DataType::Struct(std::move(fields));
        }
        case 13:
            return DataType::List(Field{"element", RandomType(rng, depth + 1), rng() % 2 == 0});
        default:
            return DataType::Map(Field{"key", RandomType(rng, 3), false},
                                 Field{"value", RandomType(rng, depth + 1), rng() % 2 == 0});
    }
}

TEST(TypeParserTest, ToStringRoundTrips) {
    std::mt19937_64 rng(20261126);
    for (int i = 0; i < 500; ++i) {
        const DataType t = RandomType(rng, 0);
        const std::string text = t.ToString();
        EXPECT_EQ(MustType(text), t) << text;
    }
}

}  // namespace
}  // namespace tarn::columnar
