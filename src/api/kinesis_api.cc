#include "api/kinesis_api.h"

#include <memory>

#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "stream/stream_service.h"

namespace tarn::api {

void AddKinesisApi(AwsJsonDispatcher& dispatcher, stream::StreamService& service,
                   KinesisApiOptions options) {
    Clock* clock = service.options().clock;
    auto ctx = std::make_shared<const kinesis::KinesisContext>(kinesis::KinesisContext{
        service, options, clock != nullptr ? clock : SystemClock::Instance()});
    using Handler = void (*)(const kinesis::KinesisContext&, HttpRequest, HttpRespond);
    const auto add = [&](std::string_view operation, Handler handler) {
        dispatcher.Add(kinesis::kServicePrefix, operation,
                       [ctx, handler](HttpRequest request, HttpRespond respond) {
                           handler(*ctx, std::move(request), std::move(respond));
                       });
    };
    add("CreateStream", kinesis::CreateStream);
    add("DeleteStream", kinesis::DeleteStream);
    add("DescribeStream", kinesis::DescribeStream);
    add("DescribeStreamSummary", kinesis::DescribeStreamSummary);
    add("ListStreams", kinesis::ListStreams);
    add("IncreaseStreamRetentionPeriod", kinesis::IncreaseStreamRetentionPeriod);
    add("DecreaseStreamRetentionPeriod", kinesis::DecreaseStreamRetentionPeriod);
    add("AddTagsToStream", kinesis::AddTagsToStream);
    add("ListTagsForStream", kinesis::ListTagsForStream);
    add("RemoveTagsFromStream", kinesis::RemoveTagsFromStream);
    add("ListShards", kinesis::ListShards);
    add("SplitShard", kinesis::SplitShard);
    add("MergeShards", kinesis::MergeShards);
    add("UpdateShardCount", kinesis::UpdateShardCount);
    add("PutRecord", kinesis::PutRecord);
    add("PutRecords", kinesis::PutRecords);
    add("GetShardIterator", kinesis::GetShardIterator);
    add("GetRecords", kinesis::GetRecords);
}

}  // namespace tarn::api
