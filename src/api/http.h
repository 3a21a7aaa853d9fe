// Protocol-neutral HTTP requests and responses: what the edge server (HTTP/1.1 or h2c) hands to
// handlers and takes back. Handlers never see Boost.Beast or nghttp2 types, so this header is cheap
// to include.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tarn::api {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;  // names in lowercase

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: "/path?query"
    std::string path;    // target before '?'
    std::string query;   // target after '?', without it
    HttpHeaders headers;
    std::string body;
    int http_version = 11;  // 10, 11 or 20
    std::string remote_address;

    // The first value of header `name` (case-insensitive), empty when absent.
    std::string_view Header(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    HttpHeaders headers;  // content-type is set by the factories below
    std::string body;

    void SetHeader(std::string name, std::string value);
    std::string_view Header(std::string_view name) const;

    static HttpResponse Json(int status, std::string body);
    static HttpResponse Text(int status, std::string body, std::string content_type);
    // {"code": code, "message": message} with the given status: tarn's own (non-AWS) error shape.
    static HttpResponse JsonError(int status, std::string_view code, std::string_view message);
};

// Completes a request: call exactly once, from any thread. Calling it again is ignored; dropping
// it without calling answers 500 (a handler bug must not hang the client).
class HttpRespond {
public:
    class State;
    explicit HttpRespond(std::shared_ptr<State> state) : state_(std::move(state)) {}
    void operator()(HttpResponse response) const;

private:
    std::shared_ptr<State> state_;
};

// Handlers may answer synchronously (call `respond` before returning) or later from another
// thread (e.g. after a group commit's fsync); they must not block an I/O thread for long.
using HttpHandler = std::function<void(HttpRequest request, HttpRespond respond)>;

}  // namespace tarn::api
