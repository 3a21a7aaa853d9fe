// The Kinesis operations' handlers (internal to api/; registered by AddKinesisApi). Each answers
// through `respond` exactly once, with the operation's shape or a Kinesis error.
// Thread-safety: the handlers may run concurrently on any thread; KinesisContext is immutable.
#pragma once

#include "api/http.h"
#include "api/kinesis_api.h"
#include "common/clock.h"

namespace tarn::api::kinesis {

struct KinesisContext {
    stream::StreamService& service;
    KinesisApiOptions options;
    Clock* clock;  // never null
};

#define TARN_KINESIS_HANDLER(name) \
    void name(const KinesisContext& ctx, HttpRequest request, HttpRespond respond)

// kinesis_streams.cc
TARN_KINESIS_HANDLER(CreateStream);
TARN_KINESIS_HANDLER(DeleteStream);
TARN_KINESIS_HANDLER(DescribeStream);
TARN_KINESIS_HANDLER(DescribeStreamSummary);
TARN_KINESIS_HANDLER(ListStreams);
// kinesis_settings.cc
TARN_KINESIS_HANDLER(IncreaseStreamRetentionPeriod);
TARN_KINESIS_HANDLER(DecreaseStreamRetentionPeriod);
TARN_KINESIS_HANDLER(AddTagsToStream);
TARN_KINESIS_HANDLER(ListTagsForStream);
TARN_KINESIS_HANDLER(RemoveTagsFromStream);
// kinesis_shards.cc
TARN_KINESIS_HANDLER(ListShards);
TARN_KINESIS_HANDLER(SplitShard);
TARN_KINESIS_HANDLER(MergeShards);
TARN_KINESIS_HANDLER(UpdateShardCount);
// kinesis_put.cc
TARN_KINESIS_HANDLER(PutRecord);
TARN_KINESIS_HANDLER(PutRecords);
// kinesis_read.cc
TARN_KINESIS_HANDLER(GetShardIterator);
TARN_KINESIS_HANDLER(GetRecords);

}  // namespace tarn::api::kinesis
