// DeliveryBatchBuilder: turns one range of a source shard's records into the lake objects that
// deliver it. A pure function of (destination, shard, records): the same input gives the same
// keys and the same bytes, which is what lets recovery replay an intent exactly.
//
// Per source record: KPL aggregates are split into their user records; each user record must be
// one JSON object (pretty-printed records are minified onto one line); with dynamic partitioning
// its keys are extracted; its prefix is evaluated at its arrival time (milliseconds, UTC) and it
// joins the object of that prefix. A record that fails goes to an error object of its kind:
//   processing-failed            not a JSON object (or a broken KPL aggregate)
//   dynamic-partitioning-failed  a partition key is missing or not valid in a key
//   format-conversion-failed     Parquet conversion rejected it (a value of the wrong type)
// Error objects hold one JSON line per failed record: attemptsMade, arrivalTimestamp,
// errorCode, errorMessage, shardId, sequenceNumber, subSequenceNumber and rawData (base64).
//
// Object keys: `<prefix><delivery>-<shardId>-<first>-<last><ext>` where first and last are the
// sequence numbers of the object's first and last source records (56 digits, with the stream's
// epoch: a re-created stream never reuses a name); error objects add `-<error kind>` before their
// extension. !{firehose:random-string} is seeded with the range's first sequence number.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog_types.h"
#include "common/status.h"
#include "delivery/delivery_destination.h"
#include "stream/record.h"

namespace tarn::delivery {

struct DeliveredObject {
    std::string key;
    std::string data;
    bool is_error = false;
    std::vector<std::string> partition_values;  // data objects: per TableLayout key
    uint64_t records = 0;                       // user records in the object
};

struct DeliveryBatch {
    std::vector<DeliveredObject> objects;  // data objects first, each group in key order
    uint64_t source_records = 0;
    uint64_t user_records = 0;       // delivered into data objects
    std::map<std::string, uint64_t> error_records;  // by kind
    // With `infer_columns`: the columns inferred from the delivered records (empty when none).
    std::vector<catalog::Column> inferred_columns;
};

class DeliveryBatchBuilder {
public:
    // The range is of shard `shard_index` of a stream created at `stream_epoch_ms`.
    DeliveryBatchBuilder(std::shared_ptr<const Destination> destination,
                         uint64_t stream_epoch_ms, uint32_t shard_index,
                         uint64_t range_first_offset, bool infer_columns);
    ~DeliveryBatchBuilder();
    DeliveryBatchBuilder(const DeliveryBatchBuilder&) = delete;
    DeliveryBatchBuilder& operator=(const DeliveryBatchBuilder&) = delete;

    // Records must come in offset order. Never fails: a bad record goes to the error output.
    void Add(const stream::RecordView& record);
    // Encodes the objects. Errors only from the encoders (Internal / ResourceExhausted).
    Result<DeliveryBatch> Finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "<delivery>-<shardId>-<first sequence number>-<last sequence number>".
std::string DeliveredObjectName(std::string_view delivery, uint64_t stream_epoch_ms,
                                uint32_t shard_index, uint64_t first_offset,
                                uint64_t last_offset);

}  // namespace tarn::delivery
