#include "columnar/value_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>

namespace tarn::columnar {
namespace {

std::string Json(const ColumnVector& v, size_t row) {
    std::string out;
    AppendValueJson(v, row, &out);
    return out;
}

std::string Csv(const ColumnVector& v, size_t row) {
    std::string out;
    AppendValueCsv(v, row, &out);
    return out;
}

int128_t Pow10(int n) {
    int128_t v = 1;
    for (int i = 0; i < n; ++i) v *= 10;
    return v;
}

TEST(ValueFormatTest, NullIsNullOrEmpty) {
    for (const DataType& t :
         {DataType::Int32(), DataType::Varchar(), DataType::Varbinary(), DataType::Decimal(30, 2),
          DataType::Date(), DataType::List(DataType::Int32()),
          DataType::Struct({Field{"a", DataType::Int32()}}),
          DataType::Map(DataType::Varchar(), DataType::Int32())}) {
        ColumnVector v(t);
        v.AppendNull();
        EXPECT_EQ(Json(v, 0), "null") << t.ToString();
        EXPECT_EQ(Csv(v, 0), "") << t.ToString();
    }
}

TEST(ValueFormatTest, BooleansAndIntegerExtremes) {
    ColumnVector b(DataType::Boolean());
    b.Append<bool>(true);
    b.Append<bool>(false);
    EXPECT_EQ(Json(b, 0), "true");
    EXPECT_EQ(Json(b, 1), "false");
    EXPECT_EQ(Csv(b, 0), "true");

    ColumnVector i8(DataType::Int8());
    i8.Append<int8_t>(-128);
    i8.Append<int8_t>(127);
    EXPECT_EQ(Json(i8, 0), "-128");
    EXPECT_EQ(Json(i8, 1), "127");
    ColumnVector i16(DataType::Int16());
    i16.Append<int16_t>(-32768);
    EXPECT_EQ(Json(i16, 0), "-32768");
    ColumnVector i32(DataType::Int32());
    i32.Append<int32_t>(std::numeric_limits<int32_t>::min());
    EXPECT_EQ(Json(i32, 0), "-2147483648");
    ColumnVector i64(DataType::Int64());
    i64.Append<int64_t>(std::numeric_limits<int64_t>::min());
    i64.Append<int64_t>(std::numeric_limits<int64_t>::max());
    i64.Append<int64_t>(0);
    EXPECT_EQ(Json(i64, 0), "-9223372036854775808");
    EXPECT_EQ(Json(i64, 1), "9223372036854775807");
    EXPECT_EQ(Json(i64, 2), "0");
    EXPECT_EQ(Csv(i64, 0), "-9223372036854775808");
}

TEST(ValueFormatTest, FloatingPointShortestRoundTrip) {
    ColumnVector d(DataType::Double());
    const double values[] = {0.1,
                             -0.0,
                             1e21,
                             123456789.125,
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::denorm_min(),
                             std::nan(""),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()};
    for (double x : values) d.Append<double>(x);
    EXPECT_EQ(Json(d, 0), "0.1");
    EXPECT_EQ(Json(d, 1), "-0");
    EXPECT_EQ(Json(d, 2), "1e+21");
    EXPECT_EQ(Json(d, 3), "123456789.125");
    EXPECT_EQ(Json(d, 4), "1.7976931348623157e+308");
    EXPECT_EQ(Json(d, 5), "5e-324");
    // Non-finite values: JSON strings; CSV bare words.
    EXPECT_EQ(Json(d, 6), "\"NaN\"");
    EXPECT_EQ(Json(d, 7), "\"Infinity\"");
    EXPECT_EQ(Json(d, 8), "\"-Infinity\"");
    EXPECT_EQ(Csv(d, 6), "NaN");
    EXPECT_EQ(Csv(d, 7), "Infinity");
    EXPECT_EQ(Csv(d, 8), "-Infinity");
    for (size_t i = 0; i < 6; ++i) {  // round trip
        EXPECT_EQ(std::strtod(Json(d, i).c_str(), nullptr), values[i]) << i;
    }

    ColumnVector f(DataType::Float());
    f.Append<float>(0.1f);
    f.Append<float>(std::numeric_limits<float>::max());
    f.Append<float>(-std::numeric_limits<float>::infinity());
    EXPECT_EQ(Json(f, 0), "0.1");  // shortest for float, not 0.10000000149011612
    EXPECT_EQ(Json(f, 1), "3.4028235e+38");
    EXPECT_EQ(Json(f, 2), "\"-Infinity\"");
}

TEST(ValueFormatTest, Decimals) {
    ColumnVector d(DataType::Decimal(10, 2));
    for (int64_t v : {12345LL, -5LL, 0LL, -12345LL, 100LL, 9999999999LL}) d.Append<int64_t>(v);
    EXPECT_EQ(Json(d, 0), "123.45");
    EXPECT_EQ(Json(d, 1), "-0.05");
    EXPECT_EQ(Json(d, 2), "0.00");
    EXPECT_EQ(Json(d, 3), "-123.45");
    EXPECT_EQ(Json(d, 4), "1.00");
    EXPECT_EQ(Json(d, 5), "99999999.99");
    EXPECT_EQ(Csv(d, 1), "-0.05");

    ColumnVector s0(DataType::Decimal(5, 0));
    s0.Append<int64_t>(-42);
    EXPECT_EQ(Json(s0, 0), "-42");

    ColumnVector s18(DataType::Decimal(18, 18));
    s18.Append<int64_t>(999999999999999999);
    s18.Append<int64_t>(-1);
    EXPECT_EQ(Json(s18, 0), "0.999999999999999999");
    EXPECT_EQ(Json(s18, 1), "-0.000000000000000001");

    const int128_t max38 = Pow10(38) - 1;
    ColumnVector w0(DataType::Decimal(38, 0));
    w0.Append<int128_t>(max38);
    w0.Append<int128_t>(-max38);
    EXPECT_EQ(Json(w0, 0), std::string(38, '9'));
    EXPECT_EQ(Json(w0, 1), "-" + std::string(38, '9'));

    ColumnVector w38(DataType::Decimal(38, 38));
    w38.Append<int128_t>(max38);
    w38.Append<int128_t>(-max38);
    w38.Append<int128_t>(-7);
    EXPECT_EQ(Json(w38, 0), "0." + std::string(38, '9'));
    EXPECT_EQ(Json(w38, 1), "-0." + std::string(38, '9'));
    EXPECT_EQ(Json(w38, 2), "-0." + std::string(37, '0') + "7");

    ColumnVector w10(DataType::Decimal(38, 10));
    w10.Append<int128_t>(-max38);
    w10.Append<int128_t>(Pow10(20) + 5);  // crosses the 64-bit boundary
    EXPECT_EQ(Json(w10, 0), "-" + std::string(28, '9') + "." + std::string(10, '9'));
    EXPECT_EQ(Json(w10, 1), "10000000000.0000000005");

    // The formatter itself handles the whole int128 range.
    std::string out;
    const int128_t min128 = static_cast<int128_t>(uint128_t{1} << 127);
    AppendDecimal(min128, 0, &out);
    EXPECT_EQ(out, "-170141183460469231731687303715884105728");
}

TEST(ValueFormatTest, Dates) {
    ColumnVector d(DataType::Date());
    for (int32_t v : {0, -1, 19000, -719528, -719529, std::numeric_limits<int32_t>::min(),
                      std::numeric_limits<int32_t>::max()}) {
        d.Append<int32_t>(v);
    }
    EXPECT_EQ(Json(d, 0), "\"1970-01-01\"");
    EXPECT_EQ(Json(d, 1), "\"1969-12-31\"");
    EXPECT_EQ(Json(d, 2), "\"2022-01-08\"");
    EXPECT_EQ(Json(d, 3), "\"0000-01-01\"");
    EXPECT_EQ(Json(d, 4), "\"-0001-12-31\"");
    EXPECT_EQ(Json(d, 5), "\"-5877641-06-23\"");
    EXPECT_EQ(Json(d, 6), "\"5881580-07-11\"");
    EXPECT_EQ(Csv(d, 2), "2022-01-08");
}

TEST(ValueFormatTest, Timestamps) {
    ColumnVector t(DataType::Timestamp());
    for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1767225612345678}, int64_t{1767225612000000},
                      int64_t{1500}, int64_t{-31536000000000}, std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max()}) {
        t.Append<int64_t>(v);
    }
    EXPECT_EQ(Json(t, 0), "\"1970-01-01 00:00:00\"");
    EXPECT_EQ(Json(t, 1), "\"1969-12-31 23:59:59.999999\"");
    EXPECT_EQ(Json(t, 2), "\"2026-01-01 00:00:12.345678\"");
    EXPECT_EQ(Json(t, 3), "\"2026-01-01 00:00:12\"");
    EXPECT_EQ(Json(t, 4), "\"1970-01-01 00:00:00.001500\"");
    EXPECT_EQ(Json(t, 5), "\"1969-01-01 00:00:00\"");
    EXPECT_EQ(Json(t, 6), "\"-290308-12-21 19:59:05.224192\"");
    EXPECT_EQ(Json(t, 7), "\"294247-01-10 04:00:54.775807\"");
    EXPECT_EQ(Csv(t, 2), "2026-01-01 00:00:12.345678");
}

TEST(ValueFormatTest, StringsAndBinary) {
    ColumnVector s(DataType::Varchar());
    s.AppendString("plain");
    s.AppendString("");
    s.AppendString("say \"hi\"\n\ttab\\ \x01 é");
    s.AppendString("a,b");
    s.AppendString("line\r\nbreak");
    EXPECT_EQ(Json(s, 0), "\"plain\"");
    EXPECT_EQ(Json(s, 1), "\"\"");
    EXPECT_EQ(Json(s, 2), "\"say \\\"hi\\\"\\n\\ttab\\\\ \\u0001 é\"");
    EXPECT_EQ(Csv(s, 0), "plain");
    EXPECT_EQ(Csv(s, 1), "\"\"");  // empty string differs from null (empty field)
    EXPECT_EQ(Csv(s, 2), "\"say \"\"hi\"\"\n\ttab\\ \x01 é\"");
    EXPECT_EQ(Csv(s, 3), "\"a,b\"");
    EXPECT_EQ(Csv(s, 4), "\"line\r\nbreak\"");

    ColumnVector b(DataType::Varbinary());
    b.AppendString(std::string("\x00\xff\x10", 3));
    b.AppendString("");
    b.AppendString("hello");
    EXPECT_EQ(Json(b, 0), "\"AP8Q\"");
    EXPECT_EQ(Json(b, 1), "\"\"");
    EXPECT_EQ(Json(b, 2), "\"aGVsbG8=\"");
    EXPECT_EQ(Csv(b, 0), "AP8Q");
    EXPECT_EQ(Csv(b, 1), "\"\"");
    EXPECT_EQ(Csv(b, 2), "aGVsbG8=");
}

TEST(ValueFormatTest, CsvTextQuoting) {
    auto csv = [](std::string_view s) {
        std::string out;
        AppendCsvText(s, &out);
        return out;
    };
    EXPECT_EQ(csv("abc"), "abc");
    EXPECT_EQ(csv(" spaced "), " spaced ");
    EXPECT_EQ(csv(""), "\"\"");
    EXPECT_EQ(csv("\""), "\"\"\"\"");
    EXPECT_EQ(csv("x\ny"), "\"x\ny\"");
    EXPECT_EQ(csv("cr\r"), "\"cr\r\"");
    EXPECT_EQ(csv("1,2"), "\"1,2\"");
}

TEST(ValueFormatTest, NestedValues) {
    // STRUCT<a: INT32, b: LIST<VARCHAR>, m: MAP<VARCHAR, DOUBLE>>
    const DataType type = DataType::Struct(
        {Field{"a", DataType::Int32()}, Field{"b", DataType::List(DataType::Varchar())},
         Field{"m", DataType::Map(DataType::Varchar(), DataType::Double())}});
    ColumnVector v(type);
    v.child(0).Append<int32_t>(1);
    v.child(1).child(0).AppendString("x,y");
    v.child(1).child(0).AppendNull();
    v.child(1).AppendListEnd();
    v.child(2).child(0).AppendString("k\"1");
    v.child(2).child(1).Append<double>(0.5);
    v.child(2).child(0).AppendString("k2");
    v.child(2).child(1).AppendNull();
    v.child(2).AppendListEnd();
    v.AppendStructEnd();
    v.AppendNull();
    v.child(0).AppendNull();
    v.child(1).AppendListEnd();
    v.child(2).AppendNull();
    v.AppendStructEnd();
    ASSERT_TRUE(v.Validate().ok()) << v.Validate().ToString();

    EXPECT_EQ(Json(v, 0), R"({"a":1,"b":["x,y",null],"m":{"k\"1":0.5,"k2":null}})");
    EXPECT_EQ(Json(v, 1), "null");
    EXPECT_EQ(Json(v, 2), R"({"a":null,"b":[],"m":null})");
    EXPECT_EQ(Csv(v, 0), R"("{""a"":1,""b"":[""x,y"",null],""m"":{""k\""1"":0.5,""k2"":null}}")");
    EXPECT_EQ(Csv(v, 2), R"("{""a"":null,""b"":[],""m"":null}")");

    ColumnVector list(DataType::List(DataType::Int64()));
    list.AppendListEnd();
    EXPECT_EQ(Csv(list, 0), "\"[]\"");  // nested values are always quoted

    ColumnVector m(DataType::Map(DataType::Int32(), DataType::List(DataType::Date())));
    m.child(0).Append<int32_t>(7);
    m.child(1).child(0).Append<int32_t>(0);
    m.child(1).AppendListEnd();
    m.child(0).Append<int32_t>(-1);
    m.child(1).AppendNull();
    m.AppendListEnd();
    ASSERT_TRUE(m.Validate().ok()) << m.Validate().ToString();
    EXPECT_EQ(Json(m, 0), R"([{"key":7,"value":["1970-01-01"]},{"key":-1,"value":null}])");
}

TEST(ValueFormatTest, RowsAsJsonObjects) {
    auto schema =
        Schema::Make({Field{"id", DataType::Int64()}, Field{"name\"q", DataType::Varchar()},
                      Field{"at", DataType::Timestamp()}});
    ASSERT_TRUE(schema.ok());
    RecordBatch b(std::make_shared<const Schema>(std::move(schema).value()));
    b.column(0).Append<int64_t>(5);
    b.column(1).AppendString("x");
    b.column(2).AppendNull();
    b.set_num_rows(1);
    ASSERT_TRUE(b.Validate().ok());
    std::string out;
    AppendRowJson(b, 0, &out);
    EXPECT_EQ(out, R"({"id":5,"name\"q":"x","at":null})");
}

}  // namespace
}  // namespace tarn::columnar
