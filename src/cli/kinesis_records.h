// The wire side of tarn's own Kinesis producer (`tarn gen --to kinesis://`), kept apart from the
// networking so it can be tested and measured on its own: writing PutRecords request bodies
// (AWS JSON 1.1) into a reused buffer, and reading the answers of PutRecords,
// DescribeStreamSummary and AWS error bodies.
//
// The body writer is the producer's hot path: one append per record with no allocation once the
// buffer has grown to a batch's size. The readers use simdjson with one parser per thread.
//
// Thread-safety: a PutRecordsBody is used by one thread at a time; the functions are safe to call
// from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::cli {

// Which batch put a producer speaks: Kinesis PutRecords, or Firehose PutRecordBatch (`tarn gen
// --to firehose://`). Their bodies and answers differ only in member names.
enum class PutApi : uint8_t { kKinesisPutRecords, kFirehosePutRecordBatch };
// The X-Amz-Target of a batch put: "Kinesis_20131202.PutRecords" or
// "Firehose_20150804.PutRecordBatch".
std::string_view PutApiTarget(PutApi api);

// {"StreamName":"<stream>","Records":[{"Data":"<base64>","PartitionKey":"<key>"},...]}, or for
// Firehose {"DeliveryStreamName":"<name>","Records":[{"Data":"<base64>"},...]}.
class PutRecordsBody {
public:
    explicit PutRecordsBody(PutApi api = PutApi::kKinesisPutRecords) : api_(api) {}
    // Starts a new body, dropping the previous one but keeping its memory.
    void Begin(std::string_view stream_name);
    void Add(std::string_view partition_key, std::string_view data);
    // Closes the JSON. REQUIRES: Begin() was called since the last Finish().
    void Finish();

    size_t records() const { return records_; }
    // The body; complete after Finish().
    std::string& text() { return text_; }

private:
    PutApi api_;
    std::string text_;
    size_t records_ = 0;
};

// What a PutRecords answer (HTTP 200) says.
struct PutRecordsAnswer {
    uint64_t failed_records = 0;
    std::string first_failure;  // "<ErrorCode>: <ErrorMessage>" of the first failed record
};

// Receives the placement of each record the answer acknowledges, in request order (`index`).
class AckSink {
public:
    virtual void Acked(size_t index, std::string_view shard_id, std::string_view sequence) = 0;

protected:
    ~AckSink() = default;
};

// Reads a PutRecords answer (or, with kFirehosePutRecordBatch, a PutRecordBatch answer:
// FailedPutCount and RequestResponses, each success's RecordId passed as the sequence with an
// empty shard) for a request of `records` records. With a sink, every record entry
// is read, the count must match and each success is passed to the sink; without one, only
// FailedRecordCount (and the first failure) is read. The body's spare capacity is used as
// simdjson's padding (it may be grown). InvalidArgument when the answer is malformed.
Result<PutRecordsAnswer> ParsePutRecordsAnswer(std::string* body, size_t records, AckSink* sink,
                                               PutApi api = PutApi::kKinesisPutRecords);

// The StreamDescriptionSummary.StreamStatus of a DescribeStreamSummary answer, e.g. "ACTIVE".
Result<std::string> ParseStreamStatus(std::string* body);

// One line for an AWS error answer: "<type>: <message> (HTTP <status>)"; the type is "__type"
// without any "namespace#" prefix. Bodies that are not AWS error JSON are quoted (shortened).
std::string DescribeAwsError(unsigned http_status, std::string_view body);

}  // namespace tarn::cli
