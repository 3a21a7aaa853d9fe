// The Kinesis Data Streams API (AWS JSON 1.1, `X-Amz-Target: Kinesis_20131202.<Operation>`) over a
// stream::StreamService: CreateStream, DeleteStream, DescribeStream(Summary), ListStreams,
// ListShards, PutRecord(s), GetShardIterator, GetRecords, Increase/DecreaseStreamRetentionPeriod,
// Add/List/RemoveTags(To|For|From)Stream, SplitShard, MergeShards and UpdateShardCount, with
// Kinesis's request/response shapes, validation messages and error types. StreamARN is accepted
// wherever StreamName is.
//
// PutRecords and GetRecords are the hot paths: PutRecords is parsed with simdjson into one decoded
// buffer per request and answered from the stream writer's callback with a hand-written body;
// GetRecords' body is hand-written too.
//
// Thread-safety: call AddKinesisApi before the server starts. The handlers run on any I/O thread;
// `service` must outlive the server (close the server first, then the service).
#pragma once

#include <chrono>

#include "api/aws_json.h"

namespace tarn::stream {
class StreamService;
}

namespace tarn::api {

struct KinesisApiOptions {
    // ListShards' NextToken lives this long (Kinesis: 300 s), then ExpiredNextTokenException.
    std::chrono::milliseconds list_shards_token_ttl{300'000};
};

// Registers every Kinesis operation on `dispatcher`. Does not take ownership of `service`.
void AddKinesisApi(AwsJsonDispatcher& dispatcher, stream::StreamService& service,
                   KinesisApiOptions options = {});

}  // namespace tarn::api
