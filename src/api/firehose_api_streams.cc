// CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams and
// UpdateDestination: the configuration shapes are firehose_json.h's; this file checks the
// requests' other members and calls the service.
#include <chrono>
#include <string>
#include <vector>

#include "api/firehose_api_internal.h"
#include "api/firehose_json.h"
#include "delivery/delivery_service.h"

namespace tarn::api::firehose {
namespace {

constexpr int64_t kDefaultListLimit = 10;
constexpr int64_t kMaxListLimit = 10000;

// An optional integer member in [min, max]; `fallback` when absent.
Result<int64_t> IntOr(const Json& request, std::string_view member, std::string_view path,
                      int64_t min, int64_t max, int64_t fallback) {
    const Json* value = MemberOf(request, member);
    if (value == nullptr) return fallback;
    if (!value->is_number_integer()) {
        return Status::InvalidArgument("Member '" + std::string(member) + "' must be an integer");
    }
    const int64_t n = value->is_number_unsigned() && value->get<uint64_t>() > uint64_t{INT64_MAX}
                          ? INT64_MAX
                          : value->get<int64_t>();
    if (n < min) {
        return ValidationFailure(
            std::to_string(n), path,
            "Member must have value greater than or equal to " + std::to_string(min));
    }
    if (n > max) {
        return ValidationFailure(
            std::to_string(n), path,
            "Member must have value less than or equal to " + std::to_string(max));
    }
    return n;
}

Result<std::string> StringOr(const Json& request, std::string_view member, std::string fallback) {
    const Json* value = MemberOf(request, member);
    if (value == nullptr) return fallback;
    if (!value->is_string()) {
        return Status::InvalidArgument("Member '" + std::string(member) + "' must be a string");
    }
    return value->get<std::string>();
}

}  // namespace

TARN_FIREHOSE_HANDLER(CreateDeliveryStream) {
    // Firehose's validation message for the name before the configuration's.
    TARN_RETURN_IF_ERROR(DeliveryStreamNameOf(request).status());
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(ctx.clock->Now().time_since_epoch())
            .count();
    TARN_ASSIGN_OR_RETURN(delivery::DeliveryStreamConfig config,
                          ParseCreateDeliveryStream(request, now_ms));
    TARN_ASSIGN_OR_RETURN(auto created, ctx.service.Create(std::move(config)));
    return Json{{"DeliveryStreamARN", DeliveryStreamArn(created.name)}};
}

TARN_FIREHOSE_HANDLER(DeleteDeliveryStream) {
    TARN_ASSIGN_OR_RETURN(std::string name, DeliveryStreamNameOf(request));
    if (const Json* force = MemberOf(request, "AllowForceDelete");
        force != nullptr && !force->is_boolean()) {
        return Status::InvalidArgument("Member 'AllowForceDelete' must be a boolean");
    }
    TARN_RETURN_IF_ERROR(NamingDeliveryStream(ctx.service.Delete(name), name));
    return Json::object();
}

// A delivery stream has one destination, so Limit and ExclusiveStartDestinationId are checked
// and otherwise change nothing.
TARN_FIREHOSE_HANDLER(DescribeDeliveryStream) {
    TARN_ASSIGN_OR_RETURN(std::string name, DeliveryStreamNameOf(request));
    TARN_RETURN_IF_ERROR(IntOr(request, "Limit", "limit", 1, kMaxListLimit, 1).status());
    TARN_RETURN_IF_ERROR(StringOr(request, "ExclusiveStartDestinationId", "").status());
    auto config = ctx.service.Describe(name);
    if (!config.ok()) return NamingDeliveryStream(config.status(), name);
    return Json{{"DeliveryStreamDescription", DeliveryStreamDescriptionJson(*config)}};
}

TARN_FIREHOSE_HANDLER(ListDeliveryStreams) {
    TARN_ASSIGN_OR_RETURN(int64_t limit,
                          IntOr(request, "Limit", "limit", 1, kMaxListLimit, kDefaultListLimit));
    TARN_ASSIGN_OR_RETURN(std::string start,
                          StringOr(request, "ExclusiveStartDeliveryStreamName", ""));
    TARN_ASSIGN_OR_RETURN(std::string type_name, StringOr(request, "DeliveryStreamType", ""));
    std::optional<delivery::DeliveryStreamType> type;
    if (!type_name.empty()) {
        type = delivery::ParseDeliveryStreamType(type_name);
        if (!type) {
            return ValidationFailure("'" + type_name + "'", "deliveryStreamType",
                                     "Member must satisfy enum value set: [DirectPut, "
                                     "KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]");
        }
    }
    // One more than asked tells whether more follow.
    std::vector<std::string> names = ctx.service.List(type, start, static_cast<size_t>(limit) + 1);
    const bool has_more = names.size() > static_cast<size_t>(limit);
    if (has_more) names.resize(static_cast<size_t>(limit));
    return Json{{"DeliveryStreamNames", std::move(names)}, {"HasMoreDeliveryStreams", has_more}};
}

TARN_FIREHOSE_HANDLER(UpdateDestination) {
    TARN_ASSIGN_OR_RETURN(std::string name, DeliveryStreamNameOf(request));
    Status updated = ctx.service.Update(name, [&request](delivery::DeliveryStreamConfig& config) {
        return ApplyUpdateDestination(request, config);
    });
    TARN_RETURN_IF_ERROR(NamingDeliveryStream(std::move(updated), name));
    return Json::object();
}

}  // namespace tarn::api::firehose
