// The edge port's own routes: GET /health → 200 {"status":"ok"}; GET /metrics → Prometheus text
// of MetricsRegistry::Global() plus process metrics (RSS, CPU, open fds, start time).
#pragma once

namespace tarn::api {

class Router;

void AddBuiltinRoutes(Router& router);

}  // namespace tarn::api
