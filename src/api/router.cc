#include "api/router.h"

#include <chrono>
#include <random>

#include "api/http_respond_state.h"
#include "common/hash.h"

namespace tarn::api {

Router::Router(MetricsRegistry& registry)
    : requests_(registry.AddCounterFamily(
          "tarn_http_requests_total", "HTTP requests answered, by method, route and status code",
          {"method", "route", "code"})),
      latency_(registry.AddHistogramFamily("tarn_http_request_duration_seconds",
                                           "Time from a request's arrival to its answer, by route",
                                           {"route"}, Histogram::LatencyBuckets())) {}

void Router::Add(std::string method, std::string path, std::string label, HttpHandler handler) {
    Add(
        std::move(method), std::move(path),
        [label = std::move(label)](const HttpRequest&) { return label; }, std::move(handler));
}

void Router::Add(std::string method, std::string path, LabelFn label, HttpHandler handler) {
    Route route;
    route.method = std::move(method);
    route.prefix = !path.empty() && path.back() == '*';
    if (route.prefix) path.pop_back();
    route.path = std::move(path);
    route.label = std::move(label);
    route.handler = std::move(handler);
    routes_.push_back(std::move(route));
}

const Router::Route* Router::Find(const HttpRequest& request, bool* path_known) const {
    *path_known = false;
    for (const Route& route : routes_) {
        const bool path_matches =
            route.prefix ? request.path.starts_with(route.path) : request.path == route.path;
        if (!path_matches) continue;
        *path_known = true;
        if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
            return &route;
        }
    }
    return nullptr;
}

void Router::Dispatch(HttpRequest request, HttpRespond respond) const {
    bool path_known = false;
    const Route* route = Find(request, &path_known);
    std::string label =
        route ? route->label(request) : (path_known ? "method_not_allowed" : "not_found");
    std::string method = request.method;
    const auto start = std::chrono::steady_clock::now();
    // Measure and stamp every answer, however and whenever the handler produces it. Answers may
    // come after the router is gone (a handler thread finishing during shutdown), so this holds
    // only the metric families, which the registry owns.
    auto measured =
        std::make_shared<HttpRespond::State>([&requests = requests_, &latency = latency_, respond,
                                              label, method, start](HttpResponse response) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            requests.With({method, label, std::to_string(response.status)}).Inc();
            latency.With({label}).Observe(seconds);
            if (response.Header("x-amzn-requestid").empty()) {
                response.SetHeader("x-amzn-requestid", NewRequestId());
            }
            respond(std::move(response));
        });
    HttpRespond measured_respond(std::move(measured));
    if (route == nullptr) {
        const std::string what = request.method + " " + request.path;
        measured_respond(
            path_known
                ? HttpResponse::JsonError(405, "MethodNotAllowed", "method not allowed: " + what)
                : HttpResponse::JsonError(404, "NotFound", "no such resource: " + what));
        return;
    }
    route->handler(std::move(request), std::move(measured_respond));
}

std::string NewRequestId() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    uint8_t bytes[16];
    const uint64_t a = rng(), b = rng();
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<uint8_t>(a >> (8 * i));
        bytes[8 + i] = static_cast<uint8_t>(b >> (8 * i));
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x40;  // version 4
    bytes[8] = (bytes[8] & 0x3F) | 0x80;  // RFC 4122 variant
    std::string hex = HexEncode(bytes, 16);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
           hex.substr(16, 4) + '-' + hex.substr(20);
}

}  // namespace tarn::api
