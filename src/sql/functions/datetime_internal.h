// Internal to sql/functions/: the calendar arithmetic behind the date/time functions
// (datetime_functions.cc binds them; datetime_arith.cc and datetime_format.cc hold the kernels).
// TIMESTAMP is int64_t microseconds since 1970-01-01 UTC, DATE int32_t days; the calendar is the
// proleptic Gregorian one, and every division rounds toward minus infinity so that instants
// before 1970 fall into the right day.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "columnar/column_vector.h"
#include "common/status.h"
#include "common/time_format.h"
#include "sql/functions/builtin_util.h"
#include "sql/functions/functions.h"

namespace tarn::sql::datetime {

inline constexpr int64_t kMicrosPerMilli = 1'000;
inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// The units of date_trunc, date_add and date_diff, from finest to coarsest.
enum class Unit : uint8_t {
    kMillisecond,
    kSecond,
    kMinute,
    kHour,
    kDay,
    kWeek,
    kMonth,
    kQuarter,
    kYear
};

// The binding state of date_trunc/date_add/date_diff: the unit, parsed once at bind time.
struct UnitState {
    Unit unit = Unit::kDay;
};

// Case-insensitive unit name -> Unit; false for anything else.
bool ParseUnit(std::string_view text, Unit* unit);
// Whether a DATE has the unit (day and coarser).
inline bool IsDateUnit(Unit u) { return u >= Unit::kDay; }

struct Civil {
    int64_t year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31
};
inline Civil CivilOf(int64_t days) {
    Civil c;
    CivilFromDays(days, &c.year, &c.month, &c.day);
    return c;
}
inline bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
inline unsigned DaysInMonth(int64_t year, unsigned month) {
    static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}
// Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday).
inline int64_t DayOfWeek(int64_t days) { return builtin::FloorMod(days + 3, 7) + 1; }
inline int64_t DayOfYear(int64_t days) {
    return days - DaysFromCivil(CivilOf(days).year, 1, 1) + 1;
}
// ISO-8601 week number: the week (Monday..Sunday) belongs to the year of its Thursday.
inline int64_t IsoWeek(int64_t days) {
    const int64_t thursday = days - DayOfWeek(days) + 4;
    return (thursday - DaysFromCivil(CivilOf(thursday).year, 1, 1)) / 7 + 1;
}
// Days since the epoch `months` calendar months after `days`, the day of month clamped to the
// target month's length (Jan 31 + 1 month = Feb 28/29). False when out of range.
bool AddMonths(int64_t days, int64_t months, int64_t* result);

// Kernels. Arguments as bound: (unit varchar, x) / (unit, n bigint, x) / (unit, a, b) with x, a, b
// all DATE or all TIMESTAMP; the unit comes from the UnitState in ctx.state.
using Args = std::span<const columnar::ColumnVector* const>;
Status DateTruncTimestampKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
Status DateTruncDateKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
Status DateAddTimestampKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
Status DateAddDateKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
Status DateDiffTimestampKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
Status DateDiffDateKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);

// date_format(timestamp, varchar): MySQL-style specifiers, see datetime_format.cc.
Status DateFormatKernel(const KernelContext& ctx, Args args, columnar::ColumnVector* out);
// OK, or InvalidArgument for a specifier Trino refuses ("%U not supported in date format string").
Status CheckDateFormat(std::string_view format);
// Appends `micros` formatted by `format`. REQUIRES: CheckDateFormat(format).ok().
void AppendDateFormat(int64_t micros, std::string_view format, std::string* out);

}  // namespace tarn::sql::datetime
