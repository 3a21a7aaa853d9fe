// BindOperatorFunction: the operators' names, and the helpers every operator binding shares.
#include "sql/functions/operators_internal.h"

namespace tarn::sql {

namespace internal {

columnar::DataType ResolveNullLiteral(const ArgumentInfo& arg, const ArgumentInfo* other,
                                      const columnar::DataType& fallback) {
    if (!arg.is_null_literal) return arg.type;
    if (other != nullptr && !other->is_null_literal) return other->type;
    return fallback;
}

Status CannotApply(std::string_view name, std::span<const ArgumentInfo> args) {
    static constexpr std::pair<std::string_view, std::string_view> kSymbols[] = {
        {"$add", "+"},    {"$subtract", "-"}, {"$multiply", "*"}, {"$divide", "/"},
        {"$modulo", "%"}, {"$concat", "||"},  {"$eq", "="},       {"$ne", "<>"},
        {"$lt", "<"},     {"$le", "<="},      {"$gt", ">"},       {"$ge", ">="},
        {"$negate", "-"}, {"$like", "LIKE"},
    };
    std::string_view symbol = name;
    for (const auto& [function, text] : kSymbols) {
        if (function == name) symbol = text;
    }
    auto type_name = [](const ArgumentInfo& a) {
        return a.is_null_literal ? std::string("unknown") : SqlTypeName(a.type);
    };
    std::string message = "Cannot apply operator: ";
    if (args.size() == 1) {
        message += std::string(symbol) + type_name(args[0]);
    } else {
        for (size_t i = 0; i < args.size(); ++i) {
            if (i > 0) message += " " + std::string(symbol) + " ";
            message += type_name(args[i]);
        }
    }
    return Status::InvalidArgument(std::move(message));
}

std::shared_ptr<const ScalarFunction> MakeFunction(std::string_view name, ScalarKernel kernel,
                                                   columnar::DataType return_type,
                                                   std::vector<columnar::DataType> arg_types,
                                                   std::shared_ptr<const void> state) {
    auto f = std::make_shared<ScalarFunction>();
    f->name = std::string(name);
    f->kernel = kernel;
    f->return_type = std::move(return_type);
    f->arg_types = std::move(arg_types);
    f->state = std::move(state);
    return f;
}

}  // namespace internal

FunctionBindResult BindOperatorFunction(std::string_view name, std::span<const ArgumentInfo> args) {
    if (name == "$add" || name == "$subtract" || name == "$multiply" || name == "$divide" ||
        name == "$modulo" || name == "$negate") {
        return internal::BindArithmetic(name, args);
    }
    if (name == "$eq" || name == "$ne" || name == "$lt" || name == "$le" || name == "$gt" ||
        name == "$ge") {
        return internal::BindComparison(name, args);
    }
    if (name == "$concat") return internal::BindConcat(name, args);
    if (name == "$like") return internal::BindLike(name, args);
    return std::shared_ptr<const ScalarFunction>();
}

}  // namespace tarn::sql
