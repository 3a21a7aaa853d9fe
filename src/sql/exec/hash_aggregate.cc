// MakeHashAggregate: GROUP BY with aggregates. All input is consumed on the first Next(); each
// batch costs one GroupKeys::FindOrInsert (hashing column-wise, one probe per row) and one
// `update` call per aggregate with the row -> state pointer vector. Group states live in an
// arena of fixed-size blocks of kGroupsPerBlock states rows (one row = every aggregate's state,
// each at its aligned offset), so a state never moves once its group exists.
#include <algorithm>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "sql/exec/aggregate_sort.h"
#include "sql/exec/gather_internal.h"
#include "sql/exec/group_keys.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::RecordBatch;
using columnar::Schema;

constexpr size_t kGroupsPerBlock = 1024;

size_t AlignUp(size_t n, size_t align) { return (n + align - 1) / align * align; }

class HashAggregate final : public Operator {
public:
    HashAggregate(std::shared_ptr<const Schema> schema, OperatorPtr child, std::vector<int> keys,
                  std::vector<AggregateCall> aggregates, Status init_error)
        : Operator(std::move(schema)),
          child_(std::move(child)),
          keys_(std::move(keys)),
          aggregates_(std::move(aggregates)),
          status_(std::move(init_error)) {
        if (!status_.ok()) return;
        size_t offset = 0;
        for (const AggregateCall& a : aggregates_) {
            align_ = std::max(align_, a.function->state_align);
            offset = AlignUp(offset, a.function->state_align);
            offsets_.push_back(offset);
            offset += a.function->state_size;
        }
        stride_ = AlignUp(std::max<size_t>(offset, 1), align_);
        std::vector<DataType> key_types;
        for (int k : keys_) key_types.push_back(child_->schema()->field(k).type);
        groups_.emplace(key_types);
        // Without keys there is exactly one group, even for empty input.
        if (keys_.empty()) AddGroups(1);
    }

    ~HashAggregate() override {
        DestroyStates();
        for (uint8_t* b : blocks_) ::operator delete(b, std::align_val_t(align_));
    }

    Result<RecordBatch*> Next() override {
        if (!status_.ok()) return status_;
        if (!consumed_) {
            status_ = ConsumeAll();
            if (!status_.ok()) return status_;
            consumed_ = true;
        }
        if (emitted_ >= num_groups_) {
            DestroyStates();
            return nullptr;
        }
        const size_t n = std::min(columnar::kDefaultBatchRows, num_groups_ - emitted_);
        out_.Reset();
        for (size_t k = 0; k < keys_.size(); ++k) {
            AppendRange(groups_->key_column(k), emitted_, n, &out_.column(k));
        }
        for (size_t a = 0; a < aggregates_.size(); ++a) {
            state_ptrs_.resize(n);
            for (size_t i = 0; i < n; ++i) state_ptrs_[i] = State(emitted_ + i) + offsets_[a];
            const AggregateFunction& f = *aggregates_[a].function;
            status_ = f.finalize(state_ptrs_.data(), n, &out_.column(keys_.size() + a));
            if (!status_.ok()) return status_;
        }
        out_.set_num_rows(n);
        emitted_ += n;
        return &out_;
    }

private:
    uint8_t* State(size_t g) const {
        return blocks_[g / kGroupsPerBlock] + (g % kGroupsPerBlock) * stride_;
    }

    // Makes room for and initializes the states of groups [num_groups_, num_groups_ + n).
    void AddGroups(size_t n) {
        for (size_t g = num_groups_; g < num_groups_ + n; ++g) {
            if (g % kGroupsPerBlock == 0) {
                blocks_.push_back(static_cast<uint8_t*>(
                    ::operator new(kGroupsPerBlock* stride_, std::align_val_t(align_))));
            }
            for (size_t a = 0; a < aggregates_.size(); ++a) {
                aggregates_[a].function->init(State(g) + offsets_[a]);
            }
        }
        num_groups_ += n;
    }

    Status CheckInput() const {
        const Schema& in = *child_->schema();
        for (const AggregateCall& a : aggregates_) {
            if (!a.function->has_arg) continue;
            if (a.argument < 0 || static_cast<size_t>(a.argument) >= in.num_fields() ||
                !in.field(a.argument).type.Equals(a.function->arg_type, false)) {
                return Status::Internal("aggregate " + a.name + ": argument column " +
                                        std::to_string(a.argument) + " is not of type " +
                                        a.function->arg_type.ToString());
            }
        }
        return Status::Ok();
    }

    Status ConsumeAll() {
        TARN_RETURN_IF_ERROR(CheckInput());
        std::vector<const ColumnVector*> key_columns(keys_.size());
        while (true) {
            TARN_ASSIGN_OR_RETURN(RecordBatch* batch, child_->Next());
            if (batch == nullptr) break;
            const size_t rows = batch->num_rows();
            group_ids_.resize(rows);
            if (keys_.empty()) {
                std::fill(group_ids_.begin(), group_ids_.end(), 0);
            } else {
                for (size_t k = 0; k < keys_.size(); ++k) key_columns[k] = &batch->column(keys_[k]);
                groups_->FindOrInsert(key_columns, rows, group_ids_.data());
                if (groups_->num_groups() > num_groups_)
                    AddGroups(groups_->num_groups() - num_groups_);
            }
            row_states_.resize(rows);
            for (size_t i = 0; i < rows; ++i) row_states_[i] = State(group_ids_[i]);
            state_ptrs_.resize(rows);
            for (size_t a = 0; a < aggregates_.size(); ++a) {
                const size_t off = offsets_[a];
                for (size_t i = 0; i < rows; ++i) state_ptrs_[i] = row_states_[i] + off;
                const AggregateCall& call = aggregates_[a];
                const ColumnVector* arg =
                    call.function->has_arg ? &batch->column(call.argument) : nullptr;
                call.function->update(state_ptrs_.data(), arg, rows);
            }
        }
        return Status::Ok();
    }

    void DestroyStates() {
        if (destroyed_) return;
        destroyed_ = true;
        for (size_t a = 0; a < aggregates_.size(); ++a) {
            const auto destroy = aggregates_[a].function->destroy;
            if (destroy == nullptr) continue;
            for (size_t g = 0; g < num_groups_; ++g) destroy(State(g) + offsets_[a]);
        }
    }

    OperatorPtr child_;
    std::vector<int> keys_;
    std::vector<AggregateCall> aggregates_;
    Status status_;  // the first error; the query is over after it
    std::optional<GroupKeys> groups_;
    std::vector<size_t> offsets_;  // of each aggregate's state in a group's row
    size_t align_ = alignof(std::max_align_t);
    size_t stride_ = 0;
    std::vector<uint8_t*> blocks_;
    size_t num_groups_ = 0;
    bool consumed_ = false;
    bool destroyed_ = false;
    size_t emitted_ = 0;
    RecordBatch out_{schema_};
    // Per-batch scratch, kept across batches.
    std::vector<uint32_t> group_ids_;
    std::vector<uint8_t*> row_states_;
    std::vector<uint8_t*> state_ptrs_;
};

}  // namespace

OperatorPtr MakeHashAggregate(OperatorPtr child, std::vector<int> keys,
                              std::vector<AggregateCall> aggregates, ExecContext* /*context*/) {
    Status error;
    std::vector<Field> fields;
    const Schema& in = *child->schema();
    for (int k : keys) {
        if (k < 0 || static_cast<size_t>(k) >= in.num_fields()) {
            error = Status::Internal("GROUP BY key column " + std::to_string(k) + " out of range");
            break;
        }
        if (in.field(k).type.is_nested()) {
            error = Status::Unimplemented("GROUP BY on row/array/map columns");
            break;
        }
        fields.push_back({in.field(k).name, in.field(k).type, true, columnar::kNoFieldId});
    }
    for (const AggregateCall& a : aggregates) {
        fields.push_back({a.name, a.function->return_type, true, columnar::kNoFieldId});
    }
    auto schema = std::make_shared<Schema>();
    if (error.ok()) {
        Result<Schema> made = Schema::Make(std::move(fields));
        if (made.ok()) {
            *schema = std::move(*made);
        } else {
            error = made.status();
        }
    }
    return std::make_unique<HashAggregate>(std::move(schema), std::move(child), std::move(keys),
                                           std::move(aggregates), std::move(error));
}

}  // namespace tarn::sql
