#include "columnar/data_type.h"

#include <cassert>
#include <string>
#include <unordered_set>

namespace tarn::columnar {

std::string_view TypeIdName(TypeId id) {
    switch (id) {
        case TypeId::kBoolean:
            return "BOOLEAN";
        case TypeId::kInt8:
            return "INT8";
        case TypeId::kInt16:
            return "INT16";
        case TypeId::kInt32:
            return "INT32";
        case TypeId::kInt64:
            return "INT64";
        case TypeId::kFloat:
            return "FLOAT";
        case TypeId::kDouble:
            return "DOUBLE";
        case TypeId::kDecimal:
            return "DECIMAL";
        case TypeId::kVarchar:
            return "VARCHAR";
        case TypeId::kVarbinary:
            return "VARBINARY";
        case TypeId::kDate:
            return "DATE";
        case TypeId::kTimestamp:
            return "TIMESTAMP";
        case TypeId::kStruct:
            return "STRUCT";
        case TypeId::kList:
            return "LIST";
        case TypeId::kMap:
            return "MAP";
    }
    return "UNKNOWN";
}

DataType DataType::Decimal(int precision, int scale) {
    DataType t(TypeId::kDecimal);
    // Clamped (not wrapped) so that Validate() still sees an out-of-range value as invalid.
    auto clamp = [](int v) {
        return static_cast<int16_t>(v < -1000 ? -1000 : (v > 1000 ? 1000 : v));
    };
    t.precision_ = clamp(precision);
    t.scale_ = clamp(scale);
    return t;
}

Result<DataType> DataType::MakeDecimal(int precision, int scale) {
    DataType t = Decimal(precision, scale);
    TARN_RETURN_IF_ERROR(t.Validate());
    return t;
}

DataType DataType::Struct(std::vector<Field> fields) {
    DataType t(TypeId::kStruct);
    t.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
    return t;
}

DataType DataType::List(Field element) {
    DataType t(TypeId::kList);
    std::vector<Field> fields;
    fields.push_back(std::move(element));
    t.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
    return t;
}

DataType DataType::List(DataType element) {
    return List(Field{"element", std::move(element), true});
}

DataType DataType::Map(Field key, Field value) {
    DataType t(TypeId::kMap);
    std::vector<Field> fields;
    fields.push_back(std::move(key));
    fields.push_back(std::move(value));
    t.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
    return t;
}

DataType DataType::Map(DataType key, DataType value) {
    return Map(Field{"key", std::move(key), false}, Field{"value", std::move(value), true});
}

int DataType::FixedWidth() const {
    switch (id_) {
        case TypeId::kBoolean:
        case TypeId::kInt8:
            return 1;
        case TypeId::kInt16:
            return 2;
        case TypeId::kInt32:
        case TypeId::kFloat:
        case TypeId::kDate:
            return 4;
        case TypeId::kInt64:
        case TypeId::kDouble:
        case TypeId::kTimestamp:
            return 8;
        case TypeId::kDecimal:
            return precision_ <= kMaxDecimal64Precision ? 8 : 16;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
        case TypeId::kStruct:
        case TypeId::kList:
        case TypeId::kMap:
            return 0;
    }
    return 0;
}

std::span<const Field> DataType::fields() const {
    if (!fields_) return {};
    return {fields_->data(), fields_->size()};
}

size_t DataType::num_fields() const { return fields_ ? fields_->size() : 0; }

const Field& DataType::field(size_t i) const {
    assert(fields_ && i < fields_->size());
    return (*fields_)[i];
}

namespace {

Status ValidateIn(const DataType& t, const std::string& path);

Status ValidateChild(const Field& f, const std::string& path) {
    return ValidateIn(f.type, path.empty() ? f.name : path + "." + f.name);
}

Status ValidateIn(const DataType& t, const std::string& path) {
    auto fail = [&](const std::string& what) {
        return Status::InvalidArgument(path.empty() ? what : "field '" + path + "': " + what);
    };
    switch (t.id()) {
        case TypeId::kDecimal:
            if (t.precision() < 1 || t.precision() > kMaxDecimalPrecision) {
                return fail(t.ToString() + ": precision must be 1..38");
            }
            if (t.scale() < 0 || t.scale() > t.precision()) {
                return fail(t.ToString() + ": scale must be 0..precision");
            }
            return Status::Ok();
        case TypeId::kStruct: {
            if (t.num_fields() == 0) return fail("STRUCT must have at least one field");
            std::unordered_set<std::string_view> names;
            for (const Field& f : t.fields()) {
                if (f.name.empty()) return fail("STRUCT field names must not be empty");
                if (!names.insert(f.name).second) {
                    return fail("duplicate STRUCT field name '" + f.name + "'");
                }
                TARN_RETURN_IF_ERROR(ValidateChild(f, path));
            }
            return Status::Ok();
        }
        case TypeId::kList:
            if (t.num_fields() != 1) return fail("LIST must have exactly one element field");
            return ValidateChild(t.field(0), path);
        case TypeId::kMap:
            if (t.num_fields() != 2) return fail("MAP must have exactly a key and a value field");
            if (t.key_field().nullable) return fail("MAP keys must not be nullable");
            TARN_RETURN_IF_ERROR(ValidateChild(t.key_field(), path));
            return ValidateChild(t.value_field(), path);
        default:
            return Status::Ok();
    }
}

bool IsPlainIdentifier(std::string_view name) {
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

void AppendTypeTo(const DataType& t, std::string* out);

void AppendChildTypeTo(const Field& f, bool show_not_null, std::string* out) {
    AppendTypeTo(f.type, out);
    if (show_not_null && !f.nullable) *out += " NOT NULL";
}

void AppendTypeTo(const DataType& t, std::string* out) {
    switch (t.id()) {
        case TypeId::kDecimal:
            *out += "DECIMAL(";
            *out += std::to_string(t.precision());
            *out += ',';
            *out += std::to_string(t.scale());
            *out += ')';
            return;
        case TypeId::kStruct: {
            *out += "STRUCT<";
            bool first = true;
            for (const Field& f : t.fields()) {
                if (!first) *out += ", ";
                first = false;
                AppendFieldName(f.name, out);
                *out += ": ";
                AppendChildTypeTo(f, true, out);
            }
            *out += '>';
            return;
        }
        case TypeId::kList:
            *out += "LIST<";
            if (t.num_fields() == 1) AppendChildTypeTo(t.element_field(), true, out);
            *out += '>';
            return;
        case TypeId::kMap:
            *out += "MAP<";
            if (t.num_fields() == 2) {
                AppendChildTypeTo(t.key_field(), false, out);
                *out += ", ";
                AppendChildTypeTo(t.value_field(), true, out);
            }
            *out += '>';
            return;
        default:
            *out += TypeIdName(t.id());
            return;
    }
}

}  // namespace

Status DataType::Validate() const { return ValidateIn(*this, ""); }

Status Field::Validate() const { return ValidateIn(type, name); }

std::string DataType::ToString() const {
    std::string out;
    AppendTypeTo(*this, &out);
    return out;
}

bool DataType::Equals(const DataType& other, bool check_field_ids) const {
    if (id_ != other.id_ || precision_ != other.precision_ || scale_ != other.scale_) return false;
    if (fields_ == other.fields_) return true;  // same children (or both none)
    const auto a = fields();
    const auto b = other.fields();
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].Equals(b[i], check_field_ids)) return false;
    }
    return true;
}

void AppendFieldName(std::string_view name, std::string* out) {
    if (IsPlainIdentifier(name)) {
        out->append(name);
        return;
    }
    *out += '"';
    for (char c : name) {
        if (c == '"') *out += '"';
        *out += c;
    }
    *out += '"';
}

std::string Field::ToString() const {
    std::string out;
    AppendFieldName(name, &out);
    out += ": ";
    AppendTypeTo(type, &out);
    if (!nullable) out += " NOT NULL";
    if (field_id != kNoFieldId) {
        out += " (id=";
        out += std::to_string(field_id);
        out += ')';
    }
    return out;
}

bool Field::Equals(const Field& other, bool check_field_ids) const {
    return name == other.name && nullable == other.nullable &&
           (!check_field_ids || field_id == other.field_id) &&
           type.Equals(other.type, check_field_ids);
}

}  // namespace tarn::columnar
