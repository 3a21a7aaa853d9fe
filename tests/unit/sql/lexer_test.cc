// The lexer is internal to the parser; these tests pin its token boundaries and positions, which
// every parser error message relies on.
#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

#include <string>

namespace tarn::sql {
namespace {

std::vector<Token> LexOk(std::string_view sql) {
    std::string error;
    std::vector<Token> tokens = Lex(sql, &error);
    EXPECT_EQ(tokens.back().kind, TokenKind::kEnd) << error;
    return tokens;
}

TEST(LexerTest, OperatorsAndPunctuation) {
    const auto t = LexOk("|| <> != <= >= < > = + - * / % , . ( ) ;");
    const TokenKind expected[] = {
        TokenKind::kConcat,  TokenKind::kNe,        TokenKind::kNe,   TokenKind::kLe,
        TokenKind::kGe,      TokenKind::kLt,        TokenKind::kGt,   TokenKind::kEq,
        TokenKind::kPlus,    TokenKind::kMinus,     TokenKind::kStar, TokenKind::kSlash,
        TokenKind::kPercent, TokenKind::kComma,     TokenKind::kDot,  TokenKind::kLParen,
        TokenKind::kRParen,  TokenKind::kSemicolon, TokenKind::kEnd};
    ASSERT_EQ(t.size(), std::size(expected));
    for (size_t i = 0; i < t.size(); ++i) EXPECT_EQ(t[i].kind, expected[i]) << i;
}

TEST(LexerTest, NumbersWordsAndQuotes) {
    const auto t = LexOk("42 1.5 .5 1. 1e3 2.5E-2 1e sElEcT \"a\"\"b\" 'c''d' foo_1 é");
    ASSERT_EQ(t.size(), 14u);
    EXPECT_EQ(t[0].kind, TokenKind::kInteger);
    EXPECT_EQ(t[1].kind, TokenKind::kDecimal);
    EXPECT_EQ(t[2].kind, TokenKind::kDecimal);
    EXPECT_EQ(t[3].kind, TokenKind::kDecimal);
    EXPECT_EQ(t[3].text, "1.");
    EXPECT_EQ(t[4].kind, TokenKind::kDouble);
    EXPECT_EQ(t[5].kind, TokenKind::kDouble);
    EXPECT_EQ(t[5].text, "2.5E-2");
    EXPECT_EQ(t[6].kind, TokenKind::kInteger);  // "1e": the e is a word of its own
    EXPECT_EQ(t[7].kind, TokenKind::kWord);
    EXPECT_EQ(t[7].text, "e");
    EXPECT_EQ(t[8].keyword, Keyword::kSelect);
    EXPECT_EQ(t[9].kind, TokenKind::kQuotedIdentifier);
    EXPECT_EQ(Unquote(t[9].text), "a\"b");
    EXPECT_EQ(t[10].kind, TokenKind::kString);
    EXPECT_EQ(Unquote(t[10].text), "c'd");
    EXPECT_EQ(t[11].keyword, Keyword::kNone);
    EXPECT_EQ(t[12].kind, TokenKind::kWord);  // UTF-8 letters are name characters
    EXPECT_EQ(t[12].text, "é");
}

TEST(LexerTest, PositionsAcrossLinesAndComments) {
    const auto t = LexOk("SELECT -- note\n  a /* x\ny */ ,\n'multi\nline' b");
    ASSERT_EQ(t.size(), 6u);
    EXPECT_EQ(t[1].text, "a");
    EXPECT_EQ(t[1].pos.line, 2u);
    EXPECT_EQ(t[1].pos.column, 3u);
    EXPECT_EQ(t[1].pos.offset, 17u);
    EXPECT_EQ(t[2].kind, TokenKind::kComma);
    EXPECT_EQ(t[2].pos.line, 3u);
    EXPECT_EQ(t[2].pos.column, 6u);
    EXPECT_EQ(t[3].pos.line, 4u);
    EXPECT_EQ(t[4].text, "b");
    EXPECT_EQ(t[4].pos.line, 5u);
    EXPECT_EQ(t[4].pos.column, 7u);
}

TEST(LexerTest, Errors) {
    for (const auto& [sql, message, column] :
         std::initializer_list<std::tuple<const char*, const char*, uint32_t>>{
             {"a 'open", "unterminated string literal", 3},
             {"a \"open", "unterminated quoted identifier", 3},
             {"a \"\"", "empty quoted identifier", 3},
             {"a /* open", "unterminated comment", 3},
             {"a | b", "unexpected character '|'", 3},
             {"a ! b", "unexpected character '!'", 3},
             {"a `b`", "unexpected character '`'", 3},
         }) {
        std::string error;
        const auto t = Lex(sql, &error);
        EXPECT_EQ(t.back().kind, TokenKind::kError) << sql;
        EXPECT_EQ(error, message) << sql;
        EXPECT_EQ(t.back().pos.column, column) << sql;
    }
}

TEST(LexerTest, ReservedWords) {
    EXPECT_TRUE(IsReserved(Keyword::kSelect));
    EXPECT_TRUE(IsReserved(Keyword::kReservedOther));  // join, union, ...
    EXPECT_FALSE(IsReserved(Keyword::kNone));
    for (Keyword k : {Keyword::kDate, Keyword::kYear, Keyword::kDay, Keyword::kLimit,
                      Keyword::kTables, Keyword::kShow, Keyword::kTimestamp}) {
        EXPECT_FALSE(IsReserved(k));
    }
    EXPECT_EQ(LexOk("JOIN")[0].keyword, Keyword::kReservedOther);
    EXPECT_EQ(LexOk("current_timestamp")[0].keyword, Keyword::kCurrentTimestamp);
    EXPECT_EQ(LexOk("current_timestamps")[0].keyword, Keyword::kNone);
}

}  // namespace
}  // namespace tarn::sql
