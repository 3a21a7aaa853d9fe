#include "columnar/type_parser.h"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "common/text.h"

namespace tarn::columnar {
namespace {

bool IsIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

// The scalar types by keyword (tarn's names and Hive's).
struct Keyword {
    std::string_view word;
    TypeId id;
};
constexpr Keyword kScalars[] = {
    {"boolean", TypeId::kBoolean},  {"bool", TypeId::kBoolean},  {"int8", TypeId::kInt8},
    {"tinyint", TypeId::kInt8},     {"int16", TypeId::kInt16},   {"smallint", TypeId::kInt16},
    {"int32", TypeId::kInt32},      {"int", TypeId::kInt32},     {"integer", TypeId::kInt32},
    {"int64", TypeId::kInt64},      {"bigint", TypeId::kInt64},  {"float", TypeId::kFloat},
    {"real", TypeId::kFloat},       {"double", TypeId::kDouble}, {"varchar", TypeId::kVarchar},
    {"string", TypeId::kVarchar},   {"char", TypeId::kVarchar},  {"varbinary", TypeId::kVarbinary},
    {"binary", TypeId::kVarbinary}, {"date", TypeId::kDate},     {"timestamp", TypeId::kTimestamp},
};

DataType ScalarOf(TypeId id) {
    switch (id) {
        case TypeId::kBoolean:
            return DataType::Boolean();
        case TypeId::kInt8:
            return DataType::Int8();
        case TypeId::kInt16:
            return DataType::Int16();
        case TypeId::kInt32:
            return DataType::Int32();
        case TypeId::kInt64:
            return DataType::Int64();
        case TypeId::kFloat:
            return DataType::Float();
        case TypeId::kDouble:
            return DataType::Double();
        case TypeId::kVarbinary:
            return DataType::Varbinary();
        case TypeId::kDate:
            return DataType::Date();
        case TypeId::kTimestamp:
            return DataType::Timestamp();
        default:
            return DataType::Varchar();
    }
}

class Parser {
public:
    Parser(std::string_view text, const char* what) : text_(text), what_(what) {}

    Result<DataType> WholeType() {
        TARN_ASSIGN_OR_RETURN(DataType t, Type());
        TARN_RETURN_IF_ERROR(End());
        TARN_RETURN_IF_ERROR(Checked(t.Validate()));
        return t;
    }

    Result<Schema> WholeSchema() {
        std::vector<Field> fields;
        SkipSpace();
        if (pos_ < text_.size()) {
            while (true) {
                TARN_ASSIGN_OR_RETURN(Field f, FieldDecl(/*allow_id=*/true));
                fields.push_back(std::move(f));
                if (!Take(',')) break;
            }
        }
        TARN_RETURN_IF_ERROR(End());
        Result<Schema> schema = Schema::Make(std::move(fields));
        if (!schema.ok()) return Checked(schema.status());
        return schema;
    }

private:
    Status Fail(const std::string& expected) const {
        return Status::InvalidArgument(std::string(what_) + " '" + std::string(text_) + "' at " +
                                       std::to_string(pos_) + ": expected " + expected);
    }
    Status Checked(const Status& s) const {
        if (s.ok()) return s;
        return Status::InvalidArgument(std::string(what_) + " '" + std::string(text_) +
                                       "': " + s.message());
    }

    void SkipSpace() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }
    bool Take(char c) {
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    Status Expect(char c) {
        if (Take(c)) return Status::Ok();
        return Fail(std::string("'") + c + "'");
    }
    Status End() {
        SkipSpace();
        if (pos_ != text_.size()) return Fail("the end");
        return Status::Ok();
    }
    // A bare identifier, or "" when there is none here.
    std::string_view Word() {
        SkipSpace();
        const size_t start = pos_;
        if (pos_ < text_.size() && IsIdentifierStart(text_[pos_])) {
            while (pos_ < text_.size() && IsIdentifierChar(text_[pos_])) ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }
    // True and consumed when the next word is `keyword` (any case).
    bool TakeKeyword(std::string_view keyword) {
        const size_t save = pos_;
        if (EqualsIgnoreAsciiCase(Word(), keyword)) return true;
        pos_ = save;
        return false;
    }
    Result<int> Number() {
        SkipSpace();
        int v = 0;
        auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), v);
        if (ec != std::errc() || v < 0) return Fail("a number");
        pos_ = static_cast<size_t>(end - text_.data());
        return v;
    }
    // A field name: an identifier, or quoted with "..." or `...` (the quote doubled inside).
    Result<std::string> Name() {
        SkipSpace();
        if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '`')) {
            const char quote = text_[pos_++];
            std::string name;
            while (pos_ < text_.size()) {
                const char c = text_[pos_++];
                if (c != quote) {
                    name += c;
                } else if (pos_ < text_.size() && text_[pos_] == quote) {
                    name += quote;
                    ++pos_;
                } else {
                    return name;
                }
            }
            return Fail(std::string("a closing ") + quote);
        }
        const std::string_view word = Word();
        if (word.empty()) return Fail("a field name");
        return std::string(word);
    }
    // '(' when a number follows it (so "VARCHAR (id=1)" in a schema is not a length).
    bool TakeOpenBeforeNumber() {
        const size_t save = pos_;
        if (Take('(')) {
            SkipSpace();
            if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') return true;
        }
        pos_ = save;
        return false;
    }
    bool NotNull() {
        const size_t save = pos_;
        if (TakeKeyword("not") && TakeKeyword("null")) return true;
        pos_ = save;
        return false;
    }
    Result<Field> Child(std::string name, bool nullable_allowed = true) {
        TARN_ASSIGN_OR_RETURN(DataType t, Type());
        const bool not_null = NotNull() || !nullable_allowed;
        return Field{std::move(name), std::move(t), !not_null};
    }
    Result<Field> FieldDecl(bool allow_id) {
        TARN_ASSIGN_OR_RETURN(std::string name, Name());
        Take(':');
        TARN_ASSIGN_OR_RETURN(Field f, Child(std::move(name)));
        if (allow_id && Take('(')) {
            if (!TakeKeyword("id")) return Fail("'id'");
            TARN_RETURN_IF_ERROR(Expect('='));
            TARN_ASSIGN_OR_RETURN(int id, Number());
            f.field_id = id;
            TARN_RETURN_IF_ERROR(Expect(')'));
        }
        return f;
    }

    Result<DataType> Type() {
        if (++depth_ > kMaxDepth) return Fail("less nesting");
        Result<DataType> t = TypeBody();
        --depth_;
        return t;
    }

    Result<DataType> TypeBody() {
        const size_t start = pos_;
        const std::string_view word = Word();
        if (word.empty()) return Fail("a type");
        if (EqualsIgnoreAsciiCase(word, "decimal") || EqualsIgnoreAsciiCase(word, "numeric")) {
            int precision = 10, scale = 0;
            if (TakeOpenBeforeNumber()) {
                TARN_ASSIGN_OR_RETURN(precision, Number());
                if (Take(',')) {
                    TARN_ASSIGN_OR_RETURN(scale, Number());
                }
                TARN_RETURN_IF_ERROR(Expect(')'));
            }
            return DataType::Decimal(precision, scale);
        }
        if (EqualsIgnoreAsciiCase(word, "struct")) {
            TARN_RETURN_IF_ERROR(Expect('<'));
            std::vector<Field> fields;
            if (!Take('>')) {
                do {
                    TARN_ASSIGN_OR_RETURN(Field f, FieldDecl(/*allow_id=*/false));
                    fields.push_back(std::move(f));
                } while (Take(','));
                TARN_RETURN_IF_ERROR(Expect('>'));
            }
            return DataType::Struct(std::move(fields));
        }
        if (EqualsIgnoreAsciiCase(word, "list") || EqualsIgnoreAsciiCase(word, "array")) {
            TARN_RETURN_IF_ERROR(Expect('<'));
            TARN_ASSIGN_OR_RETURN(Field element, Child("element"));
            TARN_RETURN_IF_ERROR(Expect('>'));
            return DataType::List(std::move(element));
        }
        if (EqualsIgnoreAsciiCase(word, "map")) {
            TARN_RETURN_IF_ERROR(Expect('<'));
            TARN_ASSIGN_OR_RETURN(DataType key, Type());
            TARN_RETURN_IF_ERROR(Expect(','));
            TARN_ASSIGN_OR_RETURN(Field value, Child("value"));
            TARN_RETURN_IF_ERROR(Expect('>'));
            return DataType::Map(Field{"key", std::move(key), false}, std::move(value));
        }
        for (const Keyword& k : kScalars) {
            if (!EqualsIgnoreAsciiCase(word, k.word)) continue;
            // varchar(n) / char(n): the length is not kept (tarn's strings are unbounded).
            if (k.id == TypeId::kVarchar && !EqualsIgnoreAsciiCase(word, "string") &&
                TakeOpenBeforeNumber()) {
                TARN_RETURN_IF_ERROR(Number().status());
                TARN_RETURN_IF_ERROR(Expect(')'));
            }
            return ScalarOf(k.id);
        }
        pos_ = start;
        return Fail("a type");
    }

    static constexpr int kMaxDepth = 64;
    std::string_view text_;
    const char* what_;
    size_t pos_ = 0;
    int depth_ = 0;
};

// Hive's keyword for a type without parameters or children.
std::string_view HiveScalarName(TypeId id) {
    switch (id) {
        case TypeId::kBoolean:
            return "boolean";
        case TypeId::kInt8:
            return "tinyint";
        case TypeId::kInt16:
            return "smallint";
        case TypeId::kInt32:
            return "int";
        case TypeId::kInt64:
            return "bigint";
        case TypeId::kFloat:
            return "float";
        case TypeId::kDouble:
            return "double";
        case TypeId::kVarbinary:
            return "binary";
        case TypeId::kDate:
            return "date";
        case TypeId::kTimestamp:
            return "timestamp";
        default:
            return "string";
    }
}

bool IsPlainIdentifier(std::string_view name) {
    if (name.empty() || !IsIdentifierStart(name[0])) return false;
    for (char c : name) {
        if (!IsIdentifierChar(c)) return false;
    }
    return true;
}

void AppendHiveFieldName(std::string_view name, std::string* out) {
    if (IsPlainIdentifier(name)) {
        out->append(name);
        return;
    }
    out->push_back('`');
    for (char c : name) {
        if (c == '`') out->push_back('`');  // the parser reads a doubled quote as one
        out->push_back(c);
    }
    out->push_back('`');
}

void AppendHiveTypeName(const DataType& type, std::string* out) {
    switch (type.id()) {
        case TypeId::kDecimal:
            *out += "decimal(" + std::to_string(type.precision()) + "," +
                    std::to_string(type.scale()) + ")";
            return;
        case TypeId::kList:
            out->append("array<");
            AppendHiveTypeName(type.element_field().type, out);
            out->push_back('>');
            return;
        case TypeId::kMap:
            out->append("map<");
            AppendHiveTypeName(type.key_field().type, out);
            out->push_back(',');
            AppendHiveTypeName(type.value_field().type, out);
            out->push_back('>');
            return;
        case TypeId::kStruct:
            out->append("struct<");
            for (size_t i = 0; i < type.num_fields(); ++i) {
                if (i > 0) out->push_back(',');
                AppendHiveFieldName(type.field(i).name, out);
                out->push_back(':');
                AppendHiveTypeName(type.field(i).type, out);
            }
            out->push_back('>');
            return;
        default:
            out->append(HiveScalarName(type.id()));
            return;
    }
}

}  // namespace

std::string HiveTypeName(const DataType& type) {
    std::string out;
    AppendHiveTypeName(type, &out);
    return out;
}

Result<DataType> ParseDataType(std::string_view text) { return Parser(text, "type").WholeType(); }

Result<Schema> ParseSchema(std::string_view text) { return Parser(text, "schema").WholeSchema(); }

}  // namespace tarn::columnar
