#include "storage/local_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/key_rules.h"
#include "storage/list_collector.h"
#include "testing/files.h"
#include "testing/temp_dir.h"

namespace tarn::storage {
namespace {

namespace fs = std::filesystem;

using tarn::testing::ReadFile;
using tarn::testing::TempDir;

void WriteFile(const fs::path& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary);
    out << data;
}

// Every file name under `dir` (recursively) that starts with the reserved prefix.
std::vector<std::string> Temporaries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().filename().string().starts_with(kReservedPrefix)) {
            out.push_back(e.path().string());
        }
    }
    return out;
}

std::vector<std::string> Keys(const ListPage& page) {
    std::vector<std::string> out;
    for (const ObjectInfo& o : page.objects) out.push_back(o.key);
    return out;
}

// Every key under `prefix`, paging with `max_keys`.
std::vector<std::string> ListAll(ObjectStore& store, std::string_view prefix,
                                 size_t max_keys = 1000) {
    std::vector<std::string> out;
    ListOptions options;
    options.max_keys = max_keys;
    for (int guard = 0; guard < 100000; ++guard) {
        Result<ListPage> page = store.List(prefix, options);
        EXPECT_TRUE(page.ok()) << page.status().ToString();
        if (!page.ok()) break;
        for (const ObjectInfo& o : page->objects) out.push_back(o.key);
        if (!page->truncated) break;
        EXPECT_EQ(page->objects.size(), max_keys);
        EXPECT_EQ(page->next_start_after, page->objects.back().key);
        options.start_after = page->next_start_after;
    }
    return out;
}

class LocalStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = tmp_.path() + "/lake";
        outside_ = tmp_.path() + "/outside";
        fs::create_directories(outside_);
        WriteFile(outside_ / "secret", "s3cret");
        Result<std::unique_ptr<LocalStore>> store = LocalStore::Open(root_.string());
        ASSERT_TRUE(store.ok()) << store.status().ToString();
        store_ = std::move(store).value();
    }

    void Put(const std::string& key, const std::string& data) {
        Status s = store_->Put(key, data);
        ASSERT_TRUE(s.ok()) << key << ": " << s.ToString();
    }

    TempDir tmp_{"tarn-storage-"};
    fs::path root_;
    fs::path outside_;
    std::unique_ptr<LocalStore> store_;
};

TEST_F(LocalStoreTest, PutGetHeadRoundTrip) {
    auto before = std::chrono::system_clock::now() - std::chrono::seconds(5);
    Put("raw/events/x.json", "hello");
    EXPECT_EQ(ReadFile(root_ / "raw/events/x.json"), "hello");
    Result<std::string> got = store_->Get("raw/events/x.json");
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, "hello");
    Result<ObjectInfo> head = store_->Head("raw/events/x.json");
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->key, "raw/events/x.json");
    EXPECT_EQ(head->size, 5u);
    EXPECT_GT(head->mtime, before);
    EXPECT_LT(head->mtime, std::chrono::system_clock::now() + std::chrono::seconds(5));

    Put("raw/events/x.json", "replaced, longer");
    EXPECT_EQ(*store_->Get("raw/events/x.json"), "replaced, longer");
    EXPECT_EQ(store_->Head("raw/events/x.json")->size, 16u);

    std::string binary("\0\x01\xff\n", 4);
    Put("top", binary);
    EXPECT_EQ(*store_->Get("top"), binary);
    EXPECT_TRUE(Temporaries(root_).empty());
}

TEST_F(LocalStoreTest, OpenCreatesNestedRoot) {
    auto store = LocalStore::Open(tmp_.path() + "/a/b/c");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_TRUE(fs::is_directory(tmp_.path() + "/a/b/c"));
    EXPECT_TRUE((*store)->Put("k", "v").ok());
    EXPECT_EQ(ReadFile(tmp_.path() + "/a/b/c/k"), "v");
}

TEST_F(LocalStoreTest, EmptyObject) {
    Put("empty", "");
    EXPECT_EQ(*store_->Get("empty"), "");
    EXPECT_EQ(store_->Head("empty")->size, 0u);
    EXPECT_EQ(*store_->GetRange("empty", 0, 0), "");
    EXPECT_EQ(store_->GetRange("empty", 0, 1).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LocalStoreTest, GetRange) {
    Put("r", "0123456789");
    EXPECT_EQ(*store_->GetRange("r", 0, 3), "012");
    EXPECT_EQ(*store_->GetRange("r", 4, 2), "45");
    EXPECT_EQ(*store_->GetRange("r", 9, 1), "9");
    EXPECT_EQ(*store_->GetRange("r", 7, 10), "789");  // short at the end
    EXPECT_EQ(*store_->GetRange("r", 3, UINT64_MAX), "3456789");
    EXPECT_EQ(*store_->GetRange("r", 10, 0), "");
    Result<std::string> past = store_->GetRange("r", 10, 1);
    EXPECT_EQ(past.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(past.status().message().find("get range r: offset 10 is past the end (size 10)"),
              std::string::npos)
        << past.status().message();
    EXPECT_EQ(store_->GetRange("r", 11, 0).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->GetRange("r", UINT64_MAX, 5).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LocalStoreTest, GetRangeIntoWritesOnlyTheRange) {
    Put("r", "0123456789");
    std::string buf(12, '#');
    Result<uint64_t> n = store_->GetRangeInto("r", 4, 3, buf.data() + 1);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, 3u);
    EXPECT_EQ(buf, "#456########");
    n = store_->GetRangeInto("r", 7, 10, buf.data());  // short at the end
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 3u);
    EXPECT_EQ(buf.substr(0, 5), "7896#");  // the rest as it was
    EXPECT_EQ(store_->GetRangeInto("r", 11, 1, buf.data()).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->GetRangeInto("missing", 0, 1, buf.data()).status().code(),
              StatusCode::kNotFound);
}

TEST_F(LocalStoreTest, MissingKeysAreNotFoundWithTheKey) {
    Put("raw/x.json", "x");
    Put("dir/sub/y", "y");
    // Missing file, missing folder, a folder of the key is an object, the key is a folder.
    for (const std::string key : {"raw/missing", "nope/a/b", "raw/x.json/y", "dir", "dir/sub"}) {
        Result<std::string> get = store_->Get(key);
        EXPECT_EQ(get.status().code(), StatusCode::kNotFound) << key;
        EXPECT_EQ(get.status().message(), "get " + key + ": no such object");
        Result<std::string> range = store_->GetRange(key, 0, 1);
        EXPECT_EQ(range.status().code(), StatusCode::kNotFound) << key;
        EXPECT_NE(range.status().message().find(key), std::string::npos);
        Result<ObjectInfo> head = store_->Head(key);
        EXPECT_EQ(head.status().code(), StatusCode::kNotFound) << key;
        EXPECT_EQ(head.status().message(), "head " + key + ": no such object");
    }
    EXPECT_FALSE(fs::exists(root_ / "nope"));  // reads create nothing
}

TEST_F(LocalStoreTest, DeleteIsIdempotentAndRemovesEmptyFolders) {
    EXPECT_TRUE(store_->Delete("never/was").ok());
    EXPECT_TRUE(store_->Delete("x").ok());
    Put("a/b/c/d", "1");
    Put("a/x", "2");
    Put("keep/me", "3");
    ASSERT_TRUE(store_->Delete("a/b/c/d").ok());
    EXPECT_EQ(store_->Get("a/b/c/d").status().code(), StatusCode::kNotFound);
    EXPECT_FALSE(fs::exists(root_ / "a/b"));
    EXPECT_TRUE(fs::exists(root_ / "a/x"));
    EXPECT_TRUE(store_->Delete("a/b/c/d").ok());  // again
    ASSERT_TRUE(store_->Delete("a/x").ok());
    EXPECT_FALSE(fs::exists(root_ / "a"));
    EXPECT_TRUE(fs::exists(root_ / "keep/me"));
    ASSERT_TRUE(store_->Delete("keep/me").ok());
    EXPECT_TRUE(fs::is_directory(root_));  // the root stays
    EXPECT_TRUE(fs::is_empty(root_));

    // Deleting "a" when only "a/..." exists deletes nothing.
    Put("f/g", "g");
    EXPECT_TRUE(store_->Delete("f").ok());
    EXPECT_EQ(*store_->Get("f/g"), "g");
}

TEST_F(LocalStoreTest, ObjectAndFolderWithTheSameNameIsFailedPrecondition) {
    Put("a/b", "under a");
    Status s = store_->Put("a", "would replace the folder");
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find("put a: objects exist under \"a/\""), std::string::npos)
        << s.message();
    EXPECT_EQ(store_->OpenWriter("a").status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(*store_->Get("a/b"), "under a");

    Put("f", "an object");
    s = store_->Put("f/g", "x");
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find("\"f\" is an object"), std::string::npos) << s.message();
    s = store_->Put("f/g/h", "x");
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_EQ(*store_->Get("f"), "an object");
    EXPECT_EQ(ListAll(*store_, ""), (std::vector<std::string>{"a/b", "f"}));
    EXPECT_TRUE(Temporaries(root_).empty());
}

TEST_F(LocalStoreTest, InvalidKeysAreRefusedByEveryOperation) {
    const std::string long_segment(kMaxLocalSegmentBytes + 1, 's');
    const std::string too_long(kMaxKeyBytes + 1, 'k');
    const std::vector<std::string> keys = {
        "",     "../x",   "/etc/passwd",       "a/../../x",     "a/./b",
        "a//b", "a/",     ".tarn-tmp-x",       "a/.tarn-tmp-x", std::string("a\0b", 3),
        "a\\b", too_long, "a/" + long_segment, "\xff",          "..",
        ".",    "/",
    };
    for (const std::string& key : keys) {
        SCOPED_TRACE(QuoteForMessage(key));
        Status put = store_->Put(key, "data");
        EXPECT_EQ(put.code(), StatusCode::kInvalidArgument) << put.ToString();
        EXPECT_TRUE(put.message().starts_with("put: invalid key \"")) << put.message();
        EXPECT_EQ(store_->OpenWriter(key).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->Get(key).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->GetRange(key, 0, 1).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->Head(key).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->Delete(key).code(), StatusCode::kInvalidArgument);
    }
    // Nothing was written anywhere: not in the root, not next to it.
    EXPECT_TRUE(fs::is_empty(root_));
    std::set<std::string> siblings;
    for (const auto& e : fs::directory_iterator(tmp_.path())) {
        siblings.insert(e.path().filename().string());
    }
    EXPECT_EQ(siblings, (std::set<std::string>{"lake", "outside"}));
    EXPECT_EQ(ReadFile(outside_ / "secret"), "s3cret");
}

TEST_F(LocalStoreTest, LongestKeysWork) {
    // 1024 bytes: segments of 255, 255, 255, 254 and 1 byte, joined by '/'.
    std::string key;
    for (int i = 0; i < 3; ++i) key += std::string(kMaxLocalSegmentBytes, 'a' + i) + "/";
    key += std::string(kMaxLocalSegmentBytes - 1, 'y') + "/z";
    ASSERT_EQ(key.size(), kMaxKeyBytes);
    Put(key, "long");
    EXPECT_EQ(*store_->Get(key), "long");
    EXPECT_EQ(ListAll(*store_, ""), std::vector<std::string>{key});
    EXPECT_TRUE(store_->Delete(key).ok());
    EXPECT_TRUE(fs::is_empty(root_));
}

TEST_F(LocalStoreTest, SymlinksInsideTheRootAreNeverFollowed) {
    fs::create_directories(root_ / "a");
    fs::create_directory_symlink(outside_, root_ / "link");      // a folder of a key
    fs::create_directory_symlink(outside_, root_ / "a/deeper");  // a nested folder of a key
    fs::create_symlink(outside_ / "secret", root_ / "file");     // the object itself
    fs::create_directories(root_ / "real");
    WriteFile(root_ / "real/x", "inside");
    fs::create_directory_symlink(root_ / "real", root_ / "alias");  // even pointing inside

    struct Case {
        std::string key;
        std::string link;  // the path the message names
    };
    for (const Case& c : {Case{"link/secret", "link"}, Case{"a/deeper/secret", "a/deeper"},
                          Case{"file", "file"}, Case{"alias/x", "alias"}}) {
        SCOPED_TRACE(c.key);
        std::string expected = "\"" + c.link + "\" is a symbolic link inside the store root";
        Result<std::string> get = store_->Get(c.key);
        EXPECT_EQ(get.status().code(), StatusCode::kInvalidArgument) << get.status().ToString();
        EXPECT_NE(get.status().message().find(expected), std::string::npos)
            << get.status().message();
        EXPECT_EQ(store_->GetRange(c.key, 0, 1).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->Head(c.key).status().code(), StatusCode::kInvalidArgument);
        Status put = store_->Put(c.key, "overwritten");
        EXPECT_EQ(put.code(), StatusCode::kInvalidArgument) << put.ToString();
        EXPECT_EQ(store_->OpenWriter(c.key).status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(store_->Delete(c.key).code(), StatusCode::kInvalidArgument);
    }
    // New objects through a linked folder are refused too.
    EXPECT_EQ(store_->Put("link/new", "x").code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Put("link/sub/new", "x").code(), StatusCode::kInvalidArgument);

    // Outside is untouched, the links are still there, and List shows only the real object.
    EXPECT_EQ(ReadFile(outside_ / "secret"), "s3cret");
    EXPECT_FALSE(fs::exists(outside_ / "new"));
    EXPECT_FALSE(fs::exists(outside_ / "sub"));
    EXPECT_TRUE(fs::is_symlink(root_ / "file"));
    EXPECT_TRUE(fs::is_symlink(root_ / "link"));
    EXPECT_EQ(ListAll(*store_, ""), std::vector<std::string>{"real/x"});
    EXPECT_TRUE(store_->List("link/", {})->objects.empty());
}

TEST_F(LocalStoreTest, ListIsInByteWiseKeyOrder) {
    // '-' (0x2d) < '.' (0x2e) < '/' (0x2f) < '0' (0x30); 'A' < 'a'; UTF-8 after ASCII.
    std::vector<std::string> keys = {"a0", "a/c/d", "a-b",       "b",    "a/b",
                                     "A",  "a.b",   "a\xc3\xa9", "a-/x", "a/b0"};
    for (const std::string& k : keys) Put(k, "data of " + k);
    std::vector<std::string> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sorted, (std::vector<std::string>{"A", "a-/x", "a-b", "a.b", "a/b", "a/b0", "a/c/d",
                                                "a0", "a\xc3\xa9", "b"}));
    Result<ListPage> page = store_->List("", {});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(Keys(*page), sorted);
    EXPECT_FALSE(page->truncated);
    EXPECT_EQ(page->next_start_after, "");
    EXPECT_TRUE(page->common_prefixes.empty());
    for (const ObjectInfo& o : page->objects) {
        EXPECT_EQ(o.size, ("data of " + o.key).size()) << o.key;
    }
    // Every page size gives every key exactly once, in order.
    for (size_t max_keys : {1, 2, 3, 7}) {
        EXPECT_EQ(ListAll(*store_, "", max_keys), sorted) << max_keys;
    }
}

TEST_F(LocalStoreTest, ListPrefixesMayEndMidName) {
    for (const std::string k : {"raw/events/year=2024/a", "raw/events/year=2025/b",
                                "raw/events-old/c", "raw/ev", "raw/other/d", "rawr", "curated/e"}) {
        Put(k, k);
    }
    EXPECT_EQ(ListAll(*store_, "raw/ev"),
              (std::vector<std::string>{"raw/ev", "raw/events-old/c", "raw/events/year=2024/a",
                                        "raw/events/year=2025/b"}));
    EXPECT_EQ(ListAll(*store_, "raw/events/"),
              (std::vector<std::string>{"raw/events/year=2024/a", "raw/events/year=2025/b"}));
    EXPECT_EQ(ListAll(*store_, "raw/events/year=2024/"),
              (std::vector<std::string>{"raw/events/year=2024/a"}));
    EXPECT_EQ(ListAll(*store_, "raw"),
              (std::vector<std::string>{"raw/ev", "raw/events-old/c", "raw/events/year=2024/a",
                                        "raw/events/year=2025/b", "raw/other/d", "rawr"}));
    EXPECT_EQ(ListAll(*store_, "raw/ev", 1).size(), 4u);
    EXPECT_EQ(ListAll(*store_, "raw/events/year=2024/a"),
              (std::vector<std::string>{"raw/events/year=2024/a"}));
    // Prefixes no key has, including ones no valid key can have.
    for (const std::string p : {"zzz", "nope/", "raw/events/year=2026/", "raw//", "/raw", "../",
                                "raw/../", "raw/./", ".tarn-tmp-/", "raw/ev/x"}) {
        Result<ListPage> page = store_->List(p, {});
        ASSERT_TRUE(page.ok()) << p << ": " << page.status().ToString();
        EXPECT_TRUE(page->objects.empty()) << p;
        EXPECT_FALSE(page->truncated) << p;
    }
}

TEST_F(LocalStoreTest, ListWithDelimiterReturnsCommonPrefixes) {
    for (const std::string k :
         {"raw/events/_meta", "raw/events/year=2024/month=01/x", "raw/events/year=2024/month=02/y",
          "raw/events/year=2025/month=01/z", "raw/events-old/q", "raw/other/p", "raw/top"}) {
        Put(k, k);
    }
    ListOptions options;
    options.delimiter = "/";
    Result<ListPage> page = store_->List("raw/events/", options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(Keys(*page), std::vector<std::string>{"raw/events/_meta"});
    EXPECT_EQ(page->common_prefixes,
              (std::vector<std::string>{"raw/events/year=2024/", "raw/events/year=2025/"}));

    page = store_->List("raw/", options);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(Keys(*page), std::vector<std::string>{"raw/top"});
    EXPECT_EQ(page->common_prefixes,
              (std::vector<std::string>{"raw/events-old/", "raw/events/", "raw/other/"}));

    page = store_->List("raw/ev", options);  // mid-name
    ASSERT_TRUE(page.ok());
    EXPECT_TRUE(page->objects.empty());
    EXPECT_EQ(page->common_prefixes, (std::vector<std::string>{"raw/events-old/", "raw/events/"}));

    page = store_->List("", options);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"raw/"});

    // One entry per page: each common prefix once, then the key, in order.
    options.max_keys = 1;
    std::vector<std::string> seen;
    for (int guard = 0; guard < 10; ++guard) {
        page = store_->List("raw/", options);
        ASSERT_TRUE(page.ok());
        for (const auto& p : page->common_prefixes) seen.push_back(p);
        for (const auto& o : page->objects) seen.push_back(o.key);
        if (!page->truncated) break;
        options.start_after = page->next_start_after;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"raw/events-old/", "raw/events/", "raw/other/",
                                              "raw/top"}));

    // Another delimiter: partitions by "=".
    ListOptions by_eq;
    by_eq.delimiter = "=";
    page = store_->List("raw/events/", by_eq);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(Keys(*page), std::vector<std::string>{"raw/events/_meta"});
    EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"raw/events/year="});
}

TEST_F(LocalStoreTest, ListStartAfter) {
    for (const std::string k : {"a/1", "a/2", "b/1", "b/2", "c"}) Put(k, k);
    ListOptions options;
    options.start_after = "a/2";
    EXPECT_EQ(Keys(*store_->List("", options)), (std::vector<std::string>{"b/1", "b/2", "c"}));
    options.start_after = "b";  // not a key: everything after it
    EXPECT_EQ(Keys(*store_->List("", options)), (std::vector<std::string>{"b/1", "b/2", "c"}));
    options.start_after = "b/";  // no delimiter: "b/" is just a string before "b/1"
    EXPECT_EQ(Keys(*store_->List("", options)), (std::vector<std::string>{"b/1", "b/2", "c"}));
    options.delimiter = "/";  // with one, "b/" is a common prefix and is skipped whole
    EXPECT_EQ(Keys(*store_->List("", options)), (std::vector<std::string>{"c"}));
    options.delimiter.clear();
    options.start_after = "c";
    EXPECT_TRUE(store_->List("", options)->objects.empty());
    options.max_keys = 0;
    EXPECT_EQ(store_->List("", options).status().code(), StatusCode::kInvalidArgument);
}

// LocalStore's walk must yield what a sorted map of the same keys yields, for any prefix,
// start_after, delimiter and page size.
TEST_F(LocalStoreTest, ListMatchesASortedMapOfTheSameKeys) {
    std::mt19937 rng(7);
    const std::string alphabet[] = {"a", "b", "-", ".", "0", "/", "/"};
    std::set<std::string> keys;
    auto random_key = [&]() {
        std::string s;
        size_t len = 1 + rng() % 7;
        for (size_t i = 0; i < len; ++i) s += alphabet[rng() % std::size(alphabet)];
        return s;
    };
    for (int i = 0; i < 80; ++i) {
        std::string key = random_key();
        if (!ValidateKey(key).ok()) continue;
        // Skip keys that would be a folder of another key, or have one as a folder.
        bool conflict = false;
        for (const std::string& k : keys) {
            if (k.starts_with(key + "/") || key.starts_with(k + "/")) conflict = true;
        }
        if (conflict || keys.count(key)) continue;
        keys.insert(key);
        Put(key, key);
    }
    ASSERT_GT(keys.size(), 25u);
    std::vector<std::string> key_list(keys.begin(), keys.end());
    for (int round = 0; round < 200; ++round) {
        std::string prefix = key_list[rng() % key_list.size()];
        prefix.resize(rng() % (prefix.size() + 1));
        ListOptions options;
        options.max_keys = 1 + rng() % 6;
        options.delimiter = rng() % 2 ? "/" : "";
        if (rng() % 2) {
            options.start_after = key_list[rng() % key_list.size()];
            options.start_after.resize(rng() % (options.start_after.size() + 1));
        }
        SCOPED_TRACE("prefix=" + prefix + " start_after=" + options.start_after + " delimiter=" +
                     options.delimiter + " max_keys=" + std::to_string(options.max_keys));
        ListCollector expected_collector(prefix, options);
        for (const std::string& k : keys) {
            auto verdict = expected_collector.Offer(k);
            if (verdict == ListCollector::Verdict::kTake) expected_collector.AddObject({k, 0, {}});
            if (verdict == ListCollector::Verdict::kStop) break;
        }
        ListPage expected = std::move(expected_collector).Finish();
        Result<ListPage> got = store_->List(prefix, options);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(Keys(*got), Keys(expected));
        EXPECT_EQ(got->common_prefixes, expected.common_prefixes);
        EXPECT_EQ(got->truncated, expected.truncated);
        EXPECT_EQ(got->next_start_after, expected.next_start_after);
    }
}

TEST_F(LocalStoreTest, ListStopsAtThePageWithoutReadingFurther) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads unreadable folders";
    Put("a/1", "x");
    Put("b/1", "x");
    Put("c/1", "x");
    fs::permissions(root_ / "c", fs::perms::none);
    ListOptions options;
    options.max_keys = 1;
    Result<ListPage> page = store_->List("", options);
    EXPECT_TRUE(page.ok()) << page.status().ToString();  // never looks into c/
    options.start_after = "c";
    page = store_->List("", options);
    EXPECT_EQ(page.status().code(), StatusCode::kPermissionDenied);
    fs::permissions(root_ / "c", fs::perms::owner_all);
}

TEST_F(LocalStoreTest, OsErrorsNameTheOperationAndKey) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
    Put("ro/existing", "x");
    fs::permissions(root_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    Status s = store_->Put("ro/new", "x");
    fs::permissions(root_ / "ro", fs::perms::owner_all);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(s.message(), "put ro/new: Permission denied");
}

TEST_F(LocalStoreTest, ListNeverShowsTemporariesOrStrayEntries) {
    Put("t/visible", "v");
    auto writer = store_->OpenWriter("t/pending");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append("not yet").ok());
    WriteFile(root_ / "t" / ".tarn-tmp-0123456789abcdef-7", "crash leftover");
    fs::create_directories(root_ / "t/empty/folder");
    WriteFile(root_ / "t/back\\slash", "unaddressable");
    EXPECT_EQ(ListAll(*store_, ""), std::vector<std::string>{"t/visible"});
    EXPECT_EQ(store_->Get("t/pending").status().code(), StatusCode::kNotFound);
    ListOptions options;
    options.delimiter = "/";
    EXPECT_TRUE(store_->List("t/", options)->common_prefixes.empty());  // empty folders
}

TEST_F(LocalStoreTest, WriterCommitsAtomically) {
    Put("w/obj", "old");
    auto writer = store_->OpenWriter("w/obj");
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    EXPECT_EQ((*writer)->key(), "w/obj");
    ASSERT_TRUE((*writer)->Append("new ").ok());
    ASSERT_TRUE((*writer)->Append("").ok());
    ASSERT_TRUE((*writer)->Append("contents").ok());
    EXPECT_EQ((*writer)->size(), 12u);
    EXPECT_EQ(*store_->Get("w/obj"), "old");  // not visible before Commit
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ(*store_->Get("w/obj"), "new contents");
    EXPECT_EQ((*writer)->Append("more").code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ((*writer)->Commit().code(), StatusCode::kFailedPrecondition);
    writer->reset();
    EXPECT_EQ(*store_->Get("w/obj"), "new contents");
    EXPECT_TRUE(Temporaries(root_).empty());
}

TEST_F(LocalStoreTest, WriterAbortedByDestructionLeavesNothing) {
    Put("w/kept", "old");
    {
        auto fresh = store_->OpenWriter("w/new/obj");
        ASSERT_TRUE(fresh.ok());
        ASSERT_TRUE((*fresh)->Append(std::string(3 << 20, 'x')).ok());  // past the buffer
        auto replacing = store_->OpenWriter("w/kept");
        ASSERT_TRUE(replacing.ok());
        ASSERT_TRUE((*replacing)->Append("partial").ok());
        EXPECT_EQ(Temporaries(root_).size(), 2u);
    }
    EXPECT_TRUE(Temporaries(root_).empty());
    EXPECT_EQ(store_->Get("w/new/obj").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(*store_->Get("w/kept"), "old");
    EXPECT_EQ(ListAll(*store_, ""), std::vector<std::string>{"w/kept"});
}

TEST_F(LocalStoreTest, WriterMayOutliveTheStore) {
    auto writer = store_->OpenWriter("late/obj");
    ASSERT_TRUE(writer.ok());
    store_.reset();
    ASSERT_TRUE((*writer)->Append("still fine").ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ(ReadFile(root_ / "late/obj"), "still fine");
}

// Bytes that depend on their position, with a prime period (so that a shift by any power of two
// or by the chunk size shows), cheap to produce for 64 MiB.
std::string Pattern(uint64_t offset, uint64_t length) {
    constexpr uint64_t kPeriod = 65521;
    static const std::string kTable = [] {
        std::string t(kPeriod, '\0');
        for (uint64_t i = 0; i < kPeriod; ++i) t[i] = static_cast<char>((i * 2654435761u) >> 13);
        return t;
    }();
    std::string out;
    out.reserve(length);
    uint64_t pos = offset % kPeriod;
    while (out.size() < length) {
        uint64_t n = std::min<uint64_t>(kPeriod - pos, length - out.size());
        out.append(kTable, pos, n);
        pos = 0;
    }
    return out;
}

TEST_F(LocalStoreTest, LargeObjectThroughTheWriter) {
    constexpr uint64_t kSize = 64ull << 20;
    constexpr uint64_t kChunk = 1000003;  // odd, so appends straddle the writer's buffer
    auto writer = store_->OpenWriter("big/object.parquet");
    ASSERT_TRUE(writer.ok());
    for (uint64_t off = 0; off < kSize; off += kChunk) {
        uint64_t n = std::min(kChunk, kSize - off);
        // Small appends too: one byte, then the rest.
        ASSERT_TRUE((*writer)->Append(Pattern(off, 1)).ok());
        ASSERT_TRUE((*writer)->Append(Pattern(off + 1, n - 1)).ok());
    }
    EXPECT_EQ((*writer)->size(), kSize);
    EXPECT_EQ(store_->Head("big/object.parquet").status().code(), StatusCode::kNotFound);
    ASSERT_TRUE((*writer)->Commit().ok());

    EXPECT_EQ(store_->Head("big/object.parquet")->size, kSize);
    EXPECT_EQ(*store_->GetRange("big/object.parquet", 0, 16), Pattern(0, 16));
    EXPECT_EQ(*store_->GetRange("big/object.parquet", kSize - 16, 16), Pattern(kSize - 16, 16));
    EXPECT_EQ(*store_->GetRange("big/object.parquet", kSize - 5, 100), Pattern(kSize - 5, 5));
    EXPECT_EQ(*store_->GetRange("big/object.parquet", kChunk - 3, 10), Pattern(kChunk - 3, 10));
    EXPECT_EQ(*store_->GetRange("big/object.parquet", (1 << 20) - 1, 2), Pattern((1 << 20) - 1, 2));
    EXPECT_EQ(store_->GetRange("big/object.parquet", kSize, 1).status().code(),
              StatusCode::kInvalidArgument);
    Result<std::string> whole = store_->Get("big/object.parquet");
    ASSERT_TRUE(whole.ok());
    ASSERT_EQ(whole->size(), kSize);
    EXPECT_TRUE(*whole == Pattern(0, kSize));
}

TEST_F(LocalStoreTest, RemoveTemporariesSweepsCrashLeftovers) {
    Put("raw/a/x", "x");
    WriteFile(root_ / ".tarn-tmp-deadbeefdeadbeef-0", "top-level leftover");
    WriteFile(root_ / "raw/a" / ".tarn-tmp-deadbeefdeadbeef-1", "nested leftover");
    fs::create_directories(root_ / "raw/b/c");  // empty folders of a crashed put
    WriteFile(root_ / "raw/b/c" / ".tarn-tmp-0000000000000000-2", "in a folder of its own");
    auto live = store_->OpenWriter("raw/a/live");
    ASSERT_TRUE(live.ok());
    ASSERT_TRUE((*live)->Append("mine").ok());

    Result<size_t> removed = store_->RemoveTemporaries();
    ASSERT_TRUE(removed.ok()) << removed.status().ToString();
    EXPECT_EQ(*removed, 3u);
    EXPECT_EQ(Temporaries(root_).size(), 1u);  // the live writer's
    EXPECT_FALSE(fs::exists(root_ / "raw/b"));
    EXPECT_TRUE(fs::exists(root_ / "raw/a/x"));
    ASSERT_TRUE((*live)->Commit().ok());
    EXPECT_EQ(*store_->Get("raw/a/live"), "mine");
    EXPECT_EQ(*store_->RemoveTemporaries(), 0u);

    // Another store over the same root sweeps this store's open writers: they fail, visibly.
    auto other = LocalStore::Open(root_.string());
    ASSERT_TRUE(other.ok());
    auto doomed = store_->OpenWriter("raw/a/doomed");
    ASSERT_TRUE(doomed.ok());
    EXPECT_EQ(*(*other)->RemoveTemporaries(), 1u);
    EXPECT_FALSE((*doomed)->Commit().ok());
    EXPECT_EQ(store_->Get("raw/a/doomed").status().code(), StatusCode::kNotFound);
}

TEST_F(LocalStoreTest, ConcurrentPutsToOneKeyAreSeenWhole) {
    constexpr int kWriters = 4;
    constexpr int kPutsPerWriter = 8;
    constexpr size_t kSize = 300 * 1024;  // several write() calls each
    Put("hot/key", std::string(kSize, 'A'));
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::atomic<int> bad{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 2; ++r) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                Result<std::string> got = store_->Get("hot/key");
                if (!got.ok() || got->size() != kSize ||
                    got->find_first_not_of((*got)[0]) != std::string::npos) {
                    ++bad;
                }
                ++reads;
            }
        });
    }
    std::vector<std::thread> writers;
    std::atomic<int> failed_puts{0};
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            for (int i = 0; i < kPutsPerWriter; ++i) {
                char fill = static_cast<char>('B' + w * kPutsPerWriter + i);
                if (!store_->Put("hot/key", std::string(kSize, fill)).ok()) ++failed_puts;
            }
        });
    }
    for (auto& t : writers) t.join();
    stop = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(failed_puts.load(), 0);
    EXPECT_EQ(bad.load(), 0) << "of " << reads.load() << " reads";
    EXPECT_GT(reads.load(), 0);
    Result<std::string> last = store_->Get("hot/key");
    ASSERT_TRUE(last.ok());
    EXPECT_NE((*last)[0], 'A');
    EXPECT_TRUE(Temporaries(root_).empty());
}

TEST_F(LocalStoreTest, ConcurrentPutsAndDeletesOfDifferentKeys) {
    constexpr int kThreads = 4;
    constexpr int kKeysPerThread = 25;
    constexpr int kChurnRounds = 20;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        // Many keys into shared folders, created concurrently.
        threads.emplace_back([&, t] {
            for (int i = 0; i < kKeysPerThread; ++i) {
                std::string key = "p/" + std::to_string(i % 3) + "/k" + std::to_string(t) + "-" +
                                  std::to_string(i);
                if (!store_->Put(key, key).ok()) ++failures;
            }
        });
        // Churn in one folder: whoever deletes the last key removes r/s/ and r/ while the others
        // are putting into them, so Puts find their folder gone and must start over.
        threads.emplace_back([&, t] {
            std::string key = "r/s/k" + std::to_string(t);
            for (int i = 0; i < kChurnRounds; ++i) {
                if (!store_->Put(key, key).ok()) ++failures;
                Result<std::string> got = store_->Get(key);
                if (!got.ok() || *got != key) ++failures;
                if (!store_->Delete(key).ok()) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    std::vector<std::string> listed = ListAll(*store_, "", 37);
    EXPECT_EQ(listed.size(), static_cast<size_t>(kThreads * kKeysPerThread));
    for (const std::string& key : listed) {
        Result<std::string> got = store_->Get(key);
        ASSERT_TRUE(got.ok()) << key;
        EXPECT_EQ(*got, key);
    }
    EXPECT_FALSE(fs::exists(root_ / "r"));
    EXPECT_TRUE(Temporaries(root_).empty());
}

}  // namespace
}  // namespace tarn::storage
