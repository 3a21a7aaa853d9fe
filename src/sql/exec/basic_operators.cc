// The one-step operators: single row, filter, project, limit.
#include <numeric>

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_planner.h"

namespace tarn::sql {
namespace {

using columnar::RecordBatch;

class SingleRowOperator final : public Operator {
public:
    SingleRowOperator()
        : Operator(std::make_shared<const columnar::Schema>()), batch_(schema_, 1) {
        batch_.set_num_rows(1);
    }
    Result<RecordBatch*> Next() override {
        if (done_) return nullptr;
        done_ = true;
        return &batch_;
    }

private:
    RecordBatch batch_;
    bool done_ = false;
};

class FilterOperator final : public Operator {
public:
    FilterOperator(OperatorPtr child, BoundExprPtr predicate, ExecContext* context)
        : Operator(child->schema()),
          child_(std::move(child)),
          predicate_(std::move(predicate)),
          evaluator_(predicate_.get(), context->now_micros),
          batch_(schema_) {}

    Result<RecordBatch*> Next() override {
        while (true) {
            TARN_ASSIGN_OR_RETURN(RecordBatch* in, child_->Next());
            if (in == nullptr) return nullptr;
            TARN_RETURN_IF_ERROR(evaluator_.Select(*in, &selection_));
            if (selection_.empty()) continue;
            if (selection_.size() == in->num_rows()) return in;
            GatherBatch(*in, selection_.data(), selection_.size(), &batch_);
            return &batch_;
        }
    }

private:
    OperatorPtr child_;
    BoundExprPtr predicate_;
    ExpressionEvaluator evaluator_;
    std::vector<uint32_t> selection_;
    RecordBatch batch_;
};

class ProjectOperator final : public Operator {
public:
    ProjectOperator(OperatorPtr child, std::vector<BoundExprPtr> exprs,
                    std::shared_ptr<const columnar::Schema> schema, ExecContext* context)
        : Operator(std::move(schema)), child_(std::move(child)), exprs_(std::move(exprs)),
          batch_(schema_) {
        // A bare column that no other expression reads is moved from the input, not copied.
        std::vector<int> reads(child_->schema()->num_fields(), 0);
        for (const BoundExprPtr& e : exprs_) {
            std::vector<int> columns;
            e->CollectColumns(&columns);
            for (int c : columns) ++reads[c];
        }
        for (const BoundExprPtr& e : exprs_) {
            const bool take = e->kind == BoundKind::kColumn && reads[e->column] == 1;
            take_.push_back(take ? e->column : -1);
            evaluators_.emplace_back(e.get(), context->now_micros);
        }
    }

    Result<RecordBatch*> Next() override {
        TARN_ASSIGN_OR_RETURN(RecordBatch* in, child_->Next());
        if (in == nullptr) return nullptr;
        const size_t rows = in->num_rows();
        if (identity_.size() < rows) {
            identity_.resize(rows);
            std::iota(identity_.begin(), identity_.end(), 0u);
        }
        for (size_t i = 0; i < evaluators_.size(); ++i) {
            if (take_[i] >= 0) {
                std::swap(batch_.column(i), in->column(take_[i]));
                continue;
            }
            TARN_ASSIGN_OR_RETURN(const columnar::ColumnVector* v, evaluators_[i].Evaluate(*in));
            // The evaluator's vectors are its own (or the input's): copy the rows out.
            GatherRows(*v, identity_.data(), rows, &batch_.column(i));
        }
        batch_.set_num_rows(rows);
        return &batch_;
    }

private:
    OperatorPtr child_;
    std::vector<BoundExprPtr> exprs_;
    std::vector<ExpressionEvaluator> evaluators_;
    std::vector<int> take_;  // per output column: the input column moved into it, or -1
    std::vector<uint32_t> identity_;
    RecordBatch batch_;
};

class LimitOperator final : public Operator {
public:
    LimitOperator(OperatorPtr child, std::optional<uint64_t> limit, uint64_t offset)
        : Operator(child->schema()), child_(std::move(child)), limit_(limit), skip_(offset),
          batch_(schema_) {}

    Result<RecordBatch*> Next() override {
        while (true) {
            if (limit_ && returned_ >= *limit_) return nullptr;
            TARN_ASSIGN_OR_RETURN(RecordBatch* in, child_->Next());
            if (in == nullptr) return nullptr;
            const uint64_t rows = in->num_rows();
            if (skip_ >= rows) {
                skip_ -= rows;
                continue;
            }
            const uint64_t begin = skip_;
            skip_ = 0;
            uint64_t end = rows;
            if (limit_) end = std::min<uint64_t>(end, begin + (*limit_ - returned_));
            returned_ += end - begin;
            if (begin == 0 && end == rows) return in;
            selection_.resize(end - begin);
            std::iota(selection_.begin(), selection_.end(), static_cast<uint32_t>(begin));
            GatherBatch(*in, selection_.data(), selection_.size(), &batch_);
            return &batch_;
        }
    }

private:
    OperatorPtr child_;
    std::optional<uint64_t> limit_;
    uint64_t skip_;
    uint64_t returned_ = 0;
    std::vector<uint32_t> selection_;
    RecordBatch batch_;
};

}  // namespace

OperatorPtr MakeSingleRow() { return std::make_unique<SingleRowOperator>(); }

OperatorPtr MakeFilter(OperatorPtr child, BoundExprPtr predicate, ExecContext* context) {
    return std::make_unique<FilterOperator>(std::move(child), std::move(predicate), context);
}

OperatorPtr MakeProject(OperatorPtr child, std::vector<BoundExprPtr> exprs,
                        std::shared_ptr<const columnar::Schema> schema, ExecContext* context) {
    return std::make_unique<ProjectOperator>(std::move(child), std::move(exprs), std::move(schema),
                                             context);
}

OperatorPtr MakeLimit(OperatorPtr child, std::optional<uint64_t> limit, uint64_t offset) {
    return std::make_unique<LimitOperator>(std::move(child), limit, offset);
}

BoundExprPtr Conjunction(const std::vector<BoundExprPtr>& conjuncts) {
    if (conjuncts.empty()) return nullptr;
    if (conjuncts.size() == 1) return conjuncts[0]->Clone();
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundKind::kAnd;
    e->type = columnar::DataType::Boolean();
    for (const BoundExprPtr& c : conjuncts) e->children.push_back(c->Clone());
    return e;
}

}  // namespace tarn::sql
