#include "common/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace tarn {
namespace {

Result<int> Half(int x) {
    if (x % 2 != 0) return Status::InvalidArgument("odd: " + std::to_string(x));
    return x / 2;
}

Result<int> Quarter(int x) {
    TARN_ASSIGN_OR_RETURN(int half, Half(x));
    TARN_ASSIGN_OR_RETURN(int quarter, Half(half));
    return quarter;
}

Status CheckPositive(int x) {
    if (x <= 0) return Status::InvalidArgument("not positive");
    return Status::Ok();
}

Status CheckBoth(int a, int b) {
    TARN_RETURN_IF_ERROR(CheckPositive(a));
    TARN_RETURN_IF_ERROR(CheckPositive(b));
    return Status::Ok();
}

TEST(StatusTest, OkIsCheapAndEmpty) {
    Status s;
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kOk);
    EXPECT_EQ(s.message(), "");
    EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
    Status s = Status::NotFound("stream 'x'");
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kNotFound);
    EXPECT_EQ(s.ToString(), "NotFound: stream 'x'");
    EXPECT_EQ(s.WithContext("describe").message(), "describe: stream 'x'");
    EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, FromErrnoMapsDiskFullToResourceExhausted) {
    EXPECT_EQ(Status::FromErrno(ENOSPC, "put").code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(Status::FromErrno(ENOENT, "get").code(), StatusCode::kNotFound);
    EXPECT_EQ(Status::FromErrno(EIO, "fsync").code(), StatusCode::kIOError);
    EXPECT_NE(Status::FromErrno(EIO, "fsync").message().find("fsync: "), std::string::npos);
}

TEST(StatusTest, MacrosPropagate) {
    EXPECT_EQ(*Quarter(8), 2);
    EXPECT_EQ(Quarter(6).status().message(), "odd: 3");
    EXPECT_TRUE(CheckBoth(1, 2).ok());
    EXPECT_EQ(CheckBoth(1, -2).code(), StatusCode::kInvalidArgument);
}

TEST(StatusTest, ResultFromOkStatusIsAnInternalError) {
    Result<int> r{Status::Ok()};
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(StatusTest, ResultHoldsMoveOnlyValues) {
    Result<std::unique_ptr<int>> r{std::make_unique<int>(7)};
    ASSERT_TRUE(r.ok());
    std::unique_ptr<int> p = std::move(r).value();
    EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace tarn
