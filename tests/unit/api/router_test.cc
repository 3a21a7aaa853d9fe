#include "api/router.h"

#include <gtest/gtest.h>

#include <optional>

#include "api/aws_json.h"
#include "api/http_respond_state.h"

namespace tarn::api {
namespace {

// Dispatches synchronously and captures the answer.
std::optional<HttpResponse> Call(const Router& router, std::string method, std::string path,
                                 HttpHeaders headers = {}) {
    std::optional<HttpResponse> out;
    HttpRequest request;
    request.method = std::move(method);
    request.path = path;
    request.target = std::move(path);
    request.headers = std::move(headers);
    router.Dispatch(std::move(request), HttpRespond(std::make_shared<HttpRespond::State>(
                                            [&out](HttpResponse r) { out = std::move(r); })));
    return out;
}

TEST(RouterTest, UnknownPathIs404JsonAndWrongMethod405) {
    MetricsRegistry registry;
    Router router(registry);
    router.Add("GET", "/health", "/health",
               [](HttpRequest, HttpRespond respond) { respond(HttpResponse::Json(200, "{}")); });
    auto missing = Call(router, "GET", "/nope");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(missing->Header("content-type"), "application/json");
    EXPECT_EQ(missing->body, R"({"code":"NotFound","message":"no such resource: GET /nope"})");
    auto wrong = Call(router, "DELETE", "/health");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 405);
    auto ok = Call(router, "GET", "/health");
    EXPECT_EQ(ok->status, 200);
    EXPECT_EQ(ok->Header("x-amzn-requestid").size(), 36u);
}

TEST(RouterTest, PrefixRoutesAndHeadFallsBackToGet) {
    MetricsRegistry registry;
    Router router(registry);
    router.Add("GET", "/api/v1/*", "/api/v1", [](HttpRequest req, HttpRespond respond) {
        respond(HttpResponse::Json(200, "\"" + req.path + "\""));
    });
    EXPECT_EQ(Call(router, "GET", "/api/v1/streams")->body, "\"/api/v1/streams\"");
    EXPECT_EQ(Call(router, "HEAD", "/api/v1/x")->status, 200);
    EXPECT_EQ(Call(router, "GET", "/api/v2/x")->status, 404);
}

TEST(RouterTest, CountsRequestsByRouteAndCode) {
    MetricsRegistry registry;
    Router router(registry);
    router.Add("GET", "/a", "/a",
               [](HttpRequest, HttpRespond respond) { respond(HttpResponse::Json(201, "{}")); });
    for (int i = 0; i < 3; ++i) (void)Call(router, "GET", "/a");
    (void)Call(router, "GET", "/b");
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find(R"(tarn_http_requests_total{method="GET",route="/a",code="201"} 3)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(tarn_http_requests_total{method="GET",route="not_found",code="404"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(tarn_http_request_duration_seconds_count{route="/a"} 3)"),
              std::string::npos);
}

TEST(RouterTest, HandlerThatNeverAnswersYields500) {
    MetricsRegistry registry;
    Router router(registry);
    router.Add("GET", "/forgetful", "/forgetful", [](HttpRequest, HttpRespond) {});
    auto r = Call(router, "GET", "/forgetful");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
}

TEST(RouterTest, SecondAnswerIsIgnored) {
    MetricsRegistry registry;
    Router router(registry);
    router.Add("GET", "/twice", "/twice", [](HttpRequest, HttpRespond respond) {
        respond(HttpResponse::Json(200, "1"));
        respond(HttpResponse::Json(500, "2"));
    });
    int answers = 0;
    HttpRequest request;
    request.method = "GET";
    request.path = "/twice";
    router.Dispatch(std::move(request),
                    HttpRespond(std::make_shared<HttpRespond::State>([&](HttpResponse r) {
                        ++answers;
                        EXPECT_EQ(r.body, "1");
                    })));
    EXPECT_EQ(answers, 1);
}

TEST(AwsJsonTest, UnknownAndMissingTargetsGetAwsErrorShape) {
    MetricsRegistry registry;
    Router router(registry);
    AwsJsonDispatcher aws;
    aws.Add("Kinesis_20131202", "ListStreams", [](HttpRequest, HttpRespond respond) {
        respond(HttpResponse::Text(200, R"({"StreamNames":[]})", "application/x-amz-json-1.1"));
    });
    aws.Mount(router);
    auto unknown = Call(router, "POST", "/", {{"x-amz-target", "Kinesis_20131202.Frobnicate"}});
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
    EXPECT_EQ(unknown->Header("x-amzn-ErrorType"), "UnknownOperationException");
    EXPECT_EQ(unknown->body, R"({"__type":"UnknownOperationException","message":"operation )"
                             R"(Kinesis_20131202.Frobnicate is not supported by tarn"})");
    auto missing = Call(router, "POST", "/");
    EXPECT_EQ(missing->status, 400);
    EXPECT_NE(missing->body.find("missing X-Amz-Target"), std::string::npos);
    auto known = Call(router, "POST", "/", {{"x-amz-target", "Kinesis_20131202.ListStreams"}});
    EXPECT_EQ(known->status, 200);
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find(R"(route="Kinesis_20131202.ListStreams",code="200"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(route="aws_unknown_operation",code="400"} 2)"), std::string::npos);
}

TEST(AwsJsonTest, CborRequestsAreTurnedAwayWithAHint) {
    MetricsRegistry registry;
    Router router(registry);
    AwsJsonDispatcher aws;
    bool called = false;
    aws.Add("Kinesis_20131202", "PutRecord", [&](HttpRequest, HttpRespond respond) {
        called = true;
        respond(HttpResponse::Json(200, "{}"));
    });
    aws.Mount(router);
    auto r = Call(router, "POST", "/",
                  {{"x-amz-target", "Kinesis_20131202.PutRecord"},
                   {"content-type", "application/x-amz-cbor-1.1"}});
    ASSERT_TRUE(r);
    EXPECT_FALSE(called);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->Header("x-amzn-ErrorType"), "SerializationException");
    EXPECT_NE(r->body.find("AWS_CBOR_DISABLE=true"), std::string::npos);
}

TEST(AwsJsonTest, StatusCodesMapToAwsErrors) {
    struct Case {
        Status status;
        int http;
        const char* type;
    } cases[] = {
        {Status::InvalidArgument("x"), 400, "InvalidArgumentException"},
        {Status::NotFound("x"), 400, "ResourceNotFoundException"},
        {Status::AlreadyExists("x"), 400, "ResourceInUseException"},
        {Status::ResourceExhausted("x"), 400, "LimitExceededException"},
        {Status::Unavailable("x"), 503, "ServiceUnavailable"},
        {Status::IOError("x"), 503, "ServiceUnavailable"},
        {Status::Internal("x"), 500, "InternalFailure"},
    };
    for (const Case& c : cases) {
        HttpResponse r = AwsErrorFromStatus(c.status);
        EXPECT_EQ(r.status, c.http) << c.type;
        EXPECT_EQ(r.Header("x-amzn-ErrorType"), c.type);
        EXPECT_EQ(r.body, std::string(R"({"__type":")") + c.type + R"(","message":"x"})");
    }
}

}  // namespace
}  // namespace tarn::api
