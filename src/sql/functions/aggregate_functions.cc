// BindAggregateFunction: resolves count/sum/avg/min/max for one argument type, with Trino's
// messages for unknown names and argument types no signature takes.
#include <string>
#include <string_view>

#include "common/text.h"
#include "sql/functions/aggregate_internal.h"
#include "sql/functions/functions.h"

namespace tarn::sql {
namespace {

using columnar::DataType;
using columnar::TypeId;

std::string_view Expected(std::string_view name) {
    if (name == "count") return "count(), count(T)";
    if (name == "sum") return "sum(bigint), sum(double), sum(real), sum(decimal(p,s))";
    if (name == "avg") return "avg(bigint), avg(double), avg(real), avg(decimal(p,s))";
    if (name == "min") return "min(E) E:orderable";
    return "max(E) E:orderable";
}

Status Unexpected(std::string_view name, const ArgumentInfo* arg) {
    std::string msg = "unexpected parameters (";
    if (arg != nullptr) msg += SqlTypeName(arg->type);
    msg += ") for function ";
    msg += name;
    msg += "; expected: ";
    msg += Expected(name);
    return Status::InvalidArgument(std::move(msg));
}

}  // namespace

bool IsAggregateFunction(std::string_view name) {
    const std::string n = AsciiLower(name);
    return n == "count" || n == "sum" || n == "avg" || n == "min" || n == "max";
}

Result<std::shared_ptr<const AggregateFunction>> BindAggregateFunction(std::string_view name,
                                                                       const ArgumentInfo* arg,
                                                                       bool distinct) {
    const std::string n = AsciiLower(name);
    if (!IsAggregateFunction(n)) {
        return Status::InvalidArgument("function '" + std::string(name) + "' not registered");
    }
    std::shared_ptr<AggregateFunction> f;
    if (arg == nullptr) {
        // Only count(*) has no argument (and count(DISTINCT *) is not SQL).
        if (n == "count" && !distinct) f = aggregate::MakeCountStar();
    } else {
        // An untyped NULL argument: Trino resolves it as bigint, whose result is NULL (0 for
        // count); arg_type asks the planner to cast the literal.
        const DataType type = arg->is_null_literal ? DataType::Int64() : arg->type;
        if (n == "count") {
            f = aggregate::MakeCount(type, distinct);
            if (f == nullptr) {
                return Status::Unimplemented("count(DISTINCT) on row/array/map values");
            }
        } else if (n == "sum") {
            f = aggregate::MakeSum(type, distinct);
        } else if (n == "avg") {
            f = aggregate::MakeAvg(type, distinct);
        } else {
            // DISTINCT changes nothing for min and max.
            f = aggregate::MakeMinMax(type, n == "max");
        }
    }
    if (f == nullptr) return Unexpected(n, arg);
    f->name = n;
    f->distinct = distinct && n != "min" && n != "max";
    return std::shared_ptr<const AggregateFunction>(std::move(f));
}

}  // namespace tarn::sql
