#include "delivery/prefix_template.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "common/hash.h"
#include "common/time_format.h"
#include "storage/key_rules.h"
#include "storage/storage.h"

namespace tarn::delivery {
namespace {

using DateItem = PrefixTemplate::DateItem;
using Field = PrefixTemplate::DateItem::Field;
using Part = PrefixTemplate::Part;

constexpr std::string_view kSupportedLetters = "yyyy yy MM M dd d HH H mm ss SSS";
constexpr int64_t kMillisPerDay = 86'400'000;

std::string_view KindName(PrefixKind kind) {
    return kind == PrefixKind::kPrefix ? "Prefix" : "ErrorOutputPrefix";
}

Status ParseError(PrefixKind kind, std::string_view text, size_t position, std::string_view what) {
    return Status::InvalidArgument(std::string(KindName(kind)) + " " +
                                   storage::QuoteForMessage(text) + ": " + std::string(what) +
                                   " at position " + std::to_string(position));
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsKeyNameChar(char c) {
    return IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

void AddLiteral(std::vector<DateItem>& items, std::string_view text) {
    if (!items.empty() && items.back().field == Field::kLiteral) {
        items.back().literal.append(text);
        return;
    }
    DateItem item;
    item.literal = std::string(text);
    items.push_back(std::move(item));
}

// Maps a run of one pattern letter to a field; false when tarn does not support it.
bool FieldForRun(char letter, size_t count, Field* field, int* width) {
    struct Entry {
        char letter;
        uint8_t count;
        uint8_t width;
        Field field;
    };
    static constexpr Entry kEntries[] = {
        {'y', 4, 4, Field::kYear},   {'y', 2, 2, Field::kYear2},  {'M', 2, 2, Field::kMonth},
        {'M', 1, 1, Field::kMonth},  {'d', 2, 2, Field::kDay},    {'d', 1, 1, Field::kDay},
        {'H', 2, 2, Field::kHour},   {'H', 1, 1, Field::kHour},   {'m', 2, 2, Field::kMinute},
        {'s', 2, 2, Field::kSecond}, {'S', 3, 3, Field::kMillis},
    };
    for (const Entry& e : kEntries) {
        if (e.letter == letter && e.count == count) {
            *field = e.field;
            *width = e.width;
            return true;
        }
    }
    return false;
}

// Parses a Java DateTimeFormatter pattern; `base` is its position in `text` for messages.
Status ParseDateFormat(std::string_view text, PrefixKind kind, std::string_view format, size_t base,
                       std::vector<DateItem>* items) {
    size_t j = 0;
    while (j < format.size()) {
        const char c = format[j];
        if (c == '\'') {
            if (j + 1 < format.size() && format[j + 1] == '\'') {  // '' outside quotes
                AddLiteral(*items, "'");
                j += 2;
                continue;
            }
            std::string quoted;
            size_t k = j + 1;
            bool closed = false;
            while (k < format.size()) {
                if (format[k] == '\'') {
                    if (k + 1 < format.size() && format[k + 1] == '\'') {
                        quoted += '\'';
                        k += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                quoted += format[k++];
            }
            if (!closed) return ParseError(kind, text, base + j, "unterminated quote in format");
            AddLiteral(*items, quoted);
            j = k + 1;
            continue;
        }
        if (IsAsciiLetter(c)) {
            size_t k = j;
            while (k < format.size() && format[k] == c) ++k;
            Field field;
            int width;
            if (!FieldForRun(c, k - j, &field, &width)) {
                return ParseError(kind, text, base + j,
                                  "unsupported timestamp pattern \"" +
                                      std::string(format.substr(j, k - j)) +
                                      "\" (supported: " + std::string(kSupportedLetters) +
                                      "; quote literal letters as 'text')");
            }
            DateItem item;
            item.field = field;
            item.width = width;
            items->push_back(std::move(item));
            j = k;
            continue;
        }
        if (c == '[' || c == ']' || c == '#' || c == '{' || c == '}') {
            return ParseError(kind, text, base + j,
                              std::string("reserved character '") + c +
                                  "' in timestamp format (quote it as '" + c + "')");
        }
        AddLiteral(*items, format.substr(j, 1));
        ++j;
    }
    return Status::Ok();
}

void AppendNumber(std::string& out, int64_t value, int width) {
    if (value < 0) {
        out += '-';
        value = -value;
    }
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value > 0);
    for (int i = n; i < width; ++i) out += '0';
    while (n > 0) out += buf[--n];
}

struct CivilTime {
    int64_t year = 0;
    unsigned month = 1, day = 1;
    int64_t hour = 0, minute = 0, second = 0, millis = 0;
};

CivilTime ToCivil(int64_t unix_ms) {
    int64_t days = unix_ms / kMillisPerDay;
    int64_t rem = unix_ms % kMillisPerDay;
    if (rem < 0) {
        rem += kMillisPerDay;
        --days;
    }
    CivilTime t;
    CivilFromDays(days, &t.year, &t.month, &t.day);
    t.hour = rem / 3'600'000;
    t.minute = rem / 60'000 % 60;
    t.second = rem / 1000 % 60;
    t.millis = rem % 1000;
    return t;
}

void AppendDate(std::string& out, const std::vector<DateItem>& items, const CivilTime& t) {
    for (const DateItem& item : items) {
        switch (item.field) {
            case Field::kLiteral:
                out += item.literal;
                break;
            case Field::kYear:
                AppendNumber(out, t.year, item.width);
                break;
            case Field::kYear2:
                AppendNumber(out, ((t.year % 100) + 100) % 100, 2);
                break;
            case Field::kMonth:
                AppendNumber(out, t.month, item.width);
                break;
            case Field::kDay:
                AppendNumber(out, t.day, item.width);
                break;
            case Field::kHour:
                AppendNumber(out, t.hour, item.width);
                break;
            case Field::kMinute:
                AppendNumber(out, t.minute, item.width);
                break;
            case Field::kSecond:
                AppendNumber(out, t.second, item.width);
                break;
            case Field::kMillis:
                AppendNumber(out, t.millis, item.width);
                break;
        }
    }
}

std::array<char, kRandomStringLength> RandomChars(std::string_view seed) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const Md5Digest digest = Md5(seed);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | digest[i];  // byte order fixed: same on any CPU
    std::array<char, kRandomStringLength> out{};
    for (char& c : out) {
        c = kAlphabet[v % 36];
        v /= 36;
    }
    return out;
}

// A value the caller passes must be usable as a whole key (see the header). `what` and `name`
// make the message, built only on failure: this runs once per evaluated object.
Status CheckValue(std::string_view what, std::string_view name, std::string_view value) {
    auto describe = [&] {
        std::string out(what);
        if (!name.empty()) out += " \"" + std::string(name) + "\"";
        return out;
    };
    if (value.empty()) return Status::InvalidArgument(describe() + " is empty");
    Status s = storage::ValidateKey(value);
    if (!s.ok()) {
        return Status::InvalidArgument(describe() + " cannot be used in a key: " + s.message());
    }
    return Status::Ok();
}

}  // namespace

Result<PrefixTemplate> PrefixTemplate::Parse(std::string_view text, PrefixKind kind) {
    if (text.size() > kMaxPrefixTemplateBytes) {
        return Status::InvalidArgument(std::string(KindName(kind)) + " is " +
                                       std::to_string(text.size()) + " bytes, more than " +
                                       std::to_string(kMaxPrefixTemplateBytes));
    }
    PrefixTemplate t;
    t.text_ = std::string(text);
    t.kind_ = kind;
    auto add_literal = [&t](std::string_view literal) {
        if (literal.empty()) return;
        if (!t.parts_.empty() && t.parts_.back().type == Part::Type::kLiteral) {
            t.parts_.back().text.append(literal);
            return;
        }
        Part part;
        part.text = std::string(literal);
        t.parts_.push_back(std::move(part));
    };

    size_t i = 0;
    while (i < text.size()) {
        const size_t start = text.find("!{", i);
        if (start == std::string_view::npos) {
            add_literal(text.substr(i));
            break;
        }
        add_literal(text.substr(i, start - i));
        const size_t end = text.find('}', start + 2);
        if (end == std::string_view::npos) {
            return ParseError(kind, text, start, "unterminated \"!{\" (no closing '}')");
        }
        const std::string_view inner = text.substr(start + 2, end - start - 2);
        if (size_t nested = inner.find("!{"); nested != std::string_view::npos) {
            return ParseError(kind, text, start + 2 + nested,
                              "\"!{\" inside an expression (the one at position " +
                                  std::to_string(start) + " is not closed)");
        }
        const size_t colon = inner.find(':');
        const std::string_view ns = inner.substr(0, colon);
        const bool has_value = colon != std::string_view::npos;
        const std::string_view value = has_value ? inner.substr(colon + 1) : std::string_view();
        const size_t value_pos = start + 2 + (has_value ? colon + 1 : inner.size());
        Part part;
        if (ns == "timestamp") {
            if (value.empty()) {
                return ParseError(kind, text, start,
                                  "!{timestamp} needs a format, e.g. !{timestamp:yyyy}");
            }
            part.type = Part::Type::kTimestamp;
            TARN_RETURN_IF_ERROR(ParseDateFormat(text, kind, value, value_pos, &part.format));
            t.needs_timestamp_ = true;
        } else if (ns == "firehose") {
            if (value == "random-string") {
                part.type = Part::Type::kRandomString;
                t.needs_random_ = true;
            } else if (value == "error-output-type") {
                if (kind == PrefixKind::kPrefix) {
                    return ParseError(kind, text, start,
                                      "!{firehose:error-output-type} is only allowed in an "
                                      "ErrorOutputPrefix");
                }
                part.type = Part::Type::kErrorOutputType;
                t.needs_error_type_ = true;
            } else {
                return ParseError(kind, text, has_value ? value_pos : start,
                                  "unknown firehose key " + storage::QuoteForMessage(value) +
                                      " (expected random-string or error-output-type)");
            }
        } else if (ns == "partitionKeyFromQuery") {
            if (kind == PrefixKind::kErrorOutputPrefix) {
                return ParseError(kind, text, start,
                                  "!{partitionKeyFromQuery:...} is not allowed in an "
                                  "ErrorOutputPrefix (failed records may have no keys)");
            }
            if (value.empty()) {
                return ParseError(kind, text, start, "!{partitionKeyFromQuery} needs a key name");
            }
            for (size_t k = 0; k < value.size(); ++k) {
                if (!IsKeyNameChar(value[k])) {
                    return ParseError(kind, text, value_pos + k,
                                      "partition key name " + storage::QuoteForMessage(value) +
                                          " may only have letters, digits, '_', '-' and '.'");
                }
            }
            part.type = Part::Type::kPartitionKey;
            part.text = std::string(value);
            bool seen = false;
            for (const std::string& name : t.partition_keys_) seen = seen || name == value;
            if (!seen) t.partition_keys_.emplace_back(value);
        } else if (ns == "partitionKeyFromLambda") {
            return ParseError(kind, text, start,
                              "!{partitionKeyFromLambda:...} is not supported by tarn (no Lambda "
                              "processing); use !{partitionKeyFromQuery:...}");
        } else {
            return ParseError(kind, text, start,
                              "unknown namespace " + storage::QuoteForMessage(ns) +
                                  " (expected timestamp, firehose or partitionKeyFromQuery)");
        }
        t.has_expressions_ = true;
        t.parts_.push_back(std::move(part));
        i = end + 1;
    }

    if (kind == PrefixKind::kErrorOutputPrefix && t.has_expressions_ && !t.needs_error_type_) {
        return Status::InvalidArgument(
            "ErrorOutputPrefix " + storage::QuoteForMessage(text) +
            ": an ErrorOutputPrefix with expressions must contain !{firehose:error-output-type}");
    }

    // The fixed structure (literals, date formats) must give a valid key; values vary only in
    // their digits, and caller-given values are checked in Evaluate.
    PartitionKeyValues sample_keys;
    for (const std::string& name : t.partition_keys_) sample_keys.emplace(name, "v");
    PrefixContext sample;
    sample.error_output_type = "processing-failed";
    sample.partition_keys = &sample_keys;
    std::string key;
    TARN_RETURN_IF_ERROR(t.AppendUnchecked(sample, key));
    key += "object";
    if (Status s = storage::ValidateKey(key); !s.ok()) {
        return Status::InvalidArgument(std::string(KindName(kind)) + " " +
                                       storage::QuoteForMessage(text) +
                                       " cannot give valid keys: " + s.message());
    }
    return t;
}

Status PrefixTemplate::AppendUnchecked(const PrefixContext& ctx, std::string& out) const {
    CivilTime civil;
    if (needs_timestamp_) civil = ToCivil(ctx.timestamp_ms);
    std::array<char, kRandomStringLength> random{};
    if (needs_random_) random = RandomChars(ctx.random_seed);
    for (const Part& part : parts_) {
        switch (part.type) {
            case Part::Type::kLiteral:
                out += part.text;
                break;
            case Part::Type::kTimestamp:
                AppendDate(out, part.format, civil);
                break;
            case Part::Type::kRandomString:
                out.append(random.data(), random.size());
                break;
            case Part::Type::kErrorOutputType:
                TARN_RETURN_IF_ERROR(
                    CheckValue("the error output type", "", ctx.error_output_type));
                out += ctx.error_output_type;
                break;
            case Part::Type::kPartitionKey: {
                const PartitionKeyValues* keys = ctx.partition_keys;
                auto it =
                    keys != nullptr ? keys->find(part.text) : PartitionKeyValues::const_iterator();
                if (keys == nullptr || it == keys->end()) {
                    return Status::InvalidArgument("partition key \"" + part.text +
                                                   "\" has no value");
                }
                TARN_RETURN_IF_ERROR(CheckValue("partition key", part.text, it->second));
                out += it->second;
                break;
            }
        }
    }
    return Status::Ok();
}

Status PrefixTemplate::AppendTo(const PrefixContext& ctx, std::string& out) const {
    const size_t old_size = out.size();
    Status s = AppendUnchecked(ctx, out);
    if (s.ok() && out.size() - old_size > kMaxEvaluatedPrefixBytes) {
        s = Status::InvalidArgument(std::string(KindName(kind_)) + " evaluates to " +
                                    std::to_string(out.size() - old_size) + " bytes, more than " +
                                    std::to_string(kMaxEvaluatedPrefixBytes));
    }
    if (!s.ok()) out.resize(old_size);
    return s;
}

Result<std::string> PrefixTemplate::Evaluate(const PrefixContext& ctx) const {
    std::string out;
    TARN_RETURN_IF_ERROR(AppendTo(ctx, out));
    return out;
}

Status ValidatePrefixPair(const PrefixTemplate& prefix, const PrefixTemplate* error_prefix,
                          bool dynamic_partitioning) {
    const bool no_error_prefix = error_prefix == nullptr || error_prefix->text().empty();
    if (dynamic_partitioning) {
        if (prefix.PartitionKeyNames().empty()) {
            return Status::InvalidArgument(
                "with dynamic partitioning, Prefix must use at least one "
                "!{partitionKeyFromQuery:NAME}");
        }
        if (no_error_prefix) {
            return Status::InvalidArgument(
                "with dynamic partitioning, an ErrorOutputPrefix is required");
        }
    } else if (!prefix.PartitionKeyNames().empty()) {
        return Status::InvalidArgument(
            "Prefix uses !{partitionKeyFromQuery:...} but dynamic partitioning is not enabled");
    }
    if (no_error_prefix && prefix.HasExpressions()) {
        return Status::InvalidArgument(
            "an ErrorOutputPrefix is required when Prefix contains expressions");
    }
    return Status::Ok();
}

std::string DefaultPrefixText(std::string_view table) {
    return "raw/" + std::string(table) +
           "/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
           "hour=!{timestamp:HH}/";
}

std::string DefaultErrorOutputPrefixText(std::string_view delivery) {
    return "errors/" + std::string(delivery) +
           "/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/"
           "day=!{timestamp:dd}/hour=!{timestamp:HH}/";
}

std::string RandomStringForSeed(std::string_view seed) {
    const auto chars = RandomChars(seed);
    return std::string(chars.data(), chars.size());
}

int64_t PrefixTemplate::TimestampGranularityMs() const {
    using Field = DateItem::Field;
    int64_t finest = INT64_MAX;
    for (const Part& part : parts_) {
        if (part.type != Part::Type::kTimestamp) continue;
        for (const DateItem& item : part.format) {
            int64_t span = INT64_MAX;
            switch (item.field) {
                case Field::kLiteral: break;
                case Field::kMillis: span = 1; break;
                case Field::kSecond: span = 1000; break;
                case Field::kMinute: span = 60'000; break;
                case Field::kHour: span = 3'600'000; break;
                case Field::kDay:
                case Field::kMonth:
                case Field::kYear:
                case Field::kYear2: span = 86'400'000; break;
            }
            finest = std::min(finest, span);
        }
    }
    return finest;
}

}  // namespace tarn::delivery
