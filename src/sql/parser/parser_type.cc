// Type names in CAST and TRY_CAST. Only the name and its integer parameters are recorded; which
// names exist is the binder's business. Nested types (array(varchar), row(a bigint)) are not
// parsed yet: their element type is refused where an integer parameter is expected.
#include "sql/parser/parser_internal.h"

namespace tarn::sql {

bool Parser::ParseTypeName(TypeName* out) {
    const Token& word = Peek();
    if (word.kind != TokenKind::kWord || IsReserved(word.keyword)) return Fail("a type name");
    Take();
    out->pos = word.pos;
    out->name.assign(word.text);
    for (char& c : out->name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (word.keyword == Keyword::kDouble && AcceptKeyword(Keyword::kPrecision)) {
        out->name = "double";  // DOUBLE PRECISION is DOUBLE
    }
    if (Accept(TokenKind::kLParen)) {
        do {
            int64_t value = 0;
            if (!ParseInteger(&value)) return false;
            out->params.push_back(value);
        } while (Accept(TokenKind::kComma));
        if (!Expect(TokenKind::kRParen, "',' or ')'")) return false;
    }
    if ((word.keyword == Keyword::kTimestamp || word.keyword == Keyword::kTime) &&
        AcceptKeyword(Keyword::kWith)) {
        if (!ExpectKeyword(Keyword::kTime, "TIME") || !ExpectKeyword(Keyword::kZone, "ZONE")) {
            return false;
        }
        out->name += " with time zone";
    }
    return true;
}

}  // namespace tarn::sql
