// Internal to api/: what the edge server's protocol sessions (HTTP/1.1 in edge_server.cc, h2c in
// http2_session.cc) share with the server that owns them. Not part of the module's contract.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "api/edge_server.h"
#include "api/http.h"

namespace tarn::api {

class Router;

namespace edge {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// The first bytes of every HTTP/2 connection with prior knowledge (RFC 9113 §3.4).
inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// One client connection, whichever protocol it speaks. Drain and ForceClose run on the
// connection's strand (post them to executor()).
class Connection {
public:
    virtual ~Connection() = default;
    // The server is stopping: close now if idle, else once every request in flight is answered.
    virtual void Drain() = 0;
    virtual void ForceClose() = 0;
    virtual net::any_io_executor executor() = 0;
    // Whether the connection has passed its deadline (idle too long, or a write stuck); may be
    // called from any thread. TimedOut() then runs on the strand and closes it if still expired.
    // Connections that keep their own timers never expire here.
    virtual bool Expired(std::chrono::steady_clock::time_point) const { return false; }
    virtual void TimedOut() {}
};

// Answers may arrive from handler threads at any time, even while the server is being torn
// down. They reach a connection only through this gate, which the server closes before destroying
// its io_context, so no thread can hold a connection (whose socket needs the io_context) past it.
struct AnswerGate {
    std::mutex mutex;
    bool open = true;
};

class EdgeContext {
public:
    virtual ~EdgeContext() = default;
    virtual const EdgeServerOptions& options() const = 0;
    virtual const Router& router() const = 0;
    virtual bool stopping() const = 0;
    virtual const std::shared_ptr<AnswerGate>& answer_gate() const = 0;
    // The connection `id` is now served by `connection` (a protocol switch keeps the id).
    virtual void ConnectionReplaced(uint64_t id, std::shared_ptr<Connection> connection) = 0;
    virtual void ConnectionClosed(uint64_t id) = 0;
    // Counts a connection once its protocol is known ("http/1.1" or "h2c").
    virtual void CountProtocol(std::string_view protocol) = 0;
};

// A deliver function for HttpRespond::State: runs on_answer(session, response) on the session's
// strand when the answer comes, if the session still exists (else the answer is dropped: the
// client left or the server stopped). `Session` has executor().
template <typename Session, typename OnAnswer>
auto AnswerOnStrand(std::weak_ptr<Session> weak, std::shared_ptr<AnswerGate> gate,
                    OnAnswer on_answer) {
    return [weak = std::move(weak), gate = std::move(gate),
            on_answer = std::move(on_answer)](HttpResponse response) {
        std::lock_guard lock(gate->mutex);
        auto self = gate->open ? weak.lock() : nullptr;
        if (!self) return;
        net::post(self->executor(), [self, on_answer, r = std::move(response)]() mutable {
            on_answer(*self, std::move(r));
        });
    };
}

// Shuts a connection's socket down both ways and closes it, ignoring errors (the peer may be gone).
inline void ShutdownAndClose(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.close();
}

inline void LowercaseAscii(std::string& s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
}

// Serves an h2c connection whose first `initial_bytes` (starting with the preface) were already
// read from `stream`. Registers itself with the context under `id`.
void StartHttp2Session(EdgeContext& context, beast::tcp_stream stream, uint64_t id,
                       std::string initial_bytes, std::string remote_address);

}  // namespace edge
}  // namespace tarn::api
