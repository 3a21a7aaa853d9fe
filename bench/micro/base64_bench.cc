// Base64 throughput (common/base64.h) per kernel, one thread: the scalar code against the AVX2
// and AVX-512 VBMI kernels the public functions pick from, on a Kinesis-sized record (200 bytes
// of data, 268 characters) and on 1 MiB. bytes_per_second counts the input: raw bytes for
// encoding, base64 characters for decoding.
//
//   build/release/bench/micro/bench_base64 [--benchmark_filter=Decode]
//
// BM_Encode/BM_Decode run one kernel into a preallocated buffer; BM_EncodeAppend and
// BM_DecodeAppend are the public std::string functions (best kernel, plus the string's growth).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>

#include "common/base64.h"
#include "common/base64_internal.h"

namespace {

using tarn::base64_internal::Kernel;

std::string RandomBytes(size_t n) {
    std::mt19937_64 rng(42);
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
}

void BM_Encode(benchmark::State& state, Kernel kernel) {
    const std::string data = RandomBytes(static_cast<size_t>(state.range(0)));
    std::string out((data.size() + 2) / 3 * 4, '\0');
    for (auto _ : state) {
        tarn::base64_internal::EncodeWith(kernel, data, out.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_Decode(benchmark::State& state, Kernel kernel) {
    const std::string text = tarn::Base64Encode(RandomBytes(static_cast<size_t>(state.range(0))));
    std::string out(tarn::Base64DecodedSize(text), '\0');
    for (auto _ : state) {
        size_t written = 0;
        if (!tarn::base64_internal::DecodeWith(kernel, text, out.data(), &written).ok()) {
            state.SkipWithError("decode failed");
        }
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_EncodeAppend(benchmark::State& state) {
    const std::string data = RandomBytes(static_cast<size_t>(state.range(0)));
    std::string out;
    for (auto _ : state) {
        out.clear();
        tarn::Base64EncodeAppend(data, &out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_EncodeAppend)->Arg(200)->Arg(1 << 20);

void BM_DecodeAppend(benchmark::State& state) {
    const std::string text = tarn::Base64Encode(RandomBytes(static_cast<size_t>(state.range(0))));
    std::string out;
    for (auto _ : state) {
        out.clear();
        if (!tarn::Base64DecodeAppend(text, &out).ok()) state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_DecodeAppend)->Arg(200)->Arg(1 << 20);

}  // namespace

int main(int argc, char** argv) {
    for (Kernel kernel : {Kernel::kScalar, Kernel::kAvx2, Kernel::kAvx512Vbmi}) {
        const std::string name(tarn::base64_internal::KernelName(kernel));
        if (!tarn::base64_internal::KernelSupported(kernel)) {
            std::fprintf(stderr, "bench_base64: skipping %s (not supported here)\n", name.c_str());
            continue;
        }
        benchmark::RegisterBenchmark(("BM_Encode/" + name).c_str(), BM_Encode, kernel)
            ->Arg(200)
            ->Arg(1 << 20);
        benchmark::RegisterBenchmark(("BM_Decode/" + name).c_str(), BM_Decode, kernel)
            ->Arg(200)
            ->Arg(1 << 20);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::printf("best kernel: %s\n",
                std::string(tarn::base64_internal::KernelName(tarn::base64_internal::BestKernel()))
                    .c_str());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
