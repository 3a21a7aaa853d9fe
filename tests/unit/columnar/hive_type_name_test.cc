// HiveTypeName: the Hive spelling the catalog stores, and its round trip through ParseDataType.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "columnar/type_parser.h"

namespace tarn::columnar {
namespace {

// Every scalar type (DECIMAL at both storage widths).
std::vector<DataType> Scalars() {
    return {DataType::Boolean(),     DataType::Int8(),         DataType::Int16(),
            DataType::Int32(),       DataType::Int64(),        DataType::Float(),
            DataType::Double(),      DataType::Decimal(10, 2), DataType::Decimal(38, 0),
            DataType::Decimal(1, 1), DataType::Varchar(),      DataType::Varbinary(),
            DataType::Date(),        DataType::Timestamp()};
}

// Every type of `inner`, wrapped in each nested kind.
std::vector<DataType> Wrapped(const std::vector<DataType>& inner) {
    std::vector<DataType> out;
    for (const DataType& t : inner) {
        out.push_back(DataType::List(t));
        out.push_back(DataType::Map(DataType::Varchar(), t));
        out.push_back(DataType::Map(DataType::Int64(), t));
        out.push_back(DataType::Struct({Field{"a", t}, Field{"b c", DataType::Int32()}}));
    }
    return out;
}

void ExpectRoundTrip(const DataType& type) {
    const std::string hive = HiveTypeName(type);
    Result<DataType> parsed = ParseDataType(hive);
    ASSERT_TRUE(parsed.ok()) << hive << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, type) << hive << " parsed as " << parsed->ToString();
    // No spaces outside back-quoted names.
    bool quoted = false;
    for (char c : hive) {
        if (c == '`') quoted = !quoted;
        EXPECT_TRUE(quoted || c != ' ') << hive;
    }
}

TEST(HiveTypeNameTest, Scalars) {
    EXPECT_EQ(HiveTypeName(DataType::Boolean()), "boolean");
    EXPECT_EQ(HiveTypeName(DataType::Int8()), "tinyint");
    EXPECT_EQ(HiveTypeName(DataType::Int16()), "smallint");
    EXPECT_EQ(HiveTypeName(DataType::Int32()), "int");
    EXPECT_EQ(HiveTypeName(DataType::Int64()), "bigint");
    EXPECT_EQ(HiveTypeName(DataType::Float()), "float");
    EXPECT_EQ(HiveTypeName(DataType::Double()), "double");
    EXPECT_EQ(HiveTypeName(DataType::Decimal(12, 3)), "decimal(12,3)");
    EXPECT_EQ(HiveTypeName(DataType::Varchar()), "string");
    EXPECT_EQ(HiveTypeName(DataType::Varbinary()), "binary");
    EXPECT_EQ(HiveTypeName(DataType::Date()), "date");
    EXPECT_EQ(HiveTypeName(DataType::Timestamp()), "timestamp");
}

TEST(HiveTypeNameTest, NestedTypes) {
    EXPECT_EQ(HiveTypeName(DataType::List(DataType::Varchar())), "array<string>");
    EXPECT_EQ(HiveTypeName(DataType::Map(DataType::Varchar(), DataType::List(DataType::Double()))),
              "map<string,array<double>>");
    EXPECT_EQ(
        HiveTypeName(DataType::Struct(
            {Field{"w", DataType::Int32()},
             Field{"tags", DataType::List(DataType::Struct({Field{"k", DataType::Date()}}))}})),
        "struct<w:int,tags:array<struct<k:date>>>");
}

TEST(HiveTypeNameTest, FieldNamesThatAreNotIdentifiersAreBackQuoted) {
    EXPECT_EQ(HiveTypeName(DataType::Struct(
                  {Field{"a b", DataType::Int64()}, Field{"1st", DataType::Boolean()},
                   Field{"_ok9", DataType::Boolean()}, Field{"x`y", DataType::Varchar()}})),
              "struct<`a b`:bigint,`1st`:boolean,_ok9:boolean,`x``y`:string>");
}

TEST(HiveTypeNameTest, NotNullAndFieldIdsAreDropped) {
    const DataType t = DataType::Struct({Field{"a", DataType::Int64(), false, 7}});
    EXPECT_EQ(HiveTypeName(t), "struct<a:bigint>");
    EXPECT_EQ(HiveTypeName(DataType::List(Field{"element", DataType::Int8(), false})),
              "array<tinyint>");
}

TEST(HiveTypeNameTest, EveryTypeRoundTripsThroughParseDataType) {
    std::vector<DataType> all = Scalars();
    const std::vector<DataType> once = Wrapped(Scalars());
    const std::vector<DataType> twice = Wrapped(once);
    all.insert(all.end(), once.begin(), once.end());
    all.insert(all.end(), twice.begin(), twice.end());
    for (const DataType& t : all) ExpectRoundTrip(t);
}

TEST(HiveTypeNameTest, OddFieldNamesRoundTrip) {
    ExpectRoundTrip(
        DataType::Struct({Field{"a b", DataType::Int64()}, Field{"`", DataType::Varchar()},
                          Field{"x:y<z>,", DataType::Double()}, Field{"\"q\"", DataType::Date()},
                          Field{"naïve", DataType::Boolean()}}));
}

TEST(HiveTypeNameTest, HiveSpellingParsesBackToTheSameText) {
    for (std::string_view text :
         {"bigint", "decimal(38,10)", "array<map<string,struct<a:int,`b-c`:binary>>>",
          "struct<ts:timestamp,d:date,f:float,s:smallint,t:tinyint>"}) {
        Result<DataType> t = ParseDataType(text);
        ASSERT_TRUE(t.ok()) << text;
        EXPECT_EQ(HiveTypeName(*t), text);
    }
}

}  // namespace
}  // namespace tarn::columnar
