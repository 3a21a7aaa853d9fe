#include "common/schedule.h"

#include <array>
#include <bit>
#include <cctype>
#include <limits>
#include <vector>

#include "common/text.h"
#include "common/time_format.h"

namespace tarn {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr int64_t kMinutesPerDay = 24 * 60;
// How much of a schedule an error message quotes.
constexpr size_t kQuotedBytes = 200;

// Floor division for possibly negative numerators (times before 1970).
int64_t FloorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
    static constexpr std::array<unsigned, 13> kDays = {0,  31, 28, 31, 30, 31, 30,
                                                       31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeapYear(y) ? 29 : kDays[m];
}

// 0 = Sunday. 1970-01-01 was a Thursday.
unsigned WeekdayFromDays(int64_t days) { return static_cast<unsigned>(((days % 7) + 7 + 4) % 7); }

std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> SplitBlanks(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        size_t start = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

// Parses a non-empty run of digits; false when not all digits or absurdly large.
bool ParseUnsigned(std::string_view s, int64_t* out) {
    if (s.empty() || s.size() > 9) return false;
    int64_t v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

struct FieldSpec {
    std::string_view name;
    int64_t min;
    int64_t max;
    const std::string_view* names = nullptr;  // names[i] stands for value name_base + i
    size_t name_count = 0;
    int64_t name_base = 0;
};

Status FieldError(const FieldSpec& spec, std::string_view detail) {
    return Status::InvalidArgument("cron field '" + std::string(spec.name) +
                                   "': " + std::string(detail));
}

Result<int64_t> ParseFieldValue(std::string_view token, const FieldSpec& spec) {
    if (token.empty()) return FieldError(spec, "missing value");
    int64_t v;
    if (ParseUnsigned(token, &v)) {
        if (v < spec.min || v > spec.max) {
            return FieldError(spec, std::string(token) + " is out of range " +
                                        std::to_string(spec.min) + "-" + std::to_string(spec.max));
        }
        return v;
    }
    const std::string lower = AsciiLower(token);
    for (size_t i = 0; i < spec.name_count; ++i) {
        if (lower == spec.names[i]) return spec.name_base + static_cast<int64_t>(i);
    }
    // AWS-only forms: "L", "5L", "15W", "LW", "3#2".
    const bool aws_special = lower.find('#') != std::string::npos || lower == "lw" ||
                             ((lower.back() == 'l' || lower.back() == 'w') &&
                              lower.find_first_not_of("0123456789") == lower.size() - 1);
    if (aws_special && (spec.name == "day-of-month" || spec.name == "day-of-week")) {
        return FieldError(
            spec, "'" + std::string(token) + "': the AWS 'L', 'W' and '#' forms are not supported");
    }
    std::string expected = std::to_string(spec.min) + "-" + std::to_string(spec.max);
    if (spec.name_count > 0) {
        expected += " or " + Upper(spec.names[0]) + "-" + Upper(spec.names[spec.name_count - 1]);
    }
    return FieldError(spec,
                      "invalid value '" + std::string(token) + "' (expected " + expected + ")");
}

Result<std::vector<bool>> ParseField(std::string_view field, const FieldSpec& spec) {
    std::vector<bool> allowed(static_cast<size_t>(spec.max - spec.min + 1), false);
    if (field.empty()) return FieldError(spec, "empty");
    size_t pos = 0;
    while (true) {
        size_t comma = field.find(',', pos);
        std::string_view item = field.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        if (item.empty())
            return FieldError(spec, "empty element in list '" + std::string(field) + "'");
        if (item.find('?') != std::string_view::npos) {
            return FieldError(spec,
                              "'?' must be the whole field, and only in day-of-month or "
                              "day-of-week of an AWS cron(...)");
        }
        std::string_view base = item;
        int64_t step = 1;
        bool has_step = false;
        if (size_t slash = item.find('/'); slash != std::string_view::npos) {
            base = item.substr(0, slash);
            std::string_view step_text = item.substr(slash + 1);
            if (!ParseUnsigned(step_text, &step) || step == 0) {
                return FieldError(
                    spec, "step must be a positive integer, got '" + std::string(step_text) + "'");
            }
            has_step = true;
        }
        int64_t lo, hi;
        if (base == "*") {
            lo = spec.min, hi = spec.max;
        } else if (size_t dash = base.find('-'); dash != std::string_view::npos) {
            TARN_ASSIGN_OR_RETURN(lo, ParseFieldValue(base.substr(0, dash), spec));
            TARN_ASSIGN_OR_RETURN(hi, ParseFieldValue(base.substr(dash + 1), spec));
            if (lo > hi) {
                return FieldError(
                    spec, "range '" + std::string(base) + "' is reversed (start after end)");
            }
        } else {
            TARN_ASSIGN_OR_RETURN(lo, ParseFieldValue(base, spec));
            hi = has_step ? spec.max : lo;  // "a/n" means a, a+n, … up to the maximum
        }
        for (int64_t v = lo; v <= hi; v += step) allowed[static_cast<size_t>(v - spec.min)] = true;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return allowed;
}

template <typename Mask>
Mask ToMask(const std::vector<bool>& allowed, int64_t min) {
    Mask mask = 0;
    for (size_t i = 0; i < allowed.size(); ++i) {
        if (allowed[i]) mask |= static_cast<Mask>(Mask{1} << (static_cast<int64_t>(i) + min));
    }
    return mask;
}

// The smallest allowed value >= v in `mask`, or -1.
int NextInMask(uint64_t mask, int v) {
    if (v >= 64) return -1;
    uint64_t rest = mask & (~uint64_t{0} << v);
    return rest == 0 ? -1 : std::countr_zero(rest);
}

Status InvalidSchedule(std::string_view text, const Status& cause) {
    // Fields are the user's text too: the whole message is made one line.
    return Status::InvalidArgument(OneLineExcerpt(
        "invalid schedule '" + OneLineExcerpt(text, kQuotedBytes) + "': " + cause.message()));
}

// Time points are nanoseconds since the epoch; fire times past year 2262 don't fit.
Result<Schedule::TimePoint> FromMillis(int64_t ms, std::string_view text) {
    using Duration = Schedule::TimePoint::duration;
    constexpr int64_t kMaxMs =
        std::chrono::duration_cast<milliseconds>(Duration::max()).count() - 1;
    constexpr int64_t kMinMs =
        std::chrono::duration_cast<milliseconds>(Duration::min()).count() + 1;
    if (ms > kMaxMs || ms < kMinMs) {
        return Status::NotFound("schedule '" + std::string(text) +
                                "' has no fire time within the representable range");
    }
    return Schedule::TimePoint(std::chrono::duration_cast<Duration>(milliseconds(ms)));
}

}  // namespace

Result<Schedule> Schedule::Parse(std::string_view raw) {
    const std::string_view text = Trim(raw);
    const std::string lower = AsciiLower(text);
    if (lower.starts_with("rate(") || lower.starts_with("cron(")) {
        if (!lower.ends_with(")")) {
            return InvalidSchedule(text, Status::InvalidArgument("missing closing ')'"));
        }
        std::string_view body = text.substr(5, text.size() - 6);
        if (lower.starts_with("rate(")) return ParseRate(text, body);
        return ParseCron(text, body, /*aws=*/true);
    }
    if (lower.starts_with("every") && lower.size() > 5 &&
        std::isspace(static_cast<unsigned char>(lower[5]))) {
        std::string_view duration_text = Trim(text.substr(5));
        Result<milliseconds> d = ParseDuration(duration_text);
        if (!d.ok()) return InvalidSchedule(text, d.status());
        Result<Schedule> s = Every(*d);
        if (!s.ok()) return InvalidSchedule(text, s.status());
        s->text_ = std::string(text);
        return s;
    }
    const std::vector<std::string_view> fields = SplitBlanks(text);
    if (fields.size() == 5) return ParseCron(text, text, /*aws=*/false);
    std::string hint;
    if (fields.size() == 6) hint = " (for the AWS 6-field form write cron(...))";
    return Status::InvalidArgument(
        "invalid schedule '" + OneLineExcerpt(text, kQuotedBytes) +
        "': expected rate(<n> <unit>), every <duration>, cron(<6 AWS fields>) or a 5-field cron "
        "expression" +
        hint);
}

Result<Schedule> Schedule::Every(milliseconds interval) {
    if (interval <= milliseconds::zero()) {
        return Status::InvalidArgument("interval must be positive, got " +
                                       std::to_string(interval.count()) + "ms");
    }
    Schedule s;
    s.kind_ = Kind::kInterval;
    s.interval_ = interval;
    s.text_ = "every " + std::to_string(interval.count()) + "ms";
    return s;
}

Result<Schedule> Schedule::ParseRate(std::string_view text, std::string_view body) {
    const std::vector<std::string_view> parts = SplitBlanks(body);
    auto bad = [&](std::string detail) {
        return InvalidSchedule(text, Status::InvalidArgument(std::move(detail)));
    };
    if (parts.size() != 2) return bad("rate(...) takes a value and a unit, e.g. rate(5 minutes)");
    int64_t value;
    if (!ParseUnsigned(parts[0], &value) || value == 0) {
        return bad("rate value must be a positive integer, got '" + std::string(parts[0]) + "'");
    }
    const std::string unit = AsciiLower(parts[1]);
    struct Unit {
        std::string_view singular;
        int64_t ms;
    };
    static constexpr std::array<Unit, 3> kUnits = {Unit{"minute", 60'000}, Unit{"hour", 3'600'000},
                                                   Unit{"day", 86'400'000}};
    for (const Unit& u : kUnits) {
        const std::string plural = std::string(u.singular) + "s";
        if (unit != u.singular && unit != plural) continue;
        if (value == 1 && unit != u.singular) {
            return bad("use the singular unit '" + std::string(u.singular) +
                       "' when the value is 1");
        }
        if (value != 1 && unit != plural) {
            return bad("use the plural unit '" + plural + "' when the value is not 1");
        }
        Schedule s;
        s.kind_ = Kind::kInterval;
        s.interval_ = milliseconds(value * u.ms);  // value < 10^9: no overflow
        s.text_ = std::string(text);
        return s;
    }
    return bad("unknown rate unit '" + std::string(parts[1]) +
               "' (expected minute(s), hour(s) or day(s))");
}

Result<Schedule> Schedule::ParseCron(std::string_view text, std::string_view body, bool aws) {
    const std::vector<std::string_view> fields = SplitBlanks(body);
    const size_t want = aws ? 6 : 5;
    if (fields.size() != want) {
        return InvalidSchedule(
            text, Status::InvalidArgument(
                      std::string(aws ? "cron(...) needs 6 fields (minutes hours day-of-month "
                                        "month day-of-week year)"
                                      : "a classic cron needs 5 fields (minutes hours "
                                        "day-of-month month day-of-week)") +
                      ", got " + std::to_string(fields.size())));
    }
    const FieldSpec kMinutes{"minutes", 0, 59};
    const FieldSpec kHours{"hours", 0, 23};
    const FieldSpec kDom{"day-of-month", 1, 31};
    const FieldSpec kMonth{"month", 1, 12, kMonthNames.data(), kMonthNames.size(), 1};
    const FieldSpec kDow = aws ? FieldSpec{"day-of-week", 1, 7, kDayNames.data(), 7, 1}
                               : FieldSpec{"day-of-week", 0, 7, kDayNames.data(), 7, 0};
    const FieldSpec kYear{"year", kMinYear, kMaxYear};

    Schedule s;
    s.kind_ = Kind::kCron;
    s.text_ = std::string(text);
    Cron& c = s.cron_;
    auto parse = [&](std::string_view field, const FieldSpec& spec) -> Result<std::vector<bool>> {
        Result<std::vector<bool>> r = ParseField(field, spec);
        if (!r.ok()) return InvalidSchedule(text, r.status());
        return r;
    };
    TARN_ASSIGN_OR_RETURN(auto minutes, parse(fields[0], kMinutes));
    c.minutes = ToMask<uint64_t>(minutes, kMinutes.min);
    TARN_ASSIGN_OR_RETURN(auto hours, parse(fields[1], kHours));
    c.hours = ToMask<uint32_t>(hours, kHours.min);

    const bool dom_any = fields[2] == "?";
    const bool dow_any = fields[4] == "?";
    if (aws && dom_any == dow_any) {
        return InvalidSchedule(
            text, Status::InvalidArgument(
                      dom_any ? "day-of-month and day-of-week can't both be '?'"
                              : "one of day-of-month and day-of-week must be '?' (AWS cron "
                                "can't restrict both)"));
    }
    if (!aws && (dom_any || dow_any)) {
        return InvalidSchedule(
            text,
            FieldError(dom_any ? kDom : kDow, "'?' is only allowed in an AWS cron(...); use '*'"));
    }
    if (!dom_any) {
        TARN_ASSIGN_OR_RETURN(auto dom, parse(fields[2], kDom));
        c.days = ToMask<uint32_t>(dom, kDom.min);
    }
    TARN_ASSIGN_OR_RETURN(auto months, parse(fields[3], kMonth));
    c.months = ToMask<uint16_t>(months, kMonth.min);
    if (!dow_any) {
        TARN_ASSIGN_OR_RETURN(auto dow, parse(fields[4], kDow));
        for (size_t i = 0; i < dow.size(); ++i) {
            if (!dow[i]) continue;
            // AWS 1-7 and classic 0-7 both map to 0-6 with 0 = Sunday.
            const int64_t v = static_cast<int64_t>(i) + kDow.min;
            const int64_t weekday = aws ? v - 1 : v % 7;
            c.weekdays |= static_cast<uint8_t>(1u << weekday);
        }
    }
    if (aws) {
        c.any_day_of_month = dom_any;
        c.any_day_of_week = dow_any;
        // Even '*' limits the years to 1970-2199, as AWS does.
        TARN_ASSIGN_OR_RETURN(auto years, parse(fields[5], kYear));
        c.years_limited = true;
        for (size_t i = 0; i < years.size(); ++i) c.years[i] = years[i];
    } else {
        // Vixie cron: a field starting with '*' does not take part in the "either" rule.
        c.either_day = !fields[2].starts_with('*') && !fields[4].starts_with('*');
    }

    // Reject patterns that can never fire (30 February, 29 February of non-leap years only).
    // Every calendar pattern recurs within 400 years, so one bounded search decides it.
    const int64_t start = DaysFromCivil(kMinYear, 1, 1) * kMinutesPerDay;
    if (s.NextCronMinute(start) < 0) {
        return InvalidSchedule(
            text, Status::InvalidArgument("it can never fire (no date matches its day-of-month, "
                                          "month, day-of-week and year fields)"));
    }
    return s;
}

bool Schedule::DayMatches(int64_t days_since_epoch, unsigned day_of_month) const {
    const bool dom = (cron_.days >> day_of_month) & 1u;
    const bool dow = (cron_.weekdays >> WeekdayFromDays(days_since_epoch)) & 1u;
    if (cron_.any_day_of_month) return dow;
    if (cron_.any_day_of_week) return dom;
    return cron_.either_day ? (dom || dow) : (dom && dow);
}

int64_t Schedule::NextCronMinute(int64_t minute) const {
    int64_t days = FloorDiv(minute, kMinutesPerDay);
    int64_t minute_of_day = minute - days * kMinutesPerDay;
    int64_t y;
    unsigned mo, d;
    CivilFromDays(days, &y, &mo, &d);
    int h = static_cast<int>(minute_of_day / 60);
    int mi = static_cast<int>(minute_of_day % 60);
    const int64_t last_year = cron_.years_limited ? kMaxYear : y + 400;

    // Each step either returns or moves to the start of a later year, month, day or hour, resetting
    // the smaller fields, so the loop ends within the year bound.
    while (y <= last_year) {
        if (cron_.years_limited) {
            int64_t next_year = std::max(y, kMinYear);
            while (next_year <= kMaxYear &&
                   !cron_.years[static_cast<size_t>(next_year - kMinYear)]) {
                ++next_year;
            }
            if (next_year > kMaxYear) return -1;
            if (next_year != y) y = next_year, mo = 1, d = 1, h = 0, mi = 0;
        }
        const int next_month = NextInMask(cron_.months, static_cast<int>(mo));
        if (next_month < 0) {
            ++y, mo = 1, d = 1, h = 0, mi = 0;
            continue;
        }
        if (static_cast<unsigned>(next_month) != mo) {
            mo = static_cast<unsigned>(next_month), d = 1, h = 0, mi = 0;
        }
        const unsigned month_days = DaysInMonth(y, mo);
        const int64_t first_of_month = DaysFromCivil(y, mo, 1);
        unsigned day = d;
        while (day <= month_days && !DayMatches(first_of_month + day - 1, day)) ++day;
        if (day > month_days) {
            if (++mo > 12) ++y, mo = 1;
            d = 1, h = 0, mi = 0;
            continue;
        }
        if (day != d) d = day, h = 0, mi = 0;
        const int next_hour = NextInMask(cron_.hours, h);
        if (next_hour < 0) {
            ++d, h = 0, mi = 0;  // d may pass the month's end: the day scan above handles it
            continue;
        }
        if (next_hour != h) h = next_hour, mi = 0;
        const int next_minute = NextInMask(cron_.minutes, mi);
        if (next_minute < 0) {
            ++h, mi = 0;  // h may reach 24: NextInMask finds no hour and moves to the next day
            continue;
        }
        return (first_of_month + d - 1) * kMinutesPerDay + h * 60 + next_minute;
    }
    return -1;
}

Result<Schedule::TimePoint> Schedule::NextAfter(TimePoint t) const {
    if (kind_ == Kind::kInterval) {
        const int64_t now_ms = std::chrono::floor<milliseconds>(t).time_since_epoch().count();
        const int64_t step = interval_.count();
        const int64_t k = FloorDiv(now_ms, step) + 1;
        if (k > std::numeric_limits<int64_t>::max() / step) {
            return Status::NotFound("schedule '" + text_ +
                                    "' has no fire time after the end of time");
        }
        return FromMillis(k * step, text_);
    }
    // The first whole minute strictly after t.
    const int64_t start = std::chrono::floor<minutes>(t).time_since_epoch().count() + 1;
    const int64_t next = NextCronMinute(start);
    if (next < 0) {
        std::string when;
        AppendIso8601Millis(when, t);
        return Status::NotFound("schedule '" + text_ + "' never fires after " + when);
    }
    return FromMillis(next * 60'000, text_);
}

}  // namespace tarn
