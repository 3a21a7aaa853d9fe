// The crawl scan's naming and key rules: Glue names, Hive value unescaping, exclusion globs.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/crawl_internal.h"
#include "catalog/crawl_scan.h"
#include "common/text.h"

namespace tarn::catalog {
namespace crawl {
namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The position of the '}' closing the '{' at `open`, or npos.
size_t ClosingBrace(std::string_view pattern, size_t open) {
    int depth = 0;
    for (size_t i = open; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            ++i;
        } else if (pattern[i] == '{') {
            ++depth;
        } else if (pattern[i] == '}' && --depth == 0) {
            return i;
        }
    }
    return std::string_view::npos;
}

// The alternatives of "{a,b{c,d}}" (between the braces), split at top-level commas.
std::vector<std::string_view> Alternatives(std::string_view inside) {
    std::vector<std::string_view> out;
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i < inside.size(); ++i) {
        if (inside[i] == '\\') {
            ++i;
        } else if (inside[i] == '{') {
            ++depth;
        } else if (inside[i] == '}') {
            --depth;
        } else if (inside[i] == ',' && depth == 0) {
            out.push_back(inside.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(inside.substr(start));
    return out;
}

// Matches the bracket expression starting at pattern[0] == '[' against `c`. Sets *length to the
// expression's length; false with *length 0 when it is not closed (then '[' is a literal).
bool MatchClass(std::string_view pattern, char c, size_t* length) {
    size_t i = 1;
    const bool negated = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
    if (negated) ++i;
    bool matched = false;
    bool first = true;
    for (; i < pattern.size() && (first || pattern[i] != ']'); ++i, first = false) {
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            matched |= c >= pattern[i] && c <= pattern[i + 2];
            i += 2;
        } else {
            matched |= c == pattern[i];
        }
    }
    if (i >= pattern.size()) {
        *length = 0;
        return false;
    }
    *length = i + 1;
    return matched != negated && c != '/';
}

bool MatchStars(std::string_view pattern, std::string_view text) {
    if (pattern.starts_with("**")) {
        std::string_view rest = pattern.substr(2);
        // "**/" may stand for no folder at all: "**/_tmp/**" matches "_tmp/x".
        if (rest.starts_with('/') && GlobMatch(rest.substr(1), text)) return true;
        for (size_t i = 0; i <= text.size(); ++i) {
            if (GlobMatch(rest, text.substr(i))) return true;
        }
        return false;
    }
    // '*' stays within one segment.
    for (size_t i = 0; i <= text.size(); ++i) {
        if (GlobMatch(pattern.substr(1), text.substr(i))) return true;
        if (i < text.size() && text[i] == '/') break;
    }
    return false;
}

}  // namespace

std::string UrlDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
    while (!pattern.empty()) {
        const char p = pattern[0];
        if (p == '*') return MatchStars(pattern, text);
        if (p == '{') {
            const size_t close = ClosingBrace(pattern, 0);
            if (close != std::string_view::npos) {
                const std::string_view rest = pattern.substr(close + 1);
                for (std::string_view alt : Alternatives(pattern.substr(1, close - 1))) {
                    if (GlobMatch(std::string(alt) + std::string(rest), text)) return true;
                }
                return false;
            }
        }
        if (text.empty()) return false;
        if (p == '?') {
            if (text[0] == '/') return false;
            pattern.remove_prefix(1);
            text.remove_prefix(1);
            continue;
        }
        if (p == '[') {
            size_t length = 0;
            const bool matched = MatchClass(pattern, text[0], &length);
            if (length > 0) {
                if (!matched) return false;
                pattern.remove_prefix(length);
                text.remove_prefix(1);
                continue;
            }
        }
        size_t literal = 0;  // '\\' escapes the next character
        if (p == '\\' && pattern.size() > 1) literal = 1;
        if (pattern[literal] != text[0]) return false;
        pattern.remove_prefix(literal + 1);
        text.remove_prefix(1);
    }
    return text.empty();
}

std::vector<std::string_view> SplitKey(std::string_view key) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= key.size()) {
        const size_t slash = key.find('/', start);
        if (slash == std::string_view::npos) {
            out.push_back(key.substr(start));
            break;
        }
        out.push_back(key.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

bool IsHiddenSegment(std::string_view segment) {
    return segment.starts_with('_') || segment.starts_with('.');
}

}  // namespace crawl

std::string GlueName(std::string_view folder) {
    std::string out = AsciiLower(folder);
    for (char& c : out) {
        const bool legal = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!legal) c = '_';
    }
    return out;
}

bool MatchesExclusion(std::string_view pattern, std::string_view relative_key) {
    if (crawl::GlobMatch(pattern, relative_key)) return true;
    if (pattern.find('/') != std::string_view::npos) return false;
    // A pattern without '/' also names files in any folder ("*.crc").
    const size_t slash = relative_key.rfind('/');
    return slash != std::string_view::npos &&
           crawl::GlobMatch(pattern, relative_key.substr(slash + 1));
}

}  // namespace tarn::catalog
