// CreateCrawler, GetCrawler, GetCrawlers, ListCrawlers, UpdateCrawler, DeleteCrawler,
// StartCrawler, StopCrawler and GetCrawlerMetrics, over the CrawlerService (definitions, state,
// runs) and the catalog's record of runs.
#include <chrono>

#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/catalog.h"
#include "catalog/crawler_service.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxCrawlersPerPage = 1000;
constexpr size_t kMaxCrawlerNames = 100;  // CrawlerNameList
// Runs that feed a crawler's LastCrawl (a finished run among the newest few) and its median
// runtime in GetCrawlerMetrics.
constexpr size_t kRunsForLastCrawl = 4;
constexpr size_t kRunsForMetrics = 100;

int64_t NowMs(const GlueContext& ctx) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               ctx.clock->Now().time_since_epoch())
        .count();
}

// GetCrawler's Crawler: the definition with its state and its newest finished run.
Result<Json> CrawlerJson(const GlueContext& ctx, const catalog::Crawler& crawler) {
    TARN_ASSIGN_OR_RETURN(catalog::CrawlerStatus status, ctx.crawlers.GetStatus(crawler.name));
    TARN_ASSIGN_OR_RETURN(auto runs, ctx.catalog.ListCrawlRuns(crawler.name, kRunsForLastCrawl));
    std::optional<catalog::CrawlRun> last_finished;
    for (const auto& run : runs) {
        if (run.state == "RUNNING") continue;
        last_finished = run;
        break;
    }
    return CrawlerToJson(crawler, catalog::CrawlerStateName(status.state), last_finished, ctx.lake,
                         status.running_since_ms, NowMs(ctx));
}

Result<Page> CrawlerPage(const std::vector<catalog::Crawler>& crawlers, const Json& request) {
    TARN_ASSIGN_OR_RETURN(auto token, OptionalString(request, "NextToken"));
    TARN_ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request, kMaxCrawlersPerPage));
    std::vector<Json> keys;
    for (const auto& crawler : crawlers) keys.emplace_back(crawler.name);
    return PageOf(keys, token, page_size);
}

}  // namespace

// Tags are accepted and not kept.
TARN_GLUE_HANDLER(CreateCrawler) {
    TARN_ASSIGN_OR_RETURN(catalog::Crawler crawler, CrawlerFromRequest(request, ctx.lake));
    TARN_RETURN_IF_ERROR(ctx.crawlers.Create(crawler));
    return Json::object();
}

TARN_GLUE_HANDLER(GetCrawler) {
    TARN_ASSIGN_OR_RETURN(std::string name, RequiredString(request, "Name"));
    TARN_ASSIGN_OR_RETURN(catalog::Crawler crawler, ctx.catalog.GetCrawler(name));
    TARN_ASSIGN_OR_RETURN(Json json, CrawlerJson(ctx, crawler));
    return Json{{"Crawler", std::move(json)}};
}

TARN_GLUE_HANDLER(GetCrawlers) {
    TARN_ASSIGN_OR_RETURN(auto crawlers, ctx.catalog.ListCrawlers());  // by name
    TARN_ASSIGN_OR_RETURN(Page page, CrawlerPage(crawlers, request));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) {
        auto json = CrawlerJson(ctx, crawlers[i]);
        if (json.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
        if (!json.ok()) return json.status();
        list.push_back(std::move(*json));
    }
    Json response = {{"Crawlers", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

// The Tags filter is accepted and ignored: tarn keeps no crawler tags.
TARN_GLUE_HANDLER(ListCrawlers) {
    TARN_ASSIGN_OR_RETURN(auto crawlers, ctx.catalog.ListCrawlers());
    TARN_ASSIGN_OR_RETURN(Page page, CrawlerPage(crawlers, request));
    Json names = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) names.push_back(crawlers[i].name);
    Json response = {{"CrawlerNames", std::move(names)}};
    SetNextToken(response, page);
    return response;
}

// Members left out keep their current values (CrawlerFromRequest with the current crawler).
TARN_GLUE_HANDLER(UpdateCrawler) {
    TARN_ASSIGN_OR_RETURN(std::string name, RequiredString(request, "Name"));
    TARN_ASSIGN_OR_RETURN(catalog::Crawler current, ctx.catalog.GetCrawler(name));
    TARN_ASSIGN_OR_RETURN(catalog::Crawler crawler,
                          CrawlerFromRequest(request, ctx.lake, &current));
    TARN_RETURN_IF_ERROR(ctx.crawlers.Update(crawler));
    return Json::object();
}

TARN_GLUE_HANDLER(DeleteCrawler) {
    TARN_ASSIGN_OR_RETURN(std::string name, RequiredString(request, "Name"));
    TARN_RETURN_IF_ERROR(ctx.crawlers.Delete(name));
    return Json::object();
}

TARN_GLUE_HANDLER(StartCrawler) {
    TARN_ASSIGN_OR_RETURN(std::string name, RequiredString(request, "Name"));
    TARN_RETURN_IF_ERROR(ctx.crawlers.StartCrawl(name));
    return Json::object();
}

TARN_GLUE_HANDLER(StopCrawler) {
    TARN_ASSIGN_OR_RETURN(std::string name, RequiredString(request, "Name"));
    TARN_RETURN_IF_ERROR(ctx.crawlers.StopCrawl(name));
    return Json::object();
}

// Without CrawlerNameList: every crawler. Names that are not crawlers are left out.
TARN_GLUE_HANDLER(GetCrawlerMetrics) {
    TARN_ASSIGN_OR_RETURN(auto crawlers, ctx.catalog.ListCrawlers());
    if (const Json* wanted_json = MemberOf(request, "CrawlerNameList")) {
        TARN_ASSIGN_OR_RETURN(auto wanted, StringsOf(wanted_json, "CrawlerNameList"));
        if (wanted.size() > kMaxCrawlerNames) {
            return Status::InvalidArgument("CrawlerNameList must have at most 100 names");
        }
        std::erase_if(crawlers, [&](const catalog::Crawler& c) {
            return std::find(wanted.begin(), wanted.end(), c.name) == wanted.end();
        });
    }
    TARN_ASSIGN_OR_RETURN(Page page, CrawlerPage(crawlers, request));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) {
        TARN_ASSIGN_OR_RETURN(auto runs,
                              ctx.catalog.ListCrawlRuns(crawlers[i].name, kRunsForMetrics));
        list.push_back(CrawlerMetricsJson(crawlers[i].name, runs));
    }
    Json response = {{"CrawlerMetricsList", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

}  // namespace tarn::api::glue
