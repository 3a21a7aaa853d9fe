#include "api/delivery_routes.h"

#include <charconv>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/router.h"
#include "delivery/delivery_service.h"

namespace tarn::api {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kCollection = "/api/v1/deliveries";
constexpr int64_t kDefaultFlushTimeoutMs = 60'000;
constexpr int64_t kMaxFlushTimeoutMs = 3'600'000;

HttpResponse JsonAnswer(int status, const Json& body) {
    return HttpResponse::Json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse ErrorAnswer(int status, std::string_view error, std::string_view message) {
    return JsonAnswer(status, Json{{"error", error}, {"message", message}});
}

HttpResponse ErrorFromStatus(const Status& status) {
    // A flush that did not finish in time (delivery_service.h).
    if (status.code() == StatusCode::kExpired) {
        return ErrorAnswer(504, "timeout", status.message());
    }
    switch (status.code()) {
        case StatusCode::kNotFound:
            return ErrorAnswer(404, "not_found", status.message());
        case StatusCode::kInvalidArgument:
            return ErrorAnswer(400, "invalid_argument", status.message());
        case StatusCode::kFailedPrecondition:
            return ErrorAnswer(409, "failed_precondition", status.message());
        case StatusCode::kUnavailable:
        case StatusCode::kIOError:
        case StatusCode::kAborted:
            return ErrorAnswer(503, "unavailable", status.message());
        default:
            return ErrorAnswer(500, "internal", status.message());
    }
}

Json StatusJson(const delivery::DeliveryStatus& s) {
    Json errors = Json::object();
    for (const auto& [kind, count] : s.error_records) errors[kind] = count;
    return {{"name", s.config.name},
            {"status", std::string(delivery::DeliveryStreamStatusName(s.config.status))},
            {"type", std::string(delivery::DeliveryStreamTypeName(s.config.type))},
            {"source_stream", s.source_stream},
            {"buffered_records", s.buffered_records},
            {"buffered_bytes", s.buffered_bytes},
            {"lag_records", s.lag_records},
            {"lag_ms", s.lag_ms},
            {"records_delivered", s.records_delivered},
            {"bytes_delivered", s.bytes_delivered},
            {"objects_written", s.objects_written},
            {"commits", s.commits},
            {"errors", std::move(errors)},
            {"last_commit_ms", s.last_commit_ms},
            {"last_error", s.last_error}};
}

// The value of `key` in a query string ("a=1&timeout_ms=500"); empty when absent.
std::string_view QueryValue(std::string_view query, std::string_view key) {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const size_t eq = pair.find('=');
        if (pair.substr(0, eq) == key) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
    }
    return {};
}

Result<std::chrono::milliseconds> FlushTimeout(std::string_view query) {
    std::string_view text = QueryValue(query, "timeout_ms");
    if (text.empty()) return std::chrono::milliseconds(kDefaultFlushTimeoutMs);
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || end != text.data() + text.size() || ms < 1 ||
        ms > kMaxFlushTimeoutMs) {
        return Status::InvalidArgument("timeout_ms must be an integer in [1, " +
                                       std::to_string(kMaxFlushTimeoutMs) + "], not '" +
                                       std::string(text) + "'");
    }
    return std::chrono::milliseconds(ms);
}

// "NAME" of /api/v1/deliveries/NAME, or "NAME" and "flush" of .../NAME/flush.
struct Target {
    std::string name;
    std::string action;  // "" or the segment after the name
    bool valid = false;
};
Target ParseTarget(std::string_view path) {
    std::string_view rest = path.substr(kCollection.size());
    if (!rest.starts_with('/')) return {};
    rest.remove_prefix(1);
    const size_t slash = rest.find('/');
    Target target;
    target.name = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) target.action = std::string(rest.substr(slash + 1));
    target.valid = !target.name.empty() && target.action.find('/') == std::string::npos;
    return target;
}

void Flush(delivery::DeliveryService& service, ThreadPool& pool, const HttpRequest& request,
           const HttpRespond& respond, const std::string& name) {
    auto timeout = FlushTimeout(request.query);
    if (!timeout.ok()) return respond(ErrorFromStatus(timeout.status()));
    // Flush waits for a lake commit: never on an I/O thread.
    Status queued = pool.Submit([&service, respond, name, timeout = *timeout] {
        auto flushed = service.Flush(name, timeout);
        if (!flushed.ok()) return respond(ErrorFromStatus(flushed.status()));
        respond(
            JsonAnswer(200, Json{{"records", flushed->records}, {"objects", flushed->objects}}));
    });
    if (!queued.ok()) respond(ErrorAnswer(503, "unavailable", queued.message()));
}

}  // namespace

void AddDeliveryRoutes(Router& router, delivery::DeliveryService& service, ThreadPool& pool) {
    const std::string collection(kCollection);
    router.Add("GET", collection, collection, [&service](HttpRequest, HttpRespond respond) {
        Json out = Json::array();
        for (const delivery::DeliveryStatus& status : service.ListStatus()) {
            out.push_back(StatusJson(status));
        }
        respond(JsonAnswer(200, out));
    });
    const std::string item = collection + "/*";
    router.Add("GET", item, collection + "/{name}",
               [&service](HttpRequest request, HttpRespond respond) {
                   Target target = ParseTarget(request.path);
                   if (!target.valid || !target.action.empty()) {
                       return respond(ErrorAnswer(404, "not_found", "no such path"));
                   }
                   auto status = service.GetStatus(target.name);
                   if (!status.ok()) return respond(ErrorFromStatus(status.status()));
                   respond(JsonAnswer(200, StatusJson(*status)));
               });
    router.Add("POST", item, collection + "/{name}/flush",
               [&service, &pool](HttpRequest request, HttpRespond respond) {
                   Target target = ParseTarget(request.path);
                   if (!target.valid || target.action != "flush") {
                       return respond(ErrorAnswer(404, "not_found", "no such path"));
                   }
                   Flush(service, pool, request, respond, target.name);
               });
}

void RegisterDeliveryMetrics(MetricsRegistry& registry, delivery::DeliveryService& service) {
    using Type = MetricsRegistry::CallbackType;
    using Field = double (*)(const delivery::DeliveryStatus&);
    const auto add = [&](const char* name, const char* help, Type type, Field field) {
        registry.AddCallbackFamily(name, help, type, {"delivery"}, [&service, field] {
            MetricsRegistry::LabelledSamples samples;
            for (const delivery::DeliveryStatus& s : service.ListStatus()) {
                samples.push_back({{s.config.name}, field(s)});
            }
            return samples;
        });
    };
    add("tarn_delivery_records_delivered_total", "User records committed to the lake.",
        Type::kCounter, [](const auto& s) { return static_cast<double>(s.records_delivered); });
    add("tarn_delivery_bytes_delivered_total", "Object bytes committed to the lake.",
        Type::kCounter, [](const auto& s) { return static_cast<double>(s.bytes_delivered); });
    add("tarn_delivery_objects_written_total", "Objects committed to the lake.", Type::kCounter,
        [](const auto& s) { return static_cast<double>(s.objects_written); });
    add("tarn_delivery_lag_records",
        "Records durable in the source and not yet committed to the lake.", Type::kGauge,
        [](const auto& s) { return static_cast<double>(s.lag_records); });
    add("tarn_delivery_lag_ms", "Age of the oldest record not yet committed to the lake.",
        Type::kGauge, [](const auto& s) { return static_cast<double>(s.lag_ms); });
    add("tarn_delivery_buffered_bytes", "Bytes read from the source and not yet delivered.",
        Type::kGauge, [](const auto& s) { return static_cast<double>(s.buffered_bytes); });
    add("tarn_delivery_buffered_records", "Records read from the source and not yet delivered.",
        Type::kGauge, [](const auto& s) { return static_cast<double>(s.buffered_records); });
    registry.AddCallbackFamily(
        "tarn_delivery_error_records_total", "Records sent to the error output, by error kind.",
        Type::kCounter, {"delivery", "kind"}, [&service] {
            MetricsRegistry::LabelledSamples samples;
            for (const delivery::DeliveryStatus& s : service.ListStatus()) {
                for (const auto& [kind, count] : s.error_records) {
                    samples.push_back({{s.config.name, kind}, static_cast<double>(count)});
                }
            }
            return samples;
        });
}

}  // namespace tarn::api
