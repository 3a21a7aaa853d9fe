// The control plane of the Kinesis producer (kinesis_producer.h): the endpoint URL, and making
// sure the stream exists (DescribeStreamSummary, CreateStream), one short connection per call.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <thread>

#include "cli/kinesis_http.h"
#include "cli/kinesis_producer.h"
#include "cli/kinesis_records.h"
#include "common/json_escape.h"

namespace tarn::cli {
namespace {

using namespace kinesis_http;  // NOLINT: this file's vocabulary
using SteadyClock = std::chrono::steady_clock;

struct HttpAnswer {
    unsigned status = 0;
    std::string body;
};

asio::awaitable<void> CallOnce(const KinesisEndpoint& endpoint, tcp::resolver::results_type where,
                               std::string operation, std::string body, Result<HttpAnswer>* out) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(kConnectTimeout);
    if (auto [ec, _] = co_await stream.async_connect(where, kUse); ec) {
        *out = ConnectError(endpoint, ec);
        co_return;
    }
    http::request<http::string_body> request{http::verb::post, "/", 11};
    SetKinesisHeaders(endpoint, operation, &request);
    SigningHeaders signing;
    signing.Apply(request);
    request.body() = std::move(body);
    request.prepare_payload();
    stream.expires_after(kRequestTimeout);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    auto [write_ec, w] = co_await http::async_write(stream, request, kUse);
    auto [read_ec, r] = write_ec ? std::tuple(write_ec, size_t{0})
                                 : co_await http::async_read(stream, buffer, response, kUse);
    if (write_ec || read_ec) {
        *out = ExchangeError(endpoint, write_ec ? write_ec : read_ec);
        co_return;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    *out = HttpAnswer{response.result_int(), std::move(response.body())};
}

Result<HttpAnswer> CallKinesis(const KinesisEndpoint& endpoint, std::string_view operation,
                               std::string body) {
    asio::io_context io;
    TARN_ASSIGN_OR_RETURN(auto where, Resolve(io, endpoint));
    Result<HttpAnswer> out = Status::Internal("the call did not run");
    asio::co_spawn(io, CallOnce(endpoint, where, std::string(operation), std::move(body), &out),
                   asio::detached);
    io.run();
    return out;
}

}  // namespace

Result<KinesisEndpoint> ParseKinesisEndpoint(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    const auto bad = [&](std::string_view why) {
        return Status::InvalidArgument("endpoint '" + std::string(url) + "': " + std::string(why));
    };
    if (!url.starts_with(kScheme))
        return bad("expected http://HOST[:PORT] (https is not supported)");
    std::string_view rest = url.substr(kScheme.size());
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.empty() || rest.find('/') != std::string_view::npos) {
        return bad("expected http://HOST[:PORT] with no path");
    }
    KinesisEndpoint endpoint;
    const size_t colon = rest.rfind(':');
    const bool has_port = colon != std::string_view::npos && rest.find(']', colon) == rest.npos;
    endpoint.host = std::string(has_port ? rest.substr(0, colon) : rest);
    endpoint.port = has_port ? std::string(rest.substr(colon + 1)) : "80";
    if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
        endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);  // [::1]
    }
    const bool port_ok = !endpoint.port.empty() && endpoint.port.size() <= 5 &&
                         endpoint.port.find_first_not_of("0123456789") == std::string::npos &&
                         std::stoi(endpoint.port) > 0 && std::stoi(endpoint.port) < 65536;
    if (endpoint.host.empty() || !port_ok) return bad("expected http://HOST[:PORT]");
    endpoint.host_header = std::string(rest);
    return endpoint;
}

Status EnsureKinesisStream(const KinesisEndpoint& endpoint, std::string_view stream,
                           unsigned shards, std::chrono::milliseconds timeout) {
    std::string name_json;
    AppendJsonString(name_json, stream);
    const std::string describe = R"({"StreamName":)" + name_json + "}";
    const auto deadline = SteadyClock::now() + timeout;
    bool created = false;
    while (true) {
        TARN_ASSIGN_OR_RETURN(HttpAnswer answer,
                              CallKinesis(endpoint, "DescribeStreamSummary", describe));
        if (answer.status == 200) {
            TARN_ASSIGN_OR_RETURN(std::string status, ParseStreamStatus(&answer.body));
            if (status == "ACTIVE") return Status::Ok();
        } else if (!created && answer.body.find("ResourceNotFoundException") != std::string::npos) {
            const std::string create = R"({"StreamName":)" + name_json + R"(,"ShardCount":)" +
                                       std::to_string(shards) + "}";
            TARN_ASSIGN_OR_RETURN(HttpAnswer made, CallKinesis(endpoint, "CreateStream", create));
            // ResourceInUse: someone else created it meanwhile; wait for it like for ours.
            if (made.status != 200 &&
                made.body.find("ResourceInUseException") == std::string::npos) {
                return Status::Unavailable("CreateStream: " +
                                           DescribeAwsError(made.status, made.body));
            }
            created = true;
            continue;
        } else {
            return Status::Unavailable("DescribeStreamSummary: " +
                                       DescribeAwsError(answer.status, answer.body));
        }
        if (SteadyClock::now() > deadline) {
            return Status::Unavailable("stream " + std::string(stream) + " is not ACTIVE after " +
                                       std::to_string(timeout.count()) + " ms");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a remote state
    }
}

}  // namespace tarn::cli
