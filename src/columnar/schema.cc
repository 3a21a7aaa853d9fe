#include "columnar/schema.h"

#include <unordered_map>
#include <unordered_set>

namespace tarn::columnar {

namespace {

Status CheckFieldIds(const Field& f, const std::string& path,
                     std::unordered_map<int32_t, std::string>* seen) {
    if (f.field_id < kNoFieldId) {
        return Status::InvalidArgument("field '" + path + "': field id " +
                                       std::to_string(f.field_id) + " is negative");
    }
    if (f.field_id != kNoFieldId) {
        auto [it, inserted] = seen->emplace(f.field_id, path);
        if (!inserted) {
            return Status::InvalidArgument("field id " + std::to_string(f.field_id) +
                                           " is used by both '" + it->second + "' and '" + path +
                                           "'");
        }
    }
    for (const Field& child : f.type.fields()) {
        TARN_RETURN_IF_ERROR(CheckFieldIds(child, path + "." + child.name, seen));
    }
    return Status::Ok();
}

}  // namespace

Result<Schema> Schema::Make(std::vector<Field> fields) {
    std::unordered_set<std::string_view> names;
    std::unordered_map<int32_t, std::string> ids;
    for (size_t i = 0; i < fields.size(); ++i) {
        const Field& f = fields[i];
        if (f.name.empty()) {
            return Status::InvalidArgument("schema field " + std::to_string(i) +
                                           " has an empty name");
        }
        if (!names.insert(f.name).second) {
            return Status::InvalidArgument("duplicate field name '" + f.name + "' in schema");
        }
        TARN_RETURN_IF_ERROR(f.Validate());
        TARN_RETURN_IF_ERROR(CheckFieldIds(f, f.name, &ids));
    }
    return Schema(std::move(fields));
}

int Schema::FindField(std::string_view name) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

bool Schema::Equals(const Schema& other, bool check_field_ids) const {
    if (fields_.size() != other.fields_.size()) return false;
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (!fields_[i].Equals(other.fields_[i], check_field_ids)) return false;
    }
    return true;
}

std::string Schema::ToString() const {
    std::string out;
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) out += ", ";
        out += fields_[i].ToString();
    }
    return out;
}

}  // namespace tarn::columnar
