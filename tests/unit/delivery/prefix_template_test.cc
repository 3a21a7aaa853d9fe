#include "delivery/prefix_template.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "storage/storage.h"

namespace tarn::delivery {
namespace {

int64_t Millis(int64_t y, unsigned mo, unsigned d, int h, int mi, int s, int ms) {
    return DaysFromCivil(y, mo, d) * 86'400'000 + h * 3'600'000LL + mi * 60'000LL + s * 1000LL + ms;
}

PrefixTemplate MustParse(std::string_view text, PrefixKind kind = PrefixKind::kPrefix) {
    auto t = PrefixTemplate::Parse(text, kind);
    EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
    if (!t.ok()) return *PrefixTemplate::Parse("", kind);
    return *std::move(t);
}

std::string Eval(const PrefixTemplate& t, const PrefixContext& ctx) {
    auto r = t.Evaluate(ctx);
    EXPECT_TRUE(r.ok()) << t.text() << ": " << r.status().ToString();
    if (!r.ok()) return "<error>";
    // A successful evaluation followed by an object name is always a valid key.
    EXPECT_TRUE(storage::ValidateKey(*r + "obj.json.gz").ok()) << *r;
    return *r;
}

std::string At(std::string_view text, int64_t ms) {
    PrefixContext ctx;
    ctx.timestamp_ms = ms;
    return Eval(MustParse(text), ctx);
}

TEST(PrefixTemplateTest, LiteralOnly) {
    PrefixTemplate t = MustParse("static/path/");
    EXPECT_FALSE(t.HasExpressions());
    EXPECT_FALSE(t.NeedsTimestamp());
    EXPECT_TRUE(t.PartitionKeyNames().empty());
    EXPECT_EQ(t.text(), "static/path/");
    EXPECT_EQ(Eval(t, {}), "static/path/");
    EXPECT_EQ(Eval(MustParse(""), {}), "");
    // UTF-8 literal text is kept; bytes that are not UTF-8 cannot make a key.
    EXPECT_EQ(Eval(MustParse("caf\xc3\xa9/"), {}), "caf\xc3\xa9/");
    EXPECT_FALSE(PrefixTemplate::Parse("bad\xff/", PrefixKind::kPrefix).ok());
    // '}' alone and a lone '!' are literal.
    EXPECT_EQ(Eval(MustParse("a}b!c/"), {}), "a}b!c/");
}

TEST(PrefixTemplateTest, TimestampFieldsAcrossYearBoundary) {
    const int64_t last = Millis(2026, 12, 31, 23, 59, 59, 999);
    const std::string full = "!{timestamp:yyyy-MM-dd'T'HH:mm:ss.SSS}/";
    EXPECT_EQ(At(full, last), "2026-12-31T23:59:59.999/");
    EXPECT_EQ(At(full, last + 1), "2027-01-01T00:00:00.000/");
    EXPECT_EQ(At("!{timestamp:yy/M/d/H}/", last), "26/12/31/23/");
    EXPECT_EQ(At("!{timestamp:yy/M/d/H}/", last + 1), "27/1/1/0/");
    EXPECT_EQ(At("!{timestamp:yy/M/d/H}/", Millis(2024, 3, 5, 7, 8, 9, 10)), "24/3/5/7/");
    EXPECT_EQ(At(full, Millis(2024, 3, 5, 7, 8, 9, 10)), "2024-03-05T07:08:09.010/");
    // Day and hour boundaries, a leap day, the epoch and before it.
    EXPECT_EQ(At(full, Millis(2024, 2, 29, 23, 59, 59, 999) + 1), "2024-03-01T00:00:00.000/");
    EXPECT_EQ(At(full, Millis(2026, 6, 1, 9, 59, 59, 999) + 1), "2026-06-01T10:00:00.000/");
    EXPECT_EQ(At(full, 0), "1970-01-01T00:00:00.000/");
    EXPECT_EQ(At(full, -1), "1969-12-31T23:59:59.999/");
    EXPECT_EQ(At("!{timestamp:yy}/", Millis(2000, 1, 1, 0, 0, 0, 0)), "00/");
}

TEST(PrefixTemplateTest, EveryTimestampIsTheSameInstant) {
    EXPECT_EQ(At("y=!{timestamp:yyyy}/h=!{timestamp:HH}/m=!{timestamp:mm}/",
                 Millis(2026, 12, 31, 23, 59, 59, 999)),
              "y=2026/h=23/m=59/");
}

TEST(PrefixTemplateTest, QuotedLiteralText) {
    const int64_t t = Millis(2026, 1, 2, 3, 4, 5, 6);
    EXPECT_EQ(At("!{timestamp:'year='yyyy'/it''s'''}/", t), "year=2026/it's'/");
    EXPECT_EQ(At("!{timestamp:''yyyy''}/", t), "'2026'/");
    EXPECT_EQ(At("dt=!{timestamp:yyyy'-'MM'-'dd}/", t), "dt=2026-01-02/");
    // Non-letters outside quotes are literal.
    EXPECT_EQ(At("!{timestamp:yyyy/MM/dd/HH}/", t), "2026/01/02/03/");
    // Letters that are quoted are not patterns.
    EXPECT_EQ(At("!{timestamp:'week'}/", t), "week/");
}

TEST(PrefixTemplateTest, RandomStringIsDeterministic) {
    PrefixTemplate t = MustParse("!{firehose:random-string}/x/!{firehose:random-string}/");
    EXPECT_TRUE(t.NeedsRandomString());
    EXPECT_FALSE(t.NeedsTimestamp());
    PrefixContext ctx;
    ctx.random_seed = "orders-shardId-000000000001-100-200";
    const std::string a = Eval(t, ctx);
    EXPECT_EQ(a, Eval(t, ctx));
    const std::string r = RandomStringForSeed(ctx.random_seed);
    EXPECT_EQ(a, r + "/x/" + r + "/");
    ctx.random_seed = "orders-shardId-000000000001-201-300";
    EXPECT_NE(Eval(t, ctx), a);
}

TEST(PrefixTemplateTest, RandomStringShapeAndDistribution) {
    constexpr int kSeeds = 4000;
    std::set<std::string> seen;
    std::map<char, int> counts;
    for (int i = 0; i < kSeeds; ++i) {
        const std::string s = RandomStringForSeed("intent-" + std::to_string(i));
        ASSERT_EQ(s.size(), kRandomStringLength);
        for (char c : s) {
            ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << s;
            ++counts[c];
        }
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(kSeeds));          // different seeds differ
    ASSERT_EQ(counts.size(), 36u);                                // every character is used
    const double expected = kSeeds * kRandomStringLength / 36.0;  // ~1222
    for (const auto& [c, n] : counts) {
        EXPECT_GT(n, expected * 0.8) << c;
        EXPECT_LT(n, expected * 1.2) << c;
    }
    EXPECT_EQ(RandomStringForSeed(""), RandomStringForSeed(""));
}

TEST(PrefixTemplateTest, ErrorOutputType) {
    PrefixTemplate t = MustParse("failed/!{firehose:error-output-type}/!{timestamp:yyyy}/",
                                 PrefixKind::kErrorOutputPrefix);
    EXPECT_TRUE(t.NeedsErrorOutputType());
    EXPECT_EQ(t.kind(), PrefixKind::kErrorOutputPrefix);
    PrefixContext ctx;
    ctx.timestamp_ms = Millis(2026, 5, 1, 0, 0, 0, 0);
    ctx.error_output_type = "format-conversion-failed";
    EXPECT_EQ(Eval(t, ctx), "failed/format-conversion-failed/2026/");
    ctx.error_output_type = "";
    EXPECT_EQ(t.Evaluate(ctx).status().code(), StatusCode::kInvalidArgument);
    ctx.error_output_type = "a/../b";
    EXPECT_EQ(t.Evaluate(ctx).status().code(), StatusCode::kInvalidArgument);
    // A static ErrorOutputPrefix (no expressions) is allowed.
    EXPECT_EQ(Eval(MustParse("bad/", PrefixKind::kErrorOutputPrefix), {}), "bad/");
}

TEST(PrefixTemplateTest, PartitionKeys) {
    PrefixTemplate t = MustParse(
        "customer=!{partitionKeyFromQuery:customer_id}/dev=!{partitionKeyFromQuery:device}/"
        "c2=!{partitionKeyFromQuery:customer_id}/");
    EXPECT_EQ(t.PartitionKeyNames(), (std::vector<std::string>{"customer_id", "device"}));
    EXPECT_FALSE(t.NeedsTimestamp());
    PartitionKeyValues values{{"customer_id", "42"}, {"device", "mobile"}, {"unused", "x"}};
    PrefixContext ctx;
    ctx.partition_keys = &values;
    EXPECT_EQ(Eval(t, ctx), "customer=42/dev=mobile/c2=42/");
    // A '/' inside a value makes more levels, as in Firehose.
    values["device"] = "ios/17";
    EXPECT_EQ(Eval(t, ctx), "customer=42/dev=ios/17/c2=42/");
}

TEST(PrefixTemplateTest, PartitionKeyValuesThatCannotMakeAKey) {
    PrefixTemplate t = MustParse("k=!{partitionKeyFromQuery:k}/!{partitionKeyFromQuery:v}/");
    PrefixContext ctx;
    EXPECT_EQ(t.Evaluate(ctx).status().code(), StatusCode::kInvalidArgument);  // no map
    PartitionKeyValues values{{"k", "a"}};
    ctx.partition_keys = &values;
    auto missing = t.Evaluate(ctx);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.status().message().find("partition key \"v\" has no value"),
              std::string::npos)
        << missing.status().ToString();
    const std::vector<std::string> bad_values = {"",
                                                 "/a",
                                                 "a/",
                                                 "a//b",
                                                 ".",
                                                 "..",
                                                 "a/../b",
                                                 "a\\b",
                                                 std::string("a\0b", 3),
                                                 std::string(600, 'x')};
    for (const std::string& bad : bad_values) {
        values["v"] = bad;
        std::string out = "keep";
        Status s = t.AppendTo(ctx, out);
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
        EXPECT_EQ(out, "keep") << bad;  // unchanged on error
    }
    values["v"] = "a/../b";
    EXPECT_NE(t.Evaluate(ctx).status().message().find(
                  "partition key \"v\" cannot be used in a key: invalid key \"a/../b\""),
              std::string::npos)
        << t.Evaluate(ctx).status().ToString();
    values["v"] = "";
    EXPECT_NE(t.Evaluate(ctx).status().message().find("partition key \"v\" is empty"),
              std::string::npos);
    values["v"] = "ok.v";
    std::string out = "base/";
    ASSERT_TRUE(t.AppendTo(ctx, out).ok());
    EXPECT_EQ(out, "base/k=a/ok.v/");
}

TEST(PrefixTemplateTest, EvaluatedLengthLimit) {
    PrefixTemplate t = MustParse("!{partitionKeyFromQuery:v}/");
    PartitionKeyValues values{{"v", std::string(kMaxEvaluatedPrefixBytes - 1, 'x')}};
    PrefixContext ctx;
    ctx.partition_keys = &values;
    EXPECT_TRUE(t.Evaluate(ctx).ok());
    values["v"] += "x";
    EXPECT_EQ(t.Evaluate(ctx).status().code(), StatusCode::kInvalidArgument);
}

TEST(PrefixTemplateTest, Defaults) {
    EXPECT_EQ(DefaultPrefixText("events"),
              "raw/events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
              "hour=!{timestamp:HH}/");
    PrefixTemplate prefix = MustParse(DefaultPrefixText("events"));
    PrefixTemplate errors =
        MustParse(DefaultErrorOutputPrefixText("orders-to-lake"), PrefixKind::kErrorOutputPrefix);
    EXPECT_TRUE(prefix.NeedsTimestamp());
    EXPECT_TRUE(errors.NeedsErrorOutputType());
    PrefixContext ctx;
    ctx.timestamp_ms = Millis(2026, 12, 31, 23, 59, 59, 999);
    ctx.error_output_type = "processing-failed";
    EXPECT_EQ(Eval(prefix, ctx), "raw/events/year=2026/month=12/day=31/hour=23/");
    EXPECT_EQ(Eval(errors, ctx),
              "errors/orders-to-lake/processing-failed/year=2026/month=12/day=31/hour=23/");
    ctx.timestamp_ms += 1;
    EXPECT_EQ(Eval(prefix, ctx), "raw/events/year=2027/month=01/day=01/hour=00/");
    EXPECT_TRUE(ValidatePrefixPair(prefix, &errors, false).ok());
}

struct ErrorCase {
    std::string text;
    PrefixKind kind;
    std::string message_part;
};

TEST(PrefixTemplateTest, ParseErrorsNameThePosition) {
    const PrefixKind P = PrefixKind::kPrefix;
    const PrefixKind E = PrefixKind::kErrorOutputPrefix;
    const ErrorCase cases[] = {
        {"a/!{timestamp:yyyy", P, "unterminated \"!{\" (no closing '}') at position 2"},
        {"a/!{", P, "unterminated \"!{\" (no closing '}') at position 2"},
        {"a/!{x !{timestamp:yyyy}/", P, "\"!{\" inside an expression"},
        {"a/!{x !{timestamp:yyyy}/", P, "at position 6"},
        {"!{timestamp}/", P, "needs a format, e.g. !{timestamp:yyyy} at position 0"},
        {"x/!{timestamp:}/", P, "needs a format, e.g. !{timestamp:yyyy} at position 2"},
        {"x/!{foo:bar}/", P, "unknown namespace \"foo\""},
        {"x/!{foo:bar}/", P, "at position 2"},
        {"!{firehose:uuid}/", P, "unknown firehose key \"uuid\""},
        {"!{firehose:uuid}/", P, "at position 11"},
        {"!{firehose}/", P, "unknown firehose key \"\""},
        {"p/!{firehose:error-output-type}/", P,
         "!{firehose:error-output-type} is only allowed in an ErrorOutputPrefix at position 2"},
        {"!{partitionKeyFromLambda:id}/", P, "not supported by tarn"},
        {"!{partitionKeyFromLambda:id}/", P, "at position 0"},
        {"e/!{firehose:error-output-type}/!{partitionKeyFromQuery:id}/", E,
         "not allowed in an ErrorOutputPrefix"},
        {"e/!{firehose:error-output-type}/!{partitionKeyFromQuery:id}/", E, "at position 32"},
        {"!{partitionKeyFromQuery:}/", P, "needs a key name at position 0"},
        {"!{partitionKeyFromQuery:a b}/", P, "at position 25"},
        {"y=!{timestamp:yyyy}/w=!{timestamp:ww}/", P,
         "unsupported timestamp pattern \"ww\" (supported: yyyy yy MM M dd d HH H mm ss SSS"},
        {"y=!{timestamp:yyyy}/w=!{timestamp:ww}/", P, "at position 34"},
        {"!{timestamp:yyy}/", P, "unsupported timestamp pattern \"yyy\""},
        {"!{timestamp:MMM}/", P, "unsupported timestamp pattern \"MMM\""},
        {"!{timestamp:yyyyMMddHHmmssSSSZ}/", P, "\"Z\" (supported"},
        {"!{timestamp:yyyyMMddHHmmssSSSZ}/", P, "at position 29"},
        {"!{timestamp:yyyy'x}/", P, "unterminated quote in format at position 16"},
        {"!{timestamp:[yyyy]}/", P, "reserved character '[' in timestamp format"},
        {"!{timestamp:yyyy#}/", P, "at position 16"},
        {"errors/!{timestamp:yyyy}/", E, "must contain !{firehose:error-output-type}"},
        {"/abs/", P, "cannot give valid keys"},
        {"a//b/", P, "cannot give valid keys"},
        {"!{timestamp:yyyy}//", P, "cannot give valid keys"},
        {"./x/", P, "cannot give valid keys"},
        {"a\\b/", P, "cannot give valid keys"},
        {std::string(kMaxPrefixTemplateBytes + 1, 'a'), P, "more than 1024"},
    };
    for (const ErrorCase& c : cases) {
        auto t = PrefixTemplate::Parse(c.text, c.kind);
        ASSERT_FALSE(t.ok()) << c.text;
        EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << c.text;
        EXPECT_NE(t.status().message().find(c.message_part), std::string::npos)
            << c.text << "\n  got: " << t.status().message() << "\n  want: " << c.message_part;
    }
}

TEST(PrefixTemplateTest, PrefixPairRules) {
    PrefixTemplate static_prefix = MustParse("static/");
    PrefixTemplate timed = MustParse("t/!{timestamp:yyyy}/");
    PrefixTemplate partitioned = MustParse("c=!{partitionKeyFromQuery:c}/!{timestamp:yyyy}/");
    PrefixTemplate errors =
        MustParse("e/!{firehose:error-output-type}/", PrefixKind::kErrorOutputPrefix);
    PrefixTemplate empty_errors = MustParse("", PrefixKind::kErrorOutputPrefix);

    EXPECT_TRUE(ValidatePrefixPair(static_prefix, nullptr, false).ok());
    EXPECT_TRUE(ValidatePrefixPair(static_prefix, &empty_errors, false).ok());
    EXPECT_TRUE(ValidatePrefixPair(timed, &errors, false).ok());
    EXPECT_TRUE(ValidatePrefixPair(partitioned, &errors, true).ok());

    auto expect_error = [](const Status& s, std::string_view part) {
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
        EXPECT_NE(s.message().find(part), std::string::npos) << s.ToString();
    };
    expect_error(ValidatePrefixPair(timed, nullptr, false),
                 "ErrorOutputPrefix is required when Prefix contains expressions");
    expect_error(ValidatePrefixPair(timed, &empty_errors, false),
                 "ErrorOutputPrefix is required when Prefix contains expressions");
    expect_error(ValidatePrefixPair(timed, &errors, true),
                 "Prefix must use at least one !{partitionKeyFromQuery:NAME}");
    expect_error(ValidatePrefixPair(partitioned, nullptr, true), "ErrorOutputPrefix is required");
    expect_error(ValidatePrefixPair(partitioned, &errors, false),
                 "dynamic partitioning is not enabled");
}

}  // namespace
}  // namespace tarn::delivery
