#include "common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace tarn {
namespace {

constexpr size_t npos = std::string_view::npos;

TEST(TextTest, EqualsIgnoreAsciiCase) {
    EXPECT_TRUE(EqualsIgnoreAsciiCase("Transfer-Encoding", "transfer-encoding"));
    EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
    EXPECT_FALSE(EqualsIgnoreAsciiCase("abc", "abcd"));
    EXPECT_FALSE(
        EqualsIgnoreAsciiCase("a[", "A{"));  // '[' and '{' differ by 0x20 but are not letters
    EXPECT_FALSE(EqualsIgnoreAsciiCase("\xc3\xa9", "\xc3\x89"));  // é/É: only ASCII folds
}

TEST(TextTest, AsciiLower) {
    EXPECT_EQ(AsciiLower("SeLeCt DT_9"), "select dt_9");
    EXPECT_EQ(AsciiLower(std::string_view("\xc3\x89"
                                          "A",
                                          3)),
              std::string_view("\xc3\x89"
                               "a",
                               3));
    EXPECT_EQ(AsciiLower(""), "");
}

TEST(TextTest, FindInvalidUtf8) {
    EXPECT_EQ(FindInvalidUtf8(""), npos);
    EXPECT_EQ(FindInvalidUtf8("plain ascii text, longer than eight bytes"), npos);
    EXPECT_EQ(FindInvalidUtf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), npos);
    EXPECT_EQ(FindInvalidUtf8("12345678\xff"), 8u);      // after the fast path
    EXPECT_EQ(FindInvalidUtf8("ab\xc0\xaf"), 2u);        // overlong '/'
    EXPECT_EQ(FindInvalidUtf8("ab\xed\xa0\x80"), 2u);    // a surrogate
    EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
    EXPECT_EQ(FindInvalidUtf8("ok\xe2\x82"), 2u);        // truncated at the end
    EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);              // a lone continuation
    EXPECT_TRUE(IsValidUtf8("\xef\xbb\xbf"));
    EXPECT_FALSE(IsValidUtf8(std::string("a\0\xfe", 3)));
}

}  // namespace
}  // namespace tarn
