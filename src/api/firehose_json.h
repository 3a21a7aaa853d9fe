// Firehose_20150804's JSON shapes for a delivery stream's configuration: CreateDeliveryStream's
// request into a delivery::DeliveryStreamConfig, DescribeDeliveryStream's
// DeliveryStreamDescription out of one, and UpdateDestination's ExtendedS3DestinationUpdate onto
// one. Member names follow botocore's model (firehose/2015-08-04/service-2.json), so requests
// from boto3's firehose client and the aws CLI parse unchanged.
//
// Errors (no exceptions leave these functions; nlohmann's are caught):
//   - InvalidArgument: a missing required member, a member of the wrong JSON type, a value
//     outside its constraint, an unknown enum value, a feature tarn refuses (another destination
//     type, a Lambda processor, ORC output, ZIP/Snappy compression), or any rule of
//     delivery::Validate. The AWS error type to answer with is InvalidArgumentException.
//   - FailedPrecondition (UpdateDestination only): CurrentDeliveryStreamVersionId is not the
//     config's version_id. The AWS error type to answer with is ConcurrentModificationException.
// Messages name the member by its path, e.g.
//   "1 validation error detected: Value null at 'ExtendedS3DestinationConfiguration.BucketARN'
//    failed to satisfy constraint: Member must not be null".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "delivery/delivery_config.h"

namespace tarn::api::firehose {

inline constexpr std::string_view kServicePrefix = "Firehose_20150804";
// tarn answers as one fixed region and account.
inline constexpr std::string_view kRegion = "us-east-1";
inline constexpr std::string_view kAccountId = "000000000000";

// arn:aws:firehose:us-east-1:000000000000:deliverystream/NAME
std::string DeliveryStreamArn(std::string_view name);

// A CreateDeliveryStream request (the parsed body) as a config with status CREATING, version
// "1", destination kDestinationId and create_time_ms = now_ms; it passes delivery::Validate.
// DeliveryStreamType defaults to DirectPut. ExtendedS3DestinationConfiguration is required (an
// S3DestinationConfiguration is read the same way); every other destination type is refused.
// Members tarn does not use (Tags, encryption, CloudWatch logging, S3 backup, input format
// deserializers) are accepted and ignored.
Result<delivery::DeliveryStreamConfig> ParseCreateDeliveryStream(const nlohmann::json& request,
                                                                 int64_t now_ms);
// Same from the raw body; a body that is not a JSON object is InvalidArgument
// (SerializationException in AWS).
Result<delivery::DeliveryStreamConfig> ParseCreateDeliveryStreamBody(std::string_view body,
                                                                     int64_t now_ms);

// DescribeDeliveryStream's "DeliveryStreamDescription" object for `config`.
nlohmann::json DeliveryStreamDescriptionJson(const delivery::DeliveryStreamConfig& config);

// Applies an UpdateDestination request to `config`: DestinationId must be config's,
// CurrentDeliveryStreamVersionId must equal config.version_id (else FailedPrecondition), and the
// members present in ExtendedS3DestinationUpdate (or S3DestinationUpdate) replace the config's;
// absent members are kept (BufferingHints member by member). Dynamic partitioning cannot be
// switched on or off after creation (as in Firehose). The result must pass delivery::Validate;
// on success version_id is incremented. On any error `config` is left unchanged.
Status ApplyUpdateDestination(const nlohmann::json& request,
                              delivery::DeliveryStreamConfig& config);

}  // namespace tarn::api::firehose
