#include "api/edge_server.h"

#include <array>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "api/edge_internal.h"
#include "api/http1_parser.h"
#include "api/http_respond_state.h"
#include "api/router.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace tarn::api {

using namespace edge;  // NOLINT: the internal names of this module

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr size_t kReadChunk = 64 * 1024;  // what one read asks for while a head is awaited
// Bodies get this much spare capacity: the JSON parser (simdjson) needs padding after the text,
// and a body that has it is parsed where it lies instead of being copied.
constexpr size_t kBodyPadding = 64;

using SteadyClock = std::chrono::steady_clock;

// One HTTP/1.1 connection (its own parser, http1_parser.h); hands itself over to an h2c session
// when the client opens with the HTTP/2 preface. Every member runs on the connection's strand,
// except Expired(), which the server's sweeper calls from anywhere.
//
// Cost per request is what the ingest rate hangs on: a body is read straight into the string the
// handler gets (no intermediate buffer), an answer goes out in one gather write, and timeouts are
// a deadline that a sweeper checks (no timer re-armed per request).
class Http1Session : public Connection, public std::enable_shared_from_this<Http1Session> {
public:
    Http1Session(EdgeContext& server, tcp::socket socket, uint64_t id)
        : server_(server), socket_(std::move(socket)), id_(id) {
        beast::error_code ec;
        auto remote = socket_.remote_endpoint(ec);
        if (!ec) remote_address_ = remote.address().to_string();
        socket_.set_option(tcp::no_delay(true), ec);
        in_.resize(kReadChunk);
    }

    void Start() {
        net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Detect(); });
    }

    void Drain() override {
        if (!busy_) Close();
    }
    void ForceClose() override { Close(); }
    net::any_io_executor executor() override { return socket_.get_executor(); }
    bool Expired(SteadyClock::time_point now) const override {
        const int64_t deadline = deadline_ns_.load(std::memory_order_relaxed);
        return deadline != 0 && now.time_since_epoch().count() > deadline;
    }
    void TimedOut() override {
        if (Expired(SteadyClock::now())) Close();
    }

private:
    std::string_view Buffered() const { return {in_.data() + in_begin_, in_end_ - in_begin_}; }

    void SetDeadline(SteadyClock::duration after) {
        deadline_ns_.store((SteadyClock::now() + after).time_since_epoch().count(),
                           std::memory_order_relaxed);
    }
    void ClearDeadline() { deadline_ns_.store(0, std::memory_order_relaxed); }

    // Reads more bytes into in_ (compacting or growing it first), then calls then().
    template <typename Then>
    void ReadMore(Then then) {
        if (in_begin_ > 0) {
            std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
            in_end_ -= in_begin_;
            in_begin_ = 0;
        }
        if (in_.size() - in_end_ < kReadChunk / 2) in_.resize(in_.size() * 2);
        socket_.async_read_some(
            net::buffer(in_.data() + in_end_, in_.size() - in_end_),
            [self = shared_from_this(), then](beast::error_code ec, size_t bytes) {
                if (ec || self->closed_) {
                    self->Close();  // end of stream, reset, or closed by a timeout or Stop()
                    return;
                }
                self->in_end_ += bytes;
                then();
            });
    }

    // Reads until the first bytes tell HTTP/1.1 from the HTTP/2 preface.
    void Detect() {
        const std::string_view seen = Buffered();
        const size_t n = std::min(seen.size(), kHttp2Preface.size());
        if (seen.substr(0, n) != kHttp2Preface.substr(0, n)) {
            server_.CountProtocol("http/1.1");
            NextRequest();
            return;
        }
        if (n == kHttp2Preface.size()) {
            closed_ = true;  // the socket now belongs to the HTTP/2 session
            ClearDeadline();
            server_.CountProtocol("h2c");
            StartHttp2Session(server_, beast::tcp_stream(std::move(socket_)), id_,
                              std::string(seen), remote_address_);
            return;
        }
        SetDeadline(server_.options().idle_timeout);
        ReadMore([this] { Detect(); });
    }

    // Parses the next request head from what is buffered (pipelined requests are), reading more
    // while it is incomplete.
    void NextRequest() {
        if (closed_) return;
        SetDeadline(server_.options().idle_timeout);
        Http1Error error;
        switch (ParseHttp1Head(Buffered(), &head_, &error)) {
            case HeadParse::kError:
                WriteErrorAndClose(error.status, error.status == 505 ? "HTTPVersionNotSupported"
                                                 : error.status == 501 ? "NotImplemented"
                                                 : error.status == 417 ? "ExpectationFailed"
                                                                       : "BadRequest",
                                   "malformed HTTP request: " + error.message);
                return;
            case HeadParse::kIncomplete:
                if (Buffered().size() > server_.options().max_header_bytes) {
                    WriteErrorAndClose(431, "RequestHeaderFieldsTooLarge",
                                       "request headers larger than " +
                                           std::to_string(server_.options().max_header_bytes) +
                                           " bytes");
                    return;
                }
                ReadMore([this] { NextRequest(); });
                return;
            case HeadParse::kDone:
                break;
        }
        if (head_.head_bytes > server_.options().max_header_bytes) {
            WriteErrorAndClose(431, "RequestHeaderFieldsTooLarge",
                               "request headers larger than " +
                                   std::to_string(server_.options().max_header_bytes) + " bytes");
            return;
        }
        in_begin_ += head_.head_bytes;
        body_.clear();
        if (head_.chunked) {
            chunked_.emplace(server_.options().max_body_bytes);
            ContinueThenRead([this] { ReadChunked(); });
            return;
        }
        const uint64_t length = head_.content_length.value_or(0);
        if (length > server_.options().max_body_bytes) {
            WriteErrorAndClose(413, "RequestEntityTooLarge",
                               "request body larger than " +
                                   std::to_string(server_.options().max_body_bytes) + " bytes");
            return;
        }
        ReadBody(static_cast<size_t>(length));
    }

    // Answers `Expect: 100-continue` before a body that has not arrived yet, then reads it.
    template <typename Then>
    void ContinueThenRead(Then then) {
        const bool body_pending = in_end_ == in_begin_;
        if (!head_.expect_continue || !body_pending) {
            then();
            return;
        }
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this(), then](beast::error_code ec, size_t) {
                             if (ec || self->closed_) return self->Close();
                             then();
                         });
    }

    // A Content-Length body: what is buffered is copied, the rest is read straight into body_.
    void ReadBody(size_t length) {
        body_.reserve(length + kBodyPadding);
        const size_t have = std::min(length, in_end_ - in_begin_);
        body_.assign(in_.data() + in_begin_, have);
        in_begin_ += have;
        if (have == length) {
            Dispatch();
            return;
        }
        body_.resize(length);
        ContinueThenRead([this, have, length] {
            net::async_read(socket_, net::buffer(body_.data() + have, length - have),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                                if (ec || self->closed_) return self->Close();
                                self->Dispatch();
                            });
        });
    }

    void ReadChunked() {
        Http1Error error;
        std::optional<size_t> used = chunked_->Feed(Buffered(), &body_, &error);
        if (!used) {
            WriteErrorAndClose(error.status,
                               error.status == 413 ? "RequestEntityTooLarge" : "BadRequest",
                               error.status == 413 ? error.message
                                                   : "malformed HTTP request: " + error.message);
            return;
        }
        in_begin_ += *used;
        if (chunked_->done()) {
            chunked_.reset();
            Dispatch();
            return;
        }
        ReadMore([this] { ReadChunked(); });
    }

    void Dispatch() {
        busy_ = true;
        ClearDeadline();  // a handler may take its time; the write gets a deadline
        HttpRequest request;
        request.method = std::move(head_.method);
        request.target = std::move(head_.target);
        const size_t q = request.target.find('?');
        request.path = request.target.substr(0, q);
        if (q != std::string::npos) request.query = request.target.substr(q + 1);
        request.headers = std::move(head_.headers);
        request.body = std::move(body_);
        body_ = std::string();
        request.http_version = head_.version;
        request.remote_address = remote_address_;
        const bool keep_alive = head_.keep_alive;
        const int version = head_.version;
        const bool head = request.method == "HEAD";

        auto state = std::make_shared<HttpRespond::State>(
            AnswerOnStrand(weak_from_this(), server_.answer_gate(),
                           [keep_alive, version, head](Http1Session& self, HttpResponse response) {
                               self.Write(std::move(response), keep_alive, version, head);
                           }));
        server_.router().Dispatch(std::move(request), HttpRespond(std::move(state)));
    }

    void WriteErrorAndClose(int status, std::string_view code, const std::string& message) {
        TARN_LOG_DEBUG("edge.bad_request",
                       {{"remote", remote_address_}, {"status", status}, {"error", message}});
        busy_ = true;
        Write(HttpResponse::JsonError(status, code, message), /*keep_alive=*/false, 11, false);
    }

    void Write(HttpResponse response, bool keep_alive, int version, bool head) {
        if (closed_) return;
        keep_alive_ = keep_alive && !server_.stopping();
        response_body_ = std::move(response.body);
        const bool no_body = response.status == 204 || response.status == 304 ||
                             (response.status >= 100 && response.status < 200);
        std::string& out = response_head_;
        out.clear();
        out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
        char digits[8];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, response.status);
        out.append(digits, end);
        out += ' ';
        out += ReasonPhrase(response.status);
        out += "\r\n";
        for (const auto& [name, value] : response.headers) {
            out += name;
            out += ": ";
            out += value;
            out += "\r\n";
        }
        out += "Server: tarn\r\n";
        if (!no_body) {
            out += "Content-Length: ";
            auto [e2, ec2] = std::to_chars(digits, digits + sizeof digits, response_body_.size());
            out.append(digits, e2);
            out += "\r\n";
        }
        if (!keep_alive_) {
            out += "Connection: close\r\n";
        } else if (version == 10) {
            out += "Connection: keep-alive\r\n";
        }
        out += "\r\n";
        if (head || no_body) response_body_.clear();
        SetDeadline(kWriteTimeout);
        const std::array<net::const_buffer, 2> buffers = {
            net::buffer(response_head_), net::buffer(response_body_)};
        net::async_write(socket_, buffers,
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                             self->OnWrite(ec);
                         });
    }

    void OnWrite(beast::error_code ec) {
        busy_ = false;
        response_body_ = std::string();
        if (ec || closed_ || !keep_alive_ || server_.stopping()) {
            Close();
            return;
        }
        NextRequest();
    }

    void Close() {
        if (closed_) return;
        closed_ = true;
        ClearDeadline();
        beast::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
        server_.ConnectionClosed(id_);
    }

    EdgeContext& server_;
    tcp::socket socket_;
    std::string in_;  // bytes read, not yet consumed: [in_begin_, in_end_)
    size_t in_begin_ = 0, in_end_ = 0;
    Http1Head head_;
    std::string body_;
    std::optional<ChunkedDecoder> chunked_;
    std::string response_head_, response_body_;
    std::string remote_address_;
    std::atomic<int64_t> deadline_ns_{0};  // steady clock; 0: none
    uint64_t id_;
    bool keep_alive_ = true;
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
    // Every tick, connections past their deadline (idle, or stuck writing) are told so.
    void Sweep();
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
    net::steady_timer sweeper_{net::make_strand(ioc_)};  // closes connections past their deadline
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
    Sweep();
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

void EdgeServer::Impl::Sweep() {
    const auto tick = std::clamp<std::chrono::milliseconds>(options_.idle_timeout / 4,
                                                            std::chrono::milliseconds(10),
                                                            std::chrono::seconds(1));
    sweeper_.expires_after(tick);
    sweeper_.async_wait([this](beast::error_code ec) {
        if (ec || stopping_) return;
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::shared_ptr<Connection>> expired;
        {
            std::lock_guard lock(connections_mutex_);
            for (auto& [id, connection] : connections_) {
                if (connection->Expired(now)) expired.push_back(connection);
            }
        }
        for (auto& c : expired) net::post(c->executor(), [c] { c->TimedOut(); });
        Sweep();
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
    net::post(sweeper_.get_executor(), [this] { sweeper_.cancel(); });
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
