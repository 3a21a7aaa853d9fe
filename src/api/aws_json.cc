#include "api/aws_json.h"

#include "api/router.h"
#include "common/json_escape.h"

namespace tarn::api {

void AwsJsonDispatcher::Add(std::string_view service_prefix, std::string_view operation,
                            HttpHandler handler) {
    std::string target(service_prefix);
    target += '.';
    target += operation;
    handlers_[std::move(target)] = std::move(handler);
}

void AwsJsonDispatcher::Mount(Router& router) const {
    router.Add(
        "POST", "/",
        [this](const HttpRequest& request) {
            // Bounded label set: known operations by name, everything else as one label.
            std::string target(request.Header("x-amz-target"));
            return Knows(target) ? target : std::string("aws_unknown_operation");
        },
        [this](HttpRequest request, HttpRespond respond) {
            Dispatch(std::move(request), std::move(respond));
        });
}

void AwsJsonDispatcher::Dispatch(HttpRequest request, HttpRespond respond) const {
    const std::string target(request.Header("x-amz-target"));
    if (target.empty()) {
        respond(AwsErrorResponse(400, "UnknownOperationException",
                                 "missing X-Amz-Target header: expected <Service>.<Operation>"));
        return;
    }
    if (request.Header("content-type").starts_with("application/x-amz-cbor")) {
        // The AWS SDK for Java sends CBOR to Kinesis by default; tarn speaks JSON only.
        respond(AwsErrorResponse(400, "SerializationException",
                                 "tarn accepts AWS JSON 1.1, not CBOR: set AWS_CBOR_DISABLE=true "
                                 "(or -Dcom.amazonaws.sdk.disableCbor=true) in the client"));
        return;
    }
    auto it = handlers_.find(target);
    if (it == handlers_.end()) {
        respond(AwsErrorResponse(400, "UnknownOperationException",
                                 "operation " + target + " is not supported by tarn"));
        return;
    }
    it->second(std::move(request), std::move(respond));
}

HttpResponse AwsErrorResponse(int http_status, std::string_view type, std::string_view message) {
    std::string body = "{\"__type\":";
    AppendJsonString(body, type);
    body += ",\"message\":";
    AppendJsonString(body, message);
    body += '}';
    HttpResponse response =
        HttpResponse::Text(http_status, std::move(body), "application/x-amz-json-1.1");
    response.SetHeader("x-amzn-ErrorType", std::string(type));
    return response;
}

HttpResponse AwsErrorFromStatus(const Status& status) {
    const std::string& msg = status.message();
    switch (status.code()) {
        case StatusCode::kInvalidArgument:
            return AwsErrorResponse(400, "InvalidArgumentException", msg);
        case StatusCode::kNotFound:
            return AwsErrorResponse(400, "ResourceNotFoundException", msg);
        case StatusCode::kAlreadyExists:
            return AwsErrorResponse(400, "ResourceInUseException", msg);
        case StatusCode::kFailedPrecondition:
            return AwsErrorResponse(400, "ResourceInUseException", msg);
        case StatusCode::kResourceExhausted:
            return AwsErrorResponse(400, "LimitExceededException", msg);
        case StatusCode::kPermissionDenied:
            return AwsErrorResponse(400, "AccessDeniedException", msg);
        case StatusCode::kUnavailable:
        case StatusCode::kIOError:
        case StatusCode::kAborted:
            return AwsErrorResponse(503, "ServiceUnavailable", msg);
        default:
            return AwsErrorResponse(500, "InternalFailure", msg);
    }
}

}  // namespace tarn::api
