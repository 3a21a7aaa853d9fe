#include "api/http.h"

#include <atomic>

#include "api/http_respond_state.h"
#include "common/json_escape.h"
#include "common/text.h"

namespace tarn::api {
namespace {

std::string_view FindHeader(const HttpHeaders& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (EqualsIgnoreAsciiCase(k, name)) return v;
    }
    return {};
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
    return FindHeader(headers, name);
}
std::string_view HttpResponse::Header(std::string_view name) const {
    return FindHeader(headers, name);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (EqualsIgnoreAsciiCase(k, name)) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

HttpResponse HttpResponse::Json(int status, std::string body) {
    return Text(status, std::move(body), "application/json");
}

HttpResponse HttpResponse::Text(int status, std::string body, std::string content_type) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("content-type", std::move(content_type));
    return r;
}

HttpResponse HttpResponse::JsonError(int status, std::string_view code, std::string_view message) {
    std::string body = "{\"code\":";
    AppendJsonString(body, code);
    body += ",\"message\":";
    AppendJsonString(body, message);
    body += '}';
    return Json(status, std::move(body));
}

HttpRespond::State::~State() {
    if (!done_.exchange(true)) {
        deliver_(HttpResponse::JsonError(500, "InternalFailure",
                                         "the request handler ended without answering"));
    }
}

void HttpRespond::State::Deliver(HttpResponse response) {
    if (!done_.exchange(true)) deliver_(std::move(response));
}

void HttpRespond::operator()(HttpResponse response) const { state_->Deliver(std::move(response)); }

}  // namespace tarn::api
