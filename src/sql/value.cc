// Value: constructors, literal text, and the conversions to and from one vector slot.
#include "sql/value.h"

#include <cassert>
#include <cmath>

#include "columnar/value_format.h"

namespace tarn::sql {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;
using columnar::TypeId;

Value Value::Null(DataType type) {
    Value v;
    v.type = std::move(type);
    return v;
}

Value Value::NullLiteral() {
    Value v;
    v.is_null_literal = true;
    return v;
}

Value Value::Boolean(bool b) {
    Value v;
    v.is_null = false;
    v.data = b;
    return v;
}

Value Value::Int(DataType type, int64_t i) {
    Value v;
    v.type = std::move(type);
    v.is_null = false;
    v.data = i;
    return v;
}

Value Value::Double(double d) {
    Value v;
    v.type = DataType::Double();
    v.is_null = false;
    v.data = d;
    return v;
}

Value Value::Decimal(int precision, int scale, int128_t unscaled) {
    Value v;
    v.type = DataType::Decimal(precision, scale);
    v.is_null = false;
    v.data = unscaled;
    return v;
}

Value Value::Varchar(std::string s) {
    Value v;
    v.type = DataType::Varchar();
    v.is_null = false;
    v.data = std::move(s);
    return v;
}

Value Value::Date(int64_t days) { return Int(DataType::Date(), days); }

Value Value::Timestamp(int64_t micros) { return Int(DataType::Timestamp(), micros); }

namespace {

void AppendQuoted(std::string_view text, std::string* out) {
    out->push_back('\'');
    for (char c : text) {
        if (c == '\'') out->push_back('\'');
        out->push_back(c);
    }
    out->push_back('\'');
}

void AppendDoubleLiteral(double d, std::string* out) {
    if (std::isnan(d)) {
        *out += "nan()";
    } else if (std::isinf(d)) {
        *out += d > 0 ? "infinity()" : "-infinity()";
    } else {
        const size_t start = out->size();
        columnar::AppendDouble(d, out);
        // Without an exponent the text would read back as a DECIMAL literal.
        if (out->find_first_of("eE", start) == std::string::npos) *out += "E0";
    }
}

}  // namespace

std::string Value::ToSql() const {
    if (is_null) return "NULL";
    std::string out;
    switch (type.id()) {
        case TypeId::kBoolean:
            return AsBool() ? "TRUE" : "FALSE";
        case TypeId::kInt8:
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
            return std::to_string(AsInt());
        case TypeId::kFloat:
            out = "REAL '";
            columnar::AppendFloat(static_cast<float>(AsDouble()), &out);
            out += "'";
            return out;
        case TypeId::kDouble:
            AppendDoubleLiteral(AsDouble(), &out);
            return out;
        case TypeId::kDecimal:
            out = "DECIMAL '";
            columnar::AppendDecimal(AsInt128(), type.scale(), &out);
            out += "'";
            return out;
        case TypeId::kVarchar:
            AppendQuoted(AsString(), &out);
            return out;
        case TypeId::kVarbinary: {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out = "X'";
            for (unsigned char c : AsString()) {
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
            }
            out += "'";
            return out;
        }
        case TypeId::kDate:
            out = "DATE '";
            columnar::AppendDate(static_cast<int32_t>(AsInt()), &out);
            out += "'";
            return out;
        case TypeId::kTimestamp:
            out = "TIMESTAMP '";
            columnar::AppendTimestamp(AsInt(), &out);
            out += "'";
            return out;
        default:
            return "NULL";  // nested values are never held as Values
    }
}

void AppendValue(const Value& value, ColumnVector* out) {
    if (value.is_null) {
        out->AppendNull();
        return;
    }
    switch (out->type_id()) {
        case TypeId::kBoolean:
            out->Append<uint8_t>(value.AsBool() ? 1 : 0);
            break;
        case TypeId::kInt8:
            out->Append<int8_t>(static_cast<int8_t>(value.AsInt()));
            break;
        case TypeId::kInt16:
            out->Append<int16_t>(static_cast<int16_t>(value.AsInt()));
            break;
        case TypeId::kInt32:
            out->Append<int32_t>(static_cast<int32_t>(value.AsInt()));
            break;
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            out->Append<int64_t>(value.AsInt());
            break;
        case TypeId::kDate:
            out->Append<int32_t>(static_cast<int32_t>(value.AsInt()));
            break;
        case TypeId::kFloat:
            out->Append<float>(static_cast<float>(value.AsDouble()));
            break;
        case TypeId::kDouble:
            out->Append<double>(value.AsDouble());
            break;
        case TypeId::kDecimal:
            if (out->type().precision() <= columnar::kMaxDecimal64Precision) {
                out->Append<int64_t>(static_cast<int64_t>(value.AsInt128()));
            } else {
                out->Append<int128_t>(value.AsInt128());
            }
            break;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            out->AppendString(value.AsString());
            break;
        default:
            assert(false && "AppendValue: nested type");
            out->AppendNull();
    }
}

Value ValueAt(const ColumnVector& col, size_t row) {
    const DataType& type = col.type();
    if (col.IsNull(row)) return Value::Null(type);
    switch (type.id()) {
        case TypeId::kBoolean:
            return Value::Boolean(col.Value<uint8_t>(row) != 0);
        case TypeId::kInt8:
            return Value::Int(type, col.Value<int8_t>(row));
        case TypeId::kInt16:
            return Value::Int(type, col.Value<int16_t>(row));
        case TypeId::kInt32:
            return Value::Int(type, col.Value<int32_t>(row));
        case TypeId::kInt64:
            return Value::Int(type, col.Value<int64_t>(row));
        case TypeId::kFloat: {
            Value v = Value::Double(col.Value<float>(row));
            v.type = type;
            return v;
        }
        case TypeId::kDouble:
            return Value::Double(col.Value<double>(row));
        case TypeId::kDecimal: {
            const int128_t unscaled = type.precision() <= columnar::kMaxDecimal64Precision
                                          ? col.Value<int64_t>(row)
                                          : col.Value<int128_t>(row);
            return Value::Decimal(type.precision(), type.scale(), unscaled);
        }
        case TypeId::kVarchar:
        case TypeId::kVarbinary: {
            Value v = Value::Varchar(std::string(col.GetString(row)));
            v.type = type;
            return v;
        }
        case TypeId::kDate:
            return Value::Date(col.Value<int32_t>(row));
        case TypeId::kTimestamp:
            return Value::Timestamp(col.Value<int64_t>(row));
        default:
            assert(false && "ValueAt: nested type");
            return Value::Null(type);
    }
}

}  // namespace tarn::sql
