#include "stream/stream_metadata.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/names.h"
#include "stream/atomic_file.h"
#include "stream/file_io.h"
#include "stream/stream_log.h"

namespace tarn::stream {
namespace {

std::string StreamLabel(const StreamMetadata& m, std::string_view account) {
    return "stream " + m.name + " under account " + std::string(account);
}

std::string AccountOf(const StreamMetadata& m) {
    // arn:aws:kinesis:<region>:<account>:stream/<name>
    size_t pos = 0;
    for (int i = 0; i < 4 && pos != std::string::npos; ++i) pos = m.arn.find(':', pos + 1);
    if (pos == std::string::npos) return "";
    const size_t end = m.arn.find(':', pos + 1);
    return end == std::string::npos ? "" : m.arn.substr(pos + 1, end - pos - 1);
}

Status RequireActive(const StreamMetadata& m) {
    if (m.status == StreamStatus::kActive) return Status::Ok();
    return Status::FailedPrecondition("Stream " + m.name + " under account " + AccountOf(m) +
                                      " not ACTIVE, instead in state " +
                                      std::string(StreamStatusName(m.status)) + ".");
}

Status CheckShardLimit(const StreamMetadata& m, uint32_t open_after,
                       const StreamMetadataOptions& options) {
    if (open_after <= options.max_shards_per_stream) return Status::Ok();
    return Status::ResourceExhausted(
        "This request would exceed the shard limit for the account " + AccountOf(m) + " in " +
        options.region + ". Current limit of shards is " +
        std::to_string(options.max_shards_per_stream) + " per stream; the stream " + m.name +
        " would have " + std::to_string(open_after) + " open shards.");
}

uint64_t NextOffsetOf(const NextOffsetFn& fn, uint32_t index) { return fn ? fn(index) : 0; }

constexpr std::string_view kStatusNames[] = {"CREATING", "ACTIVE", "UPDATING", "DELETING"};
constexpr std::string_view kModeNames[] = {"PROVISIONED", "ON_DEMAND"};

}  // namespace

std::string_view StreamStatusName(StreamStatus status) {
    return kStatusNames[static_cast<size_t>(status)];
}
std::string_view StreamModeName(StreamMode mode) { return kModeNames[static_cast<size_t>(mode)]; }

Result<StreamStatus> ParseStreamStatus(std::string_view text) {
    for (size_t i = 0; i < std::size(kStatusNames); ++i) {
        if (kStatusNames[i] == text) return static_cast<StreamStatus>(i);
    }
    return Status::InvalidArgument("unknown stream status '" + std::string(text) + "'");
}

Result<StreamMode> ParseStreamMode(std::string_view text) {
    for (size_t i = 0; i < std::size(kModeNames); ++i) {
        if (kModeNames[i] == text) return static_cast<StreamMode>(i);
    }
    return Status::InvalidArgument("1 validation error detected: Value '" + std::string(text) +
                                   "' at 'streamModeDetails.streamMode' failed to satisfy "
                                   "constraint: Member must satisfy enum value set: "
                                   "[PROVISIONED, ON_DEMAND]");
}

std::string StreamArn(std::string_view region, std::string_view account, std::string_view name) {
    return "arn:aws:kinesis:" + std::string(region) + ":" + std::string(account) + ":stream/" +
           std::string(name);
}

Result<std::string> StreamNameFromArn(std::string_view arn, const StreamMetadataOptions& options) {
    const std::string prefix = StreamArn(options.region, options.account, "");
    if (arn.size() <= prefix.size() || arn.substr(0, prefix.size()) != prefix) {
        return Status::InvalidArgument("'" + std::string(arn.substr(0, 300)) +
                                       "' is not a stream ARN of region " + options.region +
                                       " and account " + options.account);
    }
    std::string name(arn.substr(prefix.size()));
    TARN_RETURN_IF_ERROR(ValidateName(NameKind::kStream, name));
    return name;
}

Result<uint32_t> ParseShardId(std::string_view shard_id) {
    constexpr std::string_view kPrefix = "shardId-";
    auto invalid = [&] {
        return Status::InvalidArgument("invalid shard id '" + std::string(shard_id.substr(0, 80)) +
                                       "' (expected shardId- and 12 digits)");
    };
    if (shard_id.size() != kPrefix.size() + 12 || shard_id.substr(0, kPrefix.size()) != kPrefix) {
        return invalid();
    }
    uint64_t v = 0;
    for (char c : shard_id.substr(kPrefix.size())) {
        if (c < '0' || c > '9') return invalid();
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > UINT32_MAX) return invalid();
    return static_cast<uint32_t>(v);
}

std::string ShardMetadata::id() const { return ShardDirName(index); }

Result<StreamMetadata> StreamMetadata::New(std::string_view name, uint32_t shard_count,
                                           StreamMode mode, int64_t creation_ms,
                                           const StreamMetadataOptions& options) {
    TARN_RETURN_IF_ERROR(ValidateName(NameKind::kStream, name));
    if (shard_count < 1 || shard_count > options.max_shards_per_stream) {
        return Status::InvalidArgument("ShardCount " + std::to_string(shard_count) +
                                       " is out of range: it must be in 1.." +
                                       std::to_string(options.max_shards_per_stream));
    }
    if (creation_ms < 0 || static_cast<uint64_t>(creation_ms) > kMaxStreamEpochMs) {
        return Status::InvalidArgument("creation time out of range");
    }
    StreamMetadata m;
    m.name = std::string(name);
    m.arn = StreamArn(options.region, options.account, name);
    m.status = StreamStatus::kCreating;
    m.creation_ms = creation_ms;
    m.mode = mode;
    for (const HashKeyRange& r : UniformHashKeyRanges(shard_count)) {
        m.shards.push_back(ShardMetadata{m.next_shard_index++, r, {}, {}, {}, creation_ms, {}});
    }
    return m;
}

const ShardMetadata* StreamMetadata::FindShard(uint32_t index) const {
    auto it = std::lower_bound(shards.begin(), shards.end(), index,
                               [](const ShardMetadata& s, uint32_t i) { return s.index < i; });
    return it != shards.end() && it->index == index ? &*it : nullptr;
}

Result<const ShardMetadata*> StreamMetadata::FindShard(std::string_view shard_id,
                                                       std::string_view account) const {
    auto index = ParseShardId(shard_id);
    const ShardMetadata* s = index.ok() ? FindShard(*index) : nullptr;
    if (s == nullptr) {
        return Status::NotFound("Could not find shard " + std::string(shard_id.substr(0, 80)) +
                                " in stream " + name + " under account " + std::string(account) +
                                ".");
    }
    return s;
}

uint32_t StreamMetadata::OpenShardCount() const {
    return static_cast<uint32_t>(
        std::count_if(shards.begin(), shards.end(), [](const auto& s) { return s.open(); }));
}

Result<uint32_t> StreamMetadata::Route(const HashKey& key) const {
    for (const ShardMetadata& s : shards) {
        if (s.open() && s.hash_range.Contains(key)) return s.index;
    }
    return Status::Internal("no open shard of stream " + name + " holds hash key " +
                            FormatHashKey(key));
}

ShardRouter::ShardRouter(const StreamMetadata& meta) {
    for (const ShardMetadata& s : meta.shards) {
        if (s.open()) starts_.emplace_back(s.hash_range.start, s.index);
    }
    std::sort(starts_.begin(), starts_.end());
}

uint32_t ShardRouter::Route(const HashKey& key) const {
    // The last open shard starting at or before `key`.
    auto it = std::upper_bound(starts_.begin(), starts_.end(), key,
                               [](const HashKey& k, const auto& e) { return k < e.first; });
    return it == starts_.begin() ? starts_.front().second : std::prev(it)->second;
}

std::string StreamMetadata::StartingSequenceNumber(const ShardMetadata& shard) const {
    return FormatSequenceNumber({static_cast<uint64_t>(creation_ms), shard.index, Offset{0}});
}

std::optional<std::string> StreamMetadata::EndingSequenceNumber(const ShardMetadata& shard) const {
    if (shard.open()) return std::nullopt;
    const uint64_t last = *shard.end_offset == 0 ? 0 : *shard.end_offset - 1;
    return FormatSequenceNumber({static_cast<uint64_t>(creation_ms), shard.index, Offset{last}});
}

Status StreamMetadata::SplitShard(std::string_view shard_id, std::string_view new_starting_hash_key,
                                  const StreamMetadataOptions& options,
                                  const NextOffsetFn& next_offset, int64_t now_ms) {
    TARN_RETURN_IF_ERROR(RequireActive(*this));
    TARN_ASSIGN_OR_RETURN(const ShardMetadata* s, FindShard(shard_id, options.account));
    const std::string label = StreamLabel(*this, options.account);
    if (!s->open()) {
        return Status::InvalidArgument("Shard " + s->id() + " in " + label +
                                       " has already been merged or split, and thus is not "
                                       "eligible for merging or splitting.");
    }
    TARN_ASSIGN_OR_RETURN(HashKey key, ParseHashKey(new_starting_hash_key, "NewStartingHashKey"));
    if (!(s->hash_range.start < key && key <= s->hash_range.end)) {
        return Status::InvalidArgument(
            "NewStartingHashKey " + FormatHashKey(key) + " used in SplitShard() on shard " +
            s->id() + " in " + label + " is not both greater than the shard's StartingHashKey " +
            FormatHashKey(s->hash_range.start) + " and at most the shard's EndingHashKey " +
            FormatHashKey(s->hash_range.end) + ".");
    }
    TARN_RETURN_IF_ERROR(CheckShardLimit(*this, OpenShardCount() + 1, options));
    const uint32_t parent = s->index;
    const HashKeyRange range = s->hash_range;
    const HashKey before = HashKeyFromU128(HashKeyToU128(key) - 1);
    for (ShardMetadata& sh : shards) {
        if (sh.index == parent) {
            sh.end_offset = NextOffsetOf(next_offset, parent);
            sh.closed_ms = now_ms;
        }
    }
    shards.push_back({next_shard_index++, {range.start, before}, parent, {}, {}, now_ms, {}});
    shards.push_back({next_shard_index++, {key, range.end}, parent, {}, {}, now_ms, {}});
    status = StreamStatus::kUpdating;
    return Status::Ok();
}

Status StreamMetadata::MergeShards(std::string_view shard_id, std::string_view adjacent_shard_id,
                                   const StreamMetadataOptions& options,
                                   const NextOffsetFn& next_offset, int64_t now_ms) {
    TARN_RETURN_IF_ERROR(RequireActive(*this));
    TARN_ASSIGN_OR_RETURN(const ShardMetadata* a, FindShard(shard_id, options.account));
    TARN_ASSIGN_OR_RETURN(const ShardMetadata* b, FindShard(adjacent_shard_id, options.account));
    const std::string label = StreamLabel(*this, options.account);
    for (const ShardMetadata* s : {a, b}) {
        if (!s->open()) {
            return Status::InvalidArgument("Shard " + s->id() + " in " + label +
                                           " has already been merged or split, and thus is not "
                                           "eligible for merging or splitting.");
        }
    }
    const Uint128 a_start = HashKeyToU128(a->hash_range.start);
    const Uint128 a_end = HashKeyToU128(a->hash_range.end);
    const Uint128 b_start = HashKeyToU128(b->hash_range.start);
    const Uint128 b_end = HashKeyToU128(b->hash_range.end);
    const bool a_first = a_end != kMaxHashKeyValue && a_end + 1 == b_start;
    const bool b_first = b_end != kMaxHashKeyValue && b_end + 1 == a_start;
    if (a == b || (!a_first && !b_first)) {
        return Status::InvalidArgument("Shards " + a->id() + " and " + b->id() + " in " + label +
                                       " are not an adjacent pair of shards eligible for merging");
    }
    const HashKeyRange range{a_first ? a->hash_range.start : b->hash_range.start,
                             a_first ? b->hash_range.end : a->hash_range.end};
    const uint32_t parent = a->index, adjacent = b->index;
    for (ShardMetadata& sh : shards) {
        if (sh.index == parent || sh.index == adjacent) {
            sh.end_offset = NextOffsetOf(next_offset, sh.index);
            sh.closed_ms = now_ms;
        }
    }
    shards.push_back({next_shard_index++, range, parent, adjacent, {}, now_ms, {}});
    status = StreamStatus::kUpdating;
    return Status::Ok();
}

Status StreamMetadata::UpdateShardCount(uint32_t target, const StreamMetadataOptions& options,
                                        const NextOffsetFn& next_offset, int64_t now_ms) {
    TARN_RETURN_IF_ERROR(RequireActive(*this));
    const uint32_t open = OpenShardCount();
    if (target < 1) {
        return Status::InvalidArgument("TargetShardCount must be at least 1, got 0");
    }
    if (target > uint64_t{2} * open) {
        return Status::InvalidArgument(
            "UpdateShardCount cannot scale up over double your current open shard count. "
            "Current open shard count: " +
            std::to_string(open) + " Target shard count: " + std::to_string(target));
    }
    if (uint64_t{2} * target < open) {
        return Status::InvalidArgument(
            "UpdateShardCount cannot scale down below half your current open shard count. "
            "Current open shard count: " +
            std::to_string(open) + " Target shard count: " + std::to_string(target));
    }
    TARN_RETURN_IF_ERROR(CheckShardLimit(*this, target, options));
    if (target == open) return Status::Ok();
    std::vector<const ShardMetadata*> old;
    for (const ShardMetadata& s : shards) {
        if (s.open()) old.push_back(&s);
    }
    std::sort(old.begin(), old.end(), [](const ShardMetadata* x, const ShardMetadata* y) {
        return x->hash_range.start < y->hash_range.start;
    });
    auto holder = [&](const HashKey& key) {
        auto it = std::upper_bound(
            old.begin(), old.end(), key,
            [](const HashKey& k, const ShardMetadata* s) { return k < s->hash_range.start; });
        return (*(it - 1))->index;  // the open shards cover the space: `it` is never begin()
    };
    std::vector<ShardMetadata> children;
    for (const HashKeyRange& r : UniformHashKeyRanges(target)) {
        const uint32_t parent = holder(r.start), last = holder(r.end);
        children.push_back({next_shard_index++,
                            r,
                            parent,
                            last != parent ? std::optional<uint32_t>(last) : std::nullopt,
                            {},
                            now_ms,
                            {}});
    }
    for (ShardMetadata& s : shards) {
        if (!s.open()) continue;
        s.end_offset = NextOffsetOf(next_offset, s.index);
        s.closed_ms = now_ms;
    }
    shards.insert(shards.end(), children.begin(), children.end());
    status = StreamStatus::kUpdating;
    return Status::Ok();
}

namespace {

Status CheckMinimumRetention(uint32_t hours) {
    if (hours >= kMinRetentionHours) return Status::Ok();
    return Status::InvalidArgument(
        "Minimum allowed retention period is 24 hours. Requested retention period (" +
        std::to_string(hours) + " hours) is too short.");
}

}  // namespace

Status StreamMetadata::IncreaseRetention(uint32_t hours) {
    TARN_RETURN_IF_ERROR(CheckMinimumRetention(hours));
    if (hours > kMaxRetentionHours) {
        return Status::InvalidArgument(
            "Maximum allowed retention period is 8760 hours. Requested retention period (" +
            std::to_string(hours) + " hours) is too long.");
    }
    if (hours < retention_hours) {
        return Status::InvalidArgument(
            "Requested retention period (" + std::to_string(hours) + " hours) for stream " + name +
            " can not be shorter than existing retention period (" +
            std::to_string(retention_hours) + " hours). Use DecreaseRetentionPeriod API.");
    }
    retention_hours = hours;
    return Status::Ok();
}

Status StreamMetadata::DecreaseRetention(uint32_t hours) {
    TARN_RETURN_IF_ERROR(CheckMinimumRetention(hours));
    if (hours > retention_hours) {
        return Status::InvalidArgument(
            "Requested retention period (" + std::to_string(hours) + " hours) for stream " + name +
            " can not be longer than existing retention period (" +
            std::to_string(retention_hours) + " hours). Use IncreaseRetentionPeriod API.");
    }
    retention_hours = hours;
    return Status::Ok();
}

Status StreamMetadata::AddTags(const std::map<std::string, std::string>& add) {
    size_t count = tags.size();
    for (const auto& [k, v] : add) {
        if (k.empty() || k.size() > 128) {
            return Status::InvalidArgument("Tag key '" + k.substr(0, 140) +
                                           "' must be 1 to 128 characters long");
        }
        if (v.size() > 256) {
            return Status::InvalidArgument("Value of tag '" + k +
                                           "' must be at most 256 characters long");
        }
        if (!tags.contains(k)) ++count;
    }
    if (count > kMaxTagsPerStream) {
        return Status::ResourceExhausted("Failed to add tags to stream " + name +
                                         ". A stream may have at most 50 tags; it would have " +
                                         std::to_string(count) + ".");
    }
    for (const auto& [k, v] : add) tags[k] = v;
    return Status::Ok();
}

void StreamMetadata::RemoveTags(const std::vector<std::string>& keys) {
    for (const std::string& k : keys) tags.erase(k);
}

Status StreamMetadata::Validate() const {
    auto bad = [&](const std::string& why) {
        return Status::Corruption("stream " + name + ": " + why);
    };
    std::vector<const ShardMetadata*> open;
    for (size_t i = 0; i < shards.size(); ++i) {
        const ShardMetadata& s = shards[i];
        if (i > 0 && shards[i - 1].index >= s.index) return bad("shards are not ascending");
        if (s.index >= next_shard_index) return bad("shard index beyond next_shard_index");
        if (s.hash_range.end < s.hash_range.start) return bad("empty hash key range");
        if (s.open()) open.push_back(&s);
    }
    std::sort(open.begin(), open.end(), [](const ShardMetadata* x, const ShardMetadata* y) {
        return x->hash_range.start < y->hash_range.start;
    });
    if (open.empty()) return bad("no open shard");
    if (open.front()->hash_range.start != kMinHashKey) return bad("hash key 0 has no open shard");
    if (open.back()->hash_range.end != kMaxHashKey) return bad("2^128-1 has no open shard");
    for (size_t i = 1; i < open.size(); ++i) {
        const Uint128 prev_end = HashKeyToU128(open[i - 1]->hash_range.end);
        if (prev_end == kMaxHashKeyValue ||
            prev_end + 1 != HashKeyToU128(open[i]->hash_range.start)) {
            return bad("open shards leave a gap or overlap at " + open[i]->id());
        }
    }
    return Status::Ok();
}

std::string StreamMetadata::ToJson() const {
    nlohmann::json j;
    j["format_version"] = kStreamMetadataFormatVersion;
    j["name"] = name;
    j["arn"] = arn;
    j["status"] = StreamStatusName(status);
    j["creation_ms"] = creation_ms;
    j["retention_hours"] = retention_hours;
    j["mode"] = StreamModeName(mode);
    j["tags"] = tags;
    j["next_shard_index"] = next_shard_index;
    nlohmann::json arr = nlohmann::json::array();
    for (const ShardMetadata& s : shards) {
        nlohmann::json o;
        o["index"] = s.index;
        o["starting_hash_key"] = FormatHashKey(s.hash_range.start);
        o["ending_hash_key"] = FormatHashKey(s.hash_range.end);
        if (s.parent) o["parent"] = *s.parent;
        if (s.adjacent_parent) o["adjacent_parent"] = *s.adjacent_parent;
        if (s.end_offset) o["end_offset"] = *s.end_offset;
        o["created_ms"] = s.created_ms;
        if (s.closed_ms) o["closed_ms"] = *s.closed_ms;
        arr.push_back(std::move(o));
    }
    j["shards"] = std::move(arr);
    return j.dump(2) + "\n";
}

Result<StreamMetadata> StreamMetadata::FromJson(std::string_view text, std::string_view source) {
    auto corrupt = [&](const std::string& why) {
        return Status::Corruption(std::string(source) + ": " + why);
    };
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return corrupt("not a JSON object (torn or garbage)");
    try {
        const int version = j.at("format_version").get<int>();
        if (version != kStreamMetadataFormatVersion) {
            return Status::Unimplemented(std::string(source) + ": format_version " +
                                         std::to_string(version) +
                                         " is not known to this build of tarn");
        }
        StreamMetadata m;
        m.name = j.at("name").get<std::string>();
        if (Status st = ValidateName(NameKind::kStream, m.name); !st.ok()) {
            return corrupt(st.message());
        }
        m.arn = j.at("arn").get<std::string>();
        auto status = ParseStreamStatus(j.at("status").get<std::string>());
        auto mode = ParseStreamMode(j.at("mode").get<std::string>());
        if (!status.ok()) return corrupt(status.status().message());
        if (!mode.ok()) return corrupt("unknown stream mode");
        m.status = *status;
        m.mode = *mode;
        m.creation_ms = j.at("creation_ms").get<int64_t>();
        m.retention_hours = j.at("retention_hours").get<uint32_t>();
        m.tags = j.at("tags").get<std::map<std::string, std::string>>();
        m.next_shard_index = j.at("next_shard_index").get<uint32_t>();
        for (const nlohmann::json& o : j.at("shards")) {
            ShardMetadata s;
            s.index = o.at("index").get<uint32_t>();
            auto start = ParseHashKey(o.at("starting_hash_key").get<std::string>());
            auto end = ParseHashKey(o.at("ending_hash_key").get<std::string>());
            if (!start.ok() || !end.ok()) return corrupt("bad hash key of shard " + s.id());
            s.hash_range = {*start, *end};
            if (o.contains("parent")) s.parent = o["parent"].get<uint32_t>();
            if (o.contains("adjacent_parent")) {
                s.adjacent_parent = o["adjacent_parent"].get<uint32_t>();
            }
            if (o.contains("end_offset")) s.end_offset = o["end_offset"].get<uint64_t>();
            s.created_ms =
                o.contains("created_ms") ? o["created_ms"].get<int64_t>() : m.creation_ms;
            if (o.contains("closed_ms")) s.closed_ms = o["closed_ms"].get<int64_t>();
            m.shards.push_back(std::move(s));
        }
        if (m.creation_ms < 0 || static_cast<uint64_t>(m.creation_ms) > kMaxStreamEpochMs) {
            return corrupt("creation_ms out of range");
        }
        if (Status st = m.Validate(); !st.ok()) return corrupt(st.message());
        return m;
    } catch (const nlohmann::json::exception& e) {
        return corrupt(std::string("bad field: ") + e.what());
    }
}

Status SaveStreamMetadata(const std::string& dir, const StreamMetadata& meta) {
    return WriteFileAtomically(dir, kStreamMetadataFileName, meta.ToJson());
}

Result<StreamMetadata> LoadStreamMetadata(const std::string& dir) {
    const std::string path = dir + "/" + std::string(kStreamMetadataFileName);
    TARN_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
    return StreamMetadata::FromJson(text, path);
}

}  // namespace tarn::stream
