#include "cli/server_runtime.h"

#include <signal.h>

#include <cstdio>

#include "api/api.h"
#include "common/logging.h"
#include "storage/data_dir.h"
#include "storage/local_store.h"

namespace tarn::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so that the
// main thread can take them synchronously with sigwait (no async-signal-safety concerns).
sigset_t BlockStopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

int Fail(const Status& status) {
    std::fprintf(stderr, "tarn: %s\n", status.message().c_str());
    return 1;
}

}  // namespace

int RunServer(const ServerFlags& flags, const std::function<void(const std::string&)>& on_ready) {
    LogLevel level;
    if (!ParseLogLevel(flags.log_level, &level)) {
        std::fprintf(stderr, "tarn: unknown --log-level '%s' (debug, info, warn, error, off)\n",
                     flags.log_level.c_str());
        return 2;
    }
    SetLogLevel(level);
    const sigset_t stop_signals = BlockStopSignals();

    auto lock = storage::DataDirLock::Acquire(flags.data_dir);
    if (!lock.ok()) return Fail(lock.status());
    // The lake's embedded local store; a crashed writer's half-written temporaries go first.
    auto lake = storage::LocalStore::Open(flags.data_dir + "/lake");
    if (!lake.ok()) return Fail(lake.status());
    if (auto removed = (*lake)->RemoveTemporaries(); !removed.ok()) {
        return Fail(removed.status());
    } else if (*removed > 0) {
        TARN_LOG_INFO("server.temporaries_removed", {{"count", *removed}});
    }

    api::Router router;
    api::AddBuiltinRoutes(router);
    api::AwsJsonDispatcher aws;  // services register their operations here (later stages)
    aws.Mount(router);

    api::EdgeServerOptions options;
    options.host = flags.host;
    options.port = flags.port;
    options.io_threads = flags.io_threads;
    api::EdgeServer server(options, router);
    if (Status s = server.Start(); !s.ok()) return Fail(s);
    const std::string endpoint = server.endpoint();
    if (Status s = (*lock)->SetEndpoint(endpoint); !s.ok()) {
        TARN_LOG_WARN("server.lock_info_failed", {{"error", s.message()}});
    }
    TARN_LOG_INFO("server.ready", {{"endpoint", endpoint}, {"data_dir", flags.data_dir}});
    if (on_ready) on_ready(endpoint);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    TARN_LOG_INFO("server.signal", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
    server.Stop();
    TARN_LOG_INFO("server.stopped", {{"endpoint", endpoint}});
    return 0;
}

}  // namespace tarn::cli
