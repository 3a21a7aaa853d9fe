#include "api/edge_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/http_respond_state.h"
#include "api/router.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace tarn::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kWriteTimeout = std::chrono::seconds(30);

}  // namespace

class EdgeServer::Impl {
public:
    Impl(EdgeServerOptions options, const Router& router)
        : options_(std::move(options)),
          router_(router),
          connections_active_(MetricsRegistry::Global().AddGauge(
              "tarn_http_connections_active", "Open HTTP connections on the edge port")),
          connections_total_(MetricsRegistry::Global().AddCounter(
              "tarn_http_connections_total", "HTTP connections accepted on the edge port")),
          acceptor_(ioc_) {}

    Status Start();
    void Stop();

    const EdgeServerOptions& options() const { return options_; }
    const Router& router() const { return router_; }
    bool stopping() const { return stopping_.load(); }
    uint16_t port() const { return port_; }

    class Session;
    void SessionStarted(uint64_t id, std::weak_ptr<Session> session);
    void SessionEnded(uint64_t id);

private:
    void Accept();
    Status Bind();

    EdgeServerOptions options_;
    const Router& router_;
    uint16_t port_ = 0;
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<uint64_t> next_session_id_{1};

    // Declared before ioc_ so that they outlive it: sessions still queued in ioc_ when it is
    // destroyed unregister themselves here.
    std::mutex sessions_mutex_;
    std::condition_variable sessions_cv_;
    std::map<uint64_t, std::weak_ptr<Session>> sessions_;
    Gauge& connections_active_;
    Counter& connections_total_;

    net::io_context ioc_;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
    tcp::acceptor acceptor_;
    std::vector<std::thread> threads_;
};

// One HTTP/1.1 connection. Every member runs on the connection's strand.
class EdgeServer::Impl::Session : public std::enable_shared_from_this<Session> {
public:
    Session(Impl& server, tcp::socket socket, uint64_t id)
        : server_(server), stream_(std::move(socket)), id_(id) {
        beast::error_code ec;
        auto remote = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_address_ = remote.address().to_string();
    }
    ~Session() { server_.SessionEnded(id_); }

    void Start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
    }

    // Called (on the strand) when the server stops: idle connections close now, busy ones after
    // their answer is written.
    void Drain() {
        if (!busy_) Close();
    }
    void ForceClose() { Close(); }
    auto executor() { return stream_.get_executor(); }

private:
    void ReadRequest() {
        if (closed_) return;
        parser_.emplace();
        parser_->body_limit(server_.options().max_body_bytes);
        parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
        stream_.expires_after(server_.options().idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                             self->OnRead(ec);
                         });
    }

    void OnRead(beast::error_code ec) {
        if (ec) {
            HandleReadError(ec);
            return;
        }
        busy_ = true;
        http::request<http::string_body> raw = parser_->release();
        const bool keep_alive = raw.keep_alive();
        const unsigned version = raw.version();
        const bool head = raw.method() == http::verb::head;

        HttpRequest request;
        request.method = std::string(raw.method_string());
        request.target = std::string(raw.target());
        const size_t q = request.target.find('?');
        request.path = request.target.substr(0, q);
        if (q != std::string::npos) request.query = request.target.substr(q + 1);
        request.headers.reserve(16);
        for (const auto& field : raw) {
            std::string name(field.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = std::move(raw.body());
        request.http_version = static_cast<int>(version);
        request.remote_address = remote_address_;

        auto state = std::make_shared<HttpRespond::State>(
            [self = shared_from_this(), keep_alive, version, head](HttpResponse response) {
                net::post(self->stream_.get_executor(),
                          [self, keep_alive, version, head, r = std::move(response)]() mutable {
                              self->Write(std::move(r), keep_alive, version, head);
                          });
            });
        server_.router().Dispatch(std::move(request), HttpRespond(std::move(state)));
    }

    void HandleReadError(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            WriteErrorAndClose(413, "RequestEntityTooLarge",
                               "request body larger than " +
                                   std::to_string(server_.options().max_body_bytes) + " bytes");
        } else if (ec == http::error::header_limit) {
            WriteErrorAndClose(431, "RequestHeaderFieldsTooLarge",
                               "request headers larger than " +
                                   std::to_string(server_.options().max_header_bytes) + " bytes");
        } else if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
                   ec != http::error::end_of_stream && ec != http::error::partial_message) {
            WriteErrorAndClose(400, "BadRequest", "malformed HTTP request: " + ec.message());
        } else {
            // end of stream, timeout, reset, or cancelled by Stop(): nothing to answer.
            Close();
        }
    }

    void WriteErrorAndClose(int status, std::string_view code, const std::string& message) {
        TARN_LOG_DEBUG("edge.bad_request", {{"remote", remote_address_}, {"status", status},
                                            {"error", message}});
        busy_ = true;
        Write(HttpResponse::JsonError(status, code, message), /*keep_alive=*/false, 11, false);
    }

    void Write(HttpResponse response, bool keep_alive, unsigned version, bool head) {
        if (closed_) return;
        response_ = {};
        response_.version(version);
        response_.result(static_cast<unsigned>(response.status));
        for (auto& [name, value] : response.headers) response_.set(name, value);
        response_.set(http::field::server, "tarn");
        response_.keep_alive(keep_alive && !server_.stopping());
        const size_t body_size = response.body.size();
        if (head) {
            response_.content_length(body_size);
        } else {
            response_.body() = std::move(response.body);
            response_.prepare_payload();
        }
        stream_.expires_after(kWriteTimeout);
        http::async_write(stream_, response_,
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnWrite(ec);
                          });
    }

    void OnWrite(beast::error_code ec) {
        busy_ = false;
        if (ec || !response_.keep_alive() || server_.stopping()) {
            Close();
            return;
        }
        ReadRequest();
    }

    void Close() {
        if (closed_) return;
        closed_ = true;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
    }

    Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    std::string remote_address_;
    uint64_t id_;
    bool busy_ = false;
    bool closed_ = false;
};

Status EdgeServer::Impl::Bind() {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive, ec);
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    if (ec || results.empty()) {
        return Status::InvalidArgument("cannot resolve listen address " + where + ": " +
                                       ec.message());
    }
    const tcp::endpoint endpoint = results.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (ec == net::error::address_in_use) {
        return Status::FailedPrecondition(where + " is already in use (is another tarn or "
                                          "LocalStack running? choose another --port)");
    }
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IOError("cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
}

Status EdgeServer::Impl::Start() {
    TARN_RETURN_IF_ERROR(Bind());
    work_.emplace(net::make_work_guard(ioc_));
    int threads = options_.io_threads;
    if (threads <= 0) threads = std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
    Accept();
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    started_ = true;
    TARN_LOG_INFO("edge.listening",
                  {{"host", options_.host}, {"port", port_}, {"io_threads", threads}});
    return Status::Ok();
}

void EdgeServer::Impl::Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        if (!ec && !stopping_) {
            const uint64_t id = next_session_id_++;
            auto session = std::make_shared<Session>(*this, std::move(socket), id);
            SessionStarted(id, session);
            session->Start();
        } else if (ec) {
            TARN_LOG_WARN("edge.accept_failed", {{"error", ec.message()}});
        }
        if (!stopping_) Accept();
    });
}

void EdgeServer::Impl::SessionStarted(uint64_t id, std::weak_ptr<Session> session) {
    connections_total_.Inc();
    connections_active_.Add(1);
    std::lock_guard lock(sessions_mutex_);
    sessions_.emplace(id, std::move(session));
}

void EdgeServer::Impl::SessionEnded(uint64_t id) {
    connections_active_.Add(-1);
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(id);
    sessions_cv_.notify_all();
}

void EdgeServer::Impl::Stop() {
    if (!started_ || stopping_.exchange(true)) return;
    TARN_LOG_INFO("edge.stopping", {{"port", port_}});
    net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
    });
    auto for_each_session = [this](auto fn) {
        std::vector<std::shared_ptr<Session>> live;
        {
            std::lock_guard lock(sessions_mutex_);
            for (auto& [id, weak] : sessions_) {
                if (auto s = weak.lock()) live.push_back(std::move(s));
            }
        }
        for (auto& s : live) net::post(s->executor(), [s, fn] { fn(*s); });
    };
    for_each_session([](Session& s) { s.Drain(); });
    size_t forced = 0;
    {
        std::unique_lock lock(sessions_mutex_);
        if (!sessions_cv_.wait_for(lock, options_.drain_timeout, [this] { return sessions_.empty(); })) {
            forced = sessions_.size();
        }
    }
    if (forced > 0) {
        for_each_session([](Session& s) { s.ForceClose(); });
        std::unique_lock lock(sessions_mutex_);
        sessions_cv_.wait_for(lock, std::chrono::seconds(2), [this] { return sessions_.empty(); });
    }
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    TARN_LOG_INFO("edge.stopped", {{"port", port_}, {"forced_connections", forced}});
}

EdgeServer::EdgeServer(EdgeServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
EdgeServer::~EdgeServer() { Stop(); }
Status EdgeServer::Start() { return impl_->Start(); }
void EdgeServer::Stop() { impl_->Stop(); }
uint16_t EdgeServer::port() const { return impl_->port(); }
std::string EdgeServer::endpoint() const {
    const std::string& host = impl_->options().host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port());
}

}  // namespace tarn::api
