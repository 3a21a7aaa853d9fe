// LikePattern: a compiled SQL LIKE pattern ('%' any string, '_' any one character, an optional
// ESCAPE character). Common shapes are matched without the general matcher: exact text,
// 'prefix%', '%suffix', '%infix%'. '_' matches one UTF-8 character, not one byte.
//
// Thread-safety: a compiled pattern is immutable; Matches may run on many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::sql {

class LikePattern {
public:
    // Compiles `pattern` (with `escape` when has_escape). InvalidArgument "Escape string must be
    // a single character" or "Escape character must be followed by '%', '_' or the escape
    // character". Reuses this object's storage (callers compiling per row keep one object).
    Status Compile(std::string_view pattern, bool has_escape, std::string_view escape);

    bool Matches(std::string_view text) const {
        switch (shape_) {
            case Shape::kExact:
                return text == literal_;
            case Shape::kPrefix:
                return text.starts_with(literal_);
            case Shape::kSuffix:
                return text.ends_with(literal_);
            case Shape::kContains:
                return text.find(literal_) != std::string_view::npos;
            case Shape::kGeneral:
                break;
        }
        return MatchGeneral(text);
    }

private:
    enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kGeneral };
    enum class TokenKind : uint8_t { kLiteral, kAnyChar, kAnyString };
    struct Token {
        TokenKind kind;
        uint32_t offset = 0;  // kLiteral: bytes [offset, offset + length) of literal_
        uint32_t length = 0;
    };

    bool MatchGeneral(std::string_view text) const;

    Shape shape_ = Shape::kExact;
    std::string literal_;  // every literal byte, unescaped; the whole literal for the fast shapes
    std::vector<Token> tokens_;
};

}  // namespace tarn::sql
