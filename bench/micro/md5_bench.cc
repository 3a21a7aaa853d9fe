// MD5 of Kinesis partition keys: a batch of 500 keys (one PutRecords call) hashed by Md5 in a
// loop and by Md5Many with each kernel this CPU supports. per_key is the time per key, printed
// with an SI prefix ("per_key=41.3n" is 41.3 ns).
//
//   build/release/bench/micro/bench_md5
//
// Arguments: the shortest and longest key, and the batch size. Key lengths: 20-40 bytes (typical
// keys, one block each), 1-64 (one or two blocks) and 100-250 (three to five); batches of 500
// and, for 20-40 byte keys, small ones (where lanes idle).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "common/hash.h"
#include "common/md5_internal.h"

namespace {

using tarn::md5_internal::Kernel;

// 500 is the most records a PutRecords call carries.
const std::vector<int64_t> kArgs[] = {{20, 40, 500}, {1, 64, 500}, {100, 250, 500}, {20, 40, 2},
                                      {20, 40, 3},   {20, 40, 5},  {20, 40, 8},     {20, 40, 17},
                                      {20, 40, 40},  {20, 40, 64}};

std::vector<std::string> MakeKeys(size_t count, size_t min_len, size_t max_len) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<size_t> len(min_len, max_len);
    std::vector<std::string> keys(count);
    for (auto& key : keys) {
        key.resize(len(rng));
        for (char& c : key) c = static_cast<char>('a' + rng() % 26);
    }
    return keys;
}

void SetPerKey(benchmark::State& state, size_t keys) {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * keys));
    state.counters["per_key"] = benchmark::Counter(
        static_cast<double>(keys),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Md5Loop(benchmark::State& state) {
    const auto keys = MakeKeys(state.range(2), state.range(0), state.range(1));
    std::vector<tarn::Md5Digest> out(keys.size());
    for (auto _ : state) {
        for (size_t i = 0; i < keys.size(); ++i) out[i] = tarn::Md5(keys[i]);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    SetPerKey(state, keys.size());
}

void BM_Md5Many(benchmark::State& state, Kernel kernel) {
    const auto keys = MakeKeys(state.range(2), state.range(0), state.range(1));
    const std::vector<std::string_view> views(keys.begin(), keys.end());
    std::vector<tarn::Md5Digest> out(keys.size());
    for (auto _ : state) {
        tarn::md5_internal::Md5ManyWith(kernel, views, out.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    SetPerKey(state, keys.size());
}

}  // namespace

int main(int argc, char** argv) {
    auto* loop = benchmark::RegisterBenchmark("BM_Md5Loop", BM_Md5Loop);
    for (const auto& args : kArgs) loop->Args(args);
    for (Kernel kernel : tarn::md5_internal::kAllKernels) {
        if (!tarn::md5_internal::KernelSupported(kernel)) continue;
        const std::string name = std::string("BM_Md5Many/") +
                                 tarn::md5_internal::KernelName(kernel) +
                                 (kernel == tarn::md5_internal::BestKernel() ? "(best)" : "");
        auto* many = benchmark::RegisterBenchmark(name.c_str(), BM_Md5Many, kernel);
        for (const auto& args : kArgs) many->Args(args);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
