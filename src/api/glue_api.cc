// AddGlueApi, the Glue error mapping, and the request-reading and paging helpers every Glue
// handler shares.
#include "api/glue_api.h"

#include <algorithm>
#include <exception>
#include <memory>

#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/crawler_service.h"
#include "common/base64.h"

namespace tarn::api {
namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";
constexpr size_t kNameMax = 255;

// Parses the body, runs the handler, and answers exactly once. Nothing thrown escapes: a
// handler bug answers 500 InternalServiceException instead of dropping the connection.
void Serve(const glue::GlueContext& ctx, glue::Handler handler, const HttpRequest& req,
           const HttpRespond& respond) {
    try {
        glue::Json request =
            req.body.empty() ? glue::Json::object() : glue::Json::parse(req.body, nullptr, false);
        if (!request.is_object()) {
            return respond(AwsErrorResponse(400, "SerializationException",
                                            "the request body must be a JSON object"));
        }
        Result<glue::Json> response = handler(ctx, request);
        if (!response.ok()) return respond(glue::GlueErrorResponse(response.status()));
        // Names and values from crawled files may hold invalid UTF-8: replaced, not a 500.
        std::string body = response->dump(-1, ' ', false, glue::Json::error_handler_t::replace);
        respond(HttpResponse::Text(200, std::move(body), std::string(kJsonContentType)));
    } catch (const std::exception& e) {
        respond(AwsErrorResponse(500, "InternalServiceException", e.what()));
    }
}

}  // namespace

void AddGlueApi(AwsJsonDispatcher& dispatcher, catalog::Catalog& catalog,
                catalog::CrawlerService& crawlers, const catalog::LakeLocation& lake,
                ThreadPool* pool) {
    auto ctx = std::make_shared<const glue::GlueContext>(
        glue::GlueContext{catalog, crawlers, lake, SystemClock::Instance()});
    const auto add = [&](std::string_view operation, glue::Handler handler) {
        dispatcher.Add(glue::kServicePrefix, operation,
                       [ctx, handler, pool](HttpRequest request, HttpRespond respond) {
                           if (pool == nullptr) return Serve(*ctx, handler, request, respond);
                           // Catalog writes wait for an fsync: keep them off the I/O threads,
                           // which also answer ingest.
                           auto shared = std::make_shared<std::pair<HttpRequest, HttpRespond>>(
                               std::move(request), std::move(respond));
                           Status queued = pool->Submit([ctx, handler, shared] {
                               Serve(*ctx, handler, shared->first, shared->second);
                           });
                           if (!queued.ok()) shared->second(AwsErrorFromStatus(queued));
                       });
    };
    add("CreateDatabase", glue::CreateDatabase);
    add("GetDatabase", glue::GetDatabase);
    add("GetDatabases", glue::GetDatabases);
    add("UpdateDatabase", glue::UpdateDatabase);
    add("DeleteDatabase", glue::DeleteDatabase);
    add("CreateTable", glue::CreateTable);
    add("GetTable", glue::GetTable);
    add("GetTables", glue::GetTables);
    add("UpdateTable", glue::UpdateTable);
    add("DeleteTable", glue::DeleteTable);
    add("BatchDeleteTable", glue::BatchDeleteTable);
    add("GetTableVersions", glue::GetTableVersions);
    add("GetTableVersion", glue::GetTableVersion);
    add("CreatePartition", glue::CreatePartition);
    add("BatchCreatePartition", glue::BatchCreatePartition);
    add("GetPartition", glue::GetPartition);
    add("GetPartitions", glue::GetPartitions);
    add("BatchGetPartition", glue::BatchGetPartition);
    add("UpdatePartition", glue::UpdatePartition);
    add("DeletePartition", glue::DeletePartition);
    add("BatchDeletePartition", glue::BatchDeletePartition);
    add("CreateCrawler", glue::CreateCrawler);
    add("GetCrawler", glue::GetCrawler);
    add("GetCrawlers", glue::GetCrawlers);
    add("ListCrawlers", glue::ListCrawlers);
    add("UpdateCrawler", glue::UpdateCrawler);
    add("DeleteCrawler", glue::DeleteCrawler);
    add("StartCrawler", glue::StartCrawler);
    add("StopCrawler", glue::StopCrawler);
    add("GetCrawlerMetrics", glue::GetCrawlerMetrics);
}

namespace glue {

// ---- Errors ----

GlueError GlueErrorOf(const Status& status) {
    const std::string& message = status.message();
    switch (status.code()) {
        case StatusCode::kNotFound:
            return {400, "EntityNotFoundException"};
        case StatusCode::kAlreadyExists:
            return {400, "AlreadyExistsException"};
        case StatusCode::kInvalidArgument:
            return {400, "InvalidInputException"};
        case StatusCode::kFailedPrecondition:
            // CrawlerService words its state errors with these prefixes (crawler_service.h).
            if (message.starts_with(catalog::kCrawlerRunning))
                return {400, "CrawlerRunningException"};
            if (message.starts_with(catalog::kCrawlerNotRunning)) {
                return {400, "CrawlerNotRunningException"};
            }
            if (message.starts_with(catalog::kCrawlerStopping)) {
                return {400, "CrawlerStoppingException"};
            }
            // The catalog's other precondition is a stale expected version (UpdateTable).
            return {400, "ConcurrentModificationException"};
        default:
            return {500, "InternalServiceException"};
    }
}

HttpResponse GlueErrorResponse(const Status& status) {
    GlueError error = GlueErrorOf(status);
    return AwsErrorResponse(error.http_status, error.type, status.message());
}

Json ErrorDetailJson(const Status& status) {
    return {{"ErrorCode", GlueErrorOf(status).type}, {"ErrorMessage", status.message()}};
}

// ---- Reading requests ----

namespace {

Status WrongType(std::string_view member, std::string_view expected) {
    return Status::InvalidArgument(std::string(member) + " must be " + std::string(expected));
}

Status Missing(std::string_view member) {
    return Status::InvalidArgument("1 validation error detected: Value null at '" +
                                   std::string(member) +
                                   "' failed to satisfy constraint: Member must not be null");
}

}  // namespace

const Json* MemberOf(const Json& request, std::string_view member) {
    if (!request.is_object()) return nullptr;
    auto it = request.find(member);
    if (it == request.end() || it->is_null()) return nullptr;
    return &*it;
}

Result<std::string> NameOf(const Json& request, std::string_view member) {
    return NormalizeName(MemberOf(request, member), member);
}

Result<std::string> RequiredString(const Json& request, std::string_view member) {
    TARN_ASSIGN_OR_RETURN(auto value, OptionalString(request, member));
    if (!value) return Missing(member);
    if (value->empty() || value->size() > kNameMax) {
        return Status::InvalidArgument(std::string(member) + " must have 1 to 255 characters");
    }
    return std::move(*value);
}

Result<std::optional<std::string>> OptionalString(const Json& request, std::string_view member) {
    const Json* value = MemberOf(request, member);
    if (!value) return std::optional<std::string>();
    if (!value->is_string()) return WrongType(member, "a string");
    return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<int64_t>> OptionalInt(const Json& request, std::string_view member) {
    const Json* value = MemberOf(request, member);
    if (!value) return std::optional<int64_t>();
    if (!value->is_number_integer() ||
        (value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX)) {
        return WrongType(member, "an integer");
    }
    return std::optional<int64_t>(value->get<int64_t>());
}

Result<bool> BoolOr(const Json& request, std::string_view member, bool fallback) {
    const Json* value = MemberOf(request, member);
    if (!value) return fallback;
    if (!value->is_boolean()) return WrongType(member, "a boolean");
    return value->get<bool>();
}

Result<std::vector<std::string>> StringsOf(const Json* value, std::string_view field) {
    if (!value) return Missing(field);
    if (!value->is_array()) return WrongType(field, "a list of strings");
    std::vector<std::string> out;
    out.reserve(value->size());
    for (const Json& item : *value) {
        if (!item.is_string()) return WrongType(field, "a list of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

Result<const Json*> RequiredArray(const Json& request, std::string_view member) {
    const Json* value = MemberOf(request, member);
    if (!value) return Missing(member);
    if (!value->is_array()) return WrongType(member, "a list");
    return value;
}

Result<size_t> PageSizeOf(const Json& request, size_t max) {
    TARN_ASSIGN_OR_RETURN(auto size, OptionalInt(request, "MaxResults"));
    if (!size) return max;
    if (*size < 1 || static_cast<uint64_t>(*size) > max) {
        return Status::InvalidArgument(
            "1 validation error detected: Value '" + std::to_string(*size) +
            "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 "
            "and " +
            std::to_string(max));
    }
    return static_cast<size_t>(*size);
}

// ---- Paging ----

Result<Page> PageOf(const std::vector<Json>& ascending_keys,
                    const std::optional<std::string>& token, size_t page_size) {
    Page page;
    if (token && !token->empty()) {
        auto decoded = Base64Decode(*token);
        Json after = decoded.ok() ? Json::parse(*decoded, nullptr, false) : Json();
        if (after.is_discarded() || !after.is_object() || !after.contains("after")) {
            return Status::InvalidArgument("Invalid NextToken");
        }
        page.begin = static_cast<size_t>(
            std::upper_bound(ascending_keys.begin(), ascending_keys.end(), after["after"]) -
            ascending_keys.begin());
    }
    page.end = std::min(ascending_keys.size(), page.begin + page_size);
    if (page.end < ascending_keys.size()) {
        page.next_token = Base64Encode(Json{{"after", ascending_keys[page.end - 1]}}.dump());
    }
    return page;
}

void SetNextToken(Json& response, const Page& page) {
    if (page.next_token) response["NextToken"] = *page.next_token;
}

}  // namespace glue
}  // namespace tarn::api
