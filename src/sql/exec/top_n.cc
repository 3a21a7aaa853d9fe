// MakeTopN: ORDER BY ... LIMIT. Candidate rows are copied into owned columns; when they reach
// twice the bound k = offset + limit (at least a batch more than k), they are sorted and cut
// back to the best k. After the first cut, the k-th best row is a threshold: an incoming row
// that does not sort strictly before it can never be in the answer (a tie loses to the earlier
// row, as a stable sort would order them), so most rows are rejected with one comparison and
// never copied. Candidates stay in arrival order among equals, so the final stable sort gives
// exactly Sort + Limit's rows.
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

class TopN final : public Operator {
public:
    TopN(OperatorPtr child, std::vector<SortKey> keys, uint64_t limit, uint64_t offset)
        : Operator(child->schema()),
          child_(std::move(child)),
          comparator_(*schema_, keys),
          status_(CheckSortKeys(*schema_, keys)),
          limit_(limit),
          offset_(offset) {
        // Bounded so that row numbers and counts below fit in uint32_t.
        const uint64_t bound = limit > UINT64_MAX - offset ? UINT64_MAX : offset + limit;
        k_ = std::min<uint64_t>(bound, UINT32_MAX / 4);
        compact_at_ = std::max<uint64_t>(2 * k_, k_ + columnar::kDefaultBatchRows);
        for (const columnar::Field& f : schema_->fields()) columns_.emplace_back(f.type);
    }

    Result<RecordBatch*> Next() override {
        if (!status_.ok()) return status_;
        if (!done_) {
            if (limit_ != 0) {
                status_ = Consume();
                if (!status_.ok()) return status_;
                Compact();
            }
            done_ = true;
            emitted_ = std::min<size_t>(offset_, rows_);
        }
        if (emitted_ >= rows_) return nullptr;
        // After Compact the candidates are in order, so output is a contiguous range.
        const size_t n = std::min(columnar::kDefaultBatchRows, rows_ - emitted_);
        out_.Reset();
        for (size_t c = 0; c < columns_.size(); ++c) {
            AppendRange(columns_[c], emitted_, n, &out_.column(c));
        }
        out_.set_num_rows(n);
        emitted_ += n;
        return &out_;
    }

private:
    Status Consume() {
        ColumnRefs batch_refs(columns_.size());
        while (true) {
            TARN_ASSIGN_OR_RETURN(RecordBatch* batch, child_->Next());
            if (batch == nullptr) return Status::Ok();
            for (size_t c = 0; c < columns_.size(); ++c) batch_refs[c] = &batch->column(c);
            selection_.clear();
            const size_t n = batch->num_rows();
            for (uint32_t r = 0; r < n; ++r) {
                if (!have_threshold_ || comparator_.Compare(batch_refs, r, refs_, threshold_) < 0) {
                    selection_.push_back(r);
                }
            }
            for (size_t c = 0; c < columns_.size(); ++c) {
                AppendRows(batch->column(c), selection_.data(), selection_.size(), &columns_[c]);
            }
            rows_ += selection_.size();
            RefreshRefs();
            if (rows_ >= compact_at_) Compact();
        }
    }

    // Sorts the candidates and keeps the best k_ of them, in order.
    void Compact() {
        RefreshRefs();
        SortRows(comparator_, refs_, rows_, &order_);
        const size_t keep = std::min<size_t>(k_, rows_);
        std::vector<ColumnVector> kept;
        for (size_t c = 0; c < columns_.size(); ++c) {
            kept.emplace_back(columns_[c].type());
            AppendRows(columns_[c], order_.data(), keep, &kept.back());
        }
        columns_ = std::move(kept);
        if (keep == k_ && keep > 0) {
            have_threshold_ = true;
            threshold_ = static_cast<uint32_t>(keep - 1);
        }
        rows_ = keep;
        RefreshRefs();
    }

    void RefreshRefs() {
        refs_.resize(columns_.size());
        for (size_t c = 0; c < columns_.size(); ++c) refs_[c] = &columns_[c];
    }

    OperatorPtr child_;
    RowComparator comparator_;
    Status status_;
    uint64_t limit_;
    uint64_t offset_;
    uint64_t k_ = 0;
    uint64_t compact_at_ = 0;
    std::vector<ColumnVector> columns_;  // the candidates, owned
    ColumnRefs refs_;
    size_t rows_ = 0;
    bool have_threshold_ = false;
    uint32_t threshold_ = 0;  // the k-th best candidate, once there are k
    bool done_ = false;
    size_t emitted_ = 0;
    std::vector<uint32_t> order_;
    std::vector<uint32_t> selection_;
    RecordBatch out_{schema_};
};

}  // namespace

OperatorPtr MakeTopN(OperatorPtr child, std::vector<SortKey> keys, uint64_t limit, uint64_t offset,
                     ExecContext* /*context*/) {
    return std::make_unique<TopN>(std::move(child), std::move(keys), limit, offset);
}

}  // namespace tarn::sql
