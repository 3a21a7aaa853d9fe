// date_trunc, date_add and date_diff on TIMESTAMP and DATE, with Trino's (Joda-Time's) calendar
// rules: month-based adds clamp the day to the target month, month-based differences count whole
// months by comparing the day and time of day.
#include <algorithm>
#include <cstdint>

#include "sql/functions/datetime_internal.h"

namespace tarn::sql::datetime {

using builtin::FloorDiv;
using builtin::FloorMod;
using builtin::RowValid;
using columnar::ColumnVector;

namespace {

// The fixed length of a unit below a month, in microseconds.
int64_t UnitMicros(Unit u) {
    switch (u) {
        case Unit::kMillisecond:
            return kMicrosPerMilli;
        case Unit::kSecond:
            return kMicrosPerSecond;
        case Unit::kMinute:
            return kMicrosPerMinute;
        case Unit::kHour:
            return kMicrosPerHour;
        case Unit::kDay:
            return kMicrosPerDay;
        case Unit::kWeek:
            return 7 * kMicrosPerDay;
        default:
            return 0;
    }
}
int64_t UnitMonths(Unit u) { return u == Unit::kMonth ? 1 : u == Unit::kQuarter ? 3 : 12; }

// Truncation of days to a date unit (day and coarser).
int64_t TruncDays(Unit u, int64_t days) {
    if (u == Unit::kDay) return days;
    if (u == Unit::kWeek) return days - (DayOfWeek(days) - 1);
    Civil c = CivilOf(days);
    const unsigned month = u == Unit::kMonth     ? c.month
                           : u == Unit::kQuarter ? (c.month - 1) / 3 * 3 + 1
                                                 : 1;
    return DaysFromCivil(c.year, month, 1);
}

// Whole months from a to b (b - a) as Joda-Time counts them: the calendar months between, minus
// one when b's day and time of day fall before a's (a day past the end of b's month counts as
// b's last day, so Jan 31 -> Feb 28 is one month).
int64_t MonthsBetween(int64_t a_days, int64_t a_tod, int64_t b_days, int64_t b_tod) {
    if (b_days < a_days || (b_days == a_days && b_tod < a_tod)) {
        return -MonthsBetween(b_days, b_tod, a_days, a_tod);
    }
    const Civil a = CivilOf(a_days);
    const Civil b = CivilOf(b_days);
    int64_t months = (b.year - a.year) * 12 + (static_cast<int64_t>(b.month) - a.month);
    unsigned a_day = a.day;
    if (b.day == DaysInMonth(b.year, b.month) && a_day > b.day) a_day = b.day;
    const int64_t a_rem = (a_day - 1) * kMicrosPerDay + a_tod;
    const int64_t b_rem = (b.day - 1) * kMicrosPerDay + b_tod;
    if (b_rem < a_rem) --months;
    return months;
}

const Unit& UnitOf(const KernelContext& ctx) {
    return static_cast<const UnitState*>(ctx.state)->unit;
}

Status OutOfRange(std::string_view function) {
    return Status::InvalidArgument(std::string(function) + ": result is out of range");
}

}  // namespace

bool AddMonths(int64_t days, int64_t months, int64_t* result) {
    // Beyond a million years the result does not fit a TIMESTAMP anyway; the bound keeps the
    // month arithmetic below from overflowing.
    if (months > 12'000'000 || months < -12'000'000) return false;
    const Civil c = CivilOf(days);
    const int64_t total = c.year * 12 + (c.month - 1) + months;
    const int64_t year = FloorDiv(total, 12);
    const auto month = static_cast<unsigned>(FloorMod(total, 12) + 1);
    *result = DaysFromCivil(year, month, std::min(c.day, DaysInMonth(year, month)));
    return true;
}

Status DateTruncTimestampKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int64_t* in = args[1]->Data<int64_t>();
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    if (unit < Unit::kWeek) {
        const int64_t step = UnitMicros(unit);
        for (size_t i = 0; i < ctx.rows; ++i) res[i] = in[i] - FloorMod(in[i], step);
    } else {
        for (size_t i = 0; i < ctx.rows; ++i) {
            res[i] = TruncDays(unit, FloorDiv(in[i], kMicrosPerDay)) * kMicrosPerDay;
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status DateTruncDateKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int32_t* in = args[1]->Data<int32_t>();
    out->Resize(ctx.rows);
    int32_t* res = out->MutableData<int32_t>();
    for (size_t i = 0; i < ctx.rows; ++i) res[i] = static_cast<int32_t>(TruncDays(unit, in[i]));
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status DateAddTimestampKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int64_t* n = args[1]->Data<int64_t>();
    const int64_t* in = args[2]->Data<int64_t>();
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    const int64_t step = UnitMicros(unit);
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        int64_t delta = 0;
        if (step != 0) {
            if (__builtin_mul_overflow(n[i], step, &delta) ||
                __builtin_add_overflow(in[i], delta, &res[i])) {
                return OutOfRange("date_add");
            }
            continue;
        }
        const int64_t days = FloorDiv(in[i], kMicrosPerDay);
        int64_t new_days = 0;
        if (__builtin_mul_overflow(n[i], UnitMonths(unit), &delta) ||
            !AddMonths(days, delta, &new_days) ||
            __builtin_mul_overflow(new_days, kMicrosPerDay, &res[i]) ||
            __builtin_add_overflow(res[i], in[i] - days * kMicrosPerDay, &res[i])) {
            return OutOfRange("date_add");
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status DateAddDateKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int64_t* n = args[1]->Data<int64_t>();
    const int32_t* in = args[2]->Data<int32_t>();
    out->Resize(ctx.rows);
    int32_t* res = out->MutableData<int32_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        int64_t delta = 0;
        int64_t days = 0;
        bool ok = true;
        if (unit == Unit::kDay || unit == Unit::kWeek) {
            ok = !__builtin_mul_overflow(n[i], unit == Unit::kDay ? 1 : 7, &delta) &&
                 !__builtin_add_overflow(int64_t{in[i]}, delta, &days);
        } else {
            ok = !__builtin_mul_overflow(n[i], UnitMonths(unit), &delta) &&
                 AddMonths(in[i], delta, &days);
        }
        if (!ok || days > INT32_MAX || days < INT32_MIN) return OutOfRange("date_add");
        res[i] = static_cast<int32_t>(days);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status DateDiffTimestampKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int64_t* a = args[1]->Data<int64_t>();
    const int64_t* b = args[2]->Data<int64_t>();
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    const int64_t step = UnitMicros(unit);
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        if (step != 0) {
            // 128 bits: the difference of two extreme instants does not fit 64.
            res[i] = static_cast<int64_t>((static_cast<__int128>(b[i]) - a[i]) / step);
            continue;
        }
        const int64_t a_days = FloorDiv(a[i], kMicrosPerDay);
        const int64_t b_days = FloorDiv(b[i], kMicrosPerDay);
        res[i] = MonthsBetween(a_days, a[i] - a_days * kMicrosPerDay, b_days,
                               b[i] - b_days * kMicrosPerDay) /
                 UnitMonths(unit);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status DateDiffDateKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const Unit unit = UnitOf(ctx);
    const int32_t* a = args[1]->Data<int32_t>();
    const int32_t* b = args[2]->Data<int32_t>();
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        const int64_t days = int64_t{b[i]} - a[i];
        if (unit == Unit::kDay || unit == Unit::kWeek) {
            res[i] = unit == Unit::kDay ? days : days / 7;
        } else {
            res[i] = MonthsBetween(a[i], 0, b[i], 0) / UnitMonths(unit);
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

}  // namespace tarn::sql::datetime
