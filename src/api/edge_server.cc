#include "api/edge_server.h"

#include <boost/beast/http.hpp>
#include <condition_variable>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "api/edge_internal.h"
#include "api/http_respond_state.h"
#include "api/router.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace tarn::api {

using namespace edge;  // NOLINT: the internal names of this module
namespace http = beast::http;

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);

// One HTTP/1.1 connection; hands itself over to an h2c session when the client opens with the
// HTTP/2 preface. Every member runs on the connection's strand.
class Http1Session : public Connection, public std::enable_shared_from_this<Http1Session> {
public:
    Http1Session(EdgeContext& server, tcp::socket socket, uint64_t id)
        : server_(server), stream_(std::move(socket)), id_(id) {
        beast::error_code ec;
        auto remote = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_address_ = remote.address().to_string();
    }

    void Start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Detect(); });
    }

    void Drain() override {
        if (!busy_) Close();
    }
    void ForceClose() override { Close(); }
    net::any_io_executor executor() override { return stream_.get_executor(); }

private:
    // Reads until the first bytes tell HTTP/1.1 from the HTTP/2 preface.
    void Detect() {
        const std::string_view seen(static_cast<const char*>(buffer_.data().data()),
                                    buffer_.size());
        const size_t n = std::min(seen.size(), kHttp2Preface.size());
        if (seen.substr(0, n) != kHttp2Preface.substr(0, n)) {
            server_.CountProtocol("http/1.1");
            ReadRequest();  // HTTP/1.x: the parser starts from what is already buffered
            return;
        }
        if (n == kHttp2Preface.size()) {
            closed_ = true;  // the socket now belongs to the HTTP/2 session
            server_.CountProtocol("h2c");
            StartHttp2Session(server_, std::move(stream_), id_, std::string(seen), remote_address_);
            return;
        }
        stream_.expires_after(server_.options().idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                                    if (ec) {
                                        self->Close();
                                        return;
                                    }
                                    self->buffer_.commit(bytes);
                                    self->Detect();
                                });
    }

    void ReadRequest() {
        if (closed_) return;
        parser_.emplace();
        parser_->body_limit(server_.options().max_body_bytes);
        parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
        stream_.expires_after(server_.options().idle_timeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
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
            LowercaseAscii(name);
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = std::move(raw.body());
        request.http_version = static_cast<int>(version);
        request.remote_address = remote_address_;

        auto state = std::make_shared<HttpRespond::State>(
            AnswerOnStrand(weak_from_this(), server_.answer_gate(),
                           [keep_alive, version, head](Http1Session& self, HttpResponse response) {
                               self.Write(std::move(response), keep_alive, version, head);
                           }));
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
        TARN_LOG_DEBUG("edge.bad_request",
                       {{"remote", remote_address_}, {"status", status}, {"error", message}});
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
        http::async_write(
            stream_, response_,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
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
        ShutdownAndClose(stream_);
        server_.ConnectionClosed(id_);
    }

    EdgeContext& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    std::string remote_address_;
    uint64_t id_;
    bool busy_ = false;
    bool closed_ = false;
};

}  // namespace

class EdgeServer::Impl : public EdgeContext {
public:
    Impl(EdgeServerOptions options, const Router& router)
        : options_(std::move(options)),
          router_(router),
          connections_active_(MetricsRegistry::Global().AddGauge(
              "tarn_http_connections_active", "Open HTTP connections on the edge port")),
          connections_by_protocol_(MetricsRegistry::Global().AddCounterFamily(
              "tarn_http_connections_total", "HTTP connections on the edge port, by protocol",
              {"protocol"})),
          acceptor_(ioc_) {}

    ~Impl() override {
        Stop();
        {
            std::lock_guard lock(answer_gate_->mutex);
            answer_gate_->open = false;
        }
        // Connections must die before the io_context their sockets belong to.
        std::lock_guard lock(connections_mutex_);
        connections_.clear();
    }

    Status Start();
    void Stop();
    uint16_t port() const { return port_; }

    const EdgeServerOptions& options() const override { return options_; }
    const Router& router() const override { return router_; }
    bool stopping() const override { return stopping_.load(); }
    const std::shared_ptr<AnswerGate>& answer_gate() const override { return answer_gate_; }
    void ConnectionReplaced(uint64_t id, std::shared_ptr<Connection> connection) override {
        std::lock_guard lock(connections_mutex_);
        connections_[id] = std::move(connection);
    }
    void CountProtocol(std::string_view protocol) override {
        connections_by_protocol_.With({protocol}).Inc();
    }
    void ConnectionClosed(uint64_t id) override {
        connections_active_.Add(-1);
        std::lock_guard lock(connections_mutex_);
        connections_.erase(id);
        connections_cv_.notify_all();
    }

private:
    Status Bind();
    void Accept();
    // Posts fn(connection) to every open connection's strand.
    template <typename Fn>
    void ForEachConnection(Fn fn);

    EdgeServerOptions options_;
    const Router& router_;
    uint16_t port_ = 0;
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<uint64_t> next_connection_id_{1};

    std::shared_ptr<AnswerGate> answer_gate_ = std::make_shared<AnswerGate>();
    // Open connections, owned here until they close (their I/O handlers hold them too).
    std::mutex connections_mutex_;
    std::condition_variable connections_cv_;
    std::map<uint64_t, std::shared_ptr<Connection>> connections_;
    Gauge& connections_active_;
    MetricFamily<Counter>& connections_by_protocol_;

    net::io_context ioc_;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
    tcp::acceptor acceptor_;
    std::vector<std::thread> threads_;
};

Status EdgeServer::Impl::Bind() {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results =
        resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
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
        return Status::FailedPrecondition(where +
                                          " is already in use (is another tarn or "
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
    acceptor_.async_accept(
        net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
            if (!ec && !stopping_) {
                const uint64_t id = next_connection_id_++;
                auto session = std::make_shared<Http1Session>(*this, std::move(socket), id);
                connections_active_.Add(1);
                ConnectionReplaced(id, session);
                session->Start();
            } else if (ec) {
                TARN_LOG_WARN("edge.accept_failed", {{"error", ec.message()}});
            }
            if (!stopping_) Accept();
        });
}

template <typename Fn>
void EdgeServer::Impl::ForEachConnection(Fn fn) {
    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard lock(connections_mutex_);
        for (auto& [id, connection] : connections_) live.push_back(connection);
    }
    for (auto& c : live) net::post(c->executor(), [c, fn] { fn(*c); });
}

void EdgeServer::Impl::Stop() {
    if (!started_ || stopping_.exchange(true)) return;
    TARN_LOG_INFO("edge.stopping", {{"port", port_}});
    net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
    });
    ForEachConnection([](Connection& c) { c.Drain(); });
    size_t forced = 0;
    {
        std::unique_lock lock(connections_mutex_);
        if (!connections_cv_.wait_for(lock, options_.drain_timeout,
                                      [this] { return connections_.empty(); })) {
            forced = connections_.size();
        }
    }
    if (forced > 0) {
        ForEachConnection([](Connection& c) { c.ForceClose(); });
        std::unique_lock lock(connections_mutex_);
        connections_cv_.wait_for(lock, std::chrono::seconds(2),
                                 [this] { return connections_.empty(); });
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
