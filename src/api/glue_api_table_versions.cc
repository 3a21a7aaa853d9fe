// GetTableVersions and GetTableVersion: a table's schema history, each version shown as the
// table with that version's columns and partition keys.
#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/catalog.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxVersionsPerPage = 100;

// The table as it was at `version`: the schema history keeps columns and partition keys only,
// so the rest (location, format, parameters) is today's.
Json TableVersionJson(const catalog::Table& table, const catalog::TableVersion& version,
                      const catalog::LakeLocation& lake) {
    catalog::Table then = table;
    then.columns = version.columns;
    then.partition_keys = version.partition_keys;
    then.schema_version = version.version;
    then.updated_ms = version.created_ms;
    return {{"Table", TableToJson(then, lake)}, {"VersionId", std::to_string(version.version)}};
}

struct TableHistory {
    catalog::Table table;
    std::vector<catalog::TableVersion> versions;  // newest first
};

Result<TableHistory> HistoryOf(const GlueContext& ctx, const Json& request) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "TableName"));
    TableHistory history;
    TARN_ASSIGN_OR_RETURN(history.table, ctx.catalog.GetTable(database, name));
    TARN_ASSIGN_OR_RETURN(history.versions, ctx.catalog.GetTableVersions(database, name));
    return history;
}

}  // namespace

TARN_GLUE_HANDLER(GetTableVersions) {
    TARN_ASSIGN_OR_RETURN(auto token, OptionalString(request, "NextToken"));
    TARN_ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request, kMaxVersionsPerPage));
    TARN_ASSIGN_OR_RETURN(TableHistory history, HistoryOf(ctx, request));
    // Newest first, so the ascending paging key is the negated version.
    std::vector<Json> keys;
    for (const auto& version : history.versions) keys.emplace_back(-version.version);
    TARN_ASSIGN_OR_RETURN(Page page, PageOf(keys, token, page_size));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) {
        list.push_back(TableVersionJson(history.table, history.versions[i], ctx.lake));
    }
    Json response = {{"TableVersions", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

// Without VersionId: the current version.
TARN_GLUE_HANDLER(GetTableVersion) {
    TARN_ASSIGN_OR_RETURN(auto version_id, OptionalString(request, "VersionId"));
    TARN_ASSIGN_OR_RETURN(TableHistory history, HistoryOf(ctx, request));
    for (const auto& version : history.versions) {
        if (!version_id || std::to_string(version.version) == *version_id) {
            return Json{{"TableVersion", TableVersionJson(history.table, version, ctx.lake)}};
        }
    }
    return Status::NotFound("version " + version_id.value_or("(current)") + " of table " +
                            history.table.database + "." + history.table.name + " not found");
}

}  // namespace tarn::api::glue
