// Internal to api/: the edge server's HTTP/1.1 request parsing (RFC 9112), kept apart from the
// socket code so that every rule is unit-tested on bytes.
//
// ParseHttp1Head reads a request line and header fields; it is strict where leniency has caused
// request smuggling (obs-fold, Content-Length together with Transfer-Encoding, conflicting
// Content-Lengths, bare CR, whitespace before the colon are refused) and lenient where RFC 9112
// asks for it (empty lines before the request line are skipped). ChunkedDecoder decodes a chunked
// body incrementally, as its bytes arrive.
//
// Errors carry the HTTP status to answer with (400, 413, 501, 505) and a one-line message.
// Thread-safety: pure functions; a ChunkedDecoder belongs to one request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"

namespace tarn::api::edge {

struct Http1Error {
    int status = 400;
    std::string message;
};

struct Http1Head {
    std::string method;
    std::string target;
    int version = 11;     // 10 or 11
    HttpHeaders headers;  // names lowercased, values without surrounding whitespace
    std::optional<uint64_t> content_length;
    bool chunked = false;          // Transfer-Encoding: chunked
    bool keep_alive = true;        // from the version and the Connection header
    bool expect_continue = false;  // Expect: 100-continue on HTTP/1.1
    size_t head_bytes = 0;         // bytes consumed, up to and including the blank line
};

enum class HeadParse { kIncomplete, kDone, kError };

// Parses the request head at the start of `data`. kIncomplete: no blank line yet (the caller
// enforces its header size limit and reads more); kDone: *head is filled; kError: *error says why.
HeadParse ParseHttp1Head(std::string_view data, Http1Head* head, Http1Error* error);

// The reason phrase of a status code ("OK", "Not Found"; "Unknown" for unlisted codes).
std::string_view ReasonPhrase(int status);

// Decodes a chunked body (RFC 9112 §7.1): chunk extensions and trailer fields are read and
// dropped. Feed it the bytes as they come; it appends the payload to *body.
class ChunkedDecoder {
public:
    explicit ChunkedDecoder(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

    // Consumes a prefix of `data` (possibly all of it; it stops after the last chunk's trailers)
    // and returns its length, or nullopt with *error set when the body is malformed (400) or
    // larger than the limit (413).
    std::optional<size_t> Feed(std::string_view data, std::string* body, Http1Error* error);
    bool done() const { return state_ == State::kDone; }

private:
    enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
    // Consumes one line (through its LF) when `data` holds a whole one; false when it does not.
    bool TakeLine(std::string_view data, size_t* used, std::string_view* line);

    size_t max_body_bytes_;
    State state_ = State::kSize;
    uint64_t remaining_ = 0;  // of the current chunk's data
    std::string partial_line_;
};

}  // namespace tarn::api::edge
