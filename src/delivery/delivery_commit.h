// Delivering one range of a source shard into the lake, shared by the worker (delivery_worker.h)
// and by recovery: build the objects (DeliveryBatchBuilder), make sure the table exists, record
// the intent, write the objects, commit files and checkpoint in one lake commit.
// Internal to the delivery module.
// Thread-safety: free functions; callers serialize the ranges of one delivery stream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/lake_commit.h"
#include "common/status.h"
#include "delivery/delivery_batch.h"
#include "delivery/delivery_destination.h"
#include "storage/storage.h"
#include "stream/stream_service.h"

namespace tarn::delivery {

struct CommitDeps {
    stream::StreamService* streams = nullptr;
    catalog::Catalog* catalog = nullptr;
    catalog::LakeCommitter* lake = nullptr;
    storage::ObjectStore* store = nullptr;
};

// A shard range [first, end) of a stream created at stream_epoch_ms.
struct SourceRange {
    std::string stream;
    uint64_t stream_epoch_ms = 0;
    uint32_t shard = 0;
    uint64_t first = 0;
    uint64_t end = 0;
};

// What an intent's payload records: the range and the destination in force.
struct IntentPayload {
    SourceRange range;
    DeliveryStreamConfig config;
    std::vector<catalog::Column> conversion_columns;
};
std::string EncodeIntentPayload(const IntentPayload& payload);
Result<IntentPayload> DecodeIntentPayload(std::string_view text);

// The records of `range`, read from the log and fed to a builder.
Result<DeliveryBatch> BuildRangeFromLog(stream::StreamService& streams,
                                        std::shared_ptr<const Destination> destination,
                                        const SourceRange& range, bool infer_columns);

// What a committed range delivered.
struct RangeCommitted {
    uint64_t user_records = 0;
    uint64_t objects = 0;
    uint64_t bytes = 0;
    std::map<std::string, uint64_t> error_records;
};

// Steps 2-4 for a built batch. `pending` carries an intent across retries: when set (a failed
// earlier attempt of the same range, or a replay) it is reused instead of recording a new one,
// and it is cleared once the range is committed. The shard's checkpoint in the catalog
// (namespace DeliveryOwner(name), key: the shard index) moves to range.end in the same commit;
// the stream consumer checkpoint follows (for retention).
Result<RangeCommitted> CommitRange(const CommitDeps& deps, const Destination& destination,
                                   const SourceRange& range, DeliveryBatch batch,
                                   std::optional<catalog::CommitIntent>& pending);

// The catalog checkpoint key of a shard.
std::string ShardCheckpointKey(uint32_t shard);

}  // namespace tarn::delivery
