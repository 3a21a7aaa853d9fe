// A deliberately tiny blocking HTTP/1.1 client over a POSIX socket, for testing the edge server
// byte by byte (malformed requests, keep-alive, limits) without another HTTP library.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <chrono>
#include <optional>
#include <string>

namespace tarn::api::testing {

struct ParsedResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names
    std::string body;
};

class TestHttpClient {
public:
    explicit TestHttpClient(uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{10, 0};  // a failure guard: a hung server fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    }
    ~TestHttpClient() { ::close(fd_); }

    bool connected() const { return connected_; }

    bool Send(const std::string& bytes) {
        size_t off = 0;
        while (off < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<size_t>(n);
        }
        return true;
    }

    // Reads one response (Content-Length framed); nullopt on EOF/timeout before a full response.
    // The next response; with expect_body false (an answer to HEAD) its head only.
    std::optional<ParsedResponse> Read(bool expect_body = true) {
        size_t header_end;
        while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!Fill()) return std::nullopt;
        }
        ParsedResponse r;
        std::string head = buffer_.substr(0, header_end);
        size_t line_end = head.find("\r\n");
        std::string status_line = head.substr(0, line_end);
        r.status = std::stoi(status_line.substr(9, 3));
        size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            size_t eol = head.find("\r\n", pos);
            if (eol == std::string::npos) eol = head.size();
            std::string line = head.substr(pos, eol - pos);
            size_t colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            r.headers[name] = value;
            pos = eol + 2;
        }
        size_t length = r.headers.count("content-length") && expect_body
                            ? std::stoul(r.headers["content-length"])
                            : 0;
        while (buffer_.size() < header_end + 4 + length) {
            if (!Fill()) return std::nullopt;
        }
        r.body = buffer_.substr(header_end + 4, length);
        buffer_.erase(0, header_end + 4 + length);
        return r;
    }

    std::optional<ParsedResponse> Request(const std::string& bytes) {
        if (!Send(bytes)) return std::nullopt;
        return Read();
    }

    // True when the server closed the connection (EOF) before sending anything more.
    bool ClosedByPeer() {
        char c;
        return buffer_.empty() && ::recv(fd_, &c, 1, 0) == 0;
    }

    // True when the server closes the connection within `wait` without sending anything more.
    bool ClosedByPeerWithin(std::chrono::milliseconds wait) {
        if (!buffer_.empty()) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return false;
        char c;
        return ::recv(fd_, &c, 1, 0) == 0;
    }

private:
    bool Fill() {
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
        if (n <= 0) return false;
        buffer_.append(buf, static_cast<size_t>(n));
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

inline std::string Get(const std::string& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

inline std::string Post(const std::string& path, const std::string& body,
                        const std::string& extra_headers = "") {
    return "POST " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace tarn::api::testing
