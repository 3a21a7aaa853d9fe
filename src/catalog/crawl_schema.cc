// The crawl scan's schema merging: Parquet types widen, inferred JSON/CSV types go through the
// lattice of format/type_inference.h, and both end as catalog columns in Hive spelling.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "catalog/crawl_internal.h"
#include "columnar/type_parser.h"
#include "common/text.h"

namespace tarn::catalog::crawl {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;
using format::InferredType;

// Decimal digits an integer type can need: its rank in the tinyint < ... < bigint chain is the
// index; 0 for a non-integer.
int IntegerDigits(TypeId id) {
    switch (id) {
        case TypeId::kInt8:
            return 3;
        case TypeId::kInt16:
            return 5;
        case TypeId::kInt32:
            return 10;
        case TypeId::kInt64:
            return 19;
        default:
            return 0;
    }
}

bool IsFloating(TypeId id) { return id == TypeId::kFloat || id == TypeId::kDouble; }

// DECIMAL holding both (integer digits and scale of each), or DOUBLE beyond 38 digits.
DataType WidenDecimal(int int_digits_a, int scale_a, int int_digits_b, int scale_b) {
    const int scale = std::max(scale_a, scale_b);
    const int precision = std::max(int_digits_a, int_digits_b) + scale;
    if (precision > columnar::kMaxDecimalPrecision) return DataType::Double();
    return DataType::Decimal(precision, scale);
}

// Both numbers: the least number type holding both.
DataType WidenNumbers(const DataType& a, const DataType& b) {
    const int da = IntegerDigits(a.id()), db = IntegerDigits(b.id());
    if (da > 0 && db > 0) return da >= db ? a : b;
    if (IsFloating(a.id()) || IsFloating(b.id())) return DataType::Double();
    // One or both DECIMAL, the other an integer or DECIMAL.
    const int ia = da > 0 ? da : a.precision() - a.scale();
    const int ib = db > 0 ? db : b.precision() - b.scale();
    return WidenDecimal(ia, a.scale(), ib, b.scale());
}

bool IsNumber(TypeId id) {
    return IntegerDigits(id) > 0 || IsFloating(id) || id == TypeId::kDecimal;
}

DataType WidenStructs(const DataType& a, const DataType& b) {
    std::vector<Field> fields(a.fields().begin(), a.fields().end());
    for (const Field& f : b.fields()) {
        auto same = std::find_if(fields.begin(), fields.end(),
                                 [&](const Field& g) { return g.name == f.name; });
        if (same == fields.end()) {
            fields.push_back(Field{f.name, f.type});
        } else {
            same->type = WidenType(same->type, f.type);
        }
    }
    for (Field& f : fields) f.nullable = true;
    return DataType::Struct(std::move(fields));
}

DataType InferredToDataType(const InferredType& t) {
    switch (t.kind) {
        case InferredType::Kind::kStruct: {
            // An object only ever seen empty has no Hive type: its JSON text is the value.
            if (t.fields.empty()) return DataType::Varchar();
            std::vector<Field> fields;
            for (const auto& [name, type] : t.fields) {
                fields.push_back(Field{name, InferredToDataType(type)});
            }
            return DataType::Struct(std::move(fields));
        }
        case InferredType::Kind::kList:
            return DataType::List(InferredToDataType(t.element.at(0)));
        default:
            return t.ToDataType();
    }
}

}  // namespace

DataType WidenType(const DataType& a, const DataType& b) {
    // Nullability and field ids do not matter to a Hive type: compare the spelling.
    if (columnar::HiveTypeName(a) == columnar::HiveTypeName(b)) return a;
    if (IsNumber(a.id()) && IsNumber(b.id())) return WidenNumbers(a, b);
    if (a.id() != b.id()) {
        const bool dates = (a.id() == TypeId::kDate || a.id() == TypeId::kTimestamp) &&
                           (b.id() == TypeId::kDate || b.id() == TypeId::kTimestamp);
        return dates ? DataType::Timestamp() : DataType::Varchar();
    }
    switch (a.id()) {
        case TypeId::kStruct:
            return WidenStructs(a, b);
        case TypeId::kList:
            return DataType::List(WidenType(a.element_field().type, b.element_field().type));
        case TypeId::kMap:
            return DataType::Map(WidenType(a.key_field().type, b.key_field().type),
                                 WidenType(a.value_field().type, b.value_field().type));
        default:
            return DataType::Varchar();
    }
}

void MergeFields(const std::vector<Field>& more, std::vector<Field>* into) {
    for (const Field& f : more) {
        const std::string name = AsciiLower(f.name);
        auto same = std::find_if(into->begin(), into->end(),
                                 [&](const Field& g) { return g.name == name; });
        if (same == into->end()) {
            into->push_back(Field{name, f.type});
        } else {
            same->type = WidenType(same->type, f.type);
        }
    }
}

InferredType InferredOfCsvType(const DataType& type) {
    switch (type.id()) {
        case TypeId::kBoolean:
            return InferredType::Scalar(InferredType::Kind::kBoolean);
        case TypeId::kInt8:
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
            return InferredType::Scalar(InferredType::Kind::kBigint);
        case TypeId::kFloat:
        case TypeId::kDouble:
            return InferredType::Scalar(InferredType::Kind::kDouble);
        case TypeId::kDecimal:
            return InferredType::Scalar(InferredType::Kind::kDecimal38);
        case TypeId::kDate:
            return InferredType::Scalar(InferredType::Kind::kDate);
        case TypeId::kTimestamp:
            return InferredType::Scalar(InferredType::Kind::kTimestamp);
        default:
            return InferredType::Scalar(InferredType::Kind::kString);
    }
}

InferredType LowerCaseTopLevel(const InferredType& type) {
    InferredType out = InferredType::Struct({});
    for (const auto& [name, field_type] : type.fields) {
        const std::string lower = AsciiLower(name);
        auto same = std::find_if(out.fields.begin(), out.fields.end(),
                                 [&](const auto& f) { return f.first == lower; });
        if (same == out.fields.end()) {
            out.fields.emplace_back(lower, field_type);
        } else {
            same->second.Merge(field_type);
        }
    }
    return out;
}

std::vector<Column> ColumnsOfInferred(const InferredType& merged) {
    std::vector<Column> columns;
    for (const auto& [name, type] : merged.fields) {
        columns.push_back(Column{name, columnar::HiveTypeName(InferredToDataType(type)), ""});
    }
    return columns;
}

std::vector<Column> ColumnsOfFields(const std::vector<Field>& fields) {
    std::vector<Column> columns;
    for (const Field& f : fields) {
        columns.push_back(Column{f.name, columnar::HiveTypeName(f.type), ""});
    }
    return columns;
}

}  // namespace tarn::catalog::crawl
