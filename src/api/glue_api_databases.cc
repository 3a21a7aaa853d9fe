// CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase and DeleteDatabase.
#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/catalog.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxDatabasesPerPage = 100;

Result<const Json*> DatabaseInputOf(const Json& request) {
    const Json* input = MemberOf(request, "DatabaseInput");
    if (!input || !input->is_object()) {
        return Status::InvalidArgument("DatabaseInput is required and must be an object");
    }
    return input;
}

}  // namespace

TARN_GLUE_HANDLER(CreateDatabase) {
    TARN_ASSIGN_OR_RETURN(const Json* input, DatabaseInputOf(request));
    TARN_ASSIGN_OR_RETURN(catalog::Database database, DatabaseFromInput(*input));
    TARN_RETURN_IF_ERROR(ctx.catalog.CreateDatabase(database));
    return Json::object();
}

TARN_GLUE_HANDLER(GetDatabase) {
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "Name"));
    TARN_ASSIGN_OR_RETURN(catalog::Database database, ctx.catalog.GetDatabase(name));
    return Json{{"Database", DatabaseToJson(database)}};
}

TARN_GLUE_HANDLER(GetDatabases) {
    TARN_ASSIGN_OR_RETURN(auto token, OptionalString(request, "NextToken"));
    TARN_ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request, kMaxDatabasesPerPage));
    TARN_ASSIGN_OR_RETURN(auto databases, ctx.catalog.ListDatabases());  // by name
    std::vector<Json> keys;
    for (const auto& database : databases) keys.emplace_back(database.name);
    TARN_ASSIGN_OR_RETURN(Page page, PageOf(keys, token, page_size));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) list.push_back(DatabaseToJson(databases[i]));
    Json response = {{"DatabaseList", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

// The database keeps its name (Glue does not rename through UpdateDatabase) and creation time;
// description, location and parameters are replaced by the input's.
TARN_GLUE_HANDLER(UpdateDatabase) {
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "Name"));
    TARN_ASSIGN_OR_RETURN(const Json* input, DatabaseInputOf(request));
    TARN_ASSIGN_OR_RETURN(catalog::Database database, DatabaseFromInput(*input));
    if (database.name != name) {
        return Status::InvalidArgument("DatabaseInput.Name '" + database.name +
                                       "' differs from Name '" + name +
                                       "': renaming a database is not supported");
    }
    TARN_ASSIGN_OR_RETURN(catalog::Database current, ctx.catalog.GetDatabase(name));
    database.created_ms = current.created_ms;
    TARN_RETURN_IF_ERROR(ctx.catalog.UpdateDatabase(database));
    return Json::object();
}

TARN_GLUE_HANDLER(DeleteDatabase) {
    TARN_ASSIGN_OR_RETURN(std::string name, NameOf(request, "Name"));
    TARN_RETURN_IF_ERROR(ctx.catalog.DeleteDatabase(name));
    return Json::object();
}

}  // namespace tarn::api::glue
