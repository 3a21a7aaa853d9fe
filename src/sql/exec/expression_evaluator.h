// ExpressionEvaluator: evaluates bound expressions (sql/binder/bound_expr.h) over record batches,
// a whole batch per call. Each node becomes one vector per batch: columns are read in place,
// constants are broadcast once into vectors reused across batches, kCall nodes run their kernel
// once per batch, and the non-strict constructs (AND/OR with three-valued logic, NOT, IS NULL,
// IN, CASE, COALESCE, field access, casts) work on whole vectors too. No per-row virtual call and
// no per-row allocation; intermediate vectors are kept and reused across batches.
//
// Errors only come from rows that need the failing part, as in Trino: a CASE branch is evaluated
// only for the rows that take it (`CASE WHEN x <> 0 THEN 10 / x END` never divides by zero), a
// COALESCE argument only for rows still NULL, an AND/OR operand only for rows the earlier
// operands left undecided. IN over constant values probes a hash set built on the first batch.
//
// Thread-safety: one thread at a time per evaluator (it owns scratch vectors); the expressions
// are shared read-only.
#pragma once

#include <memory>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/record_batch.h"
#include "common/status.h"
#include "sql/binder/bound_expr.h"

namespace tarn::sql {

class ExpressionEvaluator {
public:
    // `expr` must outlive the evaluator. `now_micros` answers current_timestamp / current_date.
    explicit ExpressionEvaluator(const BoundExpr* expr, int64_t now_micros = 0);
    ~ExpressionEvaluator();
    ExpressionEvaluator(ExpressionEvaluator&&) noexcept;
    ExpressionEvaluator& operator=(ExpressionEvaluator&&) noexcept;

    // Evaluates the expression for every row of `input`. The result has at least
    // input.num_rows() slots (exactly that many unless the expression is a bare constant, which
    // may be longer) and stays valid until the next call or until `input` changes (a bare column
    // reference returns the input's own vector).
    Result<const columnar::ColumnVector*> Evaluate(const columnar::RecordBatch& input);

    // Evaluates a BOOLEAN expression and appends the indices of the rows where it is TRUE (not
    // NULL, not FALSE) to *selection (cleared first).
    Status Select(const columnar::RecordBatch& input, std::vector<uint32_t>* selection);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Evaluates a constant expression (BoundExpr::IsConstant) to a Value, e.g. for folding at plan
// time. Errors as the expression's kernels give them ("Division by zero").
Result<Value> EvaluateConstant(const BoundExpr& expr, int64_t now_micros = 0);

// Copies the rows `selection` names (in that order) of `in` into `out` (Reset first), e.g. to
// apply a filter or a sort permutation. Works for every type, nested ones included.
void GatherRows(const columnar::ColumnVector& in, const uint32_t* selection, size_t count,
                columnar::ColumnVector* out);
// GatherRows for every column of `in` into the same column of `out` (of the same schema), and
// sets out's row count.
void GatherBatch(const columnar::RecordBatch& in, const uint32_t* selection, size_t count,
                 columnar::RecordBatch* out);

}  // namespace tarn::sql
