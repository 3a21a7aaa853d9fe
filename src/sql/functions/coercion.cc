// Implicit coercions (Trino's): integers widen, integers -> DECIMAL -> REAL -> DOUBLE, DATE ->
// TIMESTAMP, nested types member-wise. VARCHAR, VARBINARY and BOOLEAN only meet themselves.
// Untyped NULL literals are the binder's business (ArgumentInfo::is_null_literal): they carry no
// type here.
#include <algorithm>

#include "sql/functions/functions.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

namespace {

bool IsInteger(TypeId id) { return id >= TypeId::kInt8 && id <= TypeId::kInt64; }

// Exact numbers (integers and DECIMAL) as DECIMAL; others unchanged.
DataType AsDecimal(const DataType& t) { return internal::IntegerAsDecimal(t); }

DataType WidenDecimals(const DataType& a, const DataType& b) {
    const int scale = std::max(a.scale(), b.scale());
    const int integer_digits = std::max(a.precision() - a.scale(), b.precision() - b.scale());
    const int precision = std::min(columnar::kMaxDecimalPrecision, integer_digits + scale);
    return DataType::Decimal(precision, std::min(scale, precision));
}

bool IsExactNumber(TypeId id) { return IsInteger(id) || id == TypeId::kDecimal; }

Status Incompatible(const DataType& a, const DataType& b) {
    return Status::InvalidArgument("cannot combine " + SqlTypeName(a) + " and " + SqlTypeName(b));
}

Result<DataType> NestedSuperType(const DataType& a, const DataType& b) {
    if (a.num_fields() != b.num_fields()) return Incompatible(a, b);
    std::vector<Field> fields;
    fields.reserve(a.num_fields());
    for (size_t i = 0; i < a.num_fields(); ++i) {
        Field f = a.field(i);
        auto member = CommonSuperType(f.type, b.field(i).type);
        if (!member.ok()) return Incompatible(a, b);
        f.type = *member;
        f.nullable = f.nullable || b.field(i).nullable;
        fields.push_back(std::move(f));
    }
    switch (a.id()) {
        case TypeId::kStruct:
            return DataType::Struct(std::move(fields));
        case TypeId::kList:
            return DataType::List(std::move(fields[0]));
        default:
            return DataType::Map(std::move(fields[0]), std::move(fields[1]));
    }
}

}  // namespace

Result<DataType> CommonSuperType(const DataType& a, const DataType& b) {
    if (a.Equals(b, /*check_field_ids=*/false)) return a;
    const TypeId x = a.id();
    const TypeId y = b.id();
    if (IsInteger(x) && IsInteger(y)) return x > y ? a : b;  // ids are ordered by width
    if (IsExactNumber(x) && IsExactNumber(y)) return WidenDecimals(AsDecimal(a), AsDecimal(b));
    const bool a_number = IsExactNumber(x) || x == TypeId::kFloat || x == TypeId::kDouble;
    const bool b_number = IsExactNumber(y) || y == TypeId::kFloat || y == TypeId::kDouble;
    if (a_number && b_number) {
        return x == TypeId::kDouble || y == TypeId::kDouble ? DataType::Double()
                                                            : DataType::Float();
    }
    if ((x == TypeId::kDate && y == TypeId::kTimestamp) ||
        (x == TypeId::kTimestamp && y == TypeId::kDate)) {
        return DataType::Timestamp();
    }
    if (x == y && a.is_nested()) return NestedSuperType(a, b);
    return Incompatible(a, b);
}

bool CanCoerce(const DataType& from, const DataType& to) {
    if (from.Equals(to, /*check_field_ids=*/false)) return true;
    auto common = CommonSuperType(from, to);
    return common.ok() && common->Equals(to, /*check_field_ids=*/false);
}

}  // namespace tarn::sql
