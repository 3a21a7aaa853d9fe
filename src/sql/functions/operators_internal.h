// Internal to sql/functions/: the operator functions, split by area (operators.cc dispatches).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sql/functions/function_groups.h"

namespace tarn::sql::internal {

// The argument's type; an untyped NULL literal takes `other` (itself a type, or also a NULL).
columnar::DataType ResolveNullLiteral(const ArgumentInfo& arg, const ArgumentInfo* other,
                                      const columnar::DataType& fallback);

// "Cannot apply operator: varchar + bigint" ("$add" -> "+").
Status CannotApply(std::string_view name, std::span<const ArgumentInfo> args);

std::shared_ptr<const ScalarFunction> MakeFunction(std::string_view name, ScalarKernel kernel,
                                                   columnar::DataType return_type,
                                                   std::vector<columnar::DataType> arg_types,
                                                   std::shared_ptr<const void> state = nullptr);

// $add $subtract $multiply $divide $modulo $negate (operators_arithmetic.cc).
FunctionBindResult BindArithmetic(std::string_view name, std::span<const ArgumentInfo> args);
// $eq $ne $lt $le $gt $ge (operators_comparison.cc).
FunctionBindResult BindComparison(std::string_view name, std::span<const ArgumentInfo> args);
// $concat, $like (operators_string.cc).
FunctionBindResult BindConcat(std::string_view name, std::span<const ArgumentInfo> args);
FunctionBindResult BindLike(std::string_view name, std::span<const ArgumentInfo> args);

}  // namespace tarn::sql::internal
