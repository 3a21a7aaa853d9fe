// The lake's services in a running server: the catalog (<data>/catalog.db), the lake commit
// (recovered at start: a crashed writer's intents are rolled back and retired files deleted),
// the background Scheduler and the CrawlerService, and the lake's root URI for the Glue API.
// `tarn up` adds the default crawler (kDefaultCrawlerName: raw/ and processed/, every minute)
// and runs it once at start.
// Thread-safety: the services are thread-safe; the struct is built once and read afterwards.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "catalog/crawler_service.h"
#include "catalog/lake_commit.h"
#include "catalog/table_storage.h"
#include "common/scheduler.h"
#include "common/thread_pool.h"
#include "storage/storage.h"

namespace tarn::cli {

inline constexpr const char* kDefaultCrawlerName = "tarn-lake";
inline constexpr const char* kDefaultCrawlerSchedule = "rate(1 minute)";

struct LakeServices {
    explicit LakeServices(std::string root_uri) : location(std::move(root_uri)) {}

    catalog::LakeLocation location;
    // Declared in dependency order: destroyed crawlers first, catalog last.
    std::unique_ptr<catalog::Catalog> catalog;
    std::unique_ptr<catalog::LakeCommitter> commit;
    std::unique_ptr<Scheduler> scheduler;
    std::unique_ptr<catalog::CrawlerService> crawlers;
    // Serves the Glue API off the I/O threads; destroyed first (its running requests finish).
    std::unique_ptr<ThreadPool> catalog_requests;
};

// The file:// URI of the local lake at `lake_dir` (made absolute), ending in '/'.
std::string LocalLakeUri(const std::string& lake_dir);

// Opens everything over `store` (which must outlive the result). REQUIRES: the data dir lock is
// held. With `default_crawler`, makes sure the default crawler exists and starts a run.
Result<std::unique_ptr<LakeServices>> OpenLakeServices(const std::string& data_dir,
                                                       storage::ObjectStore* store,
                                                       bool default_crawler);

}  // namespace tarn::cli
