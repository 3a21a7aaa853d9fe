// CsvReader::ConvertColumn: a batch's field spans of one column into its ColumnVector, one tight
// loop per column type (the type is switched on once per column and batch, not per value).
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/base64.h"
#include "common/text.h"
#include "format/csv_reader.h"
#include "format/type_inference.h"

namespace tarn::format {
namespace {

using columnar::ColumnVector;
using columnar::TypeId;

// Numeric columns take true/false as 1/0: inference widens boolean into bigint and double.
template <class T>
bool BooleanAsNumber(std::string_view text, T* out) {
    bool b = false;
    if (!ParseBooleanText(text, &b)) return false;
    *out = static_cast<T>(b ? 1 : 0);
    return true;
}

template <class T>
bool ParseInteger(std::string_view text, T* out) {
    int64_t v = 0;
    if (!ParseInt64Text(text, &v)) return BooleanAsNumber(text, out);
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
    *out = static_cast<T>(v);
    return true;
}

// Decimal numbers, true/false, and the spellings of NaN and the infinities that tarn's CSV
// writer (and others) produce.
bool ParseDouble(std::string_view text, double* out) {
    if (ParseDoubleText(text, out)) return true;
    if (BooleanAsNumber(text, out)) return true;
    const bool negative = !text.empty() && text[0] == '-';
    std::string_view word = text.substr(!text.empty() && (text[0] == '-' || text[0] == '+'));
    if (EqualsIgnoreAsciiCase(word, "nan")) {
        *out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (EqualsIgnoreAsciiCase(word, "inf") || EqualsIgnoreAsciiCase(word, "infinity")) {
        *out = negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
        return true;
    }
    return false;
}

bool ParseFloat(std::string_view text, float* out) {
    double v = 0;
    if (!ParseDouble(text, &v)) return false;
    if (std::isfinite(v) && std::fabs(v) > FLT_MAX) return false;  // out of FLOAT's range
    *out = static_cast<float>(v);
    return true;
}

}  // namespace

void CsvReader::ConvertColumn(size_t column, ColumnVector* out) {
    const size_t rows = pending_rows_;
    if (rows == 0) return;
    const int source = source_column_[column];
    if (source < 0) {
        for (size_t r = 0; r < rows; ++r) out->AppendNull();
        return;
    }
    const columnar::Field& field = schema_->field(column);
    const CsvField* spans = spans_.data() + source;
    const size_t stride = file_columns_;
    const std::string_view null_text = options_.null_text;
    const bool string_like = field.type.is_string_like();
    auto is_null = [&](const CsvField& f) {
        if (f.quoted()) return f.size == 0 && !string_like;
        return f.size == 0 || (!null_text.empty() && f.text() == null_text);
    };
    auto report = [&](size_t row, std::string_view text, std::string_view why = {}) {
        std::string reason;
        if (why.empty()) {
            constexpr size_t kShown = 40;
            reason = "cannot convert \"" + std::string(text.substr(0, kShown)) +
                     (text.size() > kShown ? "...\"" : "\"") + " to " + field.type.ToString();
        } else {
            reason = why;
        }
        AddError(row_lines_[row], field.name, std::move(reason));
    };
    // One loop per physical type: parse(text, &value) -> bool.
    auto fixed = [&]<class T>(T, auto parse) {
        out->Reserve(out->length() + rows);
        for (size_t r = 0; r < rows; ++r) {
            const CsvField& f = spans[r * stride];
            if (is_null(f)) {
                out->AppendNull();
                continue;
            }
            const std::string_view text = UnescapeField(f, options_.quote, &scratch_);
            T value{};
            if (parse(text, &value)) {
                out->Append<T>(value);
            } else {
                out->AppendNull();
                report(r, text);
            }
        }
    };
    switch (field.type.id()) {
        case TypeId::kBoolean:
            return fixed(uint8_t{}, [](std::string_view t, uint8_t* v) {
                bool b = false;
                if (!ParseBooleanText(t, &b)) return false;
                *v = b ? 1 : 0;
                return true;
            });
        case TypeId::kInt8:
            return fixed(int8_t{}, ParseInteger<int8_t>);
        case TypeId::kInt16:
            return fixed(int16_t{}, ParseInteger<int16_t>);
        case TypeId::kInt32:
            return fixed(int32_t{}, ParseInteger<int32_t>);
        case TypeId::kInt64:
            return fixed(int64_t{}, ParseInteger<int64_t>);
        case TypeId::kFloat:
            return fixed(float{}, ParseFloat);
        case TypeId::kDouble:
            return fixed(double{}, ParseDouble);
        case TypeId::kDate:
            return fixed(int32_t{}, ParseDateText);
        case TypeId::kTimestamp:
            return fixed(int64_t{}, ParseTimestampText);
        case TypeId::kDecimal: {
            const int precision = field.type.precision();
            const int scale = field.type.scale();
            auto parse = [precision, scale](std::string_view t, columnar::int128_t* v) {
                bool b = false;
                if (ParseBooleanText(t, &b)) t = b ? "1" : "0";
                return ParseDecimalText(t, precision, scale, v);
            };
            if (precision > columnar::kMaxDecimal64Precision) {
                return fixed(columnar::int128_t{}, parse);
            }
            return fixed(int64_t{}, [&](std::string_view t, int64_t* v) {
                columnar::int128_t wide = 0;
                if (!parse(t, &wide)) return false;
                *v = static_cast<int64_t>(wide);  // fits: precision <= 18
                return true;
            });
        }
        case TypeId::kVarchar:
        case TypeId::kVarbinary: {
            const bool binary = field.type.id() == TypeId::kVarbinary;
            size_t bytes = 0;
            for (size_t r = 0; r < rows; ++r) bytes += spans[r * stride].size;
            out->Reserve(out->length() + rows);
            out->ReserveStringBytes(out->string_bytes() + bytes);
            for (size_t r = 0; r < rows; ++r) {
                const CsvField& f = spans[r * stride];
                if (is_null(f)) {
                    out->AppendNull();
                    continue;
                }
                std::string_view text = UnescapeField(f, options_.quote, &scratch_);
                if (binary) {
                    // Decodes into its own buffer: `text` may point into scratch_.
                    binary_scratch_.clear();
                    if (!Base64DecodeAppend(text, &binary_scratch_).ok()) {
                        out->AppendNull();
                        report(r, text, "not base64");
                        continue;
                    }
                    text = binary_scratch_;
                } else if (!IsValidUtf8(text)) {
                    out->AppendNull();
                    report(r, text, "not valid UTF-8");
                    continue;
                }
                out->AppendString(text);
            }
            return;
        }
        default:
            // Open rejects nested columns.
            for (size_t r = 0; r < rows; ++r) out->AppendNull();
            return;
    }
}

}  // namespace tarn::format
