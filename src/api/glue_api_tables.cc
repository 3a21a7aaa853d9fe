// CreateTable, GetTable, GetTables (with Glue's table-name Expression), UpdateTable, DeleteTable
// and BatchDeleteTable.
#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/catalog.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxTablesPerPage = 100;
constexpr size_t kMaxTablesPerBatchDelete = 100;  // BatchDeleteTableNameList

Result<catalog::Table> TableOfRequest(const GlueContext& ctx, const Json& request) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    const Json* input = MemberOf(request, "TableInput");
    if (!input || !input->is_object()) {
        return Status::InvalidArgument("TableInput is required and must be an object");
    }
    return TableFromInput(*input, database, ctx.lake);
}

}  // namespace

// Tables declared through the Glue API are external: tarn's own writers create managed ones.
TARN_GLUE_HANDLER(CreateTable) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOfRequest(ctx, request));
    table.kind = catalog::TableKind::kExternal;
    TARN_RETURN_IF_ERROR(ctx.catalog.CreateTable(table));
    return Json::object();
}

TARN_GLUE_HANDLER(GetTable) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "Name"));
    TARN_ASSIGN_OR_RETURN(catalog::Table table, ctx.catalog.GetTable(database, name));
    return Json{{"Table", TableToJson(table, ctx.lake)}};
}

TARN_GLUE_HANDLER(GetTables) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(auto expression, OptionalString(request, "Expression"));
    TARN_ASSIGN_OR_RETURN(auto token, OptionalString(request, "NextToken"));
    TARN_ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request, kMaxTablesPerPage));
    TARN_ASSIGN_OR_RETURN(TableNamePattern filter,
                          TableNamePattern::Parse(expression.value_or("")));
    TARN_RETURN_IF_ERROR(ctx.catalog.GetDatabase(database).status());      // EntityNotFound
    TARN_ASSIGN_OR_RETURN(auto tables, ctx.catalog.ListTables(database));  // by name
    std::erase_if(tables, [&](const catalog::Table& t) { return !filter.Matches(t.name); });
    std::vector<Json> keys;
    for (const auto& table : tables) keys.emplace_back(table.name);
    TARN_ASSIGN_OR_RETURN(Page page, PageOf(keys, token, page_size));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) list.push_back(TableToJson(tables[i], ctx.lake));
    Json response = {{"TableList", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

// The client replaces the definition; what tarn owns stays: whether the table is managed, its
// creation time, and its time-partition source unless the client names one. VersionId, when
// given, must be the current version (Glue's optimistic check).
TARN_GLUE_HANDLER(UpdateTable) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOfRequest(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto version_text, OptionalString(request, "VersionId"));
    std::optional<int64_t> expected_version;
    if (version_text) {
        try {
            size_t used = 0;
            expected_version = std::stoll(*version_text, &used);
            if (used != version_text->size()) throw std::invalid_argument("trailing characters");
        } catch (const std::exception&) {
            return Status::InvalidArgument("VersionId '" + *version_text + "' is not a number");
        }
    }
    TARN_ASSIGN_OR_RETURN(catalog::Table current, ctx.catalog.GetTable(table.database, table.name));
    table.kind = current.kind;
    table.created_ms = current.created_ms;
    if (table.time_partition_source.empty()) {
        table.time_partition_source = current.time_partition_source;
    }
    TARN_RETURN_IF_ERROR(
        ctx.catalog.UpdateTable(table, "updated through the Glue API", expected_version).status());
    return Json::object();
}

TARN_GLUE_HANDLER(DeleteTable) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "Name"));
    TARN_RETURN_IF_ERROR(ctx.catalog.DeleteTable(database, name));
    return Json::object();
}

// Each name is deleted on its own; a failure is reported in Errors, not for the whole call.
TARN_GLUE_HANDLER(BatchDeleteTable) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(auto names,
                          StringsOf(MemberOf(request, "TablesToDelete"), "TablesToDelete"));
    if (names.size() > kMaxTablesPerBatchDelete) {
        return Status::InvalidArgument("TablesToDelete must have at most 100 names");
    }
    TARN_RETURN_IF_ERROR(ctx.catalog.GetDatabase(database).status());
    Json errors = Json::array();
    for (const std::string& given : names) {
        Json name_json = given;
        Result<std::string> name = NormalizeName(&name_json, "TablesToDelete");
        Status status = name.ok() ? ctx.catalog.DeleteTable(database, *name) : name.status();
        if (!status.ok()) {
            errors.push_back({{"TableName", given}, {"ErrorDetail", ErrorDetailJson(status)}});
        }
    }
    return Json{{"Errors", std::move(errors)}};
}

}  // namespace tarn::api::glue
