// Internal to the expression evaluator: the per-node state (scratch vectors reused across
// batches) and the evaluation of each construct, split by file:
//   expression_evaluator.cc   dispatch, columns, constants, calls, casts, the public API
//   evaluator_logic.cc        AND, OR, NOT, IS NULL
//   evaluator_in.cc           IN (a hash set for constant lists, else a scan of the values)
//   evaluator_conditional.cc  CASE, COALESCE, field access, and picking rows from several vectors
//
// Rows may be restricted by an `active` mask (validity-style words; nullptr = every row): CASE
// evaluates a THEN branch only for the rows that take it, COALESCE an argument only for rows still
// NULL, AND/OR an operand only for rows not yet decided. Kernels see inactive rows as NULL, so
// `CASE WHEN x <> 0 THEN 10 / x END` never divides by zero. Results for inactive rows are
// unspecified (callers ignore them).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/record_batch.h"
#include "common/status.h"
#include "sql/binder/bound_expr.h"

namespace tarn::sql::exec_internal {

// kIn over a list of constants: the values in a hash set, built on first use (evaluator_in.cc).
struct InListSet;

struct EvalNode {
    explicit EvalNode(const BoundExpr* e) : expr(e), out(e->type) {
        children.reserve(e->children.size());
        for (const BoundExprPtr& child : e->children) children.emplace_back(child.get());
    }

    const BoundExpr* expr;
    std::vector<EvalNode> children;
    columnar::ColumnVector out;       // this node's result (not for column references)
    size_t broadcast_rows = 0;        // kConstant: slots of `out` already filled
    std::vector<uint64_t> valid;      // kCall: the rows the kernel computes
    std::vector<uint64_t> mask;       // an active mask handed to a child
    std::vector<uint64_t> remaining;  // CASE/COALESCE/AND/OR: rows not decided yet
    std::vector<uint64_t> scratch;    // AND/OR/IN: per-row bit sets
    std::vector<int16_t> choice;      // CASE/COALESCE: the source of each row, -1 for NULL
    std::vector<const columnar::ColumnVector*> args;                // kCall: children's results
    std::optional<columnar::ColumnVector> one_row_in, one_row_out;  // cast error reporting
    std::shared_ptr<InListSet> in_set;                              // kIn with constant values only
    bool in_set_checked = false;  // whether in_set was considered already
};

struct EvalInput {
    const columnar::RecordBatch* batch = nullptr;  // nullptr for constant expressions
    size_t rows = 0;
    int64_t now_micros = 0;
};

Result<const columnar::ColumnVector*> EvaluateNode(EvalNode& node, const EvalInput& input,
                                                   const uint64_t* active);

Result<const columnar::ColumnVector*> EvaluateAndOr(EvalNode& node, const EvalInput& input,
                                                    const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateNot(EvalNode& node, const EvalInput& input,
                                                  const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateIsNull(EvalNode& node, const EvalInput& input,
                                                     const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateIn(EvalNode& node, const EvalInput& input,
                                                 const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateCase(EvalNode& node, const EvalInput& input,
                                                   const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateCoalesce(EvalNode& node, const EvalInput& input,
                                                       const uint64_t* active);
Result<const columnar::ColumnVector*> EvaluateField(EvalNode& node, const EvalInput& input,
                                                    const uint64_t* active);

// ---- bit helpers ---------------------------------------------------------------------------
// `words` = ValidityWords(rows) words: a copy of `active`, or all ones when it is nullptr.
void InitMask(const uint64_t* active, size_t rows, std::vector<uint64_t>* words);
// Whether any of the first `rows` bits is set.
bool AnyBitSet(const std::vector<uint64_t>& words, size_t rows);
// The validity word w of `col` (all ones when it has no nulls).
inline uint64_t ValidityWord(const columnar::ColumnVector& col, size_t w) {
    const uint64_t* bits = col.validity_bits();
    return bits == nullptr ? ~uint64_t{0} : bits[w];
}
// Word w of a BOOLEAN vector's values as bits (slots < rows only).
uint64_t BooleanWord(const columnar::ColumnVector& col, size_t w, size_t rows);
// Makes `out` (BOOLEAN, any length) hold `rows` slots: value bit i of `values`, valid where bit
// i of `valid` is set.
void WriteBooleans(const uint64_t* values, const uint64_t* valid, size_t rows,
                   columnar::ColumnVector* out);
// out = for each row, sources[choice[i]] at row i, or NULL when choice[i] < 0. Sources have at
// least `rows` slots, of out's type.
Status PickRows(const std::vector<const columnar::ColumnVector*>& sources, const int16_t* choice,
                size_t rows, columnar::ColumnVector* out);

}  // namespace tarn::sql::exec_internal
