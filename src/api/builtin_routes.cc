#include "api/builtin_routes.h"

#include <chrono>

#include "api/router.h"
#include "common/metrics.h"

namespace tarn::api {
namespace {

void RegisterProcessMetrics(MetricsRegistry& registry) {
    using Type = MetricsRegistry::CallbackType;
    static const double start_seconds =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    registry.AddCallback("process_resident_memory_bytes", "Resident memory size in bytes",
                         Type::kGauge, [] { return static_cast<double>(ProcessResidentBytes()); });
    registry.AddCallback("process_cpu_seconds_total", "User and system CPU time spent in seconds",
                         Type::kCounter, [] { return ProcessCpuSeconds(); });
    registry.AddCallback("process_open_fds", "Number of open file descriptors", Type::kGauge,
                         [] { return static_cast<double>(ProcessOpenFds()); });
    registry.AddCallback("process_start_time_seconds",
                         "Start time of the process since unix epoch in seconds", Type::kGauge,
                         [] { return start_seconds; });
}

}  // namespace

void AddBuiltinRoutes(Router& router) {
    RegisterProcessMetrics(MetricsRegistry::Global());
    router.Add("GET", "/health", "/health", [](HttpRequest, HttpRespond respond) {
        respond(HttpResponse::Json(200, R"({"status":"ok"})"));
    });
    router.Add("GET", "/metrics", "/metrics", [](HttpRequest, HttpRespond respond) {
        respond(HttpResponse::Text(200, MetricsRegistry::Global().RenderPrometheus(),
                                   "text/plain; version=0.0.4; charset=utf-8"));
    });
}

}  // namespace tarn::api
