// ParseStatement, the statements other than SELECT, and the parser's cursor and error helpers.
#include "sql/parser/parser.h"

#include <limits>
#include <string>

#include "common/text.h"
#include "sql/parser/parser_internal.h"

namespace tarn::sql {
namespace {

std::string Position(const SourcePos& pos) {
    return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": ";
}

// A token's text for an error message: one line (control bytes shown as '?'), at most ~40 bytes
// (cut at a UTF-8 character boundary).
std::string Excerpt(std::string_view text) { return OneLineExcerpt(text, 40); }

}  // namespace

std::string DescribeToken(const Token& token) {
    switch (token.kind) {
        case TokenKind::kEnd:
            return "end of input";
        case TokenKind::kString:
            return "string literal " + Excerpt(token.text);
        case TokenKind::kQuotedIdentifier:
            return "quoted identifier " + Excerpt(token.text);
        default:
            return "'" + Excerpt(token.text) + "'";
    }
}

Result<Statement> ParseStatement(std::string_view sql) {
    if (sql.size() > kMaxStatementBytes) {
        return Status::InvalidArgument("statement is " + std::to_string(sql.size()) +
                                       " bytes, more than the limit of " +
                                       std::to_string(kMaxStatementBytes));
    }
    std::string lex_error;
    std::vector<Token> tokens = Lex(sql, &lex_error);
    if (tokens.back().kind == TokenKind::kError) {
        return Status::InvalidArgument(Position(tokens.back().pos) + lex_error);
    }
    return Parser(std::move(tokens)).ParseStatement();
}

Result<Statement> Parser::ParseStatement() {
    Statement stmt;
    stmt.pos = Peek().pos;
    bool ok = true;
    if (AtKeyword(Keyword::kSelect)) {
        stmt.kind = StatementKind::kSelect;
        stmt.select = ParseSelect();
        ok = stmt.select != nullptr;
    } else if (AcceptKeyword(Keyword::kExplain)) {
        stmt.kind = StatementKind::kExplain;
        if (!AtKeyword(Keyword::kSelect)) {
            ok = Fail("SELECT");
        } else {
            stmt.select = ParseSelect();
            ok = stmt.select != nullptr;
        }
    } else if (AcceptKeyword(Keyword::kDescribe)) {
        stmt.kind = StatementKind::kDescribe;
        ok = ParseQualifiedName(&stmt.name, "a table name");
    } else if (AcceptKeyword(Keyword::kShow)) {
        ok = ParseShow(&stmt);
    } else {
        ok = Fail("a statement (SELECT, SHOW, DESCRIBE or EXPLAIN)");
    }
    if (ok) {
        Accept(TokenKind::kSemicolon);
        if (!At(TokenKind::kEnd)) ok = Fail("end of statement");
    }
    if (!ok || failed()) return Status::InvalidArgument(error_);
    return stmt;
}

bool Parser::ParseShow(Statement* out) {
    auto like = [&]() -> bool {
        if (!AcceptKeyword(Keyword::kLike)) return true;
        if (!At(TokenKind::kString)) return Fail("a string literal");
        out->like_pattern = Unquote(Take().text);
        return true;
    };
    if (AcceptKeyword(Keyword::kDatabases) || AcceptKeyword(Keyword::kSchemas)) {
        out->kind = StatementKind::kShowDatabases;
        return like();
    }
    if (AcceptKeyword(Keyword::kTables)) {
        out->kind = StatementKind::kShowTables;
        if (AcceptKeyword(Keyword::kFrom) || AcceptKeyword(Keyword::kIn)) {
            if (!ParseQualifiedName(&out->name, "a database name")) return false;
        }
        return like();
    }
    if (AcceptKeyword(Keyword::kColumns)) {
        out->kind = StatementKind::kShowColumns;
        if (!AcceptKeyword(Keyword::kFrom) && !AcceptKeyword(Keyword::kIn)) {
            return Fail("FROM or IN");
        }
        return ParseQualifiedName(&out->name, "a table name");
    }
    if (AcceptKeyword(Keyword::kPartitions)) {
        out->kind = StatementKind::kShowPartitions;
        if (!AcceptKeyword(Keyword::kFrom)) AcceptKeyword(Keyword::kIn);
        return ParseQualifiedName(&out->name, "a table name");
    }
    return Fail("DATABASES, SCHEMAS, TABLES, COLUMNS or PARTITIONS");
}

// --- cursor and errors

bool Parser::Accept(TokenKind kind) {
    if (!At(kind)) return false;
    Take();
    return true;
}

bool Parser::AcceptKeyword(Keyword keyword) {
    if (!AtKeyword(keyword)) return false;
    Take();
    return true;
}

bool Parser::Expect(TokenKind kind, std::string_view what) { return Accept(kind) || Fail(what); }

bool Parser::ExpectKeyword(Keyword keyword, std::string_view what) {
    return AcceptKeyword(keyword) || Fail(what);
}

bool Parser::Fail(std::string_view expected) {
    return FailAt(Peek().pos,
                  "expected " + std::string(expected) + ", found " + DescribeToken(Peek()));
}

bool Parser::FailAt(const SourcePos& pos, std::string message) {
    if (error_.empty()) error_ = Position(pos) + message;
    return false;
}

bool Parser::ParseInteger(int64_t* out) {
    if (!At(TokenKind::kInteger)) return Fail("a non-negative integer");
    int64_t value = 0;
    for (char c : Peek().text) {
        const int digit = c - '0';
        if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
            return Fail("an integer up to 9223372036854775807");
        }
        value = value * 10 + digit;
    }
    Take();
    *out = value;
    return true;
}

bool Parser::AtIdentifier(size_t ahead) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kQuotedIdentifier ||
           (t.kind == TokenKind::kWord && !IsReserved(t.keyword));
}

Identifier Parser::MakeIdentifier(const Token& token) const {
    Identifier id;
    id.pos = token.pos;
    if (token.kind == TokenKind::kQuotedIdentifier) {
        id.quoted = true;
        id.spelling = Unquote(token.text);
        id.name = id.spelling;
    } else {
        id.spelling = std::string(token.text);
        id.name = id.spelling;
        for (char& c : id.name) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return id;
}

bool Parser::ParseIdentifier(Identifier* out, std::string_view what) {
    if (!AtIdentifier()) return Fail(what);
    *out = MakeIdentifier(Take());
    return true;
}

bool Parser::ParseQualifiedName(QualifiedName* out, std::string_view what) {
    out->pos = Peek().pos;
    out->parts.clear();
    // A fourth part is left for the caller to refuse ("expected end of statement, found '.'").
    do {
        Identifier id;
        if (!ParseIdentifier(&id, what)) return false;
        out->parts.push_back(std::move(id));
    } while (out->parts.size() < 3 && Accept(TokenKind::kDot));
    return true;
}

}  // namespace tarn::sql
