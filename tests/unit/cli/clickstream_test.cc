// Tests of the clickstream generator (cli/clickstream.h) and the `tarn gen` command.
#include "cli/clickstream.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cli/commands.h"
#include "common/time_format.h"
#include "testing/files.h"

namespace tarn::cli {
namespace {

using json = nlohmann::json;
using LineKind = ClickstreamGenerator::LineKind;
using tarn::testing::ReadFile;

ClickstreamGenerator Make(const ClickstreamOptions& options) {
    auto gen = ClickstreamGenerator::Create(options);
    EXPECT_TRUE(gen.ok()) << gen.status().ToString();
    return std::move(gen).value();
}

std::string Generate(const ClickstreamOptions& options, uint64_t first, uint64_t n) {
    std::string out;
    Make(options).AppendEvents(first, n, &out);
    return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        EXPECT_NE(nl, std::string::npos) << "text does not end with a newline";
        if (nl == std::string::npos) break;
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

bool ParsesAsJson(const std::string& line) { return json::accept(line); }

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Whether `s` has the shape of `pattern`, character by character: 'h' is a lowercase hex digit,
// 'd' a decimal digit, 'A' an uppercase letter, 'v' a UUID variant digit (8, 9, a, b); anything
// else stands for itself.
bool Matches(std::string_view s, std::string_view pattern) {
    if (s.size() != pattern.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        bool ok;
        switch (pattern[i]) {
            case 'h':
                ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                break;
            case 'd':
                ok = c >= '0' && c <= '9';
                break;
            case 'A':
                ok = c >= 'A' && c <= 'Z';
                break;
            case 'v':
                ok = c == '8' || c == '9' || c == 'a' || c == 'b';
                break;
            default:
                ok = c == pattern[i];
                break;
        }
        if (!ok) return false;
    }
    return true;
}

// Whether the line's price is written as digits, '.', exactly two digits.
bool HasTwoDecimalPrice(std::string_view line) {
    const size_t key = line.find(",\"price\":");
    if (key == std::string_view::npos) return false;
    size_t pos = key + 9;
    const size_t digits = pos;
    while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9') ++pos;
    if (pos == digits) return false;
    return Matches(line.substr(pos, 4), ".dd,");
}

TEST(ClickstreamTest, EveryEventHasEveryFieldWithTheRightType) {
    ClickstreamOptions options;
    options.count = 20'000;
    const auto lines = SplitLines(Generate(options, 0, 20'000));
    ASSERT_EQ(lines.size(), 20'000u);

    const std::set<std::string> types = {
        "view",     "click",  "search", "add_to_cart", "remove_from_cart",
        "purchase", "signup", "login",  "logout"};
    const std::map<std::string, std::vector<std::string>> os_prefixes = {
        {"mobile", {"iOS ", "Android "}},
        {"desktop", {"Windows ", "macOS ", "Linux", "ChromeOS"}},
        {"tablet", {"iPadOS ", "Android "}}};
    int null_referrers = 0, string_referrers = 0, purchases = 0;
    std::map<std::string, int> type_counts;
    for (const std::string& line : lines) {
        SCOPED_TRACE(line);
        const json e = json::parse(line);  // throws (fails the test) when invalid
        ASSERT_TRUE(e.is_object());
        ASSERT_TRUE(e["event_id"].is_string());
        EXPECT_TRUE(
            Matches(e["event_id"].get<std::string>(), "hhhhhhhh-hhhh-4hhh-vhhh-hhhhhhhhhhhh"));
        ASSERT_TRUE(e["user_id"].is_number_integer());
        EXPECT_GE(e["user_id"].get<int64_t>(), 1);
        EXPECT_LE(e["user_id"].get<int64_t>(), options.users);
        ASSERT_TRUE(e["session_id"].is_string());
        EXPECT_TRUE(Matches(e["session_id"].get<std::string>(), "hhhhhhhhhhhhhhhh"));
        ASSERT_TRUE(e["event_type"].is_string());
        const std::string type = e["event_type"];
        EXPECT_TRUE(types.count(type)) << type;
        ++type_counts[type];
        ASSERT_TRUE(e["page"].is_string());
        const std::string page = e["page"];
        ASSERT_TRUE(StartsWith(page, "/"));
        if (type == "search") {
            EXPECT_TRUE(StartsWith(page, "/search?q=")) << page;
        }
        if (type == "add_to_cart") {
            EXPECT_TRUE(StartsWith(page, "/products/")) << page;
        }
        if (type == "remove_from_cart") {
            EXPECT_EQ(page, "/cart");
        }
        if (type == "purchase") {
            EXPECT_EQ(page, "/checkout");
        }
        if (type == "login") {
            EXPECT_EQ(page, "/login");
        }
        if (type != "search") {
            EXPECT_EQ(page.find("/search"), std::string::npos);
        }
        ASSERT_TRUE(e.contains("referrer"));
        if (e["referrer"].is_null()) {
            ++null_referrers;
        } else {
            ASSERT_TRUE(e["referrer"].is_string());
            EXPECT_TRUE(StartsWith(e["referrer"].get<std::string>(), "https://"));
            ++string_referrers;
        }
        ASSERT_TRUE(e["country"].is_string());
        EXPECT_TRUE(Matches(e["country"].get<std::string>(), "AA"));
        ASSERT_TRUE(e["device"].is_string());
        const std::string device = e["device"];
        ASSERT_TRUE(os_prefixes.count(device)) << device;
        // price: present iff purchase, a positive number written with 2 decimals.
        EXPECT_EQ(e.contains("price"), type == "purchase");
        if (type == "purchase") {
            ++purchases;
            ASSERT_TRUE(e["price"].is_number_float());
            EXPECT_GT(e["price"].get<double>(), 0.0);
            EXPECT_TRUE(HasTwoDecimalPrice(line));
        }
        ASSERT_TRUE(e["ts"].is_string());
        const std::string ts = e["ts"];
        EXPECT_TRUE(Matches(ts, "dddd-dd-ddTdd:dd:dd.dddZ")) << ts;
        auto ms = ParseIso8601Millis(ts);
        ASSERT_TRUE(ms.ok());
        EXPECT_EQ(FormatIso8601Millis(*ms), ts);
        const json& ctx = e["context"];
        ASSERT_TRUE(ctx.is_object());
        EXPECT_EQ(ctx.size(), 3u);
        ASSERT_TRUE(ctx["app_version"].is_string());
        EXPECT_TRUE(Matches(ctx["app_version"].get<std::string>(), "d.d.d"));
        ASSERT_TRUE(ctx["os"].is_string());
        const std::string os = ctx["os"];
        EXPECT_TRUE(std::any_of(os_prefixes.at(device).begin(), os_prefixes.at(device).end(),
                                [&](const std::string& p) { return StartsWith(os, p); }))
            << device << " with " << os;
        ASSERT_TRUE(ctx["screen"].is_object());
        ASSERT_TRUE(ctx["screen"]["w"].is_number_integer());
        ASSERT_TRUE(ctx["screen"]["h"].is_number_integer());
        const int64_t w = ctx["screen"]["w"], h = ctx["screen"]["h"];
        if (device == "desktop") {
            EXPECT_GT(w, h);
        }
        if (device == "mobile") {
            EXPECT_LT(w, 500);
        }
        ASSERT_TRUE(e["tags"].is_array());
        EXPECT_LE(e["tags"].size(), 3u);
        std::set<std::string> distinct;
        for (const json& tag : e["tags"]) {
            ASSERT_TRUE(tag.is_string());
            EXPECT_FALSE(tag.get<std::string>().empty());
            distinct.insert(tag.get<std::string>());
        }
        EXPECT_EQ(distinct.size(), e["tags"].size());
        const size_t expected_keys = type == "purchase" ? 12 : 11;
        EXPECT_EQ(e.size(), expected_keys);
    }
    // ~40% null referrers, every type appears, views dominate.
    EXPECT_GT(null_referrers, 7000);
    EXPECT_LT(null_referrers, 9000);
    EXPECT_GT(string_referrers, 11000);
    EXPECT_GT(purchases, 100);
    EXPECT_EQ(type_counts.size(), types.size());
    EXPECT_GT(type_counts["view"], type_counts["click"]);
    EXPECT_GT(type_counts["click"], type_counts["purchase"]);
}

TEST(ClickstreamTest, SameOptionsGiveTheSameBytes) {
    ClickstreamOptions options;
    options.seed = 42;
    options.malformed_rate = 0.05;
    options.duplicate_rate = 0.05;
    const std::string a = Generate(options, 0, 5000);
    const std::string b = Generate(options, 0, 5000);
    EXPECT_EQ(a, b);
    options.seed = 43;
    const std::string c = Generate(options, 0, 5000);
    EXPECT_NE(a, c);
    // A different seed changes nearly every line, not just a few.
    const auto la = SplitLines(a), lc = SplitLines(c);
    ASSERT_EQ(la.size(), lc.size());
    int same = 0;
    for (size_t i = 0; i < la.size(); ++i) same += la[i] == lc[i];
    EXPECT_LT(same, 10);
}

TEST(ClickstreamTest, ShorterRunIsAPrefixOfALongerOne) {
    ClickstreamOptions options;
    options.malformed_rate = 0.1;
    options.duplicate_rate = 0.1;
    const std::string small = Generate(options, 0, 100);
    const std::string large = Generate(options, 0, 1000);
    ASSERT_GT(large.size(), small.size());
    EXPECT_EQ(large.substr(0, small.size()), small);
    EXPECT_EQ(SplitLines(small).size(), 100u);
}

TEST(ClickstreamTest, ChunkedGenerationEqualsOneShot) {
    ClickstreamOptions options;
    options.seed = 9;
    options.count = 30'000;
    options.malformed_rate = 0.1;
    options.duplicate_rate = 0.2;
    const ClickstreamGenerator gen = Make(options);
    std::string one_shot;
    gen.AppendEvents(0, 30'000, &one_shot);

    std::string chunked;
    const uint64_t sizes[] = {1, 7, 64, 65, 1000, 8192, 3};
    uint64_t first = 0;
    for (size_t k = 0; first < 30'000; ++k) {
        const uint64_t n = std::min<uint64_t>(sizes[k % std::size(sizes)], 30'000 - first);
        gen.AppendEvents(first, n, &chunked);
        first += n;
    }
    EXPECT_EQ(chunked, one_shot);

    // The raw-buffer API gives the same bytes.
    std::vector<char> buffer(5000 * ClickstreamGenerator::kMaxLineBytes);
    const char* end = gen.WriteEvents(12'345, 5000, buffer.data());
    std::string expected;
    gen.AppendEvents(12'345, 5000, &expected);
    EXPECT_EQ(std::string(buffer.data(), static_cast<size_t>(end - buffer.data())), expected);
}

TEST(ClickstreamTest, EventIdsAreUnique) {
    ClickstreamOptions options;
    options.count = 200'000;
    const auto lines = SplitLines(Generate(options, 0, 200'000));
    ASSERT_EQ(lines.size(), 200'000u);
    std::unordered_set<std::string> ids;
    for (const std::string& line : lines) {
        ASSERT_TRUE(StartsWith(line, "{\"event_id\":\""));
        ids.insert(line.substr(13, 36));
    }
    EXPECT_EQ(ids.size(), lines.size());
    // Also unique far from index 0.
    const auto far = SplitLines(Generate(options, uint64_t{1} << 40, 1000));
    for (const std::string& line : far) EXPECT_TRUE(ids.insert(line.substr(13, 36)).second);
}

int64_t UserIdOf(const std::string& line) {
    const size_t pos = line.find("\"user_id\":");
    EXPECT_NE(pos, std::string::npos);
    return std::stoll(line.substr(pos + 10));
}

TEST(ClickstreamTest, UserActivityIsZipfSkewed) {
    ClickstreamOptions options;
    options.count = 200'000;
    options.users = 100'000;
    const auto lines = SplitLines(Generate(options, 0, 200'000));
    std::unordered_map<int64_t, int> per_user;
    for (const std::string& line : lines) {
        const int64_t user = UserIdOf(line);
        ASSERT_GE(user, 1);
        ASSERT_LE(user, 100'000);
        ++per_user[user];
    }
    std::vector<int> counts;
    for (const auto& [user, n] : per_user) counts.push_back(n);
    std::sort(counts.rbegin(), counts.rend());
    int64_t top = 0;
    for (size_t i = 0; i < 1000 && i < counts.size(); ++i) top += counts[i];
    // Zipf(1.1) over 100k users gives the top 1% about 70% of events; uniform would give ~2%.
    const double share = static_cast<double>(top) / static_cast<double>(lines.size());
    EXPECT_GT(share, 0.5) << share;
    EXPECT_LT(share, 0.9) << share;
    // The long tail is there too: many users appear.
    EXPECT_GT(per_user.size(), 20'000u);
}

TEST(ClickstreamTest, CountryIsPerUserAndDeviceIsPerSession) {
    ClickstreamOptions options;
    options.count = 20'000;
    options.users = 500;
    const auto lines = SplitLines(Generate(options, 0, 20'000));
    std::map<int64_t, std::string> country_of;
    std::map<std::string, std::string> device_of;
    std::map<std::string, int64_t> user_of;
    size_t sessions_with_several_events = 0;
    std::map<std::string, int> events_of;
    for (const std::string& line : lines) {
        const json e = json::parse(line);
        const int64_t user = e["user_id"];
        const std::string country = e["country"];
        auto [cit, cnew] = country_of.emplace(user, country);
        EXPECT_EQ(cit->second, country);
        const std::string session = e["session_id"];
        const std::string device = e["device"].get<std::string>() + "/" +
                                   e["context"]["os"].get<std::string>() + "/" +
                                   e["context"]["app_version"].get<std::string>();
        auto [dit, dnew] = device_of.emplace(session, device);
        EXPECT_EQ(dit->second, device);
        auto [uit, unew] = user_of.emplace(session, user);
        EXPECT_EQ(uit->second, user);
        if (++events_of[session] == 2) ++sessions_with_several_events;
    }
    EXPECT_GT(sessions_with_several_events, 100u);
}

TEST(ClickstreamTest, TimestampsFollowTheSchedule) {
    ClickstreamOptions options;
    options.count = 50'000;
    options.start_ms = *ParseIso8601Millis("2026-03-01T00:00:00Z");
    options.span_ms = 3'600'000;  // 72 ms between events: the jitter reorders some
    const ClickstreamGenerator gen = Make(options);
    std::string text;
    gen.AppendEvents(0, 50'000, &text);
    const auto lines = SplitLines(text);
    const int64_t jitter = ClickstreamGenerator::kMaxJitterMs;
    int64_t previous = 0;
    int backwards = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        // (Other tests parse the lines as JSON; a text search keeps this one fast.)
        const size_t key = lines[i].find(",\"ts\":\"");
        ASSERT_NE(key, std::string::npos);
        const int64_t ts = *ParseIso8601Millis(lines[i].substr(key + 7, 24));
        ASSERT_EQ(ts, gen.EventTimeMillis(i));
        ASSERT_GE(ts, options.start_ms);
        ASSERT_LT(ts, options.start_ms + options.span_ms + jitter);
        const int64_t scheduled =
            options.start_ms + options.span_ms * static_cast<int64_t>(i) / options.count;
        ASSERT_GE(ts, scheduled);
        ASSERT_LT(ts, scheduled + jitter);
        if (i > 0) {
            ASSERT_GT(ts, previous - jitter);
            backwards += ts < previous;
        }
        previous = ts;
    }
    // Slightly out of order, but mostly increasing.
    EXPECT_GT(backwards, 1000);
    EXPECT_LT(backwards, 40'000);
    // The last event is near the end of the span.
    EXPECT_GT(previous, options.start_ms + options.span_ms - 100);
}

TEST(ClickstreamTest, TimestampsCrossDaysAndYears) {
    ClickstreamOptions options;
    options.count = 1000;
    options.start_ms = *ParseIso8601Millis("2027-12-31T23:59:00Z");
    options.span_ms = 2 * 86'400'000LL;
    const auto lines = SplitLines(Generate(options, 0, 1000));
    std::set<std::string> days;
    for (const std::string& line : lines) {
        const std::string ts = json::parse(line)["ts"];
        ASSERT_EQ(FormatIso8601Millis(*ParseIso8601Millis(ts)), ts);
        days.insert(ts.substr(0, 10));
    }
    EXPECT_TRUE(days.count("2027-12-31"));
    EXPECT_TRUE(days.count("2028-01-01"));
    EXPECT_TRUE(days.count("2028-01-02"));
}

TEST(ClickstreamTest, MalformedLinesAreInvalidJsonAtTheRequestedRate) {
    ClickstreamOptions options;
    options.count = 50'000;
    options.malformed_rate = 0.1;
    const ClickstreamGenerator gen = Make(options);
    std::string text;
    gen.AppendEvents(0, 50'000, &text);
    const auto lines = SplitLines(text);
    ASSERT_EQ(lines.size(), 50'000u);
    int invalid = 0, truncated = 0, trailing_comma = 0, single_quotes = 0, garbage = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const bool ok = ParsesAsJson(line);
        ASSERT_EQ(!ok, gen.KindOf(i) == LineKind::kMalformed) << i << ": " << line;
        if (ok) continue;
        ++invalid;
        ASSERT_FALSE(line.empty());
        if (!StartsWith(line, "{")) {
            ++garbage;
        } else if (StartsWith(line, "{'event_id'")) {
            ++single_quotes;
        } else if (line.size() > 2 && line.substr(line.size() - 2) == ",}") {
            ++trailing_comma;
        } else {
            ++truncated;
        }
    }
    EXPECT_GT(invalid, 4500);
    EXPECT_LT(invalid, 5500);
    EXPECT_GT(truncated, 0);
    EXPECT_GT(trailing_comma, 0);
    EXPECT_GT(single_quotes, 0);
    EXPECT_GT(garbage, 0);
}

TEST(ClickstreamTest, DuplicatesRepeatRecentEventsByteForByte) {
    ClickstreamOptions options;
    options.count = 50'000;
    options.duplicate_rate = 0.05;
    options.malformed_rate = 0.02;
    const ClickstreamGenerator gen = Make(options);
    std::string text;
    gen.AppendEvents(0, 50'000, &text);
    const auto lines = SplitLines(text);
    std::unordered_set<std::string> seen_ids;
    int repeats = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const LineKind kind = gen.KindOf(i);
        if (kind == LineKind::kMalformed) continue;
        const std::string id = line.substr(13, 36);
        const bool repeat = !seen_ids.insert(id).second;
        ASSERT_EQ(repeat, kind == LineKind::kDuplicate) << i;
        if (!repeat) continue;
        ++repeats;
        // The same bytes as one of the kDuplicateWindow lines before it, which is an event.
        bool found = false;
        for (size_t back = 1; back <= ClickstreamGenerator::kDuplicateWindow && back <= i; ++back) {
            if (lines[i - back] == line && ParsesAsJson(lines[i - back])) found = true;
        }
        EXPECT_TRUE(found) << i;
    }
    EXPECT_GT(repeats, 2000);  // 5% of 50k = 2500
    EXPECT_LT(repeats, 3000);
    EXPECT_EQ(gen.KindOf(0), LineKind::kEvent);
}

TEST(ClickstreamTest, ExtremeRatesStillTerminate) {
    ClickstreamOptions options;
    options.malformed_rate = 1.0;
    auto lines = SplitLines(Generate(options, 0, 500));
    for (const std::string& line : lines) EXPECT_FALSE(ParsesAsJson(line)) << line;
    options.malformed_rate = 0.5;
    options.duplicate_rate = 0.5;
    lines = SplitLines(Generate(options, 0, 2000));
    ASSERT_EQ(lines.size(), 2000u);
    options.malformed_rate = 0.0;
    options.duplicate_rate = 1.0;  // line 0 is the only event in reach, so all repeat it
    lines = SplitLines(Generate(options, 0, ClickstreamGenerator::kDuplicateWindow + 1));
    for (const std::string& line : lines) EXPECT_EQ(line, lines[0]);
}

TEST(ClickstreamTest, InvalidOptionsAreRejected) {
    auto rejected = [](auto mutate) {
        ClickstreamOptions options;
        mutate(options);
        return !ClickstreamGenerator::Create(options).ok();
    };
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.malformed_rate = -0.1; }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.duplicate_rate = 1.1; }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.duplicate_rate = 0.0 / 0.0; }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) {
        o.malformed_rate = 0.7;
        o.duplicate_rate = 0.7;
    }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.users = 0; }));
    EXPECT_TRUE(
        rejected([](ClickstreamOptions& o) { o.users = ClickstreamGenerator::kMaxUsers + 1; }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.count = -1; }));
    EXPECT_TRUE(rejected([](ClickstreamOptions& o) { o.span_ms = -1; }));
    EXPECT_FALSE(rejected([](ClickstreamOptions&) {}));
    EXPECT_FALSE(rejected([](ClickstreamOptions& o) { o.users = 1; }));
}

TEST(ClickstreamTest, OneUserStillWorks) {
    ClickstreamOptions options;
    options.users = 1;
    for (const std::string& line : SplitLines(Generate(options, 0, 1000))) {
        EXPECT_EQ(UserIdOf(line), 1);
    }
}

TEST(LiveClickstreamTest, StampsProductionTimeAndKeepsDuplicatesExact) {
    ClickstreamOptions options;
    options.duplicate_rate = 0.2;
    const ClickstreamGenerator gen = Make(options);
    LiveClickstream live(&gen);
    std::string text;
    const int64_t t0 = *ParseIso8601Millis("2026-06-01T12:00:00.000Z");
    std::vector<int64_t> produced_at;
    for (int batch = 0; batch < 300; ++batch) {
        const uint64_t n = 1 + batch % 5;
        live.AppendNext(n, t0 + batch * 7, &text);
        produced_at.insert(produced_at.end(), n, t0 + batch * 7);
    }
    EXPECT_EQ(live.next_index(), produced_at.size());
    const auto lines = SplitLines(text);
    ASSERT_EQ(lines.size(), produced_at.size());
    int duplicates = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const json e = json::parse(lines[i]);
        const int64_t ts = *ParseIso8601Millis(e["ts"].get<std::string>());
        if (gen.KindOf(i) == LineKind::kDuplicate) {
            ++duplicates;
            bool found = false;
            for (size_t back = 1; back <= ClickstreamGenerator::kDuplicateWindow && back <= i;
                 ++back) {
                found |= lines[i - back] == lines[i];
            }
            EXPECT_TRUE(found) << i;
            EXPECT_LE(ts, produced_at[i]);
        } else {
            EXPECT_EQ(ts, produced_at[i]) << i;
        }
    }
    EXPECT_GT(duplicates, 50);
    // Event content other than time matches the scheduled generator's.
    std::string scheduled;
    gen.AppendEvents(0, 1, &scheduled);
    EXPECT_EQ(scheduled.substr(0, 50), lines[0].substr(0, 50));
}

// ---- The `tarn gen` command ------------------------------------------------------------------

class GenCommandTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tarn_gen_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Runs `tarn gen <args>` in-process and returns its exit status.
    static int Run(const std::string& args) {
        CLI::App app;
        int exit_code = -1;
        AddGenCommand(app, &exit_code);
        app.parse("gen " + args, false);
        return exit_code;
    }

    std::filesystem::path dir_;
};

TEST_F(GenCommandTest, InvalidFlagsExitWithStatus2) {
    const std::string out = " --out " + (dir_ / "x.ndjson").string();
    EXPECT_EQ(Run("--rate 0" + out), 2);
    EXPECT_EQ(Run("--rate -5" + out), 2);
    EXPECT_EQ(Run("--rate fast" + out), 2);
    EXPECT_EQ(Run("--malformed-rate 1.5" + out), 2);
    EXPECT_EQ(Run("--duplicate-rate -0.1" + out), 2);
    EXPECT_EQ(Run("--malformed-rate 0.6 --duplicate-rate 0.6" + out), 2);
    EXPECT_EQ(Run("--start 2026-13-01" + out), 2);
    EXPECT_EQ(Run("--start yesterday" + out), 2);
    EXPECT_EQ(Run("--span 3x" + out), 2);
    EXPECT_EQ(Run("--count -1" + out), 2);
    EXPECT_EQ(Run("--count 10k" + out), 2);
    EXPECT_EQ(Run("--users 0" + out), 2);
    EXPECT_EQ(Run("--seed -1" + out), 2);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "x.ndjson"));  // nothing opened on bad flags
}

TEST_F(GenCommandTest, WritesTheLibraryStreamToAFile) {
    const auto path = dir_ / "events.ndjson";
    ASSERT_EQ(Run("--seed 5 --count 20000 --duplicate-rate 0.01 --start 2026-02-01T00:00:00Z "
                  "--span 1h --out " +
                  path.string()),
              0);
    ClickstreamOptions options;
    options.seed = 5;
    options.count = 20'000;
    options.duplicate_rate = 0.01;
    options.start_ms = *ParseIso8601Millis("2026-02-01T00:00:00Z");
    options.span_ms = 3'600'000;
    EXPECT_EQ(ReadFile(path), Generate(options, 0, 20'000));
    // The default count is 1000, and a rerun truncates the file.
    ASSERT_EQ(Run("--out " + path.string()), 0);
    EXPECT_EQ(SplitLines(ReadFile(path)).size(), 1000u);
    ASSERT_EQ(Run("--count 0 --out " + path.string()), 0);
    EXPECT_EQ(ReadFile(path), "");
}

TEST_F(GenCommandTest, RateWithStartIsDeterministicAndPaced) {
    const auto a = dir_ / "a.ndjson", b = dir_ / "b.ndjson";
    const std::string flags = "--rate 200 --count 20 --start 2026-02-01T00:00:00Z --out ";
    ASSERT_EQ(Run(flags + a.string()), 0);
    ASSERT_EQ(Run(flags + b.string()), 0);
    const std::string text = ReadFile(a);
    EXPECT_EQ(text, ReadFile(b));
    const auto lines = SplitLines(text);
    ASSERT_EQ(lines.size(), 20u);
    // Times advance at the rate from the start: 5 ms apart, plus the jitter.
    for (size_t i = 0; i < lines.size(); ++i) {
        const int64_t ts = *ParseIso8601Millis(json::parse(lines[i])["ts"].get<std::string>());
        const int64_t scheduled = *ParseIso8601Millis("2026-02-01T00:00:00Z") + 5 * i;
        EXPECT_GE(ts, scheduled);
        EXPECT_LT(ts, scheduled + ClickstreamGenerator::kMaxJitterMs);
    }
}

TEST_F(GenCommandTest, LiveRateStampsTheWallClock) {
    const auto path = dir_ / "live.ndjson";
    const auto before = std::chrono::system_clock::now();
    ASSERT_EQ(Run("--rate 100 --count 10 --out " + path.string()), 0);
    const auto after = std::chrono::system_clock::now();
    // 10 events at 100/s: the first at once, the last ~90 ms later.
    EXPECT_GE(after - before, std::chrono::milliseconds(80));
    const auto ms = [](auto t) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    };
    for (const std::string& line : SplitLines(ReadFile(path))) {
        const int64_t ts = *ParseIso8601Millis(json::parse(line)["ts"].get<std::string>());
        EXPECT_GE(ts, ms(before));
        EXPECT_LE(ts, ms(after));
    }
}

TEST_F(GenCommandTest, FullDiskIsAnError) {
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    EXPECT_EQ(Run("--count 100000 --out /dev/full"), 1);
    EXPECT_EQ(Run("--count 1 --out /dev/full"), 1);
}

TEST_F(GenCommandTest, UnwritableOutputIsAnError) {
    EXPECT_EQ(Run("--out " + (dir_ / "no" / "such" / "dir.ndjson").string()), 1);
}

}  // namespace
}  // namespace tarn::cli
