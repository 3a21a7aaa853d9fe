// ListShards (filters, pagination with expiring tokens) and resharding: SplitShard, MergeShards,
// UpdateShardCount.
#include <algorithm>

#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "common/base64.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {
namespace {

constexpr int64_t kDefaultListShardsResults = 1000;
constexpr int64_t kMaxListShardsResults = 10000;

// When a shard opened and closed (unix ms). Shards from files of older builds have no times: the
// stream's creation, and a closed one counts as open until now (listed rather than missed: a
// consumer reading a drained shard loses nothing).
struct ShardLife {
    int64_t created_ms;
    std::optional<int64_t> closed_ms;
};

ShardLife LifeOf(const stream::StreamMetadata& meta, const stream::ShardMetadata& shard) {
    ShardLife life{shard.created_ms != 0 ? shard.created_ms : meta.creation_ms, shard.closed_ms};
    if (!shard.open() && !life.closed_ms) life.closed_ms = INT64_MAX;
    return life;
}

// What a ListShards call selects; carried across pages inside the NextToken.
struct ShardQuery {
    std::string stream;
    int64_t after = -1;  // list shards with a greater index
    std::string filter = "FROM_TRIM_HORIZON";
    int64_t filter_ms = 0;  // AT_/FROM_TIMESTAMP
    int64_t issued_ms = 0;  // when the token was handed out
};

bool Selected(const ShardQuery& q, const stream::StreamMetadata& meta,
              const stream::ShardMetadata& shard, int64_t now_ms) {
    if (static_cast<int64_t>(shard.index) <= q.after) return false;
    const ShardLife life = LifeOf(meta, shard);
    const auto open_at = [&](int64_t t) {
        return life.created_ms <= t && (!life.closed_ms || *life.closed_ms > t);
    };
    if (q.filter == "AT_LATEST") return shard.open();
    if (q.filter == "AT_TIMESTAMP") return open_at(q.filter_ms);
    if (q.filter == "FROM_TIMESTAMP") return !life.closed_ms || *life.closed_ms > q.filter_ms;
    if (q.filter == "AT_TRIM_HORIZON") {
        return open_at(
            std::max(meta.creation_ms, now_ms - int64_t{meta.retention_hours} * 3600000));
    }
    return true;  // FROM_TRIM_HORIZON, AFTER_SHARD_ID (through `after`)
}

// A version tag first: the token must not read as JSON once base64-decoded, or botocore's
// paginators take it for one of their own StartingTokens.
constexpr std::string_view kTokenTag = "tarn-ls1:";

std::string EncodeToken(const ShardQuery& q) {
    const nlohmann::json json = {
        {"s", q.stream}, {"a", q.after}, {"f", q.filter}, {"fm", q.filter_ms}, {"t", q.issued_ms}};
    return Base64Encode(std::string(kTokenTag) + json.dump());
}

std::optional<ShardQuery> DecodeToken(std::string_view token) {
    auto text = Base64Decode(token);
    if (!text.ok() || !text->starts_with(kTokenTag)) return std::nullopt;
    auto json = nlohmann::json::parse(std::string_view(*text).substr(kTokenTag.size()), nullptr,
                                      /*allow_exceptions=*/false);
    if (!json.is_object()) return std::nullopt;
    ShardQuery q;
    try {
        q.stream = json.at("s").get<std::string>();
        q.after = json.at("a").get<int64_t>();
        q.filter = json.at("f").get<std::string>();
        q.filter_ms = json.at("fm").get<int64_t>();
        q.issued_ms = json.at("t").get<int64_t>();
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return q;
}

int64_t NowMs(const KinesisContext& ctx) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               ctx.clock->Now().time_since_epoch())
        .count();
}

// Reads ShardFilter into `q`; false (with the error kept in `in`) when it is bad.
bool ReadShardFilter(RequestReader& in, ShardQuery& q) {
    const auto* filter = in.Member("ShardFilter", nlohmann::json::value_t::object, false);
    if (filter == nullptr) return in.ok();
    RequestReader sub(filter->dump());
    const auto type = sub.String("Type", true, 1, 64);
    const auto shard_id = sub.String("ShardId", false, 1, 128);
    const auto timestamp = sub.Timestamp("Timestamp", false);
    if (!sub.ok()) {
        in.Fail(sub.error());
        return false;
    }
    static const std::vector<std::string> kTypes = {"AFTER_SHARD_ID",    "AT_TRIM_HORIZON",
                                                    "FROM_TRIM_HORIZON", "AT_LATEST",
                                                    "AT_TIMESTAMP",      "FROM_TIMESTAMP"};
    if (std::find(kTypes.begin(), kTypes.end(), *type) == kTypes.end()) {
        in.Fail(ValidationError("'" + *type + "'", "shardFilter.type",
                                "Member must satisfy enum value set: [AFTER_SHARD_ID, "
                                "AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, "
                                "FROM_TIMESTAMP]"));
        return false;
    }
    q.filter = *type;
    if (q.filter == "AFTER_SHARD_ID") {
        if (!shard_id) {
            in.Fail(InvalidArgumentError("ShardFilter type AFTER_SHARD_ID requires a ShardId."));
            return false;
        }
        auto index = stream::ParseShardId(*shard_id);
        if (!index.ok()) {
            in.Fail(ErrorFromStatus(index.status()));
            return false;
        }
        q.after = std::max<int64_t>(q.after, *index);
    }
    if (q.filter == "AT_TIMESTAMP" || q.filter == "FROM_TIMESTAMP") {
        if (!timestamp) {
            in.Fail(
                InvalidArgumentError("ShardFilter type " + q.filter + " requires a Timestamp."));
            return false;
        }
        q.filter_ms = *timestamp;
    }
    return true;
}

// The query of a ListShards request: from its NextToken, or from StreamName/ARN and filters.
std::optional<ShardQuery> ReadShardQuery(const KinesisContext& ctx, RequestReader& in) {
    const auto token = in.String("NextToken", false, 1, 1048576);
    const auto name = in.String("StreamName", false, 1, 128);
    const auto arn = in.String("StreamARN", false, 1, 2048);
    const auto start = in.String("ExclusiveStartShardId", false, 1, 128);
    in.Timestamp("StreamCreationTimestamp", false);
    if (!in.ok()) return std::nullopt;
    if (token) {
        if (name || arn || start) {
            in.Fail(InvalidArgumentError("NextToken and StreamName cannot be provided together."));
            return std::nullopt;
        }
        auto q = DecodeToken(*token);
        if (!q) {
            in.Fail(InvalidArgumentError("Invalid NextToken."));
            return std::nullopt;
        }
        if (NowMs(ctx) - q->issued_ms > ctx.options.list_shards_token_ttl.count()) {
            in.Fail(ErrorFromStatus(
                Status::Expired("The timestamp of the last ListShard call has expired."),
                "ExpiredNextTokenException"));
            return std::nullopt;
        }
        return q;
    }
    ShardQuery q;
    q.stream = in.Stream();
    if (start) {
        auto index = stream::ParseShardId(*start);
        if (!index.ok()) {
            in.Fail(ErrorFromStatus(index.status()));
            return std::nullopt;
        }
        q.after = *index;
    }
    if (!ReadShardFilter(in, q)) return std::nullopt;
    return q;
}

}  // namespace

TARN_KINESIS_HANDLER(ListShards) {
    RequestReader in(request.body);
    const int64_t max_results =
        in.Int("MaxResults", false, 1, kMaxListShardsResults).value_or(kDefaultListShardsResults);
    auto query = ReadShardQuery(ctx, in);
    if (!in.ok() || !query) return respond(in.error());
    auto meta = ctx.service.DescribeStream(query->stream);
    if (!meta.ok()) return respond(ErrorFromStatus(meta.status()));
    const int64_t now_ms = NowMs(ctx);
    nlohmann::json shards = nlohmann::json::array();
    std::optional<uint32_t> last;
    bool has_more = false;
    for (const auto& shard : meta->shards) {
        if (!Selected(*query, *meta, shard, now_ms)) continue;
        if (static_cast<int64_t>(shards.size()) == max_results) {
            has_more = true;
            break;
        }
        shards.push_back(ShardJson(*meta, shard));
        last = shard.index;
    }
    nlohmann::json out = {{"Shards", std::move(shards)}};
    if (has_more) {
        ShardQuery next = *query;
        next.after = *last;
        next.issued_ms = now_ms;
        out["NextToken"] = EncodeToken(next);
    }
    respond(JsonOk(out));
}

TARN_KINESIS_HANDLER(SplitShard) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const auto shard = in.String("ShardToSplit", true, 1, 128);
    const auto key = in.String("NewStartingHashKey", true, 1, 39);
    if (!in.ok()) return respond(in.error());
    if (Status s = ctx.service.SplitShard(stream, *shard, *key); !s.ok()) {
        return respond(ErrorFromStatus(s));
    }
    respond(JsonOk(std::string("{}")));
}

TARN_KINESIS_HANDLER(MergeShards) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const auto shard = in.String("ShardToMerge", true, 1, 128);
    const auto adjacent = in.String("AdjacentShardToMerge", true, 1, 128);
    if (!in.ok()) return respond(in.error());
    if (Status s = ctx.service.MergeShards(stream, *shard, *adjacent); !s.ok()) {
        return respond(ErrorFromStatus(s));
    }
    respond(JsonOk(std::string("{}")));
}

TARN_KINESIS_HANDLER(UpdateShardCount) {
    RequestReader in(request.body);
    const std::string stream = in.Stream();
    const auto target = in.Int("TargetShardCount", true, 1, INT32_MAX);
    const auto scaling = in.String("ScalingType", true, 1, 64);
    if (in.ok() && *scaling != "UNIFORM_SCALING") {
        in.Fail(ValidationError("'" + *scaling + "'", "scalingType",
                                "Member must satisfy enum value set: [UNIFORM_SCALING]"));
    }
    if (!in.ok()) return respond(in.error());
    auto before = ctx.service.UpdateShardCount(stream, static_cast<uint32_t>(*target));
    if (!before.ok()) return respond(ErrorFromStatus(before.status()));
    respond(JsonOk(nlohmann::json{{"StreamName", before->name},
                                  {"StreamARN", before->arn},
                                  {"CurrentShardCount", before->OpenShardCount()},
                                  {"TargetShardCount", *target}}));
}

}  // namespace tarn::api::kinesis
