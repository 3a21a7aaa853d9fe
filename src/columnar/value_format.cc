#include "columnar/value_format.h"

#include <charconv>
#include <cmath>

#include "common/base64.h"
#include "common/json_escape.h"
#include "common/time_format.h"

namespace tarn::columnar {

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Appends |value| zero-padded to at least `width` digits, with '-' when negative.
void AppendPadded(int64_t value, int width, std::string* out) {
    char buf[24];
    int n = 0;
    uint64_t v =
        value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < width) buf[n++] = '0';
    if (value < 0) *out += '-';
    while (n > 0) *out += buf[--n];
}

void AppendCivilDate(int64_t days, std::string* out) {
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    AppendPadded(year, 4, out);
    *out += '-';
    AppendPadded(month, 2, out);
    *out += '-';
    AppendPadded(day, 2, out);
}

template <class T>
void AppendInteger(T v, std::string* out) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof(buf), v);
    out->append(buf, res.ptr);
}

template <class F>
void AppendFloating(F v, std::string* out) {
    if (std::isnan(v)) {
        *out += "NaN";
    } else if (std::isinf(v)) {
        *out += v < 0 ? "-Infinity" : "Infinity";
    } else {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof(buf), v);
        out->append(buf, res.ptr);
    }
}

int128_t DecimalAt(const ColumnVector& col, size_t row) {
    if (col.type().FixedWidth() == 8) return col.Value<int64_t>(row);
    return col.Value<int128_t>(row);
}

bool IsNonFinite(const ColumnVector& col, size_t row) {
    if (col.type_id() == TypeId::kFloat) return !std::isfinite(col.Value<float>(row));
    if (col.type_id() == TypeId::kDouble) return !std::isfinite(col.Value<double>(row));
    return false;
}

// Scalars whose JSON text is the same as their unquoted CSV text (numbers and booleans).
void AppendPlainScalar(const ColumnVector& col, size_t row, std::string* out) {
    switch (col.type_id()) {
        case TypeId::kBoolean:
            *out += col.Value<uint8_t>(row) != 0 ? "true" : "false";
            return;
        case TypeId::kInt8:
            AppendInteger(static_cast<int>(col.Value<int8_t>(row)), out);
            return;
        case TypeId::kInt16:
            AppendInteger(static_cast<int>(col.Value<int16_t>(row)), out);
            return;
        case TypeId::kInt32:
            AppendInteger(col.Value<int32_t>(row), out);
            return;
        case TypeId::kInt64:
            AppendInteger(col.Value<int64_t>(row), out);
            return;
        case TypeId::kFloat:
            AppendFloat(col.Value<float>(row), out);
            return;
        case TypeId::kDouble:
            AppendDouble(col.Value<double>(row), out);
            return;
        case TypeId::kDecimal:
            AppendDecimal(DecimalAt(col, row), col.type().scale(), out);
            return;
        case TypeId::kDate:
            AppendDate(col.Value<int32_t>(row), out);
            return;
        case TypeId::kTimestamp:
            AppendTimestamp(col.Value<int64_t>(row), out);
            return;
        default:
            return;  // not a plain scalar
    }
}

}  // namespace

void AppendDate(int32_t days_since_epoch, std::string* out) {
    AppendCivilDate(days_since_epoch, out);
}

void AppendTimestamp(int64_t micros, std::string* out) {
    int64_t days = micros / kMicrosPerDay;
    int64_t of_day = micros % kMicrosPerDay;
    if (of_day < 0) {  // floor division, without overflow at INT64_MIN
        of_day += kMicrosPerDay;
        --days;
    }
    AppendCivilDate(days, out);
    *out += ' ';
    const int64_t seconds = of_day / kMicrosPerSecond;
    AppendPadded(seconds / 3600, 2, out);
    *out += ':';
    AppendPadded(seconds / 60 % 60, 2, out);
    *out += ':';
    AppendPadded(seconds % 60, 2, out);
    if (const int64_t fraction = of_day % kMicrosPerSecond; fraction != 0) {
        *out += '.';
        AppendPadded(fraction, 6, out);
    }
}

void AppendDecimal(int128_t unscaled, int scale, std::string* out) {
    const bool negative = unscaled < 0;
    uint128_t mag = negative ? uint128_t{0} - static_cast<uint128_t>(unscaled)
                             : static_cast<uint128_t>(unscaled);
    char buf[48];  // 39 digits of 2^127 and zero padding up to scale + 1 <= 39
    int n = 0;
    while (mag > UINT64_MAX) {
        buf[n++] = static_cast<char>('0' + static_cast<int>(mag % 10));
        mag /= 10;
    }
    uint64_t small = static_cast<uint64_t>(mag);
    do {
        buf[n++] = static_cast<char>('0' + small % 10);
        small /= 10;
    } while (small > 0);
    while (n < scale + 1) buf[n++] = '0';
    if (negative) *out += '-';
    for (int i = n - 1; i >= 0; --i) {
        *out += buf[i];
        if (i == scale && scale > 0) *out += '.';
    }
}

void AppendDouble(double v, std::string* out) { AppendFloating(v, out); }
void AppendFloat(float v, std::string* out) { AppendFloating(v, out); }

void AppendCsvText(std::string_view text, std::string* out) {
    if (!text.empty() && text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out->append(text);
        return;
    }
    *out += '"';
    for (char c : text) {
        if (c == '"') *out += '"';
        *out += c;
    }
    *out += '"';
}

void AppendValueJson(const ColumnVector& col, size_t row, std::string* out) {
    if (col.IsNull(row)) {
        *out += "null";
        return;
    }
    switch (col.type_id()) {
        case TypeId::kVarchar:
            AppendJsonString(*out, col.GetString(row));
            return;
        case TypeId::kVarbinary:
            *out += '"';
            Base64EncodeAppend(col.GetString(row), out);
            *out += '"';
            return;
        case TypeId::kDate:
        case TypeId::kTimestamp:
            *out += '"';
            AppendPlainScalar(col, row, out);
            *out += '"';
            return;
        case TypeId::kFloat:
        case TypeId::kDouble:
            if (IsNonFinite(col, row)) {
                *out += '"';
                AppendPlainScalar(col, row, out);
                *out += '"';
                return;
            }
            AppendPlainScalar(col, row, out);
            return;
        case TypeId::kStruct: {
            *out += '{';
            for (size_t c = 0; c < col.num_children(); ++c) {
                if (c > 0) *out += ',';
                AppendJsonString(*out, col.type().field(c).name);
                *out += ':';
                AppendValueJson(col.child(c), row, out);
            }
            *out += '}';
            return;
        }
        case TypeId::kList: {
            const uint32_t* off = col.offsets();
            const ColumnVector& elements = col.child(0);
            *out += '[';
            for (uint32_t j = off[row]; j < off[row + 1]; ++j) {
                if (j > off[row]) *out += ',';
                AppendValueJson(elements, j, out);
            }
            *out += ']';
            return;
        }
        case TypeId::kMap: {
            const uint32_t* off = col.offsets();
            const ColumnVector& keys = col.child(0);
            const ColumnVector& values = col.child(1);
            const bool as_object = keys.type_id() == TypeId::kVarchar;
            *out += as_object ? '{' : '[';
            for (uint32_t j = off[row]; j < off[row + 1]; ++j) {
                if (j > off[row]) *out += ',';
                if (as_object) {
                    AppendJsonString(*out, keys.GetString(j));
                    *out += ':';
                    AppendValueJson(values, j, out);
                } else {
                    *out += "{\"key\":";
                    AppendValueJson(keys, j, out);
                    *out += ",\"value\":";
                    AppendValueJson(values, j, out);
                    *out += '}';
                }
            }
            *out += as_object ? '}' : ']';
            return;
        }
        default:
            AppendPlainScalar(col, row, out);
            return;
    }
}

void AppendValueCsv(const ColumnVector& col, size_t row, std::string* out) {
    if (col.IsNull(row)) return;
    switch (col.type_id()) {
        case TypeId::kVarchar:
            AppendCsvText(col.GetString(row), out);
            return;
        case TypeId::kVarbinary: {
            const std::string_view bytes = col.GetString(row);
            if (bytes.empty()) {
                *out += "\"\"";
            } else {
                Base64EncodeAppend(bytes, out);  // the base64 alphabet needs no quoting
            }
            return;
        }
        case TypeId::kStruct:
        case TypeId::kList:
        case TypeId::kMap: {
            std::string json;
            AppendValueJson(col, row, &json);
            *out += '"';
            for (char c : json) {
                if (c == '"') *out += '"';
                *out += c;
            }
            *out += '"';
            return;
        }
        default:
            AppendPlainScalar(col, row, out);
            return;
    }
}

void AppendRowJson(const RecordBatch& batch, size_t row, std::string* out) {
    *out += '{';
    for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) *out += ',';
        AppendJsonString(*out, batch.schema()->field(c).name);
        *out += ':';
        AppendValueJson(batch.column(c), row, out);
    }
    *out += '}';
}

}  // namespace tarn::columnar
