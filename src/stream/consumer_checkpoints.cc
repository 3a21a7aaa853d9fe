#include "stream/consumer_checkpoints.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "stream/atomic_file.h"

namespace tarn::stream {
namespace {

constexpr int kFormatVersion = 1;

}  // namespace

Result<std::unique_ptr<ConsumerCheckpoints>> ConsumerCheckpoints::Load(std::string dir) {
    std::unique_ptr<ConsumerCheckpoints> c(new ConsumerCheckpoints(std::move(dir)));
    const std::string path = c->dir_ + "/" + std::string(kConsumersFileName);
    Result<std::string> text = ReadWholeFile(path);
    if (text.status().code() == StatusCode::kNotFound) return c;
    if (!text.ok()) return text.status();
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return Status::Corruption(path + ": not a JSON object");
    try {
        if (j.at("format_version").get<int>() != kFormatVersion) {
            return Status::Unimplemented(path + ": unknown format_version");
        }
        for (const auto& [name, shards] : j.at("consumers").items()) {
            ByShard& by_shard = c->consumers_[name];
            for (const auto& [shard, next] : shards.items()) {
                by_shard[static_cast<uint32_t>(std::stoul(shard))] = next.get<uint64_t>();
            }
        }
    } catch (const std::exception& e) {
        return Status::Corruption(path + ": bad field: " + e.what());
    }
    return c;
}

Status ConsumerCheckpoints::Save() const {
    nlohmann::json consumers = nlohmann::json::object();
    for (const auto& [name, by_shard] : consumers_) {
        nlohmann::json shards = nlohmann::json::object();
        for (const auto& [shard, next] : by_shard) shards[std::to_string(shard)] = next;
        consumers[name] = std::move(shards);
    }
    nlohmann::json j;
    j["format_version"] = kFormatVersion;
    j["consumers"] = std::move(consumers);
    return WriteFileAtomically(dir_, kConsumersFileName, j.dump(2) + "\n");
}

Status ConsumerCheckpoints::Register(std::string_view consumer) {
    if (consumer.empty()) return Status::InvalidArgument("a consumer needs a name");
    std::lock_guard lock(mu_);
    if (consumers_.contains(consumer)) return Status::Ok();
    consumers_.emplace(std::string(consumer), ByShard{});
    Status st = Save();
    if (!st.ok()) consumers_.erase(consumers_.find(consumer));
    return st;
}

Status ConsumerCheckpoints::Deregister(std::string_view consumer) {
    std::lock_guard lock(mu_);
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) {
        return Status::NotFound("no consumer " + std::string(consumer) + " on this stream");
    }
    ByShard saved = std::move(it->second);
    consumers_.erase(it);
    Status st = Save();
    if (!st.ok()) consumers_.emplace(std::string(consumer), std::move(saved));
    return st;
}

Status ConsumerCheckpoints::Checkpoint(std::string_view consumer, uint32_t shard, Offset next) {
    std::lock_guard lock(mu_);
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) {
        return Status::NotFound("no consumer " + std::string(consumer) + " on this stream");
    }
    auto [at, inserted] = it->second.try_emplace(shard, ToU64(next));
    if (!inserted && at->second >= ToU64(next)) return Status::Ok();  // monotonic
    const uint64_t before = inserted ? 0 : at->second;
    at->second = ToU64(next);
    Status st = Save();
    if (!st.ok()) {
        if (inserted) {
            it->second.erase(at);
        } else {
            at->second = before;
        }
    }
    return st;
}

Result<std::map<uint32_t, Offset>> ConsumerCheckpoints::Get(std::string_view consumer) const {
    std::lock_guard lock(mu_);
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) {
        return Status::NotFound("no consumer " + std::string(consumer) + " on this stream");
    }
    std::map<uint32_t, Offset> out;
    for (const auto& [shard, next] : it->second) out.emplace(shard, Offset{next});
    return out;
}

Offset ConsumerCheckpoints::ProtectedOffset(uint32_t shard) const {
    std::lock_guard lock(mu_);
    uint64_t lowest = UINT64_MAX;
    for (const auto& [name, by_shard] : consumers_) {
        auto it = by_shard.find(shard);
        lowest = std::min(lowest, it == by_shard.end() ? uint64_t{0} : it->second);
    }
    return Offset{lowest};
}

}  // namespace tarn::stream
