// PENDING -- DELETE AT MERGE. Placeholders for the string, date/time and math function groups,
// which are written on another branch (string_functions.cc, datetime_functions.cc,
// math_functions.cc). They own no names yet, so BindScalarFunction reports every non-operator
// function as not registered. This file exists only so that branch sql-fn links on its own.
#include "sql/functions/function_groups.h"

namespace tarn::sql {

FunctionBindResult BindStringFunction(std::string_view, std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

FunctionBindResult BindDateTimeFunction(std::string_view, std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

FunctionBindResult BindMathFunction(std::string_view, std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

}  // namespace tarn::sql
