// LikePattern: parsing the pattern into tokens, picking a fast shape, and the general matcher.
#include "sql/functions/like_pattern.h"

namespace tarn::sql {

namespace {

// Byte length of the UTF-8 character starting with `lead` (1 for stray continuation bytes).
size_t Utf8Length(unsigned char lead) {
    if (lead < 0xC0) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return 4;
}

}  // namespace

Status LikePattern::Compile(std::string_view pattern, bool has_escape, std::string_view escape) {
    if (has_escape && (escape.empty() || Utf8Length(escape[0]) != escape.size())) {
        return Status::InvalidArgument("Escape string must be a single character");
    }
    literal_.clear();
    tokens_.clear();
    auto add_literal = [&](std::string_view bytes) {
        if (tokens_.empty() || tokens_.back().kind != TokenKind::kLiteral) {
            tokens_.push_back({TokenKind::kLiteral, static_cast<uint32_t>(literal_.size()), 0});
        }
        literal_ += bytes;
        tokens_.back().length += static_cast<uint32_t>(bytes.size());
    };
    size_t i = 0;
    while (i < pattern.size()) {
        if (has_escape && pattern.substr(i).starts_with(escape)) {
            i += escape.size();
            const std::string_view rest = pattern.substr(i);
            if (rest.starts_with(escape)) {
                add_literal(escape);
                i += escape.size();
            } else if (!rest.empty() && (rest[0] == '%' || rest[0] == '_')) {
                add_literal(rest.substr(0, 1));
                ++i;
            } else {
                return Status::InvalidArgument(
                    "Escape character must be followed by '%', '_' or the escape character");
            }
            continue;
        }
        const char c = pattern[i];
        if (c == '%') {
            // Runs of '%' are one '%'.
            if (tokens_.empty() || tokens_.back().kind != TokenKind::kAnyString) {
                tokens_.push_back({TokenKind::kAnyString});
            }
            ++i;
        } else if (c == '_') {
            tokens_.push_back({TokenKind::kAnyChar});
            ++i;
        } else {
            const size_t n = std::min(Utf8Length(c), pattern.size() - i);
            add_literal(pattern.substr(i, n));
            i += n;
        }
    }

    // Pick a fast shape: at most one literal and '%' only at the ends.
    const size_t n = tokens_.size();
    auto is = [&](size_t k, TokenKind kind) { return k < n && tokens_[k].kind == kind; };
    shape_ = Shape::kGeneral;
    if (n == 0 || (n == 1 && is(0, TokenKind::kLiteral))) {
        shape_ = Shape::kExact;
    } else if (n == 1 && is(0, TokenKind::kAnyString)) {
        shape_ = Shape::kPrefix;  // '%': every string starts with ""
    } else if (n == 2 && is(0, TokenKind::kLiteral) && is(1, TokenKind::kAnyString)) {
        shape_ = Shape::kPrefix;
    } else if (n == 2 && is(0, TokenKind::kAnyString) && is(1, TokenKind::kLiteral)) {
        shape_ = Shape::kSuffix;
    } else if (n == 3 && is(0, TokenKind::kAnyString) && is(1, TokenKind::kLiteral) &&
               is(2, TokenKind::kAnyString)) {
        shape_ = Shape::kContains;
    }
    return Status::Ok();
}

// Wildcard matching with backtracking to the last '%' only, O(text * pattern) at worst.
bool LikePattern::MatchGeneral(std::string_view text) const {
    constexpr size_t kNone = static_cast<size_t>(-1);
    size_t t = 0;  // token
    size_t s = 0;  // text byte
    size_t star_token = kNone;
    size_t star_text = 0;
    while (s < text.size()) {
        if (t < tokens_.size()) {
            const Token& token = tokens_[t];
            if (token.kind == TokenKind::kAnyString) {
                star_token = t++;
                star_text = s;
                continue;
            }
            if (token.kind == TokenKind::kAnyChar) {
                s += std::min(Utf8Length(text[s]), text.size() - s);
                ++t;
                continue;
            }
            const std::string_view lit(literal_.data() + token.offset, token.length);
            if (text.substr(s).starts_with(lit)) {
                s += lit.size();
                ++t;
                continue;
            }
        }
        if (star_token == kNone) return false;
        // Let the last '%' swallow one more character and retry from there.
        star_text += std::min(Utf8Length(text[star_text]), text.size() - star_text);
        s = star_text;
        t = star_token + 1;
    }
    while (t < tokens_.size() && tokens_[t].kind == TokenKind::kAnyString) ++t;
    return t == tokens_.size();
}

}  // namespace tarn::sql
