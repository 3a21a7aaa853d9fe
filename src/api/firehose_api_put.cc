// PutRecord and PutRecordBatch: decode the records' base64 Data, check Firehose's limits, hand
// the batch to the delivery service and answer from its callback (on the internal stream's writer
// thread) once the records are durable.
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "api/aws_json.h"
#include "api/firehose_api_internal.h"
#include "common/base64.h"
#include "delivery/delivery_service.h"

namespace tarn::api::firehose {
namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// The decoded records of one request; the service's views point into `data`, so the batch lives
// (shared with the callback) until the answer is sent.
struct DecodedBatch {
    std::string name;
    std::vector<std::string> data;
    std::vector<std::string_view> views;
};

HttpResponse JsonAnswer(const Json& body) {
    return HttpResponse::Text(200, body.dump(), std::string(kJsonContentType));
}

// Decodes one Record object's Data into `batch`; `path` names the record in messages
// ("record", "records.3.member").
Status DecodeRecord(const Json& record, const std::string& path, DecodedBatch& batch) {
    if (!record.is_object()) {
        return Status::InvalidArgument("Member '" + path + "' must be an object");
    }
    const Json* data = MemberOf(record, "Data");
    if (data == nullptr) {
        return ValidationFailure("null", path + ".data", "Member must not be null");
    }
    if (!data->is_string()) {
        return Status::InvalidArgument("Member '" + path + ".data' must be a base64 string");
    }
    auto decoded = Base64Decode(data->get_ref<const std::string&>());
    // AWS answers a blob that is not base64 as a SerializationException, before validating.
    if (!decoded.ok()) return Status::Aborted(path + ".data: " + decoded.status().message());
    if (decoded->size() > delivery::kMaxPutRecordBytes) {
        return ValidationFailure("of " + std::to_string(decoded->size()) + " bytes", path + ".data",
                                 "Member must have length less than or equal to " +
                                     std::to_string(delivery::kMaxPutRecordBytes));
    }
    batch.data.push_back(std::move(*decoded));
    return Status::Ok();
}

// The request's name and records, checked against Firehose's limits. A body that is not a JSON
// object or Data that is not base64 comes back as Aborted, which Put answers as AWS's
// SerializationException; the rest are InvalidArgument (InvalidArgumentException).
Status ReadBatch(const HttpRequest& request, bool single, DecodedBatch& batch) {
    Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
    if (!body.is_object()) return Status::Aborted("the request body must be a JSON object");
    TARN_ASSIGN_OR_RETURN(batch.name, DeliveryStreamNameOf(body));
    if (single) {
        const Json* record = MemberOf(body, "Record");
        if (record == nullptr) {
            return ValidationFailure("null", "record", "Member must not be null");
        }
        TARN_RETURN_IF_ERROR(DecodeRecord(*record, "record", batch));
    } else {
        const Json* records = MemberOf(body, "Records");
        if (records == nullptr) {
            return ValidationFailure("null", "records", "Member must not be null");
        }
        if (!records->is_array()) return Status::InvalidArgument("Member 'Records' must be a list");
        if (records->empty()) {
            return ValidationFailure("'[]'", "records",
                                     "Member must have length greater than or equal to 1");
        }
        if (records->size() > delivery::kMaxPutBatchRecords) {
            return ValidationFailure("of " + std::to_string(records->size()) + " records",
                                     "records",
                                     "Member must have length less than or equal to " +
                                         std::to_string(delivery::kMaxPutBatchRecords));
        }
        batch.data.reserve(records->size());
        size_t total = 0;
        for (size_t i = 0; i < records->size(); ++i) {
            TARN_RETURN_IF_ERROR(
                DecodeRecord((*records)[i], "records." + std::to_string(i + 1) + ".member", batch));
            total += batch.data.back().size();
        }
        if (total > delivery::kMaxPutBatchBytes) {
            return Status::InvalidArgument("The request's records hold " + std::to_string(total) +
                                           " bytes, more than PutRecordBatch's limit of 4 MiB (" +
                                           std::to_string(delivery::kMaxPutBatchBytes) + ")");
        }
    }
    batch.views.assign(batch.data.begin(), batch.data.end());
    return Status::Ok();
}

// Parses, then hands the batch to the service; `answer` turns its result into the response.
template <typename Answer>
void Put(const FirehoseContext& ctx, const HttpRequest& request, bool single,
         const HttpRespond& respond, Answer answer) {
    auto batch = std::make_shared<DecodedBatch>();
    Status read;
    try {
        read = ReadBatch(request, single, *batch);
    } catch (const std::exception& e) {
        read = Status::Internal(e.what());
    }
    if (!read.ok()) {
        // ReadBatch words a malformed body as Aborted: AWS's SerializationException.
        if (read.code() == StatusCode::kAborted) {
            return respond(AwsErrorResponse(400, "SerializationException", read.message()));
        }
        return respond(FirehoseErrorResponse(read, Operation::kOther));
    }
    ctx.service.PutRecordBatch(
        batch->name, batch->views,
        [batch, respond, answer](Result<delivery::PutBatchResult> result) {
            if (!result.ok()) {
                return respond(FirehoseErrorResponse(
                    NamingDeliveryStream(result.status(), batch->name), Operation::kOther));
            }
            if (result->records.size() != batch->views.size()) {
                return respond(AwsErrorResponse(500, "InternalFailure", "no outcome for a record"));
            }
            respond(answer(*result));
        });
}

}  // namespace

TARN_FIREHOSE_ASYNC_HANDLER(PutRecord) {
    Put(ctx, request, true, respond, [](const delivery::PutBatchResult& result) {
        const delivery::PutBatchRecordResult& record = result.records.front();
        if (!record.error_code.empty()) {
            const int status = record.error_code == "ServiceUnavailableException" ? 503 : 500;
            return AwsErrorResponse(status, record.error_code, record.error_message);
        }
        return JsonAnswer({{"RecordId", record.record_id}, {"Encrypted", false}});
    });
}

TARN_FIREHOSE_ASYNC_HANDLER(PutRecordBatch) {
    Put(ctx, request, false, respond, [](const delivery::PutBatchResult& result) {
        Json responses = Json::array();
        uint32_t failed = 0;
        for (const delivery::PutBatchRecordResult& record : result.records) {
            if (record.error_code.empty()) {
                responses.push_back({{"RecordId", record.record_id}});
            } else {
                ++failed;
                responses.push_back(
                    {{"ErrorCode", record.error_code}, {"ErrorMessage", record.error_message}});
            }
        }
        // Counted here, so the answer always agrees with its own RequestResponses.
        return JsonAnswer({{"FailedPutCount", failed},
                           {"Encrypted", false},
                           {"RequestResponses", std::move(responses)}});
    });
}

}  // namespace tarn::api::firehose
