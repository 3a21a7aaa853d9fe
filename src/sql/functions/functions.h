// SQL functions: the scalar and aggregate functions the binder resolves calls to, the casts, and
// the implicit type coercions. Operators are functions too: `a + b` is "$add"(a, b), `a = b` is
// "$eq"(a, b) (names in kOperatorFunctionNames); LIKE is "$like"(x, pattern[, escape]).
//
// Resolution (BindScalarFunction): the binder passes the argument types (and the constant value
// of each argument that is a constant, so functions may precompute state: a LIKE pattern, a
// date_trunc unit, a date_format format). The result names the kernel, the return type and the
// type each argument must be cast to first (implicit coercions: integers widen, integers ->
// DECIMAL -> DOUBLE, DATE -> TIMESTAMP, an untyped NULL -> anything). Unknown names and
// mismatched arguments are InvalidArgument in Trino's words:
//   "function 'foo' not registered"
//   "unexpected parameters (varchar, bigint) for function substr; expected: substr(varchar,
//    bigint), substr(varchar, bigint, bigint)"
//
// Kernels are vectorized: one call per batch, tight loops over typed buffers, no per-row virtual
// calls or allocation. A kernel reads `rows` slots of each argument (arguments may be longer:
// constants are broadcast once into vectors that are reused across batches), and fills `out`
// (empty on entry, of the binding's return type) with exactly `rows` slots. For a strict function
// (NULL in -> NULL out; most functions) `ctx.valid` is the AND of the arguments' validities
// (nullptr: every row valid): the kernel must not read the argument values of invalid rows with
// effect (no error for them, e.g. no division-by-zero error), and must make them NULL in `out`
// (SetValidityFrom helps). A kernel may make more rows NULL (try_cast). Errors are Status values
// (InvalidArgument for data errors: "Division by zero", "Cannot cast 'abc' to BIGINT").
//
// Thread-safety: registered functions and their state are immutable; kernels may run on many
// threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "common/status.h"
#include "sql/value.h"

namespace tarn::sql {

struct KernelContext {
    size_t rows = 0;
    const uint64_t* valid = nullptr;  // strict functions: AND of the arguments' validity
    const void* state = nullptr;      // the binding's state (ScalarFunction::state.get())
    int64_t now_micros = 0;           // the query's start time (current_timestamp, current_date)
};

using ScalarKernel = Status (*)(const KernelContext& ctx,
                                std::span<const columnar::ColumnVector* const> args,
                                columnar::ColumnVector* out);

// A resolved call.
struct ScalarFunction {
    std::string name;  // as the user wrote it (lower case), "$add" for operators
    ScalarKernel kernel = nullptr;
    columnar::DataType return_type = columnar::DataType::Boolean();
    std::vector<columnar::DataType> arg_types;  // cast each argument to this first
    bool strict = true;
    // Deterministic and context-free: calls on constants may be folded at plan time. False for
    // current_timestamp and friends only.
    bool foldable = true;
    std::shared_ptr<const void> state;
};

// What the binder knows of one argument.
struct ArgumentInfo {
    columnar::DataType type = columnar::DataType::Boolean();
    bool is_null_literal = false;
    const Value* constant = nullptr;  // when the argument is a constant
};

// "$add" "$subtract" "$multiply" "$divide" "$modulo" "$concat" "$negate" "$eq" "$ne" "$lt" "$le"
// "$gt" "$ge" "$like"
Result<std::shared_ptr<const ScalarFunction>> BindScalarFunction(
    std::string_view name, std::span<const ArgumentInfo> args);

// True for names BindScalarFunction knows (scalar) and for aggregate names (IsAggregateFunction).
bool IsAggregateFunction(std::string_view name);

// ---- Casts ------------------------------------------------------------------------------------
// Whether CAST(from AS to) is allowed at all (a value may still fail to convert at run time).
bool CanCast(const columnar::DataType& from, const columnar::DataType& to);
// Converts `rows` slots of `in` into `out` (empty on entry, of type `to`). A value that does not
// convert is an InvalidArgument error ("Cannot cast 'abc' to BIGINT"), or NULL with `try_cast`.
// Trino's rules: numbers to integers round half away from zero and are range-checked ("Out of
// range for integer: 3000000000"); DECIMAL rescaling rounds half away from zero; VARCHAR to
// numbers, DATE and TIMESTAMP ignores leading and trailing whitespace and is otherwise strict;
// VARCHAR -> BOOLEAN takes true/false/t/f (any case) and 1/0; VARCHAR -> TIMESTAMP takes
// 'YYYY-MM-DD[( |T)HH:MM[:SS[.f...]]]'; TIMESTAMP -> DATE floors; BOOLEAN <-> numbers;
// VARBINARY -> VARCHAR requires valid UTF-8; anything -> VARCHAR uses the canonical text of
// value_format.h (timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]"). STRUCT/LIST/MAP cast member-wise
// when shapes match (members under NULL structs never fail).
Status CastVector(const columnar::ColumnVector& in, size_t rows, const columnar::DataType& to,
                  bool try_cast, columnar::ColumnVector* out);

// ---- Coercion ---------------------------------------------------------------------------------
// The type both `a` and `b` convert to implicitly (for comparisons, IN lists, CASE branches,
// COALESCE, set operations), or InvalidArgument "cannot combine varchar and bigint". Untyped
// NULL literals have no type here: the caller gives them the other side's type.
Result<columnar::DataType> CommonSuperType(const columnar::DataType& a,
                                           const columnar::DataType& b);
// Whether `from` converts to `to` implicitly.
bool CanCoerce(const columnar::DataType& from, const columnar::DataType& to);

// Trino's lower-case type name: "bigint", "decimal(10,2)", "varchar", "row(a bigint)",
// "array(varchar)", "map(varchar, bigint)", "timestamp(3)" -- for messages and result metadata.
std::string SqlTypeName(const columnar::DataType& type);

// ---- Aggregates -------------------------------------------------------------------------------
// A resolved aggregate call. State is a fixed-size block per group, laid out by the hash
// aggregate; functions work on batches: `update` folds `rows` input slots into the states of
// their groups (states[i] is row i's group state), skipping NULL inputs as SQL does.
struct AggregateFunction {
    std::string name;  // "count", "sum", ...
    columnar::DataType return_type = columnar::DataType::Int64();
    columnar::DataType arg_type = columnar::DataType::Int64();  // cast the argument to this
    bool has_arg = true;   // false for count(*)
    bool distinct = false;
    size_t state_size = 0;
    size_t state_align = 8;
    void (*init)(uint8_t* state) = nullptr;
    // REQUIRES: arg has >= rows slots (or is null for count(*)).
    void (*update)(uint8_t* const* states, const columnar::ColumnVector* arg, size_t rows) = nullptr;
    // Merges `src` into `dst` (for parallel partial aggregation).
    void (*combine)(uint8_t* dst, const uint8_t* src) = nullptr;
    // Appends the result of each state to `out` (of return_type).
    Status (*finalize)(const uint8_t* const* states, size_t n, columnar::ColumnVector* out) = nullptr;
    // Frees what a state owns (count(DISTINCT)'s set); nullptr when nothing.
    void (*destroy)(uint8_t* state) = nullptr;
};

// count, sum, avg, min, max (and count/sum/avg with DISTINCT). `arg` is absent for count(*).
// Return types as Trino: count bigint; sum of integers bigint, of decimal(p,s) decimal(38,s), of
// real/double double; avg of integers double, of decimal decimal(38,s)... (see functions/), min/max
// the argument's type.
Result<std::shared_ptr<const AggregateFunction>> BindAggregateFunction(
    std::string_view name, const ArgumentInfo* arg, bool distinct);

// Helpers for kernels -----------------------------------------------------------------------------
// Makes slot i of `out` NULL wherever bit i of `valid` is 0, for i < rows (nothing when valid is
// nullptr). REQUIRES: out->length() >= rows.
void SetValidityFrom(const uint64_t* valid, size_t rows, columnar::ColumnVector* out);

}  // namespace tarn::sql
