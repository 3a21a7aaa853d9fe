// ShardRateLimiter: the optional per-shard write limits of one stream (Kinesis: 1,000 records/s
// and 1 MiB/s per shard) as token buckets holding one second's worth, refilled from the injected
// clock's time as it passes. A record costs one record token and its partition key + data bytes.
//
// Admit() takes the whole PutRecords call at once (one lock per call, never one per record) and
// decides record by record in order, so an early big record may be refused while a later small one
// fits, as Kinesis does.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "stream/record.h"

namespace tarn::stream {

class ShardRateLimiter {
public:
    // `records_per_second` / `bytes_per_second`: 0 means unlimited.
    ShardRateLimiter(uint64_t records_per_second, uint64_t bytes_per_second);

    bool enabled() const { return records_per_second_ > 0 || bytes_per_second_ > 0; }
    // Sets admitted[i] to 1 when record i (routed to shard_of[i]) fits its shard's buckets (and
    // takes its tokens), else 0. Returns how many were admitted. REQUIRES: the spans have equal
    // sizes.
    size_t Admit(std::span<const RecordInput> records, std::span<const uint32_t> shard_of,
                 int64_t now_ms, std::span<uint8_t> admitted);

private:
    struct Bucket {
        double records = 0;
        double bytes = 0;
        int64_t refilled_ms = INT64_MIN;  // INT64_MIN: never used, starts full
    };
    void Refill(Bucket& b, int64_t now_ms) const;

    const uint64_t records_per_second_;
    const uint64_t bytes_per_second_;
    std::mutex mu_;
    std::vector<Bucket> buckets_;  // by shard index; guarded by mu_
};

}  // namespace tarn::stream
