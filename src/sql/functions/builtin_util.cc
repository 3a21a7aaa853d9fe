#include "sql/functions/builtin_util.h"

#include <utility>

namespace tarn::sql::builtin {

std::string TrinoTypeName(const ArgumentInfo& arg) {
    return arg.is_null_literal ? "unknown" : SqlTypeName(arg.type);
}

Status UnexpectedParameters(std::string_view name, std::span<const ArgumentInfo> args,
                            std::initializer_list<std::string_view> expected) {
    std::string msg = "unexpected parameters (";
    for (size_t i = 0; i < args.size(); ++i) {
        if (i > 0) msg += ", ";
        msg += TrinoTypeName(args[i]);
    }
    msg += ") for function ";
    msg += name;
    msg += "; expected: ";
    bool first = true;
    for (std::string_view signature : expected) {
        if (!first) msg += ", ";
        first = false;
        msg += name;
        msg += '(';
        msg += signature;
        msg += ')';
    }
    return Status::InvalidArgument(std::move(msg));
}

std::shared_ptr<ScalarFunction> MakeFunction(std::string_view name, ScalarKernel kernel,
                                             DataType return_type,
                                             std::vector<DataType> arg_types) {
    auto f = std::make_shared<ScalarFunction>();
    f->name = std::string(name);
    f->kernel = kernel;
    f->return_type = std::move(return_type);
    f->arg_types = std::move(arg_types);
    return f;
}

}  // namespace tarn::sql::builtin
