#include "cli/lake_services.h"

#include <filesystem>
#include <set>
#include <string>

#include "common/logging.h"

namespace tarn::cli {
namespace {

constexpr size_t kBackgroundWorkers = 2;
constexpr size_t kCatalogRequestThreads = 2;   // the catalog has one writer: more would only queue
constexpr size_t kCatalogRequestQueue = 1024;  // then 503, which AWS SDKs retry
constexpr std::string_view kDeliveryOwnerPrefix = "delivery/";  // delivery::DeliveryOwner's

Status EnsureDefaultCrawler(catalog::CrawlerService& crawlers, catalog::Catalog& catalog) {
    catalog::Crawler crawler;
    crawler.name = kDefaultCrawlerName;
    crawler.description = "tarn up: the lake's raw and processed zones";
    crawler.targets = {"raw/", "processed/"};
    crawler.schedule = kDefaultCrawlerSchedule;
    if (auto existing = catalog.GetCrawler(crawler.name); !existing.ok()) {
        if (existing.status().code() != StatusCode::kNotFound) return existing.status();
        TARN_RETURN_IF_ERROR(crawlers.Create(crawler));
        TARN_LOG_INFO("server.crawler_created", {{"crawler", crawler.name}});
    }
    return crawlers.StartCrawl(crawler.name);
}

}  // namespace

std::string LocalLakeUri(const std::string& lake_dir) {
    std::error_code ec;
    std::string path = std::filesystem::absolute(lake_dir, ec).lexically_normal().string();
    if (ec) path = lake_dir;
    if (path.empty() || path.back() != '/') path.push_back('/');
    return "file://" + path;
}

Result<std::unique_ptr<LakeServices>> OpenLakeServices(const std::string& data_dir,
                                                       storage::ObjectStore* store,
                                                       bool default_crawler) {
    auto lake = std::make_unique<LakeServices>(LocalLakeUri(data_dir + "/lake"));
    TARN_ASSIGN_OR_RETURN(lake->catalog, catalog::Catalog::Open(data_dir + "/catalog.db"));
    lake->commit = std::make_unique<catalog::LakeCommitter>(lake->catalog.get(), store);
    // Delivery streams' intents are replayed (committed) by the DeliveryService, not rolled back.
    std::set<std::string> delivery_owners;
    TARN_ASSIGN_OR_RETURN(auto intents, lake->catalog->ListIntents());
    for (const catalog::CommitIntent& intent : intents) {
        if (intent.owner.starts_with(kDeliveryOwnerPrefix)) delivery_owners.insert(intent.owner);
    }
    TARN_ASSIGN_OR_RETURN(size_t rolled_back, lake->commit->Recover(delivery_owners));
    TARN_ASSIGN_OR_RETURN(size_t deleted, lake->commit->CollectGarbage());
    if (rolled_back > 0 || deleted > 0) {
        TARN_LOG_INFO("server.lake_recovered",
                      {{"intents_rolled_back", rolled_back}, {"retired_deleted", deleted}});
    }
    lake->scheduler = std::make_unique<Scheduler>(
        Scheduler::Options{.num_workers = kBackgroundWorkers, .name = "tarn-bg"});
    lake->crawlers = std::make_unique<catalog::CrawlerService>(lake->catalog.get(), store,
                                                               lake->scheduler.get());
    lake->catalog_requests =
        std::make_unique<ThreadPool>(ThreadPool::Options{.num_threads = kCatalogRequestThreads,
                                                         .max_queued = kCatalogRequestQueue,
                                                         .name = "tarn-glue"});
    TARN_RETURN_IF_ERROR(lake->crawlers->Start());
    if (default_crawler)
        TARN_RETURN_IF_ERROR(EnsureDefaultCrawler(*lake->crawlers, *lake->catalog));
    return lake;
}

}  // namespace tarn::cli
