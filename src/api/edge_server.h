// EdgeServer: tarn's one HTTP port (default 127.0.0.1:4566) for the AWS JSON APIs, the REST API,
// the web UI, /health and /metrics.
//
// HTTP/1.1 with keep-alive and pipelining (tarn's own parser, http1_parser.h, on Asio) and h2c
// (libnghttp2), served by a pool of I/O threads; every request is handed to a Router. Limits: request bodies above `max_body_bytes` answer 413 and headers above
// `max_header_bytes` 431 (JSON bodies); malformed requests 400; connections idle longer than
// `idle_timeout` are closed. Stop() is graceful: it stops accepting, closes idle connections, lets
// requests in flight finish and answer (with `Connection: close`) for up to `drain_timeout`, then
// closes whatever is left.
// Thread-safety: Start and Stop from one controlling thread; port()/endpoint() from any thread once
// Start has returned OK.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"

namespace tarn::api {

class Router;

struct EdgeServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 4566;  // 0: any free port (see port())
    int io_threads = 0;    // 0: one per core, at least 2
    size_t max_body_bytes = 16u << 20;
    size_t max_header_bytes = 64u << 10;
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
};

class EdgeServer {
public:
    // Does not take ownership of `router`, which must outlive the server.
    EdgeServer(EdgeServerOptions options, const Router& router);
    ~EdgeServer();  // Stop()s
    EdgeServer(const EdgeServer&) = delete;
    EdgeServer& operator=(const EdgeServer&) = delete;

    // Binds and starts serving. Fails with a clear message when the address is unusable or the
    // port is taken ("127.0.0.1:4566 is already in use").
    Status Start();
    // Graceful stop (see above); idempotent.
    void Stop();

    uint16_t port() const;
    std::string endpoint() const;  // "http://<host>:<port>"

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tarn::api
