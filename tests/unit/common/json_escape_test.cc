#include "common/json_escape.h"

#include <gtest/gtest.h>

namespace tarn {
namespace {

TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControls) {
    std::string out;
    AppendJsonString(out, std::string_view("a\"b\\c\n\t\x01\x7f\xc3\xa9", 11));
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\xc3\xa9\"");
}

}  // namespace
}  // namespace tarn
