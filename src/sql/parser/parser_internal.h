// The recursive-descent parser behind ParseStatement (internal to sql/parser/).
//
// Split by grammar area: parser.cc (statements, cursor, errors), parser_select.cc (SELECT and its
// clauses), parser_expr.cc (expressions by precedence climbing), parser_type.cc (type names).
//
// Errors: the first one is kept (error_) and every parse function returns null/false from then
// on, so callers just propagate failure; ParseStatement turns error_ into the Status. This keeps
// the hot path free of Result<> wrapping, and no exception is ever thrown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast.h"
#include "sql/parser/lexer.h"

namespace tarn::sql {

class Parser {
public:
    // REQUIRES: tokens end with a kEnd token (no kError).
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    Result<Statement> ParseStatement();

private:
    friend class DepthGuard;

    // --- cursor (parser.cc)
    const Token& Peek(size_t ahead = 0) const {
        const size_t i = pos_ + ahead;
        return i < tokens_.size() ? tokens_[i] : tokens_.back();
    }
    const Token& Take() {
        const Token& t = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) ++pos_;
        return t;
    }
    bool At(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
    bool AtKeyword(Keyword keyword, size_t ahead = 0) const {
        const Token& t = Peek(ahead);
        return t.kind == TokenKind::kWord && t.keyword == keyword;
    }
    bool Accept(TokenKind kind);
    bool AcceptKeyword(Keyword keyword);
    // Consume the token or fail with "expected <what>, found ...".
    bool Expect(TokenKind kind, std::string_view what);
    bool ExpectKeyword(Keyword keyword, std::string_view what);
    // Records "line L, column C: expected <what>, found <token>" unless an error is already kept;
    // returns false so that callers can `return Fail(...)`.
    bool Fail(std::string_view expected);
    bool FailAt(const SourcePos& pos, std::string message);
    bool failed() const { return !error_.empty(); }

    // A name usable as an identifier here: a quoted one, or a word that is not reserved.
    bool AtIdentifier(size_t ahead = 0) const;
    bool ParseIdentifier(Identifier* out, std::string_view what);
    bool ParseQualifiedName(QualifiedName* out, std::string_view what);
    Identifier MakeIdentifier(const Token& token) const;
    // A kInteger token that fits int64_t.
    bool ParseInteger(int64_t* out);

    // --- statements (parser.cc)
    bool ParseShow(Statement* out);

    // --- SELECT (parser_select.cc)
    std::unique_ptr<Select> ParseSelect();
    bool ParseSelectItem(SelectItem* out);
    bool ParseTableRef(TableRef* out);
    // `[AS] alias` after a select item or a table, when there is one.
    bool ParseOptionalAlias(std::optional<Identifier>* alias);
    bool ParseOrderItem(OrderItem* out);
    bool ParseCount(std::optional<int64_t>* out);
    // An alias after an expression or table without AS: any identifier except the words that
    // start the following clauses (LIMIT, OFFSET, ... are not reserved).
    bool AtImplicitAlias() const;

    // --- expressions (parser_expr.cc)
    ExprPtr ParseExpr();
    ExprPtr ParseBinary(int min_precedence);
    ExprPtr ParsePredicate(ExprPtr left);
    ExprPtr ParseUnary();
    ExprPtr ParsePrimary();
    ExprPtr ParseName();
    ExprPtr ParseFunctionCall(Identifier name, SourcePos pos);
    ExprPtr ParseCase();
    ExprPtr ParseCast();
    ExprPtr ParseTypedLiteral();
    ExprPtr ParseTypeWordLiteral();
    // Sets height from the children; fails (null) past kMaxExpressionDepth.
    ExprPtr Finish(ExprPtr node);
    ExprPtr TooDeep(const SourcePos& node);  // records the tree height error, returns null

    // --- types (parser_type.cc)
    bool ParseTypeName(TypeName* out);

    std::vector<Token> tokens_;
    size_t pos_ = 0;
    int depth_ = 0;        // current recursion depth (DepthGuard)
    int query_depth_ = 0;  // current subquery nesting (ParseSelect)
    std::string error_;
};

// The parser's recursion limit, separate from the tree's height limit because the two differ:
// `((((1))))` recurses without building nodes, and ToSql's output of an accepted tree recurses up
// to twice per level (`(-(-x))`: a parenthesis and an operator) inside its subqueries. This bound
// accepts that output again while keeping the stack small (a few frames per level).
inline constexpr int kMaxRecursion = 2 * kMaxExpressionDepth + kMaxQueryNesting + 32;

// Counts one level of recursion for as long as it lives; ok() is false past kMaxRecursion (and
// the error is recorded), so nesting can never exhaust the stack.
class DepthGuard {
public:
    explicit DepthGuard(Parser* parser) : parser_(parser) {
        if (++parser_->depth_ > kMaxRecursion) {
            parser_->FailAt(parser_->Peek().pos,
                            "nesting is deeper than " + std::to_string(kMaxRecursion) + " levels");
        }
    }
    ~DepthGuard() { --parser_->depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    bool ok() const { return parser_->depth_ <= kMaxRecursion; }

private:
    Parser* parser_;
};

// What a token is called in "found ..." (e.g. 'FROM', end of input, string literal 'abc').
std::string DescribeToken(const Token& token);

}  // namespace tarn::sql
