// Schema: the ordered top-level fields of a record batch or a table.
//
// A Schema made by Make() is valid: every field's type passes DataType::Validate(), top-level
// names are non-empty and unique (exact, case-sensitive comparison: the catalog decides about
// case before it builds a schema), and field ids that are set (>= 0) are unique across the whole
// tree, nested fields included, so a reader may resolve columns by id. Record batches share one
// schema through shared_ptr<const Schema>.
//
// Thread-safety: a value; a const Schema may be read from many threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/data_type.h"
#include "common/status.h"

namespace tarn::columnar {

class Schema {
public:
    // The empty schema (no columns).
    Schema() = default;

    // InvalidArgument naming the field when a name is empty or repeated, a field id is repeated
    // or a type is invalid.
    static Result<Schema> Make(std::vector<Field> fields);

    size_t num_fields() const { return fields_.size(); }
    // REQUIRES: i < num_fields().
    const Field& field(size_t i) const { return fields_[i]; }
    const std::vector<Field>& fields() const { return fields_; }

    // The index of the top-level field called `name`, or -1.
    int FindField(std::string_view name) const;

    bool Equals(const Schema& other, bool check_field_ids = true) const;
    friend bool operator==(const Schema& a, const Schema& b) { return a.Equals(b); }

    // "a: INT64 NOT NULL (id=1), b: STRUCT<x: VARCHAR>"; empty for the empty schema.
    std::string ToString() const;

private:
    explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

    std::vector<Field> fields_;
};

}  // namespace tarn::columnar
