// tarn's REST control endpoints for delivery streams (for the CLI and the UI), and their metrics.
//
//   GET  /api/v1/deliveries               → 200 [status, ...] (by name)
//   GET  /api/v1/deliveries/NAME          → 200 {"name", "status", "type", "source_stream",
//        "buffered_records", "buffered_bytes", "lag_records", "lag_ms", "records_delivered",
//        "bytes_delivered", "objects_written", "commits", "errors": {kind: count},
//        "last_commit_ms", "last_error"}
//   POST /api/v1/deliveries/NAME/flush[?timeout_ms=N]  (default 60000) → 200 {"records", "objects"}
//        once everything durable in the source when the request arrived is committed to the lake.
//
// Errors answer {"error": code, "message": text}: 404 not_found (unknown delivery stream or path),
// 400 invalid_argument (a bad timeout_ms), 409 failed_precondition (a delivery stream that is
// not ACTIVE), 504 timeout (the flush did not finish in time),
// 503 unavailable (the service is closed or the pool is full), 500 internal.
//
// Metrics (RegisterDeliveryMetrics), read from DeliveryService::ListStatus at each scrape:
//   tarn_delivery_records_delivered_total{delivery}, tarn_delivery_bytes_delivered_total{delivery},
//   tarn_delivery_objects_written_total{delivery},
//   tarn_delivery_error_records_total{delivery,kind}, tarn_delivery_lag_records{delivery},
//   tarn_delivery_lag_ms{delivery}, tarn_delivery_buffered_bytes{delivery},
//   tarn_delivery_buffered_records{delivery}.
//
// Thread-safety: register before the server starts. Flush blocks, so it runs on `pool`; the
// other routes answer on the I/O thread.
#pragma once

#include "common/metrics.h"
#include "common/thread_pool.h"

namespace tarn::delivery {
class DeliveryService;
}

namespace tarn::api {

class Router;

// Does not take ownership: `service` and `pool` must outlive the server.
void AddDeliveryRoutes(Router& router, delivery::DeliveryService& service, ThreadPool& pool);

// REQUIRES: `service` outlives every later scrape of `registry` (stop the server that serves
// /metrics before destroying the service). Registering again replaces the previous service.
void RegisterDeliveryMetrics(MetricsRegistry& registry, delivery::DeliveryService& service);

}  // namespace tarn::api
