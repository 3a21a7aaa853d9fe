#include "storage/key_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/storage.h"

namespace tarn::storage {
namespace {

TEST(ValidateKeyTest, AcceptsOrdinaryKeys) {
    for (const std::string& key :
         {std::string("a"), std::string("raw/events/year=2024/month=01/x-1-2.json.gz"),
          std::string("a-b"), std::string("..."), std::string("a/.hidden"), std::string("a b/c"),
          std::string("caf\xc3\xa9/\xf0\x9f\x90\x9f"), std::string(kMaxKeyBytes, 'k'),
          std::string(".tarn-tmp"), std::string("x.tarn-tmp-y")}) {
        EXPECT_TRUE(ValidateKey(key).ok()) << key << ": " << ValidateKey(key).ToString();
    }
}

TEST(ValidateKeyTest, RefusesKeysThatCouldEscapeOrCollide) {
    struct Case {
        std::string key;
        std::string reason;  // a part of the message
    };
    const Case cases[] = {
        {"", "empty"},
        {"../x", "\"..\" segment"},
        {"/etc/passwd", "absolute"},
        {"a/../../x", "\"..\" segment"},
        {"a/./b", "\".\" segment"},
        {".", "\".\" segment"},
        {"a//b", "empty segment"},
        {"a/", "ends with '/'"},
        {".tarn-tmp-x", "reserved prefix"},
        {"a/.tarn-tmp-x/b", "reserved prefix"},
        {std::string("a\0b", 3), "NUL"},
        {"a\\b", "backslash"},
        {"..\\x", "backslash"},
        {std::string(kMaxKeyBytes + 1, 'k'), "longer than 1024 bytes"},
        {"bad\xff", "UTF-8"},
        {"over\xc0\xaflong", "UTF-8"},
        {"surrogate\xed\xa0\x80", "UTF-8"},
        {"cut\xe2\x82", "UTF-8"},
    };
    for (const Case& c : cases) {
        Status s = ValidateKey(c.key);
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << QuoteForMessage(c.key);
        EXPECT_NE(s.message().find(c.reason), std::string::npos)
            << QuoteForMessage(c.key) << " -> " << s.message();
        EXPECT_TRUE(s.message().starts_with("invalid key \"")) << s.message();
    }
}

TEST(QuoteForMessageTest, EscapesAndCuts) {
    EXPECT_EQ(QuoteForMessage("raw/x"), "\"raw/x\"");
    EXPECT_EQ(QuoteForMessage(std::string("a\0b\"\\\n", 6)), "\"a\\x00b\\x22\\x5c\\x0a\"");
    EXPECT_EQ(QuoteForMessage("caf\xc3\xa9\xff"), "\"caf\xc3\xa9\\xff\"");
    std::string quoted = QuoteForMessage(std::string(5000, 'x'));
    EXPECT_LT(quoted.size(), 260u);
    EXPECT_NE(quoted.find("(5000 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace tarn::storage
