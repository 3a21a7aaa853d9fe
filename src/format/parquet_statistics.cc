#include "format/parquet_statistics.h"

#include <cstdint>
#include <string>

namespace tarn::format {
namespace {

bool IsContinuation(char c) { return (static_cast<uint8_t>(c) & 0xC0) == 0x80; }

// Cuts `v` to at most `limit` bytes, on a character boundary when `utf8`.
size_t CutLength(std::string_view v, size_t limit, bool utf8) {
    size_t n = limit;
    if (utf8) {
        while (n > 0 && IsContinuation(v[n])) --n;
    }
    return n;
}

}  // namespace

void SetMinMax(std::string_view min, std::string_view max, bool legacy, Statistics* stats) {
    stats->min_value = std::string(min);
    stats->max_value = std::string(max);
    if (legacy) {
        stats->min = stats->min_value;
        stats->max = stats->max_value;
    }
}

void SetByteArrayMinMax(std::string_view min, std::string_view max, size_t limit, bool utf8,
                        Statistics* stats) {
    bool min_exact = true;
    bool max_exact = true;
    if (limit > 0 && min.size() > limit) {
        min = min.substr(0, CutLength(min, limit, utf8));
        min_exact = false;
    }
    std::string max_out(max);
    if (limit > 0 && max.size() > limit) {
        std::string cut(max.substr(0, CutLength(max, limit, utf8)));
        // Increment the last byte that can be, dropping what follows it.
        for (size_t i = cut.size(); i-- > 0;) {
            const auto b = static_cast<uint8_t>(cut[i]);
            const bool can = utf8 ? b < 0x7F : b < 0xFF;
            if (can) {
                cut[i] = static_cast<char>(b + 1);
                cut.resize(i + 1);
                max_out = std::move(cut);
                max_exact = false;
                break;
            }
        }
    }
    stats->min_value = std::string(min);
    stats->max_value = std::move(max_out);
    stats->is_min_value_exact = min_exact;
    stats->is_max_value_exact = max_exact;
}

}  // namespace tarn::format
