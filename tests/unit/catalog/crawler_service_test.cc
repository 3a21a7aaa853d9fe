// CrawlerService: background runs with Glue's states, one run at a time, schedules, errors.
#include "catalog/crawler_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "storage/local_store.h"
#include "testing/temp_dir.h"

namespace tarn::catalog {
namespace {

using testing::TempDir;

class CrawlerServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        catalog_ = std::move(*Catalog::Open(dir_.path() + "/catalog.db"));
        store_ = std::move(*storage::LocalStore::Open(dir_.path() + "/lake"));
        ASSERT_TRUE(store_->Put("raw/events/day=01/a.json", "{\"id\": 1}\n").ok());
        service_ = std::make_unique<CrawlerService>(catalog_.get(), store_.get(), &scheduler_);
        ASSERT_TRUE(service_->Start().ok());
    }
    // Waits (bounded) until the crawler is READY again with `runs` runs recorded.
    void WaitForRuns(const std::string& name, size_t runs) {
        for (int i = 0; i < 3000; ++i) {
            auto status = service_->GetStatus(name);
            ASSERT_TRUE(status.ok());
            if (status->state == CrawlerState::kReady &&
                catalog_->ListCrawlRuns(name, 100)->size() >= runs) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL() << "crawler " << name << " did not finish " << runs << " runs";
    }

    TempDir dir_{"tarn-crawler-service-"};
    Scheduler scheduler_{2};
    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> store_;
    std::unique_ptr<CrawlerService> service_;
};

TEST_F(CrawlerServiceTest, StartCrawlRunsInTheBackgroundAndRecordsTheRun) {
    ASSERT_TRUE(service_->Create({.name = "c1", .targets = {"raw/"}}).ok());
    EXPECT_EQ(service_->GetStatus("c1")->state, CrawlerState::kReady);
    ASSERT_TRUE(service_->StartCrawl("c1").ok());
    auto during = service_->StartCrawl("c1");  // RUNNING from the moment it is asked for, or done
    if (!during.ok()) {
        EXPECT_EQ(during.message().rfind("CrawlerRunning", 0), 0u) << during.message();
    }
    WaitForRuns("c1", 1);
    auto runs = catalog_->ListCrawlRuns("c1", 10);
    EXPECT_EQ(runs->back().state, "SUCCEEDED");
    EXPECT_EQ(runs->back().tables_created, 1u);
    EXPECT_TRUE(catalog_->GetTable("raw", "events").ok());
    auto stop = service_->StopCrawl("c1");
    EXPECT_EQ(stop.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(stop.message().rfind("CrawlerNotRunning", 0), 0u);
}

TEST_F(CrawlerServiceTest, ScheduledCrawlersRun) {
    ASSERT_TRUE(
        service_
            ->Create({.name = "every-second", .targets = {"raw/"}, .schedule = "every 1s"})
            .ok());
    WaitForRuns("every-second", 1);
    EXPECT_TRUE(catalog_->GetTable("raw", "events").ok());
}

TEST_F(CrawlerServiceTest, ErrorsSayWhatIsWrong) {
    EXPECT_EQ(service_->StartCrawl("nope").code(), StatusCode::kNotFound);
    EXPECT_EQ(service_->GetStatus("nope").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(service_->Create({.name = "bad", .schedule = "cron(nonsense)"}).code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(catalog_->GetCrawler("bad").status().code(), StatusCode::kNotFound)
        << "a refused crawler is not stored";
    ASSERT_TRUE(service_->Create({.name = "c1", .targets = {"raw/"}}).ok());
    EXPECT_EQ(service_->Create({.name = "c1"}).code(), StatusCode::kAlreadyExists);
    ASSERT_TRUE(service_->Delete("c1").ok());
    EXPECT_EQ(service_->Delete("c1").code(), StatusCode::kNotFound);
}

TEST_F(CrawlerServiceTest, RunNowRunsOnTheCallersThread) {
    ASSERT_TRUE(service_->Create({.name = "c1", .targets = {"raw/events/"}}).ok());
    auto run = service_->RunNow("c1");
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->state, "SUCCEEDED");
    EXPECT_EQ(run->partitions_added, 1u);
}

}  // namespace
}  // namespace tarn::catalog
