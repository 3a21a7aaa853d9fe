// Parquet schema -> columnar::Schema + leaf columns (the reader's direction), with the spec's
// backward-compatibility rules for lists, maps and legacy annotations (see parquet_schema.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format/parquet_schema.h"

namespace tarn::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;
using K = LogicalType::Kind;
using R = FieldRepetitionType;

// Deeper schemas are refused (the flattened tree is untrusted input; conversion recurses).
constexpr int kMaxSchemaDepth = 100;
// LogicalType members tarn knows by id but does not model by name in parquet_metadata.h.
constexpr int16_t kFloat16Kind = 15;

struct Node {
    size_t element = 0;
    std::vector<size_t> children;  // node indices
};

using Context = parquet_schema_internal::WalkContext;

struct LeafType {
    DataType type;
    ValueConversion conversion = ValueConversion::kNone;
};

std::string Quote(const std::vector<std::string>& path, const std::string& name) {
    std::string out = "Parquet column '";
    for (const std::string& p : path) out += p + ".";
    out += name + "'";
    return out;
}

// The LogicalType a legacy ConvertedType stands for; nullopt for none. DECIMAL takes its scale and
// precision from the element.
Result<std::optional<LogicalType>> FromConvertedType(const SchemaElement& e) {
    if (!e.converted_type) return std::optional<LogicalType>();
    switch (*e.converted_type) {
        case ConvertedType::kUtf8:
            return std::optional(LogicalType::Of(K::kString));
        case ConvertedType::kMap:
        case ConvertedType::kMapKeyValue:
            return std::optional(LogicalType::Of(K::kMap));
        case ConvertedType::kList:
            return std::optional(LogicalType::Of(K::kList));
        case ConvertedType::kEnum:
            return std::optional(LogicalType::Of(K::kEnum));
        case ConvertedType::kDecimal:
            if (!e.precision) {
                return Status::Corruption("DECIMAL without precision on '" + e.name + "'");
            }
            return std::optional(LogicalType::Decimal(e.scale.value_or(0), *e.precision));
        case ConvertedType::kDate:
            return std::optional(LogicalType::Of(K::kDate));
        case ConvertedType::kTimeMillis:
            return std::optional(LogicalType::Time(true, TimeUnit::kMillis));
        case ConvertedType::kTimeMicros:
            return std::optional(LogicalType::Time(true, TimeUnit::kMicros));
        case ConvertedType::kTimestampMillis:
            return std::optional(LogicalType::Timestamp(true, TimeUnit::kMillis));
        case ConvertedType::kTimestampMicros:
            return std::optional(LogicalType::Timestamp(true, TimeUnit::kMicros));
        case ConvertedType::kUint8:
            return std::optional(LogicalType::Integer(8, false));
        case ConvertedType::kUint16:
            return std::optional(LogicalType::Integer(16, false));
        case ConvertedType::kUint32:
            return std::optional(LogicalType::Integer(32, false));
        case ConvertedType::kUint64:
            return std::optional(LogicalType::Integer(64, false));
        case ConvertedType::kInt8:
            return std::optional(LogicalType::Integer(8, true));
        case ConvertedType::kInt16:
            return std::optional(LogicalType::Integer(16, true));
        case ConvertedType::kInt32:
            return std::optional(LogicalType::Integer(32, true));
        case ConvertedType::kInt64:
            return std::optional(LogicalType::Integer(64, true));
        case ConvertedType::kJson:
            return std::optional(LogicalType::Of(K::kJson));
        case ConvertedType::kBson:
            return std::optional(LogicalType::Of(K::kBson));
        case ConvertedType::kInterval:
            return Status::Unimplemented("INTERVAL columns are not supported ('" + e.name + "')");
    }
    return Status::Corruption("unknown ConvertedType " +
                              std::to_string(static_cast<int32_t>(*e.converted_type)) + " on '" +
                              e.name + "'");
}

// The annotation that decides the type: the LogicalType when present, else the ConvertedType's.
Result<std::optional<LogicalType>> Annotation(const SchemaElement& e) {
    if (e.logical_type) return std::optional(*e.logical_type);
    return FromConvertedType(e);
}

class Converter {
public:
    Converter(const std::vector<SchemaElement>& elements, const ParquetSchemaOptions& options)
        : el_(elements), options_(options) {}

    Result<ParquetSchema> Run() {
        if (el_.empty()) return Status::Corruption("Parquet schema has no root element");
        if (!el_[0].num_children || *el_[0].num_children < 0) {
            return Status::Corruption("Parquet schema root '" + el_[0].name + "' is not a group");
        }
        size_t pos = 0;
        TARN_ASSIGN_OR_RETURN(const size_t root, Parse(&pos, 0));
        if (pos != el_.size()) {
            return Status::Corruption("Parquet schema has " + std::to_string(el_.size() - pos) +
                                      " elements after the end of the root's tree");
        }
        std::vector<Field> fields;
        const std::vector<size_t> top = nodes_[root].children;
        for (size_t i = 0; i < top.size(); ++i) {
            Context ctx;
            ctx.field_index = i;
            TARN_ASSIGN_OR_RETURN(Field f, ConvertField(top[i], std::move(ctx), false));
            fields.push_back(std::move(f));
        }
        auto schema = columnar::Schema::Make(std::move(fields));
        if (!schema.ok()) {
            return Status::Corruption("Parquet schema does not map to a valid schema: " +
                                      schema.status().message());
        }
        ParquetSchema out;
        out.schema = std::move(*schema);
        out.elements = el_;
        out.columns = std::move(columns_);
        return out;
    }

private:
    const SchemaElement& E(size_t node) const { return el_[nodes_[node].element]; }

    static bool IsGroup(const SchemaElement& e) {
        return e.num_children.has_value() && (*e.num_children > 0 || !e.type.has_value());
    }

    // Builds the tree of the subtree starting at el_[*pos]; returns its node index.
    Result<size_t> Parse(size_t* pos, int depth) {
        if (depth > kMaxSchemaDepth) {
            return Status::Unimplemented("Parquet schema is nested deeper than " +
                                         std::to_string(kMaxSchemaDepth) + " levels");
        }
        const size_t index = *pos;
        const SchemaElement& e = el_[index];
        ++*pos;
        const size_t node = nodes_.size();
        nodes_.push_back(Node{.element = index});
        if (!IsGroup(e)) {
            if (!e.type) {
                return Status::Corruption("Parquet schema element '" + e.name +
                                          "' has neither a type nor children");
            }
            return node;
        }
        const auto n = static_cast<size_t>(*e.num_children);
        if (*e.num_children < 0 || n > el_.size() - *pos) {
            return Status::Corruption("Parquet schema element '" + e.name + "' claims " +
                                      std::to_string(*e.num_children) + " children but " +
                                      std::to_string(el_.size() - *pos) + " elements follow");
        }
        for (size_t i = 0; i < n; ++i) {
            if (*pos >= el_.size()) {
                return Status::Corruption("Parquet schema ends inside group '" + e.name + "'");
            }
            TARN_ASSIGN_OR_RETURN(const size_t child, Parse(pos, depth + 1));
            nodes_[node].children.push_back(child);
        }
        return node;
    }

    // The field for `node`. With `as_element`, the node is the (required) element of an
    // enclosing list whose repetition it carries, so its own REPEATED does not count.
    Result<Field> ConvertField(size_t node, Context ctx, bool as_element) {
        const SchemaElement& e = E(node);
        if (!e.repetition_type) {
            return Status::Corruption(Quote(ctx.path, e.name) + " has no repetition type");
        }
        R rep = *e.repetition_type;
        if (as_element) {
            rep = R::kRequired;
        } else if (rep == R::kRepeated) {
            return RepeatedAsList(node, std::move(ctx));
        }
        if (rep != R::kRequired && rep != R::kOptional) {
            return Status::Corruption(Quote(ctx.path, e.name) + " has repetition type " +
                                      std::to_string(static_cast<int32_t>(rep)));
        }
        const bool optional = rep == R::kOptional;
        ColumnStep step{.optional = optional};
        step.def_level = static_cast<int16_t>(ctx.def + (optional ? 1 : 0));
        Field field{.name = e.name, .type = DataType::Int32(), .nullable = optional};
        if (e.field_id) field.field_id = *e.field_id;

        if (!IsGroup(e)) {
            TARN_ASSIGN_OR_RETURN(LeafType leaf, MapLeaf(e, ctx.path));
            step.kind = leaf.type.id();
            ParquetColumn col;
            col.path = std::move(ctx.path);
            col.path.push_back(e.name);
            col.physical_type = *e.type;
            col.type_length = e.type == Type::kFixedLenByteArray ? e.type_length.value_or(0) : 0;
            col.max_def_level = step.def_level;
            col.max_rep_level = ctx.rep;
            col.type = leaf.type;
            col.conversion = leaf.conversion;
            col.field_index = ctx.field_index;
            col.schema_element = nodes_[node].element;
            col.steps = std::move(ctx.steps);
            col.steps.push_back(step);
            columns_.push_back(std::move(col));
            field.type = std::move(leaf.type);
            return field;
        }

        TARN_ASSIGN_OR_RETURN(std::optional<LogicalType> ann, Annotation(e));
        ctx.path.push_back(e.name);
        ctx.def = step.def_level;
        if (ann && ann->kind == K::kList) {
            TARN_ASSIGN_OR_RETURN(field.type, ConvertList(node, step, std::move(ctx)));
            return field;
        }
        if (ann && ann->kind == K::kMap) {
            TARN_ASSIGN_OR_RETURN(field.type, ConvertMap(node, step, std::move(ctx)));
            return field;
        }
        if (ann) {
            return Status::Unimplemented(Quote({}, e.name) + ": group annotated with logical " +
                                         "type " + std::to_string(static_cast<int>(ann->kind)) +
                                         " is not supported");
        }
        const std::vector<size_t>& kids = nodes_[node].children;
        if (kids.empty()) {
            return Status::Unimplemented(Quote({}, e.name) + " is an empty group");
        }
        step.kind = TypeId::kStruct;
        std::vector<Field> members;
        for (size_t i = 0; i < kids.size(); ++i) {
            Context c = ctx;
            step.child = static_cast<uint16_t>(i);
            c.steps.push_back(step);
            TARN_ASSIGN_OR_RETURN(Field m, ConvertField(kids[i], std::move(c), false));
            members.push_back(std::move(m));
        }
        field.type = DataType::Struct(std::move(members));
        return field;
    }

    // A repeated field outside a LIST/MAP group: a required list of required elements.
    Result<Field> RepeatedAsList(size_t node, Context ctx) {
        const SchemaElement& e = E(node);
        ColumnStep step{.kind = TypeId::kList, .optional = false, .def_level = ctx.def};
        step.rep_level = static_cast<int16_t>(ctx.rep + 1);
        ctx.steps.push_back(step);
        ctx.def = static_cast<int16_t>(ctx.def + 1);
        ctx.rep = step.rep_level;
        TARN_ASSIGN_OR_RETURN(Field element, ConvertField(node, std::move(ctx), true));
        Field list{.name = e.name, .type = DataType::Int32(), .nullable = false};
        // The id names the repeated field, which is the list; its element has none.
        list.field_id = element.field_id;
        element.field_id = columnar::kNoFieldId;
        list.type = DataType::List(std::move(element));
        return list;
    }

    // `ctx` already holds the LIST group's name and definition level.
    Result<DataType> ConvertList(size_t node, ColumnStep step, Context ctx) {
        const SchemaElement& e = E(node);
        const std::vector<size_t>& kids = nodes_[node].children;
        if (kids.size() != 1 || E(kids[0]).repetition_type != R::kRepeated) {
            return Status::Corruption(Quote({}, e.name) +
                                      ": a LIST group must hold exactly one repeated field");
        }
        const size_t r = kids[0];
        const SchemaElement& re = E(r);
        const std::vector<size_t>& rkids = nodes_[r].children;
        const bool element_is_repeated =
            !IsGroup(re) || rkids.size() > 1 ||
            (rkids.size() == 1 && E(rkids[0]).repetition_type == R::kRepeated) ||
            re.name == "array" || re.name == e.name + "_tuple";
        step.kind = TypeId::kList;
        step.rep_level = static_cast<int16_t>(ctx.rep + 1);
        ctx.steps.push_back(step);
        ctx.def = static_cast<int16_t>(ctx.def + 1);
        ctx.rep = step.rep_level;
        if (element_is_repeated) {  // 2-level: the repeated field is the required element
            TARN_ASSIGN_OR_RETURN(Field element, ConvertField(r, std::move(ctx), true));
            return DataType::List(std::move(element));
        }
        if (rkids.empty()) {
            return Status::Unimplemented(Quote(ctx.path, re.name) + " is an empty group");
        }
        ctx.path.push_back(re.name);
        TARN_ASSIGN_OR_RETURN(Field element, ConvertField(rkids[0], std::move(ctx), false));
        return DataType::List(std::move(element));
    }

    Result<DataType> ConvertMap(size_t node, ColumnStep step, Context ctx) {
        const SchemaElement& e = E(node);
        const std::vector<size_t>& kids = nodes_[node].children;
        if (kids.size() != 1 || E(kids[0]).repetition_type != R::kRepeated ||
            !IsGroup(E(kids[0])) || nodes_[kids[0]].children.empty() ||
            nodes_[kids[0]].children.size() > 2) {
            return Status::Corruption(Quote({}, e.name) +
                                      ": a MAP group must hold one repeated group of a key and "
                                      "an optional value");
        }
        const size_t kv = kids[0];
        const std::vector<size_t>& kvkids = nodes_[kv].children;
        step.kind = kvkids.size() == 2 ? TypeId::kMap : TypeId::kList;
        step.rep_level = static_cast<int16_t>(ctx.rep + 1);
        ctx.path.push_back(E(kv).name);
        ctx.def = static_cast<int16_t>(ctx.def + 1);
        ctx.rep = step.rep_level;
        std::vector<Field> parts;
        for (size_t i = 0; i < kvkids.size(); ++i) {
            Context c = ctx;
            step.child = static_cast<uint16_t>(i);
            c.steps.push_back(step);
            TARN_ASSIGN_OR_RETURN(Field f, ConvertField(kvkids[i], std::move(c), false));
            parts.push_back(std::move(f));
        }
        if (parts.size() == 1) {  // a set of keys
            parts[0].nullable = false;
            return DataType::List(std::move(parts[0]));
        }
        parts[0].nullable = false;  // columnar map keys are never null; see the header
        return DataType::Map(std::move(parts[0]), std::move(parts[1]));
    }

    Result<LeafType> MapLeaf(const SchemaElement& e, const std::vector<std::string>& path) {
        const Type pt = *e.type;
        const std::string where = Quote(path, e.name);
        auto bad = [&](const std::string& what) { return Status::Corruption(where + ": " + what); };
        if (pt == Type::kFixedLenByteArray && e.type_length.value_or(0) <= 0) {
            return bad("FIXED_LEN_BYTE_ARRAY without a positive type_length");
        }
        TARN_ASSIGN_OR_RETURN(std::optional<LogicalType> ann, Annotation(e));
        const int32_t flba_len = e.type_length.value_or(0);
        using VC = ValueConversion;
        auto plain = [&]() -> Result<LeafType> {
            switch (pt) {
                case Type::kBoolean:
                    return LeafType{DataType::Boolean()};
                case Type::kInt32:
                    return LeafType{DataType::Int32()};
                case Type::kInt64:
                    return LeafType{DataType::Int64()};
                case Type::kInt96:
                    return LeafType{DataType::Timestamp(), VC::kInt96ToMicros};
                case Type::kFloat:
                    return LeafType{DataType::Float()};
                case Type::kDouble:
                    return LeafType{DataType::Double()};
                case Type::kByteArray:
                case Type::kFixedLenByteArray:
                    return LeafType{options_.binary_as_string ? DataType::Varchar()
                                                              : DataType::Varbinary()};
            }
            return bad("unknown physical type " + std::to_string(static_cast<int32_t>(pt)));
        };
        if (!ann || ann->kind == K::kUnknown) return plain();
        switch (ann->kind) {
            case K::kString:
            case K::kEnum:
            case K::kJson:
                if (pt != Type::kByteArray) return bad("string annotation on a non-binary type");
                return LeafType{DataType::Varchar()};
            case K::kBson:
                if (pt != Type::kByteArray) return bad("BSON annotation on a non-binary type");
                return LeafType{DataType::Varbinary()};
            case K::kUuid:
                if (pt != Type::kFixedLenByteArray || flba_len != 16) {
                    return bad("UUID must annotate fixed_len_byte_array(16)");
                }
                return LeafType{DataType::Varchar(), VC::kUuidToText};
            case K::kInteger: {
                const int bw = ann->bit_width;
                if (bw != 8 && bw != 16 && bw != 32 && bw != 64) {
                    return bad("INT annotation with bit width " + std::to_string(bw));
                }
                if ((bw == 64) != (pt == Type::kInt64) || (bw < 64 && pt != Type::kInt32)) {
                    return bad("INT(" + std::to_string(bw) + ") on the wrong physical type");
                }
                if (ann->is_signed) {
                    switch (bw) {
                        case 8:
                            return LeafType{DataType::Int8(), VC::kInt32ToInt8};
                        case 16:
                            return LeafType{DataType::Int16(), VC::kInt32ToInt16};
                        case 32:
                            return LeafType{DataType::Int32()};
                        default:
                            return LeafType{DataType::Int64()};
                    }
                }
                switch (bw) {
                    case 8:
                        return LeafType{DataType::Int16(), VC::kUint32ToInt16};
                    case 16:
                        return LeafType{DataType::Int32(), VC::kUint32ToInt32};
                    case 32:
                        return LeafType{DataType::Int64(), VC::kUint32ToInt64};
                    default:
                        return LeafType{DataType::Decimal(20, 0), VC::kUint64ToInt128};
                }
            }
            case K::kDecimal: {
                const int p = ann->precision;
                const int s = ann->scale;
                if (p < 1 || s < 0 || s > p) {
                    return bad("DECIMAL(" + std::to_string(p) + ", " + std::to_string(s) + ")");
                }
                if (p > columnar::kMaxDecimalPrecision) {
                    return Status::Unimplemented(where + ": DECIMAL precision " +
                                                 std::to_string(p) + " exceeds 38");
                }
                const bool wide = p > columnar::kMaxDecimal64Precision;
                const DataType t = DataType::Decimal(p, s);
                switch (pt) {
                    case Type::kInt32:
                        if (wide) return bad("DECIMAL precision above 18 on int32");
                        return LeafType{t, VC::kInt32ToInt64};
                    case Type::kInt64:
                        return LeafType{t, wide ? VC::kInt64ToInt128 : VC::kNone};
                    case Type::kFixedLenByteArray:
                        if (flba_len > 16) {
                            return Status::Unimplemented(where + ": DECIMAL in " +
                                                         std::to_string(flba_len) +
                                                         " bytes (at most 16 are supported)");
                        }
                        return LeafType{t, VC::kBigEndianDecimal};
                    case Type::kByteArray:
                        return LeafType{t, VC::kBigEndianDecimal};
                    default:
                        return bad("DECIMAL on the wrong physical type");
                }
            }
            case K::kDate:
                if (pt != Type::kInt32) return bad("DATE must annotate int32");
                return LeafType{DataType::Date()};
            case K::kTime:
                if (ann->unit == TimeUnit::kMillis && pt == Type::kInt32) {
                    return LeafType{DataType::Int64(), VC::kMillisToMicros};
                }
                if (ann->unit == TimeUnit::kMicros && pt == Type::kInt64) {
                    return LeafType{DataType::Int64()};
                }
                if (ann->unit == TimeUnit::kMicros && pt == Type::kInt32) {
                    return LeafType{DataType::Int64(), VC::kInt32ToInt64Micros};
                }
                if (ann->unit == TimeUnit::kNanos && pt == Type::kInt64) {
                    return LeafType{DataType::Int64(), VC::kNanosToMicros};
                }
                return bad("TIME with an unknown unit or on the wrong physical type");
            case K::kTimestamp:
                if (pt != Type::kInt64) return bad("TIMESTAMP must annotate int64");
                switch (ann->unit) {
                    case TimeUnit::kMillis:
                        return LeafType{DataType::Timestamp(), VC::kMillisToMicros};
                    case TimeUnit::kMicros:
                        return LeafType{DataType::Timestamp()};
                    case TimeUnit::kNanos:
                        return LeafType{DataType::Timestamp(), VC::kNanosToMicros};
                }
                return bad("TIMESTAMP with an unknown unit");
            case K::kList:
            case K::kMap:
                return bad("LIST/MAP annotation on a primitive field");
            default:
                break;
        }
        if (static_cast<int16_t>(ann->kind) == kFloat16Kind) {
            if (pt != Type::kFixedLenByteArray || flba_len != 2) {
                return bad("FLOAT16 must annotate fixed_len_byte_array(2)");
            }
            return LeafType{DataType::Float(), VC::kFloat16ToFloat};
        }
        return Status::Unimplemented(where + ": logical type " +
                                     std::to_string(static_cast<int>(ann->kind)) +
                                     " is not supported");
    }

    const std::vector<SchemaElement>& el_;
    const ParquetSchemaOptions& options_;
    std::vector<Node> nodes_;
    std::vector<ParquetColumn> columns_;
};

}  // namespace

Result<ParquetSchema> FromParquetSchema(const std::vector<SchemaElement>& elements,
                                        const ParquetSchemaOptions& options) {
    return Converter(elements, options).Run();
}

}  // namespace tarn::format
