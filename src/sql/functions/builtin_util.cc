#include "sql/functions/builtin_util.h"

#include <utility>

namespace tarn::sql::builtin {

std::string TrinoTypeName(const DataType& type) {
    switch (type.id()) {
        case TypeId::kBoolean:
            return "boolean";
        case TypeId::kInt8:
            return "tinyint";
        case TypeId::kInt16:
            return "smallint";
        case TypeId::kInt32:
            return "integer";
        case TypeId::kInt64:
            return "bigint";
        case TypeId::kFloat:
            return "real";
        case TypeId::kDouble:
            return "double";
        case TypeId::kDecimal:
            return "decimal(" + std::to_string(type.precision()) + "," +
                   std::to_string(type.scale()) + ")";
        case TypeId::kVarchar:
            return "varchar";
        case TypeId::kVarbinary:
            return "varbinary";
        case TypeId::kDate:
            return "date";
        // Trino's (and Athena's) default timestamp precision; tarn keeps microseconds.
        case TypeId::kTimestamp:
            return "timestamp(3)";
        case TypeId::kStruct:
            return "row";
        case TypeId::kList:
            return "array";
        case TypeId::kMap:
            return "map";
    }
    return "unknown";
}

std::string TrinoTypeName(const ArgumentInfo& arg) {
    return arg.is_null_literal ? "unknown" : TrinoTypeName(arg.type);
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

void ApplyValidity(const uint64_t* valid, size_t rows, ColumnVector* out) {
    if (valid == nullptr || rows == 0) return;
    uint64_t* bits = out->MutableValidityBits();
    const size_t full = rows / 64;
    for (size_t w = 0; w < full; ++w) bits[w] &= valid[w];
    if (rows % 64 != 0) {
        // Bits past `rows` in the caller's mask are unspecified: keep ours there.
        const uint64_t mask = (uint64_t{1} << (rows % 64)) - 1;
        bits[full] &= valid[full] | ~mask;
    }
    out->CompactValidity();
}

}  // namespace tarn::sql::builtin
