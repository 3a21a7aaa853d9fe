// MakeSort: ORDER BY. The child's batches are copied into owned columns (a batch is only valid
// until the child's next Next()), the rows are ordered once by SortRows, and the output is
// gathered through the permutation in batches of kDefaultBatchRows.
#include <algorithm>
#include <vector>

#include "sql/exec/aggregate_sort.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/gather_internal.h"
#include "sql/exec/row_order.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::RecordBatch;

class Sort final : public Operator {
public:
    Sort(OperatorPtr child, std::vector<SortKey> keys)
        : Operator(child->schema()),
          child_(std::move(child)),
          comparator_(*schema_, keys),
          status_(CheckSortKeys(*schema_, keys)) {
        for (const columnar::Field& f : schema_->fields()) columns_.emplace_back(f.type);
    }

    Result<RecordBatch*> Next() override {
        if (!status_.ok()) return status_;
        if (!sorted_) {
            status_ = Consume();
            if (!status_.ok()) return status_;
            ColumnRefs refs;
            for (const ColumnVector& c : columns_) refs.push_back(&c);
            SortRows(comparator_, refs, rows_, &order_);
            sorted_ = true;
        }
        if (emitted_ >= rows_) return nullptr;
        const size_t n = std::min(columnar::kDefaultBatchRows, rows_ - emitted_);
        out_.Reset();
        for (size_t c = 0; c < columns_.size(); ++c) {
            GatherRows(columns_[c], order_.data() + emitted_, n, &out_.column(c));
        }
        out_.set_num_rows(n);
        emitted_ += n;
        return &out_;
    }

private:
    // Copies each batch into an exactly sized chunk, then concatenates the chunks into columns
    // reserved for the known total: growing the columns batch by batch would copy them again
    // at every doubling, and first-touching fresh pages dominates the cost of materializing.
    Status Consume() {
        std::vector<std::vector<ColumnVector>> chunks;
        std::vector<size_t> string_bytes(columns_.size(), 0);
        while (true) {
            TARN_ASSIGN_OR_RETURN(RecordBatch* batch, child_->Next());
            if (batch == nullptr) break;
            const size_t n = batch->num_rows();
            if (rows_ + n > UINT32_MAX) {
                return Status::ResourceExhausted("ORDER BY input exceeds 2^32 rows");
            }
            std::vector<ColumnVector>& chunk = chunks.emplace_back();
            for (size_t c = 0; c < columns_.size(); ++c) {
                chunk.emplace_back(columns_[c].type());
                AppendRange(batch->column(c), 0, n, &chunk.back());
                if (chunk.back().type().is_string_like()) {
                    string_bytes[c] += chunk.back().string_bytes();
                }
            }
            rows_ += n;
        }
        for (size_t c = 0; c < columns_.size(); ++c) {
            columns_[c].Reserve(rows_);
            if (columns_[c].type().is_string_like()) {
                columns_[c].ReserveStringBytes(string_bytes[c]);
            }
        }
        for (std::vector<ColumnVector>& chunk : chunks) {
            for (size_t c = 0; c < columns_.size(); ++c) {
                AppendRange(chunk[c], 0, chunk[c].length(), &columns_[c]);
            }
            chunk.clear();  // frees it as soon as it is copied
        }
        return Status::Ok();
    }

    OperatorPtr child_;
    RowComparator comparator_;
    Status status_;
    std::vector<ColumnVector> columns_;  // every input row, owned
    size_t rows_ = 0;
    bool sorted_ = false;
    std::vector<uint32_t> order_;
    size_t emitted_ = 0;
    RecordBatch out_{schema_};
};

}  // namespace

OperatorPtr MakeSort(OperatorPtr child, std::vector<SortKey> keys, ExecContext* /*context*/) {
    return std::make_unique<Sort>(std::move(child), std::move(keys));
}

}  // namespace tarn::sql
