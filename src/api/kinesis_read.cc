// GetShardIterator and GetRecords (whose answer is written by hand: it is a hot path).
#include <charconv>

#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "common/base64.h"
#include "common/json_escape.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {
namespace {

bool NeedsSequenceNumber(stream::IteratorType type) {
    return type == stream::IteratorType::kAtSequenceNumber ||
           type == stream::IteratorType::kAfterSequenceNumber;
}

void AppendInt(std::string& out, int64_t value) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end);
}

void AppendChildShards(std::string& out, const std::vector<stream::ChildShard>& children) {
    out += ",\"ChildShards\":[";
    for (size_t i = 0; i < children.size(); ++i) {
        const auto& child = children[i];
        if (i > 0) out += ',';
        out += "{\"ShardId\":";
        AppendJsonString(out, child.shard_id);
        out += ",\"ParentShards\":[";
        for (size_t p = 0; p < child.parent_shards.size(); ++p) {
            if (p > 0) out += ',';
            AppendJsonString(out, child.parent_shards[p]);
        }
        out += "],\"HashKeyRange\":{\"StartingHashKey\":\"";
        out += stream::FormatHashKey(child.hash_range.start);
        out += "\",\"EndingHashKey\":\"";
        out += stream::FormatHashKey(child.hash_range.end);
        out += "\"}}";
    }
    out += ']';
}

std::string GetRecordsBody(const stream::GetRecordsResult& result) {
    const auto& records = result.batch.records;
    size_t data_bytes = 0;
    for (const auto& record : records)
        data_bytes += record.data.size() + record.partition_key.size();
    std::string out;
    out.reserve(128 + data_bytes * 4 / 3 + records.size() * 160);
    out += "{\"Records\":[";
    for (size_t i = 0; i < records.size(); ++i) {
        const stream::RecordView& record = records[i];
        if (i > 0) out += ',';
        out += "{\"SequenceNumber\":\"";
        out += result.SequenceNumberOf(record);
        out += "\",\"ApproximateArrivalTimestamp\":";
        AppendEpochSeconds(out, record.arrival_ms);
        out += ",\"Data\":\"";
        Base64EncodeAppend(record.data, &out);
        out += "\",\"PartitionKey\":";
        AppendJsonString(out, record.partition_key);
        out += '}';
    }
    out += ']';
    if (result.next_iterator) {
        out += ",\"NextShardIterator\":";
        AppendJsonString(out, *result.next_iterator);
    }
    out += ",\"MillisBehindLatest\":";
    AppendInt(out, result.millis_behind_latest);
    if (!result.child_shards.empty()) AppendChildShards(out, result.child_shards);
    out += '}';
    return out;
}

}  // namespace

TARN_KINESIS_HANDLER(GetShardIterator) {
    RequestReader in(request.body);
    stream::ShardIteratorRequest iterator;
    iterator.stream = in.Stream();
    iterator.shard_id = in.String("ShardId", true, 1, 128).value_or("");
    const auto type_text = in.String("ShardIteratorType", true, 1, 64);
    const auto sequence = in.String("StartingSequenceNumber", false, 1, 128);
    const auto timestamp = in.Timestamp("Timestamp", false);
    if (!in.ok()) return respond(in.error());
    auto type = stream::ParseIteratorType(*type_text);
    if (!type.ok()) {
        return respond(ValidationError(
            "'" + *type_text + "'", "shardIteratorType",
            "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, "
            "AT_TIMESTAMP, TRIM_HORIZON, LATEST]"));
    }
    iterator.type = *type;
    if (NeedsSequenceNumber(*type) != sequence.has_value()) {
        return respond(InvalidArgumentError(
            "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
            "StartingSequenceNumber or (2) TRIM_HORIZON, LATEST or AT_TIMESTAMP and no "
            "StartingSequenceNumber. Request specified " +
            *type_text + (sequence ? " and a" : " and no") + " StartingSequenceNumber."));
    }
    if (*type == stream::IteratorType::kAtTimestamp && !timestamp) {
        return respond(InvalidArgumentError(
            "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current "
            "request has no timestamp parameter."));
    }
    iterator.sequence_number = sequence.value_or("");
    iterator.timestamp_ms = timestamp.value_or(0);
    auto result = ctx.service.GetShardIterator(iterator);
    if (!result.ok()) return respond(ErrorFromStatus(result.status()));
    std::string body = "{\"ShardIterator\":";
    AppendJsonString(body, *result);
    body += '}';
    respond(JsonOk(std::move(body)));
}

TARN_KINESIS_HANDLER(GetRecords) {
    RequestReader in(request.body);
    const auto iterator = in.String("ShardIterator", true, 1, 512);
    const int64_t limit = in.Int("Limit", false, 1, stream::kMaxGetRecordsLimit)
                              .value_or(stream::kMaxGetRecordsLimit);
    in.String("StreamARN", false, 1, 2048);
    if (!in.ok()) return respond(in.error());
    auto result = ctx.service.GetRecords(*iterator, static_cast<uint32_t>(limit));
    if (!result.ok()) return respond(ErrorFromStatus(result.status(), "ExpiredIteratorException"));
    respond(JsonOk(GetRecordsBody(*result)));
}

}  // namespace tarn::api::kinesis
