// `tarn server` and `tarn up`.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/lake_services.h"
#include "cli/server_runtime.h"

namespace tarn::cli {
namespace {

void AddServerFlags(CLI::App* cmd, ServerFlags* flags, bool data_required) {
    auto* data =
        cmd->add_option("--data", flags->data_dir, "Data directory (owned by this server)");
    if (data_required) data->required();
    cmd->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", flags->port, "Edge HTTP port (0: any free port)")
        ->capture_default_str();
    cmd->add_option("--io-threads", flags->io_threads, "I/O threads (0: one per core)");
    cmd->add_option("--log-level", flags->log_level, "debug, info, warn, error or off")
        ->capture_default_str();
    cmd->add_option("--shard-records-per-second", flags->shard_records_per_second,
                    "Per-shard write limit in records/s (0: off)")
        ->capture_default_str();
    cmd->add_option("--shard-bytes-per-second", flags->shard_bytes_per_second,
                    "Per-shard write limit in bytes/s (0: off)")
        ->capture_default_str();
    cmd->add_option("--commit-max-wait-us", flags->commit_max_wait_us,
                    "Longest wait of a group commit for more records, in microseconds")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--log-cache-window-mb", flags->log_cache_window_mb,
                    "Page cache kept at each shard's tail, in MiB; older log pages are dropped "
                    "from the OS cache once durable (0: never drop)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    // Hidden (empty group): tests shorten these instead of waiting five minutes.
    cmd->add_option("--iterator-ttl-ms", flags->iterator_ttl_ms)
        ->group("")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--list-shards-token-ttl-ms", flags->list_shards_token_ttl_ms)
        ->group("")
        ->check(CLI::PositiveNumber);
}

void PrintBanner(const std::string& endpoint, const std::string& data_dir) {
    std::printf(
        "\n"
        "  tarn is up (data in %s)\n"
        "\n"
        "    AWS endpoint   %s        (aws --endpoint-url %s ...)\n"
        "    Kinesis stream %s (%u shards, ACTIVE)\n"
        "    Glue crawler   %s (raw/ and processed/, %s; aws glue get-tables --database-name raw)\n"
        "    Health         %s/health\n"
        "    Metrics        %s/metrics\n"
        "\n"
        "  Press Ctrl-C to stop.\n\n",
        data_dir.c_str(), endpoint.c_str(), endpoint.c_str(), kDefaultStreamName,
        kDefaultStreamShards, kDefaultCrawlerName, kDefaultCrawlerSchedule, endpoint.c_str(),
        endpoint.c_str());
    std::fflush(stdout);
}

}  // namespace

void AddServerCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<ServerFlags>();
    CLI::App* cmd = app.add_subcommand("server", "Run the tarn server on a data directory");
    AddServerFlags(cmd, flags.get(), /*data_required=*/true);
    cmd->callback([flags, exit_code] { *exit_code = RunServer(*flags, nullptr); });
}

void AddUpCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<ServerFlags>();
    CLI::App* cmd = app.add_subcommand(
        "up", "Start tarn on ./tarn-data with the default pipeline and print its URLs");
    AddServerFlags(cmd, flags.get(), /*data_required=*/false);
    flags->create_events_stream = true;
    flags->create_default_crawler = true;
    cmd->callback([flags, exit_code] {
        *exit_code = RunServer(*flags, [flags](const std::string& endpoint) {
            PrintBanner(endpoint, flags->data_dir);
        });
    });
}

}  // namespace tarn::cli
