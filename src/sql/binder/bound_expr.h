// Bound expressions: what the binder (sql/binder/binder.h) makes of a parsed Expr once names are
// resolved and types checked, and what the vectorized evaluator (sql/exec/expression_evaluator.h)
// runs over record batches.
//
// Every node has its result type. Column references are positions in the input batch of the
// operator that evaluates the expression (the binder numbers them against the scan's output; the
// planner renumbers them when it inserts projections). Operators and functions are kCall nodes
// bound to a kernel (sql/functions/functions.h); the constructs whose NULL handling is not "NULL in,
// NULL out" have their own kinds and are evaluated by the evaluator itself.
//
// SQL types are columnar types (columnar/data_type.h): BOOLEAN, INT8 (tinyint), INT16 (smallint),
// INT32 (integer), INT64 (bigint), FLOAT (real), DOUBLE, DECIMAL(p,s), VARCHAR, VARBINARY, DATE,
// TIMESTAMP, STRUCT (row), LIST (array), MAP. An untyped NULL literal is a kConstant whose Value has
// is_null_literal set: it takes the type its context needs (the binder casts it).
//
// Thread-safety: values; a bound tree is immutable once the planner is done and may be evaluated
// by many threads (each with its own evaluator).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "columnar/data_type.h"
#include "sql/functions/functions.h"
#include "sql/value.h"

namespace tarn::sql {

enum class BoundKind : uint8_t {
    kColumn,    // input column `column`; no children
    kConstant,  // `value`; no children
    kCall,      // scalar function `function`, children are its arguments (already cast to the
                // binding's argument types)
    kCast,      // children: [x]; to `type`; `try_cast`: a failed conversion gives NULL, not error
    kAnd,       // children: 2+ BOOLEAN operands; three-valued logic
    kOr,        // as kAnd
    kNot,       // children: [BOOLEAN]
    kIsNull,    // children: [x]; `negated` for IS NOT NULL; never NULL itself
    kIn,        // children: [x, v1, v2, ...] of one type; `negated`; SQL semantics: NULL when x is
                // NULL, or when no v matches and some v is NULL
    kCase,      // searched CASE: children: w1, t1, w2, t2, ..., then the ELSE result when
                // `has_else` (else NULL); w* BOOLEAN, t* and else of `type`
    kCoalesce,  // children: 1+ of `type`; the first non-NULL
    kField,     // children: [STRUCT x]; member `field_index` of it (NULL when x is NULL)
};

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundExpr {
    BoundKind kind = BoundKind::kConstant;
    columnar::DataType type = columnar::DataType::Boolean();
    int column = -1;                        // kColumn
    int field_index = -1;                   // kField
    bool negated = false;                   // kIsNull, kIn
    bool has_else = false;                  // kCase
    bool try_cast = false;                  // kCast
    Value value;                            // kConstant
    std::shared_ptr<const ScalarFunction> function;  // kCall
    std::string name;  // kColumn: the column's name; kCall: the function's; for EXPLAIN
    std::vector<BoundExprPtr> children;

    BoundExprPtr Clone() const;
    // SQL-ish text for EXPLAIN: `(price > 10)`, `lower(country)`, `CAST(x AS BIGINT)`, `#3`-free:
    // columns print by name.
    std::string ToString() const;
    // True when the tree references no column (it can be folded to a constant).
    bool IsConstant() const;
    // Appends the distinct input columns the tree references.
    void CollectColumns(std::vector<int>* columns) const;
    // Renumbers column references: column c becomes mapping[c] (REQUIRES: mapping[c] >= 0).
    void RemapColumns(const std::vector<int>& mapping);
};

BoundExprPtr MakeColumnRef(int column, columnar::DataType type, std::string name);
BoundExprPtr MakeConstant(Value value);

}  // namespace tarn::sql
