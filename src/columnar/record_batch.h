// RecordBatch: rows of a schema in columnar form, the unit that flows between readers, the SQL
// executor and writers. It owns one ColumnVector per top-level field (with child vectors for
// nested types) and shares its schema through shared_ptr<const Schema>.
//
// A batch is filled column by column (append to column(i), or Resize and write buffers directly),
// then set_num_rows(); Validate() checks that the result is consistent. To reuse a batch for the
// next rows, Reset() it: every buffer keeps its allocation.
//
// Thread-safety: none for writing; a const RecordBatch may be read from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/schema.h"
#include "common/status.h"

namespace tarn::columnar {

// The number of rows a batch is sized for unless the caller says otherwise.
inline constexpr size_t kDefaultBatchRows = 2048;

class RecordBatch {
public:
    // An empty batch (num_rows() == 0) with one vector per field, each reserved for `capacity`
    // rows. REQUIRES: schema != nullptr and valid (made by Schema::Make).
    explicit RecordBatch(std::shared_ptr<const Schema> schema, size_t capacity = kDefaultBatchRows);

    // A batch of existing vectors. InvalidArgument when the count or a type differs from the
    // schema, or when Validate() fails.
    static Result<RecordBatch> Make(std::shared_ptr<const Schema> schema,
                                    std::vector<ColumnVector> columns, size_t num_rows);

    RecordBatch(RecordBatch&&) noexcept = default;
    RecordBatch& operator=(RecordBatch&&) noexcept = default;
    RecordBatch(const RecordBatch&) = delete;
    RecordBatch& operator=(const RecordBatch&) = delete;

    const std::shared_ptr<const Schema>& schema() const { return schema_; }
    size_t num_columns() const { return columns_.size(); }
    // REQUIRES: i < num_columns().
    ColumnVector& column(size_t i) {
        assert(i < columns_.size());
        return columns_[i];
    }
    const ColumnVector& column(size_t i) const {
        assert(i < columns_.size());
        return columns_[i];
    }

    size_t num_rows() const { return num_rows_; }
    // Declares how many rows the columns hold (they must all have this length; Validate checks).
    void set_num_rows(size_t n) { num_rows_ = n; }

    // num_rows() = 0 and every column Reset(); allocations are kept.
    void Reset();

    // OK, or InvalidArgument naming the column and the broken invariant: a column's type differs
    // from its field's, a column's length differs from num_rows(), a non-nullable field has
    // nulls, or any ColumnVector invariant (ColumnVector::Validate) fails.
    Status Validate() const;

private:
    RecordBatch(std::shared_ptr<const Schema> schema, std::vector<ColumnVector> columns,
                size_t num_rows)
        : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {}

    std::shared_ptr<const Schema> schema_;
    std::vector<ColumnVector> columns_;
    size_t num_rows_ = 0;
};

}  // namespace tarn::columnar
