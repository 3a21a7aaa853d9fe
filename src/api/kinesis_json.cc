#include "api/kinesis_json.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "api/aws_json.h"
#include "common/time_format.h"
#include "stream/hash_key.h"
#include "stream/stream_log.h"

namespace tarn::api::kinesis {

HttpResponse JsonOk(std::string body) {
    return HttpResponse::Text(200, std::move(body), std::string(kJsonContentType));
}

HttpResponse ValidationError(std::string_view value, std::string_view member,
                             std::string_view constraint) {
    std::string message = "1 validation error detected: Value ";
    message += value;
    message += " at '";
    message += member;
    message += "' failed to satisfy constraint: ";
    message += constraint;
    return AwsErrorResponse(400, "ValidationException", message);
}

HttpResponse SerializationError(std::string_view message) {
    return AwsErrorResponse(400, "SerializationException", message);
}

HttpResponse InvalidArgumentError(std::string_view message) {
    return AwsErrorResponse(400, "InvalidArgumentException", message);
}

HttpResponse ErrorFromStatus(const Status& status, std::string_view expired_type) {
    if (status.code() == StatusCode::kExpired) {
        return AwsErrorResponse(400, expired_type, status.message());
    }
    return AwsErrorFromStatus(status);
}

void AppendEpochSeconds(std::string& out, int64_t unix_ms) {
    const int64_t seconds = unix_ms / 1000;
    const int64_t millis = unix_ms % 1000;
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, seconds);
    out.append(buf, end);
    out += '.';
    out += static_cast<char>('0' + millis / 100);
    out += static_cast<char>('0' + millis / 10 % 10);
    out += static_cast<char>('0' + millis % 10);
}

double EpochSeconds(int64_t unix_ms) { return static_cast<double>(unix_ms) / 1000.0; }

nlohmann::json HashKeyRangeJson(const stream::HashKeyRange& range) {
    return {{"StartingHashKey", stream::FormatHashKey(range.start)},
            {"EndingHashKey", stream::FormatHashKey(range.end)}};
}

nlohmann::json StreamModeDetailsJson(stream::StreamMode mode) {
    return {{"StreamMode", std::string(stream::StreamModeName(mode))}};
}

nlohmann::json ShardJson(const stream::StreamMetadata& meta, const stream::ShardMetadata& shard) {
    nlohmann::json out = {{"ShardId", shard.id()}};
    if (shard.parent) {
        std::string id;
        stream::AppendShardId(id, *shard.parent);
        out["ParentShardId"] = id;
    }
    if (shard.adjacent_parent) {
        std::string id;
        stream::AppendShardId(id, *shard.adjacent_parent);
        out["AdjacentParentShardId"] = id;
    }
    out["HashKeyRange"] = HashKeyRangeJson(shard.hash_range);
    nlohmann::json range = {{"StartingSequenceNumber", meta.StartingSequenceNumber(shard)}};
    if (auto ending = meta.EndingSequenceNumber(shard)) range["EndingSequenceNumber"] = *ending;
    out["SequenceNumberRange"] = std::move(range);
    return out;
}

std::string MemberName(std::string_view field) {
    std::string member(field);
    if (!member.empty()) member[0] = static_cast<char>(std::tolower(member[0]));
    return member;
}

namespace {

std::string Quoted(std::string_view value) {
    std::string out = "'";
    out += value;
    out += '\'';
    return out;
}

}  // namespace

RequestReader::RequestReader(std::string_view body) {
    if (body.empty()) {
        json_ = nlohmann::json::object();
        return;
    }
    json_ = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json_.is_discarded() || !json_.is_object()) {
        json_ = nlohmann::json::object();
        Fail(SerializationError("the request body is not a JSON object"));
    }
}

void RequestReader::Fail(HttpResponse response) {
    if (!error_) error_ = std::move(response);
}

const nlohmann::json* RequestReader::Find(std::string_view field, bool required) {
    auto it = json_.find(field);
    if (it == json_.end() || it->is_null()) {
        if (required) Fail(ValidationError("null", MemberName(field), "Member must not be null"));
        return nullptr;
    }
    return &*it;
}

const nlohmann::json* RequestReader::Member(std::string_view field, nlohmann::json::value_t type,
                                            bool required) {
    const nlohmann::json* value = Find(field, required);
    if (value == nullptr) return nullptr;
    if (value->type() != type) {
        Fail(SerializationError("unexpected JSON type for " + std::string(field)));
        return nullptr;
    }
    return value;
}

std::optional<std::string> RequestReader::String(std::string_view field, bool required,
                                                 size_t min_length, size_t max_length) {
    const nlohmann::json* value = Member(field, nlohmann::json::value_t::string, required);
    if (value == nullptr) return std::nullopt;
    const auto& text = value->get_ref<const std::string&>();
    if (text.size() < min_length) {
        Fail(ValidationError(
            Quoted(text), MemberName(field),
            "Member must have length greater than or equal to " + std::to_string(min_length)));
        return std::nullopt;
    }
    if (text.size() > max_length) {
        Fail(ValidationError(
            Quoted(text), MemberName(field),
            "Member must have length less than or equal to " + std::to_string(max_length)));
        return std::nullopt;
    }
    return text;
}

std::optional<int64_t> RequestReader::Int(std::string_view field, bool required, int64_t min,
                                          int64_t max) {
    const nlohmann::json* value = Find(field, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) {
        Fail(SerializationError("expected an integer for " + std::string(field)));
        return std::nullopt;
    }
    const int64_t n = value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX
                          ? INT64_MAX
                          : value->get<int64_t>();
    if (n < min) {
        Fail(ValidationError(
            Quoted(std::to_string(n)), MemberName(field),
            "Member must have value greater than or equal to " + std::to_string(min)));
        return std::nullopt;
    }
    if (n > max) {
        Fail(
            ValidationError(Quoted(std::to_string(n)), MemberName(field),
                            "Member must have value less than or equal to " + std::to_string(max)));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> RequestReader::Bool(std::string_view field) {
    const nlohmann::json* value = Member(field, nlohmann::json::value_t::boolean, false);
    if (value == nullptr) return std::nullopt;
    return value->get<bool>();
}

std::optional<int64_t> RequestReader::Timestamp(std::string_view field, bool required) {
    const nlohmann::json* value = Find(field, required);
    if (value == nullptr) return std::nullopt;
    if (value->is_number()) {
        const double seconds = value->get<double>();
        if (!std::isfinite(seconds) || std::fabs(seconds) > 1e13) {
            Fail(SerializationError("timestamp out of range for " + std::string(field)));
            return std::nullopt;
        }
        return static_cast<int64_t>(std::llround(seconds * 1000.0));
    }
    if (value->is_string()) {
        auto ms = ParseIso8601Millis(value->get_ref<const std::string&>());
        if (ms.ok()) return *ms;
    }
    Fail(SerializationError("expected a timestamp (epoch seconds) for " + std::string(field)));
    return std::nullopt;
}

std::string RequestReader::Stream() {
    if (auto name = String("StreamName", false, 1, 128)) return *name;
    if (auto arn = String("StreamARN", false, 1, 2048)) return *arn;
    Fail(InvalidArgumentError("Either StreamName or StreamARN should be provided."));
    return {};
}

}  // namespace tarn::api::kinesis
