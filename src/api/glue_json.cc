#include "api/glue_json.h"

#include <algorithm>

#include "common/schedule.h"

namespace tarn::api::glue {
namespace {

using catalog::Parameters;
using nlohmann::json;

constexpr size_t kNameMax = 255;
constexpr size_t kDescriptionMax = 2048;
constexpr size_t kCommentMax = 255;
constexpr size_t kLocationMax = 2056;
constexpr size_t kTablePrefixMax = 128;

// ---- Reading ----

// "TableInput.StorageDescriptor.Location" → "tableInput.storageDescriptor.location", the member
// path AWS validation messages use.
std::string MemberPath(std::string_view field) {
    std::string out(field);
    bool segment_start = true;
    for (char& c : out) {
        if (segment_start && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        segment_start = c == '.' || c == '[';
    }
    return out;
}

Status Constraint(std::string_view field, std::string_view constraint) {
    return Status::InvalidArgument("1 validation error detected: Value at '" + MemberPath(field) +
                                   "' failed to satisfy constraint: " + std::string(constraint));
}

Status Missing(std::string_view field) {
    return Status::InvalidArgument("1 validation error detected: Value null at '" +
                                   MemberPath(field) +
                                   "' failed to satisfy constraint: Member must not be null");
}

Status WrongType(std::string_view field, std::string_view expected) {
    return Status::InvalidArgument(std::string(field) + " must be " + std::string(expected));
}

// The member `name` of `object`, or nullptr when absent or null (AWS treats both alike).
const json* Member(const json& object, std::string_view name) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::string Join(std::string_view path, std::string_view member) {
    if (path.empty()) return std::string(member);
    return std::string(path) + "." + std::string(member);
}

// Characters, not bytes (the JSON parser has checked the UTF-8).
size_t CharacterCount(std::string_view s) {
    return static_cast<size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Status CheckLength(std::string_view value, std::string_view field, size_t min, size_t max) {
    size_t n = CharacterCount(value);
    if (n < min) {
        return Constraint(
            field, "Member must have length greater than or equal to " + std::to_string(min));
    }
    if (n > max) {
        return Constraint(field,
                          "Member must have length less than or equal to " + std::to_string(max));
    }
    return Status::Ok();
}

// Glue's single-line pattern: no control character but tab.
Status CheckSingleLine(std::string_view value, std::string_view field) {
    for (char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
            return Constraint(field,
                              "Member must satisfy regular expression pattern: "
                              "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*");
        }
    }
    return Status::Ok();
}

Result<std::optional<std::string>> OptionalString(const json& object, std::string_view member,
                                                  std::string_view path, size_t min, size_t max) {
    const json* value = Member(object, member);
    std::string field = Join(path, member);
    if (!value) return std::optional<std::string>();
    if (!value->is_string()) return WrongType(field, "a string");
    std::string text = value->get<std::string>();
    TARN_RETURN_IF_ERROR(CheckLength(text, field, min, max));
    return std::optional<std::string>(std::move(text));
}

Result<std::string> StringOr(const json& object, std::string_view member, std::string_view path,
                             size_t max, std::string fallback = "") {
    TARN_ASSIGN_OR_RETURN(auto value, OptionalString(object, member, path, 0, max));
    return value ? std::move(*value) : std::move(fallback);
}

Result<std::optional<int64_t>> OptionalInt(const json& object, std::string_view member,
                                           std::string_view path) {
    const json* value = Member(object, member);
    if (!value) return std::optional<int64_t>();
    if (!value->is_number_integer()) return WrongType(Join(path, member), "an integer");
    if (value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX) {
        return WrongType(Join(path, member), "a 64-bit integer");
    }
    return std::optional<int64_t>(value->get<int64_t>());
}

Result<bool> BoolOr(const json& object, std::string_view member, std::string_view path,
                    bool fallback) {
    const json* value = Member(object, member);
    if (!value) return fallback;
    if (!value->is_boolean()) return WrongType(Join(path, member), "a boolean");
    return value->get<bool>();
}

// An optional object member; nullptr when absent.
Result<const json*> OptionalObject(const json& object, std::string_view member,
                                   std::string_view path) {
    const json* value = Member(object, member);
    if (value && !value->is_object()) return WrongType(Join(path, member), "an object");
    return value;
}

Result<const json*> OptionalArray(const json& object, std::string_view member,
                                  std::string_view path) {
    const json* value = Member(object, member);
    if (value && !value->is_array()) return WrongType(Join(path, member), "a list");
    return value;
}

Result<Parameters> ParametersOf(const json& object, std::string_view member,
                                std::string_view path) {
    Parameters out;
    TARN_ASSIGN_OR_RETURN(const json* map, OptionalObject(object, member, path));
    if (!map) return out;
    std::string field = Join(path, member);
    for (const auto& [key, value] : map->items()) {
        TARN_RETURN_IF_ERROR(CheckLength(key, field, 1, kNameMax));
        if (!value.is_string()) return WrongType(field + "." + key, "a string");
        out[key] = value.get<std::string>();
    }
    return out;
}

Result<std::vector<std::string>> StringList(const json& object, std::string_view member,
                                            std::string_view path) {
    std::vector<std::string> out;
    TARN_ASSIGN_OR_RETURN(const json* list, OptionalArray(object, member, path));
    if (!list) return out;
    for (const json& item : *list) {
        if (!item.is_string()) return WrongType(Join(path, member), "a list of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// Only primitive types are lower-cased: a nested type's field names are data.
std::string NormalizeType(std::string type) {
    if (type.find('<') != std::string::npos) return type;
    for (char& c : type) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return type;
}

Result<catalog::Column> ColumnOf(const json& item, const std::string& path) {
    if (!item.is_object()) return WrongType(path, "an object");
    catalog::Column column;
    const json* name = Member(item, "Name");
    if (!name) return Missing(path + ".Name");
    if (!name->is_string()) return WrongType(path + ".Name", "a string");
    column.name = name->get<std::string>();
    TARN_RETURN_IF_ERROR(CheckLength(column.name, path + ".Name", 1, kNameMax));
    TARN_RETURN_IF_ERROR(CheckSingleLine(column.name, path + ".Name"));
    TARN_ASSIGN_OR_RETURN(std::string type, StringOr(item, "Type", path, 131072));
    column.type = NormalizeType(std::move(type));
    TARN_ASSIGN_OR_RETURN(column.comment, StringOr(item, "Comment", path, kCommentMax));
    return column;
}

Result<std::vector<catalog::Column>> ColumnsOf(const json& object, std::string_view member,
                                               std::string_view path) {
    std::vector<catalog::Column> out;
    TARN_ASSIGN_OR_RETURN(const json* list, OptionalArray(object, member, path));
    if (!list) return out;
    for (size_t i = 0; i < list->size(); ++i) {
        std::string item_path = Join(path, member) + "[" + std::to_string(i) + "]";
        TARN_ASSIGN_OR_RETURN(catalog::Column column, ColumnOf((*list)[i], item_path));
        out.push_back(std::move(column));
    }
    return out;
}

// What tarn reads of a StorageDescriptor.
struct DescriptorInput {
    catalog::StorageDescriptor formats;
    std::vector<catalog::Column> columns;
    std::optional<std::string> location;
    Parameters parameters;  // the descriptor's own
};

Result<DescriptorInput> DescriptorOf(const json& sd, std::string_view path) {
    DescriptorInput out;
    TARN_ASSIGN_OR_RETURN(out.columns, ColumnsOf(sd, "Columns", path));
    TARN_ASSIGN_OR_RETURN(out.location, OptionalString(sd, "Location", path, 0, kLocationMax));
    TARN_ASSIGN_OR_RETURN(out.formats.input_format, StringOr(sd, "InputFormat", path, 128));
    TARN_ASSIGN_OR_RETURN(out.formats.output_format, StringOr(sd, "OutputFormat", path, 128));
    TARN_ASSIGN_OR_RETURN(out.formats.compressed, BoolOr(sd, "Compressed", path, false));
    TARN_ASSIGN_OR_RETURN(auto buckets, OptionalInt(sd, "NumberOfBuckets", path));
    (void)buckets;  // tarn does not bucket; the type is still checked
    TARN_ASSIGN_OR_RETURN(out.parameters, ParametersOf(sd, "Parameters", path));
    std::string serde_path = Join(path, "SerdeInfo");
    TARN_ASSIGN_OR_RETURN(const json* serde, OptionalObject(sd, "SerdeInfo", path));
    if (serde) {
        TARN_ASSIGN_OR_RETURN(out.formats.serde_library,
                              StringOr(*serde, "SerializationLibrary", serde_path, kNameMax));
        TARN_ASSIGN_OR_RETURN(out.formats.serde_parameters,
                              ParametersOf(*serde, "Parameters", serde_path));
    }
    return out;
}

// The lake prefix of a location URI, or the URI as given when outside the lake.
std::string LocationOf(const std::optional<std::string>& uri, const catalog::LakeLocation& lake) {
    if (!uri || uri->empty()) return "";
    return lake.FromUri(*uri).location;
}

// ---- Writing ----

json ColumnsJson(const std::vector<catalog::Column>& columns) {
    json out = json::array();
    for (const catalog::Column& c : columns) {
        json column = {{"Name", c.name}, {"Type", c.type}};
        if (!c.comment.empty()) column["Comment"] = c.comment;
        out.push_back(std::move(column));
    }
    return out;
}

json StringMapJson(const Parameters& parameters) {
    json out = json::object();
    for (const auto& [key, value] : parameters) out[key] = value;
    return out;
}

json StorageDescriptorJson(const catalog::Table& table, const std::string& location_uri,
                           bool include_columns) {
    catalog::StorageDescriptor d = catalog::StorageDescriptorOf(table);
    json out = json::object();
    if (include_columns) out["Columns"] = ColumnsJson(table.columns);
    out["Location"] = location_uri;
    if (!d.input_format.empty()) out["InputFormat"] = d.input_format;
    if (!d.output_format.empty()) out["OutputFormat"] = d.output_format;
    out["Compressed"] = d.compressed;
    out["NumberOfBuckets"] = -1;  // not bucketed, as a Glue crawler writes it
    json serde = {{"Parameters", StringMapJson(d.serde_parameters)}};
    if (!d.serde_library.empty()) serde["SerializationLibrary"] = d.serde_library;
    out["SerdeInfo"] = std::move(serde);
    out["BucketColumns"] = json::array();
    out["SortColumns"] = json::array();
    out["Parameters"] = json::object();
    out["StoredAsSubDirectories"] = false;
    return out;
}

// A partition without a location of its own lives where Hive would put it.
std::string PartitionLocation(const catalog::Partition& partition, const catalog::Table& table) {
    if (!partition.location.empty()) return partition.location;
    std::string out = table.location;
    if (!out.empty() && out.back() != '/') out += '/';
    for (size_t i = 0; i < partition.values.size() && i < table.partition_keys.size(); ++i) {
        out += table.partition_keys[i].name + "=" + partition.values[i] + "/";
    }
    return out;
}

constexpr std::string_view kStatisticsKeys[] = {"numFiles", "totalSize", "numRows", "recordCount"};

}  // namespace

double EpochSeconds(int64_t unix_ms) { return static_cast<double>(unix_ms) / 1000.0; }

Result<std::string> NormalizeName(const json* value, std::string_view field) {
    if (!value || value->is_null()) return Missing(field);
    if (!value->is_string()) return WrongType(field, "a string");
    std::string name = value->get<std::string>();
    TARN_RETURN_IF_ERROR(CheckLength(name, field, 1, kNameMax));
    TARN_RETURN_IF_ERROR(CheckSingleLine(name, field));
    for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return name;
}

// ---- Databases ----

Result<catalog::Database> DatabaseFromInput(const json& input) {
    constexpr std::string_view kPath = "DatabaseInput";
    if (!input.is_object()) return WrongType(kPath, "an object");
    catalog::Database db;
    TARN_ASSIGN_OR_RETURN(db.name, NormalizeName(Member(input, "Name"), "DatabaseInput.Name"));
    TARN_ASSIGN_OR_RETURN(db.description, StringOr(input, "Description", kPath, kDescriptionMax));
    TARN_ASSIGN_OR_RETURN(auto location, OptionalString(input, "LocationUri", kPath, 1, 1024));
    db.location_uri = location.value_or("");
    TARN_ASSIGN_OR_RETURN(db.parameters, ParametersOf(input, "Parameters", kPath));
    return db;
}

json DatabaseToJson(const catalog::Database& db) {
    json out = {{"Name", db.name}};
    if (!db.description.empty()) out["Description"] = db.description;
    if (!db.location_uri.empty()) out["LocationUri"] = db.location_uri;
    out["Parameters"] = StringMapJson(db.parameters);
    out["CreateTime"] = EpochSeconds(db.created_ms);
    out["CreateTableDefaultPermissions"] = json::array();
    out["CatalogId"] = kCatalogId;
    return out;
}

// ---- Tables ----

Result<catalog::Table> TableFromInput(const json& input, std::string_view database,
                                      const catalog::LakeLocation& lake) {
    constexpr std::string_view kPath = "TableInput";
    if (!input.is_object()) return WrongType(kPath, "an object");
    catalog::Table t;
    json database_json = std::string(database);
    TARN_ASSIGN_OR_RETURN(t.database, NormalizeName(&database_json, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(t.name, NormalizeName(Member(input, "Name"), "TableInput.Name"));
    TARN_ASSIGN_OR_RETURN(t.description, StringOr(input, "Description", kPath, kDescriptionMax));
    TARN_ASSIGN_OR_RETURN(auto owner, OptionalString(input, "Owner", kPath, 1, kNameMax));
    t.owner = owner.value_or("");
    TARN_ASSIGN_OR_RETURN(auto retention, OptionalInt(input, "Retention", kPath));
    if (retention && *retention < 0) {
        return Constraint("TableInput.Retention",
                          "Member must have value greater than or equal "
                          "to 0");
    }
    TARN_ASSIGN_OR_RETURN(t.table_type, StringOr(input, "TableType", kPath, 255, "EXTERNAL_TABLE"));
    TARN_ASSIGN_OR_RETURN(t.partition_keys, ColumnsOf(input, "PartitionKeys", kPath));
    TARN_ASSIGN_OR_RETURN(Parameters parameters, ParametersOf(input, "Parameters", kPath));

    DescriptorInput sd;
    TARN_ASSIGN_OR_RETURN(const json* sd_json, OptionalObject(input, "StorageDescriptor", kPath));
    if (sd_json) {
        TARN_ASSIGN_OR_RETURN(sd, DescriptorOf(*sd_json, "TableInput.StorageDescriptor"));
    }
    t.columns = std::move(sd.columns);
    t.location = LocationOf(sd.location, lake);

    // Format hints live in both parameter maps; the table's win.
    Parameters hints = sd.parameters;
    for (const auto& [key, value] : parameters) hints[key] = value;
    catalog::StorageFormat format = catalog::FormatFromStorage(sd.formats, hints);
    t.format = format.format;
    t.compression = format.compression;
    if (t.format == catalog::DataFormat::kCsv) {
        t.csv_delimiter = format.csv_delimiter;
        t.csv_header = format.csv_header;
    }
    if (auto it = parameters.find("tarn.kind"); it != parameters.end() && it->second == "managed") {
        t.kind = catalog::TableKind::kManaged;
    }
    if (auto it = parameters.find("tarn.time_partition_source"); it != parameters.end()) {
        t.time_partition_source = it->second;
    }
    t.parameters = catalog::UserParameters(std::move(parameters), t.format);
    if (t.format == catalog::DataFormat::kUnknown) {
        // Kept so that GetTable gives the client's descriptor back (table_storage.h).
        if (!sd.formats.input_format.empty()) {
            t.parameters["tarn.input_format"] = sd.formats.input_format;
        }
        if (!sd.formats.output_format.empty()) {
            t.parameters["tarn.output_format"] = sd.formats.output_format;
        }
        if (!sd.formats.serde_library.empty()) {
            t.parameters["tarn.serde"] = sd.formats.serde_library;
        }
    }
    return t;
}

json TableToJson(const catalog::Table& t, const catalog::LakeLocation& lake,
                 std::string_view created_by) {
    json out = {{"Name", t.name}, {"DatabaseName", t.database}};
    if (!t.description.empty()) out["Description"] = t.description;
    if (!t.owner.empty()) out["Owner"] = t.owner;
    out["CreateTime"] = EpochSeconds(t.created_ms);
    out["UpdateTime"] = EpochSeconds(t.updated_ms);
    out["Retention"] = 0;
    out["StorageDescriptor"] = StorageDescriptorJson(t, lake.ToUri(t.location), true);
    out["PartitionKeys"] = ColumnsJson(t.partition_keys);
    out["TableType"] = t.table_type;
    out["Parameters"] = StringMapJson(catalog::TableParametersOf(t));
    out["CreatedBy"] = created_by;
    out["IsRegisteredWithLakeFormation"] = false;
    out["CatalogId"] = kCatalogId;
    out["VersionId"] = std::to_string(t.schema_version);
    return out;
}

// ---- Partitions ----

Result<catalog::Partition> PartitionFromInput(const json& input,
                                              const catalog::LakeLocation& lake) {
    constexpr std::string_view kPath = "PartitionInput";
    if (!input.is_object()) return WrongType(kPath, "an object");
    catalog::Partition p;
    if (!Member(input, "Values")) return Missing("PartitionInput.Values");
    TARN_ASSIGN_OR_RETURN(p.values, StringList(input, "Values", kPath));
    for (const std::string& value : p.values) {
        TARN_RETURN_IF_ERROR(CheckLength(value, "PartitionInput.Values", 1, 1024));
    }
    TARN_ASSIGN_OR_RETURN(const json* sd_json, OptionalObject(input, "StorageDescriptor", kPath));
    if (sd_json) {
        TARN_ASSIGN_OR_RETURN(DescriptorInput sd,
                              DescriptorOf(*sd_json, "PartitionInput.StorageDescriptor"));
        p.location = LocationOf(sd.location, lake);
    }
    TARN_ASSIGN_OR_RETURN(p.parameters, ParametersOf(input, "Parameters", kPath));
    for (std::string_view key : kStatisticsKeys) p.parameters.erase(std::string(key));
    return p;
}

json PartitionToJson(const catalog::Partition& p, const catalog::Table& table,
                     const catalog::LakeLocation& lake, bool exclude_columns) {
    json out = {{"Values", p.values}, {"DatabaseName", table.database}, {"TableName", table.name}};
    out["CreationTime"] = EpochSeconds(p.created_ms);
    out["LastAccessTime"] = EpochSeconds(p.updated_ms != 0 ? p.updated_ms : p.created_ms);
    out["StorageDescriptor"] =
        StorageDescriptorJson(table, lake.ToUri(PartitionLocation(p, table)), !exclude_columns);
    Parameters parameters = p.parameters;
    parameters["numFiles"] = std::to_string(p.file_count);
    parameters["totalSize"] = std::to_string(p.bytes);
    if (p.row_count) {
        parameters["numRows"] = std::to_string(*p.row_count);      // Hive's, read by Trino, Spark
        parameters["recordCount"] = std::to_string(*p.row_count);  // a Glue crawler's
    }
    out["Parameters"] = StringMapJson(parameters);
    out["CatalogId"] = kCatalogId;
    return out;
}

// ---- Crawlers ----

namespace {

Result<std::string> EnumValue(const json& object, std::string_view member, std::string_view path,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view fallback) {
    TARN_ASSIGN_OR_RETURN(auto value, OptionalString(object, member, path, 0, 64));
    if (!value) return std::string(fallback);
    std::string list;
    for (std::string_view a : allowed) {
        if (*value == a) return *value;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    return Constraint(Join(path, member), "Member must satisfy enum value set: [" + list + "]");
}

std::string_view UpdateBehaviorName(catalog::UpdateBehavior b) {
    return b == catalog::UpdateBehavior::kLog ? "LOG" : "UPDATE_IN_DATABASE";
}

std::string_view DeleteBehaviorName(catalog::DeleteBehavior b) {
    switch (b) {
        case catalog::DeleteBehavior::kLog:
            return "LOG";
        case catalog::DeleteBehavior::kDeleteFromDatabase:
            return "DELETE_FROM_DATABASE";
        case catalog::DeleteBehavior::kDeprecateInDatabase:
            break;
    }
    return "DEPRECATE_IN_DATABASE";
}

// REQUIRES: `name` is one of DeleteBehaviorName's answers.
catalog::DeleteBehavior DeleteBehaviorOf(std::string_view name) {
    if (name == "LOG") return catalog::DeleteBehavior::kLog;
    if (name == "DELETE_FROM_DATABASE") return catalog::DeleteBehavior::kDeleteFromDatabase;
    return catalog::DeleteBehavior::kDeprecateInDatabase;
}

// With `keep_current`, absent Targets keep the crawler's (UpdateCrawler); given ones replace them.
Status ReadTargets(const json& request, const catalog::LakeLocation& lake, bool keep_current,
                   catalog::Crawler& crawler) {
    const json* targets = Member(request, "Targets");
    if (!targets) return keep_current ? Status::Ok() : Missing("Targets");
    if (!targets->is_object()) return WrongType("Targets", "an object");
    for (std::string_view kind :
         {"JdbcTargets", "MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets",
          "IcebergTargets", "HudiTargets"}) {
        const json* list = Member(*targets, kind);
        if (list && !(list->is_array() && list->empty())) {
            return Status::InvalidArgument("Targets." + std::string(kind) +
                                           " is not supported: tarn crawls S3 targets in its "
                                           "lake only");
        }
    }
    TARN_ASSIGN_OR_RETURN(const json* s3, OptionalArray(*targets, "S3Targets", "Targets"));
    if (!s3 || s3->empty()) {
        return Status::InvalidArgument("Targets must have at least one S3Targets entry");
    }
    crawler.targets.clear();
    crawler.exclusions.clear();
    for (size_t i = 0; i < s3->size(); ++i) {
        std::string path = "Targets.S3Targets[" + std::to_string(i) + "]";
        const json& target = (*s3)[i];
        if (!target.is_object()) return WrongType(path, "an object");
        TARN_ASSIGN_OR_RETURN(auto uri, OptionalString(target, "Path", path, 1, kLocationMax));
        if (!uri) return Missing(path + ".Path");
        catalog::LakeLocation::Resolved resolved = lake.FromUri(*uri);
        if (!resolved.inside) {
            return Status::InvalidArgument(path + ".Path '" + *uri + "' is outside the lake (" +
                                           lake.root() + ")");
        }
        TARN_ASSIGN_OR_RETURN(auto exclusions, StringList(target, "Exclusions", path));
        for (std::string& glob : exclusions) {
            std::string_view relative = glob;
            while (relative.starts_with('/')) relative.remove_prefix(1);
            crawler.exclusions.push_back(resolved.location + std::string(relative));
        }
        crawler.targets.push_back(std::move(resolved.location));
    }
    return Status::Ok();
}

Status ReadPolicies(const json& request, catalog::Crawler& crawler) {
    TARN_ASSIGN_OR_RETURN(const json* schema, OptionalObject(request, "SchemaChangePolicy", ""));
    if (schema) {
        constexpr std::string_view kPath = "SchemaChangePolicy";
        TARN_ASSIGN_OR_RETURN(
            std::string update,
            EnumValue(*schema, "UpdateBehavior", kPath, {"LOG", "UPDATE_IN_DATABASE"},
                      UpdateBehaviorName(crawler.update_behavior)));
        crawler.update_behavior = update == "LOG" ? catalog::UpdateBehavior::kLog
                                                  : catalog::UpdateBehavior::kUpdateInDatabase;
        TARN_ASSIGN_OR_RETURN(std::string del,
                              EnumValue(*schema, "DeleteBehavior", kPath,
                                        {"LOG", "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE"},
                                        DeleteBehaviorName(crawler.delete_behavior)));
        crawler.delete_behavior = DeleteBehaviorOf(del);
    }
    TARN_ASSIGN_OR_RETURN(const json* recrawl, OptionalObject(request, "RecrawlPolicy", ""));
    if (recrawl) {
        TARN_ASSIGN_OR_RETURN(
            std::string behavior,
            EnumValue(
                *recrawl, "RecrawlBehavior", "RecrawlPolicy",
                {"CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY", "CRAWL_EVENT_MODE"},
                crawler.recrawl_new_folders_only ? "CRAWL_NEW_FOLDERS_ONLY" : "CRAWL_EVERYTHING"));
        if (behavior == "CRAWL_EVENT_MODE") {
            return Status::InvalidArgument(
                "RecrawlPolicy.RecrawlBehavior CRAWL_EVENT_MODE is not supported (no S3 event "
                "queues in tarn); use CRAWL_NEW_FOLDERS_ONLY");
        }
        crawler.recrawl_new_folders_only = behavior == "CRAWL_NEW_FOLDERS_ONLY";
    }
    return Status::Ok();
}

Status ReadScheduleAndConfiguration(const json& request, catalog::Crawler& crawler) {
    TARN_ASSIGN_OR_RETURN(crawler.schedule,
                          StringOr(request, "Schedule", "", 1024, crawler.schedule));
    if (!crawler.schedule.empty()) {
        Result<Schedule> parsed = Schedule::Parse(crawler.schedule);
        if (!parsed.ok()) return parsed.status().WithContext("Schedule");
    }
    TARN_ASSIGN_OR_RETURN(auto configuration,
                          OptionalString(request, "Configuration", "", 0, 65536));
    if (configuration && !configuration->empty()) {
        json parsed = json::parse(*configuration, nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_object()) {
            return Status::InvalidArgument("Configuration must be a JSON object");
        }
    }
    TARN_ASSIGN_OR_RETURN(auto classifiers, StringList(request, "Classifiers", ""));
    if (!classifiers.empty()) {
        return Status::InvalidArgument(
            "Classifiers are not supported: tarn's crawler classifies JSON, CSV and Parquet "
            "itself");
    }
    return Status::Ok();
}

// "raw/events/" for the exclusion "raw/events/tmp/**": the longest target it begins with.
const std::string* OwningTarget(const catalog::Crawler& crawler, const std::string& exclusion) {
    const std::string* best = nullptr;
    for (const std::string& target : crawler.targets) {
        if (exclusion.starts_with(target) && (!best || target.size() > best->size())) {
            best = &target;
        }
    }
    return best;
}

json TargetsJson(const catalog::Crawler& crawler, const catalog::LakeLocation& lake) {
    json s3 = json::array();
    for (const std::string& target : crawler.targets) {
        json exclusions = json::array();
        for (const std::string& exclusion : crawler.exclusions) {
            const std::string* owner = OwningTarget(crawler, exclusion);
            if (owner && *owner == target) {
                exclusions.push_back(exclusion.substr(target.size()));
            } else if (!owner && &target == &crawler.targets.front()) {
                exclusions.push_back(exclusion);  // under no target: listed as it is
            }
        }
        s3.push_back({{"Path", lake.ToUri(target)}, {"Exclusions", std::move(exclusions)}});
    }
    json out = {{"S3Targets", std::move(s3)}};
    for (std::string_view kind :
         {"JdbcTargets", "MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets",
          "IcebergTargets", "HudiTargets"}) {
        out[std::string(kind)] = json::array();
    }
    return out;
}

json LastCrawlJson(const catalog::Crawler& crawler, const catalog::CrawlRun& run) {
    json out = {{"Status", run.state}};
    if (!run.message.empty()) out["ErrorMessage"] = run.message;
    out["LogGroup"] = "/aws-glue/crawlers";
    out["LogStream"] = crawler.name;
    out["MessagePrefix"] = "run-" + std::to_string(run.id);
    out["StartTime"] = EpochSeconds(run.started_ms);
    return out;
}

double RuntimeSeconds(const catalog::CrawlRun& run) {
    return run.finished_ms > run.started_ms ? EpochSeconds(run.finished_ms - run.started_ms) : 0;
}

}  // namespace

Result<catalog::Crawler> CrawlerFromRequest(const json& request, const catalog::LakeLocation& lake,
                                            const catalog::Crawler* current) {
    if (!request.is_object()) return WrongType("the request", "an object");
    catalog::Crawler crawler = current ? *current : catalog::Crawler{};
    TARN_ASSIGN_OR_RETURN(auto name, OptionalString(request, "Name", "", 1, kNameMax));
    if (!name) return Missing("Name");
    TARN_RETURN_IF_ERROR(CheckSingleLine(*name, "Name"));
    crawler.name = std::move(*name);  // crawler names keep their case in Glue
    TARN_ASSIGN_OR_RETURN(auto role, OptionalString(request, "Role", "", 0, 2048));
    if (!role && !current) return Missing("Role");
    if (role) crawler.role = std::move(*role);
    if (const json* db = Member(request, "DatabaseName")) {
        if (db->is_string() && db->get<std::string>().empty()) {
            crawler.database.clear();
        } else {
            TARN_ASSIGN_OR_RETURN(crawler.database, NormalizeName(db, "DatabaseName"));
        }
    }
    TARN_ASSIGN_OR_RETURN(crawler.description, StringOr(request, "Description", "", kDescriptionMax,
                                                        crawler.description));
    TARN_ASSIGN_OR_RETURN(crawler.table_prefix, StringOr(request, "TablePrefix", "",
                                                         kTablePrefixMax, crawler.table_prefix));
    TARN_RETURN_IF_ERROR(ReadTargets(request, lake, current != nullptr, crawler));
    TARN_RETURN_IF_ERROR(ReadPolicies(request, crawler));
    TARN_RETURN_IF_ERROR(ReadScheduleAndConfiguration(request, crawler));
    return crawler;
}

json CrawlerToJson(const catalog::Crawler& crawler, std::string_view state,
                   const std::optional<catalog::CrawlRun>& last_run,
                   const catalog::LakeLocation& lake, int64_t running_since_ms, int64_t now_ms) {
    json out = {{"Name", crawler.name}, {"Role", crawler.role}};
    out["Targets"] = TargetsJson(crawler, lake);
    if (!crawler.database.empty()) out["DatabaseName"] = crawler.database;
    if (!crawler.description.empty()) out["Description"] = crawler.description;
    out["Classifiers"] = json::array();
    out["RecrawlPolicy"] = {{"RecrawlBehavior", crawler.recrawl_new_folders_only
                                                    ? "CRAWL_NEW_FOLDERS_ONLY"
                                                    : "CRAWL_EVERYTHING"}};
    out["SchemaChangePolicy"] = {{"UpdateBehavior", UpdateBehaviorName(crawler.update_behavior)},
                                 {"DeleteBehavior", DeleteBehaviorName(crawler.delete_behavior)}};
    out["LineageConfiguration"] = {{"CrawlerLineageSettings", "DISABLE"}};
    out["State"] = state;
    if (!crawler.table_prefix.empty()) out["TablePrefix"] = crawler.table_prefix;
    if (!crawler.schedule.empty()) {
        out["Schedule"] = {{"ScheduleExpression", crawler.schedule}, {"State", "SCHEDULED"}};
    }
    const bool running = state == "RUNNING" && running_since_ms > 0 && now_ms > running_since_ms;
    out["CrawlElapsedTime"] = running ? now_ms - running_since_ms : 0;
    out["CreationTime"] = EpochSeconds(crawler.created_ms);
    out["LastUpdated"] = EpochSeconds(crawler.updated_ms);
    if (last_run && last_run->state != "RUNNING")
        out["LastCrawl"] = LastCrawlJson(crawler, *last_run);
    out["Version"] = crawler.version;
    return out;
}

json CrawlerMetricsJson(std::string_view crawler_name,
                        const std::vector<catalog::CrawlRun>& runs_newest_first) {
    const bool running = !runs_newest_first.empty() && runs_newest_first.front().state == "RUNNING";
    std::vector<double> runtimes;
    const catalog::CrawlRun* last = nullptr;
    for (const catalog::CrawlRun& run : runs_newest_first) {
        if (run.state == "RUNNING") continue;
        if (!last) last = &run;
        runtimes.push_back(RuntimeSeconds(run));
    }
    double median = 0;
    if (!runtimes.empty()) {
        std::sort(runtimes.begin(), runtimes.end());
        size_t mid = runtimes.size() / 2;
        median = runtimes.size() % 2 ? runtimes[mid] : (runtimes[mid - 1] + runtimes[mid]) / 2;
    }
    return {{"CrawlerName", crawler_name},
            {"TimeLeftSeconds", 0.0},
            {"StillEstimating", running},
            {"LastRuntimeSeconds", last ? RuntimeSeconds(*last) : 0.0},
            {"MedianRuntimeSeconds", median},
            {"TablesCreated", last ? last->tables_created : 0},
            {"TablesUpdated", last ? last->tables_updated : 0},
            {"TablesDeleted", last ? last->tables_deleted : 0}};
}

}  // namespace tarn::api::glue
