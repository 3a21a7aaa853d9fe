// Throughput of the clickstream generator (cli/clickstream.h) writing into memory, one thread.
// items_per_second is lines per second; bytes_per_second is NDJSON bytes per second.
//
//   build/release/bench/gen/bench_gen
//
// The end-to-end goal (`tarn gen` to /dev/null at >= 1,000,000 events/s) is checked by run.sh.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/clickstream.h"

namespace {

using tarn::cli::ClickstreamGenerator;
using tarn::cli::ClickstreamOptions;
using tarn::cli::LiveClickstream;

constexpr uint64_t kChunk = 8192;  // the chunk size `tarn gen` uses

ClickstreamGenerator MakeGenerator(const ClickstreamOptions& options) {
    auto gen = ClickstreamGenerator::Create(options);
    if (!gen.ok()) {
        std::fprintf(stderr, "bench_gen: %s\n", gen.status().ToString().c_str());
        std::abort();
    }
    return std::move(gen).value();
}

void RunChunks(benchmark::State& state, const ClickstreamOptions& options) {
    const ClickstreamGenerator gen = MakeGenerator(options);
    auto buffer =
        std::make_unique_for_overwrite<char[]>(kChunk * ClickstreamGenerator::kMaxLineBytes);
    uint64_t first = 0;
    int64_t bytes = 0;
    for (auto _ : state) {
        char* end = gen.WriteEvents(first, kChunk, buffer.get());
        benchmark::DoNotOptimize(end);
        benchmark::ClobberMemory();
        bytes += end - buffer.get();
        first += kChunk;
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kChunk));
    state.SetBytesProcessed(bytes);
    state.counters["bytes_per_line"] =
        static_cast<double>(bytes) / static_cast<double>(state.iterations() * kChunk);
}

// The default stream of `tarn gen --count 5000000`.
void BM_WriteEvents(benchmark::State& state) {
    ClickstreamOptions options;
    options.count = 5'000'000;
    RunChunks(state, options);
}
BENCHMARK(BM_WriteEvents);

// With 10% malformed and 10% duplicate lines (duplicates re-render their source).
void BM_WriteEventsDirty(benchmark::State& state) {
    ClickstreamOptions options;
    options.count = 5'000'000;
    options.malformed_rate = 0.1;
    options.duplicate_rate = 0.1;
    RunChunks(state, options);
}
BENCHMARK(BM_WriteEventsDirty);

// A large user population: the Zipf alias table no longer fits in cache.
void BM_WriteEventsManyUsers(benchmark::State& state) {
    ClickstreamOptions options;
    options.count = 5'000'000;
    options.users = 10'000'000;
    RunChunks(state, options);
}
BENCHMARK(BM_WriteEventsManyUsers);

// Into a std::string (the convenience API), 1024 lines per call.
void BM_AppendEvents(benchmark::State& state) {
    const ClickstreamGenerator gen = MakeGenerator(ClickstreamOptions{});
    std::string out;
    uint64_t first = 0;
    int64_t bytes = 0;
    for (auto _ : state) {
        out.clear();
        gen.AppendEvents(first, 1024, &out);
        bytes += static_cast<int64_t>(out.size());
        first += 1024;
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 1024));
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_AppendEvents);

// Live production (the path of `tarn gen --rate` and the demo producer), unpaced.
void BM_LiveWriteNext(benchmark::State& state) {
    const ClickstreamGenerator gen = MakeGenerator(ClickstreamOptions{});
    LiveClickstream live(&gen);
    auto buffer =
        std::make_unique_for_overwrite<char[]>(kChunk * ClickstreamGenerator::kMaxLineBytes);
    int64_t now_ms = tarn::cli::kDefaultClickstreamStartMs;
    int64_t bytes = 0;
    for (auto _ : state) {
        char* end = live.WriteNext(kChunk, now_ms++, buffer.get());
        benchmark::DoNotOptimize(end);
        bytes += end - buffer.get();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kChunk));
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_LiveWriteNext);

}  // namespace

BENCHMARK_MAIN();
