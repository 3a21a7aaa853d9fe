#include "common/time_format.h"

#include <cctype>

namespace tarn {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

namespace {

void AppendDigits(std::string& out, int64_t value, int width) {
    char buf[24];
    int n = 0;
    uint64_t v = value < 0 ? static_cast<uint64_t>(-value) : static_cast<uint64_t>(value);
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    if (value < 0) out += '-';
    for (int i = n; i < width; ++i) out += '0';
    while (n > 0) out += buf[--n];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

void AppendIso8601Millis(std::string& out, int64_t unix_millis) {
    const int64_t days = FloorDiv(unix_millis, 86'400'000);
    int64_t ms_of_day = unix_millis - days * 86'400'000;
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    AppendDigits(out, year, 4);
    out += '-';
    AppendDigits(out, month, 2);
    out += '-';
    AppendDigits(out, day, 2);
    out += 'T';
    AppendDigits(out, ms_of_day / 3'600'000, 2);
    out += ':';
    AppendDigits(out, ms_of_day / 60'000 % 60, 2);
    out += ':';
    AppendDigits(out, ms_of_day / 1000 % 60, 2);
    out += '.';
    AppendDigits(out, ms_of_day % 1000, 3);
    out += 'Z';
}

void AppendIso8601Millis(std::string& out, std::chrono::system_clock::time_point t) {
    AppendIso8601Millis(
        out, std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

std::string FormatIso8601Millis(int64_t unix_millis) {
    std::string out;
    AppendIso8601Millis(out, unix_millis);
    return out;
}

namespace {

// Reads exactly `width` digits at `pos`.
bool ReadFixed(std::string_view s, size_t& pos, int width, int* value) {
    if (pos + width > s.size()) return false;
    int v = 0;
    for (int i = 0; i < width; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    pos += width;
    *value = v;
    return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

}  // namespace

Result<int64_t> ParseIso8601Millis(std::string_view s) {
    auto bad = [&](std::string_view why) {
        return Status::InvalidArgument("invalid ISO-8601 time '" + std::string(s) +
                                       "': " + std::string(why));
    };
    size_t pos = 0;
    int year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
    if (!ReadFixed(s, pos, 4, &year) || !Expect(s, pos, '-') || !ReadFixed(s, pos, 2, &month) ||
        !Expect(s, pos, '-') || !ReadFixed(s, pos, 2, &day)) {
        return bad("expected YYYY-MM-DD");
    }
    static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDaysIn[month - 1]) return bad("no such date");
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) return bad("no such date");
    int offset_minutes = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return bad("expected 'T' after date");
        ++pos;
        if (!ReadFixed(s, pos, 2, &hour) || !Expect(s, pos, ':') ||
            !ReadFixed(s, pos, 2, &minute)) {
            return bad("expected HH:MM");
        }
        if (Expect(s, pos, ':')) {
            if (!ReadFixed(s, pos, 2, &second)) return bad("expected SS");
            if (Expect(s, pos, '.') || Expect(s, pos, ',')) {
                int digits = 0;
                while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
                    if (digits < 3) millis = millis * 10 + (s[pos] - '0');
                    ++digits;
                    ++pos;
                }
                if (digits == 0) return bad("expected fraction digits");
                for (int i = digits; i < 3; ++i) millis *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 60) return bad("time out of range");
        if (pos < s.size()) {
            char c = s[pos];
            if (c == 'Z' || c == 'z') {
                ++pos;
            } else if (c == '+' || c == '-') {
                ++pos;
                int oh, om = 0;
                if (!ReadFixed(s, pos, 2, &oh)) return bad("expected offset HH");
                Expect(s, pos, ':');
                if (pos < s.size() && !ReadFixed(s, pos, 2, &om)) return bad("expected offset MM");
                offset_minutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
            }
        }
    }
    if (pos != s.size()) return bad("unexpected trailing characters");
    const int64_t days =
        DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60'000LL + second * 1000LL +
           millis;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
    auto bad = [&] {
        return Status::InvalidArgument("invalid duration '" + std::string(text) +
                                       "': expected e.g. 500ms, 30s, 5m, 2h, 3d or 1h30m");
    };
    if (text.empty()) return bad();
    int64_t total_ms = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        int64_t n = 0;
        size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            if (n > (INT64_MAX / 10)) return bad();
            n = n * 10 + (text[pos++] - '0');
        }
        if (pos == start) return bad();
        int64_t unit_ms;
        if (text.substr(pos, 2) == "ms") {
            unit_ms = 1, pos += 2;
        } else if (pos < text.size() && text[pos] == 's') {
            unit_ms = 1000, ++pos;
        } else if (pos < text.size() && text[pos] == 'm') {
            unit_ms = 60'000, ++pos;
        } else if (pos < text.size() && text[pos] == 'h') {
            unit_ms = 3'600'000, ++pos;
        } else if (pos < text.size() && text[pos] == 'd') {
            unit_ms = 86'400'000, ++pos;
        } else {
            return bad();
        }
        if (n > INT64_MAX / unit_ms || total_ms > INT64_MAX - n * unit_ms) return bad();
        total_ms += n * unit_ms;
    }
    return std::chrono::milliseconds(total_ms);
}

}  // namespace tarn
