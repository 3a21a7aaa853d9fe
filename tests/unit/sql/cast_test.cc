// CastVector, CanCast and the implicit coercions (CommonSuperType, CanCoerce).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "expr_test_util.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql {
namespace {

using namespace testing;  // NOLINT
using columnar::Field;

const DataType kBigint = DataType::Int64();
const DataType kInt = DataType::Int32();
const DataType kVarchar = DataType::Varchar();

TEST(CastTest, VarcharToIntegers) {
    const ColumnVector in = Vec(kVarchar, {S("42"), S(" -7 "), N(), S("+3")});
    EXPECT_EQ(CastShow(in, kBigint), "42, -7, NULL, 3");
    EXPECT_EQ(CastShow(in, DataType::Int8()), "42, -7, NULL, 3");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("1"), S("abc")}), kBigint),
              "error: Cannot cast 'abc' to BIGINT");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("1.5")}), kInt), "error: Cannot cast '1.5' to INTEGER");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("3000000000")}), kInt),
              "error: Cannot cast '3000000000' to INTEGER");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("1"), S("abc"), S("")}), kBigint, /*try_cast=*/true),
              "1, NULL, NULL");
}

TEST(CastTest, IntegerRanges) {
    EXPECT_EQ(CastShow(Vec(kBigint, {I(3000000000)}), kInt),
              "error: Out of range for integer: 3000000000");
    EXPECT_EQ(CastShow(Vec(kBigint, {I(-129)}), DataType::Int8()),
              "error: Out of range for tinyint: -129");
    EXPECT_EQ(CastShow(Vec(kBigint, {I(127), I(300), N()}), DataType::Int8(), true),
              "127, NULL, NULL");
    EXPECT_EQ(CastShow(Vec(DataType::Int8(), {I(-5)}), kBigint), "-5");
    EXPECT_EQ(CastShow(Vec(kInt, {I(70000)}), DataType::Int16()),
              "error: Out of range for smallint: 70000");
}

TEST(CastTest, DoubleToIntegerRoundsHalfAwayFromZero) {
    const ColumnVector in = Vec(DataType::Double(), {D(2.5), D(-2.5), D(1.4), D(-1.6), N()});
    EXPECT_EQ(CastShow(in, kBigint), "3, -3, 1, -2, NULL");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(1e20)}), kBigint),
              "error: Out of range for bigint: 1e+20");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(std::nan(""))}), kInt),
              "error: Out of range for integer: NaN");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(9223372036854775808.0)}), kBigint, true), "NULL");
    EXPECT_EQ(CastShow(Vec(DataType::Float(), {D(2.5)}), kInt), "3");
}

TEST(CastTest, DecimalToIntegerAndDouble) {
    const ColumnVector in =
        Vec(DataType::Decimal(5, 2), {Dec(5, 2, 12345), Dec(5, 2, 250), Dec(5, 2, -250), N()});
    EXPECT_EQ(CastShow(in, kBigint), "123, 3, -3, NULL");
    EXPECT_EQ(CastShow(in, DataType::Double()), "123.45E0, 2.5E0, -2.5E0, NULL");
    EXPECT_EQ(CastShow(in, DataType::Boolean()), "TRUE, TRUE, TRUE, NULL");
    const ColumnVector wide =
        Vec(DataType::Decimal(38, 0), {Dec(38, 0, columnar::int128_t{1} << 70)});
    EXPECT_EQ(CastShow(wide, kBigint), "error: Out of range for bigint: 1180591620717411303424");
    // Scale 38: the remainder is close to 10^38 and rounds without overflowing.
    const DataType d3838 = DataType::Decimal(38, 38);
    const columnar::int128_t almost_one = internal::Pow10(38) - 1;
    EXPECT_EQ(CastShow(Vec(d3838, {Dec(38, 38, almost_one), Dec(38, 38, -almost_one),
                                   Dec(38, 38, almost_one / 2)}),
                       kBigint),
              "1, -1, 0");
}

TEST(CastTest, DecimalRescaleRoundsHalfUp) {
    const DataType from = DataType::Decimal(6, 4);
    const ColumnVector in = Vec(from, {Dec(6, 4, 12345), Dec(6, 4, 12350), Dec(6, 4, -12350)});
    EXPECT_EQ(CastShow(in, DataType::Decimal(5, 2)),
              "DECIMAL '1.23', DECIMAL '1.24', DECIMAL '-1.24'");
    EXPECT_EQ(CastShow(in, DataType::Decimal(20, 6)),
              "DECIMAL '1.234500', DECIMAL '1.235000', DECIMAL '-1.235000'");
    EXPECT_EQ(CastShow(Vec(DataType::Decimal(5, 2), {Dec(5, 2, 99999)}), DataType::Decimal(4, 2)),
              "error: Cannot cast DECIMAL(5,2) '999.99' to DECIMAL(4,2)");
    EXPECT_EQ(
        CastShow(Vec(DataType::Decimal(5, 2), {Dec(5, 2, 99999)}), DataType::Decimal(4, 2), true),
        "NULL");
}

TEST(CastTest, ToDecimal) {
    const DataType d52 = DataType::Decimal(5, 2);
    EXPECT_EQ(CastShow(Vec(kBigint, {I(123), I(-4), N()}), d52),
              "DECIMAL '123.00', DECIMAL '-4.00', NULL");
    EXPECT_EQ(CastShow(Vec(kBigint, {I(1000)}), d52),
              "error: Cannot cast BIGINT '1000' to DECIMAL(5,2)");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(1.125), D(-1.125)}), d52),
              "DECIMAL '1.13', DECIMAL '-1.13'");
    EXPECT_EQ(
        CastShow(Vec(DataType::Double(), {D(std::numeric_limits<double>::infinity())}), d52, true),
        "NULL");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("1.235"), S(" 7 ")}), d52),
              "DECIMAL '1.24', DECIMAL '7.00'");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("x")}), d52), "error: Cannot cast 'x' to DECIMAL(5,2)");
    EXPECT_EQ(CastShow(Vec(DataType::Boolean(), {B(true)}), d52), "DECIMAL '1.00'");
    // 128-bit targets
    EXPECT_EQ(CastShow(Vec(kBigint, {I(INT64_MAX)}), DataType::Decimal(38, 10)),
              "DECIMAL '9223372036854775807.0000000000'");
}

TEST(CastTest, VarcharToDoubleAndReal) {
    const ColumnVector in =
        Vec(kVarchar, {S("1.5"), S(" 2 "), S("-1e3"), S("NaN"), S("-Infinity")});
    EXPECT_EQ(CastShow(in, DataType::Double()), "1.5E0, 2E0, -1000E0, nan(), -infinity()");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("0.5")}), DataType::Float()), "REAL '0.5'");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("abc")}), DataType::Double()),
              "error: Cannot cast 'abc' to DOUBLE");
}

TEST(CastTest, Booleans) {
    EXPECT_EQ(
        CastShow(Vec(kVarchar, {S("true"), S("FALSE"), S("t"), S("0"), N()}), DataType::Boolean()),
        "TRUE, FALSE, TRUE, FALSE, NULL");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("yes")}), DataType::Boolean()),
              "error: Cannot cast 'yes' to BOOLEAN");
    EXPECT_EQ(CastShow(Vec(DataType::Boolean(), {B(true), B(false)}), kInt), "1, 0");
    EXPECT_EQ(CastShow(Vec(kInt, {I(0), I(-3)}), DataType::Boolean()), "FALSE, TRUE");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(0.0), D(0.1)}), DataType::Boolean()),
              "FALSE, TRUE");
    EXPECT_EQ(CastShow(Vec(DataType::Boolean(), {B(true), N()}), kVarchar), "'true', NULL");
}

TEST(CastTest, ToVarchar) {
    EXPECT_EQ(CastShow(Vec(kBigint, {I(-42), N()}), kVarchar), "'-42', NULL");
    EXPECT_EQ(CastShow(Vec(DataType::Double(), {D(1.5), D(1e21)}), kVarchar), "'1.5', '1e+21'");
    EXPECT_EQ(CastShow(Vec(DataType::Decimal(5, 2), {Dec(5, 2, 150), Dec(5, 2, -5)}), kVarchar),
              "'1.50', '-0.05'");
    EXPECT_EQ(CastShow(Vec(DataType::Date(), {I(19782)}), kVarchar), "'2024-02-29'");
    EXPECT_EQ(
        CastShow(Vec(DataType::Timestamp(), {I(1704164645123000), I(1704153600000000)}), kVarchar),
        "'2024-01-02 03:04:05.123000', '2024-01-02 00:00:00'");
}

TEST(CastTest, DatesAndTimestamps) {
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("2024-02-29"), S(" 1970-01-01 ")}), DataType::Date()),
              "DATE '2024-02-29', DATE '1970-01-01'");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("2024-02-30")}), DataType::Date()),
              "error: Cannot cast '2024-02-30' to DATE");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("2024-01-02 03:04:05.123"), S("2024-01-02T03:04:05"),
                                      S("2024-01-02")}),
                       DataType::Timestamp()),
              "TIMESTAMP '2024-01-02 03:04:05.123000', TIMESTAMP '2024-01-02 03:04:05', "
              "TIMESTAMP '2024-01-02 00:00:00'");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("yesterday")}), DataType::Timestamp(), true), "NULL");
    // TIMESTAMP -> DATE floors, before 1970 too.
    EXPECT_EQ(CastShow(Vec(DataType::Timestamp(), {I(-1), I(86400000000 + 5)}), DataType::Date()),
              "DATE '1969-12-31', DATE '1970-01-02'");
    EXPECT_EQ(CastShow(Vec(DataType::Date(), {I(1), N()}), DataType::Timestamp()),
              "TIMESTAMP '1970-01-02 00:00:00', NULL");
}

TEST(CastTest, Varbinary) {
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("hi")}), DataType::Varbinary()), "X'6869'");
    EXPECT_EQ(CastShow(Vec(DataType::Varbinary(), {S("hi")}), kVarchar), "'hi'");
    EXPECT_EQ(CastShow(Vec(DataType::Varbinary(), {S("\xff")}), kVarchar, true), "NULL");
}

TEST(CastTest, SameTypeCopies) {
    EXPECT_EQ(CastShow(Vec(kBigint, {I(1), N(), I(3)}), kBigint), "1, NULL, 3");
    EXPECT_EQ(CastShow(Vec(kVarchar, {S("a"), N()}), kVarchar), "'a', NULL");
}

// Every pair among the scalar types that cast to each other: the value 1 (and a NULL) goes from
// VARCHAR to `from`, then to `to`, and is read back as text.
TEST(CastTest, EveryNumericAndTextPair) {
    const std::vector<DataType> types = {DataType::Boolean(),
                                         DataType::Int8(),
                                         DataType::Int16(),
                                         DataType::Int32(),
                                         kBigint,
                                         DataType::Float(),
                                         DataType::Double(),
                                         DataType::Decimal(5, 2),
                                         DataType::Decimal(25, 2),
                                         kVarchar};
    auto text_of_one = [](const DataType& to, const DataType& from) -> std::string {
        switch (to.id()) {
            case columnar::TypeId::kBoolean:
                return "'true'";
            case columnar::TypeId::kDecimal:
                return "'1.00'";
            case columnar::TypeId::kVarchar:
                if (from.id() == columnar::TypeId::kBoolean) return "'true'";
                if (from.id() == columnar::TypeId::kDecimal) return "'1.00'";
                return "'1'";
            default:
                return "'1'";
        }
    };
    for (const DataType& from : types) {
        ColumnVector source(from);
        ASSERT_TRUE(CastVector(Vec(kVarchar, {S("1"), N()}), 2, from, false, &source).ok())
            << SqlTypeName(from);
        for (const DataType& to : types) {
            SCOPED_TRACE(SqlTypeName(from) + " -> " + SqlTypeName(to));
            ASSERT_TRUE(CanCast(from, to));
            ColumnVector converted(to);
            ASSERT_TRUE(CastVector(source, 2, to, false, &converted).ok());
            EXPECT_EQ(CastShow(converted, kVarchar), text_of_one(to, from) + ", NULL");
        }
    }
    // DATE, TIMESTAMP and VARCHAR among themselves.
    const std::vector<DataType> temporal = {DataType::Date(), DataType::Timestamp(), kVarchar};
    for (const DataType& from : temporal) {
        ColumnVector source(from);
        ASSERT_TRUE(
            CastVector(Vec(kVarchar, {S("2024-03-01"), N()}), 2, from, false, &source).ok());
        for (const DataType& to : temporal) {
            SCOPED_TRACE(SqlTypeName(from) + " -> " + SqlTypeName(to));
            ColumnVector converted(to);
            ASSERT_TRUE(CastVector(source, 2, to, false, &converted).ok());
            const bool has_time = to.id() == columnar::TypeId::kTimestamp ||
                                  (to.id() == columnar::TypeId::kVarchar &&
                                   from.id() == columnar::TypeId::kTimestamp);
            EXPECT_EQ(CastShow(converted, kVarchar),
                      has_time ? "'2024-03-01 00:00:00', NULL" : "'2024-03-01', NULL");
        }
    }
}

TEST(CastTest, CanCast) {
    EXPECT_TRUE(CanCast(kVarchar, DataType::Timestamp()));
    EXPECT_TRUE(CanCast(DataType::Date(), kVarchar));
    EXPECT_TRUE(CanCast(DataType::Boolean(), DataType::Decimal(3, 1)));
    EXPECT_FALSE(CanCast(DataType::Date(), kBigint));
    EXPECT_FALSE(CanCast(DataType::Boolean(), DataType::Date()));
    EXPECT_FALSE(CanCast(DataType::Varbinary(), kBigint));
    EXPECT_FALSE(CanCast(kVarchar, DataType::List(kVarchar)));
    EXPECT_TRUE(CanCast(DataType::List(kInt), DataType::List(kVarchar)));
    ColumnVector out(kBigint);
    EXPECT_EQ(CastVector(Vec(DataType::Date(), {I(1)}), 1, kBigint, false, &out).message(),
              "Cannot cast DATE to BIGINT");
}

TEST(CastTest, NestedMemberWise) {
    const DataType from = DataType::Struct({Field{"a", kInt}, Field{"b", kVarchar}});
    const DataType to = DataType::Struct({Field{"a", kBigint}, Field{"b", DataType::Double()}});
    ColumnVector in(from);
    in.child(0).Append<int32_t>(1);
    in.child(1).AppendString("2.5");
    in.AppendStructEnd();
    in.child(0).Append<int32_t>(0);
    in.child(1).AppendString("");
    in.AppendStructEnd();
    in.SetNull(1);
    ColumnVector out(to);
    ASSERT_TRUE(CastVector(in, 2, to, false, &out).ok());
    ASSERT_TRUE(out.Validate().ok());
    EXPECT_TRUE(out.IsValid(0));
    EXPECT_TRUE(out.IsNull(1));
    EXPECT_EQ(Show(out.child(0), 1), "1");
    EXPECT_EQ(Show(out.child(1), 1), "2.5E0");

    ColumnVector list(DataType::List(kInt));
    list.child(0).Append<int32_t>(7);
    list.child(0).Append<int32_t>(8);
    list.AppendListEnd();
    list.AppendListEnd();
    ColumnVector strings(DataType::List(kVarchar));
    ASSERT_TRUE(CastVector(list, 2, DataType::List(kVarchar), false, &strings).ok());
    ASSERT_TRUE(strings.Validate().ok());
    EXPECT_EQ(strings.ListLength(0), 2u);
    EXPECT_EQ(strings.ListLength(1), 0u);
    EXPECT_EQ(Show(strings.child(0), 2), "'7', '8'");
}

TEST(CoercionTest, CommonSuperType) {
    auto common = [](const DataType& a, const DataType& b) {
        auto t = CommonSuperType(a, b);
        return t.ok() ? SqlTypeName(*t) : "error: " + t.status().message();
    };
    EXPECT_EQ(common(DataType::Int8(), kInt), "integer");
    EXPECT_EQ(common(kBigint, DataType::Int16()), "bigint");
    EXPECT_EQ(common(kInt, DataType::Decimal(5, 2)), "decimal(12,2)");
    EXPECT_EQ(common(DataType::Int8(), DataType::Decimal(2, 1)), "decimal(4,1)");
    EXPECT_EQ(common(kBigint, DataType::Decimal(38, 2)), "decimal(38,2)");
    EXPECT_EQ(common(DataType::Decimal(10, 2), DataType::Decimal(5, 4)), "decimal(12,4)");
    EXPECT_EQ(common(DataType::Decimal(10, 2), DataType::Double()), "double");
    EXPECT_EQ(common(kBigint, DataType::Float()), "real");
    EXPECT_EQ(common(DataType::Float(), DataType::Double()), "double");
    EXPECT_EQ(common(DataType::Date(), DataType::Timestamp()), "timestamp(3)");
    EXPECT_EQ(common(kVarchar, kBigint), "error: cannot combine varchar and bigint");
    EXPECT_EQ(common(DataType::Boolean(), kInt), "error: cannot combine boolean and integer");
    EXPECT_EQ(common(DataType::List(kInt), DataType::List(kBigint)), "array(bigint)");
    EXPECT_EQ(common(DataType::List(kInt), DataType::List(kVarchar)),
              "error: cannot combine array(integer) and array(varchar)");
}

TEST(CoercionTest, CanCoerce) {
    EXPECT_TRUE(CanCoerce(kInt, kBigint));
    EXPECT_FALSE(CanCoerce(kBigint, kInt));
    EXPECT_TRUE(CanCoerce(kInt, DataType::Decimal(10, 0)));
    EXPECT_TRUE(CanCoerce(kInt, DataType::Decimal(12, 2)));
    EXPECT_FALSE(CanCoerce(kInt, DataType::Decimal(9, 0)));
    EXPECT_FALSE(CanCoerce(DataType::Decimal(12, 2), DataType::Decimal(10, 0)));
    EXPECT_TRUE(CanCoerce(DataType::Decimal(10, 2), DataType::Double()));
    EXPECT_TRUE(CanCoerce(DataType::Date(), DataType::Timestamp()));
    EXPECT_FALSE(CanCoerce(DataType::Timestamp(), DataType::Date()));
    EXPECT_FALSE(CanCoerce(kVarchar, kBigint));
    EXPECT_FALSE(CanCoerce(DataType::Double(), DataType::Float()));
}

}  // namespace
}  // namespace tarn::sql
