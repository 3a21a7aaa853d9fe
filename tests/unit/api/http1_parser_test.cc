#include "api/http1_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace tarn::api::edge {
namespace {

struct Parsed {
    HeadParse result;
    Http1Head head;
    Http1Error error;
};

Parsed Parse(std::string_view text) {
    Parsed p;
    p.result = ParseHttp1Head(text, &p.head, &p.error);
    return p;
}

// The status of a request head that must be refused, and its message.
Http1Error Refused(std::string_view text) {
    Parsed p = Parse(text);
    EXPECT_EQ(p.result, HeadParse::kError) << text;
    return p.error;
}

TEST(Http1ParserTest, ParsesRequestLineAndHeaders) {
    const std::string text =
        "POST /a/b?x=1 HTTP/1.1\r\nHost: example\r\nX-Amz-Target:  Kinesis_20131202.PutRecords "
        "\r\nContent-Length: 5\r\n\r\nhello";
    Parsed p = Parse(text);
    ASSERT_EQ(p.result, HeadParse::kDone) << p.error.message;
    EXPECT_EQ(p.head.method, "POST");
    EXPECT_EQ(p.head.target, "/a/b?x=1");
    EXPECT_EQ(p.head.version, 11);
    ASSERT_EQ(p.head.headers.size(), 3u);
    EXPECT_EQ(p.head.headers[1].first, "x-amz-target");
    EXPECT_EQ(p.head.headers[1].second, "Kinesis_20131202.PutRecords");
    EXPECT_EQ(p.head.content_length, 5u);
    EXPECT_FALSE(p.head.chunked);
    EXPECT_TRUE(p.head.keep_alive);
    EXPECT_EQ(p.head.head_bytes, text.size() - 5);
}

TEST(Http1ParserTest, IncompleteUntilTheBlankLine) {
    const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (size_t n = 0; n < text.size(); ++n) {
        EXPECT_EQ(Parse(text.substr(0, n)).result, HeadParse::kIncomplete) << n;
    }
    EXPECT_EQ(Parse(text).result, HeadParse::kDone);
}

TEST(Http1ParserTest, SkipsLeadingEmptyLinesAndAcceptsBareLf) {
    Parsed p = Parse("\r\n\r\nGET /x HTTP/1.1\nHost: y\n\n");
    ASSERT_EQ(p.result, HeadParse::kDone) << p.error.message;
    EXPECT_EQ(p.head.target, "/x");
    ASSERT_EQ(p.head.headers.size(), 1u);
    EXPECT_EQ(p.head.headers[0].second, "y");
}

TEST(Http1ParserTest, KeepAliveFollowsVersionAndConnection) {
    EXPECT_TRUE(Parse("GET / HTTP/1.1\r\n\r\n").head.keep_alive);
    EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").head.keep_alive);
    EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nConnection: foo, Close\r\n\r\n").head.keep_alive);
    EXPECT_FALSE(Parse("GET / HTTP/1.0\r\n\r\n").head.keep_alive);
    EXPECT_TRUE(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.keep_alive);
}

TEST(Http1ParserTest, BodyFraming) {
    EXPECT_TRUE(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").head.chunked);
    EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 7, 7\r\n\r\n").head.content_length, 7u);
    EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 7\r\ncontent-length: 7\r\n\r\n")
                  .head.content_length,
              7u);
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 8\r\n\r\n").status,
              400);
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").status, 400);
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n").status, 400);
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n").status,
              400);
    EXPECT_EQ(
        Refused("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
            .message,
        "both Content-Length and Transfer-Encoding are set");
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").status, 501);
    EXPECT_EQ(Refused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").status, 501);
    EXPECT_EQ(Refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").status, 400);
}

TEST(Http1ParserTest, RefusesWhatSmugglingAttacksUse) {
    EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n").message,
              "obsolete line folding in header fields is not accepted");
    EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost : x\r\n\r\n").message,
              "malformed header field name");
    EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n").message,
              "bare CR in the request head");
    EXPECT_EQ(Refused("GET / HTTP/1.1\r\nNoColon\r\n\r\n").message, "malformed header field");
    EXPECT_EQ(Refused("GET / HTTP/1.1\r\nX: a\x01"
                      "b\r\n\r\n")
                  .status,
              400);
}

TEST(Http1ParserTest, RequestLineErrors) {
    EXPECT_EQ(Refused("GET /  HTTP/1.1\r\n\r\n").message, "malformed request line");
    EXPECT_EQ(Refused("GET\r\n\r\n").message, "malformed request line");
    EXPECT_EQ(Refused("G(T / HTTP/1.1\r\n\r\n").message, "malformed method in the request line");
    EXPECT_EQ(Refused("GET /\x7f HTTP/1.1\r\n\r\n").message, "malformed request target");
    EXPECT_EQ(Refused("GET / HTTP/1.1x\r\n\r\n").status, 400);
    EXPECT_EQ(Refused("GET / FTP/1.1\r\n\r\n").status, 400);
    Http1Error v2 = Refused("GET / HTTP/2.0\r\n\r\n");
    EXPECT_EQ(v2.status, 505);
    EXPECT_EQ(v2.message, "HTTP version 2.0 is not supported on this connection");
}

TEST(Http1ParserTest, Expectations) {
    EXPECT_TRUE(Parse("PUT / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n").head.expect_continue);
    EXPECT_FALSE(Parse("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").head.expect_continue);
    EXPECT_EQ(Refused("PUT / HTTP/1.1\r\nExpect: teapot\r\n\r\n").status, 417);
}

TEST(Http1ParserTest, ReasonPhrases) {
    EXPECT_EQ(ReasonPhrase(200), "OK");
    EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
    EXPECT_EQ(ReasonPhrase(599), "Unknown");
}

constexpr std::string_view kChunked =
    "4\r\nWiki\r\n6;name=value\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n";

TEST(Http1ParserTest, ChunkedBodyAtOnceStopsAtItsEnd) {
    ChunkedDecoder decoder(1 << 20);
    std::string body;
    Http1Error error;
    const std::string data = std::string(kChunked) + "GET / HTTP/1.1\r\n";
    auto used = decoder.Feed(data, &body, &error);
    ASSERT_TRUE(used) << error.message;
    EXPECT_EQ(*used, kChunked.size());
    EXPECT_TRUE(decoder.done());
    EXPECT_EQ(body, "Wikipedia in \r\n\r\nchunks.");
}

TEST(Http1ParserTest, ChunkedBodyByteByByte) {
    ChunkedDecoder decoder(1 << 20);
    std::string body;
    Http1Error error;
    for (size_t i = 0; i < kChunked.size(); ++i) {
        ASSERT_FALSE(decoder.done()) << i;
        auto used = decoder.Feed(kChunked.substr(i, 1), &body, &error);
        ASSERT_TRUE(used) << i << ": " << error.message;
        EXPECT_EQ(*used, 1u);
    }
    EXPECT_TRUE(decoder.done());
    EXPECT_EQ(body, "Wikipedia in \r\n\r\nchunks.");
}

TEST(Http1ParserTest, ChunkedErrors) {
    auto fail = [](std::string_view data, size_t limit = 1 << 20) {
        ChunkedDecoder decoder(limit);
        std::string body;
        Http1Error error;
        EXPECT_FALSE(decoder.Feed(data, &body, &error)) << data;
        return error;
    };
    EXPECT_EQ(fail("zz\r\n").message, "malformed chunk size");
    EXPECT_EQ(fail("\r\n").message, "malformed chunk size");
    EXPECT_EQ(fail("3\r\nabcdef\r\n").message, "chunk data longer than its size");
    EXPECT_EQ(fail("ffffffffffffffff\r\n").message, "malformed chunk size");
    Http1Error big = fail("10\r\n", 8);
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(fail(std::string(9000, '1')).message, "chunk line too long");
}

}  // namespace
}  // namespace tarn::api::edge
