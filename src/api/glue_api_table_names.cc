// TableNamePattern: GetTables' Expression, a small regular-expression dialect matched without
// std::regex (whose backtracking can blow the stack, and which GCC 12 warns about under -O2).
#include <cctype>

#include "api/glue_api_internal.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxExpressionLength = 2048;  // FilterString

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

Status Unsupported(std::string_view expression, size_t at, char c) {
    return Status::InvalidArgument("Expression '" + std::string(expression) + "' at " +
                                   std::to_string(at) + ": '" + std::string(1, c) +
                                   "' is not supported (use literals, '.', '*', '+', '?', '|', "
                                   "'\\' escapes, and '^'/'$' at the ends)");
}

// One alternative: `text` without '|' (escapes still in it).
Result<std::vector<TableNamePattern::Atom>> ParseAlternative(std::string_view expression,
                                                             size_t offset, std::string_view text) {
    using Repeat = TableNamePattern::Repeat;
    std::vector<TableNamePattern::Atom> atoms;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const size_t at = offset + i;
        if ((c == '^' && i == 0) || (c == '$' && i + 1 == text.size())) continue;  // anchors
        const bool after_once = !atoms.empty() && atoms.back().repeat == Repeat::kOnce;
        if (c == '*') {
            // `.*` is the regular expression's any run; any other `*` is the Hive metastore's
            // wildcard, also any run (so "events*" finds events_v2, as Glue users expect).
            if (after_once && atoms.back().any) {
                atoms.back().repeat = Repeat::kAnyCount;
            } else {
                atoms.push_back({.any = true, .repeat = Repeat::kAnyCount});
            }
            continue;
        }
        if (c == '+' || c == '?') {
            if (!after_once) return Unsupported(expression, at, c);
            atoms.back().repeat = c == '+' ? Repeat::kAtLeastOnce : Repeat::kAtMostOnce;
            continue;
        }
        if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '^' ||
            c == '$') {
            return Unsupported(expression, at, c);
        }
        if (c == '\\') {
            if (++i == text.size()) return Unsupported(expression, at, c);
            atoms.push_back({.literal = Lower(text[i])});
            continue;
        }
        if (c == '.') {
            atoms.push_back({.any = true});
        } else {
            atoms.push_back({.literal = Lower(c)});
        }
    }
    return atoms;
}

bool AtomMatches(const TableNamePattern::Atom& atom, char c) {
    return atom.any || atom.literal == Lower(c);
}

// Whole-name match of one alternative, by dynamic programming over (atoms, characters): time
// atoms x characters whatever the pattern (no backtracking).
bool MatchesAlternative(const std::vector<TableNamePattern::Atom>& atoms, std::string_view name) {
    using Repeat = TableNamePattern::Repeat;
    // reach[j]: the atoms consumed so far can end exactly after name[0..j).
    std::vector<char> reach(name.size() + 1, 0);
    reach[0] = 1;
    for (const auto& atom : atoms) {
        std::vector<char> next(name.size() + 1, 0);
        for (size_t j = 0; j <= name.size(); ++j) {
            if (!reach[j]) continue;
            if (atom.repeat == Repeat::kAnyCount || atom.repeat == Repeat::kAtMostOnce) {
                next[j] = 1;
            }
            if (j < name.size() && AtomMatches(atom, name[j])) next[j + 1] = 1;
        }
        if (atom.repeat == Repeat::kAnyCount || atom.repeat == Repeat::kAtLeastOnce) {
            for (size_t j = 0; j < name.size(); ++j) {  // extend runs left to right
                if (next[j] && AtomMatches(atom, name[j])) next[j + 1] = 1;
            }
        }
        reach = std::move(next);
    }
    return reach[name.size()] != 0;
}

}  // namespace

Result<TableNamePattern> TableNamePattern::Parse(std::string_view expression) {
    TableNamePattern pattern;
    if (expression.empty()) return pattern;
    if (expression.size() > kMaxExpressionLength) {
        return Status::InvalidArgument("Expression must be at most 2048 characters");
    }
    size_t start = 0;
    while (true) {
        size_t bar = start;
        while (bar < expression.size() && expression[bar] != '|') {
            bar += expression[bar] == '\\' ? 2 : 1;
        }
        bar = std::min(bar, expression.size());
        TARN_ASSIGN_OR_RETURN(
            auto atoms, ParseAlternative(expression, start, expression.substr(start, bar - start)));
        pattern.alternatives_.push_back(std::move(atoms));
        if (bar >= expression.size()) break;
        start = bar + 1;
    }
    return pattern;
}

bool TableNamePattern::Matches(std::string_view name) const {
    if (alternatives_.empty()) return true;
    for (const auto& atoms : alternatives_) {
        if (MatchesAlternative(atoms, name)) return true;
    }
    return false;
}

}  // namespace tarn::api::glue
