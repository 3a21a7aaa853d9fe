// CrawlerService: the crawlers of a running server -- their definitions in the catalog, their
// schedules on the Scheduler, their state (READY, RUNNING, STOPPING) and their runs. Behind the
// Glue API's Create/Get/Update/Delete/Start/StopCrawler and GetCrawlerMetrics, and `tarn up`'s
// scheduled crawl of raw/ and processed/.
//
//   CrawlerService crawlers(catalog, store, scheduler);
//   TARN_RETURN_IF_ERROR(crawlers.Start());          // schedules every stored crawler
//   TARN_RETURN_IF_ERROR(crawlers.Create(crawler));  // stored, and scheduled when it has one
//   TARN_RETURN_IF_ERROR(crawlers.StartCrawl("lake"));  // one run, in the background
//
// Errors (the Glue API maps them): NotFound (EntityNotFoundException), AlreadyExists
// (AlreadyExistsException), InvalidArgument for a bad schedule (InvalidInputException),
// FailedPrecondition with kCrawlerRunning / kCrawlerNotRunning / kCrawlerStopping at the start of
// the message (CrawlerRunningException, CrawlerNotRunningException, CrawlerStoppingException).
//
// Thread-safety: every method may be called from any thread. Runs execute on the Scheduler's
// workers; at most one run per crawler at a time.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "catalog/crawler.h"
#include "common/scheduler.h"
#include "storage/storage.h"

namespace tarn::catalog {

inline constexpr std::string_view kCrawlerRunning = "CrawlerRunning";
inline constexpr std::string_view kCrawlerNotRunning = "CrawlerNotRunning";
inline constexpr std::string_view kCrawlerStopping = "CrawlerStopping";

enum class CrawlerState : uint8_t { kReady, kRunning, kStopping };
const char* CrawlerStateName(CrawlerState state);  // "READY", "RUNNING", "STOPPING"

struct CrawlerStatus {
    CrawlerState state = CrawlerState::kReady;
    int64_t running_since_ms = 0;  // when the current run started (RUNNING, STOPPING)
};

class CrawlerService {
public:
    // Does not take ownership; all three must outlive the service.
    CrawlerService(Catalog* catalog, storage::ObjectStore* store, Scheduler* scheduler);
    // Cancels running crawls and waits for them.
    ~CrawlerService();

    // Registers every stored crawler with the scheduler (its schedule, if any).
    Status Start();

    Status Create(const Crawler& crawler);
    Status Update(const Crawler& crawler);  // re-schedules it
    Status Delete(std::string_view name);   // FailedPrecondition while it runs
    // Asks for one run now, in the background.
    Status StartCrawl(std::string_view name);
    // Cancels the running run (it ends CANCELLED at the next dataset).
    Status StopCrawl(std::string_view name);
    Result<CrawlerStatus> GetStatus(std::string_view name);
    // Runs the crawler now on the caller's thread (the CLI), unless it is running.
    Result<CrawlRun> RunNow(std::string_view name, const CrawlControl& control = {});

private:
    struct Entry {
        TaskId task = TaskId::kNone;
        std::atomic<bool> cancel{false};
        bool running = false;  // guarded by mu_
        int64_t running_since_ms = 0;
    };
    Status Register(const Crawler& crawler);
    Status RunScheduled(const std::string& name);
    Result<CrawlRun> RunGuarded(const std::string& name, const CrawlControl& control);

    Catalog* catalog_;
    storage::ObjectStore* store_;
    Scheduler* scheduler_;
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<Entry>, std::less<>> entries_;  // guarded by mu_
};

}  // namespace tarn::catalog
