// ConsumerCheckpoints: the in-process consumers registered on one stream (delivery streams) and
// how far each has processed every shard, kept in `<stream dir>/consumers.json` (written
// atomically on every change, see atomic_file.h) so they survive restarts.
//
// Retention asks ProtectedOffset(shard): records at or above it must be kept (below the disk
// budget) because some consumer has not processed them. A consumer that never checkpointed a shard
// protects all of it.
//
// Thread-safety: every method may be called from any thread (one mutex; writes do their file I/O
// under it, so checkpoints of one stream are stored in order).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"
#include "stream/record.h"

namespace tarn::stream {

inline constexpr std::string_view kConsumersFileName = "consumers.json";

class ConsumerCheckpoints {
public:
    // Loads `<dir>/consumers.json` (none yet: no consumers). Corruption naming the file when it
    // is not what Save wrote.
    static Result<std::unique_ptr<ConsumerCheckpoints>> Load(std::string dir);

    // Idempotent. InvalidArgument for an empty name.
    Status Register(std::string_view consumer);
    // NotFound for an unknown consumer.
    Status Deregister(std::string_view consumer);
    // Raises the consumer's checkpoint of `shard` to `next` (a lower value is ignored). NotFound
    // for an unregistered consumer.
    Status Checkpoint(std::string_view consumer, uint32_t shard, Offset next);
    // NotFound for an unregistered consumer.
    Result<std::map<uint32_t, Offset>> Get(std::string_view consumer) const;
    // The lowest checkpoint of `shard` over every consumer (Offset{0} when one has none);
    // Offset{UINT64_MAX} when no consumer is registered.
    Offset ProtectedOffset(uint32_t shard) const;

private:
    using ByShard = std::map<uint32_t, uint64_t>;
    explicit ConsumerCheckpoints(std::string dir) : dir_(std::move(dir)) {}
    Status Save() const;  // REQUIRES: mu_ held

    const std::string dir_;
    mutable std::mutex mu_;
    std::map<std::string, ByShard, std::less<>> consumers_;  // guarded by mu_
};

}  // namespace tarn::stream
