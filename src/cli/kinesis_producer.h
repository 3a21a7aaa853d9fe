// tarn's own Kinesis producer, behind `tarn gen --to kinesis://STREAM` and the ingest benchmark:
// it sends the clickstream of cli/clickstream.h to any server of the Kinesis Data Streams API
// (tarn, kinesalite, AWS through a proxy) as PutRecords batches over plain HTTP/1.1.
//
// Each of `connections` keep-alive connections has one request in flight at a time; they run as
// coroutines on a few threads. Records are claimed from one shared counter, so record i is
// clickstream line i whichever connection sends it, and a run of `count` records sends exactly
// lines [0, count). A record's data is its line (with its '\n', so records concatenated by a
// delivery stream form NDJSON), padded with spaces or cut to `record_bytes` when that is set; its
// partition key is the line's user_id (or the line index when the line has none).
//
// Failed records (per-record errors in a 200 answer) are counted, never retried. Anything else --
// a refused connection, a timeout, an HTTP error, an AWS error answer -- stops the run with that
// error. Requests carry an Authorization header of SigV4's shape whose signature is not computed
// (tarn and kinesalite do not check it; AWS would refuse it).
//
// Thread-safety: the functions may be called from any thread; a run uses its own threads and
// returns when they are done.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/clickstream.h"
#include "cli/kinesis_records.h"
#include "common/status.h"

namespace tarn::cli {

// Where the server is: "http://HOST[:PORT]" (port 80 by default).
struct KinesisEndpoint {
    std::string host;
    std::string port;
    std::string host_header;  // HOST:PORT, as sent in Host
};
Result<KinesisEndpoint> ParseKinesisEndpoint(std::string_view url);

struct KinesisProducerOptions {
    KinesisEndpoint endpoint;
    std::string stream;  // or the delivery stream, with kFirehosePutRecordBatch
    PutApi api = PutApi::kKinesisPutRecords;
    unsigned connections = 4;
    unsigned batch = 500;     // records per PutRecords call, 1..500
    size_t record_bytes = 0;  // 0: each line as generated
    uint64_t count = 0;       // records to send
    bool unlimited = false;   // send until *stop is set (count is then ignored)
    double rate = 0;          // records per second; 0: as fast as the server answers
    bool live_time = false;   // with rate: stamp events with the wall clock (LiveClickstream)
    uint64_t distinct = 0;    // > 0: record i is line i mod distinct (see cli/kinesis_batch.h)
    std::string acks_path;    // when set, one line per acknowledged record (see WriteAck)
    bool progress = true;     // "N records, R records/s" on stderr every second
    // Checked between batches: non-zero (the number of a signal) stops the run early. Not owned.
    const std::atomic<int>* stop = nullptr;
};

struct KinesisProducerReport {
    uint64_t records = 0;         // acknowledged as stored
    uint64_t failed_records = 0;  // refused one by one in 200 answers
    uint64_t bytes = 0;           // data bytes of the acknowledged records (before base64)
    uint64_t batches = 0;
    double seconds = 0;  // from the first request to the last answer
    double p50_ms = 0;   // PutRecords latency, request written to answer read
    double p99_ms = 0;
    std::string first_failure;  // "<ErrorCode>: <message>" of the first failed record
};

// Makes sure `stream` exists and is ACTIVE: creates it with `shards` shards when
// DescribeStreamSummary says it does not exist, then polls until ACTIVE or `timeout`.
Status EnsureKinesisStream(const KinesisEndpoint& endpoint, std::string_view stream,
                           unsigned shards, std::chrono::milliseconds timeout);

// Sends records [0, count) of `generator` (or until stopped) and reports. With acks_path, writes
// "partition_key\tshard_id\tsequence_number\tmd5_hex_of_data\n" per acknowledged record.
// REQUIRES: options.connections >= 1, 1 <= options.batch <= 500. Does not take ownership of
// `generator`.
Result<KinesisProducerReport> RunKinesisProducer(const ClickstreamGenerator& generator,
                                                 const KinesisProducerOptions& options);

}  // namespace tarn::cli
