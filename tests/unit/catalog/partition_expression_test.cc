#include "catalog/partition_expression.h"

#include <gtest/gtest.h>

#include <set>

namespace tarn::catalog {
namespace {

// year and month are strings (as delivery writes them), day an int, region a string.
const std::vector<Column> kKeys = {
    {"year", "string", ""}, {"month", "string", ""}, {"day", "int", ""}, {"region", "string", ""}};

const std::vector<std::vector<std::string>> kPartitions = {
    {"2025", "12", "31", "eu-west-1"},     // 0
    {"2026", "01", "01", "eu-west-1"},     // 1
    {"2026", "01", "15", "us-east-1"},     // 2
    {"2026", "06", "09", "eu-central-1"},  // 3
    {"2026", "11", "20", "us-east-1"},     // 4
    {"2026", "11", "xx", "ap-south-1"},    // 5: a day that is not an int
    {"2027", "02", "02", "eu_west"},       // 6
};

std::set<int> Matching(std::string_view expression) {
    auto filter = PartitionFilter::Parse(expression, kKeys);
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    std::set<int> out;
    if (!filter.ok()) return out;
    for (size_t i = 0; i < kPartitions.size(); ++i) {
        if (filter->Matches(kPartitions[i])) out.insert(static_cast<int>(i));
    }
    return out;
}

TEST(PartitionExpressionTest, MatchesOverATableOfPartitions) {
    struct Case {
        const char* expression;
        std::set<int> expected;
    };
    const std::vector<Case> cases = {
        {"", {0, 1, 2, 3, 4, 5, 6}},
        {"   ", {0, 1, 2, 3, 4, 5, 6}},
        {"year='2026' and month='11'", {4, 5}},
        {"year > '2025'", {1, 2, 3, 4, 5, 6}},
        {"year >= '2026' AND year <= '2026'", {1, 2, 3, 4, 5}},
        {"year < '2026'", {0}},
        {"year <> '2026'", {0, 6}},
        {"year != '2026'", {0, 6}},
        {"month between '01' and '06'", {1, 2, 3, 6}},
        {"month NOT BETWEEN '01' AND '06'", {0, 4, 5}},
        {"month in ('01','02')", {1, 2, 6}},
        {"month not in ('01', '02', '12')", {3, 4, 5}},
        {"region like 'eu-%'", {0, 1, 3}},
        {"region LIKE 'eu_west%'", {0, 1, 6}},  // '_' is any one character
        {"region like '%-1'", {0, 1, 2, 3, 4, 5}},
        {"region not like 'us%'", {0, 1, 3, 5, 6}},
        {"not (year = '2026') or region <> 'eu-west-1'", {0, 2, 3, 4, 5, 6}},
        {"NOT year = '2026'", {0, 6}},
        {"not not year = '2025'", {0}},
        {"year = '2026' and (month = '01' or month = '11') and region = 'us-east-1'", {2, 4}},
        {"year = '2026' and month = '01' or region = 'eu_west'", {1, 2, 6}},  // AND binds first
        {"(year='2025')or(year='2027')", {0, 6}},
        {"`year` = '2027'", {6}},
        {"YEAR = '2027'", {6}},  // key names ignore case
        // A number literal against a string key compares as numbers (Hive): '06' >= 6.
        {"year >= 2026", {1, 2, 3, 4, 5, 6}},
        {"month >= 6", {0, 3, 4, 5}},
        {"month = 1", {1, 2}},
        // The int key compares numerically ('09' is 9), a string literal is read as an int.
        {"day > 9", {0, 2, 4}},
        {"day = '9'", {3}},
        {"day between 1 and 15", {1, 2, 3, 6}},
        {"day in (1, 31)", {0, 1}},
        {"day > 1.5", {0, 2, 3, 4, 6}},
        // 'xx' is no int: it matches no comparison, and not its negation either.
        {"not day > 9", {1, 3, 6}},
        {"day <> 0", {0, 1, 2, 3, 4, 6}},
        {"not (day = 1) or year = '2026'", {0, 1, 2, 3, 4, 5, 6}},
        {"day = 20 or year = '2026'", {1, 2, 3, 4, 5}},
        {"not (day = 20 and year = '2026')", {0, 1, 2, 3, 6}},
        {"year = 'it''s'", {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.expression);
        EXPECT_EQ(Matching(c.expression), c.expected);
    }
}

TEST(PartitionExpressionTest, DateKeysCompareAsDates) {
    std::vector<Column> keys = {{"dt", "date", ""}, {"n", "bigint", ""}, {"x", "double", ""}};
    auto filter = PartitionFilter::Parse("dt >= '2026-02-28' and dt < date '2026-03-02'", keys);
    ASSERT_TRUE(filter.ok()) << filter.status().ToString();
    EXPECT_FALSE(filter->Matches({"2026-02-27", "0", "0"}));
    EXPECT_TRUE(filter->Matches({"2026-02-28", "0", "0"}));
    EXPECT_TRUE(filter->Matches({"2026-03-01", "0", "0"}));
    EXPECT_FALSE(filter->Matches({"2026-03-02", "0", "0"}));
    EXPECT_FALSE(filter->Matches({"2026-3-1", "0", "0"}));  // not a date: no match
    EXPECT_FALSE(filter->Matches({"2026-02-28", "0"}));     // wrong number of values

    auto numbers = PartitionFilter::Parse("n > 9000000000 and x between -1.5 and 2e3", keys);
    ASSERT_TRUE(numbers.ok()) << numbers.status().ToString();
    EXPECT_TRUE(numbers->Matches({"2026-01-01", "9000000001", "-1.5"}));
    EXPECT_TRUE(numbers->Matches({"2026-01-01", "+9000000001", "2000"}));
    EXPECT_FALSE(numbers->Matches({"2026-01-01", "9000000000", "0"}));
    EXPECT_FALSE(numbers->Matches({"2026-01-01", "9000000001", "2000.5"}));
}

TEST(PartitionExpressionTest, ErrorsNameTheirPosition) {
    struct Case {
        const char* expression;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"year = ", "Expression 'year = ' at 7: expected a value"},
        {"yr = '1'",
         "Expression 'yr = '1'' at 0: unknown partition key 'yr' (keys: year, month, "
         "day, region)"},
        {"year = '2026' and", "Expression 'year = '2026' and' at 17: expected a partition key"},
        {"year '2026'",
         "Expression 'year '2026'' at 5: expected a comparison, BETWEEN, IN or LIKE"},
        {"year not = '1'", "Expression 'year not = '1'' at 9: expected BETWEEN, IN or LIKE"},
        {"year = '2026", "Expression 'year = '2026' at 7: unterminated string"},
        {"(year = '2026'", "Expression '(year = '2026'' at 14: expected ')'"},
        {"year = '2026')", "Expression 'year = '2026')' at 13: expected AND, OR or the end"},
        {"year = '1' year = '2'",
         "Expression 'year = '1' year = '2'' at 11: expected AND, OR or "
         "the end"},
        {"month between '01' or '02'",
         "Expression 'month between '01' or '02'' at 19: expected "
         "AND"},
        {"month in '01'", "Expression 'month in '01'' at 9: expected '('"},
        {"month in ('01' '02')", "Expression 'month in ('01' '02')' at 15: expected ',' or ')'"},
        {"month in ()", "Expression 'month in ()' at 10: expected a value"},
        {"region like 5", "Expression 'region like 5' at 12: expected a 'pattern'"},
        {"day = 'abc'",
         "Expression 'day = 'abc'' at 6: 'abc' is not of type int (partition "
         "key 'day')"},
        {"year = date '2026-01-01'",
         "Expression 'year = date '2026-01-01'' at 7: a DATE literal "
         "compares only with a date key, and 'year' is string"},
        {"year = # ", "Expression 'year = # ' at 7: unexpected character '#'"},
        {"year = 12abc", "Expression 'year = 12abc' at 7: malformed number"},
        {"`year = '1'", "Expression '`year = '1'' at 0: unterminated quoted name"},
        {"and = '1'", "Expression 'and = '1'' at 0: expected a partition key"},
        {"year = year", "Expression 'year = year' at 7: expected a value"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.expression);
        auto filter = PartitionFilter::Parse(c.expression, kKeys);
        ASSERT_FALSE(filter.ok());
        EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(filter.status().message(), c.message);
    }
}

// Found by fuzz/expressions_fuzzer: NUL bytes were taken for blanks (so "\0\0" matched every
// partition), and a line break inside a literal made the error two lines.
TEST(PartitionExpressionTest, ControlBytesAreNotBlanksAndErrorsStayOneLine) {
    auto nul = PartitionFilter::Parse(std::string_view("\0\0", 2), kKeys);
    ASSERT_FALSE(nul.ok());
    EXPECT_EQ(nul.status().message(),
              "Expression '?"
              "?' at 0: unexpected character '?'");
    auto nul_after = PartitionFilter::Parse(std::string_view("year = '1'\0", 11), kKeys);
    ASSERT_FALSE(nul_after.ok());
    auto line_break = PartitionFilter::Parse("day = 'a\nb'", kKeys);
    ASSERT_FALSE(line_break.ok());
    EXPECT_EQ(line_break.status().message(),
              "Expression 'day = 'a?b'' at 6: 'a?b' is not of type int (partition key 'day')");
}

TEST(PartitionExpressionTest, DateKeyErrors) {
    std::vector<Column> keys = {{"dt", "date", ""}};
    auto bad = PartitionFilter::Parse("dt = '2026-02-30'", keys);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().message(),
              "Expression 'dt = '2026-02-30'' at 5: '2026-02-30' is not of type date (partition "
              "key 'dt')");
    EXPECT_FALSE(PartitionFilter::Parse("dt = 20260101", keys).ok());
    auto no_keys = PartitionFilter::Parse("a = '1'", {});
    ASSERT_FALSE(no_keys.ok());
    EXPECT_EQ(no_keys.status().message(),
              "Expression 'a = '1'' at 0: unknown partition key 'a' (keys: none)");
}

TEST(PartitionExpressionTest, DeepNestingIsAnErrorNotACrash) {
    std::string deep(5000, '(');
    auto filter = PartitionFilter::Parse(deep, kKeys);
    ASSERT_FALSE(filter.ok());
    EXPECT_NE(filter.status().message().find("nested too deeply"), std::string::npos);
    std::string nots;
    for (int i = 0; i < 5000; ++i) nots += "not ";
    EXPECT_FALSE(PartitionFilter::Parse(nots + "year = '1'", kKeys).ok());
}

TEST(PartitionSegmentTest, SegmentsAreDisjointAndCoverEveryPartition) {
    std::vector<std::vector<std::string>> partitions;
    for (int day = 1; day <= 28; ++day) {
        for (int hour = 0; hour < 24; ++hour) {
            partitions.push_back({"2026", "11", std::to_string(day), std::to_string(hour)});
        }
    }
    for (int total = 1; total <= 10; ++total) {
        SCOPED_TRACE(total);
        std::vector<int> sizes(total, 0);
        for (const auto& values : partitions) {
            int owners = 0;
            for (int segment = 0; segment < total; ++segment) {
                if (InSegment(values, segment, total)) {
                    ++owners;
                    ++sizes[segment];
                }
            }
            EXPECT_EQ(owners, 1);
        }
        // 672 partitions: every segment gets a fair share.
        for (int size : sizes) EXPECT_GT(size, 672 / total / 2);
    }
}

TEST(PartitionSegmentTest, HashIsStableAndLengthPrefixed) {
    // Pinned (CRC-32C of the length-prefixed values, computed independently): a listing split
    // across releases must keep its segments.
    EXPECT_TRUE(InSegment({"2026", "11", "20"}, 0, 10));
    EXPECT_TRUE(InSegment({"2026", "11", "21"}, 9, 10));
    EXPECT_TRUE(InSegment({"2026", "11", "21"}, 6, 7));
    EXPECT_TRUE(InSegment({"eu-west-1"}, 2, 10));
    // ["ab","c"] and ["a","bc"] are different partitions; they may land in one segment, but the
    // hash must see the difference: over many such pairs some must differ.
    int differ = 0;
    for (int i = 0; i < 50; ++i) {
        std::string s = std::to_string(i);
        for (int seg = 0; seg < 10; ++seg) {
            if (InSegment({"ab" + s, "c"}, seg, 10) != InSegment({"a", "b" + s + "c"}, seg, 10)) {
                ++differ;
                break;
            }
        }
    }
    EXPECT_GT(differ, 25);
}

TEST(PartitionSegmentTest, ValidateSegmentFollowsGluesLimits) {
    EXPECT_TRUE(ValidateSegment(0, 1).ok());
    EXPECT_TRUE(ValidateSegment(9, 10).ok());
    EXPECT_EQ(ValidateSegment(0, 11).message(), "TotalSegments must be between 1 and 10, got 11");
    EXPECT_EQ(ValidateSegment(0, 0).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ValidateSegment(3, 3).message(),
              "SegmentNumber must be between 0 and TotalSegments - 1 (2), got 3");
    EXPECT_FALSE(ValidateSegment(-1, 3).ok());
}

}  // namespace
}  // namespace tarn::catalog
