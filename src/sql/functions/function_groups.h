// Internal to sql/functions/: BindScalarFunction asks each group of functions in turn. A group
// returns nullptr (and no error) for a name it does not own, the binding for its own names, or
// InvalidArgument when it owns the name but the arguments do not fit (Trino's "unexpected
// parameters (...) for function f; expected: f(...)").
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "common/status.h"
#include "sql/functions/functions.h"

namespace tarn::sql {

using FunctionBindResult = Result<std::shared_ptr<const ScalarFunction>>;

// "$add" ... "$ge", "$negate", "$concat", "$like" (operators.cc and friends).
FunctionBindResult BindOperatorFunction(std::string_view name, std::span<const ArgumentInfo> args);
// lower upper length substr concat trim ltrim rtrim replace split_part strpos (string_functions.cc).
FunctionBindResult BindStringFunction(std::string_view name, std::span<const ArgumentInfo> args);
// date_trunc date_add date_diff date_format from_iso8601_timestamp from_iso8601_date
// from_unixtime to_unixtime year month day day_of_month hour minute second day_of_week dow
// day_of_year quarter week current_date current_timestamp now (datetime_functions.cc).
FunctionBindResult BindDateTimeFunction(std::string_view name, std::span<const ArgumentInfo> args);
// abs round floor ceil ceiling sign sqrt power mod ln exp (math_functions.cc).
FunctionBindResult BindMathFunction(std::string_view name, std::span<const ArgumentInfo> args);

}  // namespace tarn::sql
