#include "storage/list_collector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tarn::storage {
namespace {

// One entry of a page, for comparing pages: "K:<key>" or "P:<common prefix>".
std::vector<std::string> Entries(const ListPage& page) {
    std::vector<std::string> out;
    for (const ObjectInfo& o : page.objects) out.push_back("K:" + o.key);
    for (const std::string& p : page.common_prefixes) out.push_back("P:" + p);
    std::sort(out.begin(), out.end(),
              [](const std::string& a, const std::string& b) { return a.substr(2) < b.substr(2); });
    return out;
}

// Offers every key in order, as a store with a sorted map would.
ListPage CollectAll(const std::set<std::string>& keys, std::string_view prefix,
                    const ListOptions& options) {
    ListCollector c(prefix, options);
    for (const std::string& key : keys) {
        ListCollector::Verdict v = c.Offer(key);
        if (v == ListCollector::Verdict::kTake) c.AddObject({key, key.size(), {}});
        if (v == ListCollector::Verdict::kStop) break;
    }
    return std::move(c).Finish();
}

// Offers keys the way LocalStore's walk does: a key is not offered when CanSkip() rules out one of
// its prefixes. The page must be the same as CollectAll's.
ListPage CollectSkipping(const std::set<std::string>& keys, std::string_view prefix,
                         const ListOptions& options) {
    ListCollector c(prefix, options);
    for (const std::string& key : keys) {
        if (c.done()) break;
        bool skipped = false;
        for (size_t n = 0; n < key.size() && !skipped; ++n) {
            skipped = c.CanSkip(std::string_view(key).substr(0, n));
        }
        if (skipped) continue;
        ListCollector::Verdict v = c.Offer(key);
        if (v == ListCollector::Verdict::kTake) c.AddObject({key, key.size(), {}});
    }
    return std::move(c).Finish();
}

// S3's rules written the plain way: filter, roll up into a set, sort, cut.
std::vector<std::string> Reference(const std::set<std::string>& keys, const std::string& prefix,
                                   const ListOptions& options, bool* truncated) {
    const std::string& after = options.start_after;
    const std::string& delim = options.delimiter;
    bool after_is_common_prefix = !delim.empty() && after.starts_with(prefix) &&
                                  after.size() > prefix.size() &&
                                  after.find(delim, prefix.size()) == after.size() - delim.size();
    std::set<std::string> objects;
    std::set<std::string> prefixes;
    for (const std::string& key : keys) {
        if (!key.starts_with(prefix) || key <= after) continue;
        if (after_is_common_prefix && key.starts_with(after)) continue;
        size_t pos = delim.empty() ? std::string::npos : key.find(delim, prefix.size());
        if (pos == std::string::npos) {
            objects.insert(key);
        } else {
            prefixes.insert(key.substr(0, pos + delim.size()));
        }
    }
    std::vector<std::string> all;
    for (const std::string& k : objects) all.push_back("K:" + k);
    for (const std::string& p : prefixes) all.push_back("P:" + p);
    std::sort(all.begin(), all.end(),
              [](const std::string& a, const std::string& b) { return a.substr(2) < b.substr(2); });
    *truncated = all.size() > options.max_keys;
    if (*truncated) all.resize(options.max_keys);
    return all;
}

TEST(ListCollectorTest, PrefixStartAfterAndPaging) {
    std::set<std::string> keys = {"a-b", "a.b", "a/b",    "a/c/d",
                                  "a0",  "b",   "raw/ev", "raw/events/x"};
    ListOptions options;
    options.max_keys = 2;
    ListPage page = CollectAll(keys, "a", options);
    EXPECT_EQ(Entries(page), (std::vector<std::string>{"K:a-b", "K:a.b"}));
    EXPECT_TRUE(page.truncated);
    EXPECT_EQ(page.next_start_after, "a.b");

    options.start_after = page.next_start_after;
    page = CollectAll(keys, "a", options);
    EXPECT_EQ(Entries(page), (std::vector<std::string>{"K:a/b", "K:a/c/d"}));
    EXPECT_TRUE(page.truncated);

    options.start_after = page.next_start_after;
    page = CollectAll(keys, "a", options);
    EXPECT_EQ(Entries(page), (std::vector<std::string>{"K:a0"}));
    EXPECT_FALSE(page.truncated);
    EXPECT_EQ(page.next_start_after, "");

    // Exactly max_keys left: not truncated.
    options.start_after = "a/c/d";
    page = CollectAll(keys, "a", options);
    EXPECT_FALSE(page.truncated);
}

TEST(ListCollectorTest, DelimiterRollsUpAndPagesPastCommonPrefixes) {
    std::set<std::string> keys = {"raw/events/_meta",
                                  "raw/events/year=2024/m=01/x",
                                  "raw/events/year=2024/m=02/y",
                                  "raw/events/year=2025/m=01/z",
                                  "raw/events-old/q",
                                  "raw/other/p"};
    ListOptions options;
    options.delimiter = "/";
    ListPage page = CollectAll(keys, "raw/events/", options);
    EXPECT_EQ(Entries(page),
              (std::vector<std::string>{"K:raw/events/_meta", "P:raw/events/year=2024/",
                                        "P:raw/events/year=2025/"}));

    options.max_keys = 1;
    std::vector<std::string> seen;
    for (int i = 0; i < 10; ++i) {
        page = CollectAll(keys, "raw/", options);
        for (const std::string& e : Entries(page)) seen.push_back(e);
        if (!page.truncated) break;
        options.start_after = page.next_start_after;
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"P:raw/events-old/", "P:raw/events/", "P:raw/other/"}));
}

TEST(ListCollectorTest, CanSkip) {
    ListOptions options;
    options.start_after = "raw/events/b";
    ListCollector c("raw/", options);
    EXPECT_TRUE(c.CanSkip("curated/"));       // outside the prefix
    EXPECT_FALSE(c.CanSkip(""));              // contains the prefix
    EXPECT_FALSE(c.CanSkip("raw/events/"));   // holds keys after start_after
    EXPECT_TRUE(c.CanSkip("raw/a/"));         // wholly before start_after
    EXPECT_TRUE(c.CanSkip("raw/events/a"));   // wholly before start_after
    EXPECT_FALSE(c.CanSkip("raw/events/b"));  // "raw/events/bb" comes after
    EXPECT_FALSE(c.CanSkip("raw/f/"));
}

TEST(ListCollectorTest, MatchesReferenceOnRandomKeys) {
    std::mt19937 rng(20240611);
    const std::string alphabet[] = {"a", "b", "-", ".", "/", "0", "\xc3\xa9"};
    auto random_string = [&](size_t max_len) {
        std::string s;
        size_t len = rng() % (max_len + 1);
        for (size_t i = 0; i < len; ++i) s += alphabet[rng() % std::size(alphabet)];
        return s;
    };
    for (int round = 0; round < 300; ++round) {
        std::set<std::string> keys;
        size_t n = rng() % 40;
        while (keys.size() < n) {
            std::string k = random_string(6);
            if (!k.empty()) keys.insert(k);
        }
        std::vector<std::string> key_list(keys.begin(), keys.end());
        auto some_key = [&]() { return key_list.empty() ? "" : key_list[rng() % key_list.size()]; };

        std::string prefix = rng() % 2 ? random_string(2) : some_key().substr(0, rng() % 4);
        ListOptions options;
        const char* delimiters[] = {"", "", "/", "-"};
        options.delimiter = delimiters[rng() % 4];
        options.max_keys = rng() % 3 == 0 ? 1000 : 1 + rng() % 5;
        switch (rng() % 4) {
            case 0:
                break;
            case 1:
                options.start_after = random_string(4);
                break;
            case 2:
                options.start_after = some_key();
                break;
            case 3:
                options.start_after = prefix + random_string(1) + options.delimiter;
                break;
        }
        SCOPED_TRACE("prefix=" + prefix + " start_after=" + options.start_after + " delimiter=" +
                     options.delimiter + " max_keys=" + std::to_string(options.max_keys));

        bool truncated = false;
        std::vector<std::string> expected = Reference(keys, prefix, options, &truncated);
        ListPage all = CollectAll(keys, prefix, options);
        EXPECT_EQ(Entries(all), expected);
        EXPECT_EQ(all.truncated, truncated);
        ListPage skipping = CollectSkipping(keys, prefix, options);
        EXPECT_EQ(Entries(skipping), expected);
        EXPECT_EQ(skipping.truncated, truncated);

        // Paging through from the start yields the unpaged listing, each entry once.
        ListOptions unpaged = options;
        unpaged.start_after.clear();
        unpaged.max_keys = 1000000;
        std::vector<std::string> whole = Reference(keys, prefix, unpaged, &truncated);
        std::vector<std::string> paged;
        ListOptions paging = options;
        paging.start_after.clear();
        for (int guard = 0; guard < 100; ++guard) {
            ListPage page = CollectAll(keys, prefix, paging);
            for (const std::string& e : Entries(page)) paged.push_back(e);
            if (!page.truncated) break;
            ASSERT_EQ(Entries(page).size(), paging.max_keys);
            paging.start_after = page.next_start_after;
        }
        EXPECT_EQ(paged, whole);
    }
}

}  // namespace
}  // namespace tarn::storage
