#include "cli/gen_kinesis.h"

#include <cstdio>

namespace tarn::cli {
namespace {

constexpr auto kCreateTimeout = std::chrono::seconds(60);

int Fail(const Status& status) {
    std::fprintf(stderr, "tarn gen: %s\n", status.message().c_str());
    return 1;
}

void PrintSummary(const KinesisProducerOptions& options, const KinesisProducerReport& r,
                  bool json) {
    const double seconds = r.seconds > 0 ? r.seconds : 1e-9;
    const double per_second = static_cast<double>(r.records) / seconds;
    const double mb_per_second = static_cast<double>(r.bytes) / 1e6 / seconds;
    std::fprintf(stderr,
                 "tarn gen: %llu records (%.1f MB) to kinesis://%s in %.3f s: %.0f records/s, "
                 "%.1f MB/s, PutRecords p50 %.2f ms, p99 %.2f ms\n",
                 static_cast<unsigned long long>(r.records), static_cast<double>(r.bytes) / 1e6,
                 options.stream.c_str(), r.seconds, per_second, mb_per_second, r.p50_ms, r.p99_ms);
    if (r.failed_records > 0) {
        std::fprintf(stderr, "tarn gen: %llu records failed and were not retried (first: %s)\n",
                     static_cast<unsigned long long>(r.failed_records), r.first_failure.c_str());
    }
    if (json) {
        std::printf(
            "{\"records\":%llu,\"bytes\":%llu,\"batches\":%llu,\"seconds\":%.6f,"
            "\"records_per_s\":%.1f,\"mb_per_s\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
            "\"failed_records\":%llu}\n",
            static_cast<unsigned long long>(r.records), static_cast<unsigned long long>(r.bytes),
            static_cast<unsigned long long>(r.batches), r.seconds, per_second, mb_per_second,
            r.p50_ms, r.p99_ms, static_cast<unsigned long long>(r.failed_records));
        std::fflush(stdout);
    }
}

}  // namespace

int RunGenToKinesis(const GenConfig& config, const ClickstreamGenerator& generator,
                    const std::atomic<int>* stop) {
    const KinesisTarget& target = *config.kinesis;
    KinesisProducerOptions options = target.producer;
    if (target.create_shards > 0) {
        Status s = EnsureKinesisStream(options.endpoint, options.stream, target.create_shards,
                                       kCreateTimeout);
        if (!s.ok()) return Fail(s);
    }
    options.count = config.count;
    options.unlimited = config.rate > 0 && config.count == 0;
    options.rate = config.rate;
    options.live_time = config.live_time;
    options.stop = stop;
    auto report = RunKinesisProducer(generator, options);
    if (!report.ok()) return Fail(report.status());
    PrintSummary(options, *report, target.report_json);
    const int signal = stop->load();
    return signal != 0 ? 128 + signal : 0;
}

}  // namespace tarn::cli
