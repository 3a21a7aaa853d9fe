// Fuzz target: the two small languages users type outside SQL. The first byte picks one, the rest
// is the text:
//   even: Glue GetPartitions' Expression (catalog/partition_expression.h), over a table with an
//         int, a string, a date and a double partition key and a few partitions;
//   odd:  a schedule (common/schedule.h): rate(...), every ..., 5- and 6-field cron.
//
// Beyond not crashing or hanging:
//   - every error is one line;
//   - a filter and its negation `NOT (<text>)` both parse and disagree on every partition (the
//     partitions' values are all valid for their keys' types, so no comparison is unknown);
//   - a schedule's fire times strictly increase, cron ones on whole minutes, interval ones on
//     multiples of the interval, and the schedule's own text parses to the same fire times.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/partition_expression.h"
#include "common/schedule.h"

namespace {

using tarn::catalog::Column;
using tarn::catalog::PartitionFilter;

[[noreturn]] void Fail(const std::string& what, std::string_view text) {
    std::fprintf(stderr, "expressions_fuzzer: %s\n  text: %.*s\n", what.c_str(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

void CheckError(const tarn::Status& status, std::string_view text) {
    if (status.message().find('\n') != std::string::npos) Fail("multi-line error", text);
}

const std::vector<Column> kKeys = {
    {"year", "int", ""}, {"month", "string", ""}, {"day", "date", ""}, {"score", "double", ""}};

// String values are numeric so that `month >= 6` compares them as numbers without an unknown.
const std::vector<std::vector<std::string>> kPartitions = {
    {"2024", "06", "2024-06-01", "1.5"},   {"2025", "12", "2025-12-31", "-0.25"},
    {"1970", "1", "1970-01-01", "0"},      {"-3", "007", "2000-02-29", "1e10"},
    {"2026", "10", "2026-10-09", "99.99"},
};

void FuzzPartitionFilter(std::string_view text) {
    auto filter = PartitionFilter::Parse(text, kKeys);
    if (!filter.ok()) return CheckError(filter.status(), text);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return;  // matches all
    const std::string negated = "NOT (" + std::string(text) + ")";
    auto opposite = PartitionFilter::Parse(negated, kKeys);
    if (!opposite.ok())
        Fail("the negation of a filter does not parse: " + opposite.status().message(), text);
    for (const auto& values : kPartitions) {
        if (filter->Matches(values) == opposite->Matches(values)) {
            Fail("a filter and its negation agree on partition " + values[0] + "/" + values[1] +
                     "/" + values[2] + "/" + values[3],
                 text);
        }
    }
}

void FuzzSchedule(std::string_view text) {
    auto schedule = tarn::Schedule::Parse(text);
    if (!schedule.ok()) return CheckError(schedule.status(), text);
    auto again = tarn::Schedule::Parse(schedule->text());
    if (!again.ok()) Fail("a schedule's own text does not parse", text);
    using namespace std::chrono;
    tarn::Schedule::TimePoint t = sys_days{year{2026} / 11 / 26} + hours{17} + seconds{13};
    for (int i = 0; i < 5; ++i) {
        auto next = schedule->NextAfter(t);
        auto next_again = again->NextAfter(t);
        if (next.ok() != next_again.ok() || (next.ok() && *next != *next_again)) {
            Fail("a schedule and its own text fire at different times", text);
        }
        if (!next.ok()) {
            if (next.status().code() != tarn::StatusCode::kNotFound) Fail("NextAfter failed", text);
            return;
        }
        if (*next <= t) Fail("fire times do not increase", text);
        const auto since_epoch = duration_cast<milliseconds>(next->time_since_epoch());
        if (schedule->kind() == tarn::Schedule::Kind::kCron && since_epoch % minutes{1} != 0ms) {
            Fail("a cron fire time is not on a whole minute", text);
        }
        if (schedule->kind() == tarn::Schedule::Kind::kInterval &&
            since_epoch % schedule->interval() != 0ms) {
            Fail("an interval fire time is not a multiple of the interval", text);
        }
        t = *next;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > 1024) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        FuzzPartitionFilter(text);
    } else {
        FuzzSchedule(text);
    }
    return 0;
}
