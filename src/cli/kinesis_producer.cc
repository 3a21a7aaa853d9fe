#include "cli/kinesis_producer.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/kinesis_batch.h"
#include "cli/kinesis_http.h"

namespace tarn::cli {
namespace {

using namespace kinesis_http;  // NOLINT: this file's vocabulary
using SteadyClock = std::chrono::steady_clock;

constexpr auto kStopCheck = std::chrono::milliseconds(100);  // how soon a stop request is seen
constexpr size_t kReadBufferBytes = 256 * 1024;
constexpr auto kMaxIdle = std::chrono::seconds(2);  // reconnect rather than reuse after this

// ---- The producer -----------------------------------------------------------------------------

// What the connections share. Counters are atomics; the rest is guarded by mu.
struct RunState {
    RunState(const ClickstreamGenerator& generator, const KinesisProducerOptions& options)
        : options(options),
          source(&generator, options.count, options.unlimited, options.batch, options.rate,
                 options.live_time) {}

    bool ShouldStop() const {
        return stopping.load(std::memory_order_relaxed) ||
               (options.stop != nullptr && options.stop->load(std::memory_order_relaxed) != 0);
    }

    void Fail(Status status) {
        std::lock_guard lock(mu);
        if (error.ok()) error = std::move(status);
        stopping.store(true);
    }

    const KinesisProducerOptions& options;
    RecordSource source;
    std::atomic<bool> stopping{false};
    std::atomic<unsigned> running{0};
    std::atomic<uint64_t> acked{0};
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> bytes{0};
    std::atomic<uint64_t> batches{0};

    std::mutex mu;
    Status error;
    std::string first_failure;
    std::FILE* acks = nullptr;
    std::vector<float> latencies_ms;
    SteadyClock::time_point first_send = SteadyClock::time_point::max();
    SteadyClock::time_point last_answer = SteadyClock::time_point::min();
};

// Formats the acknowledged records of one answer, for the acks file.
class AckLines final : public AckSink {
public:
    explicit AckLines(const BatchWriter* writer) : writer_(writer) {}
    void Acked(size_t index, std::string_view shard, std::string_view sequence) override {
        writer_->AppendAckLine(index, shard, sequence, &text_);
    }
    std::string& text() { return text_; }

private:
    const BatchWriter* writer_;
    std::string text_;
};

// One keep-alive connection sending batch after batch until the records run out or the run stops.
class Connection {
public:
    Connection(RunState* run, const ClickstreamGenerator* generator,
               tcp::resolver::results_type where, asio::any_io_executor executor)
        : run_(run),
          endpoint_(run->options.endpoint),
          where_(std::move(where)),
          stream_(executor),
          timer_(executor),
          writer_(generator, run->options.stream, run->options.batch, run->options.record_bytes,
                  !run->options.acks_path.empty(), run->options.api),
          acks_(&writer_) {
        // Beast reads at most the buffer's free capacity per recv(2) (512 bytes when empty), and a
        // PutRecords answer is ~50 KB: read it in one or two calls, not a hundred.
        buffer_.reserve(kReadBufferBytes);
        SetAwsJsonHeaders(endpoint_, PutApiTarget(run->options.api), &request_);
        request_.method(http::verb::post);
        request_.target("/");
        request_.version(11);
    }

    asio::awaitable<void> Run() {
        while (!run_->ShouldStop()) {
            SteadyClock::time_point due;
            const auto take = run_->source.Next(SteadyClock::now(), &writer_, &due);
            if (take == RecordSource::Take::kDone) break;
            co_await WaitUntil(due);
            if (take == RecordSource::Take::kWait || run_->ShouldStop()) continue;
            if (Status s = co_await SendBatch(); !s.ok()) {
                run_->Fail(std::move(s));
                break;
            }
        }
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    // Hands this connection's figures to the run. Called once, after Run().
    void Finish() {
        std::lock_guard lock(run_->mu);
        run_->latencies_ms.insert(run_->latencies_ms.end(), latencies_ms_.begin(),
                                  latencies_ms_.end());
        run_->first_send = std::min(run_->first_send, first_send_);
        run_->last_answer = std::max(run_->last_answer, last_answer_);
        run_->running.fetch_sub(1);
    }

private:
    // Sleeps until `due` in slices, so a stop request is seen promptly.
    asio::awaitable<void> WaitUntil(SteadyClock::time_point due) {
        while (SteadyClock::now() < due && !run_->ShouldStop()) {
            timer_.expires_at(std::min(due, SteadyClock::now() + kStopCheck));
            co_await timer_.async_wait(kUse);
        }
    }

    asio::awaitable<Status> SendBatch() {
        if (connected_ && SteadyClock::now() - last_used_ > kMaxIdle) {
            // Servers close idle keep-alive connections (kinesalite after 5 s); a request written
            // into one that is closing fails, and is not retried. Start afresh instead.
            beast::error_code ignored;
            stream_.socket().close(ignored);
            connected_ = false;
        }
        if (!connected_) {
            stream_.expires_after(kConnectTimeout);
            if (auto [ec, _] = co_await stream_.async_connect(where_, kUse); ec) {
                co_return ConnectError(endpoint_, ec);
            }
            beast::error_code ignored;
            stream_.socket().set_option(tcp::no_delay(true), ignored);
            buffer_.clear();
            connected_ = true;
            last_used_ = SteadyClock::now();
        }
        const std::string_view body = writer_.body_text();
        request_.body() = http::span_body<const char>::value_type(body.data(), body.size());
        request_.prepare_payload();
        signing_.Apply(request_);
        http::response<http::string_body> response;
        const auto sent = SteadyClock::now();
        stream_.expires_after(kRequestTimeout);
        auto [write_ec, w] = co_await http::async_write(stream_, request_, kUse);
        if (write_ec) co_return ExchangeError(endpoint_, write_ec);
        auto [read_ec, r] = co_await http::async_read(stream_, buffer_, response, kUse);
        if (read_ec) co_return ExchangeError(endpoint_, read_ec);
        const auto answered = SteadyClock::now();
        first_send_ = std::min(first_send_, sent);
        last_answer_ = answered;
        last_used_ = answered;
        latencies_ms_.push_back(std::chrono::duration<float, std::milli>(answered - sent).count());
        if (!response.keep_alive()) {
            beast::error_code ignored;
            stream_.socket().close(ignored);
            connected_ = false;
        }
        if (response.result() != http::status::ok) {
            co_return Status::Unavailable("PutRecords: " +
                                          DescribeAwsError(response.result_int(), response.body()));
        }
        co_return Count(&response.body());
    }

    Status Count(std::string* answer_body) {
        const size_t records = writer_.records();
        AckLines* sink = run_->options.acks_path.empty() ? nullptr : &acks_;
        if (sink != nullptr) sink->text().clear();
        auto answer = ParsePutRecordsAnswer(answer_body, records, sink, run_->options.api);
        if (!answer.ok()) return answer.status();
        const uint64_t ok = records - std::min<uint64_t>(answer->failed_records, records);
        run_->acked.fetch_add(ok, std::memory_order_relaxed);
        run_->batches.fetch_add(1, std::memory_order_relaxed);
        // Bytes of failed records are not known without reading every entry: count them pro rata.
        run_->bytes.fetch_add(records == 0 ? 0 : writer_.data_bytes() * ok / records,
                              std::memory_order_relaxed);
        if (answer->failed_records > 0 || sink != nullptr) {
            run_->failed.fetch_add(answer->failed_records, std::memory_order_relaxed);
            std::lock_guard lock(run_->mu);
            if (run_->first_failure.empty()) run_->first_failure = answer->first_failure;
            if (sink != nullptr) {
                const std::string& text = sink->text();
                if (std::fwrite(text.data(), 1, text.size(), run_->acks) != text.size()) {
                    return Status::FromErrno(errno, "writing " + run_->options.acks_path);
                }
            }
        }
        return Status::Ok();
    }

    RunState* run_;
    const KinesisEndpoint& endpoint_;
    tcp::resolver::results_type where_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    bool connected_ = false;
    SteadyClock::time_point last_used_;  // when connected or last answered
    BatchWriter writer_;
    AckLines acks_;
    SigningHeaders signing_;
    http::request<http::span_body<const char>> request_;
    beast::flat_buffer buffer_;
    std::vector<float> latencies_ms_;
    SteadyClock::time_point first_send_ = SteadyClock::time_point::max();
    SteadyClock::time_point last_answer_ = SteadyClock::time_point::min();
};

asio::awaitable<void> RunConnection(std::unique_ptr<Connection> connection, RunState* run) {
    try {
        co_await connection->Run();
    } catch (const std::exception& e) {  // Asio and Beast throw only on bugs and out-of-memory
        run->Fail(Status::Internal(std::string("producer connection: ") + e.what()));
    }
    connection->Finish();
}

// "tarn gen: N records, R records/s" on stderr once a second until the connections are done.
asio::awaitable<void> ReportProgress(RunState* run) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto last = SteadyClock::now();
    uint64_t last_records = 0;
    while (run->running.load() > 0) {
        timer.expires_after(kStopCheck);
        co_await timer.async_wait(kUse);
        const auto now = SteadyClock::now();
        if (now - last < std::chrono::seconds(1) || run->running.load() == 0) continue;
        const uint64_t records = run->acked.load();
        const double rate =
            (records - last_records) / std::chrono::duration<double>(now - last).count();
        std::fprintf(stderr, "tarn gen: %llu records, %.0f records/s\n",
                     static_cast<unsigned long long>(records), rate);
        last = now;
        last_records = records;
    }
}

double Percentile(std::vector<float>& values, double fraction) {
    if (values.empty()) return 0;
    const size_t k = std::min(values.size() - 1, static_cast<size_t>(fraction * values.size()));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[k];
}

KinesisProducerReport MakeReport(RunState& run) {
    KinesisProducerReport report;
    report.records = run.acked.load();
    report.failed_records = run.failed.load();
    report.bytes = run.bytes.load();
    report.batches = run.batches.load();
    if (run.last_answer > run.first_send) {
        report.seconds = std::chrono::duration<double>(run.last_answer - run.first_send).count();
    }
    report.p50_ms = Percentile(run.latencies_ms, 0.50);
    report.p99_ms = Percentile(run.latencies_ms, 0.99);
    report.first_failure = run.first_failure;
    return report;
}

}  // namespace

Result<KinesisProducerReport> RunKinesisProducer(const ClickstreamGenerator& generator,
                                                 const KinesisProducerOptions& options) {
    RunState run(generator, options);
    if (!options.acks_path.empty()) {
        run.acks = std::fopen(options.acks_path.c_str(), "w");
        if (run.acks == nullptr)
            return Status::FromErrno(errno, "cannot open " + options.acks_path);
    }
    asio::io_context io;
    auto where = Resolve(io, options.endpoint);
    if (!where.ok()) {
        if (run.acks != nullptr) std::fclose(run.acks);
        return where.status();
    }
    if (options.distinct > 0) {
        BatchWriter builder(&generator, options.stream, options.batch, options.record_bytes, false,
                            options.api);
        run.source.Freeze(options.distinct, &builder);
    }
    run.running.store(options.connections);
    for (unsigned i = 0; i < options.connections; ++i) {
        auto connection = std::make_unique<Connection>(&run, &generator, *where, io.get_executor());
        asio::co_spawn(io, RunConnection(std::move(connection), &run), asio::detached);
    }
    if (options.progress) asio::co_spawn(io, ReportProgress(&run), asio::detached);
    // Generating and encoding the batches is most of the client's work: use every core.
    const unsigned threads =
        std::clamp(std::thread::hardware_concurrency(), 1u, options.connections);
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : helpers) t.join();
    if (run.acks != nullptr && std::fclose(run.acks) != 0 && run.error.ok()) {
        run.error = Status::FromErrno(errno, "writing " + options.acks_path);
    }
    if (!run.error.ok()) return run.error;
    return MakeReport(run);
}

}  // namespace tarn::cli
