#include "cli/kinesis_records.h"

#include <simdjson.h>

#include "common/base64.h"
#include "common/json_escape.h"

namespace tarn::cli {
namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view kRecordOpen = R"({"Data":")";
constexpr std::string_view kKeyField = R"(","PartitionKey":)";

od::parser& ThreadParser() {
    thread_local od::parser parser;
    return parser;
}

// simdjson reads up to SIMDJSON_PADDING bytes past the end: use (and if need be grow) the
// string's spare capacity rather than copying the body.
simdjson::padded_string_view Padded(std::string* s) {
    if (s->capacity() - s->size() < simdjson::SIMDJSON_PADDING) {
        s->reserve(s->size() + simdjson::SIMDJSON_PADDING);
    }
    return simdjson::padded_string_view(s->data(), s->size(), s->capacity());
}

Status Malformed(std::string_view what, simdjson::error_code error) {
    return Status::InvalidArgument("malformed " + std::string(what) +
                                   " answer: " + simdjson::error_message(error));
}

// Reads one entry of Records: a success goes to the sink, a failure is counted in *answer.
simdjson::error_code ReadRecordEntry(od::object entry, size_t index, AckSink* sink,
                                     PutRecordsAnswer* answer, PutApi api) {
    std::string_view shard, sequence, error_code, error_message;
    const bool firehose = api == PutApi::kFirehosePutRecordBatch;
    for (auto field : entry) {
        std::string_view key, value;
        if (auto e = field.unescaped_key().get(key)) return e;
        if (key != "ShardId" && key != "SequenceNumber" && key != "ErrorCode" &&
            key != "ErrorMessage" && key != "RecordId") {
            continue;  // unknown fields are skipped by the iteration
        }
        if (auto e = field.value().get_string().get(value)) return e;
        if (key == "ShardId") shard = value;
        if (key == "SequenceNumber" || key == "RecordId") sequence = value;
        if (key == "ErrorCode") error_code = value;
        if (key == "ErrorMessage") error_message = value;
    }
    if (!error_code.empty()) {
        if (answer->first_failure.empty()) {
            answer->first_failure = std::string(error_code) + ": " + std::string(error_message);
        }
        return simdjson::SUCCESS;
    }
    if ((shard.empty() && !firehose) || sequence.empty()) return simdjson::INCORRECT_TYPE;
    if (sink != nullptr) sink->Acked(index, shard, sequence);
    return simdjson::SUCCESS;
}

}  // namespace

std::string_view PutApiTarget(PutApi api) {
    return api == PutApi::kFirehosePutRecordBatch ? "Firehose_20150804.PutRecordBatch"
                                                  : "Kinesis_20131202.PutRecords";
}

void PutRecordsBody::Begin(std::string_view stream_name) {
    text_.clear();
    text_.append(api_ == PutApi::kFirehosePutRecordBatch ? R"({"DeliveryStreamName":)"
                                                         : R"({"StreamName":)");
    AppendJsonString(text_, stream_name);
    text_.append(R"(,"Records":[)");
    records_ = 0;
}

void PutRecordsBody::Add(std::string_view partition_key, std::string_view data) {
    if (records_ > 0) text_.push_back(',');
    text_.append(kRecordOpen);
    Base64EncodeAppend(data, &text_);
    if (api_ == PutApi::kFirehosePutRecordBatch) {
        text_.append("\"}");  // direct puts have no partition key
    } else {
        text_.append(kKeyField);
        AppendJsonString(text_, partition_key);
        text_.push_back('}');
    }
    ++records_;
}

void PutRecordsBody::Finish() { text_.append("]}"); }

Result<PutRecordsAnswer> ParsePutRecordsAnswer(std::string* body, size_t records, AckSink* sink,
                                               PutApi api) {
    const bool firehose = api == PutApi::kFirehosePutRecordBatch;
    const std::string_view kWhat = firehose ? "PutRecordBatch" : "PutRecords";
    od::document doc;
    if (auto e = ThreadParser().iterate(Padded(body)).get(doc)) return Malformed(kWhat, e);
    od::object top;
    if (auto e = doc.get_object().get(top)) return Malformed(kWhat, e);
    PutRecordsAnswer answer;
    if (auto e =
            top.find_field_unordered(firehose ? "FailedPutCount" : "FailedRecordCount")
                .get_uint64()
                .get(answer.failed_records)) {
        return Malformed(kWhat, e);
    }
    if (sink == nullptr && answer.failed_records == 0) return answer;
    od::array entries;
    if (auto e = top.find_field_unordered(firehose ? "RequestResponses" : "Records")
                     .get_array()
                     .get(entries)) {
        return Malformed(kWhat, e);
    }
    size_t index = 0;
    for (auto item : entries) {
        od::object entry;
        if (auto e = item.get_object().get(entry)) return Malformed(kWhat, e);
        if (index >= records) break;
        if (auto e = ReadRecordEntry(entry, index, sink, &answer, api)) {
            return Malformed(kWhat, e);
        }
        ++index;
        if (sink == nullptr && !answer.first_failure.empty()) return answer;
    }
    if (index != records) {
        return Status::InvalidArgument(std::string(kWhat) + " answer has " + std::to_string(index) +
                                       " records for a request of " + std::to_string(records));
    }
    return answer;
}

Result<std::string> ParseStreamStatus(std::string* body) {
    constexpr std::string_view kWhat = "DescribeStreamSummary";
    od::document doc;
    if (auto e = ThreadParser().iterate(Padded(body)).get(doc)) return Malformed(kWhat, e);
    std::string_view status;
    if (auto e =
            doc.at_pointer("/StreamDescriptionSummary/StreamStatus").get_string().get(status)) {
        return Malformed(kWhat, e);
    }
    return std::string(status);
}

std::string DescribeAwsError(unsigned http_status, std::string_view body) {
    const std::string suffix = " (HTTP " + std::to_string(http_status) + ")";
    std::string copy(body);
    od::document doc;
    od::object top;
    std::string_view type, message;
    if (!ThreadParser().iterate(Padded(&copy)).get(doc) && !doc.get_object().get(top)) {
        for (auto field : top) {
            std::string_view key, value;
            if (field.unescaped_key().get(key) || field.value().get_string().get(value)) continue;
            if (key == "__type") type = value;
            if (key == "message" || key == "Message") message = value;
        }
    }
    if (type.empty()) {
        constexpr size_t kMaxQuoted = 200;
        std::string quoted = body.size() > kMaxQuoted
                                 ? std::string(body.substr(0, kMaxQuoted)) + "..."
                                 : std::string(body);
        return "unexpected answer '" + quoted + "'" + suffix;
    }
    if (const size_t hash = type.rfind('#'); hash != std::string_view::npos) {
        type.remove_prefix(hash + 1);
    }
    return std::string(type) + ": " + std::string(message) + suffix;
}

}  // namespace tarn::cli
