#include "common/time_format.h"

#include <gtest/gtest.h>

namespace tarn {
namespace {

TEST(TimeFormatTest, CivilRoundTrip) {
    for (int64_t days = -800000; days <= 800000; days += 997) {
        int64_t y;
        unsigned m, d;
        CivilFromDays(days, &y, &m, &d);
        EXPECT_EQ(DaysFromCivil(y, m, d), days);
    }
    EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
    EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
}

TEST(TimeFormatTest, FormatsMillis) {
    EXPECT_EQ(FormatIso8601Millis(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(FormatIso8601Millis(1767225612345), "2026-01-01T00:00:12.345Z");
    EXPECT_EQ(FormatIso8601Millis(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(FormatIso8601Millis(951782400000), "2000-02-29T00:00:00.000Z");
}

TEST(TimeFormatTest, ParsesVariants) {
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01T00:00:12.345Z"), 1767225612345);
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01T00:00:12Z"), 1767225612000);
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01"), 1767225600000);
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01T01:00:00+01:00"), 1767225600000);
    EXPECT_EQ(*ParseIso8601Millis("2025-12-31T19:00:00-05:00"), 1767225600000);
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01T00:00:00.123456Z"), 1767225600123);
    EXPECT_EQ(*ParseIso8601Millis("2026-01-01 00:00"), 1767225600000);
}

TEST(TimeFormatTest, RejectsNonsense) {
    for (const char* bad :
         {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-01-01T24:00",
          "2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00.Z", "yesterday"}) {
        auto r = ParseIso8601Millis(bad);
        EXPECT_FALSE(r.ok()) << bad;
    }
    EXPECT_TRUE(ParseIso8601Millis("2024-02-29").ok());
}

TEST(TimeFormatTest, Durations) {
    EXPECT_EQ(ParseDuration("500ms")->count(), 500);
    EXPECT_EQ(ParseDuration("30s")->count(), 30000);
    EXPECT_EQ(ParseDuration("1h30m")->count(), 5400000);
    EXPECT_EQ(ParseDuration("3d")->count(), 259200000);
    for (const char* bad : {"", "5", "m", "5x", "-5s", "99999999999999999999d"}) {
        EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
    }
}

}  // namespace
}  // namespace tarn
