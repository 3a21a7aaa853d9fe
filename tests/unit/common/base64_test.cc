#include "common/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace tarn {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        EXPECT_EQ(Base64Encode(plain), encoded);
        auto decoded = Base64Decode(encoded);
        ASSERT_TRUE(decoded.ok()) << encoded;
        EXPECT_EQ(*decoded, plain);
        EXPECT_EQ(Base64DecodedSize(encoded), std::string(plain).size());
    }
}

TEST(Base64Test, RoundTripsBinary) {
    std::mt19937 rng(7);
    for (size_t len = 0; len < 300; ++len) {
        std::string data(len, '\0');
        for (char& c : data) c = static_cast<char>(rng());
        auto back = Base64Decode(Base64Encode(data));
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(*back, data);
    }
}

TEST(Base64Test, RejectsMalformedText) {
    for (const char* bad :
         {"Zg=", "Zm9", "Z===", "Zm9v!A==", "Zg==Zg==", "Zm=v", "====", "Zm9v\n"}) {
        auto r = Base64Decode(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        }
    }
}

TEST(Base64Test, NamesTheOffsetOfABadCharacterInAnyQuad) {
    // The fast path decodes whole quads; a bad character in one must still be found and named.
    std::string text = Base64Encode(std::string(30, 'x'));  // 40 characters, no padding
    for (size_t pos : {0u, 5u, 21u, 39u}) {
        std::string bad = text;
        bad[pos] = '*';
        auto r = Base64Decode(bad);
        ASSERT_FALSE(r.ok()) << pos;
        EXPECT_NE(r.status().message().find("offset " + std::to_string(pos)), std::string::npos)
            << r.status().message();
    }
}

}  // namespace
}  // namespace tarn
