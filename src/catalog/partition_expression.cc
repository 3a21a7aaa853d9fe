#include "catalog/partition_expression.h"

#include <charconv>
#include <chrono>
#include <cstring>

#include "common/hash.h"
#include "common/text.h"

namespace tarn::catalog {
namespace {

// How much of an expression an error message quotes (the position is given as well).
constexpr size_t kQuotedBytes = 200;

using KeyKind = PartitionFilter::KeyKind;
using Literal = PartitionFilter::Literal;

KeyKind KindOfType(std::string_view type) {
    std::string base = AsciiLower(type.substr(0, type.find('(')));
    while (!base.empty() && base.back() == ' ') base.pop_back();
    if (base == "tinyint" || base == "smallint" || base == "int" || base == "integer" ||
        base == "bigint") {
        return KeyKind::kInteger;
    }
    if (base == "float" || base == "double" || base == "real" || base == "decimal") {
        return KeyKind::kNumber;
    }
    if (base == "date") return KeyKind::kDate;
    return KeyKind::kString;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<double> ParseNumber(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

// Days since 1970-01-01 of an exact "yyyy-mm-dd".
std::optional<int64_t> ParseDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = ParseInteger(text.substr(0, 4));
    auto m = ParseInteger(text.substr(5, 2));
    auto d = ParseInteger(text.substr(8, 2));
    if (!y || !m || !d || *y < 0 || *m < 0 || *d < 0) return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*y)),
                                    std::chrono::month(static_cast<unsigned>(*m)),
                                    std::chrono::day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days(ymd).time_since_epoch().count();
}

template <typename T>
int ThreeWay(T a, T b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

// How `value` (a partition's text) compares with `literal`; nullopt when the value is not of
// its key's type.
std::optional<int> CompareValue(KeyKind kind, std::string_view value, const Literal& literal) {
    switch (kind) {
        case KeyKind::kString:
            if (!literal.is_number) return ThreeWay(value.compare(literal.text), 0);
            [[fallthrough]];
        case KeyKind::kNumber: {
            auto v = ParseNumber(value);
            if (!v) return std::nullopt;
            return ThreeWay(*v, literal.number);
        }
        case KeyKind::kInteger: {
            auto v = ParseInteger(value);
            if (!v) return std::nullopt;
            if (literal.integral) return ThreeWay(*v, literal.integer);
            return ThreeWay(static_cast<double>(*v), literal.number);
        }
        case KeyKind::kDate: {
            auto v = ParseDate(value);
            if (!v) return std::nullopt;
            return ThreeWay(*v, literal.integer);
        }
    }
    return std::nullopt;
}

// SQL LIKE: '%' any run of bytes, '_' one byte; no escape character. Iterative, with one
// backtrack point (the last '%'), so it is linear-ish and never recursive.
bool Like(std::string_view text, std::string_view pattern) {
    size_t t = 0, p = 0;
    size_t star = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == '%') {
            star = p++;
            star_t = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_t;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    return p == pattern.size();
}

struct Token {
    enum Kind : uint8_t {
        kEnd,
        kWord,
        kQuotedName,
        kString,
        kNumber,
        kOp,
        kLParen,
        kRParen,
        kComma
    };
    Kind kind = kEnd;
    std::string text;  // a word or name as written, a string's content, an operator
    size_t pos = 0;
};

}  // namespace

// Tokenizes and parses one expression into a PartitionFilter's nodes (recursive descent, one
// function per grammar rule in partition_expression.h).
class PartitionExpressionParser {
public:
    PartitionExpressionParser(std::string_view expression, const std::vector<Column>& keys)
        : expression_(expression), keys_(keys) {}

    Result<PartitionFilter> Parse() {
        PartitionFilter filter;
        filter.key_count_ = keys_.size();
        nodes_ = &filter.nodes_;
        TARN_RETURN_IF_ERROR(Advance());
        if (token_.kind == Token::kEnd) return filter;  // blank: everything
        TARN_ASSIGN_OR_RETURN(int root, ParseOr());
        if (token_.kind != Token::kEnd) return Error(token_.pos, "expected AND, OR or the end");
        // The root must be the last node (Matches starts there).
        if (root != static_cast<int>(nodes_->size()) - 1) return Error(0, "internal: bad root");
        return filter;
    }

private:
    Status Error(size_t pos, std::string_view what) const {
        // `what` may quote a literal of the expression: the whole message is made one line.
        return Status::InvalidArgument(
            OneLineExcerpt("Expression '" + OneLineExcerpt(expression_, kQuotedBytes) + "' at " +
                           std::to_string(pos) + ": " + std::string(what)));
    }

    bool IsKeyword(std::string_view word) const {
        return token_.kind == Token::kWord && EqualsIgnoreAsciiCase(token_.text, word);
    }

    // ---- Tokenizer ----
    Status Advance() {
        while (at_ < expression_.size() && IsBlank(expression_[at_])) ++at_;
        token_ = Token{.kind = Token::kEnd, .text = {}, .pos = at_};
        if (at_ >= expression_.size()) return Status::Ok();
        char c = expression_[at_];
        if (c == '\'') return LexQuoted('\'', Token::kString, "unterminated string");
        if (c == '`') return LexQuoted('`', Token::kQuotedName, "unterminated quoted name");
        if (IsDigit(c) || ((c == '-' || c == '.') && IsDigit(Peek(1)))) return LexNumber();
        if (IsWordStart(c)) return LexWord();
        for (std::string_view op : {"<>", "!=", "<=", ">=", "=", "<", ">"}) {
            if (expression_.substr(at_).starts_with(op)) {
                token_.kind = Token::kOp;
                token_.text = op;
                at_ += op.size();
                return Status::Ok();
            }
        }
        Token::Kind single = c == '('   ? Token::kLParen
                             : c == ')' ? Token::kRParen
                             : c == ',' ? Token::kComma
                                        : Token::kEnd;
        if (single == Token::kEnd) {
            return Error(at_, "unexpected character '" + std::string(1, c) + "'");
        }
        token_.kind = single;
        token_.text = std::string(1, c);
        ++at_;
        return Status::Ok();
    }

    // Not strchr(" \t\r\n", c): that finds the terminator for c == '\0', so NUL bytes were blanks
    // and an expression of them matched every partition.
    static bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
    static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
    static bool IsWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
    char Peek(size_t ahead) const {
        return at_ + ahead < expression_.size() ? expression_[at_ + ahead] : '\0';
    }

    // A quoted string or name; the quote doubled stands for itself.
    Status LexQuoted(char quote, Token::Kind kind, std::string_view unterminated) {
        size_t start = at_++;
        std::string text;
        while (true) {
            if (at_ >= expression_.size()) return Error(start, unterminated);
            char c = expression_[at_++];
            if (c != quote) {
                text += c;
            } else if (at_ < expression_.size() && expression_[at_] == quote) {
                text += quote;
                ++at_;
            } else {
                break;
            }
        }
        token_.kind = kind;
        token_.text = std::move(text);
        return Status::Ok();
    }

    Status LexNumber() {
        size_t start = at_;
        if (expression_[at_] == '-') ++at_;
        auto digits = [&] {
            while (at_ < expression_.size() && IsDigit(expression_[at_])) ++at_;
        };
        digits();
        if (Peek(0) == '.') {
            ++at_;
            digits();
        }
        if ((Peek(0) == 'e' || Peek(0) == 'E') &&
            (IsDigit(Peek(1)) || ((Peek(1) == '-' || Peek(1) == '+') && IsDigit(Peek(2))))) {
            at_ += 2;
            digits();
        }
        if (IsWordStart(Peek(0))) return Error(start, "malformed number");
        token_.kind = Token::kNumber;
        token_.text = std::string(expression_.substr(start, at_ - start));
        return Status::Ok();
    }

    Status LexWord() {
        size_t start = at_;
        while (at_ < expression_.size() &&
               (IsWordStart(expression_[at_]) || IsDigit(expression_[at_]))) {
            ++at_;
        }
        token_.kind = Token::kWord;
        token_.text = std::string(expression_.substr(start, at_ - start));
        return Status::Ok();
    }

    // ---- Parser ----
    int Add(PartitionFilter::Node node) {
        nodes_->push_back(std::move(node));
        return static_cast<int>(nodes_->size()) - 1;
    }

    int Combine(PartitionFilter::Op op, std::vector<int> children) {
        return Add({.op = op, .children = std::move(children)});
    }

    Result<int> ParseOr() {
        TARN_ASSIGN_OR_RETURN(int left, ParseAnd());
        while (IsKeyword("or")) {
            TARN_RETURN_IF_ERROR(Advance());
            TARN_ASSIGN_OR_RETURN(int right, ParseAnd());
            left = Combine(PartitionFilter::Op::kOr, {left, right});
        }
        return left;
    }

    Result<int> ParseAnd() {
        TARN_ASSIGN_OR_RETURN(int left, ParseUnary());
        while (IsKeyword("and")) {
            TARN_RETURN_IF_ERROR(Advance());
            TARN_ASSIGN_OR_RETURN(int right, ParseUnary());
            left = Combine(PartitionFilter::Op::kAnd, {left, right});
        }
        return left;
    }

    Result<int> ParseUnary() {
        if (++depth_ > kMaxDepth) return Error(token_.pos, "expression nested too deeply");
        Result<int> out = ParseUnaryBody();
        --depth_;
        return out;
    }

    Result<int> ParseUnaryBody() {
        if (IsKeyword("not")) {
            TARN_RETURN_IF_ERROR(Advance());
            TARN_ASSIGN_OR_RETURN(int inner, ParseUnary());
            return Combine(PartitionFilter::Op::kNot, {inner});
        }
        if (token_.kind == Token::kLParen) {
            TARN_RETURN_IF_ERROR(Advance());
            TARN_ASSIGN_OR_RETURN(int inner, ParseOr());
            if (token_.kind != Token::kRParen) return Error(token_.pos, "expected ')'");
            TARN_RETURN_IF_ERROR(Advance());
            return inner;
        }
        return ParsePredicate();
    }

    Result<int> ResolveKey() {
        bool name = token_.kind == Token::kQuotedName ||
                    (token_.kind == Token::kWord && !IsReserved(token_.text));
        if (!name) return Error(token_.pos, "expected a partition key");
        for (size_t i = 0; i < keys_.size(); ++i) {
            if (EqualsIgnoreAsciiCase(keys_[i].name, token_.text)) return static_cast<int>(i);
        }
        std::string known;
        for (const Column& key : keys_) known += (known.empty() ? "" : ", ") + key.name;
        return Error(token_.pos, "unknown partition key '" + token_.text +
                                     "' (keys: " + (known.empty() ? "none" : known) + ")");
    }

    static bool IsReserved(std::string_view word) {
        for (std::string_view k : {"and", "or", "not", "between", "in", "like", "date"}) {
            if (EqualsIgnoreAsciiCase(word, k)) return true;
        }
        return false;
    }

    Result<int> ParsePredicate() {
        TARN_ASSIGN_OR_RETURN(int key, ResolveKey());
        PartitionFilter::Node node{.key = key, .kind = KindOfType(keys_[key].type)};
        TARN_RETURN_IF_ERROR(Advance());
        if (token_.kind == Token::kOp) {
            node.op = OpOf(token_.text);
            TARN_RETURN_IF_ERROR(Advance());
            TARN_RETURN_IF_ERROR(ParseValueInto(node));
            return Add(std::move(node));
        }
        if (IsKeyword("not")) {
            node.negated = true;
            TARN_RETURN_IF_ERROR(Advance());
        }
        if (IsKeyword("between")) return ParseBetween(std::move(node));
        if (IsKeyword("in")) return ParseIn(std::move(node));
        if (IsKeyword("like")) return ParseLike(std::move(node));
        return Error(token_.pos, node.negated ? "expected BETWEEN, IN or LIKE"
                                              : "expected a comparison, BETWEEN, IN or LIKE");
    }

    static PartitionFilter::Op OpOf(std::string_view op) {
        using Op = PartitionFilter::Op;
        if (op == "=") return Op::kEq;
        if (op == "<>" || op == "!=") return Op::kNe;
        if (op == "<") return Op::kLt;
        if (op == "<=") return Op::kLe;
        if (op == ">") return Op::kGt;
        return Op::kGe;
    }

    Result<int> ParseBetween(PartitionFilter::Node node) {
        node.op = PartitionFilter::Op::kBetween;
        TARN_RETURN_IF_ERROR(Advance());
        TARN_RETURN_IF_ERROR(ParseValueInto(node));
        if (!IsKeyword("and")) return Error(token_.pos, "expected AND");
        TARN_RETURN_IF_ERROR(Advance());
        TARN_RETURN_IF_ERROR(ParseValueInto(node));
        return Add(std::move(node));
    }

    Result<int> ParseIn(PartitionFilter::Node node) {
        node.op = PartitionFilter::Op::kIn;
        TARN_RETURN_IF_ERROR(Advance());
        if (token_.kind != Token::kLParen) return Error(token_.pos, "expected '('");
        do {
            TARN_RETURN_IF_ERROR(Advance());
            TARN_RETURN_IF_ERROR(ParseValueInto(node));
        } while (token_.kind == Token::kComma);
        if (token_.kind != Token::kRParen) return Error(token_.pos, "expected ',' or ')'");
        TARN_RETURN_IF_ERROR(Advance());
        return Add(std::move(node));
    }

    Result<int> ParseLike(PartitionFilter::Node node) {
        node.op = PartitionFilter::Op::kLike;
        TARN_RETURN_IF_ERROR(Advance());
        if (token_.kind != Token::kString) return Error(token_.pos, "expected a 'pattern'");
        node.values.push_back({.text = token_.text});
        TARN_RETURN_IF_ERROR(Advance());
        return Add(std::move(node));
    }

    // Reads one value token and converts it to the form the node's key compares in.
    Status ParseValueInto(PartitionFilter::Node& node) {
        size_t pos = token_.pos;
        bool date_keyword = IsKeyword("date");
        if (date_keyword) {
            TARN_RETURN_IF_ERROR(Advance());
            if (token_.kind != Token::kString) return Error(token_.pos, "expected 'yyyy-mm-dd'");
        }
        if (token_.kind != Token::kString && token_.kind != Token::kNumber) {
            return Error(token_.pos, "expected a value");
        }
        Literal literal{.text = token_.text, .is_number = token_.kind == Token::kNumber};
        const Column& key = keys_[node.key];
        if (date_keyword && node.kind != KeyKind::kDate) {
            return Error(pos, "a DATE literal compares only with a date key, and '" + key.name +
                                  "' is " + key.type);
        }
        if (!ConvertLiteral(node.kind, literal)) {
            return Error(token_.pos, "'" + literal.text + "' is not of type " + key.type +
                                         " (partition key '" + key.name + "')");
        }
        node.values.push_back(std::move(literal));
        return Advance();
    }

    static bool ConvertLiteral(KeyKind kind, Literal& literal) {
        switch (kind) {
            case KeyKind::kString:
                if (!literal.is_number) return true;
                [[fallthrough]];
            case KeyKind::kNumber: {
                auto v = ParseNumber(literal.text);
                if (v) literal.number = *v;
                return v.has_value();
            }
            case KeyKind::kInteger: {
                if (auto i = ParseInteger(literal.text)) {
                    literal.integer = *i;
                    return true;
                }
                auto v = ParseNumber(literal.text);
                if (!v) return false;
                literal.integral = false;
                literal.number = *v;
                return true;
            }
            case KeyKind::kDate: {
                if (literal.is_number) return false;
                auto days = ParseDate(literal.text);
                if (days) literal.integer = *days;
                return days.has_value();
            }
        }
        return false;
    }

    static constexpr int kMaxDepth = 200;  // Glue caps expressions at 2048 bytes anyway

    std::string_view expression_;
    const std::vector<Column>& keys_;
    std::vector<PartitionFilter::Node>* nodes_ = nullptr;
    size_t at_ = 0;
    Token token_;
    int depth_ = 0;
};

Result<PartitionFilter> PartitionFilter::Parse(std::string_view expression,
                                               const std::vector<Column>& partition_keys) {
    return PartitionExpressionParser(expression, partition_keys).Parse();
}

bool PartitionFilter::Matches(const std::vector<std::string>& values) const {
    if (nodes_.empty()) return true;
    if (values.size() != key_count_) return false;
    return Evaluate(static_cast<int>(nodes_.size()) - 1, values).value_or(false);
}

std::optional<bool> PartitionFilter::Evaluate(int index,
                                              const std::vector<std::string>& values) const {
    const Node& node = nodes_[index];
    switch (node.op) {
        case Op::kAnd: {
            auto a = Evaluate(node.children[0], values);
            if (a == false) return false;
            auto b = Evaluate(node.children[1], values);
            if (b == false) return false;
            if (a && b) return true;
            return std::nullopt;
        }
        case Op::kOr: {
            auto a = Evaluate(node.children[0], values);
            if (a == true) return true;
            auto b = Evaluate(node.children[1], values);
            if (b == true) return true;
            if (a && b) return false;
            return std::nullopt;
        }
        case Op::kNot: {
            auto a = Evaluate(node.children[0], values);
            if (!a) return std::nullopt;
            return !*a;
        }
        default:
            return EvaluatePredicate(node, values[node.key]);
    }
}

std::optional<bool> PartitionFilter::EvaluatePredicate(const Node& node,
                                                       std::string_view value) const {
    auto compare = [&](const Literal& literal) { return CompareValue(node.kind, value, literal); };
    std::optional<bool> out;
    switch (node.op) {
        case Op::kLike:
            out = Like(value, node.values[0].text);
            break;
        case Op::kBetween: {
            auto low = compare(node.values[0]);
            auto high = compare(node.values[1]);
            if (low && high) out = *low >= 0 && *high <= 0;
            break;
        }
        case Op::kIn:
            for (const Literal& literal : node.values) {
                auto c = compare(literal);
                if (!c) continue;  // an unparseable value is unknown, never a member
                out = *c == 0;
                if (*out) break;
            }
            break;
        default: {
            auto c = compare(node.values[0]);
            if (!c) return std::nullopt;
            switch (node.op) {
                case Op::kEq:
                    return *c == 0;
                case Op::kNe:
                    return *c != 0;
                case Op::kLt:
                    return *c < 0;
                case Op::kLe:
                    return *c <= 0;
                case Op::kGt:
                    return *c > 0;
                default:
                    return *c >= 0;
            }
        }
    }
    if (out && node.negated) return !*out;
    return out;
}

Status ValidateSegment(int segment_number, int total_segments) {
    if (total_segments < 1 || total_segments > 10) {
        return Status::InvalidArgument("TotalSegments must be between 1 and 10, got " +
                                       std::to_string(total_segments));
    }
    if (segment_number < 0 || segment_number >= total_segments) {
        return Status::InvalidArgument("SegmentNumber must be between 0 and TotalSegments - 1 (" +
                                       std::to_string(total_segments - 1) + "), got " +
                                       std::to_string(segment_number));
    }
    return Status::Ok();
}

bool InSegment(const std::vector<std::string>& values, int segment_number, int total_segments) {
    // Length-prefixed (4 bytes, little-endian) so that ["ab","c"] and ["a","bc"] differ.
    uint32_t crc = 0;
    for (const std::string& value : values) {
        uint32_t n = static_cast<uint32_t>(value.size());
        const uint8_t length[4] = {static_cast<uint8_t>(n), static_cast<uint8_t>(n >> 8),
                                   static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 24)};
        crc = Crc32cExtend(crc, length, sizeof(length));
        crc = Crc32cExtend(crc, value.data(), value.size());
    }
    return static_cast<int>(crc % static_cast<uint32_t>(total_segments)) == segment_number;
}

}  // namespace tarn::catalog
