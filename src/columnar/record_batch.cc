#include "columnar/record_batch.h"

#include <string>

namespace tarn::columnar {

RecordBatch::RecordBatch(std::shared_ptr<const Schema> schema, size_t capacity)
    : schema_(std::move(schema)) {
    assert(schema_ != nullptr);
    columns_.reserve(schema_->num_fields());
    for (const Field& f : schema_->fields()) {
        columns_.emplace_back(f.type);
        columns_.back().Reserve(capacity);
    }
}

Result<RecordBatch> RecordBatch::Make(std::shared_ptr<const Schema> schema,
                                      std::vector<ColumnVector> columns, size_t num_rows) {
    if (schema == nullptr) return Status::InvalidArgument("record batch without a schema");
    RecordBatch batch(std::move(schema), std::move(columns), num_rows);
    TARN_RETURN_IF_ERROR(batch.Validate());
    return batch;
}

void RecordBatch::Reset() {
    num_rows_ = 0;
    for (ColumnVector& c : columns_) c.Reset();
}

Status RecordBatch::Validate() const {
    if (columns_.size() != schema_->num_fields()) {
        return Status::InvalidArgument("record batch has " + std::to_string(columns_.size()) +
                                       " columns for a schema of " +
                                       std::to_string(schema_->num_fields()) + " fields");
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
        const Field& f = schema_->field(i);
        const ColumnVector& c = columns_[i];
        const std::string where = "column '" + f.name + "'";
        if (!c.type().Equals(f.type)) {
            return Status::InvalidArgument(where + " has type " + c.type().ToString() +
                                           ", the schema says " + f.type.ToString());
        }
        if (c.length() != num_rows_) {
            return Status::InvalidArgument(where + " has " + std::to_string(c.length()) +
                                           " rows, the batch " + std::to_string(num_rows_));
        }
        if (!f.nullable) {
            if (const size_t nulls = c.NullCount(); nulls != 0) {
                return Status::InvalidArgument(where + " is NOT NULL but has " +
                                               std::to_string(nulls) + " nulls");
            }
        }
        TARN_RETURN_IF_ERROR(c.Validate(f.name));
    }
    return Status::Ok();
}

}  // namespace tarn::columnar
