// `tarn delivery status [NAME]` and `tarn delivery flush NAME`: a running server's delivery
// streams, through its REST API (GET /api/v1/deliveries[/NAME], POST
// /api/v1/deliveries/NAME/flush). `flush` returns once everything acknowledged before it is
// committed to the lake, so scripts wait for data without sleeping.
// Exit status: 0 done, 1 failed (the server's error on one line), 2 usage errors.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/http_call.h"

namespace tarn::cli {
namespace {

struct DeliveryFlags {
    std::string endpoint = "http://127.0.0.1:4566";
    std::string name;
    int64_t timeout_ms = 60'000;
};

int Fail(const char* command, const Status& status) {
    std::fprintf(stderr, "tarn delivery %s: %s\n", command, status.message().c_str());
    return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

// The server's answer, or its error ({"error": ..., "message": ...}) as a Status.
Result<nlohmann::json> Call(const DeliveryFlags& flags, std::string_view method,
                            const std::string& target) {
    TARN_ASSIGN_OR_RETURN(KinesisEndpoint endpoint, ParseKinesisEndpoint(flags.endpoint));
    TARN_ASSIGN_OR_RETURN(HttpReply reply, CallHttp(endpoint, method, target));
    nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
    if (reply.status != 200) {
        std::string message = body.is_object() && body.contains("message")
                                  ? body["message"].get<std::string>()
                                  : reply.body;
        return Status::Unavailable(message + " (HTTP " + std::to_string(reply.status) + ")");
    }
    if (body.is_discarded()) return Status::Unavailable("the server answered no JSON");
    return body;
}

int RunStatus(const DeliveryFlags& flags) {
    const std::string target =
        "/api/v1/deliveries" + (flags.name.empty() ? std::string() : "/" + flags.name);
    auto body = Call(flags, "GET", target);
    if (!body.ok()) return Fail("status", body.status());
    std::printf("%s\n", body->dump(2).c_str());
    return 0;
}

int RunFlush(const DeliveryFlags& flags) {
    std::fprintf(stderr, "flushing %s...\n", flags.name.c_str());
    auto body = Call(flags, "POST",
                     "/api/v1/deliveries/" + flags.name +
                         "/flush?timeout_ms=" + std::to_string(flags.timeout_ms));
    if (!body.ok()) return Fail("flush", body.status());
    std::printf("%s\n", body->dump().c_str());
    return 0;
}

}  // namespace

void AddDeliveryCommand(CLI::App& app, int* exit_code) {
    CLI::App* delivery =
        app.add_subcommand("delivery", "Delivery streams of a running server: status, flush");
    delivery->require_subcommand(1);
    auto flags = std::make_shared<DeliveryFlags>();
    CLI::App* status = delivery->add_subcommand("status", "State, buffer, lag and last commit");
    status->add_option("name", flags->name, "Delivery stream (default: all)");
    CLI::App* flush =
        delivery->add_subcommand("flush", "Deliver what is buffered now; wait for the commit");
    flush->add_option("name", flags->name, "Delivery stream")->required();
    flush->add_option("--timeout-ms", flags->timeout_ms, "Give up after this long (default 60000)");
    for (CLI::App* sub : {status, flush}) {
        sub->add_option("--endpoint", flags->endpoint,
                        "The server (default http://127.0.0.1:4566)");
    }
    status->callback([flags, exit_code] { *exit_code = RunStatus(*flags); });
    flush->callback([flags, exit_code] { *exit_code = RunFlush(*flags); });
}

}  // namespace tarn::cli
