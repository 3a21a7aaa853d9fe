// ShardLog::Read as GetRecords calls it: a consumer at the tail of a shard of 2000 records of
// 200 bytes, asking for everything (10000 records, 10 MiB) and getting the last few. Before the
// frame cursor sized its buffer to what its range holds, each call zero-filled a 4 MiB chunk:
// on the 2-core dev machine 78.6 us a call 1 record behind the tail (now 2.3 us), 155 us for
// 1000 records behind (now 68 us).
//
//   build/release/bench/micro/bench_shard_read
//
// Argument: how many records behind the tail the read starts.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>

#include "stream/shard_log.h"
#include "testing/temp_dir.h"

namespace {

using tarn::stream::Offset;

void BM_TailRead(benchmark::State& state) {
    tarn::testing::TempDir dir("tarn-bench-read-");
    tarn::stream::ShardLogOptions options;
    options.dir = dir.path() + "/shard";
    auto log = tarn::stream::ShardLog::Open(options);
    if (!log.ok()) return state.SkipWithError(log.status().ToString().c_str());
    const std::string data(200, 'x');
    for (int i = 0; i < 2000; ++i) {
        const tarn::stream::RecordInput record{.partition_key = "key", .data = data};
        if (!(*log)->Append({&record, 1}).ok()) return state.SkipWithError("append failed");
    }
    if (!(*log)->Sync().ok()) return state.SkipWithError("sync failed");
    const Offset from{tarn::stream::ToU64((*log)->durable_offset()) -
                      static_cast<uint64_t>(state.range(0))};
    for (auto _ : state) {
        auto batch = (*log)->Read(from, 10000, 10 << 20);
        if (!batch.ok()) return state.SkipWithError(batch.status().ToString().c_str());
        benchmark::DoNotOptimize(batch->records.data());
    }
}
BENCHMARK(BM_TailRead)->Arg(1)->Arg(5)->Arg(100)->Arg(1000);

}  // namespace

// As `tarn server` does (cli/server_runtime.cc, KeepFreedMemory): freed blocks stay in the
// process, so a call's buffers do not fault fresh pages in every time.
int main(int argc, char** argv) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
