#include "format/parquet_stats_filter.h"

#include <cmath>
#include <cstring>
#include <utility>

#include "format/parquet_value_decoder.h"

namespace tarn::format {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;
using columnar::TypeId;

const char* PredicateOpName(ParquetPredicate::Op op) {
    switch (op) {
        case ParquetPredicate::Op::kEq:
            return "=";
        case ParquetPredicate::Op::kLt:
            return "<";
        case ParquetPredicate::Op::kLe:
            return "<=";
        case ParquetPredicate::Op::kGt:
            return ">";
        case ParquetPredicate::Op::kGe:
            return ">=";
        case ParquetPredicate::Op::kIsNull:
            return "IS NULL";
        case ParquetPredicate::Op::kIsNotNull:
            return "IS NOT NULL";
    }
    return "?";
}

Status CoerceScalar(const DataType& type, ParquetScalar* value, const std::string& column) {
    auto bad = [&](const char* want) -> Status {
        return Status::InvalidArgument("predicate on '" + column + "' (" + type.ToString() +
                                       ") needs " + want + " constant");
    };
    switch (type.id()) {
        case TypeId::kBoolean:
            if (!std::holds_alternative<bool>(*value)) return bad("a boolean");
            return Status::Ok();
        case TypeId::kInt8:
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
        case TypeId::kDate:
        case TypeId::kTimestamp:
            if (!std::holds_alternative<int64_t>(*value)) return bad("an integer");
            return Status::Ok();
        case TypeId::kDecimal:
            if (const auto* v = std::get_if<int64_t>(value)) {
                const int128_t wide = *v;
                *value = wide;
            }
            if (!std::holds_alternative<int128_t>(*value)) return bad("an unscaled decimal");
            return Status::Ok();
        case TypeId::kFloat:
        case TypeId::kDouble:
            if (const auto* v = std::get_if<int64_t>(value)) {
                const auto d = static_cast<double>(*v);
                *value = d;
            }
            if (!std::holds_alternative<double>(*value)) return bad("a number");
            return Status::Ok();
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            if (!std::holds_alternative<std::string>(*value)) return bad("a string");
            return Status::Ok();
        default:
            return bad("no");
    }
}

Status DecodeStatValue(const ParquetColumn& column, std::string_view raw, ColumnVector* out) {
    const size_t width = PhysicalWidth(column.physical_type, column.type_length);
    std::string page;
    if (column.physical_type == Type::kByteArray) {
        const auto len = static_cast<uint32_t>(raw.size());
        page.append(reinterpret_cast<const char*>(&len), 4);
        page.append(raw);
    } else {
        if (raw.size() != width) {
            return Status::Corruption("statistics value of " + std::to_string(raw.size()) +
                                      " bytes for a " + std::to_string(width) + "-byte type");
        }
        page.assign(raw);
    }
    ValueDecoder decoder(column, "statistics");
    TARN_RETURN_IF_ERROR(decoder.StartPage(Encoding::kPlain, page, 1));
    const size_t pos = out->length();
    out->Resize(pos + 1);
    Status s = decoder.Decode(1, out, pos);
    if (!s.ok()) out->Resize(pos);
    return s;
}

namespace {

enum class SortOrder { kSigned, kUnsigned, kUnknown };

SortOrder OrderOf(const ParquetColumn& c) {
    using VC = ValueConversion;
    switch (c.conversion) {
        case VC::kInt96ToMicros:
        case VC::kFloat16ToFloat:
            return SortOrder::kUnknown;
        case VC::kUint32ToInt16:
        case VC::kUint32ToInt32:
        case VC::kUint32ToInt64:
        case VC::kUint64ToInt128:
            return SortOrder::kUnsigned;
        case VC::kBigEndianDecimal:
            return SortOrder::kSigned;
        default:
            break;
    }
    switch (c.physical_type) {
        case Type::kByteArray:
        case Type::kFixedLenByteArray:
            return SortOrder::kUnsigned;
        default:
            return SortOrder::kSigned;
    }
}

ParquetScalar ScalarAt(const ColumnVector& v, size_t i) {
    switch (v.type_id()) {
        case TypeId::kBoolean:
            return v.Value<uint8_t>(i) != 0;
        case TypeId::kInt8:
            return int64_t{v.Value<int8_t>(i)};
        case TypeId::kInt16:
            return int64_t{v.Value<int16_t>(i)};
        case TypeId::kInt32:
        case TypeId::kDate:
            return int64_t{v.Value<int32_t>(i)};
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return v.Value<int64_t>(i);
        case TypeId::kDecimal:
            if (v.type().precision() <= columnar::kMaxDecimal64Precision) {
                return int128_t{v.Value<int64_t>(i)};
            }
            return v.Value<int128_t>(i);
        case TypeId::kFloat:
            return static_cast<double>(v.Value<float>(i));
        case TypeId::kDouble:
            return v.Value<double>(i);
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return std::string(v.GetString(i));
        default:
            return std::monostate{};
    }
}

std::optional<ParquetScalar> Decode(const ParquetColumn& column, const std::string& raw) {
    ColumnVector v(column.type);
    if (!DecodeStatValue(column, raw, &v).ok()) return std::nullopt;
    ParquetScalar s = ScalarAt(v, 0);
    if (const auto* d = std::get_if<double>(&s); d != nullptr && std::isnan(*d)) {
        return std::nullopt;
    }
    if (std::holds_alternative<std::monostate>(s)) return std::nullopt;
    return s;
}

// <0, 0, >0. REQUIRES: a and b hold the same alternative.
int Compare(const ParquetScalar& a, const ParquetScalar& b) {
    return std::visit(
        [&](const auto& x) -> int {
            using T = std::decay_t<decltype(x)>;
            const T& y = std::get<T>(b);
            if constexpr (std::is_same_v<T, std::monostate>) {
                return 0;
            } else if constexpr (std::is_same_v<T, std::string>) {
                const size_t n = std::min(x.size(), y.size());
                const int c = n == 0 ? 0 : std::memcmp(x.data(), y.data(), n);
                if (c != 0) return c;
                return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
            } else {
                return x < y ? -1 : (y < x ? 1 : 0);
            }
        },
        a);
}

}  // namespace

ChunkBounds UsableBounds(const ParquetColumn& column, const Statistics& stats,
                         const ColumnOrder* order) {
    ChunkBounds out;
    const SortOrder so = OrderOf(column);
    if (so == SortOrder::kUnknown) return out;
    const std::string* min = nullptr;
    const std::string* max = nullptr;
    if (stats.min_value || stats.max_value) {
        if (stats.min_value) min = &*stats.min_value;
        if (stats.max_value) max = &*stats.max_value;
    } else if (stats.min && stats.max) {
        const bool byte_array = column.physical_type == Type::kByteArray ||
                                column.physical_type == Type::kFixedLenByteArray;
        const bool safe = (so == SortOrder::kSigned && !byte_array) || *stats.min == *stats.max ||
                          (order != nullptr && order->kind == ColumnOrder::Kind::kTypeOrder);
        if (safe) {
            min = &*stats.min;
            max = &*stats.max;
        }
    }
    if (min != nullptr) out.min = Decode(column, *min);
    if (max != nullptr) out.max = Decode(column, *max);
    if (out.min && out.max && Compare(*out.min, *out.max) > 0) {
        return ChunkBounds{};  // inconsistent: trust neither
    }
    return out;
}

bool ChunkCanBeSkipped(const ParquetColumn& column, const ColumnMetaData& meta,
                       const ColumnOrder* order, const ParquetPredicate& pred) {
    using Op = ParquetPredicate::Op;
    if (meta.num_values == 0) return true;
    if (!meta.statistics) return false;
    const Statistics& stats = *meta.statistics;
    const std::optional<int64_t> nulls = stats.null_count;
    const bool all_null = nulls && *nulls >= meta.num_values;
    switch (pred.op) {
        case Op::kIsNull:
            return nulls && *nulls == 0;
        case Op::kIsNotNull:
            return all_null;
        default:
            break;
    }
    if (all_null) return true;  // a comparison with null is never true
    if (std::holds_alternative<std::monostate>(pred.value)) return false;
    if (const auto* d = std::get_if<double>(&pred.value); d != nullptr && std::isnan(*d)) {
        return false;
    }
    const ChunkBounds b = UsableBounds(column, stats, order);
    const bool floating = column.type.id() == TypeId::kFloat || column.type.id() == TypeId::kDouble;
    const ParquetScalar& v = pred.value;
    if ((b.min && b.min->index() != v.index()) || (b.max && b.max->index() != v.index())) {
        return false;
    }
    switch (pred.op) {
        case Op::kEq:
            return (b.min && Compare(v, *b.min) < 0) || (b.max && Compare(v, *b.max) > 0);
        case Op::kLt:
            return b.min && Compare(*b.min, v) >= 0;
        case Op::kLe:
            return b.min && Compare(*b.min, v) > 0;
        case Op::kGt:
            return !floating && b.max && Compare(*b.max, v) <= 0;
        case Op::kGe:
            return !floating && b.max && Compare(*b.max, v) < 0;
        default:
            return false;
    }
}

}  // namespace tarn::format
