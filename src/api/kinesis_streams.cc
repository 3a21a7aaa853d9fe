// CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary and ListStreams.
#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "common/base64.h"
#include "delivery/delivery_service.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {
namespace {

constexpr int64_t kDefaultDescribeLimit = 100;
constexpr int64_t kDefaultListStreamsLimit = 100;

nlohmann::json EnhancedMonitoringJson() {
    return nlohmann::json::array({{{"ShardLevelMetrics", nlohmann::json::array()}}});
}

// The fields DescribeStream and DescribeStreamSummary share.
nlohmann::json DescriptionBase(const stream::StreamMetadata& meta) {
    return {{"StreamName", meta.name},
            {"StreamARN", meta.arn},
            {"StreamStatus", std::string(stream::StreamStatusName(meta.status))},
            {"StreamModeDetails", StreamModeDetailsJson(meta.mode)},
            {"RetentionPeriodHours", meta.retention_hours},
            {"StreamCreationTimestamp", EpochSeconds(meta.creation_ms)},
            {"EnhancedMonitoring", EnhancedMonitoringJson()},
            {"EncryptionType", "NONE"}};
}

std::optional<stream::StreamMode> ReadStreamMode(RequestReader& in) {
    const nlohmann::json* details =
        in.Member("StreamModeDetails", nlohmann::json::value_t::object, false);
    if (details == nullptr) return stream::StreamMode::kProvisioned;
    auto it = details->find("StreamMode");
    if (it == details->end() || !it->is_string()) {
        in.Fail(ValidationError("null", "streamModeDetails.streamMode", "Member must not be null"));
        return std::nullopt;
    }
    auto mode = stream::ParseStreamMode(it->get_ref<const std::string&>());
    if (!mode.ok()) {
        in.Fail(ValidationError("'" + it->get<std::string>() + "'", "streamModeDetails.streamMode",
                                "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]"));
        return std::nullopt;
    }
    return *mode;
}

std::map<std::string, std::string> ReadTags(RequestReader& in) {
    std::map<std::string, std::string> tags;
    const nlohmann::json* json = in.Member("Tags", nlohmann::json::value_t::object, false);
    if (json == nullptr) return tags;
    for (const auto& [key, value] : json->items()) {
        if (!value.is_string()) {
            in.Fail(SerializationError("tag values must be strings"));
            return {};
        }
        tags[key] = value.get<std::string>();
    }
    return tags;
}

}  // namespace

TARN_KINESIS_HANDLER(CreateStream) {
    RequestReader in(request.body);
    stream::CreateStreamRequest create;
    if (auto name = in.String("StreamName", true, 1, 128)) create.name = *name;
    if (auto count = in.Int("ShardCount", false, 1, INT32_MAX)) {
        create.shard_count = static_cast<uint32_t>(*count);
    }
    if (auto mode = ReadStreamMode(in)) create.mode = *mode;
    create.tags = ReadTags(in);
    if (in.ok() && create.mode == stream::StreamMode::kProvisioned && !create.shard_count) {
        in.Fail(ValidationError("null", "shardCount", "Member must not be null"));
    }
    if (in.ok() && delivery::IsInternalStreamName(create.name)) {
        in.Fail(InvalidArgumentError("Stream names starting with '" +
                                     std::string(delivery::kInternalStreamPrefix) +
                                     "' are reserved for Firehose delivery streams."));
    }
    if (!in.ok()) return respond(in.error());
    auto created = ctx.service.CreateStream(create);
    if (!created.ok()) return respond(ErrorFromStatus(created.status()));
    respond(JsonOk(std::string("{}")));
}

TARN_KINESIS_HANDLER(DeleteStream) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    in.Bool("EnforceConsumerDeletion");
    if (!in.ok()) return respond(in.error());
    if (Status s = ctx.service.DeleteStream(stream); !s.ok()) return respond(ErrorFromStatus(s));
    respond(JsonOk(std::string("{}")));
}

TARN_KINESIS_HANDLER(DescribeStream) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const int64_t limit = in.Int("Limit", false, 1, 10000).value_or(kDefaultDescribeLimit);
    const auto start = in.String("ExclusiveStartShardId", false, 1, 128);
    if (!in.ok()) return respond(in.error());
    auto meta = ctx.service.DescribeStream(stream);
    if (!meta.ok()) return respond(ErrorFromStatus(meta.status()));
    int64_t after = -1;
    if (start) {
        auto index = stream::ParseShardId(*start);
        if (!index.ok()) return respond(ErrorFromStatus(index.status()));
        after = *index;
    }
    nlohmann::json shards = nlohmann::json::array();
    bool has_more = false;
    for (const auto& shard : meta->shards) {
        if (static_cast<int64_t>(shard.index) <= after) continue;
        if (static_cast<int64_t>(shards.size()) == limit) {
            has_more = true;
            break;
        }
        shards.push_back(ShardJson(*meta, shard));
    }
    nlohmann::json description = DescriptionBase(*meta);
    description["Shards"] = std::move(shards);
    description["HasMoreShards"] = has_more;
    respond(JsonOk(nlohmann::json{{"StreamDescription", std::move(description)}}));
}

TARN_KINESIS_HANDLER(DescribeStreamSummary) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    if (!in.ok()) return respond(in.error());
    auto meta = ctx.service.DescribeStream(stream);
    if (!meta.ok()) return respond(ErrorFromStatus(meta.status()));
    nlohmann::json summary = DescriptionBase(*meta);
    summary["OpenShardCount"] = meta->OpenShardCount();
    summary["ConsumerCount"] = 0;
    respond(JsonOk(nlohmann::json{{"StreamDescriptionSummary", std::move(summary)}}));
}

// NextToken is the base64 of the last name of the page: opaque to clients, and it stays valid
// (names are ordered), so it never expires.
TARN_KINESIS_HANDLER(ListStreams) {
    RequestReader in(request.body);
    const int64_t limit = in.Int("Limit", false, 1, 10000).value_or(kDefaultListStreamsLimit);
    std::string start = in.String("ExclusiveStartStreamName", false, 1, 128).value_or("");
    if (auto token = in.String("NextToken", false, 1, 1048576)) {
        auto name = Base64Decode(*token);
        if (!name.ok()) return respond(InvalidArgumentError("Invalid NextToken."));
        start = std::move(*name);
    }
    if (!in.ok()) return respond(in.error());
    auto page = ctx.service.ListStreams(start, static_cast<uint32_t>(limit));
    if (!page.ok()) return respond(ErrorFromStatus(page.status()));
    // DirectPut delivery streams' internal streams are not the user's: hidden (the token still
    // continues after the page's last name, hidden or not).
    const std::string last = page->names.empty() ? std::string() : page->names.back();
    std::erase_if(page->names,
                  [](const std::string& name) { return delivery::IsInternalStreamName(name); });
    nlohmann::json summaries = nlohmann::json::array();
    for (const auto& name : page->names) {
        auto meta = ctx.service.DescribeStream(name);
        if (!meta.ok()) continue;  // deleted meanwhile
        summaries.push_back({{"StreamName", meta->name},
                             {"StreamARN", meta->arn},
                             {"StreamStatus", std::string(stream::StreamStatusName(meta->status))},
                             {"StreamModeDetails", StreamModeDetailsJson(meta->mode)},
                             {"StreamCreationTimestamp", EpochSeconds(meta->creation_ms)}});
    }
    nlohmann::json out = {{"StreamNames", page->names},
                          {"HasMoreStreams", page->has_more},
                          {"StreamSummaries", std::move(summaries)}};
    if (page->has_more && !last.empty()) out["NextToken"] = Base64Encode(last);
    respond(JsonOk(out));
}

}  // namespace tarn::api::kinesis
