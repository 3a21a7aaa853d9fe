// `tarn server` and `tarn up`. `tarn up` is the demo: the default pipeline (stream `events` ->
// delivery `events` -> raw/events/ -> the crawler) with a producer sending `tarn gen` clickstream
// events to the stream at --demo-rate events per second, from inside the process.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "cli/clickstream.h"
#include "cli/commands.h"
#include "cli/kinesis_producer.h"
#include "cli/lake_services.h"
#include "cli/server_runtime.h"
#include "common/logging.h"

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

void PrintBanner(const std::string& endpoint, const std::string& data_dir, double demo_rate) {
    std::printf(
        "\n"
        "  tarn is up (data in %s)\n"
        "\n"
        "    AWS endpoint   %s        (aws --endpoint-url %s ...)\n"
        "    Kinesis stream %s (%u shards, ACTIVE)\n"
        "    Delivery       %s -> %s/raw/events/ every %d s (tarn delivery status --endpoint %s)\n"
        "    Glue crawler   %s (raw/ and processed/, %s; aws glue get-tables --database-name raw)\n"
        "    SQL            %s/api/v1/query (tarn sql --endpoint %s)\n"
        "    Health         %s/health\n"
        "    Metrics        %s/metrics\n",
        data_dir.c_str(), endpoint.c_str(), endpoint.c_str(), kDefaultStreamName,
        kDefaultStreamShards, kDefaultDeliveryName, (data_dir + "/lake").c_str(),
        kDefaultDeliveryIntervalSeconds, endpoint.c_str(), kDefaultCrawlerName,
        kDefaultCrawlerSchedule, endpoint.c_str(), endpoint.c_str(), endpoint.c_str(),
        endpoint.c_str());
    if (demo_rate > 0) {
        std::printf("    Demo producer  %g events/s into stream %s (--demo-rate 0: none)\n",
                    demo_rate, kDefaultStreamName);
    }
    std::printf("\n  Press Ctrl-C to stop.\n\n");
    std::fflush(stdout);
}

// The demo producer: `tarn gen --rate R --to kinesis://events` on a thread of its own, until
// Stop(). Failures (the server going away) are logged, never fatal.
class DemoProducer {
public:
    void Start(const std::string& endpoint, double rate) {
        thread_ = std::thread([this, endpoint, rate] { Run(endpoint, rate); });
    }
    void Stop() {
        stop_.store(1);
        if (thread_.joinable()) thread_.join();
    }

private:
    void Run(const std::string& endpoint, double rate) {
        ClickstreamOptions clicks;
        clicks.users = 1000;
        clicks.span_ms = 1'000'000;
        clicks.count = std::max<int64_t>(1, std::llround(rate * 1000));
        auto generator = ClickstreamGenerator::Create(clicks);
        auto where = ParseKinesisEndpoint(endpoint);
        if (!generator.ok() || !where.ok()) return;
        KinesisProducerOptions options;
        options.endpoint = std::move(*where);
        options.stream = kDefaultStreamName;
        options.connections = 1;
        options.batch = 50;
        options.unlimited = true;
        options.rate = rate;
        options.live_time = true;
        options.progress = false;
        options.stop = &stop_;
        auto report = RunKinesisProducer(*generator, options);
        if (!report.ok() && stop_.load() == 0) {
            TARN_LOG_WARN("demo.producer_stopped", {{"error", report.status().message()}});
        }
    }

    std::atomic<int> stop_{0};
    std::thread thread_;
};

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
    flags->create_default_delivery = true;
    auto demo_rate = std::make_shared<double>(20);
    cmd->add_option("--demo-rate", *demo_rate,
                    "Events per second the demo producer sends to the stream (0: no producer)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->callback([flags, demo_rate, exit_code] {
        DemoProducer producer;
        *exit_code = RunServer(*flags, [&](const std::string& endpoint) {
            // Started here, on the server's thread: it inherits the blocked stop signals.
            if (*demo_rate > 0) producer.Start(endpoint, *demo_rate);
            PrintBanner(endpoint, flags->data_dir, *demo_rate);
        });
        producer.Stop();
    });
}

}  // namespace tarn::cli
