// h2c (HTTP/2 over cleartext TCP, prior knowledge) on the edge port, with nghttp2 doing the
// framing, HPACK and flow control. The AWS SDK for JavaScript v3 talks HTTP/2 this way to an
// http:// endpoint. Each stream's request goes through the same Router as HTTP/1.1.
#include <nghttp2/nghttp2.h>

#include <deque>
#include <map>

#include "api/edge_internal.h"
#include "api/http_respond_state.h"
#include "api/router.h"
#include "common/logging.h"

namespace tarn::api::edge {
namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr uint32_t kMaxConcurrentStreams = 128;
constexpr uint32_t kInitialWindow = 1u << 20;  // per stream; large bodies need fewer round trips

class Http2Session : public Connection, public std::enable_shared_from_this<Http2Session> {
public:
    Http2Session(EdgeContext& server, beast::tcp_stream stream, uint64_t id, std::string remote)
        : server_(server),
          stream_(std::move(stream)),
          id_(id),
          remote_address_(std::move(remote)) {}

    ~Http2Session() override {
        if (session_ != nullptr) nghttp2_session_del(session_);
    }

    bool Init() {
        nghttp2_session_callbacks* callbacks;
        if (nghttp2_session_callbacks_new(&callbacks) != 0) return false;
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &OnBeginHeaders);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, &OnHeader);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &OnDataChunk);
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &OnFrame);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &OnStreamClose);
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks, &OnInvalidFrame);
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &OnFrameSent);
        const int rv = nghttp2_session_server_new(&session_, callbacks, this);
        nghttp2_session_callbacks_del(callbacks);
        if (rv != 0) return false;
        const nghttp2_settings_entry settings[] = {
            {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
            {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kInitialWindow},
            {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
             static_cast<uint32_t>(server_.options().max_header_bytes)},
        };
        return nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings,
                                       std::size(settings)) == 0;
    }

    // Feeds the bytes read before the protocol was known, then serves the connection.
    void Start(std::string initial_bytes) {
        if (!Consume(initial_bytes.data(), initial_bytes.size())) return;
        Flush();
        Read();
    }

    void Drain() override {
        draining_ = true;
        if (in_flight_ == 0) {
            nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);  // GOAWAY
            Flush();
        } else {
            // Tell the client to open no new streams; the in-flight ones still get answers.
            nghttp2_submit_shutdown_notice(session_);
            Flush();
        }
    }
    void ForceClose() override { Close(); }
    net::any_io_executor executor() override { return stream_.get_executor(); }

private:
    struct Stream {
        HttpRequest request;
        std::string response_body;
        size_t response_offset = 0;
        bool too_large = false;
        bool dispatched = false;
    };

    void Read() {
        if (closed_) return;
        stream_.expires_after(server_.options().idle_timeout);
        stream_.async_read_some(net::buffer(read_buffer_),
                                [self = shared_from_this()](beast::error_code ec, size_t n) {
                                    if (ec) {
                                        self->Close();
                                        return;
                                    }
                                    if (!self->Consume(self->read_buffer_, n)) return;
                                    self->Flush();
                                    self->Read();
                                });
    }

    bool Consume(const char* data, size_t size) {
        const ssize_t rv =
            nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(data), size);
        if (rv < 0) {
            TARN_LOG_DEBUG("edge.h2_protocol_error",
                           {{"remote", remote_address_}, {"error", nghttp2_strerror(int(rv))}});
            Flush();  // send the GOAWAY nghttp2 queued, then close
            closing_ = true;
            return false;
        }
        return true;
    }

    // Writes whatever nghttp2 has queued; closes when the session has nothing more to do.
    void Flush() {
        if (closed_ || writing_) return;
        write_buffer_.clear();
        for (;;) {
            const uint8_t* data;
            const ssize_t n = nghttp2_session_mem_send(session_, &data);
            if (n < 0) {
                Close();
                return;
            }
            if (n == 0) break;
            write_buffer_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
        }
        if (write_buffer_.empty()) {
            const bool done = closing_ || (nghttp2_session_want_read(session_) == 0 &&
                                           nghttp2_session_want_write(session_) == 0);
            if (done) Close();
            return;
        }
        writing_ = true;
        stream_.expires_after(kWriteTimeout);
        net::async_write(stream_, net::buffer(write_buffer_),
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                             self->writing_ = false;
                             if (ec) {
                                 self->Close();
                                 return;
                             }
                             self->Flush();
                         });
    }

    void Close() {
        if (closed_) return;
        closed_ = true;
        ShutdownAndClose(stream_);
        server_.ConnectionClosed(id_);
    }

    void Dispatch(int32_t stream_id, Stream& s) {
        s.dispatched = true;
        ++in_flight_;
        if (s.too_large) {
            Answer(stream_id, HttpResponse::JsonError(
                                  413, "RequestEntityTooLarge",
                                  "request body larger than " +
                                      std::to_string(server_.options().max_body_bytes) + " bytes"));
            return;
        }
        const size_t q = s.request.target.find('?');
        s.request.path = s.request.target.substr(0, q);
        if (q != std::string::npos) s.request.query = s.request.target.substr(q + 1);
        s.request.http_version = 20;
        s.request.remote_address = remote_address_;
        auto state = std::make_shared<HttpRespond::State>(
            AnswerOnStrand(weak_from_this(), server_.answer_gate(),
                           [stream_id](Http2Session& self, HttpResponse response) {
                               self.Answer(stream_id, std::move(response));
                           }));
        server_.router().Dispatch(std::move(s.request), HttpRespond(std::move(state)));
    }

    void Answer(int32_t stream_id, HttpResponse response) {
        --in_flight_;
        auto it = streams_.find(stream_id);
        if (closed_ || it == streams_.end()) return;  // the client reset the stream
        Stream& s = it->second;
        s.response_body = std::move(response.body);
        std::deque<std::string> owned;  // stable name/value bytes for nghttp2_submit_response
        std::vector<nghttp2_nv> nva;
        auto add = [&](std::string name, std::string value) {
            owned.push_back(std::move(name));
            owned.push_back(std::move(value));
            const std::string& n = owned[owned.size() - 2];
            const std::string& v = owned.back();
            nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(n.data())),
                           reinterpret_cast<uint8_t*>(const_cast<char*>(v.data())), n.size(),
                           v.size(), NGHTTP2_NV_FLAG_NONE});
        };
        add(":status", std::to_string(response.status));
        for (auto& [name, value] : response.headers) {
            std::string lower = name;
            LowercaseAscii(lower);
            if (lower == "connection" || lower == "keep-alive" || lower == "transfer-encoding") {
                continue;  // connection-specific headers are forbidden in HTTP/2
            }
            add(std::move(lower), std::move(value));
        }
        add("server", "tarn");
        const bool head = s.request.method == "HEAD";
        add("content-length", std::to_string(s.response_body.size()));
        if (head) s.response_body.clear();
        nghttp2_data_provider provider;
        provider.source.ptr = &s;
        provider.read_callback = &ReadBody;
        nghttp2_submit_response(session_, stream_id, nva.data(), nva.size(),
                                s.response_body.empty() ? nullptr : &provider);
        if (draining_ && in_flight_ == 0) {
            nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
        }
        Flush();
    }

    static ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                            nghttp2_data_source* source, void*) {
        auto* s = static_cast<Stream*>(source->ptr);
        const size_t n = std::min(length, s->response_body.size() - s->response_offset);
        std::memcpy(buf, s->response_body.data() + s->response_offset, n);
        s->response_offset += n;
        if (s->response_offset == s->response_body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
        return static_cast<ssize_t>(n);
    }

    static Http2Session& Self(void* user_data) { return *static_cast<Http2Session*>(user_data); }

    static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            Self(user_data).streams_[frame->hd.stream_id] = Stream{};
        }
        return 0;
    }

    static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                        size_t name_len, const uint8_t* value, size_t value_len, uint8_t,
                        void* user_data) {
        auto& self = Self(user_data);
        auto it = self.streams_.find(frame->hd.stream_id);
        if (it == self.streams_.end()) return 0;
        std::string_view n(reinterpret_cast<const char*>(name), name_len);
        std::string v(reinterpret_cast<const char*>(value), value_len);
        HttpRequest& r = it->second.request;
        if (n == ":method") {
            r.method = std::move(v);
        } else if (n == ":path") {
            r.target = std::move(v);
        } else if (n == ":authority") {
            r.headers.emplace_back("host", std::move(v));
        } else if (!n.starts_with(':')) {
            r.headers.emplace_back(std::string(n), std::move(v));  // already lowercase in HTTP/2
        }
        return 0;
    }

    static int OnDataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                           size_t len, void* user_data) {
        auto& self = Self(user_data);
        auto it = self.streams_.find(stream_id);
        if (it == self.streams_.end()) return 0;
        Stream& s = it->second;
        if (s.too_large || s.request.body.size() + len > self.server_.options().max_body_bytes) {
            s.too_large = true;
            s.request.body.clear();
            return 0;
        }
        s.request.body.append(reinterpret_cast<const char*>(data), len);
        return 0;
    }

    static int OnFrame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
        auto& self = Self(user_data);
        if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
            auto it = self.streams_.find(frame->hd.stream_id);
            if (it != self.streams_.end() && !it->second.dispatched) {
                self.Dispatch(frame->hd.stream_id, it->second);
            }
        }
        return 0;
    }

    static int OnInvalidFrame(nghttp2_session*, const nghttp2_frame* frame, int error,
                              void* user_data) {
        TARN_LOG_DEBUG("edge.h2_invalid_frame", {{"remote", Self(user_data).remote_address_},
                                                 {"type", frame->hd.type},
                                                 {"stream", frame->hd.stream_id},
                                                 {"error", nghttp2_strerror(error)}});
        return 0;
    }

    static int OnFrameSent(nghttp2_session*, const nghttp2_frame* frame, void*) {
        TARN_LOG_DEBUG("edge.h2_frame_sent", {{"type", frame->hd.type},
                                              {"stream", frame->hd.stream_id},
                                              {"flags", frame->hd.flags},
                                              {"length", frame->hd.length}});
        return 0;
    }

    static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
        Self(user_data).streams_.erase(stream_id);
        return 0;
    }

    EdgeContext& server_;
    beast::tcp_stream stream_;
    uint64_t id_;
    std::string remote_address_;
    nghttp2_session* session_ = nullptr;
    std::map<int32_t, Stream> streams_;  // node-stable: nghttp2 keeps Stream* as a data source
    char read_buffer_[16384];
    std::string write_buffer_;
    size_t in_flight_ = 0;
    bool writing_ = false;
    bool closed_ = false;
    bool closing_ = false;
    bool draining_ = false;
};

}  // namespace

void StartHttp2Session(EdgeContext& context, beast::tcp_stream stream, uint64_t id,
                       std::string initial_bytes, std::string remote_address) {
    auto session =
        std::make_shared<Http2Session>(context, std::move(stream), id, std::move(remote_address));
    context.ConnectionReplaced(id, session);
    if (!session->Init()) {
        TARN_LOG_WARN("edge.h2_init_failed", {{"connection", id}});
        session->ForceClose();
        return;
    }
    session->Start(std::move(initial_bytes));
}

}  // namespace tarn::api::edge
