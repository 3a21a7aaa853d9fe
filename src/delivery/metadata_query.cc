#include "delivery/metadata_query.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <set>
#include <utility>

#include "common/text.h"

namespace tarn::delivery {
namespace {

namespace od = simdjson::ondemand;

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsKeyNameChar(char c) { return IsIdentChar(c) || c == '-' || c == '.'; }

void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// strftime conversions tarn supports (see the header).
bool IsSupportedConversion(char c) {
    switch (c) {
        case 'Y':
        case 'y':
        case 'm':
        case 'd':
        case 'e':
        case 'H':
        case 'M':
        case 'S':
        case 'j':
        case 'F':
        case 'T':
        case '%':
            return true;
        default:
            return false;
    }
}

// A recursive-descent parser over the query text; the first error wins.
class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Status Error(size_t pos, std::string_view what) const {
        // `what` may quote a decoded string of the query: the message is made one line.
        return Status::InvalidArgument(OneLineExcerpt(
            "MetadataExtractionQuery at " + std::to_string(pos) + ": " + std::string(what)));
    }

    void SkipSpace() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }
    bool AtEnd() const { return pos_ >= text_.size(); }
    char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
    bool Consume(char c) {
        if (Peek() != c || AtEnd()) return false;
        ++pos_;
        return true;
    }

    std::string_view Ident() {
        size_t start = pos_;
        if (!IsIdentStart(Peek()) || AtEnd()) return {};
        while (!AtEnd() && IsIdentChar(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // A JSON string literal at pos_ (which is '"').
    Status String(std::string& out) {
        out.clear();
        size_t start = pos_;
        ++pos_;
        while (true) {
            if (AtEnd()) return Error(start, "unterminated string");
            char c = text_[pos_];
            if (c == '"') {
                ++pos_;
                return Status::Ok();
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                return Error(pos_, "control character in a string");
            }
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            size_t esc = pos_;
            if (pos_ + 1 >= text_.size()) return Error(start, "unterminated string");
            char e = text_[pos_ + 1];
            pos_ += 2;
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    uint32_t cp = 0;
                    if (!Hex4(cp)) return Error(esc, "invalid \\u escape");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        uint32_t lo = 0;
                        if (!(Consume('\\') && Consume('u') && Hex4(lo)) || lo < 0xDC00 ||
                            lo > 0xDFFF) {
                            return Error(esc, "invalid surrogate pair");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return Error(esc, "invalid surrogate pair");
                    }
                    AppendUtf8(cp, out);
                    break;
                }
                default:
                    return Error(esc, "invalid escape in a string");
            }
        }
    }

    bool Hex4(uint32_t& cp) {
        if (pos_ + 4 > text_.size()) return false;
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            char c = text_[pos_ + i];
            uint32_t d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return false;
            }
            cp = cp * 16 + d;
        }
        pos_ += 4;
        return true;
    }

    // '[' STRING ']' or '[' INDEX ']' at pos_ (which is '[').
    Status Bracket(MetadataQuery::Step& step) {
        ++pos_;
        SkipSpace();
        if (Peek() == '"' && !AtEnd()) {
            step.is_index = false;
            if (Status s = String(step.field); !s.ok()) return s;
        } else if (Peek() >= '0' && Peek() <= '9') {
            step.is_index = true;
            step.index = 0;
            size_t start = pos_;
            while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') {
                if (pos_ - start >= 9) return Error(start, "array index too large");
                step.index = step.index * 10 + static_cast<uint64_t>(text_[pos_] - '0');
                ++pos_;
            }
        } else {
            return Error(pos_, "expected a string or a non-negative integer index after '['");
        }
        SkipSpace();
        if (!Consume(']')) return Error(pos_, "expected ']'");
        return Status::Ok();
    }

    Status Path(MetadataQuery::Key& key) {
        size_t start = pos_;
        if (Peek() != '.' || AtEnd()) return Error(pos_, "expected a path such as .field");
        while (!AtEnd()) {
            MetadataQuery::Step step;
            size_t step_pos = pos_;
            if (Consume('.')) {
                if (IsIdentStart(Peek()) && !AtEnd()) {
                    step.field = std::string(Ident());
                } else if (Peek() == '"' && !AtEnd()) {
                    if (Status s = String(step.field); !s.ok()) return s;
                } else if (Peek() == '[' && !AtEnd()) {
                    if (Status s = Bracket(step); !s.ok()) return s;
                } else {
                    return Error(step_pos, "expected a path such as .field");
                }
            } else if (Peek() == '[' && !key.path.empty()) {
                if (Status s = Bracket(step); !s.ok()) return s;
            } else {
                break;
            }
            key.path.push_back(std::move(step));
        }
        key.path_text = std::string(text_.substr(start, pos_ - start));
        return Status::Ok();
    }

    Status Call(MetadataQuery::Key& key) {
        size_t start = pos_;
        std::string_view name = Ident();
        MetadataQuery::Call call;
        if (name == "tostring") {
            call.function = MetadataQuery::Function::kToString;
        } else if (name == "ascii_downcase") {
            call.function = MetadataQuery::Function::kAsciiDowncase;
        } else if (name == "ascii_upcase") {
            call.function = MetadataQuery::Function::kAsciiUpcase;
        } else if (name == "todate") {
            call.function = MetadataQuery::Function::kStrftime;
            call.format = "%Y-%m-%dT%H:%M:%SZ";
        } else if (name == "strftime") {
            call.function = MetadataQuery::Function::kStrftime;
            SkipSpace();
            if (!Consume('(')) return Error(pos_, "expected '(' after strftime");
            SkipSpace();
            size_t fmt_pos = pos_;
            if (Peek() != '"' || AtEnd()) return Error(pos_, "expected a format string");
            if (Status s = String(call.format); !s.ok()) return s;
            for (size_t i = 0; i < call.format.size(); ++i) {
                if (call.format[i] != '%') continue;
                if (i + 1 >= call.format.size() || !IsSupportedConversion(call.format[i + 1])) {
                    return Error(fmt_pos, "unsupported strftime conversion in \"" + call.format +
                                              "\" (supported: %Y %y %m %d %e %H %M %S %j %F "
                                              "%T %%)");
                }
                ++i;
            }
            SkipSpace();
            if (!Consume(')')) return Error(pos_, "expected ')'");
        } else {
            return Error(start,
                         "expected a function: tostring, ascii_downcase, ascii_upcase, todate "
                         "or strftime(\"...\")");
        }
        key.calls.push_back(std::move(call));
        return Status::Ok();
    }

    Status Entry(MetadataQuery::Key& key) {
        size_t name_pos = pos_;
        bool shorthand_ok = false;
        if (IsIdentStart(Peek()) && !AtEnd()) {
            key.name = std::string(Ident());
            shorthand_ok = true;
        } else if (Peek() == '"' && !AtEnd()) {
            if (Status s = String(key.name); !s.ok()) return s;
            if (key.name.empty()) return Error(name_pos, "empty key name");
            for (char c : key.name) {
                if (!IsKeyNameChar(c)) {
                    return Error(name_pos, "key name \"" + key.name +
                                               "\" may only use letters, digits, '_', '-' and "
                                               "'.'");
                }
            }
        } else {
            return Error(pos_, "expected a key name");
        }
        SkipSpace();
        if (!Consume(':')) {
            if (shorthand_ok && (Peek() == ',' || Peek() == '}')) {
                key.path.push_back({false, key.name, 0});
                key.path_text = "." + key.name;
                return Status::Ok();
            }
            return Error(pos_, "expected ':' after the key name");
        }
        SkipSpace();
        if (Status s = Path(key); !s.ok()) return s;
        SkipSpace();
        while (Consume('|')) {
            SkipSpace();
            if (Status s = Call(key); !s.ok()) return s;
            SkipSpace();
        }
        return Status::Ok();
    }

    Status Query(std::vector<MetadataQuery::Key>& keys) {
        if (text_.size() > kMaxMetadataQueryBytes) {
            return Error(
                kMaxMetadataQueryBytes,
                "the query is longer than " + std::to_string(kMaxMetadataQueryBytes) + " bytes");
        }
        std::set<std::string, std::less<>> names;
        SkipSpace();
        if (!Consume('{')) return Error(pos_, "expected '{' (an object such as {key: .field})");
        SkipSpace();
        while (true) {
            size_t name_pos = pos_;
            MetadataQuery::Key key;
            if (Status s = Entry(key); !s.ok()) return s;
            if (!names.insert(key.name).second) {
                return Error(name_pos, "duplicate key name \"" + key.name + "\"");
            }
            keys.push_back(std::move(key));
            if (Consume(',')) {
                SkipSpace();
                continue;
            }
            if (Consume('}')) break;
            return Error(pos_, "expected ',' or '}'");
        }
        SkipSpace();
        if (!AtEnd()) return Error(pos_, "unexpected text after the object");
        return Status::Ok();
    }

private:
    std::string_view text_;
    size_t pos_ = 0;
};

// Reads every value of the record so that a malformed one fails, as in a full parse. Recursion is
// bounded by the parser's max_depth (simdjson fails deeper documents).
simdjson::error_code Validate(od::value value) {
    od::json_type type;
    if (auto err = value.type().get(type)) return err;
    switch (type) {
        case od::json_type::object: {
            od::object obj;
            if (auto err = value.get_object().get(obj)) return err;
            for (auto field : obj) {
                std::string_view key;
                if (auto err = field.unescaped_key().get(key)) return err;
                if (auto err = Validate(field.value())) return err;
            }
            return simdjson::SUCCESS;
        }
        case od::json_type::array: {
            od::array arr;
            if (auto err = value.get_array().get(arr)) return err;
            for (auto element : arr) {
                od::value v;
                if (auto err = element.get(v)) return err;
                if (auto err = Validate(v)) return err;
            }
            return simdjson::SUCCESS;
        }
        case od::json_type::string: {
            std::string_view s;
            return value.get_string().get(s);
        }
        case od::json_type::number: {
            // As a double: integers too big for 64 bits are valid JSON (jq reads them as doubles).
            double d;
            return value.get_double().get(d);
        }
        case od::json_type::boolean: {
            bool b;
            return value.get_bool().get(b);
        }
        case od::json_type::null: {
            bool is_null = false;
            if (auto err = value.is_null().get(is_null)) return err;
            return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
        }
    }
    return simdjson::TAPE_ERROR;
}

std::string_view TypeName(od::json_type type) {
    switch (type) {
        case od::json_type::object:
            return "an object";
        case od::json_type::array:
            return "an array";
        case od::json_type::string:
            return "a string";
        case od::json_type::number:
            return "a number";
        case od::json_type::boolean:
            return "a boolean";
        case od::json_type::null:
            return "null";
    }
    return "unknown";
}

// Appends strftime(format) of `seconds` (UTC) to `out`. The format was validated by Parse.
void AppendStrftime(std::string_view format, int64_t seconds, std::string& out) {
    time_t t = static_cast<time_t>(seconds);
    struct tm tm_utc {};
    gmtime_r(&t, &tm_utc);
    char buf[32];
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 >= format.size()) {
            out += format[i];
            continue;
        }
        char c = format[++i];
        int n = 0;
        switch (c) {
            case 'Y':
                n = std::snprintf(buf, sizeof buf, "%lld", tm_utc.tm_year + 1900LL);
                break;
            case 'y':
                n = std::snprintf(buf, sizeof buf, "%02d", (tm_utc.tm_year + 1900) % 100);
                break;
            case 'm':
                n = std::snprintf(buf, sizeof buf, "%02d", tm_utc.tm_mon + 1);
                break;
            case 'd':
                n = std::snprintf(buf, sizeof buf, "%02d", tm_utc.tm_mday);
                break;
            case 'e':
                n = std::snprintf(buf, sizeof buf, "%2d", tm_utc.tm_mday);
                break;
            case 'H':
                n = std::snprintf(buf, sizeof buf, "%02d", tm_utc.tm_hour);
                break;
            case 'M':
                n = std::snprintf(buf, sizeof buf, "%02d", tm_utc.tm_min);
                break;
            case 'S':
                n = std::snprintf(buf, sizeof buf, "%02d", tm_utc.tm_sec);
                break;
            case 'j':
                n = std::snprintf(buf, sizeof buf, "%03d", tm_utc.tm_yday + 1);
                break;
            case 'F':
                n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", tm_utc.tm_year + 1900LL,
                                  tm_utc.tm_mon + 1, tm_utc.tm_mday);
                break;
            case 'T':
                n = std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm_utc.tm_hour, tm_utc.tm_min,
                                  tm_utc.tm_sec);
                break;
            default:  // '%'
                n = std::snprintf(buf, sizeof buf, "%%");
                break;
        }
        if (n > 0) out.append(buf, static_cast<size_t>(n));
    }
}

std::string_view TrimRight(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

Result<MetadataQuery> MetadataQuery::Parse(std::string_view query) {
    MetadataQuery q;
    Parser parser(query);
    if (Status s = parser.Query(q.keys_); !s.ok()) return s;
    q.text_ = std::string(query);
    return q;
}

Status MetadataQuery::ExtractKey(od::document& doc, const Key& key, std::string& value) const {
    auto fail = [&](std::string_view what) {
        return Status::InvalidArgument(OneLineExcerpt("partition key '" + key.name + "' (" +
                                                      key.path_text + "): " + std::string(what)));
    };
    doc.rewind();
    od::object root;
    if (doc.get_object().get(root)) return fail("the record is not a JSON object");

    od::value current;
    bool have_value = false;  // false: at the root object
    bool missing = false;     // the path reached a missing field or went through null
    for (const Step& step : key.path) {
        if (missing) continue;  // jq: .a.b on null is null
        od::object obj;
        if (have_value) {
            od::json_type type;
            if (current.type().get(type)) return fail("invalid JSON");
            if (type == od::json_type::null) {
                missing = true;
                continue;
            }
            if (step.is_index) {
                if (type != od::json_type::array) {
                    return fail("cannot index " + std::string(TypeName(type)) + " with a number");
                }
                od::array arr;
                if (current.get_array().get(arr)) return fail("invalid JSON");
                uint64_t i = 0;
                bool found = false;
                for (auto element : arr) {
                    if (i++ == step.index) {
                        if (element.get(current)) return fail("invalid JSON");
                        found = true;
                        break;
                    }
                }
                if (!found) missing = true;
                continue;
            }
            if (type != od::json_type::object) {
                return fail("cannot index " + std::string(TypeName(type)) + " with \"" +
                            step.field + "\"");
            }
            if (current.get_object().get(obj)) return fail("invalid JSON");
        } else {
            if (step.is_index) return fail("cannot index an object with a number");
            obj = root;
        }
        bool found = false;
        for (auto field : obj) {
            std::string_view name;
            if (field.unescaped_key().get(name)) return fail("invalid JSON");
            if (name == step.field) {
                if (field.value().get(current)) return fail("invalid JSON");
                found = true;
                break;
            }
        }
        have_value = true;
        if (!found) missing = true;
    }
    if (missing) return fail("value is missing or null");
    if (!have_value) return fail("the path selects the whole record");

    od::json_type type;
    if (current.type().get(type)) return fail("invalid JSON");
    // The value as a string (kString) or as JSON text (numbers, booleans).
    std::string_view text;
    switch (type) {
        case od::json_type::string:
            if (current.get_string().get(text)) return fail("invalid JSON");
            break;
        case od::json_type::number:
        case od::json_type::boolean:
            text = current.raw_json_token();
            text = TrimRight(text);
            break;
        case od::json_type::null:
            return fail("value is missing or null");
        default:
            return fail("value is " + std::string(TypeName(type)) +
                        ", not a string, number or boolean");
    }

    // Apply the functions; `type` tracks the jq type of the current value.
    value.assign(text);
    for (const Call& call : key.calls) {
        switch (call.function) {
            case Function::kToString:
                type = od::json_type::string;
                break;
            case Function::kAsciiDowncase:
            case Function::kAsciiUpcase: {
                if (type != od::json_type::string) {
                    return fail(std::string(call.function == Function::kAsciiDowncase
                                                ? "ascii_downcase"
                                                : "ascii_upcase") +
                                " needs a string, not " + std::string(TypeName(type)));
                }
                bool down = call.function == Function::kAsciiDowncase;
                for (char& c : value) {
                    if (down && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                    if (!down && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
                }
                break;
            }
            case Function::kStrftime: {
                if (type != od::json_type::number) {
                    return fail("strftime needs a number (seconds since the epoch), not " +
                                std::string(TypeName(type)));
                }
                // The number's text is in `value`; parse it back as a double.
                double seconds = 0;
                auto [end, ec] =
                    std::from_chars(value.data(), value.data() + value.size(), seconds);
                if (ec != std::errc() || !(seconds > -1e12 && seconds < 1e12)) {
                    return fail("strftime: timestamp out of range");
                }
                int64_t whole = static_cast<int64_t>(seconds);
                if (static_cast<double>(whole) > seconds) --whole;  // floor
                value.clear();
                AppendStrftime(call.format, whole, value);
                type = od::json_type::string;
                break;
            }
        }
    }
    return Status::Ok();
}

Status MetadataQuery::Extract(std::string_view record, od::parser& parser,
                              PartitionKeyValues* out) const {
    od::document doc;
    simdjson::padded_string_view padded(record.data(), record.size(),
                                        record.size() + simdjson::SIMDJSON_PADDING);
    auto invalid = [](simdjson::error_code err) {
        return Status::InvalidArgument(std::string("record is not valid JSON (") +
                                       simdjson::error_message(err) + ")");
    };
    if (auto err = parser.iterate(padded).get(doc)) return invalid(err);
    // Validate the whole record first.
    {
        od::value root;
        if (auto err = doc.get_value().get(root)) return invalid(err);
        if (auto err = Validate(root)) return invalid(err);
        // After the root value the iterator must be at the end (no second value).
        const char* location = nullptr;
        if (doc.current_location().get(location) != simdjson::OUT_OF_BOUNDS) {
            return invalid(simdjson::TRAILING_CONTENT);
        }
    }
    if (out->size() != keys_.size()) {
        // Drop entries of other queries (first use of a map, or a map shared by mistake).
        for (auto it = out->begin(); it != out->end();) {
            bool ours = false;
            for (const Key& key : keys_) ours = ours || key.name == it->first;
            it = ours ? std::next(it) : out->erase(it);
        }
    }
    for (const Key& key : keys_) {
        auto it = out->find(key.name);
        if (it == out->end()) it = out->emplace(key.name, std::string()).first;
        if (Status s = ExtractKey(doc, key, it->second); !s.ok()) return s;
    }
    return Status::Ok();
}

Status MetadataQuery::ExtractUnpadded(std::string_view record, od::parser& parser,
                                      PartitionKeyValues* out) const {
    simdjson::padded_string padded(record);
    return Extract(std::string_view(padded.data(), padded.size()), parser, out);
}

}  // namespace tarn::delivery
