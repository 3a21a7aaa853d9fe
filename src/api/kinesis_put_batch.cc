#include "api/kinesis_put_batch.h"

#include <simdjson.h>

#include <charconv>
#include <cstring>

#include "api/aws_json.h"
#include "api/kinesis_json.h"
#include "common/base64.h"
#include "common/json_escape.h"
#include "stream/hash_key.h"
#include "stream/log_format.h"
#include "stream/sequence_number.h"
#include "stream/stream_log.h"

namespace tarn::api::kinesis {
namespace {

// The DOM API, not ondemand: ondemand is compiled for the build's target CPU only (the portable
// "fallback" kernel in a generic x86-64 build), while the DOM parser picks the fastest kernel of
// the running CPU (haswell, icelake) at run time.
namespace dom = simdjson::dom;
using Error = std::optional<HttpResponse>;

// 'records.3.member.data' for PutRecords (1-based, as Kinesis), 'data' for PutRecord.
std::string Member(int record_number, std::string_view field) {
    if (record_number == 0) return std::string(field);
    return "records." + std::to_string(record_number) + ".member." + std::string(field);
}

HttpResponse BadJson(std::string_view where) {
    return SerializationError("could not parse the request body as JSON (" + std::string(where) +
                              ")");
}

// The ExplicitHashKey's pattern (0|([1-9]\d{0,38})), then its range.
Error ReadExplicitHashKey(std::string_view text, int record_number, stream::RecordInput& record) {
    bool pattern_ok = !text.empty() && text.size() <= 39 && (text == "0" || text[0] != '0');
    for (char c : text) pattern_ok = pattern_ok && c >= '0' && c <= '9';
    if (!pattern_ok) {
        return ValidationError(
            "'" + std::string(text.substr(0, 64)) + "'", Member(record_number, "explicitHashKey"),
            "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
    }
    auto key = stream::ParseHashKey(text);
    if (!key.ok()) {
        return InvalidArgumentError(
            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
            "Specified value was " +
            std::string(text));
    }
    record.explicit_hash_key = *key;
    return std::nullopt;
}

// The next `size` bytes of the body for a key or datum. Each is no longer than the JSON text it
// came from, so they always fit; nullptr if they somehow did not.
char* Reserve(PutBatch& batch, size_t size) {
    if (batch.used + size > batch.body.size()) return nullptr;
    char* at = batch.body.data() + batch.used;
    batch.used += size;
    return at;
}

// Reads one of a record's fields; other fields are skipped. Writes the key and the decoded data
// over the body (see PutBatch), where the record's views point.
Error ReadRecordField(std::string_view name, dom::element value, int record_number, PutBatch& batch,
                      stream::RecordInput& record, bool& has_key, bool& has_data) {
    if (name != "Data" && name != "PartitionKey" && name != "ExplicitHashKey") return std::nullopt;
    if (value.is_null()) return std::nullopt;
    std::string_view text;
    if (value.get_string().get(text)) return BadJson(std::string(name) + " must be a string");
    if (name == "PartitionKey") {
        if (text.size() < stream::log_format::kMinPartitionKeySize ||
            text.size() > stream::log_format::kMaxPartitionKeySize) {
            const bool short_key = text.empty();
            return ValidationError("'" + std::string(text) + "'",
                                   Member(record_number, "partitionKey"),
                                   short_key ? "Member must have length greater than or equal to 1"
                                             : "Member must have length less than or equal to 256");
        }
        char* at = Reserve(batch, text.size());
        if (at == nullptr) return BadJson("a partition key is longer than its text");
        std::memcpy(at, text.data(), text.size());
        record.partition_key = std::string_view(at, text.size());
        has_key = true;
    } else if (name == "Data") {
        if (text.size() % 4 == 0 && Base64DecodedSize(text) > stream::log_format::kMaxDataSize) {
            return ValidationError(
                "'ByteBuffer of " + std::to_string(Base64DecodedSize(text)) + " bytes'",
                Member(record_number, "data"),
                "Member must have length less than or equal to 1048576");
        }
        // A bad length fails in Base64DecodeTo before anything is written.
        char* at = Reserve(batch, text.size() % 4 == 0 ? Base64DecodedSize(text) : 0);
        if (at == nullptr) return BadJson("a record's data is longer than its text");
        size_t written = 0;
        if (Status s = Base64DecodeTo(text, at, &written); !s.ok()) {
            return SerializationError("Base64 decoding of " + Member(record_number, "data") +
                                      " failed: " + s.message());
        }
        record.data = std::string_view(at, written);
        has_data = true;
    } else {
        return ReadExplicitHashKey(text, record_number, record);
    }
    return std::nullopt;
}

Error CheckRecordComplete(int record_number, bool has_key, bool has_data) {
    if (!has_data)
        return ValidationError("null", Member(record_number, "data"), "Member must not be null");
    if (!has_key)
        return ValidationError("null", Member(record_number, "partitionKey"),
                               "Member must not be null");
    return std::nullopt;
}

Error ReadRecord(dom::element value, int record_number, PutBatch& batch) {
    dom::object object;
    if (value.get_object().get(object)) return BadJson("a record must be an object");
    stream::RecordInput& record = batch.records.emplace_back();
    bool has_key = false, has_data = false;
    for (const auto [name, field] : object) {
        if (Error e =
                ReadRecordField(name, field, record_number, batch, record, has_key, has_data)) {
            return e;
        }
    }
    return CheckRecordComplete(record_number, has_key, has_data);
}

Error ReadStreamField(std::string_view name, dom::element value, PutBatch& batch) {
    std::string_view text;
    if (value.get_string().get(text)) return BadJson(std::string(name) + " must be a string");
    const bool is_arn = name == "StreamARN";
    if (text.empty() || text.size() > (is_arn ? 2048u : 128u)) {
        return ValidationError("'" + std::string(text) + "'", is_arn ? "streamARN" : "streamName",
                               "Member must have length between 1 and 128");
    }
    // StreamName wins over StreamARN.
    if (batch.stream.empty() || !is_arn) batch.stream = text;
    return std::nullopt;
}

Error CheckBatch(const PutBatch& batch, bool saw_records, size_t count) {
    if (batch.stream.empty()) {
        return InvalidArgumentError("Either StreamName or StreamARN should be provided.");
    }
    if (!saw_records) return ValidationError("null", "records", "Member must not be null");
    if (count < 1) {
        return ValidationError("'[]'", "records",
                               "Member must have length greater than or equal to 1");
    }
    if (batch.used > kMaxPutRecordsBytes) {
        return InvalidArgumentError("Records size exceeds 5 MB limit");
    }
    return std::nullopt;
}

// Takes `body`, pads it for simdjson and parses it into the thread's parser; the top-level object.
Error StartParse(std::string body, PutBatch& batch, dom::object& top) {
    batch.body = std::move(body);
    batch.body.reserve(batch.body.size() + simdjson::SIMDJSON_PADDING);
    thread_local dom::parser parser;
    dom::element doc;
    if (parser.parse(batch.body.data(), batch.body.size(), /*realloc_if_needed=*/false).get(doc)) {
        return BadJson("not JSON");
    }
    if (doc.get_object().get(top)) return BadJson("the body must be an object");
    return std::nullopt;
}

Error ReadRecords(dom::element value, PutBatch& batch) {
    dom::array records;
    if (value.get_array().get(records)) return BadJson("Records must be an array");
    const size_t count = records.size();
    if (count > kMaxPutRecordsCount) {
        return ValidationError("'[" + std::to_string(count) + " records]'", "records",
                               "Member must have length less than or equal to 500");
    }
    batch.records.reserve(count);
    int record_number = 0;
    for (dom::element record : records) {
        if (Error e = ReadRecord(record, ++record_number, batch)) return e;
    }
    return std::nullopt;
}

}  // namespace

std::optional<HttpResponse> ParsePutRecords(std::string body, PutBatch& batch) {
    dom::object top;
    if (Error e = StartParse(std::move(body), batch, top)) return e;
    bool saw_records = false;
    for (const auto [name, value] : top) {
        if (name == "StreamName" || name == "StreamARN") {
            if (Error e = ReadStreamField(name, value, batch)) return e;
        } else if (name == "Records") {
            saw_records = true;
            if (Error e = ReadRecords(value, batch)) return e;
        }
    }
    return CheckBatch(batch, saw_records, batch.records.size());
}

std::optional<HttpResponse> ParsePutRecord(std::string body, PutBatch& batch) {
    dom::object top;
    if (Error e = StartParse(std::move(body), batch, top)) return e;
    stream::RecordInput& record = batch.records.emplace_back();
    bool has_key = false, has_data = false;
    for (const auto [name, value] : top) {
        if (name == "StreamName" || name == "StreamARN") {
            if (Error e = ReadStreamField(name, value, batch)) return e;
        } else if (Error e = ReadRecordField(name, value, 0, batch, record, has_key, has_data)) {
            return e;
        }
    }
    if (Error e = CheckRecordComplete(0, has_key, has_data)) return e;
    return CheckBatch(batch, true, 1);
}

std::string_view PutRecordErrorCode(stream::PutRecordError error) {
    return error == stream::PutRecordError::kThroughputExceeded
               ? "ProvisionedThroughputExceededException"
               : "InternalFailure";
}

std::string PutRecordsResponseBody(const stream::PutRecordsResult& result) {
    // Every stored record's entry has the same length; they are written through a cursor into
    // space sized up front, the rare failed ones appended.
    static constexpr std::string_view kSeqOpen = "{\"SequenceNumber\":\"";
    static constexpr std::string_view kShardOpen = "\",\"ShardId\":\"";
    static constexpr size_t kShardIdChars = 20;  // shardId-NNNNNNNNNNNN
    static constexpr size_t kStoredEntry =
        kSeqOpen.size() + stream::kSequenceNumberDigits + kShardOpen.size() + kShardIdChars + 2 + 1;
    std::string out;
    out.reserve(64 + result.records.size() * kStoredEntry);
    out += "{\"FailedRecordCount\":";
    char digits[16];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, result.failed_record_count);
    out.append(digits, end);
    out += ",\"Records\":[";
    stream::SequenceNumberFormatter sequences(result.stream_epoch_ms);
    std::string shard_id;
    uint32_t shard_id_of = UINT32_MAX;
    for (size_t i = 0; i < result.records.size(); ++i) {
        const stream::PutRecordOutcome& record = result.records[i];
        if (i > 0) out += ',';
        if (record.error != stream::PutRecordError::kNone) {
            out += "{\"ErrorCode\":\"";
            out += PutRecordErrorCode(record.error);
            out += "\",\"ErrorMessage\":";
            AppendJsonString(out, record.error_message);
            out += '}';
            continue;
        }
        if (record.shard != shard_id_of) {
            shard_id.clear();
            stream::AppendShardId(shard_id, record.shard);
            shard_id_of = record.shard;
        }
        const size_t at = out.size();
        out.resize(at + kStoredEntry - 1);
        char* p = out.data() + at;
        p = std::copy(kSeqOpen.begin(), kSeqOpen.end(), p);
        sequences.FormatTo(record.shard, record.offset, p);
        p += stream::kSequenceNumberDigits;
        p = std::copy(kShardOpen.begin(), kShardOpen.end(), p);
        p = std::copy(shard_id.begin(), shard_id.end(), p);
        *p++ = '"';
        *p++ = '}';
    }
    out += "]}";
    return out;
}

}  // namespace tarn::api::kinesis
