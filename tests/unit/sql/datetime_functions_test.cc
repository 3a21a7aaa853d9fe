#include <gtest/gtest.h>

#include <cmath>

#include "format/type_inference.h"
#include "function_test_util.h"

namespace tarn::sql::testing {
namespace {

int64_t Ts(std::string_view text) {
    int64_t micros = 0;
    EXPECT_TRUE(format::ParseTimestampText(text, &micros)) << text;
    return micros;
}
int32_t Day(std::string_view text) {
    int32_t days = 0;
    EXPECT_TRUE(format::ParseDateText(text, &days)) << text;
    return days;
}
ColumnVector Timestamps(std::initializer_list<std::optional<std::string_view>> texts) {
    ColumnVector v(DataType::Timestamp());
    for (const auto& t : texts) t ? v.Append<int64_t>(Ts(*t)) : v.AppendNull();
    return v;
}
ColumnVector Dates(std::initializer_list<std::optional<std::string_view>> texts) {
    ColumnVector v(DataType::Date());
    for (const auto& t : texts) t ? v.Append<int32_t>(Day(*t)) : v.AppendNull();
    return v;
}
ColumnVector Repeat(std::string_view s, size_t n) {
    ColumnVector v(DataType::Varchar());
    for (size_t i = 0; i < n; ++i) v.AppendString(s);
    return v;
}

// f(unit, rest...) with the unit a constant, as the binder passes it.
Strings WithUnit(std::string_view name, std::string_view unit,
                 std::vector<const ColumnVector*> rest) {
    ColumnVector u = Repeat(unit, rest.back()->length());
    Value constant = VarcharValue(std::string(unit));
    rest.insert(rest.begin(), &u);
    return Eval(BindDateTimeFunction, name, rest, {&constant});
}

Strings D(std::string_view name, const std::vector<const ColumnVector*>& cols) {
    return Eval(BindDateTimeFunction, name, cols);
}

TEST(DateTimeFunctionTest, DateTruncEveryUnit) {
    // Before and after 1970: truncation rounds toward the past.
    ColumnVector t =
        Timestamps({"2024-05-15 13:45:27.123456", "1969-12-31 23:59:59.999999", std::nullopt});
    auto trunc = [&](std::string_view unit) { return WithUnit("date_trunc", unit, {&t}); };
    EXPECT_EQ(trunc("millisecond"),
              (Strings{"2024-05-15 13:45:27.123000", "1969-12-31 23:59:59.999000", "NULL"}));
    EXPECT_EQ(trunc("second"), (Strings{"2024-05-15 13:45:27", "1969-12-31 23:59:59", "NULL"}));
    EXPECT_EQ(trunc("minute"), (Strings{"2024-05-15 13:45:00", "1969-12-31 23:59:00", "NULL"}));
    EXPECT_EQ(trunc("HOUR"), (Strings{"2024-05-15 13:00:00", "1969-12-31 23:00:00", "NULL"}));
    EXPECT_EQ(trunc("day"), (Strings{"2024-05-15 00:00:00", "1969-12-31 00:00:00", "NULL"}));
    EXPECT_EQ(trunc("week"), (Strings{"2024-05-13 00:00:00", "1969-12-29 00:00:00", "NULL"}));
    EXPECT_EQ(trunc("Month"), (Strings{"2024-05-01 00:00:00", "1969-12-01 00:00:00", "NULL"}));
    EXPECT_EQ(trunc("quarter"), (Strings{"2024-04-01 00:00:00", "1969-10-01 00:00:00", "NULL"}));
    EXPECT_EQ(trunc("year"), (Strings{"2024-01-01 00:00:00", "1969-01-01 00:00:00", "NULL"}));
}

TEST(DateTimeFunctionTest, DateTruncDate) {
    ColumnVector d = Dates({"2024-02-29", "1969-12-31", std::nullopt});
    auto trunc = [&](std::string_view unit) { return WithUnit("date_trunc", unit, {&d}); };
    EXPECT_EQ(trunc("day"), (Strings{"2024-02-29", "1969-12-31", "NULL"}));
    EXPECT_EQ(trunc("week"), (Strings{"2024-02-26", "1969-12-29", "NULL"}));
    EXPECT_EQ(trunc("month"), (Strings{"2024-02-01", "1969-12-01", "NULL"}));
    EXPECT_EQ(trunc("quarter"), (Strings{"2024-01-01", "1969-10-01", "NULL"}));
    EXPECT_EQ(trunc("year"), (Strings{"2024-01-01", "1969-01-01", "NULL"}));
    EXPECT_EQ(trunc("hour"), Strings{"error: 'hour' is not a valid DATE field"});
}

TEST(DateTimeFunctionTest, UnitErrors) {
    ColumnVector t = Timestamps({"2024-05-15 13:45:27"});
    EXPECT_EQ(WithUnit("date_trunc", "fortnight", {&t}),
              Strings{"error: 'fortnight' is not a valid TIMESTAMP field"});
    ColumnVector u = Repeat("day", 1);
    EXPECT_EQ(D("date_trunc", {&u, &t}), Strings{"error: unit must be a constant"});
    ColumnVector n = Ints({1});
    EXPECT_EQ(D("date_trunc", {&n, &t}),
              Strings{"error: unexpected parameters (bigint, timestamp(3)) for function "
                      "date_trunc; expected: date_trunc(varchar(x), date), "
                      "date_trunc(varchar(x), timestamp(3))"});
    auto none = Bind(BindDateTimeFunction, "substr", {&t});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, nullptr);
}

TEST(DateTimeFunctionTest, DateAddTimestamp) {
    ColumnVector t = Timestamps({"2024-01-31 10:00:00", "2023-01-31 10:00:00",
                                 "1969-12-31 23:59:59.5", "2024-02-29 00:00:00", std::nullopt});
    ColumnVector one = Ints({1, 1, 1, 1, 1});
    auto add = [&](std::string_view unit, const ColumnVector& n) {
        return WithUnit("date_add", unit, {&n, &t});
    };
    EXPECT_EQ(add("millisecond", one),
              (Strings{"2024-01-31 10:00:00.001000", "2023-01-31 10:00:00.001000",
                       "1969-12-31 23:59:59.501000", "2024-02-29 00:00:00.001000", "NULL"}));
    EXPECT_EQ(add("second", one),
              (Strings{"2024-01-31 10:00:01", "2023-01-31 10:00:01", "1970-01-01 00:00:00.500000",
                       "2024-02-29 00:00:01", "NULL"}));
    EXPECT_EQ(add("minute", one)[0], "2024-01-31 10:01:00");
    EXPECT_EQ(add("hour", one)[0], "2024-01-31 11:00:00");
    EXPECT_EQ(add("day", one)[3], "2024-03-01 00:00:00");
    EXPECT_EQ(add("week", one)[0], "2024-02-07 10:00:00");
    // Month-based adds clamp the day to the target month (leap years included).
    EXPECT_EQ(add("month", one),
              (Strings{"2024-02-29 10:00:00", "2023-02-28 10:00:00", "1970-01-31 23:59:59.500000",
                       "2024-03-29 00:00:00", "NULL"}));
    EXPECT_EQ(add("quarter", one)[0], "2024-04-30 10:00:00");
    EXPECT_EQ(add("year", one)[3], "2025-02-28 00:00:00");
    ColumnVector minus = Ints({-1, -13, -1, -4, 1});
    EXPECT_EQ(add("month", minus),
              (Strings{"2023-12-31 10:00:00", "2021-12-31 10:00:00", "1969-11-30 23:59:59.500000",
                       "2023-10-29 00:00:00", "NULL"}));
    EXPECT_EQ(add("year", minus)[3], "2020-02-29 00:00:00");
    ColumnVector huge = Ints({INT64_MAX, 1, 1, 1, 1});
    EXPECT_EQ(add("day", huge), Strings{"error: date_add: result is out of range"});
}

TEST(DateTimeFunctionTest, DateAddDate) {
    ColumnVector d = Dates({"2024-01-31", "1969-12-31", std::nullopt});
    ColumnVector n = Ints({1, -1, 1});
    auto add = [&](std::string_view unit) { return WithUnit("date_add", unit, {&n, &d}); };
    EXPECT_EQ(add("day"), (Strings{"2024-02-01", "1969-12-30", "NULL"}));
    EXPECT_EQ(add("week"), (Strings{"2024-02-07", "1969-12-24", "NULL"}));
    EXPECT_EQ(add("month"), (Strings{"2024-02-29", "1969-11-30", "NULL"}));
    EXPECT_EQ(add("quarter"), (Strings{"2024-04-30", "1969-09-30", "NULL"}));
    EXPECT_EQ(add("year"), (Strings{"2025-01-31", "1968-12-31", "NULL"}));
    EXPECT_EQ(add("second"), Strings{"error: 'second' is not a valid DATE field"});
    // An integer count is widened to bigint by the binder.
    std::vector<ArgumentInfo> args{{DataType::Varchar()}, {DataType::Int32()}, {DataType::Date()}};
    Value unit = VarcharValue("day");
    args[0].constant = &unit;
    auto f = BindDateTimeFunction("date_add", args);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ((*f)->arg_types.at(1), DataType::Int64());
    EXPECT_EQ((*f)->return_type, DataType::Date());
}

TEST(DateTimeFunctionTest, DateDiff) {
    ColumnVector a =
        Timestamps({"2024-01-31 00:00:00", "2024-01-31 00:00:00", "2024-03-15 12:00:00",
                    "1969-12-31 23:00:00", "2020-02-29 00:00:00", std::nullopt});
    ColumnVector b =
        Timestamps({"2024-02-29 00:00:00", "2024-02-28 00:00:00", "2024-01-15 12:00:01",
                    "1970-01-01 01:30:00", "2021-02-28 00:00:00", "2024-01-01 00:00:00"});
    auto diff = [&](std::string_view unit) { return WithUnit("date_diff", unit, {&a, &b}); };
    EXPECT_EQ(diff("millisecond")[3], "9000000");
    EXPECT_EQ(diff("second")[2], "-5183999");
    EXPECT_EQ(diff("minute")[3], "150");
    EXPECT_EQ(diff("hour"), (Strings{"696", "672", "-1439", "2", "8760", "NULL"}));
    EXPECT_EQ(diff("day"), (Strings{"29", "28", "-59", "0", "365", "NULL"}));
    EXPECT_EQ(diff("week"), (Strings{"4", "4", "-8", "0", "52", "NULL"}));
    // Jan 31 -> Feb 29 is a whole month (the end of the shorter month); -> Feb 28 is not.
    EXPECT_EQ(diff("month"), (Strings{"1", "0", "-1", "0", "12", "NULL"}));
    EXPECT_EQ(diff("quarter"), (Strings{"0", "0", "0", "0", "4", "NULL"}));
    EXPECT_EQ(diff("year"), (Strings{"0", "0", "0", "0", "1", "NULL"}));

    ColumnVector da = Dates({"2024-01-31", "2023-03-31", "1969-01-01", std::nullopt});
    ColumnVector db = Dates({"2024-02-29", "2024-02-29", "1970-12-31", "2024-01-01"});
    auto ddiff = [&](std::string_view unit) { return WithUnit("date_diff", unit, {&da, &db}); };
    EXPECT_EQ(ddiff("day"), (Strings{"29", "335", "729", "NULL"}));
    EXPECT_EQ(ddiff("week"), (Strings{"4", "47", "104", "NULL"}));
    EXPECT_EQ(ddiff("month"), (Strings{"1", "11", "23", "NULL"}));
    EXPECT_EQ(ddiff("quarter"), (Strings{"0", "3", "7", "NULL"}));
    EXPECT_EQ(ddiff("year"), (Strings{"0", "0", "1", "NULL"}));
    EXPECT_EQ(ddiff("minute"), Strings{"error: 'minute' is not a valid DATE field"});
    // A DATE beside a TIMESTAMP is widened.
    ColumnVector u = Repeat("day", 4);
    Value day = VarcharValue("day");
    auto mixed = Bind(BindDateTimeFunction, "date_diff", {&u, &da, &b}, {&day});
    ASSERT_TRUE(mixed.ok());
    EXPECT_EQ((*mixed)->arg_types.at(1), DataType::Timestamp());
    EXPECT_EQ((*mixed)->return_type, DataType::Int64());
}

TEST(DateTimeFunctionTest, FieldsOfTimestampsAndDates) {
    ColumnVector t = Timestamps({"2024-12-30 13:45:27.123456", "1969-12-31 23:59:59.999",
                                 "2021-01-03 00:00:00", std::nullopt});
    EXPECT_EQ(D("year", {&t}), (Strings{"2024", "1969", "2021", "NULL"}));
    EXPECT_EQ(D("quarter", {&t}), (Strings{"4", "4", "1", "NULL"}));
    EXPECT_EQ(D("month", {&t}), (Strings{"12", "12", "1", "NULL"}));
    EXPECT_EQ(D("day", {&t}), (Strings{"30", "31", "3", "NULL"}));
    EXPECT_EQ(D("day_of_month", {&t}), (Strings{"30", "31", "3", "NULL"}));
    EXPECT_EQ(D("day_of_week", {&t}), (Strings{"1", "3", "7", "NULL"}));
    EXPECT_EQ(D("dow", {&t}), (Strings{"1", "3", "7", "NULL"}));
    EXPECT_EQ(D("day_of_year", {&t}), (Strings{"365", "365", "3", "NULL"}));
    EXPECT_EQ(D("week", {&t}), (Strings{"1", "1", "53", "NULL"}));  // ISO weeks
    EXPECT_EQ(D("week_of_year", {&t}), (Strings{"1", "1", "53", "NULL"}));
    EXPECT_EQ(D("year_of_week", {&t}), (Strings{"2025", "1970", "2020", "NULL"}));
    EXPECT_EQ(D("yow", {&t}), (Strings{"2025", "1970", "2020", "NULL"}));
    EXPECT_EQ(D("doy", {&t}), (Strings{"365", "365", "3", "NULL"}));
    EXPECT_EQ(D("hour", {&t}), (Strings{"13", "23", "0", "NULL"}));
    EXPECT_EQ(D("minute", {&t}), (Strings{"45", "59", "0", "NULL"}));
    EXPECT_EQ(D("second", {&t}), (Strings{"27", "59", "0", "NULL"}));
    EXPECT_EQ(D("millisecond", {&t}), (Strings{"123", "999", "0", "NULL"}));
    ColumnVector d = Dates({"2024-02-29", "1900-03-01", std::nullopt});
    EXPECT_EQ(D("year", {&d}), (Strings{"2024", "1900", "NULL"}));
    EXPECT_EQ(D("day_of_year", {&d}), (Strings{"60", "60", "NULL"}));  // 1900 is not a leap year
    EXPECT_EQ(D("day_of_week", {&d}), (Strings{"4", "4", "NULL"}));
    EXPECT_EQ(D("week", {&d}), (Strings{"9", "9", "NULL"}));
    auto hour = Bind(BindDateTimeFunction, "hour", {&d});
    ASSERT_TRUE(hour.ok());
    EXPECT_EQ((*hour)->arg_types.at(0), DataType::Timestamp());  // a DATE is midnight
    ColumnVector s = Strs({"x"});
    EXPECT_EQ(D("year", {&s}), Strings{"error: unexpected parameters (varchar) for function year; "
                                       "expected: year(date), year(timestamp(3))"});
}

TEST(DateTimeFunctionTest, DateFormatEverySpecifier) {
    ColumnVector t =
        Timestamps({"2024-03-01 13:05:09.012345", "1969-12-31 00:00:00", std::nullopt});
    auto fmt = [&](std::string_view f) {
        ColumnVector v = Repeat(f, 3);
        Value c = VarcharValue(std::string(f));
        return Eval(BindDateTimeFunction, "date_format", {&t, &v}, {nullptr, &c});
    };
    EXPECT_EQ(fmt("%Y-%m-%d %H:%i:%s.%f"),
              (Strings{"2024-03-01 13:05:09.012345", "1969-12-31 00:00:00.000000", "NULL"}));
    EXPECT_EQ(fmt("%a %W %b %M"),
              (Strings{"Fri Friday Mar March", "Wed Wednesday Dec December", "NULL"}));
    EXPECT_EQ(fmt("%c %e %D %j"), (Strings{"3 1 1st 061", "12 31 31st 365", "NULL"}));
    EXPECT_EQ(fmt("%h %I %l %k %p"), (Strings{"01 01 1 13 PM", "12 12 12 0 AM", "NULL"}));
    EXPECT_EQ(fmt("%r|%T|%S"),
              (Strings{"01:05:09 PM|13:05:09|09", "12:00:00 AM|00:00:00|00", "NULL"}));
    EXPECT_EQ(fmt("%y %v %% %Q"), (Strings{"24 09 % Q", "69 01 % Q", "NULL"}));
    EXPECT_EQ(fmt("%U"), Strings{"error: %U not supported in date format string"});
    ColumnVector days = Timestamps(
        {"2024-01-02", "2024-01-03", "2024-01-11", "2024-01-22", "2024-01-23", "2024-01-13"});
    ColumnVector f = Repeat("%D", 6);
    // A computed format is checked row by row.
    EXPECT_EQ(Eval(BindDateTimeFunction, "date_format", {&days, &f}),
              (Strings{"2nd", "3rd", "11th", "22nd", "23rd", "13th"}));
}

TEST(DateTimeFunctionTest, Iso8601AndUnixTime) {
    ColumnVector s =
        Strs({"2024-05-15T13:45:27.5Z", "2024-05-15T13:45:27+02:00", "1969-12-31", std::nullopt});
    EXPECT_EQ(D("from_iso8601_timestamp", {&s}),
              (Strings{"2024-05-15 13:45:27.500000", "2024-05-15 11:45:27", "1969-12-31 00:00:00",
                       "NULL"}));
    ColumnVector bad = Strs({"2024-13-01"});
    EXPECT_EQ(D("from_iso8601_timestamp", {&bad}),
              Strings{"error: Invalid format: \"2024-13-01\""});
    ColumnVector ds = Strs({"2024-02-29", std::nullopt});
    EXPECT_EQ(D("from_iso8601_date", {&ds}), (Strings{"2024-02-29", "NULL"}));
    ColumnVector bad_date = Strs({"2023-02-29"});
    EXPECT_EQ(D("from_iso8601_date", {&bad_date}),
              Strings{"error: Invalid format: \"2023-02-29\""});

    ColumnVector secs = Doubles({0, 1.5, -1.25, std::nullopt});
    EXPECT_EQ(D("from_unixtime", {&secs}),
              (Strings{"1970-01-01 00:00:00", "1970-01-01 00:00:01.500000",
                       "1969-12-31 23:59:58.750000", "NULL"}));
    auto from_int = Bind(BindDateTimeFunction, "from_unixtime", {&s});
    EXPECT_FALSE(from_int.ok());
    ColumnVector n = Ints({1});
    auto widened = Bind(BindDateTimeFunction, "from_unixtime", {&n});
    ASSERT_TRUE(widened.ok());
    EXPECT_EQ((*widened)->arg_types.at(0), DataType::Double());
    ColumnVector nan = Doubles({std::nan("")});
    EXPECT_EQ(D("from_unixtime", {&nan}).at(0).substr(0, 20), "error: from_unixtime");
    ColumnVector t = Timestamps({"1970-01-01 00:00:01.5", "1969-12-31 23:59:59", std::nullopt});
    EXPECT_EQ(D("to_unixtime", {&t}), (Strings{"1.5", "-1", "NULL"}));
}

TEST(DateTimeFunctionTest, CurrentTimeFromContext) {
    const int64_t now = Ts("1969-12-31 23:00:00.25");
    for (std::string_view name : {"current_timestamp", "now", "current_date"}) {
        auto f = BindDateTimeFunction(name, {});
        ASSERT_TRUE(f.ok());
        EXPECT_FALSE((*f)->foldable);
        auto out = RunKernel(**f, {}, 2, now);
        ASSERT_TRUE(out.ok());
        const std::string want =
            name == "current_date" ? "1969-12-31" : "1969-12-31 23:00:00.250000";
        EXPECT_EQ(Render(*out), (Strings{want, want})) << name;
    }
}

}  // namespace
}  // namespace tarn::sql::testing
