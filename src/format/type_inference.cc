#include "format/type_inference.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/time_format.h"

namespace tarn::format {
namespace {

using Kind = InferredType::Kind;

constexpr int64_t kMaxExactDoubleInteger = int64_t{1} << 53;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsScalarNumber(Kind k) {
    return k == Kind::kBoolean || k == Kind::kBigint || k == Kind::kDouble || k == Kind::kDecimal38;
}

bool IsTemporal(Kind k) { return k == Kind::kDate || k == Kind::kTimestamp; }

// The join of two numeric kinds (boolean, bigint, double, decimal38), `big` telling whether
// either bigint side held integers beyond 2^53.
Kind JoinNumbers(Kind a, Kind b, bool big) {
    if (a == b) return a;
    const bool has_double = a == Kind::kDouble || b == Kind::kDouble;
    const bool has_decimal = a == Kind::kDecimal38 || b == Kind::kDecimal38;
    // Doubles cannot hold integers beyond 2^53 exactly, nor decimal(38,0) fractions.
    if (has_double && (has_decimal || big)) return Kind::kString;
    if (has_double) return Kind::kDouble;
    if (has_decimal) return Kind::kDecimal38;
    return Kind::kBigint;  // boolean + bigint
}

// The syntax of a number: [+-] digits [. digits] [(e|E) [+-] digits], at least one digit before
// or after the point. Sets *integer when there is neither point nor exponent.
bool NumberSyntax(std::string_view s, bool allow_plus, bool* integer) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || (allow_plus && s[i] == '+'))) ++i;
    size_t digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
    *integer = true;
    if (i < s.size() && s[i] == '.') {
        *integer = false;
        ++i;
        while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        *integer = false;
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t exp_digits = 0;
        while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    return i == s.size();
}

// Reads exactly `n` digits at s[*i] into *out.
bool Digits(std::string_view s, size_t* i, size_t n, int* out) {
    if (*i + n > s.size()) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
        const char c = s[*i + k];
        if (!IsDigit(c)) return false;
        v = v * 10 + (c - '0');
    }
    *i += n;
    *out = v;
    return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// "YYYY-MM-DD" at the start of s; advances *i past it.
bool DatePrefix(std::string_view s, size_t* i, int64_t* days) {
    int y = 0, m = 0, d = 0;
    if (!Digits(s, i, 4, &y) || *i >= s.size() || s[*i] != '-') return false;
    ++*i;
    if (!Digits(s, i, 2, &m) || *i >= s.size() || s[*i] != '-') return false;
    ++*i;
    if (!Digits(s, i, 2, &d)) return false;
    if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
    *days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    return true;
}

// "Z", "+HH:MM", "-HH:MM", "+HHMM", "-HHMM" or "+HH" from s[*i] to the end, as seconds east of UTC.
bool Offset(std::string_view s, size_t i, int64_t* seconds) {
    if (i == s.size()) {
        *seconds = 0;
        return true;
    }
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
        *seconds = 0;
        return true;
    }
    if (s[i] != '+' && s[i] != '-') return false;
    const int sign = s[i] == '-' ? -1 : 1;
    ++i;
    int hh = 0, mm = 0;
    if (!Digits(s, &i, 2, &hh)) return false;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && !Digits(s, &i, 2, &mm)) return false;
    if (i != s.size() || hh > 23 || mm > 59) return false;
    *seconds = sign * (hh * 3600 + mm * 60);
    return true;
}

// Appends a digit to *n unless it would reach `limit` (10^precision). Checked before multiplying:
// 10 * (10^38 - 1) does not fit an __int128.
bool PushDigit(__int128* n, int digit, __int128 limit) {
    if (*n > (limit - 1 - digit) / 10) return false;
    *n = *n * 10 + digit;
    return true;
}

}  // namespace

InferredType InferredType::Scalar(Kind kind, bool big_integers) {
    InferredType t;
    t.kind = kind;
    t.big_integers = kind == Kind::kBigint && big_integers;
    return t;
}

InferredType InferredType::Struct(std::vector<std::pair<std::string, InferredType>> fields) {
    InferredType t;
    t.kind = Kind::kStruct;
    t.fields = std::move(fields);
    return t;
}

InferredType InferredType::List(InferredType element) {
    InferredType t;
    t.kind = Kind::kList;
    t.element.push_back(std::move(element));
    return t;
}

void InferredType::Merge(const InferredType& other) {
    if (other.kind == Kind::kNull) return;
    if (kind == Kind::kNull) {
        *this = other;
        return;
    }
    if (kind == Kind::kStruct && other.kind == Kind::kStruct) {
        for (const auto& [name, type] : other.fields) {
            bool found = false;
            for (auto& [mine, my_type] : fields) {
                if (mine == name) {
                    my_type.Merge(type);
                    found = true;
                    break;
                }
            }
            if (!found) fields.emplace_back(name, type);
        }
        return;
    }
    if (kind == Kind::kList && other.kind == Kind::kList) {
        element.at(0).Merge(other.element.at(0));
        return;
    }
    Kind joined = Kind::kString;
    if (IsScalarNumber(kind) && IsScalarNumber(other.kind)) {
        joined = JoinNumbers(kind, other.kind, big_integers || other.big_integers);
    } else if (IsTemporal(kind) && IsTemporal(other.kind)) {
        joined = kind == other.kind ? kind : Kind::kTimestamp;
    }
    const bool big = joined == Kind::kBigint && (big_integers || other.big_integers);
    *this = Scalar(joined, big);
}

columnar::DataType InferredType::ToDataType() const {
    using columnar::DataType;
    switch (kind) {
        case Kind::kBoolean:
            return DataType::Boolean();
        case Kind::kBigint:
            return DataType::Int64();
        case Kind::kDouble:
            return DataType::Double();
        case Kind::kDecimal38:
            return DataType::Decimal(38, 0);
        case Kind::kDate:
            return DataType::Date();
        case Kind::kTimestamp:
            return DataType::Timestamp();
        case Kind::kStruct: {
            std::vector<columnar::Field> out;
            out.reserve(fields.size());
            for (const auto& [name, type] : fields) out.push_back({name, type.ToDataType()});
            return DataType::Struct(std::move(out));
        }
        case Kind::kList:
            return DataType::List(element.at(0).ToDataType());
        case Kind::kNull:
        case Kind::kString:
            break;
    }
    return DataType::Varchar();
}

Result<columnar::Schema> InferredSchema(
    const std::vector<std::pair<std::string, InferredType>>& fields) {
    std::vector<columnar::Field> out;
    out.reserve(fields.size());
    for (const auto& [name, type] : fields) out.push_back({name, type.ToDataType()});
    return columnar::Schema::Make(std::move(out));
}

InferredType::Kind ClassifyJsonString(std::string_view s) {
    int32_t days = 0;
    if (ParseDateText(s, &days)) return Kind::kDate;
    int64_t micros = 0;
    if (s.size() > 10 && ParseTimestampText(s, &micros)) return Kind::kTimestamp;
    return Kind::kString;
}

InferredType ClassifyJsonNumber(std::string_view text) {
    bool integer = false;
    if (!NumberSyntax(text, /*allow_plus=*/false, &integer))
        return InferredType::Scalar(Kind::kString);
    if (!integer) return InferredType::Scalar(Kind::kDouble);
    int64_t v = 0;
    if (ParseInt64Text(text, &v)) {
        const bool big = v > kMaxExactDoubleInteger || v < -kMaxExactDoubleInteger;
        return InferredType::Scalar(Kind::kBigint, big);
    }
    size_t digits = 0;
    bool leading = true;
    for (char c : text) {
        if (!IsDigit(c)) continue;
        if (leading && c == '0') continue;
        leading = false;
        ++digits;
    }
    return InferredType::Scalar(digits <= 38 ? Kind::kDecimal38 : Kind::kString);
}

InferredType ClassifyCsvField(std::string_view text) {
    if (text.empty()) return InferredType::Scalar(Kind::kNull);
    bool b = false;
    if (ParseBooleanText(text, &b)) return InferredType::Scalar(Kind::kBoolean);
    bool integer = false;
    if (NumberSyntax(text, /*allow_plus=*/true, &integer)) {
        return ClassifyJsonNumber(text[0] == '+' ? text.substr(1) : text);
    }
    return InferredType::Scalar(ClassifyJsonString(text));
}

bool ParseBooleanText(std::string_view text, bool* out) {
    auto equals = [&](std::string_view word) {
        if (text.size() != word.size()) return false;
        for (size_t i = 0; i < word.size(); ++i) {
            if ((text[i] | 0x20) != word[i]) return false;
        }
        return true;
    };
    if (equals("true")) {
        *out = true;
        return true;
    }
    if (equals("false")) {
        *out = false;
        return true;
    }
    return false;
}

bool ParseInt64Text(std::string_view text, int64_t* out) {
    if (!text.empty() && text[0] == '+') {
        text.remove_prefix(1);
        if (text.empty() || !IsDigit(text[0])) return false;  // "+-1", "+"
    }
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    return ec == std::errc() && ptr == end;
}

bool ParseDoubleText(std::string_view text, double* out) {
    bool integer = false;
    if (!NumberSyntax(text, /*allow_plus=*/true, &integer)) return false;
    if (text[0] == '+') text.remove_prefix(1);
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    if (ec == std::errc::result_out_of_range) {
        // Underflow reads as strtod's denormal or zero (rare enough to copy for); overflow is bad
        // input, as JSON and CSV have no infinities.
        const double v = std::strtod(std::string(text).c_str(), nullptr);
        if (std::isinf(v)) return false;
        *out = v;
        return true;
    }
    return ec == std::errc() && ptr == end;
}

bool ParseDateText(std::string_view text, int32_t* days) {
    size_t i = 0;
    int64_t d = 0;
    if (!DatePrefix(text, &i, &d) || i != text.size()) return false;
    *days = static_cast<int32_t>(d);
    return true;
}

bool ParseTimestampText(std::string_view text, int64_t* micros) {
    size_t i = 0;
    int64_t days = 0;
    if (!DatePrefix(text, &i, &days)) return false;
    int64_t seconds = days * 86400;
    int64_t fraction = 0;
    if (i < text.size() && (text[i] == 'T' || text[i] == 't' || text[i] == ' ')) {
        ++i;
        int hh = 0, mm = 0, ss = 0;
        if (!Digits(text, &i, 2, &hh) || i >= text.size() || text[i] != ':') return false;
        ++i;
        if (!Digits(text, &i, 2, &mm)) return false;
        if (i < text.size() && text[i] == ':') {
            ++i;
            if (!Digits(text, &i, 2, &ss)) return false;
            if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
                ++i;
                size_t n = 0;
                while (i < text.size() && IsDigit(text[i])) {
                    if (n < 6) fraction = fraction * 10 + (text[i] - '0');
                    ++n, ++i;
                }
                if (n == 0 || n > 9) return false;
                for (size_t k = n; k < 6; ++k) fraction *= 10;
            }
        }
        if (hh > 23 || mm > 59 || ss > 60) return false;  // 60: a leap second
        seconds += hh * 3600 + mm * 60 + ss;
    }
    int64_t offset = 0;
    if (!Offset(text, i, &offset)) return false;
    *micros = (seconds - offset) * 1'000'000 + fraction;
    return true;
}

bool ParseDecimalText(std::string_view text, int precision, int scale, __int128* out) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return false;
    bool integer = false;
    if (!NumberSyntax(text, /*allow_plus=*/true, &integer)) return false;
    const bool negative = text[0] == '-';
    if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
    // Mantissa digits (the point removed) and the power of ten they are scaled by.
    const size_t e_pos = text.find_first_of("eE");
    const std::string_view mantissa = text.substr(0, e_pos);
    int64_t exponent = 0;
    if (e_pos != std::string_view::npos) {
        std::string_view exp_text = text.substr(e_pos + 1);
        if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
        auto [ptr, ec] =
            std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
        if (ec != std::errc() || exponent > 1000 || exponent < -1000) return false;
    }
    const size_t point = mantissa.find('.');
    std::string_view int_part = mantissa.substr(0, point);
    std::string_view frac_part =
        point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
    // Value = digits(int_part frac_part) * 10^shift after scaling by 10^scale.
    const int64_t shift = exponent - static_cast<int64_t>(frac_part.size()) + scale;
    const int64_t total = static_cast<int64_t>(int_part.size() + frac_part.size());
    const int64_t keep = total + std::min<int64_t>(shift, 0);  // digits kept before rounding
    __int128 limit = 1;
    for (int k = 0; k < precision; ++k) limit *= 10;
    auto digit_at = [&](int64_t k) {
        const auto ik = static_cast<size_t>(k);
        return ik < int_part.size() ? int_part[ik] - '0' : frac_part[ik - int_part.size()] - '0';
    };
    __int128 n = 0;
    for (int64_t k = 0; k < keep; ++k) {
        if (!PushDigit(&n, digit_at(k), limit)) return false;
    }
    if (shift > 0 && n != 0) {
        for (int64_t k = 0; k < shift; ++k) {
            if (!PushDigit(&n, 0, limit)) return false;
        }
    }
    if (keep >= 0 && keep < total && digit_at(keep) >= 5) {
        ++n;  // half away from zero (on the magnitude)
        if (n >= limit) return false;
    }
    *out = negative ? -n : n;
    return true;
}

}  // namespace tarn::format
