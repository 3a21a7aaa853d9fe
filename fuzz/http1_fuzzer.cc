// Fuzz target: the edge server's HTTP/1.1 request parsing (api/http1_parser.h) on raw bytes: the
// request head, then a chunked body when the head says so.
//
// Beyond not crashing, the parsers must not depend on how the bytes arrive, as a socket splits
// them anywhere:
//   - a head that parses uses head_bytes <= the input, parses the same from exactly those bytes,
//     and one byte fewer is incomplete, not an error or another head;
//   - a chunked body fed byte by byte gives the same body, the same end and the same error as
//     fed at once, and never a body over the limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/http1_parser.h"

namespace {

using tarn::api::edge::ChunkedDecoder;
using tarn::api::edge::HeadParse;
using tarn::api::edge::Http1Error;
using tarn::api::edge::Http1Head;

constexpr size_t kMaxBody = 4096;  // small, so that the 413 path is reached

[[noreturn]] void Fail(const char* what) {
    std::fprintf(stderr, "http1_fuzzer: %s\n", what);
    std::abort();
}

bool SameHead(const Http1Head& a, const Http1Head& b) {
    return a.method == b.method && a.target == b.target && a.version == b.version &&
           a.headers == b.headers && a.content_length == b.content_length &&
           a.chunked == b.chunked && a.keep_alive == b.keep_alive &&
           a.expect_continue == b.expect_continue && a.head_bytes == b.head_bytes;
}

struct Decoded {
    bool ok = true;
    bool done = false;
    int status = 0;
    size_t used = 0;
    std::string body;
};

Decoded DecodeAtOnce(std::string_view data) {
    ChunkedDecoder decoder(kMaxBody);
    Decoded out;
    Http1Error error;
    auto used = decoder.Feed(data, &out.body, &error);
    out.ok = used.has_value();
    if (!out.ok) {
        out.status = error.status;
        return out;
    }
    if (*used > data.size()) Fail("chunked decoder consumed more than it was given");
    out.used = *used;
    out.done = decoder.done();
    if (!out.done && out.used != data.size()) Fail("chunked decoder stopped early, not done");
    return out;
}

Decoded DecodeByteByByte(std::string_view data) {
    ChunkedDecoder decoder(kMaxBody);
    Decoded out;
    Http1Error error;
    for (size_t i = 0; i < data.size() && !decoder.done(); ++i) {
        auto used = decoder.Feed(data.substr(i, 1), &out.body, &error);
        if (!used) {
            out.ok = false;
            out.status = error.status;
            return out;
        }
        out.used += *used;
    }
    out.done = decoder.done();
    return out;
}

void CheckChunked(std::string_view body) {
    const Decoded whole = DecodeAtOnce(body);
    const Decoded split = DecodeByteByByte(body);
    if (whole.ok != split.ok || whole.status != split.status) {
        Fail("chunked body: the error depends on how the bytes arrive");
    }
    if (!whole.ok) return;
    if (whole.done != split.done || whole.used != split.used || whole.body != split.body) {
        Fail("chunked body: the result depends on how the bytes arrive");
    }
    if (whole.body.size() > kMaxBody) Fail("chunked body over the limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    Http1Head head;
    Http1Error error;
    const HeadParse parsed = tarn::api::edge::ParseHttp1Head(input, &head, &error);
    if (parsed == HeadParse::kError) {
        if (error.status < 400 || error.status > 599 || error.message.empty() ||
            error.message.find('\n') != std::string::npos) {
            Fail("a head error lacks a 4xx/5xx status or a one-line message");
        }
        return 0;
    }
    if (parsed == HeadParse::kIncomplete) return 0;
    if (head.head_bytes == 0 || head.head_bytes > size) Fail("head_bytes outside the input");
    if (head.chunked && head.content_length) Fail("both chunked and Content-Length");

    Http1Head again;
    if (tarn::api::edge::ParseHttp1Head(input.substr(0, head.head_bytes), &again, &error) !=
            HeadParse::kDone ||
        !SameHead(head, again)) {
        Fail("the head parses differently from its own bytes");
    }
    Http1Head shorter;
    if (tarn::api::edge::ParseHttp1Head(input.substr(0, head.head_bytes - 1), &shorter, &error) !=
        HeadParse::kIncomplete) {
        Fail("a head one byte short is not incomplete");
    }
    if (head.chunked) CheckChunked(input.substr(head.head_bytes));
    return 0;
}
