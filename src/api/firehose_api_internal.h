// Pieces shared by the Firehose operations' handlers (internal to api/; AddFirehoseApi registers
// them).
//
// A control-plane handler takes the parsed request (a JSON object) and returns the response body,
// or a Status that FirehoseErrorResponse turns into Firehose's error shape; the registration
// wrapper parses the body, catches anything thrown and answers. PutRecord(Batch) answer
// asynchronously and so take the raw request and `respond` themselves.
//
// Thread-safety: handlers may run concurrently; FirehoseContext is immutable after registration.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"
#include "common/clock.h"
#include "common/status.h"

namespace tarn::delivery {
class DeliveryService;
}

namespace tarn::api::firehose {

using Json = nlohmann::json;

struct FirehoseContext {
    delivery::DeliveryService& service;
    Clock* clock;  // never null
};

using Handler = Result<Json> (*)(const FirehoseContext& ctx, const Json& request);
#define TARN_FIREHOSE_HANDLER(name) \
    Result<Json> name(const FirehoseContext& ctx, const Json& request)
#define TARN_FIREHOSE_ASYNC_HANDLER(name) \
    void name(const FirehoseContext& ctx, HttpRequest request, HttpRespond respond)

// firehose_api_streams.cc
TARN_FIREHOSE_HANDLER(CreateDeliveryStream);
TARN_FIREHOSE_HANDLER(DeleteDeliveryStream);
TARN_FIREHOSE_HANDLER(DescribeDeliveryStream);
TARN_FIREHOSE_HANDLER(ListDeliveryStreams);
TARN_FIREHOSE_HANDLER(UpdateDestination);
// firehose_api_put.cc
TARN_FIREHOSE_ASYNC_HANDLER(PutRecord);
TARN_FIREHOSE_ASYNC_HANDLER(PutRecordBatch);

// ---- Errors (firehose_api.cc): where delivery Status codes become Firehose's error types ----

// Which operation failed changes two mappings: NotFound in CreateDeliveryStream is the source
// stream, which Firehose answers with InvalidArgumentException; FailedPrecondition is a stale
// version in UpdateDestination (ConcurrentModificationException) and a delivery stream that is
// not ACTIVE elsewhere (ResourceInUseException).
enum class Operation : uint8_t { kCreate, kUpdate, kOther };
HttpResponse FirehoseErrorResponse(const Status& status, Operation operation);
// A per-record ErrorCode for a failed Status (PutRecordBatch's RequestResponses).
std::string_view FirehoseErrorType(const Status& status);
// NotFound from the service, reworded as Firehose's "Firehose NAME under account 000000000000
// not found."; any other Status unchanged.
Status NamingDeliveryStream(Status status, std::string_view name);

// ---- Reading requests (firehose_api.cc); errors are InvalidArgument naming the member ----

// "1 validation error detected: Value <value> at '<member>' failed to satisfy constraint: <c>".
Status ValidationFailure(std::string_view value, std::string_view member,
                         std::string_view constraint);
// DeliveryStreamName: required, 1..64 of [a-zA-Z0-9_.-].
Result<std::string> DeliveryStreamNameOf(const Json& request);
// The member, or nullptr when absent or null (AWS treats both alike).
const Json* MemberOf(const Json& request, std::string_view member);

}  // namespace tarn::api::firehose
