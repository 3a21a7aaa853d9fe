#include "delivery/delivery_commit.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/text.h"
#include "catalog/crawler.h"
#include "common/logging.h"
#include "delivery/delivery_config_codec.h"
#include "delivery/delivery_service.h"

namespace tarn::delivery {
namespace {

using nlohmann::json;

constexpr size_t kReadRecords = 10'000;
constexpr size_t kReadBytes = size_t{8} << 20;

// What the table's time partitions derive from: an event-time field that dynamic partitioning
// formats with strftime (Firehose's way to partition by event time: {day: .ts|strftime("%F")}),
// else the arrival time when the Prefix has timestamps (DESIGN.md), else nothing.
std::string TimePartitionSource(const Destination& dest) {
    if (dest.query) {
        for (const MetadataQuery::Key& key : dest.query->keys()) {
            const bool formats_time =
                std::any_of(key.calls.begin(), key.calls.end(), [](const auto& call) {
                    return call.function == MetadataQuery::Function::kStrftime;
                });
            if (formats_time && key.path.size() == 1 && !key.path[0].is_index) {
                return key.path[0].field;
            }
        }
    }
    return dest.prefix.NeedsTimestamp() ? "arrival_time" : "";
}

// Evolves a JSON table's columns with what a range's records hold (new fields added, types
// widened: catalog::MergeColumns, as the crawler does), so fresh fields are queryable at once.
// Another shard's commit may update the table at the same time: the optimistic version check
// makes the loser read again.
Status EvolveColumns(catalog::Catalog& catalog, const Destination& dest, catalog::Table table,
                     const std::vector<catalog::Column>& inferred) {
    for (int attempt = 0;; ++attempt) {
        std::vector<std::string> changes;
        catalog::Table updated = table;
        catalog::MergeColumns(inferred, &updated.columns, &changes);
        if (changes.empty()) return Status::Ok();
        std::string change = "delivery " + dest.config.name + ":";
        for (const std::string& c : changes) change += " " + c + ";";
        change.pop_back();
        auto stored = catalog.UpdateTable(updated, change, table.schema_version);
        if (stored.ok() || stored.status().code() != StatusCode::kFailedPrecondition ||
            attempt == 3) {
            return stored.status();
        }
        TARN_ASSIGN_OR_RETURN(table, catalog.GetTable(table.database, table.name));
    }
}

// Creates the database and table the destination's objects form, when missing; evolves the
// columns of a JSON table with the records' inferred ones.
Status EnsureTable(catalog::Catalog& catalog, const Destination& dest,
                   const std::vector<catalog::Column>& inferred) {
    const TableLayout& layout = dest.layout;
    auto existing = catalog.GetTable(layout.database, layout.table);
    if (existing.ok()) {
        if (inferred.empty() || dest.converts() || existing->format != catalog::DataFormat::kJson) {
            return Status::Ok();
        }
        return EvolveColumns(catalog, dest, std::move(*existing), inferred);
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
    Status db = catalog.CreateDatabase(catalog::Database{.name = layout.database});
    if (!db.ok() && db.code() != StatusCode::kAlreadyExists) return db;
    catalog::Table table;
    table.database = layout.database;
    table.name = layout.table;
    table.description = "delivered by Firehose delivery stream " + dest.config.name;
    table.owner = DeliveryOwner(dest.config.name);
    table.location = layout.location;
    table.kind = catalog::TableKind::kManaged;
    if (dest.converts()) {
        table.format = catalog::DataFormat::kParquet;
        table.compression = AsciiLower(
            ParquetCompressionName(dest.config.data_format_conversion.parquet_compression));
        table.columns = dest.conversion_columns;
    } else {
        table.format = catalog::DataFormat::kJson;
        table.compression = dest.config.compression == CompressionFormat::kGzip ? "gzip" : "none";
        table.columns = inferred;
    }
    for (const std::string& key : layout.partition_keys) {
        table.partition_keys.push_back(catalog::Column{key, "string", ""});
    }
    table.time_partition_source = TimePartitionSource(dest);
    Status created = catalog.CreateTable(table);
    if (created.code() == StatusCode::kAlreadyExists) return Status::Ok();
    if (created.ok()) {
        TARN_LOG_INFO("delivery.table_created", {{"delivery", dest.config.name},
                                                 {"table", layout.database + "." + layout.table},
                                                 {"location", layout.location}});
    }
    return created;
}

json ColumnsToJson(const std::vector<catalog::Column>& columns) {
    json out = json::array();
    for (const catalog::Column& c : columns) out.push_back({{"name", c.name}, {"type", c.type}});
    return out;
}

}  // namespace

std::string ShardCheckpointKey(uint32_t shard) { return std::to_string(shard); }

std::string EncodeIntentPayload(const IntentPayload& p) {
    json j{{"stream", p.range.stream},
           {"stream_epoch_ms", p.range.stream_epoch_ms},
           {"shard", p.range.shard},
           {"first", p.range.first},
           {"end", p.range.end},
           {"config", DeliveryConfigToJson(p.config)},
           {"conversion_columns", ColumnsToJson(p.conversion_columns)}};
    return j.dump();
}

Result<IntentPayload> DecodeIntentPayload(std::string_view text) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        return Status::Corruption("delivery intent payload: not JSON");
    }
    try {
        IntentPayload p;
        p.range.stream = j.at("stream").get<std::string>();
        p.range.stream_epoch_ms = j.at("stream_epoch_ms").get<uint64_t>();
        p.range.shard = j.at("shard").get<uint32_t>();
        p.range.first = j.at("first").get<uint64_t>();
        p.range.end = j.at("end").get<uint64_t>();
        TARN_ASSIGN_OR_RETURN(p.config, DeliveryConfigFromJson(j.at("config")));
        for (const json& c : j.at("conversion_columns")) {
            p.conversion_columns.push_back(
                catalog::Column{c.at("name").get<std::string>(), c.at("type").get<std::string>(), ""});
        }
        return p;
    } catch (const std::exception& e) {
        return Status::Corruption(std::string("delivery intent payload: ") + e.what());
    }
}

Result<DeliveryBatch> BuildRangeFromLog(stream::StreamService& streams,
                                        std::shared_ptr<const Destination> destination,
                                        const SourceRange& range, bool infer_columns) {
    DeliveryBatchBuilder builder(std::move(destination), range.stream_epoch_ms, range.shard,
                                 range.first, infer_columns);
    uint64_t next = range.first;
    while (next < range.end) {
        TARN_ASSIGN_OR_RETURN(stream::RecordBatch batch,
                              streams.Read(range.stream, range.shard, stream::Offset{next},
                                           kReadRecords, kReadBytes));
        if (batch.records.empty()) {
            // The range was acknowledged durable, so its records must be readable: a gap means
            // retention removed them, and delivering less than the range would lose them silently.
            return Status::Corruption("delivery: records " + std::to_string(next) + ".." +
                                    std::to_string(range.end) + " of shard " +
                                    std::to_string(range.shard) + " of stream " + range.stream +
                                    " are no longer in the log");
        }
        for (const stream::RecordView& record : batch.records) {
            if (ToU64(record.offset) >= range.end) break;
            builder.Add(record);
        }
        next = ToU64(batch.next_offset);
    }
    return builder.Finish();
}

Result<RangeCommitted> CommitRange(const CommitDeps& deps, const Destination& dest,
                                   const SourceRange& range, DeliveryBatch batch,
                                   std::optional<catalog::CommitIntent>& pending) {
    TARN_RETURN_IF_ERROR(EnsureTable(*deps.catalog, dest, batch.inferred_columns));
    const std::string owner = DeliveryOwner(dest.config.name);
    if (!pending) {
        catalog::CommitIntent intent;
        intent.owner = owner;
        intent.database = dest.layout.database;
        intent.table = dest.layout.table;
        for (const DeliveredObject& o : batch.objects) intent.keys.push_back(o.key);
        intent.payload = EncodeIntentPayload(
            IntentPayload{range, dest.config, dest.conversion_columns});
        TARN_ASSIGN_OR_RETURN(pending, deps.lake->Begin(std::move(intent)));
    }
    RangeCommitted committed;
    catalog::FileCommit commit;
    for (const DeliveredObject& o : batch.objects) {
        TARN_RETURN_IF_ERROR(deps.store->Put(o.key, o.data));
        committed.bytes += o.data.size();
        ++committed.objects;
        if (o.is_error) continue;
        commit.added.push_back(catalog::DataFile{.key = o.key,
                                                 .partition_values = o.partition_values,
                                                 .bytes = o.data.size(),
                                                 .row_count = o.records});
    }
    commit.checkpoints.push_back({owner, ShardCheckpointKey(range.shard), std::to_string(range.end)});
    TARN_RETURN_IF_ERROR(deps.lake->Commit(*pending, std::move(commit)).status());
    pending.reset();
    // Retention follows the catalog's checkpoint; a failure here only delays trimming, and the
    // next commit (or the next start) raises it again.
    Status consumer = deps.streams->Checkpoint(range.stream, owner, range.shard,
                                               stream::Offset{range.end});
    if (!consumer.ok()) {
        TARN_LOG_WARN("delivery.consumer_checkpoint_failed",
                      {{"delivery", dest.config.name}, {"error", consumer.message()}});
    }
    committed.user_records = batch.user_records;
    committed.error_records = std::move(batch.error_records);
    return committed;
}

}  // namespace tarn::delivery
