#include "sql/parser/lexer.h"

#include <algorithm>
#include <array>

#include "common/text.h"

namespace tarn::sql {
namespace {

struct KeywordEntry {
    std::string_view word;  // lower case
    Keyword keyword;
};

// Sorted by word (binary search). Which of them are reserved: IsReserved() (Trino's reserved list,
// minus those that are also function names here: trim, grouping, json_*..., which stay names).
constexpr KeywordEntry kKeywords[] = {
    {"all", Keyword::kAll},
    {"alter", Keyword::kReservedOther},
    {"and", Keyword::kAnd},
    {"as", Keyword::kAs},
    {"asc", Keyword::kAsc},
    {"between", Keyword::kBetween},
    {"by", Keyword::kBy},
    {"case", Keyword::kCase},
    {"cast", Keyword::kCast},
    {"columns", Keyword::kColumns},
    {"constraint", Keyword::kReservedOther},
    {"create", Keyword::kReservedOther},
    {"cross", Keyword::kReservedOther},
    {"cube", Keyword::kReservedOther},
    {"current_date", Keyword::kCurrentDate},
    {"current_time", Keyword::kCurrentTime},
    {"current_timestamp", Keyword::kCurrentTimestamp},
    {"databases", Keyword::kDatabases},
    {"date", Keyword::kDate},
    {"day", Keyword::kDay},
    {"deallocate", Keyword::kReservedOther},
    {"delete", Keyword::kReservedOther},
    {"desc", Keyword::kDesc},
    {"describe", Keyword::kDescribe},
    {"distinct", Keyword::kDistinct},
    {"double", Keyword::kDouble},
    {"drop", Keyword::kReservedOther},
    {"else", Keyword::kElse},
    {"end", Keyword::kEnd},
    {"escape", Keyword::kEscape},
    {"except", Keyword::kReservedOther},
    {"execute", Keyword::kReservedOther},
    {"exists", Keyword::kReservedOther},
    {"explain", Keyword::kExplain},
    {"extract", Keyword::kReservedOther},
    {"false", Keyword::kFalse},
    {"fetch", Keyword::kFetch},
    {"first", Keyword::kFirst},
    {"for", Keyword::kReservedOther},
    {"from", Keyword::kFrom},
    {"full", Keyword::kReservedOther},
    {"group", Keyword::kGroup},
    {"having", Keyword::kHaving},
    {"hour", Keyword::kHour},
    {"in", Keyword::kIn},
    {"inner", Keyword::kReservedOther},
    {"insert", Keyword::kReservedOther},
    {"intersect", Keyword::kReservedOther},
    {"interval", Keyword::kInterval},
    {"into", Keyword::kReservedOther},
    {"is", Keyword::kIs},
    {"join", Keyword::kReservedOther},
    {"last", Keyword::kLast},
    {"left", Keyword::kReservedOther},
    {"like", Keyword::kLike},
    {"limit", Keyword::kLimit},
    {"localtime", Keyword::kLocaltime},
    {"localtimestamp", Keyword::kLocaltimestamp},
    {"minute", Keyword::kMinute},
    {"month", Keyword::kMonth},
    {"natural", Keyword::kReservedOther},
    {"not", Keyword::kNot},
    {"null", Keyword::kNull},
    {"nulls", Keyword::kNulls},
    {"offset", Keyword::kOffset},
    {"on", Keyword::kReservedOther},
    {"or", Keyword::kOr},
    {"order", Keyword::kOrder},
    {"outer", Keyword::kReservedOther},
    {"partitions", Keyword::kPartitions},
    {"precision", Keyword::kPrecision},
    {"prepare", Keyword::kReservedOther},
    {"recursive", Keyword::kReservedOther},
    {"right", Keyword::kReservedOther},
    {"rollup", Keyword::kReservedOther},
    {"row", Keyword::kRow},
    {"rows", Keyword::kRows},
    {"schemas", Keyword::kSchemas},
    {"second", Keyword::kSecond},
    {"select", Keyword::kSelect},
    {"show", Keyword::kShow},
    {"table", Keyword::kReservedOther},
    {"tables", Keyword::kTables},
    {"then", Keyword::kThen},
    {"time", Keyword::kTime},
    {"timestamp", Keyword::kTimestamp},
    {"true", Keyword::kTrue},
    {"try_cast", Keyword::kTryCast},
    {"uescape", Keyword::kReservedOther},
    {"union", Keyword::kReservedOther},
    {"unnest", Keyword::kReservedOther},
    {"using", Keyword::kReservedOther},
    {"values", Keyword::kReservedOther},
    {"when", Keyword::kWhen},
    {"where", Keyword::kWhere},
    {"window", Keyword::kWindow},
    {"with", Keyword::kWith},
    {"year", Keyword::kYear},
    {"zone", Keyword::kZone},
};
constexpr size_t kLongestKeyword = 17;  // current_timestamp

static_assert(std::is_sorted(std::begin(kKeywords), std::end(kKeywords),
                             [](const KeywordEntry& a, const KeywordEntry& b) {
                                 return a.word < b.word;
                             }),
              "kKeywords must be sorted for the binary search");

const KeywordEntry* FindKeyword(std::string_view word) {
    if (word.size() > kLongestKeyword) return nullptr;
    std::array<char, kLongestKeyword> lower{};
    for (size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    const std::string_view key(lower.data(), word.size());
    auto it =
        std::lower_bound(std::begin(kKeywords), std::end(kKeywords), key,
                         [](const KeywordEntry& e, std::string_view k) { return e.word < k; });
    if (it == std::end(kKeywords) || it->word != key) return nullptr;
    return it;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Bytes >= 0x80 are parts of UTF-8 letters: allowed in names, as in Trino.
bool IsWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordPart(char c) { return IsWordStart(c) || IsDigit(c); }

class Lexer {
public:
    explicit Lexer(std::string_view sql) : sql_(sql) {}

    std::vector<Token> Run(std::string* error) {
        std::vector<Token> tokens;
        tokens.reserve(std::min<size_t>(sql_.size() / 4 + 2, 4096));
        while (true) {
            if (!SkipSpaceAndComments(error)) {
                tokens.push_back(Make(TokenKind::kError, comment_start_, 0));
                return tokens;
            }
            const Token token = Next(error);
            tokens.push_back(token);
            if (token.kind == TokenKind::kEnd || token.kind == TokenKind::kError) return tokens;
        }
    }

private:
    // Advances over whitespace and comments, keeping line and column. False on an unterminated
    // block comment (comment_start_ is where it opened).
    bool SkipSpaceAndComments(std::string* error) {
        while (i_ < sql_.size()) {
            const char c = sql_[i_];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n') {
                Advance(1);
            } else if (c == '-' && Peek(1) == '-') {
                while (i_ < sql_.size() && sql_[i_] != '\n') Advance(1);
            } else if (c == '/' && Peek(1) == '*') {
                comment_start_ = Here();
                Advance(2);
                while (true) {
                    if (i_ >= sql_.size()) {
                        *error = "unterminated comment";
                        return false;
                    }
                    if (sql_[i_] == '*' && Peek(1) == '/') {
                        Advance(2);
                        break;
                    }
                    Advance(1);
                }
            } else {
                break;
            }
        }
        return true;
    }

    Token Next(std::string* error) {
        const SourcePos start = Here();
        if (i_ >= sql_.size()) return Make(TokenKind::kEnd, start, 0);
        const char c = sql_[i_];
        if (IsWordStart(c)) {
            size_t n = 1;
            while (i_ + n < sql_.size() && IsWordPart(sql_[i_ + n])) ++n;
            Token t = Make(TokenKind::kWord, start, n);
            if (const KeywordEntry* k = FindKeyword(t.text)) t.keyword = k->keyword;
            return t;
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(start);
        if (c == '\'' || c == '"') {
            const bool is_string = c == '\'';
            size_t n = 1;
            while (true) {
                if (i_ + n >= sql_.size()) {
                    *error = is_string ? "unterminated string literal"
                                       : "unterminated quoted identifier";
                    return Make(TokenKind::kError, start, 0);
                }
                if (sql_[i_ + n] == c) {
                    if (i_ + n + 1 < sql_.size() && sql_[i_ + n + 1] == c) {
                        n += 2;  // a doubled quote stands for one
                        continue;
                    }
                    ++n;
                    break;
                }
                ++n;
            }
            if (!is_string && n == 2) {
                *error = "empty quoted identifier";
                return Make(TokenKind::kError, start, 0);
            }
            // Text values are UTF-8 everywhere in tarn (columnar VARCHAR's invariant).
            if (!IsValidUtf8(sql_.substr(i_, n))) {
                *error = is_string ? "string literal is not valid UTF-8"
                                   : "quoted identifier is not valid UTF-8";
                return Make(TokenKind::kError, start, 0);
            }
            return Make(is_string ? TokenKind::kString : TokenKind::kQuotedIdentifier, start, n);
        }
        const char d = Peek(1);
        switch (c) {
            case ',':
                return Make(TokenKind::kComma, start, 1);
            case '.':
                return Make(TokenKind::kDot, start, 1);
            case '(':
                return Make(TokenKind::kLParen, start, 1);
            case ')':
                return Make(TokenKind::kRParen, start, 1);
            case ';':
                return Make(TokenKind::kSemicolon, start, 1);
            case '+':
                return Make(TokenKind::kPlus, start, 1);
            case '-':
                return Make(TokenKind::kMinus, start, 1);
            case '*':
                return Make(TokenKind::kStar, start, 1);
            case '/':
                return Make(TokenKind::kSlash, start, 1);
            case '%':
                return Make(TokenKind::kPercent, start, 1);
            case '=':
                return Make(TokenKind::kEq, start, 1);
            case '|':
                if (d == '|') return Make(TokenKind::kConcat, start, 2);
                break;
            case '!':
                if (d == '=') return Make(TokenKind::kNe, start, 2);
                break;
            case '<':
                if (d == '=') return Make(TokenKind::kLe, start, 2);
                if (d == '>') return Make(TokenKind::kNe, start, 2);
                return Make(TokenKind::kLt, start, 1);
            case '>':
                if (d == '=') return Make(TokenKind::kGe, start, 2);
                return Make(TokenKind::kGt, start, 1);
            default:
                break;
        }
        *error = UnexpectedCharacter(c);
        return Make(TokenKind::kError, start, 0);
    }

    // digits [. digits] [e [+-] digits], or . digits [e ...]. An 'e' not followed by digits ends
    // the number (it starts the next word).
    Token Number(SourcePos start) {
        size_t n = 0;
        auto digits = [&] {
            while (i_ + n < sql_.size() && IsDigit(sql_[i_ + n])) ++n;
        };
        TokenKind kind = TokenKind::kInteger;
        digits();
        if (Peek(n) == '.') {
            kind = TokenKind::kDecimal;
            ++n;
            digits();
        }
        if (Peek(n) == 'e' || Peek(n) == 'E') {
            size_t m = n + 1;
            if (Peek(m) == '+' || Peek(m) == '-') ++m;
            if (IsDigit(Peek(m))) {
                n = m;
                digits();
                kind = TokenKind::kDouble;
            }
        }
        return Make(kind, start, n);
    }

    static std::string UnexpectedCharacter(char c) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            return std::string("unexpected character \\x") + kHex[u >> 4] + kHex[u & 15];
        }
        return std::string("unexpected character '") + c + "'";
    }

    char Peek(size_t ahead) const { return i_ + ahead < sql_.size() ? sql_[i_ + ahead] : '\0'; }
    SourcePos Here() const { return SourcePos{static_cast<uint32_t>(i_), line_, column_}; }

    // Moves over n bytes that are not newlines inside tokens, or over whitespace/comments.
    void Advance(size_t n) {
        for (size_t k = 0; k < n; ++k, ++i_) {
            if (sql_[i_] == '\n') {
                ++line_;
                column_ = 1;
            } else {
                ++column_;
            }
        }
    }

    Token Make(TokenKind kind, SourcePos start, size_t n) {
        Token t;
        t.kind = kind;
        t.pos = start;
        t.text = sql_.substr(start.offset, n);
        Advance(n);
        return t;
    }

    std::string_view sql_;
    size_t i_ = 0;
    uint32_t line_ = 1;
    uint32_t column_ = 1;
    SourcePos comment_start_;
};

}  // namespace

bool IsReserved(Keyword keyword) {
    switch (keyword) {
        // ALL is not reserved in Trino, but as a name it would be ambiguous after SELECT and in
        // f(ALL x); reserving it (as the SQL standard does) keeps ToSql's output unambiguous.
        case Keyword::kAll:
        case Keyword::kAnd:
        case Keyword::kAs:
        case Keyword::kBetween:
        case Keyword::kBy:
        case Keyword::kCase:
        case Keyword::kCast:
        case Keyword::kCurrentDate:
        case Keyword::kCurrentTime:
        case Keyword::kCurrentTimestamp:
        case Keyword::kDescribe:
        case Keyword::kDistinct:
        case Keyword::kElse:
        case Keyword::kEnd:
        case Keyword::kEscape:
        case Keyword::kFalse:
        case Keyword::kFrom:
        case Keyword::kGroup:
        case Keyword::kHaving:
        case Keyword::kIn:
        case Keyword::kIs:
        case Keyword::kLike:
        case Keyword::kLocaltime:
        case Keyword::kLocaltimestamp:
        case Keyword::kNot:
        case Keyword::kNull:
        case Keyword::kOr:
        case Keyword::kOrder:
        case Keyword::kSelect:
        case Keyword::kThen:
        case Keyword::kTrue:
        case Keyword::kWhen:
        case Keyword::kWhere:
        case Keyword::kWith:
        case Keyword::kReservedOther:
            return true;
        default:
            return false;
    }
}

std::vector<Token> Lex(std::string_view sql, std::string* error) { return Lexer(sql).Run(error); }

std::string Unquote(std::string_view raw) {
    std::string out;
    if (raw.size() < 2) return out;
    const char quote = raw.front();
    out.reserve(raw.size() - 2);
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
        out.push_back(raw[i]);
        if (raw[i] == quote) ++i;  // the second of a doubled quote
    }
    return out;
}

}  // namespace tarn::sql
