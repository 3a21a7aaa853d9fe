// Router: maps (method, path) to handlers and measures every request.
//
// Routes are exact paths, or prefixes when registered with a trailing '*' ("/api/v1/*"). Each route
// has a label for metrics (`route` in tarn_http_requests_total and
// tarn_http_request_duration_seconds); a route may compute a finer label per request (the AWS JSON
// dispatcher labels by operation). Unknown paths answer 404 and known paths with another method
// 405, both as JSON. Every response gets an `x-amzn-requestid` header (AWS SDKs log it).
// Thread-safety: add every route before the server starts; Dispatch may then run on any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http.h"
#include "common/metrics.h"

namespace tarn::api {

class Router {
public:
    // `registry` holds the HTTP metrics; it must outlive the router and every answer in flight.
    explicit Router(MetricsRegistry& registry = MetricsRegistry::Global());

    using LabelFn = std::function<std::string(const HttpRequest&)>;
    void Add(std::string method, std::string path, std::string label, HttpHandler handler);
    void Add(std::string method, std::string path, LabelFn label, HttpHandler handler);

    // Routes the request and calls `respond` exactly once (possibly later, from another thread).
    void Dispatch(HttpRequest request, HttpRespond respond) const;

private:
    struct Route {
        std::string method;
        std::string path;  // without the trailing '*' for prefix routes
        bool prefix = false;
        LabelFn label;
        HttpHandler handler;
    };
    const Route* Find(const HttpRequest& request, bool* path_known) const;

    std::vector<Route> routes_;
    MetricFamily<Counter>& requests_;
    MetricFamily<Histogram>& latency_;
};

// A fresh random request id (UUID v4 text).
std::string NewRequestId();

}  // namespace tarn::api
