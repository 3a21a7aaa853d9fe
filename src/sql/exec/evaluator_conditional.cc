// CASE, COALESCE and field access: each decides per row which vector a slot comes from, evaluates
// every source only for the rows that need it, and then copies the chosen slots (PickRows).
#include <algorithm>

#include "sql/exec/evaluator_internal.h"
#include "sql/exec/gather_internal.h"
#include "sql/functions/functions.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql::exec_internal {

using columnar::ColumnVector;
using columnar::TypeId;
using columnar::ValidityWords;

namespace {

template <class T>
void PickFixed(const std::vector<const ColumnVector*>& sources, const int16_t* choice, size_t rows,
               ColumnVector* out) {
    out->Resize(rows);
    T* dst = out->MutableData<T>();
    uint64_t* valid = out->MutableValidityBits();
    for (size_t i = 0; i < rows; ++i) {
        const int c = choice[i];
        const bool ok = c >= 0 && sources[c]->IsValid(i);
        if (ok) dst[i] = sources[c]->template Data<T>()[i];
        const uint64_t bit = uint64_t{1} << (i & 63);
        valid[i >> 6] = ok ? (valid[i >> 6] | bit) : (valid[i >> 6] & ~bit);
    }
    out->CompactValidity();
}

void PickStrings(const std::vector<const ColumnVector*>& sources, const int16_t* choice,
                 size_t rows, ColumnVector* out) {
    for (size_t i = 0; i < rows; ++i) {
        const int c = choice[i];
        if (c >= 0 && sources[c]->IsValid(i)) {
            out->AppendString(sources[c]->GetString(i));
        } else {
            out->AppendNull();
        }
    }
}

}  // namespace

Status PickRows(const std::vector<const ColumnVector*>& sources, const int16_t* choice, size_t rows,
                ColumnVector* out) {
    out->Reset();
    if (VisitFixedWidth(out->type().FixedWidth(),
                        [&]<class T>() { PickFixed<T>(sources, choice, rows, out); })) {
        return Status::Ok();
    }
    if (out->type().is_string_like()) {
        PickStrings(sources, choice, rows, out);
        return Status::Ok();
    }
    // Nested values: slot by slot, with their members.
    for (size_t i = 0; i < rows; ++i) {
        const int c = choice[i];
        if (c >= 0 && sources[c]->IsValid(i)) {
            AppendRange(*sources[c], i, 1, out);
        } else {
            out->AppendNull();
        }
    }
    return Status::Ok();
}

// Searched CASE: each WHEN is evaluated for the rows no earlier WHEN took, each THEN only for
// the rows its WHEN took, the ELSE for the rest.
Result<const ColumnVector*> EvaluateCase(EvalNode& node, const EvalInput& input,
                                         const uint64_t* active) {
    const size_t rows = input.rows;
    const size_t words = ValidityWords(rows);
    const bool has_else = node.expr->has_else;
    const size_t pairs = (node.children.size() - (has_else ? 1 : 0)) / 2;
    std::vector<const ColumnVector*> sources(pairs + 1, nullptr);
    node.choice.assign(rows, -1);
    InitMask(active, rows, &node.remaining);
    for (size_t k = 0; k < pairs && AnyBitSet(node.remaining, rows); ++k) {
        TARN_ASSIGN_OR_RETURN(const ColumnVector* when,
                              EvaluateNode(node.children[2 * k], input, node.remaining.data()));
        node.mask.resize(words);
        for (size_t w = 0; w < words; ++w) {
            node.mask[w] = node.remaining[w] & ValidityWord(*when, w) & BooleanWord(*when, w, rows);
            node.remaining[w] &= ~node.mask[w];
        }
        if (!AnyBitSet(node.mask, rows)) continue;
        TARN_ASSIGN_OR_RETURN(sources[k],
                              EvaluateNode(node.children[2 * k + 1], input, node.mask.data()));
        for (size_t i = 0; i < rows; ++i) {
            if (internal::BitIsSet(node.mask.data(), i)) node.choice[i] = static_cast<int16_t>(k);
        }
    }
    if (has_else && AnyBitSet(node.remaining, rows)) {
        TARN_ASSIGN_OR_RETURN(sources[pairs],
                              EvaluateNode(node.children.back(), input, node.remaining.data()));
        for (size_t i = 0; i < rows; ++i) {
            if (internal::BitIsSet(node.remaining.data(), i)) {
                node.choice[i] = static_cast<int16_t>(pairs);
            }
        }
    }
    TARN_RETURN_IF_ERROR(PickRows(sources, node.choice.data(), rows, &node.out));
    return &node.out;
}

// COALESCE: each argument is evaluated only for the rows every earlier argument left NULL.
Result<const ColumnVector*> EvaluateCoalesce(EvalNode& node, const EvalInput& input,
                                             const uint64_t* active) {
    const size_t rows = input.rows;
    const size_t words = ValidityWords(rows);
    std::vector<const ColumnVector*> sources(node.children.size(), nullptr);
    node.choice.assign(rows, -1);
    InitMask(active, rows, &node.remaining);
    for (size_t k = 0; k < node.children.size() && AnyBitSet(node.remaining, rows); ++k) {
        TARN_ASSIGN_OR_RETURN(sources[k],
                              EvaluateNode(node.children[k], input, node.remaining.data()));
        for (size_t w = 0; w < words; ++w) {
            const uint64_t taken = node.remaining[w] & ValidityWord(*sources[k], w);
            node.remaining[w] &= ~taken;
            if (taken == 0) continue;
            for (size_t b = 0; b < 64 && w * 64 + b < rows; ++b) {
                if ((taken >> b) & 1) node.choice[w * 64 + b] = static_cast<int16_t>(k);
            }
        }
    }
    TARN_RETURN_IF_ERROR(PickRows(sources, node.choice.data(), rows, &node.out));
    return &node.out;
}

// A struct member: the member vector itself when the struct has no NULLs, else a copy with the
// struct's NULLs applied.
Result<const ColumnVector*> EvaluateField(EvalNode& node, const EvalInput& input,
                                          const uint64_t* active) {
    TARN_ASSIGN_OR_RETURN(const ColumnVector* parent,
                          EvaluateNode(node.children[0], input, active));
    const auto index = static_cast<size_t>(node.expr->field_index);
    if (parent->type_id() != TypeId::kStruct || index >= parent->num_children()) {
        return Status::Internal("field access " + std::to_string(index) + " on " +
                                SqlTypeName(parent->type()));
    }
    const ColumnVector* member = &parent->child(index);
    if (parent->all_valid()) return member;
    node.choice.resize(input.rows);
    for (size_t i = 0; i < input.rows; ++i) node.choice[i] = parent->IsValid(i) ? 0 : -1;
    TARN_RETURN_IF_ERROR(PickRows({member}, node.choice.data(), input.rows, &node.out));
    return &node.out;
}

}  // namespace tarn::sql::exec_internal
