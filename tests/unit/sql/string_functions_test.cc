#include <gtest/gtest.h>

#include "function_test_util.h"

namespace tarn::sql::testing {
namespace {

Strings S(std::string_view name, const std::vector<const ColumnVector*>& cols) {
    return Eval(BindStringFunction, name, cols);
}

TEST(StringFunctionTest, NotMineAndMismatches) {
    ColumnVector s = Strs({"a"});
    ColumnVector i = Ints({1});
    ColumnVector d = Doubles({1});
    auto none = Bind(BindStringFunction, "abs", {&s});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, nullptr);
    EXPECT_EQ(S("substr", {&s, &d}),
              Strings{"error: unexpected parameters (varchar, double) for function substr; "
                      "expected: substr(varchar, bigint), substr(varchar, bigint, bigint)"});
    EXPECT_EQ(S("lower", {&i}), Strings{"error: unexpected parameters (bigint) for function "
                                        "lower; expected: lower(varchar)"});
    EXPECT_EQ(S("concat", {&s}),
              Strings{"error: There must be two or more concatenation arguments"});
    EXPECT_EQ(S("split_part", {&s, &s}).at(0).substr(0, 30), "error: unexpected parameters (");
}

TEST(StringFunctionTest, CoercionAndNullLiteral) {
    ColumnVector s = Strs({"a"});
    ColumnVector small = Fixed<int32_t>(DataType::Int32(), {1});
    std::vector<ArgumentInfo> args{{DataType::Varchar()}, {DataType::Int32()}};
    auto f = BindStringFunction("substr", args);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->arg_types.at(1), DataType::Int64());  // the binder casts integer -> bigint
    EXPECT_EQ((*f)->return_type, DataType::Varchar());
    ArgumentInfo null_arg{DataType::Boolean(), true};
    std::vector<ArgumentInfo> with_null{null_arg};
    auto g = BindStringFunction("upper", with_null);
    ASSERT_TRUE(g.ok());
    EXPECT_EQ((*g)->arg_types.at(0), DataType::Varchar());
}

TEST(StringFunctionTest, LowerUpper) {
    ColumnVector s = Strs({"Hello World", std::nullopt, "ÀÉÎõüÿ", "ΑΒΓ δες", "Привет", "ß1Ĳ", ""});
    EXPECT_EQ(S("lower", {&s}),
              (Strings{"hello world", "NULL", "àéîõüÿ", "αβγ δες", "привет", "ß1ĳ", ""}));
    EXPECT_EQ(S("upper", {&s}),
              (Strings{"HELLO WORLD", "NULL", "ÀÉÎÕÜŸ", "ΑΒΓ ΔΕΣ", "ПРИВЕТ", "ß1Ĳ", ""}));
}

TEST(StringFunctionTest, LowerUpperOtherScripts) {
    ColumnVector s = Strs({"Άέή ΪΫ", "Ѣѣ Ӂӂ", "Աբ", "Ａｂ", "Ĺĺ Żż", "日本😀"});
    EXPECT_EQ(S("lower", {&s}), (Strings{"άέή ϊϋ", "ѣѣ ӂӂ", "աբ", "ａｂ", "ĺĺ żż", "日本😀"}));
    EXPECT_EQ(S("upper", {&s}), (Strings{"ΆΈΉ ΪΫ", "ѢѢ ӁӁ", "ԱԲ", "ＡＢ", "ĹĹ ŻŻ", "日本😀"}));
}

TEST(StringFunctionTest, LengthCountsCodePoints) {
    ColumnVector s = Strs({"abc", "", "héllo", std::nullopt, "日本語", "😀x"});
    EXPECT_EQ(S("length", {&s}), (Strings{"3", "0", "5", "NULL", "3", "2"}));
}

TEST(StringFunctionTest, Substr) {
    ColumnVector s = Strs({"hello", "hello", "hello", "hello", "hello", "hello", "日本語です",
                           "日本語です", std::nullopt, "hello", ""});
    ColumnVector start = Ints({1, 2, 0, -3, 6, -6, 2, -2, 1, std::nullopt, 1});
    EXPECT_EQ(S("substr", {&s, &start}), (Strings{"hello", "ello", "", "llo", "", "", "本語です",
                                                  "です", "NULL", "NULL", ""}));
    ColumnVector len = Ints({2, 10, 3, 2, 1, 3, 2, 1, 1, 1, 1});
    EXPECT_EQ(S("substr", {&s, &start, &len}),
              (Strings{"he", "ello", "", "ll", "", "", "本語", "で", "NULL", "NULL", ""}));
    ColumnVector neg = Ints({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    ColumnVector bad_len = Ints({-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, 0});
    EXPECT_EQ(S("substring", {&s, &neg, &bad_len}),
              (Strings{"", "", "", "", "", "", "", "", "NULL", "", ""}));
}

TEST(StringFunctionTest, Trim) {
    ColumnVector s = Strs({"  a b  ", "\t\nx\r ", "", "   ", std::nullopt, " é "});
    EXPECT_EQ(S("trim", {&s}), (Strings{"a b", "x", "", "", "NULL", "é"}));
    EXPECT_EQ(S("ltrim", {&s}), (Strings{"a b  ", "x\r ", "", "", "NULL", "é "}));
    EXPECT_EQ(S("rtrim", {&s}), (Strings{"  a b", "\t\nx", "", "", "NULL", " é"}));
    // Unicode spaces are whitespace, the no-break space is not (as Java's isWhitespace).
    ColumnVector u = Strs({"\u3000日本\u2003", "\u00a0x\u00a0"});
    EXPECT_EQ(S("trim", {&u}), (Strings{"日本", "\u00a0x\u00a0"}));
}

TEST(StringFunctionTest, TrimCharacters) {
    ColumnVector s = Strs({"xxhixyx", "日日本日", "abc", "", std::nullopt, "aaa"});
    ColumnVector c = Strs({"xy", "日", "", "a", "a", "a"});
    EXPECT_EQ(S("trim", {&s, &c}), (Strings{"hi", "本", "abc", "", "NULL", ""}));
    EXPECT_EQ(S("ltrim", {&s, &c}), (Strings{"hixyx", "本日", "abc", "", "NULL", ""}));
    EXPECT_EQ(S("rtrim", {&s, &c}), (Strings{"xxhi", "日日本", "abc", "", "NULL", ""}));
}

TEST(StringFunctionTest, Replace) {
    ColumnVector s = Strs({"banana", "banana", "aaa", "abc", "héé", std::nullopt, "x"});
    ColumnVector from = Strs({"an", "x", "aa", "", "é", "a", std::nullopt});
    ColumnVector to = Strs({"AN", "y", "b", "-", "e", "b", "z"});
    EXPECT_EQ(S("replace", {&s, &from, &to}),
              (Strings{"bANANa", "banana", "ba", "-a-b-c-", "hee", "NULL", "NULL"}));
    EXPECT_EQ(S("replace", {&s, &from}),
              (Strings{"ba", "banana", "a", "abc", "h", "NULL", "NULL"}));
    ColumnVector empty = Strs({"", "", "", "", "", "", ""});
    ColumnVector e = Strs({"", "", "", "", "", "", ""});
    EXPECT_EQ(S("replace", {&empty, &e, &to}), (Strings{"AN", "y", "b", "-", "e", "b", "z"}));
}

TEST(StringFunctionTest, SplitPart) {
    ColumnVector s = Strs({"a,b,c", "a,b,c", "a,b,c", "a,,c", "a::b", "abc", "abc", std::nullopt});
    ColumnVector d = Strs({",", ",", ",", ",", "::", "", "", ","});
    ColumnVector i = Ints({1, 3, 4, 2, 2, 1, 2, 0});
    EXPECT_EQ(S("split_part", {&s, &d, &i}),
              (Strings{"a", "c", "NULL", "", "b", "abc", "NULL", "NULL"}));
    ColumnVector zero = Ints({1, 1, 1, 1, 1, 1, 0, 0});
    EXPECT_EQ(S("split_part", {&s, &d, &zero}), Strings{"error: Index must be greater than zero"});
}

TEST(StringFunctionTest, Strpos) {
    ColumnVector s = Strs({"hello", "hello", "日本語", "abc", std::nullopt, "aXbX"});
    ColumnVector sub = Strs({"ll", "z", "語", "", "a", "X"});
    EXPECT_EQ(S("strpos", {&s, &sub}), (Strings{"3", "0", "3", "1", "NULL", "2"}));
    ColumnVector t = Strs({"aXbX", "aXbX", "aXbX", "aXbX", "aaa", "aaa", "日a日a", "abc"});
    ColumnVector x = Strs({"X", "X", "X", "X", "aa", "aa", "日", "abc"});
    ColumnVector n = Ints({2, 3, -1, -2, 2, -2, -1, -2});
    EXPECT_EQ(S("strpos", {&t, &x, &n}), (Strings{"4", "0", "4", "2", "2", "1", "3", "0"}));
    ColumnVector zero = Ints({1, 1, 1, 1, 1, 1, 1, 0});
    EXPECT_EQ(S("strpos", {&t, &x, &zero}),
              Strings{"error: 'instance' must be a positive or negative number."});
}

TEST(StringFunctionTest, Concat) {
    ColumnVector a = Strs({"a", "", std::nullopt, "日"});
    ColumnVector b = Strs({"b", "", "x", "本"});
    ColumnVector c = Strs({"c", "", "y", std::nullopt});
    EXPECT_EQ(S("concat", {&a, &b}), (Strings{"ab", "", "NULL", "日本"}));
    EXPECT_EQ(S("concat", {&a, &b, &c}), (Strings{"abc", "", "NULL", "NULL"}));
}

TEST(StringFunctionTest, ManyRowsAcrossValidityWords) {
    ColumnVector s(DataType::Varchar());
    for (int i = 0; i < 130; ++i) (i % 7 == 0) ? s.AppendNull() : s.AppendString("Ab");
    Strings got = S("lower", {&s});
    ASSERT_EQ(got.size(), 130u);
    for (int i = 0; i < 130; ++i) EXPECT_EQ(got[i], i % 7 == 0 ? "NULL" : "ab") << i;
}

}  // namespace
}  // namespace tarn::sql::testing
