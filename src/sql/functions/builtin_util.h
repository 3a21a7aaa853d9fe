// Internal to sql/functions/: small helpers the string, date/time and math function groups share
// -- the Trino type names of their error messages, argument-fit tests for binding, and validity
// bookkeeping for kernels. Kept here rather than in functions.h because they are conveniences of
// these groups, not part of the engine's contract.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "common/status.h"
#include "sql/functions/functions.h"

namespace tarn::sql::builtin {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

// Trino's lower-case name of a scalar type ("bigint", "decimal(10,2)", "timestamp(3)"); "unknown"
// for an untyped NULL, as Trino prints it.
std::string TrinoTypeName(const ArgumentInfo& arg);

// "unexpected parameters (varchar, bigint) for function f; expected: f(...), f(...)", where
// `expected` lists the signatures without the name ("varchar, bigint").
Status UnexpectedParameters(std::string_view name, std::span<const ArgumentInfo> args,
                            std::initializer_list<std::string_view> expected);

inline bool IsIntegerType(TypeId id) {
    return id == TypeId::kInt8 || id == TypeId::kInt16 || id == TypeId::kInt32 ||
           id == TypeId::kInt64;
}

// Whether an argument converts implicitly to the parameter type (an untyped NULL fits anything).
inline bool FitsVarchar(const ArgumentInfo& a) {
    return a.is_null_literal || a.type.id() == TypeId::kVarchar;
}
inline bool FitsBigint(const ArgumentInfo& a) {
    return a.is_null_literal || IsIntegerType(a.type.id());
}
inline bool FitsDouble(const ArgumentInfo& a) {
    const TypeId id = a.type.id();
    return a.is_null_literal || IsIntegerType(id) || id == TypeId::kDecimal ||
           id == TypeId::kFloat || id == TypeId::kDouble;
}
inline bool FitsTimestamp(const ArgumentInfo& a) {
    return a.is_null_literal || a.type.id() == TypeId::kTimestamp || a.type.id() == TypeId::kDate;
}

// A binding with no state.
std::shared_ptr<ScalarFunction> MakeFunction(std::string_view name, ScalarKernel kernel,
                                             DataType return_type, std::vector<DataType> arg_types);

inline bool RowValid(const uint64_t* valid, size_t i) {
    return valid == nullptr || ((valid[i >> 6] >> (i & 63)) & 1) != 0;
}

// Floor division and modulo (the timestamp arithmetic needs them for instants before 1970).
inline int64_t FloorDiv(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

}  // namespace tarn::sql::builtin
