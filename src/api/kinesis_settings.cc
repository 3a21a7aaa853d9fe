// A stream's settings: Increase/DecreaseStreamRetentionPeriod and its tags.
#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {
namespace {

constexpr int64_t kMaxTagsPerCall = 50;

using RetentionChange = Status (stream::StreamService::*)(std::string_view, uint32_t);

void ChangeRetention(const KinesisContext& ctx, const HttpRequest& request,
                     const HttpRespond& respond, RetentionChange change) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const auto hours = in.Int("RetentionPeriodHours", true, 1, INT32_MAX);
    if (!in.ok()) return respond(in.error());
    if (Status s = (ctx.service.*change)(stream, static_cast<uint32_t>(*hours)); !s.ok()) {
        return respond(ErrorFromStatus(s));
    }
    respond(JsonOk(std::string("{}")));
}

}  // namespace

TARN_KINESIS_HANDLER(IncreaseStreamRetentionPeriod) {
    ChangeRetention(ctx, request, respond, &stream::StreamService::IncreaseRetention);
}

TARN_KINESIS_HANDLER(DecreaseStreamRetentionPeriod) {
    ChangeRetention(ctx, request, respond, &stream::StreamService::DecreaseRetention);
}

TARN_KINESIS_HANDLER(AddTagsToStream) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    std::map<std::string, std::string> tags;
    if (const auto* json = in.Member("Tags", nlohmann::json::value_t::object, true)) {
        for (const auto& [key, value] : json->items()) {
            if (!value.is_string()) {
                in.Fail(SerializationError("tag values must be strings"));
                break;
            }
            tags[key] = value.get<std::string>();
        }
        if (tags.empty() || static_cast<int64_t>(tags.size()) > kMaxTagsPerCall) {
            in.Fail(ValidationError("'" + json->dump() + "'", "tags",
                                    "Member must have length between 1 and 50"));
        }
    }
    if (!in.ok()) return respond(in.error());
    if (Status s = ctx.service.AddTags(stream, tags); !s.ok()) return respond(ErrorFromStatus(s));
    respond(JsonOk(std::string("{}")));
}

TARN_KINESIS_HANDLER(ListTagsForStream) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const auto start = in.String("ExclusiveStartTagKey", false, 1, 128);
    const int64_t limit = in.Int("Limit", false, 1, kMaxTagsPerCall).value_or(kMaxTagsPerCall);
    if (!in.ok()) return respond(in.error());
    auto meta = ctx.service.DescribeStream(stream);
    if (!meta.ok()) return respond(ErrorFromStatus(meta.status()));
    nlohmann::json tags = nlohmann::json::array();
    bool has_more = false;
    auto it = start ? meta->tags.upper_bound(*start) : meta->tags.begin();
    for (; it != meta->tags.end(); ++it) {
        if (static_cast<int64_t>(tags.size()) == limit) {
            has_more = true;
            break;
        }
        tags.push_back({{"Key", it->first}, {"Value", it->second}});
    }
    respond(JsonOk(nlohmann::json{{"Tags", std::move(tags)}, {"HasMoreTags", has_more}}));
}

TARN_KINESIS_HANDLER(RemoveTagsFromStream) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    std::vector<std::string> keys;
    if (const auto* json = in.Member("TagKeys", nlohmann::json::value_t::array, true)) {
        for (const auto& key : *json) {
            if (!key.is_string()) {
                in.Fail(SerializationError("TagKeys must be strings"));
                break;
            }
            keys.push_back(key.get<std::string>());
        }
        if (keys.empty() || static_cast<int64_t>(keys.size()) > kMaxTagsPerCall) {
            in.Fail(ValidationError("'" + json->dump() + "'", "tagKeys",
                                    "Member must have length between 1 and 50"));
        }
    }
    if (!in.ok()) return respond(in.error());
    if (Status s = ctx.service.RemoveTags(stream, keys); !s.ok()) {
        return respond(ErrorFromStatus(s));
    }
    respond(JsonOk(std::string("{}")));
}

}  // namespace tarn::api::kinesis
