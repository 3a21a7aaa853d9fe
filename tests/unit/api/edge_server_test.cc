#include "api/edge_server.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include "api/builtin_routes.h"
#include "api/router.h"
#include "test_http_client.h"
#include "testing/gate.h"

namespace tarn::api {
namespace {

using tarn::api::testing::Get;
using tarn::api::testing::Post;
using tarn::api::testing::TestHttpClient;
using tarn::testing::Gate;

class EdgeServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        AddBuiltinRoutes(router_);
        router_.Add("POST", "/echo", "/echo", [](HttpRequest req, HttpRespond respond) {
            respond(HttpResponse::Text(200, req.body, "application/octet-stream"));
        });
        // Answers from another thread once the test opens the gate.
        // The gates are shared with the answering thread, which may outlive the test.
        router_.Add(
            "GET", "/slow", "/slow",
            [arrived = slow_arrived_, release = release_slow_](HttpRequest, HttpRespond respond) {
                arrived->Open();
                std::thread([release, respond] {
                    release->Wait();
                    respond(HttpResponse::Json(200, R"({"slow":true})"));
                }).detach();
            });
    }

    std::unique_ptr<EdgeServer> StartServer(EdgeServerOptions options = {}) {
        options.port = 0;
        auto server = std::make_unique<EdgeServer>(options, router_);
        Status s = server->Start();
        EXPECT_TRUE(s.ok()) << s.ToString();
        EXPECT_NE(server->port(), 0);
        return server;
    }

    Router router_;
    std::shared_ptr<Gate> slow_arrived_ = std::make_shared<Gate>();
    std::shared_ptr<Gate> release_slow_ = std::make_shared<Gate>();
};

TEST_F(EdgeServerTest, HealthAndKeepAlive) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.connected());
    for (int i = 0; i < 3; ++i) {  // three requests on one connection
        auto r = client.Request(Get("/health"));
        ASSERT_TRUE(r) << "request " << i;
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, R"({"status":"ok"})");
        EXPECT_EQ(r->headers["content-type"], "application/json");
    }
    auto missing = client.Request(Get("/nowhere"));
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_NE(missing->body.find("\"NotFound\""), std::string::npos);
}

TEST_F(EdgeServerTest, MetricsAreServed) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Request(Get("/health")));
    auto r = client.Request(Get("/metrics"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->headers["content-type"].find("text/plain; version=0.0.4"), std::string::npos);
    EXPECT_NE(
        r->body.find("tarn_http_requests_total{method=\"GET\",route=\"/health\",code=\"200\"}"),
        std::string::npos);
    EXPECT_NE(r->body.find("process_resident_memory_bytes "), std::string::npos);
}

TEST_F(EdgeServerTest, BodiesRoundTripAndOversizedBodiesAre413) {
    EdgeServerOptions options;
    options.max_body_bytes = 1024;
    auto server = StartServer(options);
    TestHttpClient client(server->port());
    std::string body(1000, 'x');
    auto ok = client.Request(Post("/echo", body));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->body, body);
    auto big = client.Request(Post("/echo", std::string(5000, 'y')));
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    EXPECT_NE(big->body.find("RequestEntityTooLarge"), std::string::npos);
    EXPECT_EQ(big->headers["connection"], "close");
}

TEST_F(EdgeServerTest, MalformedRequestIs400) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    auto r = client.Request("GARBAGE\x01 / HTTP/9\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("malformed HTTP request"), std::string::npos);
}

TEST_F(EdgeServerTest, PipelinedRequestsAreAnsweredInOrder) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Send(Post("/echo", "first") + Get("/health") + Post("/echo", "third")));
    auto a = client.Read(), b = client.Read(), c = client.Read();
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->body, "first");
    EXPECT_EQ(b->status, 200);
    EXPECT_EQ(c->body, "third");
}

TEST_F(EdgeServerTest, ChunkedBodiesAreDecoded) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    auto r = client.Request(
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n1;ext\r\n \r\n5\r\nworld\r\n0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello world");
    auto again = client.Request(Get("/health"));  // the connection is still in step
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
}

TEST_F(EdgeServerTest, ExpectContinueIsAnsweredBeforeTheBody) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    auto interim = client.Request(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    auto r = client.Request("body");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "body");
}

TEST_F(EdgeServerTest, HeadAnswersWithLengthButNoBody) {
    auto server = StartServer();
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + Get("/health")));
    auto head = client.Read(/*expect_body=*/false);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    auto get = client.Read();
    ASSERT_TRUE(get);
    EXPECT_EQ(get->status, 200);  // parsed right after the head: no body was sent for HEAD
    EXPECT_EQ(head->headers["content-length"], std::to_string(get->body.size()));
}

TEST_F(EdgeServerTest, Http10ClosesUnlessKeptAlive) {
    auto server = StartServer();
    TestHttpClient kept(server->port());
    auto a = kept.Request("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->headers["connection"], "keep-alive");
    EXPECT_TRUE(kept.Request("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    TestHttpClient closed(server->port());
    auto b = closed.Request("GET /health HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->headers["connection"], "close");
    EXPECT_TRUE(closed.ClosedByPeerWithin(std::chrono::seconds(5)));
}

TEST_F(EdgeServerTest, OversizedHeadersAre431AndBadVersions505) {
    EdgeServerOptions options;
    options.max_header_bytes = 2048;
    auto server = StartServer(options);
    TestHttpClient client(server->port());
    auto big = client.Request("GET / HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 431);
    EXPECT_TRUE(client.ClosedByPeerWithin(std::chrono::seconds(5)));
    TestHttpClient v2(server->port());
    auto r = v2.Request("GET / HTTP/3.0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 505);
}

TEST_F(EdgeServerTest, IdleConnectionsAreClosed) {
    EdgeServerOptions options;
    options.idle_timeout = std::chrono::milliseconds(200);
    auto server = StartServer(options);
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Request(Get("/health")));
    EXPECT_TRUE(client.ClosedByPeerWithin(std::chrono::seconds(5)));
    // A client that sends half a request is idle too.
    TestHttpClient half(server->port());
    ASSERT_TRUE(half.Send("GET /health HTTP/1.1\r\n"));
    EXPECT_TRUE(half.ClosedByPeerWithin(std::chrono::seconds(5)));
}

TEST_F(EdgeServerTest, PortInUseIsAClearError) {
    auto first = StartServer();
    EdgeServerOptions options;
    options.port = first->port();
    EdgeServer second(options, router_);
    Status s = second.Start();
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(s.message().find("already in use"), std::string::npos) << s.message();
}

TEST_F(EdgeServerTest, StopLetsRequestsInFlightFinishAndClosesIdleConnections) {
    auto server = StartServer();
    TestHttpClient idle(server->port());
    ASSERT_TRUE(idle.Request(Get("/health")));  // now idle on a keep-alive connection
    TestHttpClient busy(server->port());
    ASSERT_TRUE(busy.Send(Get("/slow")));
    ASSERT_TRUE(slow_arrived_->Wait());

    auto stopped = std::async(std::launch::async, [&] { server->Stop(); });
    // The idle connection is closed promptly, while the slow request is still in flight.
    EXPECT_TRUE(idle.ClosedByPeer());
    EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
    release_slow_->Open();
    auto r = busy.Read();
    ASSERT_TRUE(r) << "the in-flight request must still be answered";
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"slow":true})");
    EXPECT_EQ(r->headers["connection"], "close");
    stopped.get();
    TestHttpClient after(server->port());
    EXPECT_FALSE(after.connected()) << "no new connections after Stop";
}

TEST_F(EdgeServerTest, DrainTimeoutForcesStragglersClosed) {
    EdgeServerOptions options;
    options.drain_timeout = std::chrono::milliseconds(200);
    auto server = StartServer(options);
    TestHttpClient busy(server->port());
    ASSERT_TRUE(busy.Send(Get("/slow")));
    ASSERT_TRUE(slow_arrived_->Wait());
    server->Stop();  // must return although the handler has not answered
    EXPECT_FALSE(busy.Read());
    release_slow_->Open();
}

TEST_F(EdgeServerTest, ManyConcurrentClients) {
    auto server = StartServer();
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            TestHttpClient client(server->port());
            for (int i = 0; i < 50; ++i) {
                auto r = client.Request(Post("/echo", "payload-" + std::to_string(i)));
                if (r && r->status == 200 && r->body == "payload-" + std::to_string(i)) ++ok;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 400);
}

}  // namespace
}  // namespace tarn::api
