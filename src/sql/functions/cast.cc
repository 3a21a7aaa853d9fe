// CAST: which casts exist (CanCast) and CastVector, which dispatches by target type. Numeric
// targets are in cast_numeric.cc; VARCHAR, VARBINARY, DATE, TIMESTAMP and nested targets here.
#include <cstring>

#include "columnar/value_format.h"
#include "format/type_inference.h"
#include "sql/functions/cast_internal.h"
#include "sql/functions/functions.h"
#include "sql/value.h"

namespace tarn::sql {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;
using columnar::TypeId;

namespace internal {

std::string_view TrimSpaces(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

void AppendCastText(const ColumnVector& col, size_t row, std::string* out) {
    switch (col.type_id()) {
        case TypeId::kBoolean:
            *out += col.Value<uint8_t>(row) != 0 ? "true" : "false";
            return;
        case TypeId::kInt8:
            *out += std::to_string(col.Value<int8_t>(row));
            return;
        case TypeId::kInt16:
            *out += std::to_string(col.Value<int16_t>(row));
            return;
        case TypeId::kInt32:
            *out += std::to_string(col.Value<int32_t>(row));
            return;
        case TypeId::kInt64:
            *out += std::to_string(col.Value<int64_t>(row));
            return;
        case TypeId::kFloat:
            columnar::AppendFloat(col.Value<float>(row), out);
            return;
        case TypeId::kDouble:
            columnar::AppendDouble(col.Value<double>(row), out);
            return;
        case TypeId::kDecimal:
            columnar::AppendDecimal(LoadDecimal(col, row), col.type().scale(), out);
            return;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            *out += col.GetString(row);
            return;
        case TypeId::kDate:
            columnar::AppendDate(col.Value<int32_t>(row), out);
            return;
        case TypeId::kTimestamp:
            columnar::AppendTimestamp(col.Value<int64_t>(row), out);
            return;
        default:
            *out += "<nested>";
    }
}

Status CastError(const ColumnVector& in, size_t row, const DataType& to) {
    std::string message = "Cannot cast ";
    if (in.type_id() != TypeId::kVarchar) message += UpperTypeName(in.type()) + " ";
    message += "'";
    AppendCastText(in, row, &message);
    message += "' to " + UpperTypeName(to);
    return Status::InvalidArgument(std::move(message));
}

}  // namespace internal

namespace {

using internal::AppendCastText;
using internal::CastError;
using internal::FixedCastLoop;
using internal::TrimSpaces;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

bool IsNumeric(TypeId id) { return id >= TypeId::kBoolean && id <= TypeId::kDecimal; }

bool IsValidUtf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t n = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;  // truncated sequence
        for (size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

// Appends `rows` slots of text; `append(i, &scratch)` writes row i's text into scratch and
// returns false when it does not convert.
template <class Append>
Status StringCastLoop(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                      ColumnVector* out, Append append) {
    std::string text;
    for (size_t i = 0; i < rows; ++i) {
        if (in.IsNull(i)) {
            out->AppendNull();
            continue;
        }
        text.clear();
        if (!append(i, &text)) {
            if (!try_cast) return CastError(in, i, to);
            out->AppendNull();
            continue;
        }
        out->AppendString(text);
    }
    return Status::Ok();
}

Status CastToString(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                    ColumnVector* out) {
    if (in.type().is_string_like()) {
        const bool check_utf8 = to.id() == TypeId::kVarchar && in.type_id() == TypeId::kVarbinary;
        return StringCastLoop(in, rows, to, try_cast, out, [&](size_t i, std::string* text) {
            const std::string_view s = in.GetString(i);
            if (check_utf8 && !IsValidUtf8(s)) return false;
            text->assign(s);
            return true;
        });
    }
    return StringCastLoop(in, rows, to, try_cast, out, [&](size_t i, std::string* text) {
        AppendCastText(in, i, text);
        return true;
    });
}

Status CastToDate(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                  ColumnVector* out) {
    auto error = [&](size_t i) { return CastError(in, i, to); };
    if (in.type_id() == TypeId::kTimestamp) {
        const int64_t* src = in.Data<int64_t>();
        return FixedCastLoop<int32_t>(
            in, rows, try_cast, out,
            [&](size_t i, int32_t* d) {
                int64_t days = src[i] / kMicrosPerDay;
                if (src[i] % kMicrosPerDay < 0) --days;  // floor: before 1970 too
                *d = static_cast<int32_t>(days);
                return true;
            },
            error);
    }
    return FixedCastLoop<int32_t>(
        in, rows, try_cast, out,
        [&](size_t i, int32_t* d) { return format::ParseDateText(TrimSpaces(in.GetString(i)), d); },
        error);
}

Status CastToTimestamp(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                       ColumnVector* out) {
    auto error = [&](size_t i) { return CastError(in, i, to); };
    if (in.type_id() == TypeId::kDate) {
        const int32_t* src = in.Data<int32_t>();
        return FixedCastLoop<int64_t>(
            in, rows, try_cast, out,
            [&](size_t i, int64_t* d) {
                *d = int64_t{src[i]} * kMicrosPerDay;
                return true;
            },
            error);
    }
    return FixedCastLoop<int64_t>(
        in, rows, try_cast, out,
        [&](size_t i, int64_t* d) {
            return format::ParseTimestampText(TrimSpaces(in.GetString(i)), d);
        },
        error);
}

// Same type: a copy of `rows` slots (the result must not alias the input).
void CopyFixed(const ColumnVector& in, size_t rows, ColumnVector* out) {
    out->Resize(rows);
    // Data<T> asserts the width, so each width copies through its own physical type.
    switch (in.type().FixedWidth()) {
        case 1:
            std::memcpy(out->MutableData<uint8_t>(), in.Data<uint8_t>(), rows);
            break;
        case 2:
            std::memcpy(out->MutableData<int16_t>(), in.Data<int16_t>(), rows * 2);
            break;
        case 4:
            std::memcpy(out->MutableData<int32_t>(), in.Data<int32_t>(), rows * 4);
            break;
        case 8:
            std::memcpy(out->MutableData<int64_t>(), in.Data<int64_t>(), rows * 8);
            break;
        default:
            std::memcpy(out->MutableData<int128_t>(), in.Data<int128_t>(), rows * 16);
            break;
    }
    SetValidityFrom(in.validity_bits(), rows, out);
}

// A member of a STRUCT with NULL slots: members under a NULL struct hold arbitrary values that
// must not fail the cast, so convert as try_cast and report only failures under valid slots.
Status CastStructMember(const ColumnVector& parent, const ColumnVector& member, size_t rows,
                        const DataType& to, bool try_cast, ColumnVector* out) {
    if (try_cast || parent.all_valid()) return CastVector(member, rows, to, try_cast, out);
    TARN_RETURN_IF_ERROR(CastVector(member, rows, to, /*try_cast=*/true, out));
    for (size_t i = 0; i < rows; ++i) {
        if (parent.IsNull(i) || member.IsNull(i) || out->IsValid(i)) continue;
        if (member.type().is_nested()) {
            return Status::InvalidArgument("Cannot cast " + internal::UpperTypeName(member.type()) +
                                           " to " + internal::UpperTypeName(to));
        }
        ColumnVector one(member.type());
        AppendValue(ValueAt(member, i), &one);
        ColumnVector converted(to);
        return CastVector(one, 1, to, /*try_cast=*/false, &converted);
    }
    return Status::Ok();
}

Status CastNested(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                  ColumnVector* out) {
    if (to.id() == TypeId::kStruct) {
        for (size_t k = 0; k < to.num_fields(); ++k) {
            TARN_RETURN_IF_ERROR(CastStructMember(in, in.child(k), rows, to.field(k).type, try_cast,
                                                  &out->child(k)));
        }
        out->Resize(rows);  // children already hold `rows` slots
    } else {
        const uint32_t elements = in.offsets()[rows];
        for (size_t k = 0; k < to.num_fields(); ++k) {
            TARN_RETURN_IF_ERROR(
                CastVector(in.child(k), elements, to.field(k).type, try_cast, &out->child(k)));
        }
        out->Resize(rows);
        std::memcpy(out->mutable_offsets(), in.offsets(), (rows + 1) * sizeof(uint32_t));
    }
    SetValidityFrom(in.validity_bits(), rows, out);
    return Status::Ok();
}

}  // namespace

bool CanCast(const DataType& from, const DataType& to) {
    if (from.Equals(to, /*check_field_ids=*/false)) return true;
    const TypeId f = from.id();
    const TypeId t = to.id();
    if (IsNumeric(f) && IsNumeric(t)) return true;
    if (f == TypeId::kVarchar) return !to.is_nested();
    if (t == TypeId::kVarchar) return !from.is_nested();
    if (f == TypeId::kDate || f == TypeId::kTimestamp) {
        return t == TypeId::kDate || t == TypeId::kTimestamp;
    }
    if (f == t && from.is_nested() && from.num_fields() == to.num_fields()) {
        for (size_t i = 0; i < from.num_fields(); ++i) {
            if (!CanCast(from.field(i).type, to.field(i).type)) return false;
        }
        return true;
    }
    return false;
}

Status CastVector(const ColumnVector& in, size_t rows, const DataType& to, bool try_cast,
                  ColumnVector* out) {
    const DataType& from = in.type();
    if (!CanCast(from, to)) {
        return Status::InvalidArgument("Cannot cast " + internal::UpperTypeName(from) + " to " +
                                       internal::UpperTypeName(to));
    }
    if (from.Equals(to, /*check_field_ids=*/false) && from.is_fixed_width()) {
        CopyFixed(in, rows, out);
        return Status::Ok();
    }
    switch (to.id()) {
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return CastToString(in, rows, to, try_cast, out);
        case TypeId::kDate:
            return CastToDate(in, rows, to, try_cast, out);
        case TypeId::kTimestamp:
            return CastToTimestamp(in, rows, to, try_cast, out);
        case TypeId::kStruct:
        case TypeId::kList:
        case TypeId::kMap:
            return CastNested(in, rows, to, try_cast, out);
        default:
            return internal::CastToNumber(in, rows, to, try_cast, out);
    }
}

}  // namespace tarn::sql
