// SELECT and its clauses.
#include "sql/parser/parser_internal.h"

namespace tarn::sql {

std::unique_ptr<Select> Parser::ParseSelect() {
    DepthGuard guard(this);  // subqueries recurse through here
    if (!guard.ok()) return nullptr;
    if (query_depth_ >= kMaxQueryNesting) {
        FailAt(Peek().pos,
               "subqueries nest deeper than " + std::to_string(kMaxQueryNesting) + " levels");
        return nullptr;
    }
    struct QueryLevel {  // query_depth_ + 1 while this SELECT is parsed
        int& depth;
        explicit QueryLevel(int& d) : depth(++d) {}
        ~QueryLevel() { --depth; }
    } level(query_depth_);
    auto select = std::make_unique<Select>();
    select->pos = Peek().pos;
    if (!ExpectKeyword(Keyword::kSelect, "SELECT")) return nullptr;
    if (AcceptKeyword(Keyword::kDistinct)) {
        select->distinct = true;
    } else {
        AcceptKeyword(Keyword::kAll);
    }
    do {
        SelectItem item;
        if (!ParseSelectItem(&item)) return nullptr;
        select->items.push_back(std::move(item));
    } while (Accept(TokenKind::kComma));

    if (AcceptKeyword(Keyword::kFrom)) {
        TableRef ref;
        if (!ParseTableRef(&ref)) return nullptr;
        select->from = std::move(ref);
    }
    if (AcceptKeyword(Keyword::kWhere)) {
        select->where = ParseExpr();
        if (!select->where) return nullptr;
    }
    if (AcceptKeyword(Keyword::kGroup)) {
        if (!ExpectKeyword(Keyword::kBy, "BY")) return nullptr;
        do {
            ExprPtr e = ParseExpr();
            if (!e) return nullptr;
            select->group_by.push_back(std::move(e));
        } while (Accept(TokenKind::kComma));
    }
    if (AcceptKeyword(Keyword::kHaving)) {
        select->having = ParseExpr();
        if (!select->having) return nullptr;
    }
    if (AcceptKeyword(Keyword::kOrder)) {
        if (!ExpectKeyword(Keyword::kBy, "BY")) return nullptr;
        do {
            OrderItem item;
            if (!ParseOrderItem(&item)) return nullptr;
            select->order_by.push_back(std::move(item));
        } while (Accept(TokenKind::kComma));
    }
    // Trino writes OFFSET before LIMIT; most people write it after. Each at most once.
    bool seen_offset = false;
    bool seen_limit = false;
    while (true) {
        if (!seen_offset && AcceptKeyword(Keyword::kOffset)) {
            seen_offset = true;
            if (!ParseCount(&select->offset)) return nullptr;
            if (!AcceptKeyword(Keyword::kRows)) AcceptKeyword(Keyword::kRow);
        } else if (!seen_limit && AcceptKeyword(Keyword::kLimit)) {
            seen_limit = true;
            if (!AcceptKeyword(Keyword::kAll) && !ParseCount(&select->limit)) return nullptr;
        } else {
            break;
        }
    }
    return select;
}

bool Parser::ParseSelectItem(SelectItem* out) {
    const Token& first = Peek();
    if (At(TokenKind::kStar)) {
        Take();
        out->expr = std::make_unique<Expr>();
        out->expr->kind = ExprKind::kStar;
        out->expr->pos = first.pos;
        return true;
    }
    // `t.*` / `db.t.*`: names, dots, then a star.
    size_t n = 0;
    while (AtIdentifier(n) && At(TokenKind::kDot, n + 1)) n += 2;
    if (n > 0 && At(TokenKind::kStar, n)) {
        out->expr = std::make_unique<Expr>();
        out->expr->kind = ExprKind::kStar;
        out->expr->pos = first.pos;
        for (size_t i = 0; i < n; i += 2) {
            out->expr->names.push_back(MakeIdentifier(Take()));
            Take();  // the dot
        }
        Take();  // the star
        return true;
    }
    out->expr = ParseExpr();
    if (!out->expr) return false;
    return ParseOptionalAlias(&out->alias);
}

bool Parser::ParseOptionalAlias(std::optional<Identifier>* alias) {
    if (AcceptKeyword(Keyword::kAs)) {
        Identifier name;
        if (!ParseIdentifier(&name, "an alias")) return false;
        *alias = std::move(name);
    } else if (AtImplicitAlias()) {
        *alias = MakeIdentifier(Take());
    }
    return true;
}

bool Parser::ParseTableRef(TableRef* out) {
    out->pos = Peek().pos;
    if (Accept(TokenKind::kLParen)) {
        if (!AtKeyword(Keyword::kSelect)) return Fail("SELECT");
        out->subquery = ParseSelect();
        if (!out->subquery || !Expect(TokenKind::kRParen, "')'")) return false;
    } else if (!ParseQualifiedName(&out->name, "a table name")) {
        return false;
    }
    return ParseOptionalAlias(&out->alias);
}

bool Parser::ParseOrderItem(OrderItem* out) {
    out->expr = ParseExpr();
    if (!out->expr) return false;
    if (AcceptKeyword(Keyword::kDesc)) {
        out->descending = true;
    } else {
        AcceptKeyword(Keyword::kAsc);
    }
    if (AcceptKeyword(Keyword::kNulls)) {
        if (AcceptKeyword(Keyword::kFirst)) {
            out->nulls = NullsOrder::kFirst;
        } else if (AcceptKeyword(Keyword::kLast)) {
            out->nulls = NullsOrder::kLast;
        } else {
            return Fail("FIRST or LAST");
        }
    }
    return true;
}

bool Parser::ParseCount(std::optional<int64_t>* out) {
    int64_t value = 0;
    if (!ParseInteger(&value)) return false;
    *out = value;
    return true;
}

bool Parser::AtImplicitAlias() const {
    if (!AtIdentifier()) return false;
    switch (Peek().keyword) {
        case Keyword::kLimit:
        case Keyword::kOffset:
        case Keyword::kFetch:
        case Keyword::kWindow:
            return false;
        default:
            return true;
    }
}

}  // namespace tarn::sql
