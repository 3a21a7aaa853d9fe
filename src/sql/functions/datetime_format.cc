// date_format(timestamp, format): MySQL's specifiers as Trino implements them.
//   %a Mon..Sun    %b Jan..Dec     %c 1..12          %D 1st 2nd 3rd 4th ..   %d 01..31
//   %e 1..31       %f 000000..999999 (microseconds)  %H 00..23     %h %I 01..12   %i 00..59
//   %j 001..366    %k 0..23        %l 1..12          %M January..  %m 01..12   %p AM/PM
//   %r hh:mm:ss AM %S %s 00..59    %T HH:mm:ss       %v ISO week 01..53        %W Monday..
//   %Y year, at least 4 digits     %y 00..99         %% a '%'
// %U %u %V %w %X %x are refused (Trino does not support them); any other character after '%' is
// written as itself.
#include <cstdint>
#include <string>

#include "sql/functions/datetime_internal.h"

namespace tarn::sql::datetime {

namespace {

constexpr const char* kMonthNames[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
constexpr const char* kDayNames[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};

// `v` in decimal, zero-padded to `width` digits (a '-' first for negative years).
void AppendPadded(int64_t v, int width, std::string* out) {
    if (v < 0) {
        out->push_back('-');
        v = -v;
    }
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (int i = n; i < width; ++i) out->push_back('0');
    while (n > 0) out->push_back(buf[--n]);
}

bool IsRefused(char c) {
    return c == 'U' || c == 'u' || c == 'V' || c == 'w' || c == 'X' || c == 'x';
}

const char* DaySuffix(unsigned day) {
    if (day >= 11 && day <= 13) return "th";
    switch (day % 10) {
        case 1:
            return "st";
        case 2:
            return "nd";
        case 3:
            return "rd";
        default:
            return "th";
    }
}

}  // namespace

Status CheckDateFormat(std::string_view format) {
    for (size_t i = 0; i + 1 < format.size(); ++i) {
        if (format[i] != '%') continue;
        if (IsRefused(format[i + 1])) {
            return Status::InvalidArgument(std::string("%") + format[i + 1] +
                                           " not supported in date format string");
        }
        ++i;
    }
    return Status::Ok();
}

void AppendDateFormat(int64_t micros, std::string_view format, std::string* out) {
    const int64_t days = builtin::FloorDiv(micros, kMicrosPerDay);
    const int64_t tod = micros - days * kMicrosPerDay;
    const Civil c = CivilOf(days);
    const int64_t hour = tod / kMicrosPerHour;
    const int64_t minute = tod / kMicrosPerMinute % 60;
    const int64_t second = tod / kMicrosPerSecond % 60;
    const int64_t hour12 = hour % 12 == 0 ? 12 : hour % 12;
    const int64_t dow = DayOfWeek(days);  // Monday = 1
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out->push_back(format[i]);
            continue;
        }
        const char spec = format[++i];
        switch (spec) {
            case 'a':
                out->append(kDayNames[dow - 1], 3);
                break;
            case 'b':
                out->append(kMonthNames[c.month - 1], 3);
                break;
            case 'c':
                AppendPadded(c.month, 1, out);
                break;
            case 'D':
                AppendPadded(c.day, 1, out);
                out->append(DaySuffix(c.day));
                break;
            case 'd':
                AppendPadded(c.day, 2, out);
                break;
            case 'e':
                AppendPadded(c.day, 1, out);
                break;
            case 'f':
                AppendPadded(tod % kMicrosPerSecond, 6, out);
                break;
            case 'H':
                AppendPadded(hour, 2, out);
                break;
            case 'h':
            case 'I':
                AppendPadded(hour12, 2, out);
                break;
            case 'i':
                AppendPadded(minute, 2, out);
                break;
            case 'j':
                AppendPadded(DayOfYear(days), 3, out);
                break;
            case 'k':
                AppendPadded(hour, 1, out);
                break;
            case 'l':
                AppendPadded(hour12, 1, out);
                break;
            case 'M':
                out->append(kMonthNames[c.month - 1]);
                break;
            case 'm':
                AppendPadded(c.month, 2, out);
                break;
            case 'p':
                out->append(hour < 12 ? "AM" : "PM");
                break;
            case 'r':
                AppendPadded(hour12, 2, out);
                out->push_back(':');
                AppendPadded(minute, 2, out);
                out->push_back(':');
                AppendPadded(second, 2, out);
                out->append(hour < 12 ? " AM" : " PM");
                break;
            case 'S':
            case 's':
                AppendPadded(second, 2, out);
                break;
            case 'T':
                AppendPadded(hour, 2, out);
                out->push_back(':');
                AppendPadded(minute, 2, out);
                out->push_back(':');
                AppendPadded(second, 2, out);
                break;
            case 'v':
                AppendPadded(IsoWeek(days), 2, out);
                break;
            case 'W':
                out->append(kDayNames[dow - 1]);
                break;
            case 'Y':
                AppendPadded(c.year, 4, out);
                break;
            case 'y':
                AppendPadded(builtin::FloorMod(c.year, 100), 2, out);
                break;
            default:
                out->push_back(spec);
                break;  // "%%" -> '%', unknown letters as themselves
        }
    }
}

Status DateFormatKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out) {
    const int64_t* ts = args[0]->Data<int64_t>();
    out->Reserve(ctx.rows);
    std::string scratch;
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!builtin::RowValid(ctx.valid, i)) {
            out->AppendNull();
            continue;
        }
        const std::string_view format = args[1]->GetString(i);
        // A constant format was checked at bind time; a computed one is checked per row.
        if (ctx.state == nullptr) TARN_RETURN_IF_ERROR(CheckDateFormat(format));
        scratch.clear();
        AppendDateFormat(ts[i], format, &scratch);
        out->AppendString(scratch);
    }
    return Status::Ok();
}

}  // namespace tarn::sql::datetime
