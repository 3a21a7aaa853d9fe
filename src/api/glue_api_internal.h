// Pieces shared by the Glue operations' handlers (internal to api/; AddGlueApi registers them).
//
// A handler takes the parsed request (a JSON object) and returns the response body, or a Status
// that GlueErrorResponse turns into Glue's error shape. The registration wrapper parses the body,
// catches anything thrown, and answers, so handlers stay plain functions of JSON.
//
// Thread-safety: handlers may run concurrently; GlueContext is immutable after registration.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"
#include "catalog/table_storage.h"
#include "common/clock.h"
#include "common/status.h"

namespace tarn::catalog {
class Catalog;
class CrawlerService;
}  // namespace tarn::catalog

namespace tarn::api::glue {

inline constexpr std::string_view kServicePrefix = "AWSGlue";

struct GlueContext {
    catalog::Catalog& catalog;
    catalog::CrawlerService& crawlers;
    catalog::LakeLocation lake;
    Clock* clock;  // never null
};

using Json = nlohmann::json;

using Handler = Result<Json> (*)(const GlueContext& ctx, const Json& request);
#define TARN_GLUE_HANDLER(name) Result<Json> name(const GlueContext& ctx, const Json& request)

// glue_api_databases.cc
TARN_GLUE_HANDLER(CreateDatabase);
TARN_GLUE_HANDLER(GetDatabase);
TARN_GLUE_HANDLER(GetDatabases);
TARN_GLUE_HANDLER(UpdateDatabase);
TARN_GLUE_HANDLER(DeleteDatabase);
// glue_api_tables.cc
TARN_GLUE_HANDLER(CreateTable);
TARN_GLUE_HANDLER(GetTable);
TARN_GLUE_HANDLER(GetTables);
TARN_GLUE_HANDLER(UpdateTable);
TARN_GLUE_HANDLER(DeleteTable);
TARN_GLUE_HANDLER(BatchDeleteTable);
// glue_api_table_versions.cc
TARN_GLUE_HANDLER(GetTableVersions);
TARN_GLUE_HANDLER(GetTableVersion);
// glue_api_partitions.cc
TARN_GLUE_HANDLER(CreatePartition);
TARN_GLUE_HANDLER(BatchCreatePartition);
TARN_GLUE_HANDLER(GetPartition);
TARN_GLUE_HANDLER(GetPartitions);
TARN_GLUE_HANDLER(BatchGetPartition);
TARN_GLUE_HANDLER(UpdatePartition);
TARN_GLUE_HANDLER(DeletePartition);
TARN_GLUE_HANDLER(BatchDeletePartition);
// glue_api_crawlers.cc
TARN_GLUE_HANDLER(CreateCrawler);
TARN_GLUE_HANDLER(GetCrawler);
TARN_GLUE_HANDLER(GetCrawlers);
TARN_GLUE_HANDLER(ListCrawlers);
TARN_GLUE_HANDLER(UpdateCrawler);
TARN_GLUE_HANDLER(DeleteCrawler);
TARN_GLUE_HANDLER(StartCrawler);
TARN_GLUE_HANDLER(StopCrawler);
TARN_GLUE_HANDLER(GetCrawlerMetrics);

// ---- Errors (glue_api.cc): the one place catalog Status codes become Glue's error types ----

struct GlueError {
    int http_status;
    std::string_view type;
};
// NotFound → EntityNotFoundException, AlreadyExists → AlreadyExistsException, InvalidArgument →
// InvalidInputException, FailedPrecondition by message prefix (CrawlerRunning...,
// CrawlerNotRunning..., CrawlerStopping...; otherwise a stale version:
// ConcurrentModificationException), anything else → 500 InternalServiceException.
GlueError GlueErrorOf(const Status& status);
HttpResponse GlueErrorResponse(const Status& status);
// A batch's per-item ErrorDetail: {"ErrorCode": type, "ErrorMessage": message}.
Json ErrorDetailJson(const Status& status);

// ---- Reading requests (glue_api.cc); errors are InvalidArgument naming the member ----

// The member, or nullptr when absent or null (AWS treats both alike).
const Json* MemberOf(const Json& request, std::string_view member);
// A database or table name (NormalizeName: required, lower-cased).
Result<std::string> NameOf(const Json& request, std::string_view member);
// A required string of 1..255 characters kept as given (crawler names keep their case).
Result<std::string> RequiredString(const Json& request, std::string_view member);
Result<std::optional<std::string>> OptionalString(const Json& request, std::string_view member);
Result<std::optional<int64_t>> OptionalInt(const Json& request, std::string_view member);
Result<bool> BoolOr(const Json& request, std::string_view member, bool fallback);
// A list of strings; `field` names it in messages.
Result<std::vector<std::string>> StringsOf(const Json* value, std::string_view field);
// A required array member.
Result<const Json*> RequiredArray(const Json& request, std::string_view member);
// MaxResults in [1, max]; `max` when absent.
Result<size_t> PageSizeOf(const Json& request, size_t max);

// ---- GetTables' Expression (glue_api_table_names.cc) ----

// Glue documents it as "a regular expression pattern" over table names, and keeps the Hive
// metastore's habit where `*` means any run of characters ("events*" finds events_v2) and `|`
// separates alternatives. Supported: literals, `.` (any character), `*` (any run, whether or not
// after `.`), `+` and `?` after an atom, `|`, `\` escapes, `^` and `$` at the ends; groups,
// classes and counts are InvalidArgument. A name must match whole, ignoring ASCII case. An empty
// expression matches every name.
class TableNamePattern {
public:
    static Result<TableNamePattern> Parse(std::string_view expression);
    bool Matches(std::string_view name) const;

    enum class Repeat : uint8_t { kOnce, kAnyCount, kAtLeastOnce, kAtMostOnce };
    struct Atom {
        char literal = 0;  // lower case
        bool any = false;  // `.`
        Repeat repeat = Repeat::kOnce;
    };

private:
    std::vector<std::vector<Atom>> alternatives_;  // empty: match everything
};

// ---- Paging (glue_api.cc) ----

// One page of a list whose items have ascending, distinct keys (strings, arrays of strings or
// numbers: compared as JSON values). The NextToken carries the last key of the page, so the next
// page starts after it even when items were added or removed meanwhile.
struct Page {
    size_t begin = 0;
    size_t end = 0;
    std::optional<std::string> next_token;  // present when items follow the page
};
// InvalidArgument "Invalid NextToken" for a token this API did not write.
Result<Page> PageOf(const std::vector<Json>& ascending_keys,
                    const std::optional<std::string>& token, size_t page_size);
// Adds "NextToken" to `response` when the page has one.
void SetNextToken(Json& response, const Page& page);

}  // namespace tarn::api::glue
