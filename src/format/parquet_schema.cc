// columnar::Schema -> Parquet schema (the writer's direction). The reverse is in
// parquet_schema_read.cc.
#include "format/parquet_schema.h"

#include <string>
#include <utility>
#include <vector>

namespace tarn::format {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

const char* ValueConversionName(ValueConversion c) {
    switch (c) {
        case ValueConversion::kNone:
            return "NONE";
        case ValueConversion::kInt32ToInt8:
            return "INT32_TO_INT8";
        case ValueConversion::kInt32ToInt16:
            return "INT32_TO_INT16";
        case ValueConversion::kInt32ToInt64:
            return "INT32_TO_INT64";
        case ValueConversion::kUint32ToInt16:
            return "UINT32_TO_INT16";
        case ValueConversion::kUint32ToInt32:
            return "UINT32_TO_INT32";
        case ValueConversion::kUint32ToInt64:
            return "UINT32_TO_INT64";
        case ValueConversion::kUint64ToInt128:
            return "UINT64_TO_INT128";
        case ValueConversion::kInt64ToInt128:
            return "INT64_TO_INT128";
        case ValueConversion::kBigEndianDecimal:
            return "BIG_ENDIAN_DECIMAL";
        case ValueConversion::kMillisToMicros:
            return "MILLIS_TO_MICROS";
        case ValueConversion::kNanosToMicros:
            return "NANOS_TO_MICROS";
        case ValueConversion::kInt96ToMicros:
            return "INT96_TO_MICROS";
        case ValueConversion::kInt32ToInt64Micros:
            return "INT32_TO_INT64_MICROS";
        case ValueConversion::kUuidToText:
            return "UUID_TO_TEXT";
        case ValueConversion::kFloat16ToFloat:
            return "FLOAT16_TO_FLOAT";
    }
    return "UNKNOWN";
}

std::string ParquetColumn::PathString() const {
    std::string out;
    for (size_t i = 0; i < path.size(); ++i) {
        if (i > 0) out += '.';
        out += path[i];
    }
    return out;
}

int32_t DecimalByteLength(int precision) {
    // The least n with 2^(8n - 1) > 10^precision - 1, i.e. 8n - 1 >= bits of (10^p - 1).
    columnar::uint128_t max = 1;
    for (int i = 0; i < precision; ++i) max *= 10;
    max -= 1;
    int bits = 0;
    while (max != 0) {
        ++bits;
        max >>= 1;
    }
    return (bits + 1 + 7) / 8;  // + the sign bit
}

namespace {

using R = FieldRepetitionType;
using K = LogicalType::Kind;

using Context = parquet_schema_internal::WalkContext;

class Builder {
public:
    explicit Builder(ParquetSchema* out) : out_(out) {}

    void AddField(const Field& f, const std::string& name, Context ctx) {
        const TypeId id = f.type.id();
        ColumnStep step{.kind = id, .optional = f.nullable};
        step.def_level = static_cast<int16_t>(ctx.def + (f.nullable ? 1 : 0));
        SchemaElement e;
        e.name = name;
        e.repetition_type = f.nullable ? R::kOptional : R::kRequired;
        if (f.field_id >= 0) e.field_id = f.field_id;
        ctx.path.push_back(name);
        ctx.def = step.def_level;
        switch (id) {
            case TypeId::kStruct: {
                e.num_children = static_cast<int32_t>(f.type.num_fields());
                out_->elements.push_back(std::move(e));
                for (size_t i = 0; i < f.type.num_fields(); ++i) {
                    Context c = ctx;
                    step.child = static_cast<uint16_t>(i);
                    c.steps.push_back(step);
                    AddField(f.type.field(i), f.type.field(i).name, std::move(c));
                }
                return;
            }
            case TypeId::kList:
            case TypeId::kMap: {
                const bool is_list = id == TypeId::kList;
                e.num_children = 1;
                e.converted_type = is_list ? ConvertedType::kList : ConvertedType::kMap;
                e.logical_type = LogicalType::Of(is_list ? K::kList : K::kMap);
                out_->elements.push_back(std::move(e));
                SchemaElement middle;
                middle.name = is_list ? "list" : "key_value";
                middle.repetition_type = R::kRepeated;
                middle.num_children = is_list ? 1 : 2;
                out_->elements.push_back(std::move(middle));
                step.rep_level = static_cast<int16_t>(ctx.rep + 1);
                ctx.path.emplace_back(is_list ? "list" : "key_value");
                ctx.def = static_cast<int16_t>(ctx.def + 1);
                ctx.rep = step.rep_level;
                for (size_t i = 0; i < f.type.num_fields(); ++i) {
                    Context c = ctx;
                    step.child = static_cast<uint16_t>(i);
                    c.steps.push_back(step);
                    const char* child_name = is_list ? "element" : (i == 0 ? "key" : "value");
                    AddField(f.type.field(i), child_name, std::move(c));
                }
                return;
            }
            default:
                break;
        }
        ParquetColumn col;
        SetLeafType(f.type, &e, &col);
        col.type = f.type;
        col.path = std::move(ctx.path);
        col.max_def_level = ctx.def;
        col.max_rep_level = ctx.rep;
        col.field_index = ctx.field_index;
        col.schema_element = out_->elements.size();
        col.steps = std::move(ctx.steps);
        col.steps.push_back(step);
        out_->elements.push_back(std::move(e));
        out_->columns.push_back(std::move(col));
    }

private:
    static void SetLeafType(const DataType& t, SchemaElement* e, ParquetColumn* col) {
        auto set = [&](Type type) {
            e->type = type;
            col->physical_type = type;
        };
        switch (t.id()) {
            case TypeId::kBoolean:
                set(Type::kBoolean);
                break;
            case TypeId::kInt8:
            case TypeId::kInt16: {
                const bool is8 = t.id() == TypeId::kInt8;
                set(Type::kInt32);
                e->converted_type = is8 ? ConvertedType::kInt8 : ConvertedType::kInt16;
                e->logical_type = LogicalType::Integer(is8 ? 8 : 16, true);
                break;
            }
            case TypeId::kInt32:
                set(Type::kInt32);
                break;
            case TypeId::kInt64:
                set(Type::kInt64);
                break;
            case TypeId::kFloat:
                set(Type::kFloat);
                break;
            case TypeId::kDouble:
                set(Type::kDouble);
                break;
            case TypeId::kDecimal: {
                const int p = t.precision();
                if (p <= 9) {
                    set(Type::kInt32);
                } else if (p <= columnar::kMaxDecimal64Precision) {
                    set(Type::kInt64);
                } else {
                    set(Type::kFixedLenByteArray);
                    e->type_length = DecimalByteLength(p);
                    col->type_length = *e->type_length;
                }
                e->converted_type = ConvertedType::kDecimal;
                e->scale = t.scale();
                e->precision = p;
                e->logical_type = LogicalType::Decimal(t.scale(), p);
                break;
            }
            case TypeId::kVarchar:
                set(Type::kByteArray);
                e->converted_type = ConvertedType::kUtf8;
                e->logical_type = LogicalType::Of(K::kString);
                break;
            case TypeId::kVarbinary:
                set(Type::kByteArray);
                break;
            case TypeId::kDate:
                set(Type::kInt32);
                e->converted_type = ConvertedType::kDate;
                e->logical_type = LogicalType::Of(K::kDate);
                break;
            case TypeId::kTimestamp:
                set(Type::kInt64);
                e->converted_type = ConvertedType::kTimestampMicros;
                e->logical_type = LogicalType::Timestamp(false, TimeUnit::kMicros);
                break;
            case TypeId::kStruct:
            case TypeId::kList:
            case TypeId::kMap:
                break;  // not leaves
        }
    }

    ParquetSchema* out_;
};

}  // namespace

ParquetSchema ToParquetSchema(const columnar::Schema& schema) {
    ParquetSchema out;
    out.schema = schema;
    SchemaElement root;
    root.name = "schema";
    root.num_children = static_cast<int32_t>(schema.num_fields());
    out.elements.push_back(std::move(root));
    Builder builder(&out);
    for (size_t i = 0; i < schema.num_fields(); ++i) {
        Context ctx;
        ctx.field_index = i;
        builder.AddField(schema.field(i), schema.field(i).name, std::move(ctx));
    }
    return out;
}

}  // namespace tarn::format
