// Comparison operators: both sides are cast to their common super type by the binder, so each
// kernel compares two vectors of one physical type into a BOOLEAN vector. Doubles compare as
// IEEE does (NaN is unequal to everything, itself included).
#include <functional>

#include "sql/functions/kernel_util.h"
#include "sql/functions/operators_internal.h"

namespace tarn::sql::internal {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

namespace {

template <class T, class Compare>
Status CompareFixed(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                    ColumnVector* out) {
    const T* a = args[0]->Data<T>();
    const T* b = args[1]->Data<T>();
    out->Resize(ctx.rows);
    uint8_t* dst = out->MutableData<uint8_t>();
    Compare compare;
    // Invalid rows compare whatever they hold, harmlessly, and are made NULL below.
    for (size_t i = 0; i < ctx.rows; ++i) dst[i] = compare(a[i], b[i]) ? 1 : 0;
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

template <class Compare>
Status CompareStrings(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                      ColumnVector* out) {
    const ColumnVector& a = *args[0];
    const ColumnVector& b = *args[1];
    out->Resize(ctx.rows);
    uint8_t* dst = out->MutableData<uint8_t>();
    Compare compare;
    // string_view compares bytes as unsigned char: UTF-8 byte order is code point order.
    for (size_t i = 0; i < ctx.rows; ++i) dst[i] = compare(a.GetString(i), b.GetString(i)) ? 1 : 0;
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

template <class Compare>
ScalarKernel KernelFor(const DataType& type) {
    switch (type.id()) {
        case TypeId::kBoolean:
            return CompareFixed<uint8_t, Compare>;
        case TypeId::kInt8:
            return CompareFixed<int8_t, Compare>;
        case TypeId::kInt16:
            return CompareFixed<int16_t, Compare>;
        case TypeId::kInt32:
        case TypeId::kDate:
            return CompareFixed<int32_t, Compare>;
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return CompareFixed<int64_t, Compare>;
        case TypeId::kFloat:
            return CompareFixed<float, Compare>;
        case TypeId::kDouble:
            return CompareFixed<double, Compare>;
        case TypeId::kDecimal:
            return IsDecimal64(type) ? CompareFixed<int64_t, Compare>
                                     : CompareFixed<int128_t, Compare>;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return CompareStrings<Compare>;
        default:
            return nullptr;  // nested types are not comparable here
    }
}

}  // namespace

FunctionBindResult BindComparison(std::string_view name, std::span<const ArgumentInfo> args) {
    if (args.size() != 2) return CannotApply(name, args);
    const DataType a = ResolveNullLiteral(args[0], &args[1], DataType::Boolean());
    const DataType b = ResolveNullLiteral(args[1], &args[0], DataType::Boolean());
    auto common = CommonSuperType(a, b);
    if (!common.ok()) return CannotApply(name, args);
    ScalarKernel kernel = nullptr;
    if (name == "$eq") {
        kernel = KernelFor<std::equal_to<>>(*common);
    } else if (name == "$ne") {
        kernel = KernelFor<std::not_equal_to<>>(*common);
    } else if (name == "$lt") {
        kernel = KernelFor<std::less<>>(*common);
    } else if (name == "$le") {
        kernel = KernelFor<std::less_equal<>>(*common);
    } else if (name == "$gt") {
        kernel = KernelFor<std::greater<>>(*common);
    } else {
        kernel = KernelFor<std::greater_equal<>>(*common);
    }
    if (kernel == nullptr) return CannotApply(name, args);
    return MakeFunction(name, kernel, DataType::Boolean(), {*common, *common});
}

}  // namespace tarn::sql::internal
