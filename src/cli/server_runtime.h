// Runs a tarn server in the foreground until SIGINT or SIGTERM: takes the data dir's lock, starts
// the edge server with every API tarn has, and stops gracefully. Shared by `tarn server` and
// `tarn up`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace tarn::cli {

struct ServerFlags {
    std::string data_dir = "./tarn-data";
    std::string host = "127.0.0.1";
    uint16_t port = 4566;  // 0: any free port (the chosen one is logged and passed to on_ready)
    int io_threads = 0;
    std::string log_level = "info";
};

// Returns the process exit status: 0 after a clean stop, 1 when the server could not start (the
// reason is printed as one line on stderr). `on_ready(endpoint)` runs once the port is bound.
int RunServer(const ServerFlags& flags, const std::function<void(const std::string&)>& on_ready);

}  // namespace tarn::cli
