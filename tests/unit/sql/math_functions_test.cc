#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "function_test_util.h"

namespace tarn::sql::testing {
namespace {

using columnar::int128_t;

Strings M(std::string_view name, const std::vector<const ColumnVector*>& cols) {
    return Eval(BindMathFunction, name, cols);
}
DataType ReturnType(std::string_view name, const std::vector<const ColumnVector*>& cols) {
    auto f = Bind(BindMathFunction, name, cols);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() && *f ? (*f)->return_type : DataType::Boolean();
}
ColumnVector Dec(int p, int s, std::initializer_list<std::optional<int64_t>> unscaled) {
    return Fixed<int64_t>(DataType::Decimal(p, s), unscaled);
}
ColumnVector WideDec(int p, int s, std::initializer_list<std::optional<int128_t>> unscaled) {
    return Fixed<int128_t>(DataType::Decimal(p, s), unscaled);
}

TEST(MathFunctionTest, NotMineAndMismatches) {
    ColumnVector s = Strs({"a"});
    auto none = Bind(BindMathFunction, "lower", {&s});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, nullptr);
    EXPECT_EQ(M("sqrt", {&s}), Strings{"error: unexpected parameters (varchar) for function sqrt; "
                                       "expected: sqrt(double)"});
    EXPECT_EQ(M("abs", {&s}),
              Strings{"error: unexpected parameters (varchar) for function abs; expected: "
                      "abs(tinyint), abs(smallint), abs(integer), abs(bigint), abs(decimal(p,s)), "
                      "abs(real), abs(double)"});
    ColumnVector i = Ints({1});
    EXPECT_EQ(M("power", {&i}).at(0).substr(0, 28), "error: unexpected parameters");
}

TEST(MathFunctionTest, AbsKeepsTypesAndChecksOverflow) {
    ColumnVector i = Ints({-5, 0, 7, std::nullopt});
    EXPECT_EQ(M("abs", {&i}), (Strings{"5", "0", "7", "NULL"}));
    ColumnVector min = Ints({std::numeric_limits<int64_t>::min()});
    EXPECT_EQ(M("abs", {&min}), Strings{"error: Value -9223372036854775808 is out of range for "
                                        "abs(bigint)"});
    ColumnVector tiny = Fixed<int8_t>(DataType::Int8(), {-128, -3});
    EXPECT_EQ(M("abs", {&tiny}), Strings{"error: Value -128 is out of range for abs(tinyint)"});
    // The error is not raised for a NULL row.
    ColumnVector tiny_null = Fixed<int8_t>(DataType::Int8(), {std::nullopt, -3});
    EXPECT_EQ(M("abs", {&tiny_null}), (Strings{"NULL", "3"}));
    EXPECT_EQ(ReturnType("abs", {&tiny}), DataType::Int8());
    ColumnVector d = Doubles({-1.5, -0.0, std::nullopt});
    EXPECT_EQ(M("abs", {&d}), (Strings{"1.5", "0", "NULL"}));
    ColumnVector dec = Dec(5, 2, {-12345, 100, std::nullopt});
    EXPECT_EQ(M("abs", {&dec}), (Strings{"123.45", "1.00", "NULL"}));
    EXPECT_EQ(ReturnType("abs", {&dec}), DataType::Decimal(5, 2));
    ColumnVector real = Fixed<float>(DataType::Float(), {-2.5f});
    EXPECT_EQ(M("abs", {&real}), Strings{"2.5"});
}

TEST(MathFunctionTest, RoundHalfAwayFromZero) {
    ColumnVector d = Doubles({2.5, -2.5, 0.49999999999999994, 1.005, -0.5, std::nullopt});
    EXPECT_EQ(M("round", {&d}), (Strings{"3", "-3", "0", "1", "-1", "NULL"}));
    ColumnVector digits = Ints({1, 1, 0, 2, 0, 1});
    // 1.005 is 1.00499999999999989... in binary: Trino's round gives 1.0 as well.
    EXPECT_EQ(M("round", {&d, &digits}), (Strings{"2.5", "-2.5", "0", "1", "-1", "NULL"}));
    ColumnVector cents = Doubles({1.125, -1.125});
    ColumnVector two_digits = Ints({2, 2});
    EXPECT_EQ(M("round", {&cents, &two_digits}), (Strings{"1.13", "-1.13"}));
    ColumnVector special = Doubles({NAN, INFINITY, 1e300});
    ColumnVector two = Ints({2, 2, 2});
    EXPECT_EQ(M("round", {&special, &two}), (Strings{"NaN", "Infinity", "1e+300"}));
    ColumnVector i = Ints({1250, -1250, 1249, 42, std::nullopt});
    ColumnVector neg = Ints({-2, -2, -2, 0, -1});
    EXPECT_EQ(M("round", {&i}), (Strings{"1250", "-1250", "1249", "42", "NULL"}));
    EXPECT_EQ(M("round", {&i, &neg}), (Strings{"1300", "-1300", "1200", "42", "NULL"}));
    ColumnVector big = Ints({std::numeric_limits<int64_t>::max()});
    ColumnVector m1 = Ints({-1});
    EXPECT_EQ(M("round", {&big, &m1}).at(0).substr(0, 12), "error: round");
}

TEST(MathFunctionTest, RoundDecimal) {
    ColumnVector dec = Dec(5, 2, {12345, -12350, 99999, -50, std::nullopt});
    EXPECT_EQ(M("round", {&dec}), (Strings{"123", "-124", "1000", "-1", "NULL"}));
    EXPECT_EQ(ReturnType("round", {&dec}), DataType::Decimal(4, 0));
    ColumnVector one = Ints({1, 1, 1, 1, 1});
    EXPECT_EQ(M("round", {&dec, &one}), (Strings{"123.50", "-123.50", "1000.00", "-0.50", "NULL"}));
    EXPECT_EQ(ReturnType("round", {&dec, &one}), DataType::Decimal(6, 2));
    ColumnVector mixed = Ints({-1, -2, 5, 0, 0});
    EXPECT_EQ(M("round", {&dec, &mixed}),
              (Strings{"120.00", "-100.00", "999.99", "-1.00", "NULL"}));
    // 128-bit storage on either side.
    ColumnVector wide = WideDec(20, 3, {int128_t{123456789012345678} * 10 + 5, -1500});
    EXPECT_EQ(M("round", {&wide}), (Strings{"1234567890123457", "-2"}));
    EXPECT_EQ(ReturnType("round", {&wide}), DataType::Decimal(18, 0));
    ColumnVector edge = Dec(18, 0, {999999999999999999});
    ColumnVector m1 = Ints({-1});
    EXPECT_EQ(M("round", {&edge, &m1}), Strings{"1000000000000000000"});  // decimal(19,0)
}

TEST(MathFunctionTest, FloorCeil) {
    ColumnVector d = Doubles({1.5, -1.5, -0.0, std::nullopt});
    EXPECT_EQ(M("floor", {&d}), (Strings{"1", "-2", "-0", "NULL"}));
    EXPECT_EQ(M("ceil", {&d}), (Strings{"2", "-1", "-0", "NULL"}));
    EXPECT_EQ(M("ceiling", {&d}), (Strings{"2", "-1", "-0", "NULL"}));
    ColumnVector dec = Dec(5, 2, {12345, -12345, 100, std::nullopt});
    EXPECT_EQ(M("floor", {&dec}), (Strings{"123", "-124", "1", "NULL"}));
    EXPECT_EQ(M("ceil", {&dec}), (Strings{"124", "-123", "1", "NULL"}));
    EXPECT_EQ(ReturnType("ceil", {&dec}), DataType::Decimal(4, 0));
    ColumnVector integer = Dec(3, 0, {123});
    EXPECT_EQ(ReturnType("floor", {&integer}), DataType::Decimal(3, 0));
    ColumnVector i = Fixed<int32_t>(DataType::Int32(), {7, std::nullopt});
    EXPECT_EQ(M("floor", {&i}), (Strings{"7", "NULL"}));
    EXPECT_EQ(ReturnType("ceil", {&i}), DataType::Int32());
}

TEST(MathFunctionTest, Sign) {
    ColumnVector i = Ints({-9, 0, 4, std::nullopt});
    EXPECT_EQ(M("sign", {&i}), (Strings{"-1", "0", "1", "NULL"}));
    ColumnVector d = Doubles({-2.5, 0, 3, NAN});
    EXPECT_EQ(M("sign", {&d}), (Strings{"-1", "0", "1", "NaN"}));
    ColumnVector dec = Dec(5, 2, {-1, 0, 12345});
    EXPECT_EQ(M("sign", {&dec}), (Strings{"-1", "0", "1"}));
    EXPECT_EQ(ReturnType("sign", {&dec}), DataType::Decimal(1, 0));
}

TEST(MathFunctionTest, DoubleFunctionsFollowIeee) {
    ColumnVector d = Doubles({4, -1, 0, std::nullopt});
    EXPECT_EQ(M("sqrt", {&d}), (Strings{"2", "NaN", "0", "NULL"}));
    EXPECT_EQ(M("ln", {&d}), (Strings{"1.3862943611198906", "NaN", "-Infinity", "NULL"}));
    EXPECT_EQ(M("exp", {&d}), (Strings{"54.598150033144236", "0.36787944117144233", "1", "NULL"}));
    ColumnVector base = Doubles({2, 2, -8, 0});
    ColumnVector e = Doubles({10, -1, 1.0 / 3, -1});
    EXPECT_EQ(M("power", {&base, &e}), (Strings{"1024", "0.5", "NaN", "Infinity"}));
    EXPECT_EQ(M("pow", {&base, &e}), (Strings{"1024", "0.5", "NaN", "Infinity"}));
    // Integers and decimals are widened to double by the binder.
    ColumnVector i = Fixed<int32_t>(DataType::Int32(), {9});
    auto f = Bind(BindMathFunction, "sqrt", {&i});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->arg_types.at(0), DataType::Double());
}

TEST(MathFunctionTest, Mod) {
    ColumnVector a = Ints({7, -7, 7, std::numeric_limits<int64_t>::min(), 5});
    ColumnVector b = Ints({3, 3, -3, -1, std::nullopt});
    EXPECT_EQ(M("mod", {&a, &b}), (Strings{"1", "-1", "1", "0", "NULL"}));
    ColumnVector zero = Ints({1, 1, 1, 1, std::nullopt});  // the NULL slot holds 0
    EXPECT_EQ(M("mod", {&a, &zero}), (Strings{"0", "0", "0", "0", "NULL"}));  // NULL row: no error
    ColumnVector real_zero = Ints({0, 1, 1, 1, 1});
    EXPECT_EQ(M("mod", {&a, &real_zero}), Strings{"error: Division by zero"});
    ColumnVector small = Fixed<int16_t>(DataType::Int16(), {5});
    ColumnVector tiny = Fixed<int8_t>(DataType::Int8(), {3});
    auto f = Bind(BindMathFunction, "mod", {&small, &tiny});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->return_type, DataType::Int16());
    EXPECT_EQ((*f)->arg_types.at(1), DataType::Int16());  // the binder widens the tinyint
    ColumnVector widened = Fixed<int16_t>(DataType::Int16(), {3});
    auto out = RunKernel(**f, {&small, &widened}, 1);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(Render(*out), Strings{"2"});
    ColumnVector x = Doubles({5.5, -5.5, 1});
    ColumnVector y = Doubles({2, 2, 0});
    EXPECT_EQ(M("mod", {&x, &y}), (Strings{"1.5", "-1.5", "NaN"}));
    ColumnVector one = Ints({2, 2, 2});
    EXPECT_EQ(ReturnType("mod", {&x, &one}), DataType::Double());
}

TEST(MathFunctionTest, ExtremeDigits) {
    ColumnVector d = Doubles({1234.5, -1234.5});
    ColumnVector far = Ints({-400, std::numeric_limits<int64_t>::min()});
    EXPECT_EQ(M("round", {&d, &far}), (Strings{"0", "-0"}));
    ColumnVector big = Ints({400, std::numeric_limits<int64_t>::max()});
    EXPECT_EQ(M("round", {&d, &big}), (Strings{"1234.5", "-1234.5"}));
    ColumnVector dec = Dec(5, 2, {12345, -12345});
    EXPECT_EQ(M("round", {&dec, &far}), (Strings{"0.00", "0.00"}));
    EXPECT_EQ(M("round", {&dec, &big}), (Strings{"123.45", "-123.45"}));
    ColumnVector i = Ints({1234, -1234});
    EXPECT_EQ(M("round", {&i, &far}), (Strings{"0", "0"}));
}

TEST(MathFunctionTest, NullsAcrossValidityWords) {
    ColumnVector x(DataType::Double());
    for (int i = 0; i < 200; ++i) (i % 3 == 0) ? x.AppendNull() : x.Append<double>(-i);
    Strings got = M("abs", {&x});
    ASSERT_EQ(got.size(), 200u);
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(got[i], i % 3 == 0 ? "NULL" : std::to_string(i)) << i;
    }
}

TEST(MathFunctionTest, ModDecimal) {
    ColumnVector a = Dec(5, 2, {1075, -1075, 500, std::nullopt});  // 10.75, -10.75, 5.00
    ColumnVector b = Dec(4, 1, {30, 30, 0, 0});                    // 3.0, 3.0, 0.0
    auto f = Bind(BindMathFunction, "mod", {&a, &b});
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->return_type, DataType::Decimal(5, 2));  // min(3, 3) + 2 digits
    EXPECT_EQ(M("mod", {&a, &b}), Strings{"error: Division by zero"});
    ColumnVector b_ok = Dec(4, 1, {30, 30, 7, 0});
    EXPECT_EQ(M("mod", {&a, &b_ok}), (Strings{"1.75", "-1.75", "0.10", "NULL"}));
    // An integer meets a decimal as decimal(10,0); a wide decimal works in 128 bits.
    ColumnVector i = Fixed<int32_t>(DataType::Int32(), {7});
    ColumnVector wide = WideDec(30, 5, {int128_t{1000000000000000000} * 100 + 250000});
    auto g = Bind(BindMathFunction, "mod", {&wide, &i});
    ASSERT_TRUE(g.ok());
    EXPECT_EQ((*g)->arg_types.at(1), DataType::Decimal(10, 0));
    EXPECT_EQ((*g)->return_type, DataType::Decimal(15, 5));
    ColumnVector seven = Fixed<int64_t>(DataType::Decimal(10, 0), {7});
    auto out = RunKernel(**g, {&wide, &seven}, 1);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(Render(*out), Strings{"1.50000"});  // 1000000000000002.5 = 7 * 142857142857143 + 1.5
}

TEST(MathFunctionTest, NullLiteralArguments) {
    std::vector<ArgumentInfo> args{{DataType::Boolean(), true}};
    auto f = BindMathFunction("abs", args);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->arg_types.at(0), DataType::Double());
    std::vector<ArgumentInfo> mod{{DataType::Int32()}, {DataType::Boolean(), true}};
    auto g = BindMathFunction("mod", mod);
    ASSERT_TRUE(g.ok());
    EXPECT_EQ((*g)->arg_types.at(1), DataType::Int32());
}

}  // namespace
}  // namespace tarn::sql::testing
