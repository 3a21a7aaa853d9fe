// `tarn gen`: writes the synthetic clickstream of cli/clickstream.h as NDJSON to stdout or a file.
// Without --rate it generates as fast as it can, in chunks on several threads, writing the chunks
// in order; with --rate it paces lines to that many per second (a token bucket, one write(2) per
// batch, so a consumer sees lines promptly). With --to kinesis://STREAM the same lines go to a
// Kinesis stream instead (gen_kinesis.h); the flags are parsed in gen_flags.h.
//
// Exit status: 0 when done (also when the reader of a pipe goes away), 1 when the output fails
// (e.g. a full disk), 2 for invalid flags, 128 + signal when interrupted by SIGINT or SIGTERM.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/clickstream.h"
#include "cli/commands.h"
#include "cli/gen_flags.h"
#include "cli/gen_kinesis.h"
#include "cli/progress.h"

namespace tarn::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kChunkEvents = 8192;  // lines per generated chunk and per write(2) at most
constexpr unsigned kMaxWorkers = 4;

// ---- Output ----------------------------------------------------------------------------------

std::atomic<int> g_signal{0};

extern "C" void OnStopSignal(int sig) { g_signal.store(sig, std::memory_order_relaxed); }

class Output {
public:
    Output() = default;
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    ~Output() {
        if (owned_) ::close(fd_);
    }

    Status Open(const std::string& path) {
        name_ = path == "-" ? "stdout" : path;
        if (path == "-") return Status::Ok();
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            fd_ = 1;
            return Status::FromErrno(errno, "cannot open " + path);
        }
        owned_ = true;
        return Status::Ok();
    }

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }

    // Writes all of [p, p + n); false (with error() set) when write(2) fails or a stop signal
    // interrupts it.
    bool Write(const char* p, size_t n) {
        while (n > 0) {
            const ssize_t w = ::write(fd_, p, n);
            if (w < 0) {
                if (errno == EINTR && g_signal.load(std::memory_order_relaxed) == 0) continue;
                error_ = errno;
                return false;
            }
            p += w;
            n -= static_cast<size_t>(w);
        }
        return true;
    }
    int error() const { return error_; }

    bool Close() {
        if (!owned_) return true;
        owned_ = false;
        if (::close(fd_) != 0 && errno != EINTR) {
            error_ = errno;
            return false;
        }
        return true;
    }

private:
    int fd_ = 1;
    bool owned_ = false;
    int error_ = 0;
    std::string name_;
};

enum class Outcome { kDone, kWriteFailed, kInterrupted };

std::unique_ptr<char[]> ChunkBuffer(uint64_t lines) {
    return std::make_unique_for_overwrite<char[]>(lines * ClickstreamGenerator::kMaxLineBytes);
}

// ---- As fast as possible ---------------------------------------------------------------------

// Workers generate chunk k into slot k % slots; this thread writes chunks 0, 1, 2, ... in order.
Outcome RunParallel(const ClickstreamGenerator& gen, uint64_t total, Output* out,
                    ProgressLine* progress, uint64_t* written) {
    const uint64_t chunks = (total + kChunkEvents - 1) / kChunkEvents;
    if (chunks == 0) return Outcome::kDone;
    const unsigned workers = static_cast<unsigned>(std::min<uint64_t>(
        chunks, std::clamp(std::thread::hardware_concurrency(), 1u, kMaxWorkers)));
    struct Slot {
        std::unique_ptr<char[]> data;
        size_t size = 0;
        uint64_t ready = UINT64_MAX;  // the chunk the slot holds, once generated
        uint64_t free_for = 0;        // the chunk that may be generated into it next
    };
    std::vector<Slot> slots(2 * workers);
    for (size_t s = 0; s < slots.size(); ++s) {
        slots[s].data = ChunkBuffer(kChunkEvents);
        slots[s].free_for = s;
    }
    std::mutex mu;
    std::condition_variable cv;
    bool stop = false;

    auto work = [&](unsigned w) {
        for (uint64_t k = w; k < chunks; k += workers) {
            Slot& slot = slots[k % slots.size()];
            {
                std::unique_lock lock(mu);
                cv.wait(lock, [&] { return stop || slot.free_for == k; });
                if (stop) return;
            }
            const uint64_t first = k * kChunkEvents;
            const uint64_t n = std::min(kChunkEvents, total - first);
            const char* end = gen.WriteEvents(first, n, slot.data.get());
            {
                std::lock_guard lock(mu);
                slot.size = static_cast<size_t>(end - slot.data.get());
                slot.ready = k;
            }
            cv.notify_all();
        }
    };
    // Stop signals go to this thread, so they interrupt its write(2).
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work, w);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);

    Outcome outcome = Outcome::kDone;
    for (uint64_t k = 0; k < chunks; ++k) {
        Slot& slot = slots[k % slots.size()];
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return slot.ready == k; });
        }
        const bool ok = out->Write(slot.data.get(), slot.size);
        if (g_signal.load(std::memory_order_relaxed) != 0) {
            outcome = Outcome::kInterrupted;
        } else if (!ok) {
            outcome = Outcome::kWriteFailed;
        }
        if (outcome != Outcome::kDone) break;
        *written += std::min(kChunkEvents, total - k * kChunkEvents);
        {
            std::lock_guard lock(mu);
            slot.ready = UINT64_MAX;
            slot.free_for = k + slots.size();
        }
        cv.notify_all();
        progress->Update(*written);
    }
    {
        std::lock_guard lock(mu);
        stop = true;
    }
    cv.notify_all();
    for (auto& t : threads) t.join();
    return outcome;
}

// ---- Paced -----------------------------------------------------------------------------------

Outcome RunPaced(const ClickstreamGenerator& gen, const GenConfig& config, Output* out,
                 ProgressLine* progress, uint64_t* written) {
    LiveClickstream live(&gen);
    auto buffer = ChunkBuffer(kChunkEvents);
    const double rate = config.rate;
    const double burst = std::max(1.0, rate / 20);  // at most 50 ms of lines at once
    double tokens = 1.0;                            // the first line goes out at once
    auto last = Clock::now();
    uint64_t produced = 0;
    while (config.count == 0 || produced < config.count) {
        if (g_signal.load(std::memory_order_relaxed) != 0) return Outcome::kInterrupted;
        const auto now = Clock::now();
        tokens = std::min(burst, tokens + std::chrono::duration<double>(now - last).count() * rate);
        last = now;
        uint64_t n = static_cast<uint64_t>(tokens);
        if (config.count != 0) n = std::min(n, config.count - produced);
        tokens -= static_cast<double>(n);
        while (n > 0) {
            const uint64_t k = std::min(n, kChunkEvents);
            char* end;
            if (config.live_time) {
                const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count();
                end = live.WriteNext(k, now_ms, buffer.get());
            } else {
                end = gen.WriteEvents(produced, k, buffer.get());
            }
            if (!out->Write(buffer.get(), static_cast<size_t>(end - buffer.get()))) {
                return g_signal.load() != 0 ? Outcome::kInterrupted : Outcome::kWriteFailed;
            }
            produced += k;
            *written = produced;
            n -= k;
        }
        progress->Update(produced);
        if (config.count != 0 && produced >= config.count) break;
        // Sleep until the next line is due (at least 1 ms, so high rates go in batches; at most
        // 100 ms, to notice signals).
        const double wait = std::clamp((1.0 - tokens) / rate, 0.001, 0.1);
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    return Outcome::kDone;
}

// ---- The command -----------------------------------------------------------------------------

// Stop signals set g_signal for the duration of a run (no SA_RESTART: a blocked write(2) returns
// EINTR); the previous handlers come back afterwards.
class StopSignals {
public:
    StopSignals() {
        g_signal.store(0);
        struct sigaction action = {};
        action.sa_handler = OnStopSignal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    ~StopSignals() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }

private:
    struct sigaction old_int_ = {};
    struct sigaction old_term_ = {};
};

int WriteNdjson(const GenConfig& config, const ClickstreamGenerator& gen) {
    Output out;
    if (Status s = out.Open(config.out); !s.ok()) {
        std::fprintf(stderr, "tarn gen: %s\n", s.message().c_str());
        return 1;
    }
    ProgressLine progress(ProgressLine::StderrIsTerminal(out.fd()), "tarn gen", "events");
    uint64_t written = 0;
    Outcome outcome = config.rate > 0 ? RunPaced(gen, config, &out, &progress, &written)
                                      : RunParallel(gen, config.count, &out, &progress, &written);
    progress.Finish(written);

    if (outcome == Outcome::kDone && !out.Close()) outcome = Outcome::kWriteFailed;
    switch (outcome) {
        case Outcome::kDone:
            return 0;
        case Outcome::kInterrupted:
            return 128 + g_signal.load();
        case Outcome::kWriteFailed:
            if (out.error() == EPIPE) return 0;  // the reader has all it wanted (e.g. `| head`)
            std::fprintf(stderr, "tarn gen: writing %s: %s\n", out.name().c_str(),
                         std::strerror(out.error()));
            return 1;
    }
    return 1;
}

int RunGen(const GenFlags& flags) {
    auto config = ParseGenFlags(flags);
    if (!config.ok()) {
        std::fprintf(stderr, "tarn gen: %s\n", config.status().message().c_str());
        return 2;
    }
    auto gen = ClickstreamGenerator::Create(config->options);
    if (!gen.ok()) {
        std::fprintf(stderr, "tarn gen: %s\n", gen.status().message().c_str());
        return 2;
    }
    // EPIPE instead of death by SIGPIPE when a reader or a peer goes away; stop cleanly on Ctrl-C.
    std::signal(SIGPIPE, SIG_IGN);
    StopSignals stop_signals;
    if (config->kinesis) return RunGenToKinesis(*config, *gen, &g_signal);
    return WriteNdjson(*config, *gen);
}

}  // namespace

namespace {

void AddKinesisOptions(CLI::App* cmd, GenFlags* flags) {
    CLI::Option* to =
        cmd->add_option("--to", flags->to,
                        "Send the events to a Kinesis stream (PutRecords batches) or a Firehose "
                        "delivery stream (PutRecordBatch) instead of --out")
            ->type_name("kinesis://STREAM|firehose://NAME");
    to->excludes(cmd->get_option("--out"));
    const auto kinesis_option = [&](const char* name, std::string* value, const char* help,
                                    const char* type) {
        cmd->add_option(name, *value, help)->type_name(type)->needs(to);
    };
    kinesis_option("--endpoint", &flags->endpoint,
                   "Kinesis endpoint (default http://127.0.0.1:4566)", "URL");
    kinesis_option("--connections", &flags->connections,
                   "Concurrent connections, one request in flight each (default 4)", "N");
    kinesis_option("--batch", &flags->batch,
                   "Records per PutRecords call, at most 500 (default 500)", "N");
    kinesis_option("--record-bytes", &flags->record_bytes,
                   "Pad (with spaces) or cut each record to N bytes (default: lines as they are)",
                   "N");
    kinesis_option("--create-shards", &flags->create_shards,
                   "Create the stream with N shards if it does not exist, and wait until ACTIVE",
                   "N");
    kinesis_option("--report", &flags->report, "'json': print a one-line JSON summary on stdout",
                   "json");
    kinesis_option("--acks", &flags->acks,
                   "Write 'partition_key TAB shard_id TAB sequence_number TAB md5_of_data' per "
                   "acknowledged record",
                   "FILE");
    kinesis_option("--distinct", &flags->distinct,
                   "Build the batches of the first N lines once and send them over and over "
                   "(record i is line i mod N; a multiple of --batch): for benchmarks, so the "
                   "client's cores go to sending (default 0: every record its own line)",
                   "N");
}

}  // namespace

void AddGenCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<GenFlags>();
    CLI::App* cmd = app.add_subcommand(
        "gen", "Write a synthetic clickstream as NDJSON (the same flags give the same bytes)");
    cmd->add_option("--seed", flags->seed, "Seed of the stream")
        ->type_name("N")
        ->capture_default_str();
    flags->count_option =
        cmd->add_option("--count", flags->count,
                        "Events to write (default 1000; with --rate, 0 = until interrupted)")
            ->type_name("N");
    flags->rate_option =
        cmd->add_option("--rate", flags->rate,
                        "Pace output to this many events per second, stamped with the wall clock")
            ->type_name("EVENTS_PER_SEC");
    cmd->add_option("--out", flags->out, "Output file, or - for stdout")
        ->type_name("FILE|-")
        ->capture_default_str();
    flags->start_option =
        cmd->add_option("--start", flags->start,
                        "Time of the first event, ISO-8601 (default 2026-01-01T00:00:00Z; with "
                        "--rate, times then advance at the rate from here)")
            ->type_name("TIME");
    cmd->add_option("--span", flags->span, "Time the events are spread over (without --rate)")
        ->type_name("DURATION")
        ->capture_default_str();
    cmd->add_option("--users", flags->users, "Distinct users (Zipf-skewed activity)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--malformed-rate", flags->malformed_rate,
                    "Fraction of lines that are invalid JSON")
        ->type_name("F")
        ->capture_default_str();
    cmd->add_option("--duplicate-rate", flags->duplicate_rate,
                    "Fraction of lines that repeat a recent event byte for byte")
        ->type_name("F")
        ->capture_default_str();
    AddKinesisOptions(cmd, flags.get());
    cmd->callback([flags, exit_code] { *exit_code = RunGen(*flags); });
}

}  // namespace tarn::cli
