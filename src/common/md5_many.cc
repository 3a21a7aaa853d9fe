// Md5Many's kernel choice (md5_internal.h): the SIMD kernels where the CPU has them, Md5 in a
// loop otherwise.
#include "common/md5_internal.h"

namespace tarn::md5_internal {
namespace {

#if defined(__x86_64__)
struct CpuFeatures {
    bool avx2;
    bool avx512;  // F and BW
};

// Detected on first use rather than by a namespace-scope initializer, so that a caller during
// static initialization gets the right answer (and BestKernel does not cache a wrong one).
const CpuFeatures& Cpu() {
    static const CpuFeatures features = [] {
        __builtin_cpu_init();
        return CpuFeatures{
            .avx2 = __builtin_cpu_supports("avx2") != 0,
            .avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"),
        };
    }();
    return features;
}
#endif

}  // namespace

const char* KernelName(Kernel kernel) {
    switch (kernel) {
        case Kernel::kScalar:
            return "scalar";
        case Kernel::kAvx2:
            return "avx2";
        case Kernel::kAvx512:
            return "avx512";
    }
    return "?";
}

bool KernelSupported(Kernel kernel) {
    switch (kernel) {
        case Kernel::kScalar:
            return true;
#if defined(__x86_64__)
        case Kernel::kAvx2:
            return Cpu().avx2;
        case Kernel::kAvx512:
            return Cpu().avx512;
#endif
        default:
            return false;
    }
}

Kernel BestKernel() {
    // bench/micro/md5_bench.cc measures them: AVX-512 is the fastest where the CPU has it.
    static const Kernel best = KernelSupported(Kernel::kAvx512) ? Kernel::kAvx512
                               : KernelSupported(Kernel::kAvx2) ? Kernel::kAvx2
                                                                : Kernel::kScalar;
    return best;
}

void Md5ManyWith(Kernel kernel, std::span<const std::string_view> inputs, Md5Digest* out) {
    // A lone input gains nothing from lanes.
    if (inputs.size() > 1) {
        switch (kernel) {
#if defined(__x86_64__)
            case Kernel::kAvx2:
                return Md5ManyAvx2(inputs, out);
            case Kernel::kAvx512:
                return Md5ManyAvx512(inputs, out);
#endif
            default:
                break;
        }
    }
    for (size_t i = 0; i < inputs.size(); ++i) out[i] = Md5(inputs[i]);
}

}  // namespace tarn::md5_internal
