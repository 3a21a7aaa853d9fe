// BindScalarFunction (asks each group of functions in turn), SqlTypeName and SetValidityFrom.
#include "sql/functions/functions.h"

#include "sql/functions/function_groups.h"

namespace tarn::sql {

using columnar::DataType;
using columnar::TypeId;

Result<std::shared_ptr<const ScalarFunction>> BindScalarFunction(
    std::string_view name, std::span<const ArgumentInfo> args) {
    using Binder = FunctionBindResult (*)(std::string_view, std::span<const ArgumentInfo>);
    static constexpr Binder kGroups[] = {BindOperatorFunction, BindStringFunction,
                                         BindDateTimeFunction, BindMathFunction};
    for (Binder bind : kGroups) {
        FunctionBindResult bound = bind(name, args);
        if (!bound.ok() || *bound != nullptr) return bound;
    }
    return Status::InvalidArgument("function '" + std::string(name) + "' not registered");
}

std::string SqlTypeName(const DataType& type) {
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
        case TypeId::kTimestamp:
            return "timestamp(3)";  // what Athena calls its timestamps
        case TypeId::kStruct: {
            std::string out = "row(";
            for (size_t i = 0; i < type.num_fields(); ++i) {
                if (i > 0) out += ", ";
                columnar::AppendFieldName(type.field(i).name, &out);
                out += " " + SqlTypeName(type.field(i).type);
            }
            return out + ")";
        }
        case TypeId::kList:
            return "array(" + SqlTypeName(type.element_field().type) + ")";
        case TypeId::kMap:
            return "map(" + SqlTypeName(type.key_field().type) + ", " +
                   SqlTypeName(type.value_field().type) + ")";
    }
    return "unknown";
}

void SetValidityFrom(const uint64_t* valid, size_t rows, columnar::ColumnVector* out) {
    if (valid == nullptr || rows == 0) return;
    uint64_t* bits = out->MutableValidityBits();
    const size_t full = rows / 64;
    for (size_t w = 0; w < full; ++w) bits[w] &= valid[w];
    if (rows % 64 != 0) {
        // Only the first `rows` slots are ours; slots past them (if out is longer) keep theirs.
        const uint64_t mask = (uint64_t{1} << (rows % 64)) - 1;
        bits[full] &= valid[full] | ~mask;
    }
    out->CompactValidity();
}

}  // namespace tarn::sql
