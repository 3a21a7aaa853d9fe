// PENDING -- DELETE AT MERGE. Placeholders for the string, date/time and math function groups,
// which are written on another branch (string_functions.cc, datetime_functions.cc,
// math_functions.cc). They own no names yet, so BindScalarFunction reports every non-operator
// function as not registered. This file exists only so that branch sql-fn links on its own.
// The definitions are weak so that a merge that forgets this file still links, but in a static
// library a weak stub can still win over the real group (the linker need not pull in its object):
// delete this file when the real groups arrive.
#include "sql/functions/function_groups.h"

namespace tarn::sql {

__attribute__((weak)) FunctionBindResult BindStringFunction(std::string_view,
                                                            std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

__attribute__((weak)) FunctionBindResult BindDateTimeFunction(std::string_view,
                                                              std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

__attribute__((weak)) FunctionBindResult BindMathFunction(std::string_view,
                                                          std::span<const ArgumentInfo>) {
    return std::shared_ptr<const ScalarFunction>();
}

}  // namespace tarn::sql
