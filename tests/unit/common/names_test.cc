#include "common/names.h"

#include <gtest/gtest.h>

#include <string>

namespace tarn {
namespace {

TEST(NamesTest, StreamNames) {
    for (const char* ok : {"clicks", "Clicks_2026", "a", "a.b-c_d", "x.y"}) {
        EXPECT_TRUE(ValidateName(NameKind::kStream, ok).ok()) << ok;
    }
    EXPECT_TRUE(ValidateName(NameKind::kStream, std::string(128, 'a')).ok());
    for (std::string bad :
         {std::string(""), std::string(129, 'a'), std::string("a/b"), std::string(".."),
          std::string("."), std::string("a..b"), std::string("a b"), std::string("a\\b"),
          std::string("a\0b", 3), std::string("ünï")}) {
        Status s = ValidateName(NameKind::kStream, bad);
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    }
}

TEST(NamesTest, MessagesSayWhatIsWrong) {
    Status s = ValidateName(NameKind::kStream, "a/b");
    EXPECT_EQ(s.message(),
              "invalid stream name 'a/b': character '/' at position 1 is not allowed "
              "(allowed: a-z A-Z 0-9 _ . -)");
    Status nul = ValidateName(NameKind::kTable, std::string("a\0b", 3));
    EXPECT_NE(nul.message().find("\\x00"), std::string::npos) << nul.message();
    Status len = ValidateName(NameKind::kDeliveryStream, std::string(65, 'd'));
    EXPECT_NE(len.message().find("length 65 is outside 1-64"), std::string::npos) << len.message();
}

TEST(NamesTest, BucketNames) {
    for (const char* ok : {"my-bucket", "lake.tarn", "abc", "a1-b2.c3"}) {
        EXPECT_TRUE(ValidateName(NameKind::kBucket, ok).ok()) << ok;
    }
    for (const char* bad :
         {"ab", "My-Bucket", "-bucket", "bucket-", "a..b", "192.168.1.1", "xn--bucket", "sthree-x",
          "bucket-s3alias", "bucket--ol-s3", "under_score"}) {
        EXPECT_FALSE(ValidateName(NameKind::kBucket, bad).ok()) << bad;
    }
}

TEST(NamesTest, CatalogNamesAreLowercase) {
    EXPECT_TRUE(ValidateName(NameKind::kTable, "daily_active_users").ok());
    EXPECT_TRUE(ValidateName(NameKind::kDatabase, "raw").ok());
    EXPECT_FALSE(ValidateName(NameKind::kTable, "Events").ok());
    EXPECT_FALSE(ValidateName(NameKind::kTable, "events-2").ok());
    EXPECT_FALSE(ValidateName(NameKind::kDatabase, "a.b").ok());
}

TEST(NamesTest, ColumnNamesAllowPunctuationButNotSeparators) {
    EXPECT_TRUE(ValidateName(NameKind::kColumn, "screen.w (px)").ok());
    EXPECT_FALSE(ValidateName(NameKind::kColumn, "a/b").ok());
    EXPECT_FALSE(ValidateName(NameKind::kColumn, "a\tb").ok());
}

}  // namespace
}  // namespace tarn
