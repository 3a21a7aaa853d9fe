#include "delivery/metadata_query.h"

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace tarn::delivery {
namespace {

MetadataQuery MustParse(std::string_view text) {
    auto q = MetadataQuery::Parse(text);
    EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
    if (!q.ok()) return MetadataQuery::Parse("{x: .x}").value();
    return std::move(q).value();
}

// The message of Parse's error, or "" when it parses.
std::string ParseError(std::string_view text) {
    auto q = MetadataQuery::Parse(text);
    if (q.ok()) return "";
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    return q.status().message();
}

// A record with simdjson's padding behind it, as Extract requires.
class Record {
public:
    explicit Record(std::string_view json) : size_(json.size()) {
        buf_.assign(json);
        buf_.append(simdjson::SIMDJSON_PADDING, '\0');
    }
    std::string_view view() const { return {buf_.data(), size_}; }

private:
    std::string buf_;
    size_t size_;
};

Status Extract(const MetadataQuery& q, std::string_view json, PartitionKeyValues* out) {
    simdjson::ondemand::parser parser;
    Record record(json);
    return q.Extract(record.view(), parser, out);
}

PartitionKeyValues MustExtract(std::string_view query, std::string_view json) {
    PartitionKeyValues out;
    Status s = Extract(MustParse(query), json, &out);
    EXPECT_TRUE(s.ok()) << query << " on " << json << ": " << s.ToString();
    return out;
}

std::string ExtractError(std::string_view query, std::string_view json) {
    PartitionKeyValues out;
    Status s = Extract(MustParse(query), json, &out);
    if (s.ok()) return "";
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    return s.message();
}

TEST(MetadataQueryTest, ParsesEveryPathForm) {
    auto q = MustParse(
        R"({a: .a, b: .a.b.c, c: ."quoted key", d: .a["b"], e: .a[0], f: .["x"], g: .[2].y,)"
        R"( h: .a[1][2], "i-j.k": .x."y z"[3]})");
    const auto& keys = q.keys();
    ASSERT_EQ(keys.size(), 9u);
    EXPECT_EQ(keys[0].name, "a");
    ASSERT_EQ(keys[1].path.size(), 3u);
    EXPECT_EQ(keys[1].path[2].field, "c");
    EXPECT_EQ(keys[1].path_text, ".a.b.c");
    EXPECT_EQ(keys[2].path[0].field, "quoted key");
    EXPECT_EQ(keys[3].path[1].field, "b");
    EXPECT_TRUE(keys[4].path[1].is_index);
    EXPECT_EQ(keys[4].path[1].index, 0u);
    EXPECT_EQ(keys[5].path[0].field, "x");
    EXPECT_TRUE(keys[6].path[0].is_index);
    EXPECT_EQ(keys[6].path[0].index, 2u);
    EXPECT_EQ(keys[7].path.size(), 3u);
    EXPECT_EQ(keys[8].name, "i-j.k");
    EXPECT_EQ(keys[8].path[1].field, "y z");
    EXPECT_EQ(keys[8].path[2].index, 3u);
}

TEST(MetadataQueryTest, ParsesWhitespaceShorthandEscapesAndFunctions) {
    auto q = MustParse(
        " {\n  customer_id ,\n  r : .loc.region | ascii_downcase|tostring ,"
        " y: .ts | strftime( \"%Y/%m\" ), d: .ts|todate, u: .\"\\u00e9\\n\" }\n");
    const auto& keys = q.keys();
    ASSERT_EQ(keys.size(), 5u);
    EXPECT_EQ(keys[0].name, "customer_id");
    EXPECT_EQ(keys[0].path[0].field, "customer_id");
    EXPECT_EQ(keys[1].calls.size(), 2u);
    EXPECT_EQ(keys[1].calls[0].function, MetadataQuery::Function::kAsciiDowncase);
    EXPECT_EQ(keys[1].calls[1].function, MetadataQuery::Function::kToString);
    EXPECT_EQ(keys[2].calls[0].function, MetadataQuery::Function::kStrftime);
    EXPECT_EQ(keys[2].calls[0].format, "%Y/%m");
    EXPECT_EQ(keys[3].calls[0].format, "%Y-%m-%dT%H:%M:%SZ");
    EXPECT_EQ(keys[4].path[0].field, "\xC3\xA9\n");
}

TEST(MetadataQueryTest, ParseErrorsNameThePosition) {
    struct Case {
        std::string_view query;
        std::string_view message;
    };
    const std::vector<Case> cases = {
        {"", "MetadataExtractionQuery at 0: expected '{'"},
        {".a", "MetadataExtractionQuery at 0: expected '{'"},
        {"{}", "MetadataExtractionQuery at 1: expected a key name"},
        {"{a .a}", "MetadataExtractionQuery at 3: expected ':' after the key name"},
        {"{a: }", "MetadataExtractionQuery at 4: expected a path such as .field"},
        {"{customer_id: customer_id}",
         "MetadataExtractionQuery at 14: expected a path such as .field"},
        {"{a: .}", "MetadataExtractionQuery at 4: expected a path such as .field"},
        {"{a: .a.}", "MetadataExtractionQuery at 6: expected a path such as .field"},
        {"{a: .a..b}", "MetadataExtractionQuery at 6: expected a path such as .field"},
        {"{a: .a[-1]}", "MetadataExtractionQuery at 7: expected a string or a non-negative"},
        {"{a: .a[0}", "MetadataExtractionQuery at 8: expected ']'"},
        {"{a: .a[1234567890]}", "MetadataExtractionQuery at 7: array index too large"},
        {"{a: .\"abc}", "MetadataExtractionQuery at 5: unterminated string"},
        {"{a: .\"\\q\"}", "MetadataExtractionQuery at 6: invalid escape"},
        {"{a: .\"\\u12\"}", "MetadataExtractionQuery at 6: invalid \\u escape"},
        {"{a: .\"\\ud800\"}", "MetadataExtractionQuery at 6: invalid surrogate pair"},
        {"{a: .a + 1}", "MetadataExtractionQuery at 7: expected ',' or '}'"},
        {"{a: .a?}", "MetadataExtractionQuery at 6: expected ',' or '}'"},
        {"{a: .a | length}", "MetadataExtractionQuery at 9: expected a function"},
        {"{a: .a | }", "MetadataExtractionQuery at 9: expected a function"},
        {"{a: .a | strftime}", "MetadataExtractionQuery at 17: expected '(' after strftime"},
        {"{a: .a | strftime(%Y)}", "MetadataExtractionQuery at 18: expected a format string"},
        {"{a: .a | strftime(\"%Y\"}", "MetadataExtractionQuery at 22: expected ')'"},
        // The format is quoted decoded; a line break in it stays out of the one-line message
        // (found by fuzz/delivery_inputs_fuzzer).
        {"{a: .a | strftime(\"%Y\\n%q\")}",
         "MetadataExtractionQuery at 18: unsupported strftime conversion in \"%Y?%q\" (supported: "
         "%Y %y %m %d %e %H %M %S %j %F %T %%)"},
        {"{a: .a | strftime(\"%Y-%q\")}",
         "MetadataExtractionQuery at 18: unsupported strftime conversion in \"%Y-%q\""},
        {"{a: .a | strftime(\"%\")}", "MetadataExtractionQuery at 18: unsupported strftime"},
        {"{a: .a, a: .b}", "MetadataExtractionQuery at 8: duplicate key name \"a\""},
        {"{a: .a, \"a\": .b}", "MetadataExtractionQuery at 8: duplicate key name \"a\""},
        {"{a: .a,}", "MetadataExtractionQuery at 7: expected a key name"},
        {"{a: .a", "MetadataExtractionQuery at 6: expected ',' or '}'"},
        {"{a: .a} x", "MetadataExtractionQuery at 8: unexpected text after the object"},
        {"{a: .a} {b: .b}", "MetadataExtractionQuery at 8: unexpected text after the object"},
        {"{\"a/b\": .a}", "MetadataExtractionQuery at 1: key name \"a/b\" may only use"},
        {"{\"\": .a}", "MetadataExtractionQuery at 1: empty key name"},
        {"{(.a): .a}", "MetadataExtractionQuery at 1: expected a key name"},
        {"{a: .a[\"b\"}", "MetadataExtractionQuery at 10: expected ']'"},
        {"{a: .[]}", "MetadataExtractionQuery at 6: expected a string or a non-negative"},
    };
    for (const Case& c : cases) {
        std::string msg = ParseError(c.query);
        EXPECT_EQ(msg.substr(0, c.message.size()), c.message) << c.query << " -> " << msg;
    }
    EXPECT_NE(ParseError(std::string(kMaxMetadataQueryBytes + 1, ' ')), "");
}

TEST(MetadataQueryTest, ExtractsNestedFieldsQuotedKeysAndIndices) {
    auto out = MustExtract(
        R"({customer_id: .customer_id, region: .location.region, q: ."the key",)"
        R"( b: .location["the city"], first: .items[0], deep: .items[2].sku, m: .m[1][0]})",
        R"({"customer_id":"c-42","location":{"region":"eu-west-1","the city":"Dublin"},)"
        R"("the key":"k","items":["i0","i1",{"sku":"S9"}],"m":[[1],[2,3]]})");
    EXPECT_EQ(out, (PartitionKeyValues{{"customer_id", "c-42"},
                                       {"region", "eu-west-1"},
                                       {"q", "k"},
                                       {"b", "Dublin"},
                                       {"first", "i0"},
                                       {"deep", "S9"},
                                       {"m", "2"}}));
}

TEST(MetadataQueryTest, RendersNumbersBooleansAndStrings) {
    auto out = MustExtract(
        "{i: .i, neg: .neg, d: .d, e: .e, t: .t, f: .f, s: .s, u: .u, esc: .esc, big: .big}",
        R"({"i": 42 , "neg":-7,"d":1.50,"e":1e3,"t":true,"f" : false ,"s":"plain",)"
        R"("u":"caf\u00e9 \u6771\u4eac","esc":"a\"b\\c","big":123456789012345678901234567890})");
    EXPECT_EQ(out.at("i"), "42");
    EXPECT_EQ(out.at("neg"), "-7");
    EXPECT_EQ(out.at("d"), "1.50");
    EXPECT_EQ(out.at("e"), "1e3");
    EXPECT_EQ(out.at("t"), "true");
    EXPECT_EQ(out.at("f"), "false");
    EXPECT_EQ(out.at("s"), "plain");
    EXPECT_EQ(out.at("u"), "caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC");
    EXPECT_EQ(out.at("esc"), "a\"b\\c");
    EXPECT_EQ(out.at("big"), "123456789012345678901234567890");
}

TEST(MetadataQueryTest, MatchesUnescapedRecordKeysAndUnicodeQueryKeys) {
    auto out = MustExtract(R"({a: .a, e: ."\u00e9t\u00e9"})",
                           "{\"\\u0061\":\"x\",\"\xC3\xA9t\xC3\xA9\":\"summer\"}");
    EXPECT_EQ(out.at("a"), "x");
    EXPECT_EQ(out.at("e"), "summer");
}

TEST(MetadataQueryTest, AppliesFunctions) {
    auto out = MustExtract(
        R"({lo: .r | ascii_downcase, up: .r|ascii_upcase, n: .n | tostring, )"
        R"(y: .ts | strftime("%Y"), p: .ts|strftime("%Y/%m/%d/%H %M:%S %j %y %F %T %%"),)"
        R"( frac: .frac | strftime("%H:%M:%S"), d: .ts | todate, s: .r | tostring})",
        R"({"r":"EU-West_1 É","n":3.25,"ts":1700000000,"frac":59.999})");
    EXPECT_EQ(out.at("lo"), "eu-west_1 \xC3\x89");
    EXPECT_EQ(out.at("up"), "EU-WEST_1 \xC3\x89");
    EXPECT_EQ(out.at("n"), "3.25");
    EXPECT_EQ(out.at("y"), "2023");
    EXPECT_EQ(out.at("p"), "2023/11/14/22 13:20 318 23 2023-11-14 22:13:20 %");
    EXPECT_EQ(out.at("frac"), "00:00:59");
    EXPECT_EQ(out.at("d"), "2023-11-14T22:13:20Z");
    EXPECT_EQ(out.at("s"), "EU-West_1 \xC3\x89");
}

TEST(MetadataQueryTest, FunctionTypeErrors) {
    EXPECT_EQ(ExtractError("{a: .n | ascii_downcase}", R"({"n":1})"),
              "partition key 'a' (.n): ascii_downcase needs a string, not a number");
    EXPECT_EQ(ExtractError("{a: .s | strftime(\"%Y\")}", R"({"s":"2023"})"),
              "partition key 'a' (.s): strftime needs a number (seconds since the epoch), not a "
              "string");
    EXPECT_EQ(ExtractError("{a: .n | tostring | strftime(\"%Y\")}", R"({"n":1})"),
              "partition key 'a' (.n): strftime needs a number (seconds since the epoch), not a "
              "string");
    EXPECT_EQ(ExtractError("{a: .n | strftime(\"%Y\")}", R"({"n":1e300})"),
              "partition key 'a' (.n): strftime: timestamp out of range");
    EXPECT_EQ(ExtractError("{a: .b | ascii_upcase}", R"({"b":true})"),
              "partition key 'a' (.b): ascii_upcase needs a string, not a boolean");
}

TEST(MetadataQueryTest, MissingNullObjectArrayAreErrors) {
    const std::string_view record =
        R"({"n":null,"o":{"x":1},"a":[1,2],"s":"str","num":5,"deep":{"k":null}})";
    struct Case {
        std::string_view query;
        std::string_view message;
    };
    const std::vector<Case> cases = {
        {"{k: .missing}", "partition key 'k' (.missing): value is missing or null"},
        {"{k: .n}", "partition key 'k' (.n): value is missing or null"},
        {"{k: .n.x.y}", "partition key 'k' (.n.x.y): value is missing or null"},
        {"{k: .missing[3]}", "partition key 'k' (.missing[3]): value is missing or null"},
        {"{k: .deep.k}", "partition key 'k' (.deep.k): value is missing or null"},
        {"{k: .o}", "partition key 'k' (.o): value is an object, not a string, number or boolean"},
        {"{k: .a}", "partition key 'k' (.a): value is an array, not a string, number or boolean"},
        {"{k: .a[2]}", "partition key 'k' (.a[2]): value is missing or null"},
        {"{k: .o[0]}", "partition key 'k' (.o[0]): cannot index an object with a number"},
        {"{k: .[0]}", "partition key 'k' (.[0]): cannot index an object with a number"},
        {"{k: .a.x}", "partition key 'k' (.a.x): cannot index an array with \"x\""},
        {"{k: .s.x}", "partition key 'k' (.s.x): cannot index a string with \"x\""},
        {"{k: .num[0]}", "partition key 'k' (.num[0]): cannot index a number with a number"},
        {"{ok: .s, k: .n | tostring}", "partition key 'k' (.n): value is missing or null"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(ExtractError(c.query, record), c.message) << c.query;
    }
}

TEST(MetadataQueryTest, MalformedRecordsAreErrors) {
    const std::vector<std::string_view> records = {
        "",
        "not json",
        R"({"a":)",
        R"({"a":"x")",
        R"({"a":"x",})",
        R"({"a":"x","b":tru})",
        R"({"a":"x","b":[1,2})",
        R"({"a":"x","b":"\q"})",
        R"({"a":"x"} {"a":"y"})",
        R"({"a":"x"}])",
        R"({"a":"x","b":01})",
        "{\"a\":\"x\",\"b\":\"\xFF\"}",
    };
    for (std::string_view r : records) {
        std::string msg = ExtractError("{a: .a}", r);
        EXPECT_EQ(msg.rfind("record is not valid JSON (", 0), 0u) << r << " -> " << msg;
    }
    for (std::string_view r : {"42", "\"s\"", "[1,2]", "null"}) {
        EXPECT_NE(ExtractError("{a: .a}", r), "") << r;
    }
}

TEST(MetadataQueryTest, ManyRecordsReuseOutputAndParser) {
    MetadataQuery q = MustParse("{customer_id: .customer_id, year: .ts | strftime(\"%Y\")}");
    simdjson::ondemand::parser parser;
    PartitionKeyValues out = {{"stale", "x"}};
    for (int i = 0; i < 2000; ++i) {
        std::string json = "{\"customer_id\":\"c" + std::to_string(i % 7) +
                           "\",\"ts\":" + std::to_string(1'600'000'000 + i * 100'000) + "}";
        if (i % 100 == 99) json = "{\"customer_id\":null,\"ts\":1}";
        Record record(json);
        Status s = q.Extract(record.view(), parser, &out);
        if (i % 100 == 99) {
            ASSERT_FALSE(s.ok());
            continue;
        }
        ASSERT_TRUE(s.ok()) << s.ToString();
        ASSERT_EQ(out.size(), 2u);
        EXPECT_EQ(out.at("customer_id"), "c" + std::to_string(i % 7));
        time_t t = 1'600'000'000 + static_cast<time_t>(i) * 100'000;
        struct tm tm_utc {};
        gmtime_r(&t, &tm_utc);
        EXPECT_EQ(out.at("year"), std::to_string(tm_utc.tm_year + 1900));
    }
    EXPECT_EQ(out.count("stale"), 0u);
}

TEST(MetadataQueryTest, ExtractUnpaddedCopies) {
    MetadataQuery q = MustParse("{a: .a}");
    simdjson::ondemand::parser parser;
    PartitionKeyValues out;
    std::string json = R"({"a":"v"})";
    ASSERT_TRUE(q.ExtractUnpadded(json, parser, &out).ok());
    EXPECT_EQ(out.at("a"), "v");
}

}  // namespace
}  // namespace tarn::delivery
