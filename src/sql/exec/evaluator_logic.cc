// The BOOLEAN constructs: AND/OR with three-valued logic (an operand is evaluated only for rows
// the earlier operands left undecided), NOT and IS [NOT] NULL.
#include <cstring>

#include "sql/exec/evaluator_internal.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql::exec_internal {

using columnar::ColumnVector;
using columnar::TypeId;
using columnar::ValidityWords;

void InitMask(const uint64_t* active, size_t rows, std::vector<uint64_t>* words) {
    const size_t n = ValidityWords(rows);
    if (active == nullptr) {
        words->assign(n, ~uint64_t{0});
    } else {
        words->assign(active, active + n);
    }
}

bool AnyBitSet(const std::vector<uint64_t>& words, size_t rows) {
    const size_t full = rows / 64;
    for (size_t w = 0; w < full; ++w) {
        if (words[w] != 0) return true;
    }
    if (rows % 64 == 0) return false;
    return (words[full] & ((uint64_t{1} << (rows % 64)) - 1)) != 0;
}

uint64_t BooleanWord(const ColumnVector& col, size_t w, size_t rows) {
    const uint8_t* values = col.Data<uint8_t>();
    const size_t begin = w * 64;
    const size_t end = std::min(rows, begin + 64);
    uint64_t word = 0;
    for (size_t i = begin; i < end; ++i) word |= uint64_t{values[i] != 0} << (i - begin);
    return word;
}

void WriteBooleans(const uint64_t* values, const uint64_t* valid, size_t rows, ColumnVector* out) {
    out->Reset();
    out->Resize(rows);
    uint8_t* dst = out->MutableData<uint8_t>();
    for (size_t i = 0; i < rows; ++i) dst[i] = (values[i >> 6] >> (i & 63)) & 1;
    if (valid != nullptr && rows > 0) {
        uint64_t* bits = out->MutableValidityBits();
        std::memcpy(bits, valid, ValidityWords(rows) * sizeof(uint64_t));
        out->CompactValidity();
    }
}

// AND: `decided` collects rows some operand made FALSE, `unanimous` the rows every operand made
// TRUE; OR is the mirror image. The result is decided ? FALSE : unanimous ? TRUE : NULL (for AND).
Result<const ColumnVector*> EvaluateAndOr(EvalNode& node, const EvalInput& input,
                                          const uint64_t* active) {
    const bool is_and = node.expr->kind == BoundKind::kAnd;
    const size_t rows = input.rows;
    const size_t words = ValidityWords(rows);
    std::vector<uint64_t>& decided = node.remaining;
    std::vector<uint64_t>& unanimous = node.scratch;
    decided.assign(words, 0);
    unanimous.assign(words, ~uint64_t{0});
    for (EvalNode& child : node.children) {
        // Only rows that are active and not yet decided need this operand.
        InitMask(active, rows, &node.mask);
        for (size_t w = 0; w < words; ++w) node.mask[w] &= ~decided[w];
        if (!AnyBitSet(node.mask, rows)) break;
        TARN_ASSIGN_OR_RETURN(const ColumnVector* v, EvaluateNode(child, input, node.mask.data()));
        for (size_t w = 0; w < words; ++w) {
            const uint64_t valid = ValidityWord(*v, w) & node.mask[w];
            const uint64_t value = BooleanWord(*v, w, rows);
            const uint64_t hit = valid & (is_and ? ~value : value);  // FALSE for AND, TRUE for OR
            const uint64_t keep = valid & (is_and ? value : ~value);
            decided[w] |= hit;
            unanimous[w] &= keep | decided[w];
        }
    }
    // Values: AND is TRUE where unanimous and not decided; OR is TRUE where decided.
    std::vector<uint64_t>& values = node.mask;  // the operands are done with it
    std::vector<uint64_t>& valid = node.valid;
    values.resize(words);
    valid.resize(words);
    for (size_t w = 0; w < words; ++w) {
        values[w] = is_and ? (unanimous[w] & ~decided[w]) : decided[w];
        valid[w] = decided[w] | unanimous[w];
    }
    WriteBooleans(values.data(), valid.data(), rows, &node.out);
    return &node.out;
}

Result<const ColumnVector*> EvaluateNot(EvalNode& node, const EvalInput& input,
                                        const uint64_t* active) {
    TARN_ASSIGN_OR_RETURN(const ColumnVector* v, EvaluateNode(node.children[0], input, active));
    node.out.Reset();
    node.out.Resize(input.rows);
    const uint8_t* src = v->Data<uint8_t>();
    uint8_t* dst = node.out.MutableData<uint8_t>();
    for (size_t i = 0; i < input.rows; ++i) dst[i] = src[i] == 0;
    SetValidityFrom(v->validity_bits(), input.rows, &node.out);
    return &node.out;
}

Result<const ColumnVector*> EvaluateIsNull(EvalNode& node, const EvalInput& input,
                                           const uint64_t* active) {
    TARN_ASSIGN_OR_RETURN(const ColumnVector* v, EvaluateNode(node.children[0], input, active));
    node.out.Reset();
    node.out.Resize(input.rows);
    uint8_t* dst = node.out.MutableData<uint8_t>();
    const uint8_t when_valid = node.expr->negated ? 1 : 0;
    const uint64_t* bits = v->validity_bits();
    for (size_t i = 0; i < input.rows; ++i) {
        dst[i] = internal::BitIsSet(bits, i) ? when_valid : 1 - when_valid;
    }
    return &node.out;
}

}  // namespace tarn::sql::exec_internal
