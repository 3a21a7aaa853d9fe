#include "catalog/catalog_codec.h"

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace tarn::catalog {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxNameBytes = 255;

// Parses stored JSON; Corruption when it is not what was written.
Result<json> ParseStored(std::string_view text, std::string_view what) {
    json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        return Status::Corruption("catalog.db: malformed " + std::string(what) + " value");
    }
    return value;
}

template <typename Fn>
Status Decode(std::string_view what, Fn&& fn) {
    try {
        fn();
        return Status::Ok();
    } catch (const json::exception& e) {
        return Status::Corruption("catalog.db: malformed " + std::string(what) + ": " + e.what());
    }
}

json ColumnsToJson(const std::vector<Column>& columns) {
    json out = json::array();
    for (const Column& c : columns)
        out.push_back({{"name", c.name}, {"type", c.type}, {"comment", c.comment}});
    return out;
}

std::vector<Column> ColumnsFromJson(const json& value) {
    std::vector<Column> columns;
    for (const json& c : value) {
        columns.push_back({c.at("name").get<std::string>(), c.at("type").get<std::string>(),
                           c.value("comment", std::string())});
    }
    return columns;
}

}  // namespace

Result<std::string> NormalizeName(std::string_view what, std::string_view name) {
    if (name.empty() || name.size() > kMaxNameBytes) {
        return Status::InvalidArgument(std::string(what) +
                                       " name must be 1 to 255 characters, got " +
                                       std::to_string(name.size()));
    }
    if (FindInvalidUtf8(name) != std::string_view::npos) {
        return Status::InvalidArgument(std::string(what) + " name is not valid UTF-8");
    }
    std::string out(name);
    for (char& c : out) {
        if (c == '\n' || c == '\r' || c == '\0') {
            return Status::InvalidArgument(std::string(what) + " name must be a single line");
        }
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string ValuesToText(const std::vector<std::string>& values) { return json(values).dump(); }

Result<std::vector<std::string>> ValuesFromText(std::string_view text) {
    TARN_ASSIGN_OR_RETURN(json value, ParseStored(text, "partition values"));
    std::vector<std::string> out;
    TARN_RETURN_IF_ERROR(
        Decode("partition values", [&] { out = value.get<std::vector<std::string>>(); }));
    return out;
}

std::string MapToText(const std::map<std::string, std::string>& map) { return json(map).dump(); }

Result<std::map<std::string, std::string>> MapFromText(std::string_view text) {
    TARN_ASSIGN_OR_RETURN(json value, ParseStored(text, "parameters"));
    std::map<std::string, std::string> out;
    TARN_RETURN_IF_ERROR(
        Decode("parameters", [&] { out = value.get<std::map<std::string, std::string>>(); }));
    return out;
}

std::string ColumnsToText(const std::vector<Column>& columns) {
    return ColumnsToJson(columns).dump();
}

Result<std::vector<Column>> ColumnsFromText(std::string_view text) {
    TARN_ASSIGN_OR_RETURN(json value, ParseStored(text, "columns"));
    std::vector<Column> out;
    TARN_RETURN_IF_ERROR(Decode("columns", [&] { out = ColumnsFromJson(value); }));
    return out;
}

std::string TableBodyToText(const Table& t) {
    return json{{"description", t.description},
                {"owner", t.owner},
                {"location", t.location},
                {"format", DataFormatName(t.format)},
                {"compression", t.compression},
                {"csv_delimiter", std::string(1, t.csv_delimiter)},
                {"csv_header", t.csv_header},
                {"columns", ColumnsToJson(t.columns)},
                {"partition_keys", ColumnsToJson(t.partition_keys)},
                {"parameters", t.parameters},
                {"table_type", t.table_type},
                {"managed", t.kind == TableKind::kManaged},
                {"time_partition_source", t.time_partition_source},
                {"deprecated", t.deprecated}}
        .dump();
}

Status TableBodyFromText(std::string_view text, Table* t) {
    TARN_ASSIGN_OR_RETURN(json v, ParseStored(text, "table"));
    return Decode("table", [&] {
        t->description = v.at("description").get<std::string>();
        t->owner = v.at("owner").get<std::string>();
        t->location = v.at("location").get<std::string>();
        t->format =
            ParseDataFormat(v.at("format").get<std::string>()).value_or(DataFormat::kUnknown);
        t->compression = v.at("compression").get<std::string>();
        const std::string delimiter = v.at("csv_delimiter").get<std::string>();
        t->csv_delimiter = delimiter.empty() ? ',' : delimiter[0];
        t->csv_header = v.at("csv_header").get<bool>();
        t->columns = ColumnsFromJson(v.at("columns"));
        t->partition_keys = ColumnsFromJson(v.at("partition_keys"));
        t->parameters = v.at("parameters").get<std::map<std::string, std::string>>();
        t->table_type = v.at("table_type").get<std::string>();
        t->kind = v.at("managed").get<bool>() ? TableKind::kManaged : TableKind::kExternal;
        t->time_partition_source = v.at("time_partition_source").get<std::string>();
        t->deprecated = v.at("deprecated").get<bool>();
    });
}

namespace {

const char* UpdateBehaviorName(UpdateBehavior b) {
    return b == UpdateBehavior::kLog ? "LOG" : "UPDATE_IN_DATABASE";
}
const char* DeleteBehaviorName(DeleteBehavior b) {
    switch (b) {
        case DeleteBehavior::kDeleteFromDatabase:
            return "DELETE_FROM_DATABASE";
        case DeleteBehavior::kLog:
            return "LOG";
        case DeleteBehavior::kDeprecateInDatabase:
            break;
    }
    return "DEPRECATE_IN_DATABASE";
}

}  // namespace

std::string CrawlerBodyToText(const Crawler& c) {
    return json{{"role", c.role},
                {"database", c.database},
                {"targets", c.targets},
                {"exclusions", c.exclusions},
                {"table_prefix", c.table_prefix},
                {"schedule", c.schedule},
                {"update_behavior", UpdateBehaviorName(c.update_behavior)},
                {"delete_behavior", DeleteBehaviorName(c.delete_behavior)},
                {"recrawl_new_folders_only", c.recrawl_new_folders_only},
                {"sample_bytes", c.sample_bytes},
                {"description", c.description}}
        .dump();
}

Status CrawlerBodyFromText(std::string_view text, Crawler* c) {
    TARN_ASSIGN_OR_RETURN(json v, ParseStored(text, "crawler"));
    return Decode("crawler", [&] {
        c->role = v.at("role").get<std::string>();
        c->database = v.at("database").get<std::string>();
        c->targets = v.at("targets").get<std::vector<std::string>>();
        c->exclusions = v.at("exclusions").get<std::vector<std::string>>();
        c->table_prefix = v.at("table_prefix").get<std::string>();
        c->schedule = v.at("schedule").get<std::string>();
        c->update_behavior = v.at("update_behavior").get<std::string>() == "LOG"
                                 ? UpdateBehavior::kLog
                                 : UpdateBehavior::kUpdateInDatabase;
        const std::string del = v.at("delete_behavior").get<std::string>();
        c->delete_behavior = del == "LOG"                    ? DeleteBehavior::kLog
                             : del == "DELETE_FROM_DATABASE" ? DeleteBehavior::kDeleteFromDatabase
                                                             : DeleteBehavior::kDeprecateInDatabase;
        c->recrawl_new_folders_only = v.at("recrawl_new_folders_only").get<bool>();
        c->sample_bytes = v.at("sample_bytes").get<uint64_t>();
        c->description = v.at("description").get<std::string>();
    });
}

std::string RunBodyToText(const CrawlRun& r) {
    return json{{"tables_created", r.tables_created},
                {"tables_updated", r.tables_updated},
                {"tables_deleted", r.tables_deleted},
                {"partitions_added", r.partitions_added},
                {"files_read", r.files_read},
                {"errors", r.errors},
                {"message", r.message}}
        .dump();
}

Status RunBodyFromText(std::string_view text, CrawlRun* r) {
    TARN_ASSIGN_OR_RETURN(json v, ParseStored(text, "crawl run"));
    return Decode("crawl run", [&] {
        r->tables_created = v.at("tables_created").get<uint64_t>();
        r->tables_updated = v.at("tables_updated").get<uint64_t>();
        r->tables_deleted = v.at("tables_deleted").get<uint64_t>();
        r->partitions_added = v.at("partitions_added").get<uint64_t>();
        r->files_read = v.at("files_read").get<uint64_t>();
        r->errors = v.at("errors").get<std::vector<std::string>>();
        r->message = v.at("message").get<std::string>();
    });
}

}  // namespace tarn::catalog
