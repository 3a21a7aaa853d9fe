// Internal to the Kinesis producer (kinesis_producer.cc, kinesis_control.cc): the HTTP pieces both
// the data plane (PutRecords) and the control plane (CreateStream, DescribeStreamSummary) use.
// Includes Beast, so only those two files include it. Thread-safety: SigningHeaders is used by one
// thread at a time; the functions are safe from any thread.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli/kinesis_producer.h"
#include "common/time_format.h"

namespace tarn::cli::kinesis_http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

inline constexpr auto kUse = asio::as_tuple(asio::use_awaitable);
inline constexpr auto kConnectTimeout = std::chrono::seconds(10);
inline constexpr auto kRequestTimeout = std::chrono::seconds(60);
inline constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";

inline std::string EnvOr(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

// X-Amz-Date and an Authorization header of SigV4's shape, recomputed once a second. The
// signature is zeros: computing it would hash every body, and neither tarn nor kinesalite
// checks it.
class SigningHeaders {
public:
    SigningHeaders()
        : access_key_(EnvOr("AWS_ACCESS_KEY_ID", "tarn")),
          region_(EnvOr("AWS_REGION", EnvOr("AWS_DEFAULT_REGION", "us-east-1").c_str())) {}

    void Apply(http::fields& fields) {
        const auto now = std::chrono::system_clock::now();
        const int64_t second =
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        if (second != second_) Recompute(second);
        fields.set("X-Amz-Date", amz_date_);
        fields.set(http::field::authorization, authorization_);
    }

private:
    void Recompute(int64_t second) {
        second_ = second;
        int64_t year;
        unsigned month, day;
        CivilFromDays(second / 86400, &year, &month, &day);
        const int64_t in_day = second % 86400;
        char date[32];
        std::snprintf(
            date, sizeof date, "%04lld%02u%02uT%02lld%02lld%02lldZ", static_cast<long long>(year),
            month, day, static_cast<long long>(in_day / 3600),
            static_cast<long long>(in_day / 60 % 60), static_cast<long long>(in_day % 60));
        amz_date_ = date;
        authorization_ = "AWS4-HMAC-SHA256 Credential=" + access_key_ + "/" +
                         amz_date_.substr(0, 8) + "/" + region_ +
                         "/kinesis/aws4_request, "
                         "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" +
                         std::string(64, '0');
    }

    std::string access_key_;
    std::string region_;
    int64_t second_ = -1;
    std::string amz_date_;
    std::string authorization_;
};

// Headers of an AWS JSON 1.1 call with the whole X-Amz-Target ("Firehose_20150804.PutRecordBatch").
template <typename Body>
void SetAwsJsonHeaders(const KinesisEndpoint& endpoint, std::string_view target,
                       http::request<Body>* request) {
    request->set(http::field::host, endpoint.host_header);
    request->set(http::field::content_type, "application/x-amz-json-1.1");
    request->set("X-Amz-Target", target);
    request->set(http::field::user_agent, "tarn-gen/0.1");
    request->keep_alive(true);
}

template <typename Body>
void SetKinesisHeaders(const KinesisEndpoint& endpoint, std::string_view operation,
                       http::request<Body>* request) {
    SetAwsJsonHeaders(endpoint, std::string(kTargetPrefix) + std::string(operation), request);
}

inline Result<tcp::resolver::results_type> Resolve(asio::io_context& io,
                                                   const KinesisEndpoint& endpoint) {
    tcp::resolver resolver(io);
    beast::error_code ec;
    auto results = resolver.resolve(endpoint.host, endpoint.port, ec);
    if (ec) return Status::Unavailable("cannot resolve " + endpoint.host + ": " + ec.message());
    return results;
}

inline Status ConnectError(const KinesisEndpoint& endpoint, const beast::error_code& ec) {
    return Status::Unavailable("cannot connect to http://" + endpoint.host_header + ": " +
                               ec.message());
}

inline Status ExchangeError(const KinesisEndpoint& endpoint, const beast::error_code& ec) {
    return Status::Unavailable("request to http://" + endpoint.host_header +
                               " failed: " + ec.message());
}

}  // namespace tarn::cli::kinesis_http
