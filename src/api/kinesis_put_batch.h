// The hot path of PutRecords (and PutRecord): a request body parsed with simdjson (its DOM parser,
// one thread_local per thread) into a PutBatch — every record's partition key and base64-decoded
// data in ONE buffer, the RecordInputs viewing into it — with Kinesis's validation (record
// count 1..500, data <= 1 MiB, partition key 1..256 bytes, ExplicitHashKey a decimal in [0, 2^128 -
// 1], at most 5 MiB of data and keys per call), and the 200 answer written by hand.
//
// A PutBatch owns everything its records view, so it can be kept alive until the stream writer's
// callback runs. No per-record allocation.
//
// Thread-safety: the functions may run concurrently on different threads (the parser is
// per-thread); a PutBatch is used by one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/http.h"
#include "stream/record.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {

inline constexpr size_t kMaxPutRecordsCount = 500;
inline constexpr size_t kMaxPutRecordsBytes = size_t{5} << 20;  // data + partition keys

// The records' partition keys and decoded data are written over the request body: once the JSON
// parser has built its document (which holds its own copy of every string), the body's bytes are
// free, and no key or datum is longer than its text there, so they always fit, in order.
struct PutBatch {
    std::string body;  // the request body; after parsing, the keys and data the records view
    size_t used = 0;   // bytes of `body` holding keys and data
    std::vector<stream::RecordInput> records;
    std::string stream;  // StreamName, else StreamARN
};

// Parses a PutRecords body (taken over) into `batch`. Returns the error answer of a bad request
// (ValidationException, InvalidArgumentException, SerializationException), nullopt when `batch`
// is ready for StreamService::PutRecords.
std::optional<HttpResponse> ParsePutRecords(std::string body, PutBatch& batch);
// The same for PutRecord: one record, and its fields at the top level.
std::optional<HttpResponse> ParsePutRecord(std::string body, PutBatch& batch);

// PutRecords' 200 body: {"FailedRecordCount":N,"Records":[{"SequenceNumber":..,"ShardId":..}|
// {"ErrorCode":..,"ErrorMessage":..},...]}.
std::string PutRecordsResponseBody(const stream::PutRecordsResult& result);
// "ProvisionedThroughputExceededException" / "InternalFailure".
std::string_view PutRecordErrorCode(stream::PutRecordError error);

}  // namespace tarn::api::kinesis
