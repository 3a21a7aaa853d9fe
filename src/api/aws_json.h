// The AWS JSON 1.0/1.1 protocol front door: `POST /` with an `X-Amz-Target: <Service>.<Operation>`
// header and a JSON body, as spoken by the aws CLI, boto3 and the AWS SDKs for Kinesis
// (Kinesis_20131202), Firehose (Firehose_20150804), Glue (AWSGlue) and Athena (AmazonAthena).
//
// Services register their operations; an unknown target, or a POST / without one, answers
// HTTP 400 with AWS's error shape {"__type":"UnknownOperationException","message":...}. A CBOR
// body (application/x-amz-cbor-1.1, the AWS SDK for Java's default for Kinesis) answers 400
// SerializationException telling the user to set AWS_CBOR_DISABLE=true.
// This file is where tarn's Status codes become AWS error shapes (AwsErrorFromStatus).
// Thread-safety: register every operation before the server starts.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http.h"
#include "common/status.h"

namespace tarn::api {

class Router;

class AwsJsonDispatcher {
public:
    // Registers `<service_prefix>.<operation>`, e.g. ("Kinesis_20131202", "PutRecord").
    void Add(std::string_view service_prefix, std::string_view operation, HttpHandler handler);
    // Adds `POST /` to the router, dispatching by X-Amz-Target; labels metrics by operation.
    // REQUIRES: the dispatcher outlives the router.
    void Mount(Router& router) const;

    bool Knows(std::string_view target) const { return handlers_.contains(std::string(target)); }
    void Dispatch(HttpRequest request, HttpRespond respond) const;

private:
    std::unordered_map<std::string, HttpHandler> handlers_;
};

// An AWS JSON error response: status `http_status`, header `x-amzn-ErrorType: <type>`, body
// {"__type": type, "message": message}.
HttpResponse AwsErrorResponse(int http_status, std::string_view type, std::string_view message);

// The AWS error shape for a Status: InvalidArgument → 400 InvalidArgumentException,
// NotFound → 400 ResourceNotFoundException, AlreadyExists → 400 ResourceInUseException,
// ResourceExhausted → 400 LimitExceededException, PermissionDenied → 400 AccessDeniedException,
// Unavailable/IOError/Aborted → 503 ServiceUnavailable (retryable), anything else → 500
// InternalFailure. REQUIRES: !status.ok().
HttpResponse AwsErrorFromStatus(const Status& status);

}  // namespace tarn::api
