// The operator functions: arithmetic (integers, DECIMAL, REAL/DOUBLE), comparisons, ||, LIKE --
// bound through BindScalarFunction and run by the evaluator over small batches.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "expr_test_util.h"
#include "sql/functions/kernel_util.h"
#include "sql/functions/like_pattern.h"

namespace tarn::sql {
namespace {

using namespace testing;  // NOLINT

const DataType kBigint = DataType::Int64();
const DataType kInt = DataType::Int32();
const DataType kVarchar = DataType::Varchar();

// `name`(c0, c1) over a two-column batch, shown.
std::string Binary(std::string_view name, ColumnVector a, ColumnVector b) {
    const columnar::RecordBatch batch = Batch(std::move(a), std::move(b));
    std::string error;
    BoundExprPtr e = TryCall(name, List(Col(batch, 0), Col(batch, 1)), &error);
    if (e == nullptr) return "bind error: " + error;
    return Eval(*e, batch);
}

std::string ResultType(std::string_view name, const DataType& a, const DataType& b) {
    std::vector<ArgumentInfo> args = {ArgumentInfo{a, false, nullptr},
                                      ArgumentInfo{b, false, nullptr}};
    auto f = BindScalarFunction(name, args);
    return f.ok() ? SqlTypeName((*f)->return_type) : "error: " + f.status().message();
}

TEST(ArithmeticTest, Integers) {
    EXPECT_EQ(Binary("$add", Vec(kInt, {I(1), I(2), N()}), Vec(kInt, {I(10), N(), I(3)})),
              "11, NULL, NULL");
    EXPECT_EQ(Binary("$subtract", Vec(kBigint, {I(1)}), Vec(kInt, {I(10)})), "-9");
    EXPECT_EQ(Binary("$multiply", Vec(DataType::Int16(), {I(300)}), Vec(kBigint, {I(300)})),
              "90000");
    EXPECT_EQ(
        Binary("$divide", Vec(kBigint, {I(7), I(-7), I(7)}), Vec(kBigint, {I(2), I(2), I(-2)})),
        "3, -3, -3");
    EXPECT_EQ(
        Binary("$modulo", Vec(kBigint, {I(7), I(-7), I(7)}), Vec(kBigint, {I(2), I(2), I(-2)})),
        "1, -1, 1");
    EXPECT_EQ(ResultType("$add", kInt, DataType::Int8()), "integer");
    EXPECT_EQ(ResultType("$add", kInt, kBigint), "bigint");
}

TEST(ArithmeticTest, IntegerOverflow) {
    EXPECT_EQ(Binary("$add", Vec(kBigint, {I(INT64_MAX)}), Vec(kBigint, {I(1)})),
              "error: bigint addition overflow: 9223372036854775807 + 1");
    EXPECT_EQ(Binary("$multiply", Vec(kInt, {I(65536)}), Vec(kInt, {I(65536)})),
              "error: integer multiplication overflow: 65536 * 65536");
    EXPECT_EQ(Binary("$subtract", Vec(DataType::Int8(), {I(-128)}), Vec(DataType::Int8(), {I(1)})),
              "error: tinyint subtraction overflow: -128 - 1");
    EXPECT_EQ(Binary("$divide", Vec(kBigint, {I(INT64_MIN)}), Vec(kBigint, {I(-1)})),
              "error: bigint division overflow: -9223372036854775808 / -1");
    EXPECT_EQ(Binary("$modulo", Vec(kBigint, {I(INT64_MIN)}), Vec(kBigint, {I(-1)})), "0");
    // Overflow in a NULL row is no error.
    EXPECT_EQ(Binary("$add", Vec(kBigint, {N(), I(1)}), Vec(kBigint, {I(1), I(1)})), "NULL, 2");
}

TEST(ArithmeticTest, DivisionByZero) {
    EXPECT_EQ(Binary("$divide", Vec(kBigint, {I(1)}), Vec(kBigint, {I(0)})),
              "error: Division by zero");
    EXPECT_EQ(Binary("$modulo", Vec(kInt, {I(1)}), Vec(kInt, {I(0)})), "error: Division by zero");
    // Only valid rows divide: a NULL on either side hides the zero.
    EXPECT_EQ(Binary("$divide", Vec(kBigint, {N(), I(4)}), Vec(kBigint, {I(0), I(2)})), "NULL, 2");
    EXPECT_EQ(Binary("$modulo", Vec(kBigint, {N(), I(5)}), Vec(kBigint, {I(0), N()})),
              "NULL, NULL");
    const DataType d = DataType::Decimal(5, 2);
    EXPECT_EQ(Binary("$divide", Vec(d, {Dec(5, 2, 100)}), Vec(d, {Dec(5, 2, 0)})),
              "error: Division by zero");
    EXPECT_EQ(Binary("$divide", Vec(d, {N()}), Vec(d, {Dec(5, 2, 0)})), "NULL");
    // Doubles follow IEEE.
    EXPECT_EQ(Binary("$divide", Vec(DataType::Double(), {D(1), D(-1), D(0)}),
                     Vec(DataType::Double(), {D(0), D(0), D(0)})),
              "infinity(), -infinity(), nan()");
}

TEST(ArithmeticTest, Decimals) {
    const DataType d52 = DataType::Decimal(5, 2);
    const DataType d43 = DataType::Decimal(4, 3);
    const DataType d31 = DataType::Decimal(3, 1);
    EXPECT_EQ(ResultType("$add", d52, d43), "decimal(7,3)");
    EXPECT_EQ(ResultType("$multiply", d52, d43), "decimal(9,5)");
    EXPECT_EQ(ResultType("$divide", d52, d31), "decimal(6,2)");
    EXPECT_EQ(ResultType("$modulo", d52, d31), "decimal(4,2)");
    EXPECT_EQ(ResultType("$add", kBigint, d52), "decimal(22,2)");
    EXPECT_EQ(ResultType("$add", DataType::Decimal(38, 2), DataType::Decimal(38, 2)),
              "decimal(38,2)");
    EXPECT_EQ(ResultType("$multiply", DataType::Decimal(20, 2), DataType::Decimal(20, 2)),
              "decimal(38,4)");

    EXPECT_EQ(
        Binary("$add", Vec(d52, {Dec(5, 2, 150), N()}), Vec(d43, {Dec(4, 3, 1234), Dec(4, 3, 0)})),
        "DECIMAL '2.734', NULL");
    EXPECT_EQ(Binary("$subtract", Vec(d52, {Dec(5, 2, 150)}), Vec(d43, {Dec(4, 3, 1234)})),
              "DECIMAL '0.266'");
    EXPECT_EQ(Binary("$multiply", Vec(d52, {Dec(5, 2, -150)}), Vec(d43, {Dec(4, 3, 1234)})),
              "DECIMAL '-1.85100'");
    // 10.00 / 3.0 = 3.33, 20.00 / 3.0 = 6.67 (half up), -20.00 / 3.0 = -6.67
    EXPECT_EQ(Binary("$divide", Vec(d52, {Dec(5, 2, 1000), Dec(5, 2, 2000), Dec(5, 2, -2000)}),
                     Vec(d31, {Dec(3, 1, 30), Dec(3, 1, 30), Dec(3, 1, 30)})),
              "DECIMAL '3.33', DECIMAL '6.67', DECIMAL '-6.67'");
    EXPECT_EQ(Binary("$modulo", Vec(d52, {Dec(5, 2, 1050)}), Vec(d31, {Dec(3, 1, 30)})),
              "DECIMAL '1.50'");
    EXPECT_EQ(Binary("$add", Vec(kBigint, {I(1)}), Vec(d52, {Dec(5, 2, 150)})), "DECIMAL '2.50'");
    // A 128-bit operand with a 64-bit result: decimal(20,2) % decimal(3,1) is decimal(4,2).
    const DataType d202 = DataType::Decimal(20, 2);
    EXPECT_EQ(ResultType("$modulo", d202, d31), "decimal(4,2)");
    EXPECT_EQ(Binary("$modulo", Vec(d202, {Dec(20, 2, -1050)}), Vec(d31, {Dec(3, 1, 30)})),
              "DECIMAL '-1.50'");
    // decimal(38,18) / decimal(38,18): a * 10^18 needs more than 128 bits, the quotient does not.
    const DataType d3818 = DataType::Decimal(38, 18);
    EXPECT_EQ(ResultType("$divide", d3818, d3818), "decimal(38,18)");
    const columnar::int128_t e18 = internal::Pow10(18);
    EXPECT_EQ(Binary("$divide", Vec(d3818, {Dec(38, 18, 200 * e18), Dec(38, 18, -200 * e18)}),
                     Vec(d3818, {Dec(38, 18, 3 * e18), Dec(38, 18, 3 * e18)})),
              "DECIMAL '66.666666666666666667', DECIMAL '-66.666666666666666667'");
    EXPECT_EQ(Binary("$divide", Vec(d3818, {Dec(38, 18, 200 * e18)}), Vec(d3818, {Dec(38, 18, 0)})),
              "error: Division by zero");
    EXPECT_EQ(Binary("$divide", Vec(d3818, {Dec(38, 18, internal::Pow10(37))}),
                     Vec(d3818, {Dec(38, 18, 1)})),
              "error: Decimal overflow");
    // (a * 10^k) % b the same way: 2 * 10^20 % 0.000000000000000007 = 0.000000000000000004
    const DataType d380 = DataType::Decimal(38, 0);
    EXPECT_EQ(ResultType("$modulo", d380, d3818), "decimal(38,18)");
    EXPECT_EQ(Binary("$modulo", Vec(d380, {Dec(38, 0, 200 * e18)}), Vec(d3818, {Dec(38, 18, 7)})),
              "DECIMAL '0.000000000000000004'");
    const columnar::int128_t max38 = internal::Pow10(38) - 1;
    const DataType d38 = DataType::Decimal(38, 0);
    EXPECT_EQ(Binary("$add", Vec(d38, {Dec(38, 0, max38)}), Vec(d38, {Dec(38, 0, 1)})),
              "error: Decimal overflow");
    EXPECT_EQ(Binary("$multiply", Vec(d38, {Dec(38, 0, max38)}), Vec(d38, {Dec(38, 0, 10)})),
              "error: Decimal overflow");
}

TEST(ArithmeticTest, Floating) {
    const DataType dbl = DataType::Double();
    EXPECT_EQ(Binary("$add", Vec(dbl, {D(0.5), N()}), Vec(kBigint, {I(1), I(1)})), "1.5E0, NULL");
    EXPECT_EQ(Binary("$modulo", Vec(dbl, {D(7.5)}), Vec(dbl, {D(2)})), "1.5E0");
    EXPECT_EQ(ResultType("$add", DataType::Float(), kBigint), "real");
    EXPECT_EQ(ResultType("$add", DataType::Float(), DataType::Decimal(5, 2)), "real");
    EXPECT_EQ(ResultType("$multiply", DataType::Float(), dbl), "double");
    EXPECT_EQ(ResultType("$add", DataType::Decimal(5, 2), dbl), "double");
}

TEST(ArithmeticTest, Negate) {
    const columnar::RecordBatch ints = Batch(Vec(kBigint, {I(5), N()}));
    EXPECT_EQ(Eval(*Call("$negate", List(Col(ints, 0))), ints), "-5, NULL");
    const columnar::RecordBatch min = Batch(Vec(kBigint, {I(INT64_MIN)}));
    EXPECT_EQ(Eval(*Call("$negate", List(Col(min, 0))), min),
              "error: bigint negation overflow: -9223372036854775808");
    const columnar::RecordBatch dec = Batch(Vec(DataType::Decimal(5, 2), {Dec(5, 2, 150), N()}));
    EXPECT_EQ(Eval(*Call("$negate", List(Col(dec, 0))), dec), "DECIMAL '-1.50', NULL");
    const columnar::RecordBatch dbl = Batch(Vec(DataType::Double(), {D(2.5)}));
    EXPECT_EQ(Eval(*Call("$negate", List(Col(dbl, 0))), dbl), "-2.5E0");
}

TEST(ArithmeticTest, TypeErrors) {
    EXPECT_EQ(ResultType("$add", kVarchar, kBigint),
              "error: Cannot apply operator: varchar + bigint");
    EXPECT_EQ(ResultType("$multiply", DataType::Boolean(), kInt),
              "error: Cannot apply operator: boolean * integer");
    EXPECT_EQ(ResultType("$subtract", DataType::Date(), kBigint),
              "error: Cannot apply operator: date - bigint");
    EXPECT_EQ(ResultType("foo", kBigint, kBigint), "error: function 'foo' not registered");
    // An untyped NULL takes the other side's type.
    const columnar::RecordBatch batch = Batch(Vec(kInt, {I(1)}));
    BoundExprPtr e = Call("$add", List(Col(batch, 0), Lit(N())));
    EXPECT_EQ(SqlTypeName(e->type), "integer");
    EXPECT_EQ(Eval(*e, batch), "NULL");
}

TEST(ComparisonTest, NumbersAcrossTypes) {
    EXPECT_EQ(Binary("$eq", Vec(kInt, {I(1), I(2), N()}), Vec(kBigint, {I(1), I(3), I(3)})),
              "TRUE, FALSE, NULL");
    EXPECT_EQ(Binary("$lt", Vec(kInt, {I(1), I(2)}), Vec(DataType::Double(), {D(1.5), D(1.5)})),
              "TRUE, FALSE");
    // 1.50 = 1.5 once both are rescaled to decimal(3,2)
    EXPECT_EQ(Binary("$eq", Vec(DataType::Decimal(3, 2), {Dec(3, 2, 150), Dec(3, 2, 151)}),
                     Vec(DataType::Decimal(2, 1), {Dec(2, 1, 15), Dec(2, 1, 15)})),
              "TRUE, FALSE");
    EXPECT_EQ(Binary("$gt", Vec(DataType::Decimal(20, 2), {Dec(20, 2, 100)}), Vec(kInt, {I(0)})),
              "TRUE");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const DataType dbl = DataType::Double();
    EXPECT_EQ(Binary("$eq", Vec(dbl, {D(nan), D(nan)}), Vec(dbl, {D(nan), D(1)})), "FALSE, FALSE");
    EXPECT_EQ(Binary("$ne", Vec(dbl, {D(nan)}), Vec(dbl, {D(nan)})), "TRUE");
    EXPECT_EQ(Binary("$lt", Vec(dbl, {D(nan)}), Vec(dbl, {D(1)})), "FALSE");
}

TEST(ComparisonTest, EveryOperator) {
    const ColumnVector a = Vec(kBigint, {I(1), I(2), I(3)});
    auto b = [] { return Vec(kBigint, {I(2), I(2), I(2)}); };
    auto a2 = [] { return Vec(kBigint, {I(1), I(2), I(3)}); };
    EXPECT_EQ(Binary("$eq", a2(), b()), "FALSE, TRUE, FALSE");
    EXPECT_EQ(Binary("$ne", a2(), b()), "TRUE, FALSE, TRUE");
    EXPECT_EQ(Binary("$lt", a2(), b()), "TRUE, FALSE, FALSE");
    EXPECT_EQ(Binary("$le", a2(), b()), "TRUE, TRUE, FALSE");
    EXPECT_EQ(Binary("$gt", a2(), b()), "FALSE, FALSE, TRUE");
    EXPECT_EQ(Binary("$ge", a2(), b()), "FALSE, TRUE, TRUE");
    (void)a;
}

TEST(ComparisonTest, StringsBooleansDates) {
    EXPECT_EQ(Binary("$lt", Vec(kVarchar, {S("a"), S("B"), S("z"), S("ab"), N()}),
                     Vec(kVarchar, {S("b"), S("a"), S("\xc3\xa9"), S("a"), S("a")})),
              "TRUE, TRUE, TRUE, FALSE, NULL");
    EXPECT_EQ(
        Binary("$eq", Vec(DataType::Varbinary(), {S("x")}), Vec(DataType::Varbinary(), {S("x")})),
        "TRUE");
    EXPECT_EQ(Binary("$lt", Vec(DataType::Boolean(), {B(false), B(true)}),
                     Vec(DataType::Boolean(), {B(true), B(true)})),
              "TRUE, FALSE");
    EXPECT_EQ(Binary("$lt", Vec(DataType::Date(), {I(0), I(1)}),
                     Vec(DataType::Timestamp(), {I(1), I(86400000000)})),
              "TRUE, FALSE");
    EXPECT_EQ(Binary("$ge", Vec(DataType::Timestamp(), {I(5)}), Vec(DataType::Timestamp(), {I(5)})),
              "TRUE");
    EXPECT_EQ(ResultType("$eq", kVarchar, kBigint),
              "error: Cannot apply operator: varchar = bigint");
    EXPECT_EQ(ResultType("$lt", DataType::Date(), kVarchar),
              "error: Cannot apply operator: date < varchar");
}

TEST(ConcatTest, Varchar) {
    EXPECT_EQ(Binary("$concat", Vec(kVarchar, {S("ab"), S(""), N(), S("x")}),
                     Vec(kVarchar, {S("cd"), S(""), S("y"), N()})),
              "'abcd', '', NULL, NULL");
    EXPECT_EQ(ResultType("$concat", kVarchar, kBigint),
              "error: Cannot apply operator: varchar || bigint");
}

// c0 LIKE pattern [ESCAPE escape] with a constant pattern (compiled at bind time).
std::string Like(const std::vector<Value>& texts, std::string pattern,
                 std::optional<std::string> escape = std::nullopt) {
    const columnar::RecordBatch batch = Batch(Vec(kVarchar, texts));
    std::vector<BoundExprPtr> args = List(Col(batch, 0), Lit(S(std::move(pattern))));
    if (escape) args.push_back(Lit(S(*escape)));
    std::string error;
    BoundExprPtr e = TryCall("$like", std::move(args), &error);
    if (e == nullptr) return "bind error: " + error;
    return Eval(*e, batch);
}

TEST(LikeTest, FastPathsAndGeneral) {
    const std::vector<Value> texts = {S("apple"), S("pineapple"), S("app"), S(""), N()};
    EXPECT_EQ(Like(texts, "apple"), "TRUE, FALSE, FALSE, FALSE, NULL");  // exact
    EXPECT_EQ(Like(texts, "app%"), "TRUE, FALSE, TRUE, FALSE, NULL");    // prefix
    EXPECT_EQ(Like(texts, "%apple"), "TRUE, TRUE, FALSE, FALSE, NULL");  // suffix
    EXPECT_EQ(Like(texts, "%pp%"), "TRUE, TRUE, TRUE, FALSE, NULL");     // infix
    EXPECT_EQ(Like(texts, "%"), "TRUE, TRUE, TRUE, TRUE, NULL");         // anything
    EXPECT_EQ(Like(texts, "%%"), "TRUE, TRUE, TRUE, TRUE, NULL");
    EXPECT_EQ(Like(texts, ""), "FALSE, FALSE, FALSE, TRUE, NULL");
    EXPECT_EQ(Like(texts, "a_p%"), "TRUE, FALSE, TRUE, FALSE, NULL");  // general
    EXPECT_EQ(Like(texts, "%a%p_e"), "TRUE, TRUE, FALSE, FALSE, NULL");
    EXPECT_EQ(Like(texts, "_____"), "TRUE, FALSE, FALSE, FALSE, NULL");
    EXPECT_EQ(Like(texts, "%p%p%"), "TRUE, TRUE, TRUE, FALSE, NULL");
    EXPECT_EQ(Like({S("aaa"), S("aab")}, "%a_"), "TRUE, TRUE");
    EXPECT_EQ(Like({S("mississippi")}, "%iss%ppi"), "TRUE");
    EXPECT_EQ(Like({S("mississippi")}, "m%s_i%i"), "TRUE");
    EXPECT_EQ(Like({S("mississippi")}, "m%z%"), "FALSE");
}

TEST(LikeTest, UnderscoreMatchesOneCharacter) {
    // "é" is two bytes and one character.
    EXPECT_EQ(Like({S("caf\xc3\xa9"), S("cafe"), S("caf\xc3\xa9s")}, "caf_"), "TRUE, TRUE, FALSE");
    EXPECT_EQ(Like({S("\xc3\xa9t\xc3\xa9")}, "_t_"), "TRUE");
}

TEST(LikeTest, Escape) {
    const std::vector<Value> texts = {S("100%"), S("100x"), S("a_b"), S("axb"), S("a\\b")};
    EXPECT_EQ(Like(texts, "100\\%", "\\"), "TRUE, FALSE, FALSE, FALSE, FALSE");
    EXPECT_EQ(Like(texts, "a#_b", "#"), "FALSE, FALSE, TRUE, FALSE, FALSE");
    EXPECT_EQ(Like(texts, "a\\\\b", "\\"), "FALSE, FALSE, FALSE, FALSE, TRUE");
    EXPECT_EQ(Like(texts, "%#%", "#"), "TRUE, FALSE, FALSE, FALSE, FALSE");
    EXPECT_EQ(Like(texts, "%", "ab"), "bind error: Escape string must be a single character");
    EXPECT_EQ(Like(texts, "%", ""), "bind error: Escape string must be a single character");
    EXPECT_EQ(Like(texts, "a#b", "#"),
              "bind error: Escape character must be followed by '%', '_' or the escape character");
    EXPECT_EQ(Like(texts, "a#", "#"),
              "bind error: Escape character must be followed by '%', '_' or the escape character");
}

// The obvious recursive matcher (ASCII only), as an oracle.
bool ReferenceLike(std::string_view text, std::string_view pattern) {
    if (pattern.empty()) return text.empty();
    if (pattern[0] == '%') {
        for (size_t skip = 0; skip <= text.size(); ++skip) {
            if (ReferenceLike(text.substr(skip), pattern.substr(1))) return true;
        }
        return false;
    }
    if (text.empty()) return false;
    if (pattern[0] != '_' && pattern[0] != text[0]) return false;
    return ReferenceLike(text.substr(1), pattern.substr(1));
}

TEST(LikeTest, AgreesWithReferenceOnEverySmallCase) {
    // Every pattern over {a, b, %, _} up to 5 long against every text over {a, b} up to 6 long.
    auto all = [](std::string_view alphabet, size_t max_len) {
        std::vector<std::string> out = {""};
        for (size_t i = 0; i < out.size(); ++i) {
            if (out[i].size() == max_len) continue;
            for (char c : alphabet) out.push_back(out[i] + c);
        }
        return out;
    };
    const std::vector<std::string> texts = all("ab", 6);
    LikePattern compiled;
    for (const std::string& pattern : all("ab%_", 5)) {
        ASSERT_TRUE(compiled.Compile(pattern, false, "").ok());
        for (const std::string& text : texts) {
            ASSERT_EQ(compiled.Matches(text), ReferenceLike(text, pattern))
                << "'" << text << "' LIKE '" << pattern << "'";
        }
    }
}

TEST(LikeTest, PatternPerRow) {
    const columnar::RecordBatch batch =
        Batch(Vec(kVarchar, {S("apple"), S("apple"), S("a%"), S("x"), N()}),
              Vec(kVarchar, {S("a%"), S("b%"), S("a!%"), N(), S("%")}),
              Vec(kVarchar, {S("!"), S("!"), S("!"), S("!"), S("!")}));
    BoundExprPtr plain = Call("$like", List(Col(batch, 0), Col(batch, 1)));
    EXPECT_EQ(Eval(*plain, batch), "TRUE, FALSE, FALSE, NULL, NULL");
    BoundExprPtr escaped = Call("$like", List(Col(batch, 0), Col(batch, 1), Col(batch, 2)));
    EXPECT_EQ(Eval(*escaped, batch), "TRUE, FALSE, TRUE, NULL, NULL");
    const columnar::RecordBatch bad =
        Batch(Vec(kVarchar, {S("a")}), Vec(kVarchar, {S("!x")}), Vec(kVarchar, {S("!")}));
    BoundExprPtr e = Call("$like", List(Col(bad, 0), Col(bad, 1), Col(bad, 2)));
    EXPECT_EQ(Eval(*e, bad),
              "error: Escape character must be followed by '%', '_' or the escape character");
    // A NULL constant pattern: every row NULL.
    const columnar::RecordBatch one = Batch(Vec(kVarchar, {S("a")}));
    EXPECT_EQ(Eval(*Call("$like", List(Col(one, 0), Lit(N()))), one), "NULL");
}

}  // namespace
}  // namespace tarn::sql
