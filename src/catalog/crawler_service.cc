#include "catalog/crawler_service.h"

#include "catalog/sqlite_catalog.h"
#include "common/logging.h"
#include "common/schedule.h"

namespace tarn::catalog {
namespace {

Status Running(std::string_view name) {
    return Status::FailedPrecondition(std::string(kCrawlerRunning) + ": crawler " +
                                      std::string(name) + " is already running");
}

// A schedule Glue accepts: "cron(...)" (AWS cron) or, as tarn also allows, "rate(...)".
Result<std::optional<Schedule>> ParseCrawlerSchedule(const Crawler& crawler) {
    if (crawler.schedule.empty()) return std::optional<Schedule>();
    auto schedule = Schedule::Parse(crawler.schedule);
    if (!schedule.ok()) {
        return Status::InvalidArgument("crawler " + crawler.name +
                                       ": schedule: " + schedule.status().message());
    }
    return std::optional<Schedule>(std::move(*schedule));
}

}  // namespace

const char* CrawlerStateName(CrawlerState state) {
    switch (state) {
        case CrawlerState::kRunning:
            return "RUNNING";
        case CrawlerState::kStopping:
            return "STOPPING";
        case CrawlerState::kReady:
            break;
    }
    return "READY";
}

CrawlerService::CrawlerService(Catalog* catalog, storage::ObjectStore* store, Scheduler* scheduler)
    : catalog_(catalog), store_(store), scheduler_(scheduler) {}

CrawlerService::~CrawlerService() {
    std::vector<TaskId> tasks;
    {
        std::lock_guard lock(mu_);
        for (auto& [name, entry] : entries_) {
            entry->cancel.store(true);
            tasks.push_back(entry->task);
        }
    }
    for (TaskId task : tasks) (void)scheduler_->Remove(task);  // waits for a running run
}

Status CrawlerService::Start() {
    TARN_ASSIGN_OR_RETURN(auto crawlers, catalog_->ListCrawlers());
    for (const Crawler& c : crawlers) {
        if (Status s = Register(c); !s.ok()) {
            // A stored schedule this build cannot parse must not keep the server down.
            TARN_LOG_WARN("crawler.schedule_invalid",
                          {{"crawler", c.name}, {"error", s.message()}});
        }
    }
    return Status::Ok();
}

Status CrawlerService::Register(const Crawler& crawler) {
    TARN_ASSIGN_OR_RETURN(auto schedule, ParseCrawlerSchedule(crawler));
    std::shared_ptr<Entry> entry;
    TaskId old = TaskId::kNone;
    {
        std::lock_guard lock(mu_);
        auto& slot = entries_[crawler.name];
        if (!slot) slot = std::make_shared<Entry>();
        entry = slot;
        old = entry->task;
    }
    // A task's schedule cannot change: replace the task (a running run finishes first).
    if (old != TaskId::kNone) (void)scheduler_->Remove(old);
    const std::string name = crawler.name;
    const TaskId task = scheduler_->Add("crawler/" + name, std::move(schedule),
                                        [this, name] { return RunScheduled(name); });
    std::lock_guard lock(mu_);
    entry->task = task;
    return Status::Ok();
}

Status CrawlerService::Create(const Crawler& crawler) {
    TARN_RETURN_IF_ERROR(ParseCrawlerSchedule(crawler).status());
    TARN_RETURN_IF_ERROR(catalog_->CreateCrawler(crawler));
    return Register(crawler);
}

Status CrawlerService::Update(const Crawler& crawler) {
    TARN_RETURN_IF_ERROR(ParseCrawlerSchedule(crawler).status());
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(crawler.name);
        if (it != entries_.end() && it->second->running) return Running(crawler.name);
    }
    TARN_RETURN_IF_ERROR(catalog_->UpdateCrawler(crawler));
    return Register(crawler);
}

Status CrawlerService::Delete(std::string_view name) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(name);
        if (it != entries_.end()) {
            if (it->second->running) return Running(name);
            entry = it->second;
        }
    }
    TARN_RETURN_IF_ERROR(catalog_->DeleteCrawler(name));
    if (entry) {
        (void)scheduler_->Remove(entry->task);
        std::lock_guard lock(mu_);
        entries_.erase(std::string(name));
    }
    return Status::Ok();
}

Status CrawlerService::StartCrawl(std::string_view name) {
    TARN_RETURN_IF_ERROR(catalog_->GetCrawler(name).status());
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(name);
        if (it == entries_.end())
            return Status::NotFound("crawler " + std::string(name) + " not found");
        if (it->second->running) return Running(name);
        entry = it->second;
        // RUNNING from the moment it is asked for, as Glue reports it: a GetCrawler right after
        // StartCrawler must not say READY.
        entry->running = true;
        entry->running_since_ms = NowMs();
        entry->cancel.store(false);
    }
    if (Status s = scheduler_->Trigger(entry->task); !s.ok()) {
        std::lock_guard lock(mu_);
        entry->running = false;
        return s;
    }
    return Status::Ok();
}

Status CrawlerService::StopCrawl(std::string_view name) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(name);
    if (it == entries_.end() || !it->second->running) {
        TARN_RETURN_IF_ERROR(catalog_->GetCrawler(name).status());
        return Status::FailedPrecondition(std::string(kCrawlerNotRunning) + ": crawler " +
                                          std::string(name) + " is not running");
    }
    if (it->second->cancel.load()) {
        return Status::FailedPrecondition(std::string(kCrawlerStopping) + ": crawler " +
                                          std::string(name) + " is stopping");
    }
    it->second->cancel.store(true);
    return Status::Ok();
}

Result<CrawlerStatus> CrawlerService::GetStatus(std::string_view name) {
    TARN_RETURN_IF_ERROR(catalog_->GetCrawler(name).status());
    std::lock_guard lock(mu_);
    auto it = entries_.find(name);
    CrawlerStatus status;
    if (it != entries_.end() && it->second->running) {
        status.state = it->second->cancel.load() ? CrawlerState::kStopping : CrawlerState::kRunning;
        status.running_since_ms = it->second->running_since_ms;
    }
    return status;
}

Status CrawlerService::RunScheduled(const std::string& name) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(name);
        if (it == entries_.end()) return Status::Ok();
        entry = it->second;
        if (!entry->running) {  // a scheduled run (StartCrawl marks its own)
            entry->running = true;
            entry->running_since_ms = NowMs();
            entry->cancel.store(false);
        }
    }
    auto crawler = catalog_->GetCrawler(name);
    Result<CrawlRun> run = crawler.status();
    if (crawler.ok()) {
        CrawlControl control;
        control.cancel = &entry->cancel;
        run = RunCrawl(*catalog_, *store_, *crawler, control);
    }
    {
        std::lock_guard lock(mu_);
        entry->running = false;
    }
    if (!run.ok()) return run.status();
    const bool quiet =
        run->state == "SUCCEEDED" && run->errors.empty() &&
        run->tables_created + run->tables_updated + run->tables_deleted + run->partitions_added ==
            0;
    // A scheduled crawl that found nothing new is not a notable event.
    const LogLevel level = quiet ? LogLevel::kDebug : LogLevel::kInfo;
    TARN_LOG_(level, "crawler.run_finished",
              {{"crawler", name},
               {"state", run->state},
               {"tables_created", run->tables_created},
               {"tables_updated", run->tables_updated},
               {"partitions_added", run->partitions_added},
               {"files_read", run->files_read},
               {"errors", run->errors.size()}});
    if (run->state == "FAILED") return Status::Internal("crawler " + name + ": " + run->message);
    return Status::Ok();
}

Result<CrawlRun> CrawlerService::RunNow(std::string_view name_in, const CrawlControl& control) {
    const std::string name(name_in);
    TARN_ASSIGN_OR_RETURN(Crawler crawler, catalog_->GetCrawler(name));
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mu_);
        auto& slot = entries_[name];
        if (!slot) slot = std::make_shared<Entry>();
        if (slot->running) return Running(name);
        entry = slot;
        entry->running = true;
        entry->running_since_ms = NowMs();
        entry->cancel.store(false);
    }
    CrawlControl mine = control;
    if (mine.cancel == nullptr) mine.cancel = &entry->cancel;
    auto run = RunCrawl(*catalog_, *store_, crawler, mine);
    std::lock_guard lock(mu_);
    entry->running = false;
    return run;
}

}  // namespace tarn::catalog
