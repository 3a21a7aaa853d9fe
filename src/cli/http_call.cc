#include "cli/http_call.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace tarn::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpReply> CallHttp(const KinesisEndpoint& endpoint, std::string_view method,
                           std::string_view target, std::string body) {
    const std::string where = "http://" + endpoint.host_header;
    try {
        asio::io_context io;
        tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::minutes(10));  // a flush may take a while
        stream.connect(resolver.resolve(endpoint.host, endpoint.port));
        http::request<http::string_body> request{
            method == "POST" ? http::verb::post : http::verb::get, std::string(target), 11};
        request.set(http::field::host, endpoint.host_header);
        request.set(http::field::user_agent, "tarn-cli/0.1");
        if (!body.empty()) request.set(http::field::content_type, "application/json");
        request.body() = std::move(body);
        request.prepare_payload();
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        return HttpReply{response.result_int(), std::move(response.body())};
    } catch (const boost::system::system_error& e) {
        return Status::Unavailable("cannot reach tarn at " + where + ": " + e.code().message());
    }
}

}  // namespace tarn::cli
