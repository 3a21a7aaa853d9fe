// Pieces shared by the Kinesis Data Streams handlers (internal to api/, not part of its public
// surface): reading a request body with Kinesis's validation messages, Kinesis's error shapes,
// and JSON fragments of its responses (shards, timestamps).
//
// RequestReader parses a body with nlohmann_json (the non-hot operations; PutRecords and GetRecords
// have their own hand-written paths) and keeps the FIRST problem it meets as an AWS error answer,
// so a handler reads every field and checks ok() once.
//
// Thread-safety: RequestReader is a value used by one thread; the functions are pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"
#include "common/status.h"
#include "stream/stream_metadata.h"

namespace tarn::api::kinesis {

inline constexpr std::string_view kServicePrefix = "Kinesis_20131202";
inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// 200 with an AWS JSON 1.1 body.
HttpResponse JsonOk(std::string body);
inline HttpResponse JsonOk(const nlohmann::json& body) { return JsonOk(body.dump()); }

// 400 ValidationException "1 validation error detected: Value <value> at '<member>' failed to
// satisfy constraint: <constraint>". `value` is printed as given (quote it yourself, or "null").
HttpResponse ValidationError(std::string_view value, std::string_view member,
                             std::string_view constraint);
HttpResponse SerializationError(std::string_view message);
HttpResponse InvalidArgumentError(std::string_view message);
// AwsErrorFromStatus, except that kExpired becomes `expired_type` (ExpiredIteratorException for
// iterators, ExpiredNextTokenException for ListShards tokens).
HttpResponse ErrorFromStatus(const Status& status,
                             std::string_view expired_type = "ExpiredIteratorException");

// Epoch seconds with a millisecond fraction, as AWS JSON timestamps: 1700000000.123.
void AppendEpochSeconds(std::string& out, int64_t unix_ms);
double EpochSeconds(int64_t unix_ms);

// A Kinesis Shard object (DescribeStream, ListShards).
nlohmann::json ShardJson(const stream::StreamMetadata& meta, const stream::ShardMetadata& shard);
nlohmann::json HashKeyRangeJson(const stream::HashKeyRange& range);
// {"StreamMode": ...}
nlohmann::json StreamModeDetailsJson(stream::StreamMode mode);

class RequestReader {
public:
    // Parses `body` (an empty body reads as {}); a bad body is a SerializationException.
    explicit RequestReader(std::string_view body);

    bool ok() const { return !error_.has_value(); }
    // The first problem. REQUIRES: !ok().
    HttpResponse error() const { return *error_; }
    // Keeps `response` as the error unless one is kept already.
    void Fail(HttpResponse response);

    // Fields by their JSON name ("StreamName"); messages use Kinesis's member name
    // ("streamName"). Absent or null: nullopt (and an error when `required`). A wrong JSON type
    // is a SerializationException; a length or value outside [min, max] a ValidationException.
    std::optional<std::string> String(std::string_view field, bool required, size_t min_length,
                                      size_t max_length);
    std::optional<int64_t> Int(std::string_view field, bool required, int64_t min, int64_t max);
    std::optional<bool> Bool(std::string_view field);
    // An AWS timestamp: epoch seconds as a number (or an ISO-8601 string); in unix ms.
    std::optional<int64_t> Timestamp(std::string_view field, bool required);
    // The member's JSON when present and of `type`, else nullptr (and an error when required
    // or of another type).
    const nlohmann::json* Member(std::string_view field, nlohmann::json::value_t type,
                                 bool required);

    // StreamName, else StreamARN; an InvalidArgumentException when neither is given.
    std::string Stream();

private:
    const nlohmann::json* Find(std::string_view field, bool required);

    nlohmann::json json_;
    std::optional<HttpResponse> error_;
};

// "streamName" for "StreamName": Kinesis's member names in validation messages.
std::string MemberName(std::string_view field);

}  // namespace tarn::api::kinesis
