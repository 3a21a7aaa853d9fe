// Schedule: when a periodic task fires, parsed from the text users write in pipeline.yaml.
//
// Accepted forms (keywords, units and month/day names are case-insensitive; surrounding blanks are
// ignored):
//
//   rate(5 minutes)   rate(1 hour)   rate(2 days)   AWS EventBridge rate: a positive integer and
//                                                   minute(s)/hour(s)/day(s); as in AWS, the
//                                                   singular unit for 1, the plural otherwise.
//   every 30s   every 5m   every 1h30m              any positive ParseDuration() duration.
//   cron(0/15 8-17 ? * MON-FRI *)                   AWS 6-field cron: Minutes Hours Day-of-month
//                                                   Month Day-of-week Year. Day-of-week 1-7 =
//                                                   SUN-SAT; Year 1970-2199. Exactly one of
//                                                   day-of-month/day-of-week is '?'; the other one
//                                                   alone decides the day.
//   */5 * * * 1-5                                   classic 5-field cron: m h dom mon dow, dow 0-7
//                                                   (0 and 7 = Sunday). When both dom and dow are
//                                                   restricted a day matches if either matches;
//                                                   a field that starts with '*' (even "*/2") is
//                                                   unrestricted for this rule (Vixie cron).
//
// Cron fields take '*', values, names (JAN-DEC, SUN-SAT), lists "a,b", ranges "a-b" (start <= end)
// and steps "*/n", "a/n" (= a up to the field's maximum) or "a-b/n". AWS 'L', 'W' and '#' are not
// supported (InvalidArgument says so). A cron that can never fire (30 February) is rejected by
// Parse.
//
// All times are UTC; there is no DST. Interval schedules are anchored to the Unix epoch: `every
// 30s` fires at :00 and :30 of every minute, `rate(1 day)` at 00:00 UTC, `every 7m` at multiples of
// 7 minutes since 1970-01-01T00:00:00Z. That makes fire times independent of when the process
// started (a restart does not shift them).
//
// Thread-safety: a Schedule is an immutable value; const methods may be called from many threads.
#pragma once

#include <bitset>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn {

class Schedule {
public:
    using TimePoint = std::chrono::system_clock::time_point;

    enum class Kind : uint8_t { kInterval, kCron };

    // Parses any of the forms above. InvalidArgument names the schedule, the field and the problem,
    // e.g. "invalid schedule 'cron(0 24 * * ? *)': cron field 'hours': 24 is out of range 0-23".
    static Result<Schedule> Parse(std::string_view text);

    // An interval schedule built in code. InvalidArgument unless `interval` > 0.
    static Result<Schedule> Every(std::chrono::milliseconds interval);

    // The first fire time strictly after `t`. Cron fire times are whole minutes; interval fire
    // times are whole multiples of the interval since the epoch. NotFound when the schedule never
    // fires again: an AWS cron whose Year field is past (AWS years end in 2199), or a fire time
    // beyond what a TimePoint holds (year 2262). Cost: a few field skips per call, never a
    // minute-by-minute scan.
    Result<TimePoint> NextAfter(TimePoint t) const;

    Kind kind() const { return kind_; }
    // The text it was parsed from (trimmed), or "every <n>ms" for Every().
    const std::string& text() const { return text_; }
    // REQUIRES: kind() == kInterval.
    std::chrono::milliseconds interval() const { return interval_; }

private:
    static constexpr int64_t kMinYear = 1970;  // AWS Year field range
    static constexpr int64_t kMaxYear = 2199;

    // Cron fields as bit sets: bit v is set when value v is allowed.
    struct Cron {
        uint64_t minutes = 0;                        // 0-59
        uint32_t hours = 0;                          // 0-23
        uint32_t days = 0;                           // 1-31 (day of month)
        uint16_t months = 0;                         // 1-12
        uint8_t weekdays = 0;                        // 0-6, 0 = Sunday
        bool any_day_of_month = false;               // the day decision ignores day-of-month
        bool any_day_of_week = false;                // the day decision ignores day-of-week
        bool either_day = false;                     // Vixie: a day matches if dom or dow matches
        bool years_limited = false;                  // AWS: only the years in `years` (1970-2199)
        std::bitset<kMaxYear - kMinYear + 1> years;  // bit y - kMinYear, when years_limited
    };
    Schedule() = default;
    static Result<Schedule> ParseRate(std::string_view text, std::string_view body);
    static Result<Schedule> ParseCron(std::string_view text, std::string_view body, bool aws);
    // The first cron minute (minutes since the epoch) at or after `minute`, or -1 when none is
    // within the search bound (the AWS year range, or 400 years: the Gregorian cycle, after which
    // every calendar pattern repeats).
    int64_t NextCronMinute(int64_t minute) const;
    bool DayMatches(int64_t days_since_epoch, unsigned day_of_month) const;

    Kind kind_ = Kind::kInterval;
    std::string text_;
    std::chrono::milliseconds interval_{0};
    Cron cron_;
};

}  // namespace tarn
