#include "stream/shard_rate_limiter.h"

#include <algorithm>

namespace tarn::stream {

ShardRateLimiter::ShardRateLimiter(uint64_t records_per_second, uint64_t bytes_per_second)
    : records_per_second_(records_per_second), bytes_per_second_(bytes_per_second) {}

void ShardRateLimiter::Refill(Bucket& b, int64_t now_ms) const {
    const double cap_records = static_cast<double>(records_per_second_);
    const double cap_bytes = static_cast<double>(bytes_per_second_);
    if (b.refilled_ms == INT64_MIN) {
        b = Bucket{cap_records, cap_bytes, now_ms};
        return;
    }
    if (now_ms <= b.refilled_ms) return;  // a clock set back refills nothing
    const double seconds = static_cast<double>(now_ms - b.refilled_ms) / 1000.0;
    b.records = std::min(cap_records, b.records + seconds * cap_records);
    b.bytes = std::min(cap_bytes, b.bytes + seconds * cap_bytes);
    b.refilled_ms = now_ms;
}

size_t ShardRateLimiter::Admit(std::span<const RecordInput> records,
                               std::span<const uint32_t> shard_of, int64_t now_ms,
                               std::span<uint8_t> admitted) {
    std::lock_guard lock(mu_);
    size_t count = 0;
    for (size_t i = 0; i < records.size(); ++i) {
        const uint32_t s = shard_of[i];
        if (s >= buckets_.size()) buckets_.resize(s + 1);
        Bucket& b = buckets_[s];
        if (b.refilled_ms != now_ms) Refill(b, now_ms);
        const double bytes =
            static_cast<double>(records[i].partition_key.size() + records[i].data.size());
        const bool fits = (records_per_second_ == 0 || b.records >= 1.0) &&
                          (bytes_per_second_ == 0 || b.bytes >= bytes);
        admitted[i] = fits ? 1 : 0;
        if (!fits) continue;
        b.records -= 1.0;
        b.bytes -= bytes;
        ++count;
    }
    return count;
}

}  // namespace tarn::stream
