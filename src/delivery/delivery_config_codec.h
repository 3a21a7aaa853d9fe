// How a DeliveryStreamConfig is stored: as one JSON object (in the catalog under
// kConfigNamespace, and inside each commit intent's payload, so that a replayed intent uses the
// configuration that was in force when it was recorded). Every member is written; decoding a
// text that is not what EncodeDeliveryConfig wrote is Corruption.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "delivery/delivery_config.h"

namespace tarn::delivery {

nlohmann::json DeliveryConfigToJson(const DeliveryStreamConfig& config);
Result<DeliveryStreamConfig> DeliveryConfigFromJson(const nlohmann::json& json);

std::string EncodeDeliveryConfig(const DeliveryStreamConfig& config);
Result<DeliveryStreamConfig> DecodeDeliveryConfig(std::string_view text);

}  // namespace tarn::delivery
