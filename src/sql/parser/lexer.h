// The SQL lexer (internal to the parser): statement text -> tokens with their positions.
//
// Tokens keep views into the text (no copies); string literals and quoted identifiers are
// unescaped later, by the parser, only when used. Words are looked up once in the keyword table so
// the parser compares enums, never strings. Whitespace and comments (`-- to end of line`,
// `/* ... */`, not nested) are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/parser/ast.h"

namespace tarn::sql {

enum class TokenKind : uint8_t {
    kEnd,               // end of input (always the last token)
    kError,             // a lexical error; Lex() stops there and says why
    kWord,              // unquoted identifier or keyword (see Token::keyword)
    kQuotedIdentifier,  // "name" ("" inside is one ")
    kString,            // 'text' ('' inside is one ')
    kInteger,           // 42
    kDecimal,           // 1.5  .5  1.
    kDouble,            // 1e5  1.5E-3
    kComma,
    kDot,
    kLParen,
    kRParen,
    kSemicolon,
    kPlus,
    kMinus,
    kStar,
    kSlash,
    kPercent,
    kConcat,  // ||
    kEq,      // =
    kNe,      // <> or !=
    kLt,
    kLe,
    kGt,
    kGe,
};

// Keywords the parser looks for, plus kReservedOther for Trino's reserved words it does not use
// yet (so they are refused as names now, as they will be once the grammar grows).
enum class Keyword : uint8_t {
    kNone,  // not a keyword: a plain identifier
    kAll,
    kAnd,
    kAs,
    kAsc,
    kBetween,
    kBy,
    kCase,
    kCast,
    kColumns,
    kCurrentDate,
    kCurrentTime,
    kCurrentTimestamp,
    kDatabases,
    kDate,
    kDay,
    kDesc,
    kDescribe,
    kDistinct,
    kDouble,
    kElse,
    kEnd,
    kEscape,
    kExplain,
    kFalse,
    kFetch,
    kFirst,
    kFrom,
    kGroup,
    kHaving,
    kHour,
    kIn,
    kInterval,
    kIs,
    kLast,
    kLike,
    kLimit,
    kLocaltime,
    kLocaltimestamp,
    kMinute,
    kMonth,
    kNot,
    kNull,
    kNulls,
    kOffset,
    kOr,
    kOrder,
    kPartitions,
    kPrecision,
    kRow,
    kRows,
    kSchemas,
    kSecond,
    kSelect,
    kShow,
    kTables,
    kThen,
    kTime,
    kTimestamp,
    kTrue,
    kTryCast,
    kWhen,
    kWhere,
    kWindow,
    kWith,
    kYear,
    kZone,
    kReservedOther,
};

// Trino's reserved words cannot be unquoted identifiers.
bool IsReserved(Keyword keyword);

struct Token {
    TokenKind kind = TokenKind::kEnd;
    Keyword keyword = Keyword::kNone;  // kWord only
    SourcePos pos;
    std::string_view text;  // the raw source text (with quotes for strings and quoted names)
};

// All tokens of `sql`, ending with kEnd, or with kError (then *error says what is wrong, e.g.
// "unterminated string literal", and the token's position is where the bad token starts).
// REQUIRES: sql.size() <= kMaxStatementBytes (positions are 32-bit).
std::vector<Token> Lex(std::string_view sql, std::string* error);

// The value of a kString or kQuotedIdentifier token: without its quotes, doubled quotes undone.
std::string Unquote(std::string_view raw);

}  // namespace tarn::sql
