// AddFirehoseApi, the Firehose error mapping and the request-reading helpers every Firehose
// handler shares.
#include "api/firehose_api.h"

#include <exception>
#include <memory>

#include "api/firehose_api_internal.h"
#include "api/firehose_json.h"
#include "delivery/delivery_config.h"

namespace tarn::api {
namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// Parses the body, runs the handler, and answers exactly once. Nothing thrown escapes: a handler
// bug answers 500 InternalFailure instead of dropping the connection.
void Serve(const firehose::FirehoseContext& ctx, firehose::Handler handler,
           firehose::Operation operation, const HttpRequest& req, const HttpRespond& respond) {
    try {
        firehose::Json request = req.body.empty() ? firehose::Json::object()
                                                  : firehose::Json::parse(req.body, nullptr, false);
        if (!request.is_object()) {
            return respond(AwsErrorResponse(400, "SerializationException",
                                            "the request body must be a JSON object"));
        }
        Result<firehose::Json> response = handler(ctx, request);
        if (!response.ok()) {
            return respond(firehose::FirehoseErrorResponse(response.status(), operation));
        }
        std::string body = response->dump(-1, ' ', false, firehose::Json::error_handler_t::replace);
        respond(HttpResponse::Text(200, std::move(body), std::string(kJsonContentType)));
    } catch (const std::exception& e) {
        respond(AwsErrorResponse(500, "InternalFailure", e.what()));
    }
}

}  // namespace

void AddFirehoseApi(AwsJsonDispatcher& dispatcher, delivery::DeliveryService& service,
                    ThreadPool* pool) {
    auto ctx = std::make_shared<const firehose::FirehoseContext>(
        firehose::FirehoseContext{service, SystemClock::Instance()});
    const auto add = [&](std::string_view name, firehose::Handler handler,
                         firehose::Operation operation) {
        dispatcher.Add(firehose::kServicePrefix, name,
                       [ctx, handler, operation, pool](HttpRequest request, HttpRespond respond) {
                           if (pool == nullptr)
                               return Serve(*ctx, handler, operation, request, respond);
                           // Creating, deleting and updating write the catalog and wait for its
                           // fsync: keep them off the I/O threads, which also answer ingest.
                           auto shared = std::make_shared<std::pair<HttpRequest, HttpRespond>>(
                               std::move(request), std::move(respond));
                           Status queued = pool->Submit([ctx, handler, operation, shared] {
                               Serve(*ctx, handler, operation, shared->first, shared->second);
                           });
                           if (!queued.ok()) {
                               shared->second(firehose::FirehoseErrorResponse(
                                   Status::Unavailable(queued.message()), operation));
                           }
                       });
    };
    using firehose::Operation;
    add("CreateDeliveryStream", firehose::CreateDeliveryStream, Operation::kCreate);
    add("DeleteDeliveryStream", firehose::DeleteDeliveryStream, Operation::kOther);
    add("DescribeDeliveryStream", firehose::DescribeDeliveryStream, Operation::kOther);
    add("ListDeliveryStreams", firehose::ListDeliveryStreams, Operation::kOther);
    add("UpdateDestination", firehose::UpdateDestination, Operation::kUpdate);

    const auto add_async = [&](std::string_view name, auto handler) {
        dispatcher.Add(firehose::kServicePrefix, name,
                       [ctx, handler](HttpRequest request, HttpRespond respond) {
                           handler(*ctx, std::move(request), std::move(respond));
                       });
    };
    add_async("PutRecord", firehose::PutRecord);
    add_async("PutRecordBatch", firehose::PutRecordBatch);
}

namespace firehose {

// ---- Errors ----

std::string_view FirehoseErrorType(const Status& status) {
    switch (status.code()) {
        case StatusCode::kNotFound:
            return "ResourceNotFoundException";
        case StatusCode::kAlreadyExists:
        case StatusCode::kFailedPrecondition:
            return "ResourceInUseException";
        case StatusCode::kInvalidArgument:
            return "InvalidArgumentException";
        case StatusCode::kResourceExhausted:
            return "LimitExceededException";
        case StatusCode::kUnavailable:
        case StatusCode::kIOError:
        case StatusCode::kAborted:
            return "ServiceUnavailableException";
        default:
            return "InternalFailure";
    }
}

HttpResponse FirehoseErrorResponse(const Status& status, Operation operation) {
    std::string_view type = FirehoseErrorType(status);
    if (operation == Operation::kCreate && status.code() == StatusCode::kNotFound) {
        // CreateDeliveryStream's model has no ResourceNotFoundException: a missing source
        // stream is an invalid argument there.
        type = "InvalidArgumentException";
    } else if (operation == Operation::kUpdate &&
               status.code() == StatusCode::kFailedPrecondition) {
        type = "ConcurrentModificationException";
    }
    int http_status = 400;
    if (type == "ServiceUnavailableException") http_status = 503;
    if (type == "InternalFailure") http_status = 500;
    return AwsErrorResponse(http_status, type, status.message());
}

Status NamingDeliveryStream(Status status, std::string_view name) {
    if (status.code() != StatusCode::kNotFound) return status;
    return Status::NotFound("Firehose " + std::string(name) + " under account " +
                            std::string(kAccountId) + " not found.");
}

// ---- Reading requests ----

Status ValidationFailure(std::string_view value, std::string_view member,
                         std::string_view constraint) {
    return Status::InvalidArgument("1 validation error detected: Value " + std::string(value) +
                                   " at '" + std::string(member) +
                                   "' failed to satisfy constraint: " + std::string(constraint));
}

const Json* MemberOf(const Json& request, std::string_view member) {
    if (!request.is_object()) return nullptr;
    auto it = request.find(member);
    if (it == request.end() || it->is_null()) return nullptr;
    return &*it;
}

Result<std::string> DeliveryStreamNameOf(const Json& request) {
    const Json* value = MemberOf(request, "DeliveryStreamName");
    if (value == nullptr) {
        return ValidationFailure("null", "deliveryStreamName", "Member must not be null");
    }
    if (!value->is_string()) {
        return Status::InvalidArgument("Member 'DeliveryStreamName' must be a string");
    }
    std::string name = value->get<std::string>();
    const std::string quoted = "'" + name + "'";
    if (name.empty()) {
        return ValidationFailure(quoted, "deliveryStreamName",
                                 "Member must have length greater than or equal to 1");
    }
    if (name.size() > delivery::kMaxDeliveryStreamNameLength) {
        return ValidationFailure(quoted, "deliveryStreamName",
                                 "Member must have length less than or equal to 64");
    }
    for (char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!allowed) {
            return ValidationFailure(
                quoted, "deliveryStreamName",
                "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }
    return name;
}

}  // namespace firehose
}  // namespace tarn::api
