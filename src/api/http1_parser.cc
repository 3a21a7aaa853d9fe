#include "api/http1_parser.h"

#include <array>
#include <charconv>

#include "common/text.h"

namespace tarn::api::edge {
namespace {

constexpr size_t kMaxChunkLine = 8192;  // a chunk-size line with its extensions, or a trailer

// tchar (RFC 9110 §5.6.2): what method names and field names are made of.
constexpr auto kTokenChars = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
    return t;
}();

bool IsToken(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
    }
    return true;
}

// Field values: visible characters, spaces, tabs and obs-text; never CR, LF or NUL.
bool IsFieldValue(std::string_view s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
    }
    return true;
}

std::string_view TrimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls fn(item) for each comma-separated, trimmed, non-empty item of a list-valued field.
template <typename Fn>
void ForEachListItem(std::string_view value, Fn fn) {
    while (!value.empty()) {
        const size_t comma = value.find(',');
        const std::string_view item = TrimOws(value.substr(0, comma));
        if (!item.empty()) fn(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
}

// One line ending in CRLF (a bare LF is accepted as RFC 9112 §2.2 allows; a bare CR is not).
std::string_view StripLineEnd(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

HeadParse Fail(Http1Error* error, int status, std::string message) {
    error->status = status;
    error->message = std::move(message);
    return HeadParse::kError;
}

HeadParse ParseRequestLine(std::string_view line, Http1Head* head, Http1Error* error) {
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        return Fail(error, 400, "malformed request line");
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!IsToken(method)) return Fail(error, 400, "malformed method in the request line");
    if (target.empty()) return Fail(error, 400, "empty request target");
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return Fail(error, 400, "malformed request target");
    }
    if (version == "HTTP/1.1") {
        head->version = 11;
    } else if (version == "HTTP/1.0") {
        head->version = 10;
    } else if (version.starts_with("HTTP/") && version.size() == 8 && version[6] == '.') {
        return Fail(error, 505,
                    "HTTP version " + std::string(version.substr(5)) +
                        " is not supported on this connection");
    } else {
        return Fail(error, 400, "malformed HTTP version in the request line");
    }
    head->method = std::string(method);
    head->target = std::string(target);
    return HeadParse::kDone;
}

// Content-Length: one decimal number; repeated fields (or a list) must all agree.
HeadParse ReadContentLength(std::string_view value, Http1Head* head, Http1Error* error) {
    HeadParse result = HeadParse::kDone;
    bool any = false;
    ForEachListItem(value, [&](std::string_view item) {
        any = true;
        uint64_t n = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (ec != std::errc() || end != item.data() + item.size() || item.size() > 18) {
            result = Fail(error, 400, "invalid Content-Length");
        } else if (head->content_length && *head->content_length != n) {
            result = Fail(error, 400, "conflicting Content-Length values");
        } else {
            head->content_length = n;
        }
    });
    if (!any) return Fail(error, 400, "invalid Content-Length");
    return result;
}

HeadParse ReadHeaderField(std::string_view line, Http1Head* head, Http1Error* error) {
    if (line.front() == ' ' || line.front() == '\t') {
        return Fail(error, 400, "obsolete line folding in header fields is not accepted");
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(error, 400, "malformed header field");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = TrimOws(line.substr(colon + 1));
    if (!IsToken(name)) return Fail(error, 400, "malformed header field name");
    if (!IsFieldValue(value)) {
        return Fail(error, 400, "invalid character in header field " + std::string(name));
    }
    std::string lower(name);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower == "content-length") {
        if (ReadContentLength(value, head, error) == HeadParse::kError) return HeadParse::kError;
    } else if (lower == "transfer-encoding") {
        bool chunked_last = false, other = false;
        ForEachListItem(value, [&](std::string_view coding) {
            if (chunked_last) other = true;  // chunked must be the final coding, once
            chunked_last = EqualsIgnoreAsciiCase(coding, "chunked");
            if (!chunked_last) other = true;
        });
        if (other || !chunked_last || head->chunked) {
            return Fail(
                error, 501,
                "Transfer-Encoding '" + std::string(value) + "' is not supported (only chunked)");
        }
        head->chunked = true;
    } else if (lower == "connection") {
        ForEachListItem(value, [&](std::string_view option) {
            if (EqualsIgnoreAsciiCase(option, "close")) head->keep_alive = false;
            if (EqualsIgnoreAsciiCase(option, "keep-alive") && head->version == 10) {
                head->keep_alive = true;
            }
        });
    } else if (lower == "expect") {
        if (!EqualsIgnoreAsciiCase(value, "100-continue")) {
            return Fail(error, 417, "unsupported expectation '" + std::string(value) + "'");
        }
        head->expect_continue = head->version == 11;
    }
    head->headers.emplace_back(std::move(lower), std::string(value));
    return HeadParse::kDone;
}

}  // namespace

HeadParse ParseHttp1Head(std::string_view data, Http1Head* head, Http1Error* error) {
    size_t start = 0;
    // Empty lines before the request line are ignored (RFC 9112 §2.2).
    while (start < data.size() && (data[start] == '\r' || data[start] == '\n')) ++start;
    const size_t blank = data.find("\n\r\n", start);
    const size_t bare_blank = data.find("\n\n", start);
    size_t end = std::min(blank == std::string_view::npos ? blank : blank + 3,
                          bare_blank == std::string_view::npos ? bare_blank : bare_blank + 2);
    if (end == std::string_view::npos) return HeadParse::kIncomplete;

    *head = Http1Head{};
    std::string_view rest = data.substr(start, end - start);
    bool first = true;
    while (!rest.empty()) {
        const size_t lf = rest.find('\n');
        const std::string_view line = StripLineEnd(rest.substr(0, lf));
        rest.remove_prefix(lf + 1);
        if (line.find('\r') != std::string_view::npos) {
            return Fail(error, 400, "bare CR in the request head");
        }
        if (first) {
            if (ParseRequestLine(line, head, error) == HeadParse::kError) return HeadParse::kError;
            head->keep_alive = head->version == 11;
            first = false;
            continue;
        }
        if (line.empty()) break;  // the blank line
        if (ReadHeaderField(line, head, error) == HeadParse::kError) return HeadParse::kError;
    }
    if (head->chunked && head->content_length) {
        return Fail(error, 400, "both Content-Length and Transfer-Encoding are set");
    }
    if (head->chunked && head->version == 10) {
        return Fail(error, 400, "Transfer-Encoding is not allowed in HTTP/1.0");
    }
    head->head_bytes = end;
    return HeadParse::kDone;
}

std::string_view ReasonPhrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 206:
            return "Partial Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 411:
            return "Length Required";
        case 412:
            return "Precondition Failed";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 416:
            return "Range Not Satisfiable";
        case 417:
            return "Expectation Failed";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Unknown";
    }
}

bool ChunkedDecoder::TakeLine(std::string_view data, size_t* used, std::string_view* line) {
    const size_t lf = data.find('\n', *used);
    if (lf == std::string_view::npos) {
        partial_line_.append(data.substr(*used));
        *used = data.size();
        return false;
    }
    if (partial_line_.empty()) {
        *line = StripLineEnd(data.substr(*used, lf - *used));
    } else {
        partial_line_.append(data.substr(*used, lf - *used));
        *line = StripLineEnd(partial_line_);
    }
    *used = lf + 1;
    return true;
}

std::optional<size_t> ChunkedDecoder::Feed(std::string_view data, std::string* body,
                                           Http1Error* error) {
    auto fail = [&](int status, std::string message) -> std::optional<size_t> {
        error->status = status;
        error->message = std::move(message);
        return std::nullopt;
    };
    size_t used = 0;
    while (used < data.size() && state_ != State::kDone) {
        if (state_ == State::kData) {
            const size_t take =
                static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - used));
            body->append(data.substr(used, take));
            used += take;
            remaining_ -= take;
            if (remaining_ == 0) state_ = State::kDataEnd;
            continue;
        }
        std::string_view line;
        if (!TakeLine(data, &used, &line)) {
            if (partial_line_.size() > kMaxChunkLine) return fail(400, "chunk line too long");
            break;
        }
        const bool was_partial = !partial_line_.empty();
        std::string line_copy;
        if (was_partial) {
            line_copy = std::string(line);
            line = line_copy;
            partial_line_.clear();
        }
        if (line.size() > kMaxChunkLine) return fail(400, "chunk line too long");
        switch (state_) {
            case State::kSize: {
                const std::string_view size_text = TrimOws(line.substr(0, line.find(';')));
                uint64_t size = 0;
                auto [end, ec] = std::from_chars(size_text.data(),
                                                 size_text.data() + size_text.size(), size, 16);
                if (size_text.empty() || size_text.size() > 15 || ec != std::errc() ||
                    end != size_text.data() + size_text.size()) {
                    return fail(400, "malformed chunk size");
                }
                if (body->size() + size > max_body_bytes_) {
                    return fail(413, "request body larger than " + std::to_string(max_body_bytes_) +
                                         " bytes");
                }
                remaining_ = size;
                state_ = size == 0 ? State::kTrailer : State::kData;
                break;
            }
            case State::kDataEnd:
                if (!line.empty()) return fail(400, "chunk data longer than its size");
                state_ = State::kSize;
                break;
            case State::kTrailer:
                if (line.empty()) state_ = State::kDone;
                break;
            default:
                break;
        }
    }
    return used;
}

}  // namespace tarn::api::edge
