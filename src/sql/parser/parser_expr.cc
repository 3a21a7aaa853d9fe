// Expressions: precedence climbing over the binary operators, recursive descent for the rest.
//
// Levels, lowest first (Trino's): OR, AND, NOT (prefix), predicates (comparisons, IS, IN,
// BETWEEN, LIKE; at most one per operand, `a = b = c` is an error as in Trino), ||, + -, * / %,
// unary + -. Binary operators associate to the left; AND and OR chains become one n-ary node.
#include <algorithm>

#include "common/text.h"
#include "sql/parser/parser_internal.h"

namespace tarn::sql {
namespace {

constexpr int kOrLevel = 1;
constexpr int kAndLevel = 2;
constexpr int kNotLevel = 3;
constexpr int kPredicateLevel = 4;
constexpr int kConcatLevel = 5;
constexpr int kAdditiveLevel = 6;
constexpr int kMultiplicativeLevel = 7;

struct BinaryOp {
    int level = 0;  // 0: not a binary operator
    ExprKind kind = ExprKind::kBinary;
    ExprOperator op = ExprOperator::kNone;
};

// The non-predicate binary operators (predicates are parsed by ParsePredicate).
BinaryOp BinaryOpAt(const Token& t) {
    switch (t.kind) {
        case TokenKind::kPlus:
            return {kAdditiveLevel, ExprKind::kBinary, ExprOperator::kAdd};
        case TokenKind::kMinus:
            return {kAdditiveLevel, ExprKind::kBinary, ExprOperator::kSubtract};
        case TokenKind::kStar:
            return {kMultiplicativeLevel, ExprKind::kBinary, ExprOperator::kMultiply};
        case TokenKind::kSlash:
            return {kMultiplicativeLevel, ExprKind::kBinary, ExprOperator::kDivide};
        case TokenKind::kPercent:
            return {kMultiplicativeLevel, ExprKind::kBinary, ExprOperator::kModulo};
        case TokenKind::kConcat:
            return {kConcatLevel, ExprKind::kBinary, ExprOperator::kConcat};
        case TokenKind::kWord:
            if (t.keyword == Keyword::kAnd) return {kAndLevel, ExprKind::kAnd, ExprOperator::kNone};
            if (t.keyword == Keyword::kOr) return {kOrLevel, ExprKind::kOr, ExprOperator::kNone};
            return {};
        default:
            return {};
    }
}

ExprOperator ComparisonAt(const Token& t) {
    switch (t.kind) {
        case TokenKind::kEq:
            return ExprOperator::kEq;
        case TokenKind::kNe:
            return ExprOperator::kNe;
        case TokenKind::kLt:
            return ExprOperator::kLt;
        case TokenKind::kLe:
            return ExprOperator::kLe;
        case TokenKind::kGt:
            return ExprOperator::kGt;
        case TokenKind::kGe:
            return ExprOperator::kGe;
        default:
            return ExprOperator::kNone;
    }
}

bool IsPredicateKeyword(Keyword k) {
    return k == Keyword::kIn || k == Keyword::kBetween || k == Keyword::kLike;
}

ExprPtr NewExpr(ExprKind kind, SourcePos pos) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    return e;
}

ExprPtr NewLiteral(LiteralKind literal, SourcePos pos, std::string text) {
    ExprPtr e = NewExpr(ExprKind::kLiteral, pos);
    e->literal = literal;
    e->text = std::move(text);
    return e;
}

}  // namespace

ExprPtr Parser::ParseExpr() { return ParseBinary(kOrLevel); }

ExprPtr Parser::ParseBinary(int min_level) {
    ExprPtr left;
    // Only a plain value may take a predicate or an arithmetic operator: after NOT x, a predicate
    // or AND/OR, those would chain comparisons (`a = b = c`) or bind wrongly (`a IS NULL + 1`), so
    // they end the loop and the caller reports the token.
    bool value_only = true;
    if (min_level <= kNotLevel && AtKeyword(Keyword::kNot)) {
        DepthGuard guard(this);  // NOT NOT NOT ... recurses without passing ParseUnary
        if (!guard.ok()) return nullptr;
        left = NewExpr(ExprKind::kUnary, Take().pos);
        left->op = ExprOperator::kNot;
        ExprPtr operand = ParseBinary(kNotLevel);
        if (!operand) return nullptr;
        left->children.push_back(std::move(operand));
        if (!(left = Finish(std::move(left)))) return nullptr;
        value_only = false;
    } else {
        left = ParseUnary();
        if (!left) return nullptr;
    }
    Expr* chain = nullptr;  // the AND/OR node this loop built last, extended by the same operator
    while (true) {
        const Token& t = Peek();
        const bool predicate = ComparisonAt(t) != ExprOperator::kNone ||
                               (t.kind == TokenKind::kWord &&
                                (t.keyword == Keyword::kIs || IsPredicateKeyword(t.keyword) ||
                                 (t.keyword == Keyword::kNot && Peek(1).kind == TokenKind::kWord &&
                                  IsPredicateKeyword(Peek(1).keyword))));
        if (predicate) {
            if (min_level > kPredicateLevel || !value_only) break;
            left = ParsePredicate(std::move(left));
            if (!left) return nullptr;
            value_only = false;
            continue;
        }
        const BinaryOp op = BinaryOpAt(t);
        if (op.level == 0 || op.level < min_level) break;
        // `a IS NULL + 1`: arithmetic cannot apply to a predicate without parentheses.
        if (!value_only && op.level > kPredicateLevel) break;
        Take();
        ExprPtr right = ParseBinary(op.level + 1);
        if (!right) return nullptr;
        if (op.level < kPredicateLevel) value_only = false;
        if (chain != nullptr && chain == left.get() && left->kind == op.kind) {
            // Extend the chain; its height changes by the new operand only (no O(n) rescan).
            if (right->height + 1 > kMaxExpressionDepth) return TooDeep(left->pos);
            left->height = std::max<uint16_t>(left->height, right->height + 1);
            left->children.push_back(std::move(right));
            continue;
        }
        ExprPtr node = NewExpr(op.kind, left->pos);
        node->op = op.op;
        node->children.push_back(std::move(left));
        node->children.push_back(std::move(right));
        if (!(left = Finish(std::move(node)))) return nullptr;
        chain = op.kind == ExprKind::kBinary ? nullptr : left.get();
    }
    return left;
}

ExprPtr Parser::ParsePredicate(ExprPtr left) {
    const SourcePos pos = left->pos;
    const ExprOperator cmp = ComparisonAt(Peek());
    if (cmp != ExprOperator::kNone) {
        Take();
        ExprPtr right = ParseBinary(kConcatLevel);
        if (!right) return nullptr;
        ExprPtr node = NewExpr(ExprKind::kBinary, pos);
        node->op = cmp;
        node->children.push_back(std::move(left));
        node->children.push_back(std::move(right));
        return Finish(std::move(node));
    }
    if (AcceptKeyword(Keyword::kIs)) {
        ExprPtr node = NewExpr(ExprKind::kIsNull, pos);
        node->negated = AcceptKeyword(Keyword::kNot);
        if (!ExpectKeyword(Keyword::kNull, node->negated ? "NULL" : "NULL or NOT NULL")) {
            return nullptr;
        }
        node->children.push_back(std::move(left));
        return Finish(std::move(node));
    }
    const bool negated = AcceptKeyword(Keyword::kNot);
    const Keyword keyword = Take().keyword;
    ExprPtr node;
    auto operand = [&]() -> bool {  // the right-hand operands bind tighter than the predicate
        ExprPtr e = ParseBinary(kConcatLevel);
        if (!e) return false;
        node->children.push_back(std::move(e));
        return true;
    };
    switch (keyword) {
        case Keyword::kIn:
            node = NewExpr(ExprKind::kIn, pos);
            node->children.push_back(std::move(left));
            if (!Expect(TokenKind::kLParen, "'('")) return nullptr;
            do {
                ExprPtr e = ParseExpr();
                if (!e) return nullptr;
                node->children.push_back(std::move(e));
            } while (Accept(TokenKind::kComma));
            if (!Expect(TokenKind::kRParen, "',' or ')'")) return nullptr;
            break;
        case Keyword::kBetween:
            node = NewExpr(ExprKind::kBetween, pos);
            node->children.push_back(std::move(left));
            if (!operand() || !ExpectKeyword(Keyword::kAnd, "AND") || !operand()) return nullptr;
            break;
        default:  // kLike: the caller saw IN, BETWEEN or LIKE
            node = NewExpr(ExprKind::kLike, pos);
            node->children.push_back(std::move(left));
            if (!operand()) return nullptr;
            if (AcceptKeyword(Keyword::kEscape) && !operand()) return nullptr;
            break;
    }
    node->negated = negated;
    return Finish(std::move(node));
}

ExprPtr Parser::ParseUnary() {
    DepthGuard guard(this);  // every nested expression passes here: parentheses, arguments, ...
    if (!guard.ok()) return nullptr;
    if (At(TokenKind::kMinus) || At(TokenKind::kPlus)) {
        const Token& sign = Take();
        ExprPtr node = NewExpr(ExprKind::kUnary, sign.pos);
        node->op = sign.kind == TokenKind::kMinus ? ExprOperator::kNegate : ExprOperator::kPlus;
        ExprPtr operand = ParseUnary();
        if (!operand) return nullptr;
        node->children.push_back(std::move(operand));
        return Finish(std::move(node));
    }
    return ParsePrimary();
}

ExprPtr Parser::ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
        case TokenKind::kInteger:
            return NewLiteral(LiteralKind::kInteger, Take().pos, std::string(t.text));
        case TokenKind::kDecimal:
            return NewLiteral(LiteralKind::kDecimal, Take().pos, std::string(t.text));
        case TokenKind::kDouble:
            return NewLiteral(LiteralKind::kDouble, Take().pos, std::string(t.text));
        case TokenKind::kString:
            return NewLiteral(LiteralKind::kString, Take().pos, Unquote(t.text));
        case TokenKind::kLParen: {
            Take();
            ExprPtr inner = ParseExpr();
            if (!inner || !Expect(TokenKind::kRParen, "')'")) return nullptr;
            return inner;
        }
        case TokenKind::kQuotedIdentifier:
            return ParseName();
        case TokenKind::kWord:
            break;
        default:
            Fail("an expression");
            return nullptr;
    }
    switch (t.keyword) {
        case Keyword::kNull:
            return NewLiteral(LiteralKind::kNull, Take().pos, "");
        case Keyword::kTrue:
            return NewLiteral(LiteralKind::kBoolean, Take().pos, "true");
        case Keyword::kFalse:
            return NewLiteral(LiteralKind::kBoolean, Take().pos, "false");
        case Keyword::kCase:
            return ParseCase();
        case Keyword::kCast:
            return ParseCast();
        case Keyword::kTryCast:
            if (At(TokenKind::kLParen, 1)) return ParseCast();
            break;
        case Keyword::kDate:
        case Keyword::kTimestamp:
        case Keyword::kInterval:
            // A literal only when a string follows: otherwise a column named date.
            if (At(TokenKind::kString, 1)) return ParseTypedLiteral();
            break;
        case Keyword::kCurrentDate:
        case Keyword::kCurrentTime:
        case Keyword::kCurrentTimestamp:
        case Keyword::kLocaltime:
        case Keyword::kLocaltimestamp: {
            ExprPtr e = NewExpr(ExprKind::kFunction, t.pos);
            e->no_parens = true;
            e->names.push_back(MakeIdentifier(Take()));
            return e;
        }
        default:
            break;
    }
    if (IsReserved(t.keyword)) {
        Fail("an expression");
        return nullptr;
    }
    // `type 'text'`: a typed literal (DECIMAL '1.50', BIGINT '7', VARCHAR 'x').
    if (At(TokenKind::kString, 1)) return ParseTypeWordLiteral();
    return ParseName();
}

ExprPtr Parser::ParseTypeWordLiteral() {
    const Token& word = Take();
    const Token& value = Take();  // the caller saw the string
    ExprPtr e = NewExpr(ExprKind::kCast, word.pos);
    e->typed_literal = true;
    e->type.name = AsciiLower(word.text);
    e->type.pos = word.pos;
    e->children.push_back(NewLiteral(LiteralKind::kString, value.pos, Unquote(value.text)));
    return Finish(std::move(e));
}

// A column path `a.b.c` or a function call `f(...)`.
ExprPtr Parser::ParseName() {
    const SourcePos pos = Peek().pos;
    Identifier first = MakeIdentifier(Take());
    if (At(TokenKind::kLParen)) return ParseFunctionCall(std::move(first), pos);
    ExprPtr e = NewExpr(ExprKind::kColumnRef, pos);
    e->names.push_back(std::move(first));
    while (Accept(TokenKind::kDot)) {
        Identifier field;
        if (!ParseIdentifier(&field, "a field name")) return nullptr;
        e->names.push_back(std::move(field));
    }
    return e;
}

ExprPtr Parser::ParseFunctionCall(Identifier name, SourcePos pos) {
    Take();  // (
    ExprPtr e = NewExpr(ExprKind::kFunction, pos);
    e->names.push_back(std::move(name));
    if (At(TokenKind::kStar) && At(TokenKind::kRParen, 1)) {
        Take();
        e->star_arg = true;
    } else if (!At(TokenKind::kRParen)) {
        if (AcceptKeyword(Keyword::kDistinct)) {
            e->distinct = true;
        } else {
            AcceptKeyword(Keyword::kAll);
        }
        do {
            ExprPtr arg = ParseExpr();
            if (!arg) return nullptr;
            e->children.push_back(std::move(arg));
        } while (Accept(TokenKind::kComma));
    }
    if (!Expect(TokenKind::kRParen, e->children.empty() ? "')'" : "',' or ')'")) return nullptr;
    return Finish(std::move(e));
}

ExprPtr Parser::ParseCase() {
    ExprPtr e = NewExpr(ExprKind::kCase, Take().pos);
    if (!AtKeyword(Keyword::kWhen)) {
        ExprPtr operand = ParseExpr();
        if (!operand) return nullptr;
        e->has_operand = true;
        e->children.push_back(std::move(operand));
    }
    if (!AtKeyword(Keyword::kWhen)) {
        Fail("WHEN");
        return nullptr;
    }
    while (AcceptKeyword(Keyword::kWhen)) {
        ExprPtr when = ParseExpr();
        if (!when || !ExpectKeyword(Keyword::kThen, "THEN")) return nullptr;
        ExprPtr then = ParseExpr();
        if (!then) return nullptr;
        e->children.push_back(std::move(when));
        e->children.push_back(std::move(then));
    }
    if (AcceptKeyword(Keyword::kElse)) {
        ExprPtr otherwise = ParseExpr();
        if (!otherwise) return nullptr;
        e->has_else = true;
        e->children.push_back(std::move(otherwise));
        if (!ExpectKeyword(Keyword::kEnd, "END")) return nullptr;
    } else if (!ExpectKeyword(Keyword::kEnd, "WHEN, ELSE or END")) {
        return nullptr;
    }
    return Finish(std::move(e));
}

ExprPtr Parser::ParseCast() {
    const Token& word = Take();
    ExprPtr e = NewExpr(ExprKind::kCast, word.pos);
    e->try_cast = word.keyword == Keyword::kTryCast;
    if (!Expect(TokenKind::kLParen, "'('")) return nullptr;
    ExprPtr operand = ParseExpr();
    if (!operand || !ExpectKeyword(Keyword::kAs, "AS") || !ParseTypeName(&e->type) ||
        !Expect(TokenKind::kRParen, "')'")) {
        return nullptr;
    }
    e->children.push_back(std::move(operand));
    return Finish(std::move(e));
}

ExprPtr Parser::ParseTypedLiteral() {
    const Token& word = Take();
    const Token& value = Take();  // the caller saw the string
    LiteralKind kind = LiteralKind::kDate;
    if (word.keyword == Keyword::kTimestamp) kind = LiteralKind::kTimestamp;
    if (word.keyword == Keyword::kInterval) kind = LiteralKind::kInterval;
    ExprPtr e = NewLiteral(kind, word.pos, Unquote(value.text));
    if (kind != LiteralKind::kInterval) return e;
    static constexpr std::pair<Keyword, IntervalUnit> kUnits[] = {
        {Keyword::kYear, IntervalUnit::kYear},     {Keyword::kMonth, IntervalUnit::kMonth},
        {Keyword::kDay, IntervalUnit::kDay},       {Keyword::kHour, IntervalUnit::kHour},
        {Keyword::kMinute, IntervalUnit::kMinute}, {Keyword::kSecond, IntervalUnit::kSecond},
    };
    for (const auto& [keyword, unit] : kUnits) {
        if (AcceptKeyword(keyword)) {
            e->unit = unit;
            return e;
        }
    }
    Fail("YEAR, MONTH, DAY, HOUR, MINUTE or SECOND");
    return nullptr;
}

ExprPtr Parser::TooDeep(const SourcePos& node) {
    FailAt(node, "expression nests deeper than " + std::to_string(kMaxExpressionDepth) + " levels");
    return nullptr;
}

ExprPtr Parser::Finish(ExprPtr node) {
    int height = 0;
    for (const ExprPtr& child : node->children) height = std::max<int>(height, child->height);
    if (height + 1 > kMaxExpressionDepth) return TooDeep(node->pos);
    node->height = static_cast<uint16_t>(height + 1);
    return node;
}

}  // namespace tarn::sql
