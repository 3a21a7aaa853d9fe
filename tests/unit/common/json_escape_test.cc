#include "common/json_escape.h"

#include <gtest/gtest.h>

namespace tarn {
namespace {

TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControls) {
    std::string out;
    AppendJsonString(out, std::string_view("a\"b\\c\n\t\x01\x7f\xc3\xa9", 11));
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\xc3\xa9\"");
}

// Each byte that starts no valid UTF-8 sequence becomes U+FFFD; valid neighbours stay, so the
// output parses as JSON (nlohmann refuses invalid UTF-8) and keeps what it can.
TEST(JsonEscapeTest, ReplacesInvalidUtf8) {
    std::string out;
    // A truncated 3-byte sequence, a lone continuation byte, an overlong '/', then valid "é".
    AppendJsonString(out, std::string_view("D\xe5let\x80\xc0\xaf\xc3\xa9\"", 11));
    EXPECT_EQ(out, "\"D\\ufffdlet\\ufffd\\ufffd\\ufffd\xc3\xa9\\\"\"");
    std::string end;
    AppendJsonString(end, std::string_view("ab\xf0\x9f", 4));  // cut in the middle of a 4-byte one
    EXPECT_EQ(end, "\"ab\\ufffd\\ufffd\"");
}

// Long strings go 8 bytes at a time until a byte needs attention: each kind of such byte, at
// every offset within a block, is still found.
TEST(JsonEscapeTest, FindsEveryByteThatNeedsAttentionInLongStrings) {
    const std::string base(40, 'x');
    const std::pair<std::string_view, std::string_view> kinds[] = {
        {"\"", "\\\""},      {"\\", "\\\\"},
        {"\n", "\\n"},       {std::string_view("\0", 1), "\\u0000"},
        {"\x1f", "\\u001f"}, {"\xc3\xa9", "\xc3\xa9"},
        {"\xff", "\\ufffd"}};
    for (const auto& [in, escaped] : kinds) {
        for (size_t at = 0; at <= 24; ++at) {
            std::string text = base;
            text.insert(at, in);
            std::string out;
            AppendJsonString(out, text);
            EXPECT_EQ(out,
                      "\"" + base.substr(0, at) + std::string(escaped) + base.substr(at) + "\"")
                << "at " << at;
        }
    }
}

}  // namespace
}  // namespace tarn
