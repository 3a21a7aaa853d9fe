#include "common/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "testing/gate.h"
#include "testing/log_capture.h"
#include "testing/wait.h"

namespace tarn {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

using tarn::testing::CapturedLog;
using tarn::testing::Eventually;
using tarn::testing::Gate;
using tarn::testing::kGuard;

Schedule Every(std::chrono::milliseconds interval) { return *Schedule::Every(interval); }

// An on-demand task whose runs wait in `gate` until the test opens it: with one worker, a
// triggered blocker keeps every other run queued.
TaskId AddBlocker(Scheduler& s, Gate& gate) {
    return s.Add("blocker", std::nullopt, [&gate] {
        gate.Enter();
        return Status::Ok();
    });
}

TaskInfo InfoOf(const Scheduler& s, TaskId id) {
    Result<TaskInfo> info = s.Info(id);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : TaskInfo{};
}

class SchedulerTest : public ::testing::Test {
protected:
    // After Advance: wait until the timing thread has seen the new time and sleeps again.
    void AdvanceAndSettle(std::chrono::nanoseconds d) {
        clock_.Advance(d);
        ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    }

    ManualClock clock_;  // 2024-01-01T00:00:00Z, a multiple of every interval used here
    const Clock::TimePoint t0_ = clock_.Now();
};

TEST_F(SchedulerTest, IntervalTaskFiresWhenTheClockPassesItsDueTime) {
    Scheduler s(2, &clock_);
    std::atomic<int> runs{0};
    TaskId id = s.Add("tick", Every(10s), [&] {
        ++runs;
        return Status::Ok();
    });
    EXPECT_EQ(InfoOf(s, id).next_due, t0_ + 10s);
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));

    AdvanceAndSettle(9s);  // not yet due
    EXPECT_EQ(InfoOf(s, id).runs_started, 0u);
    EXPECT_FALSE(InfoOf(s, id).queued);

    clock_.Advance(1s);
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    EXPECT_EQ(runs, 1);
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    TaskInfo info = InfoOf(s, id);
    EXPECT_EQ(info.next_due, t0_ + 20s);
    EXPECT_EQ(info.last_start, t0_ + 10s);
    EXPECT_EQ(info.last_end, t0_ + 10s);
    EXPECT_EQ(info.runs_succeeded, 1u);
    EXPECT_TRUE(info.last_status.ok());
    EXPECT_EQ(info.schedule, "every 10000ms");
    EXPECT_EQ(info.name, "tick");

    // A jump over several due times (20s, 30s) gives one run; the next due time follows "now".
    AdvanceAndSettle(25s);  // now t0 + 35s
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    info = InfoOf(s, id);
    EXPECT_EQ(info.runs_started, 2u);
    EXPECT_FALSE(info.queued || info.running);
    EXPECT_EQ(info.next_due, t0_ + 40s);
}

TEST_F(SchedulerTest, CronTaskFiresAtItsMinute) {
    Scheduler s(1, &clock_);
    TaskId id =
        s.Add("nightly", *Schedule::Parse("cron(30 2 * * ? *)"), [] { return Status::Ok(); });
    EXPECT_EQ(InfoOf(s, id).next_due, t0_ + 2h + 30min);
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    AdvanceAndSettle(2h + 29min + 59s);
    EXPECT_EQ(InfoOf(s, id).runs_started, 0u);
    clock_.Advance(1s);
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    EXPECT_EQ(InfoOf(s, id).next_due, t0_ + 24h + 2h + 30min);
}

TEST_F(SchedulerTest, OnDemandTaskRunsOnlyWhenTriggered) {
    Scheduler s(2, &clock_);
    std::atomic<int> runs{0};
    TaskId id = s.Add("crawl", std::nullopt, [&] {
        ++runs;
        return Status::Ok();
    });
    EXPECT_FALSE(InfoOf(s, id).next_due.has_value());
    EXPECT_EQ(InfoOf(s, id).schedule, "");
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    AdvanceAndSettle(1000h);
    EXPECT_EQ(runs, 0);

    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, TriggerAndRemoveOfUnknownTasks) {
    Scheduler s(1, &clock_);
    EXPECT_EQ(s.Trigger(TaskId{42}).code(), StatusCode::kNotFound);
    EXPECT_EQ(s.Remove(TaskId{42}).code(), StatusCode::kNotFound);
    EXPECT_EQ(s.Info(TaskId{42}).status().code(), StatusCode::kNotFound);
    EXPECT_FALSE(s.WaitForRuns(TaskId{42}, 1, 1ms));
    TaskId a = s.Add("a", std::nullopt, [] { return Status::Ok(); });
    TaskId b = s.Add("b", std::nullopt, [] { return Status::Ok(); });
    EXPECT_NE(a, b);
    EXPECT_NE(a, TaskId::kNone);
    ASSERT_TRUE(s.Remove(a).ok());
    EXPECT_EQ(s.Remove(a).code(), StatusCode::kNotFound);
    EXPECT_EQ(s.Trigger(a).code(), StatusCode::kNotFound);
    ASSERT_EQ(s.Tasks().size(), 1u);
    EXPECT_EQ(s.Tasks()[0].id, b);
}

TEST_F(SchedulerTest, WaitForRunsTimesOutWhenNothingRuns) {
    Scheduler s(1, &clock_);
    TaskId id = s.Add("idle", std::nullopt, [] { return Status::Ok(); });
    EXPECT_FALSE(s.WaitForRuns(id, 1, 5ms));
    EXPECT_TRUE(s.WaitForRuns(id, 0, 5ms));
}

TEST_F(SchedulerTest, TriggersWhileRunningCoalesceIntoOneMoreRun) {
    Scheduler s(2, &clock_);
    Gate gate;
    std::atomic<int> runs{0};
    TaskId id = s.Add("deliver", std::nullopt, [&] {
        if (++runs == 1) gate.Enter();
        return Status::Ok();
    });
    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(gate.WaitInside(1));
    EXPECT_TRUE(InfoOf(s, id).running);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.Trigger(id).ok());
    EXPECT_TRUE(InfoOf(s, id).rerun_pending);
    gate.Open();
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    // A third run would have been queued before the second one's end was recorded.
    TaskInfo info = InfoOf(s, id);
    EXPECT_EQ(info.runs_started, 2u);
    EXPECT_EQ(runs, 2);
    EXPECT_FALSE(info.queued || info.running || info.rerun_pending);
}

TEST_F(SchedulerTest, TriggersWhileQueuedAreCoveredByTheQueuedRun) {
    Scheduler s(1, &clock_);
    Gate gate;
    TaskId blocker = AddBlocker(s, gate);
    std::atomic<int> runs{0};
    TaskId id = s.Add("queued", std::nullopt, [&] {
        ++runs;
        return Status::Ok();
    });
    ASSERT_TRUE(s.Trigger(blocker).ok());
    ASSERT_TRUE(gate.WaitInside(1));  // the only worker is busy
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.Trigger(id).ok());
    EXPECT_TRUE(InfoOf(s, id).queued);
    EXPECT_FALSE(InfoOf(s, id).rerun_pending);
    gate.Open();
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    ASSERT_TRUE(s.WaitForRuns(blocker, 1, kGuard));
    EXPECT_EQ(InfoOf(s, id).runs_started, 1u);
    EXPECT_FALSE(InfoOf(s, id).queued);
}

TEST_F(SchedulerTest, DueTimesWhileRunningCoalesceIntoOneMoreRun) {
    Scheduler s(2, &clock_);
    Gate gate;
    std::atomic<int> runs{0};
    TaskId id = s.Add("slow", Every(10s), [&] {
        if (++runs == 1) gate.Enter();
        return Status::Ok();
    });
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    clock_.Advance(10s);
    ASSERT_TRUE(gate.WaitInside(1));
    for (int i = 0; i < 3; ++i) AdvanceAndSettle(10s);  // three more due times pass
    TaskInfo info = InfoOf(s, id);
    EXPECT_TRUE(info.running);
    EXPECT_TRUE(info.rerun_pending);
    EXPECT_EQ(info.next_due, t0_ + 50s);  // the schedule kept moving
    gate.Open();
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    info = InfoOf(s, id);
    EXPECT_EQ(info.runs_started, 2u);
    EXPECT_FALSE(info.queued || info.running || info.rerun_pending);
}

TEST_F(SchedulerTest, FailingRunsAreLoggedCountedAndRescheduled) {
    CapturedLog log;
    Scheduler s(1, &clock_);
    TaskId id = s.Add("flaky", Every(10s), [] { return Status::IOError("disk on fire"); });
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    clock_.Advance(10s);
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    clock_.Advance(10s);
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    TaskInfo info = InfoOf(s, id);
    EXPECT_EQ(info.runs_failed, 2u);
    EXPECT_EQ(info.runs_succeeded, 0u);
    EXPECT_EQ(info.last_status.code(), StatusCode::kIOError);
    EXPECT_EQ(info.last_status.message(), "disk on fire");
    EXPECT_EQ(info.next_due, t0_ + 30s);
    std::vector<std::string> lines = log.Lines("scheduler.task_failed");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_THAT(lines[0], HasSubstr("\"task\":\"flaky\""));
    EXPECT_THAT(lines[0], HasSubstr("\"code\":\"IOError\""));
    EXPECT_THAT(lines[0], HasSubstr("\"error\":\"disk on fire\""));
}

TEST_F(SchedulerTest, ExceptionsAreCaughtAndCountedAsInternalErrors) {
    CapturedLog log;
    Scheduler s(1, &clock_);
    std::atomic<int> calls{0};
    TaskId id = s.Add("thrower", std::nullopt, [&]() -> Status {
        const int n = ++calls;
        if (n == 1) throw std::runtime_error("boom");
        if (n == 2) throw 42;
        return Status::Ok();
    });
    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    TaskInfo info = InfoOf(s, id);
    EXPECT_EQ(info.runs_failed, 1u);
    EXPECT_EQ(info.last_status.code(), StatusCode::kInternal);
    EXPECT_THAT(info.last_status.message(), HasSubstr("boom"));

    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(s.WaitForRuns(id, 2, kGuard));
    EXPECT_THAT(InfoOf(s, id).last_status.message(), HasSubstr("non-std exception"));

    ASSERT_TRUE(s.Trigger(id).ok());  // still alive and usable
    ASSERT_TRUE(s.WaitForRuns(id, 3, kGuard));
    info = InfoOf(s, id);
    EXPECT_EQ(info.runs_failed, 2u);
    EXPECT_EQ(info.runs_succeeded, 1u);
    EXPECT_TRUE(info.last_status.ok());
    std::vector<std::string> lines = log.Lines("scheduler.task_exception");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_THAT(lines[0], HasSubstr("\"level\":\"error\""));
    EXPECT_THAT(lines[0], HasSubstr("boom"));
}

TEST_F(SchedulerTest, RemoveWaitsForTheRunningRunAndDestroysTheClosure) {
    Scheduler s(2, &clock_);
    Gate gate;
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> watch = token;
    std::atomic<bool> run_done{false};
    TaskId id = s.Add("compaction", Every(10s), [&, token] {
        gate.Enter();
        run_done = true;
        return Status::Ok();
    });
    token.reset();
    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(gate.WaitInside(1));

    bool done_when_remove_returned = false;
    bool closure_gone_when_remove_returned = false;
    std::thread remover([&] {
        EXPECT_TRUE(s.Remove(id).ok());
        done_when_remove_returned = run_done;
        closure_gone_when_remove_returned = watch.expired();
    });
    // Remove unlists the task before it waits; only then let the run finish.
    ASSERT_TRUE(Eventually([&] { return !s.Info(id).ok(); }));
    gate.Open();
    remover.join();
    EXPECT_TRUE(done_when_remove_returned);
    EXPECT_TRUE(closure_gone_when_remove_returned);

    // Removed: its schedule never fires again.
    AdvanceAndSettle(1h);
    EXPECT_EQ(gate.entered(), 1);
    EXPECT_TRUE(s.Tasks().empty());
}

TEST_F(SchedulerTest, RemoveFromInsideItsOwnRunDoesNotDeadlock) {
    Scheduler s(1, &clock_);
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> watch = token;
    std::promise<Status> removed;
    TaskId id = TaskId::kNone;
    std::atomic<int> runs{0};
    id = s.Add("self-removing", std::nullopt, [&, token] {
        ++runs;
        removed.set_value(s.Remove(id));
        return Status::Ok();
    });
    token.reset();
    ASSERT_TRUE(s.Trigger(id).ok());
    std::future<Status> f = removed.get_future();
    ASSERT_EQ(f.wait_for(kGuard), std::future_status::ready);
    EXPECT_TRUE(f.get().ok());
    EXPECT_EQ(s.Trigger(id).code(), StatusCode::kNotFound);
    // The closure is destroyed when its run ends.
    EXPECT_TRUE(Eventually([&] { return watch.expired(); }));
    EXPECT_EQ(runs, 1);
}

TEST_F(SchedulerTest, RemoveDropsAQueuedRun) {
    Scheduler s(1, &clock_);
    Gate gate;
    TaskId blocker = AddBlocker(s, gate);
    std::atomic<int> runs{0};
    TaskId id = s.Add("victim", std::nullopt, [&] {
        ++runs;
        return Status::Ok();
    });
    ASSERT_TRUE(s.Trigger(blocker).ok());
    ASSERT_TRUE(gate.WaitInside(1));
    ASSERT_TRUE(s.Trigger(id).ok());  // queued behind the blocker
    ASSERT_TRUE(s.Remove(id).ok());   // returns at once: nothing is running
    gate.Open();
    ASSERT_TRUE(s.WaitForRuns(blocker, 1, kGuard));
    s.Stop();  // joins the worker: the dropped run had its chance
    EXPECT_EQ(runs, 0);
}

TEST_F(SchedulerTest, StopWaitsForRunningRunsAndDropsQueuedOnes) {
    auto s = std::make_unique<Scheduler>(1, &clock_);
    Gate gate;
    std::atomic<bool> run_done{false};
    TaskId running = s->Add("running", std::nullopt, [&] {
        gate.Enter();
        run_done = true;
        return Status::Ok();
    });
    std::atomic<int> queued_runs{0};
    TaskId queued = s->Add("queued", Every(10s), [&] {
        ++queued_runs;
        return Status::Ok();
    });
    ASSERT_TRUE(s->Trigger(running).ok());
    ASSERT_TRUE(gate.WaitInside(1));
    ASSERT_TRUE(s->Trigger(queued).ok());
    EXPECT_TRUE(InfoOf(*s, queued).queued);

    bool done_when_stop_returned = false;
    std::thread stopper([&] {
        s->Stop();
        done_when_stop_returned = run_done;
    });
    ASSERT_TRUE(Eventually([&] { return s->stopping(); }));
    EXPECT_EQ(s->Trigger(running).code(), StatusCode::kUnavailable);
    gate.Open();
    stopper.join();
    EXPECT_TRUE(done_when_stop_returned);
    EXPECT_EQ(queued_runs, 0);
    EXPECT_EQ(InfoOf(*s, running).runs_succeeded, 1u);
    EXPECT_FALSE(InfoOf(*s, queued).next_due.has_value());
    EXPECT_FALSE(s->WaitForRuns(queued, 1, kGuard));  // returns at once: nothing can come

    s->Stop();  // idempotent
    clock_.Advance(1h);
    s.reset();  // the destructor after Stop is fine too
    EXPECT_EQ(queued_runs, 0);
}

TEST_F(SchedulerTest, StopFromInsideARunAndConcurrentStops) {
    auto s = std::make_unique<Scheduler>(2, &clock_);
    std::promise<void> stopped_inside;
    TaskId id = s->Add("stopper", std::nullopt, [&] {
        s->Stop();  // can't wait for itself: only stops new runs
        stopped_inside.set_value();
        return Status::Ok();
    });
    ASSERT_TRUE(s->Trigger(id).ok());
    ASSERT_EQ(stopped_inside.get_future().wait_for(kGuard), std::future_status::ready);
    EXPECT_TRUE(s->stopping());
    std::thread a([&] { s->Stop(); });
    std::thread b([&] { s->Stop(); });
    a.join();
    b.join();
    EXPECT_EQ(InfoOf(*s, id).runs_succeeded, 1u);
    s.reset();
}

TEST_F(SchedulerTest, TasksAddedAfterStopNeverRun) {
    Scheduler s(1, &clock_);
    s.Stop();
    TaskId id = s.Add("late", Every(10s), [] { return Status::Ok(); });
    EXPECT_FALSE(InfoOf(s, id).next_due.has_value());
    EXPECT_EQ(s.Trigger(id).code(), StatusCode::kUnavailable);
}

TEST_F(SchedulerTest, PoolBoundIsRespected) {
    Scheduler s(2, &clock_);
    Gate gate;
    std::atomic<int> active{0};
    std::atomic<int> max_active{0};
    std::vector<TaskId> ids;
    for (int i = 0; i < 6; ++i) {
        ids.push_back(s.Add("job" + std::to_string(i), std::nullopt, [&] {
            const int now = ++active;
            int seen = max_active.load();
            while (now > seen && !max_active.compare_exchange_weak(seen, now)) {
            }
            gate.Enter();
            --active;
            return Status::Ok();
        }));
    }
    for (TaskId id : ids) ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(gate.WaitInside(2));
    int running = 0, queued = 0;
    for (const TaskInfo& info : s.Tasks()) {
        running += info.running ? 1 : 0;
        queued += info.queued ? 1 : 0;
    }
    EXPECT_EQ(running, 2);
    EXPECT_EQ(queued, 4);
    gate.Open();
    for (TaskId id : ids) ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
    EXPECT_EQ(max_active, 2);
}

TEST_F(SchedulerTest, ALongRunDoesNotDelayOtherTasksTiming) {
    Scheduler s(2, &clock_);
    Gate gate;
    TaskId slow = s.Add("slow", std::nullopt, [&] {
        gate.Enter();
        return Status::Ok();
    });
    TaskId tick = s.Add("tick", Every(10s), [] { return Status::Ok(); });
    ASSERT_TRUE(s.Trigger(slow).ok());
    ASSERT_TRUE(gate.WaitInside(1));
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    clock_.Advance(10s);
    ASSERT_TRUE(s.WaitForRuns(tick, 1, kGuard));
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));
    clock_.Advance(10s);
    ASSERT_TRUE(s.WaitForRuns(tick, 2, kGuard));
    EXPECT_TRUE(InfoOf(s, slow).running);
    gate.Open();
    ASSERT_TRUE(s.WaitForRuns(slow, 1, kGuard));
}

TEST_F(SchedulerTest, ExhaustedScheduleLeavesTheTaskOnDemand) {
    CapturedLog log;
    Scheduler s(1, &clock_);  // the clock is in 2024
    TaskId id =
        s.Add("past", *Schedule::Parse("cron(0 0 1 1 ? 2023)"), [] { return Status::Ok(); });
    EXPECT_FALSE(InfoOf(s, id).next_due.has_value());
    EXPECT_EQ(log.Lines("scheduler.schedule_exhausted").size(), 1u);
    ASSERT_TRUE(s.Trigger(id).ok());
    ASSERT_TRUE(s.WaitForRuns(id, 1, kGuard));
}

TEST_F(SchedulerTest, AddingAnEarlierTaskReplansTheTimer) {
    Scheduler s(1, &clock_);
    TaskId hourly = s.Add("hourly", Every(1h), [] { return Status::Ok(); });
    ASSERT_TRUE(clock_.WaitForWaiters(1, kGuard));  // sleeping until t0 + 1h
    TaskId fast = s.Add("fast", Every(5s), [] { return Status::Ok(); });
    clock_.Advance(5s);
    ASSERT_TRUE(s.WaitForRuns(fast, 1, kGuard));
    EXPECT_EQ(InfoOf(s, hourly).runs_started, 0u);
}

TEST_F(SchedulerTest, ConcurrentTriggersNeverOverlapRunsOfATask) {
    // Stress (bounded): four threads trigger three tasks; a task must never run twice at once, and
    // every trigger is followed by a run that starts after it.
    Scheduler s(3, &clock_);
    struct Probe {
        std::atomic<bool> in_run{false};
        std::atomic<int> overlaps{0};
        std::atomic<int> runs{0};
        std::atomic<int64_t> requested{0};  // triggers issued (counted before Trigger is called)
        std::atomic<int64_t> served{0};     // `requested` as seen when the latest run started
    };
    std::vector<std::unique_ptr<Probe>> probes;
    std::vector<TaskId> ids;
    for (int i = 0; i < 3; ++i) {
        probes.push_back(std::make_unique<Probe>());
        Probe* p = probes.back().get();
        // std::string("t"), not "t": GCC 12 at -O3 gives a false -Wrestrict on "t" + std::string.
        ids.push_back(s.Add(std::string("t") + std::to_string(i), std::nullopt, [p] {
            if (p->in_run.exchange(true)) ++p->overlaps;
            p->served = p->requested.load();
            ++p->runs;
            for (int k = 0; k < 20; ++k) std::this_thread::yield();  // widen the window
            p->in_run = false;
            return Status::Ok();
        }));
    }
    std::vector<std::thread> triggers;
    for (int t = 0; t < 4; ++t) {
        triggers.emplace_back([&] {
            // Until every task ran 50 times (or a bound on triggers), interleaved with runs.
            for (int i = 0; i < 200'000; ++i) {
                if (probes[0]->runs >= 50 && probes[1]->runs >= 50 && probes[2]->runs >= 50) break;
                ++probes[i % 3]->requested;
                ASSERT_TRUE(s.Trigger(ids[i % 3]).ok());
                std::this_thread::yield();
            }
        });
    }
    for (std::thread& t : triggers) t.join();
    // Once everything is idle, each task's latest run started after its last trigger (none was
    // lost), and one more trigger gives exactly one more run.
    for (size_t i = 0; i < ids.size(); ++i) {
        ASSERT_TRUE(Eventually([&] {
            TaskInfo info = InfoOf(s, ids[i]);
            return !info.queued && !info.running;
        }));
        EXPECT_EQ(probes[i]->served, probes[i]->requested);
        const uint64_t before = InfoOf(s, ids[i]).runs_started;
        EXPECT_GE(before, 50u);
        ASSERT_TRUE(s.Trigger(ids[i]).ok());
        ASSERT_TRUE(s.WaitForRuns(ids[i], before + 1, kGuard));
        EXPECT_EQ(probes[i]->overlaps, 0);
    }
}

TEST(SchedulerSystemClockTest, RunsOnTheRealClock) {
    Scheduler s(1);
    std::atomic<int> runs{0};
    TaskId id = s.Add("real", Every(5ms), [&] {
        ++runs;
        return Status::Ok();
    });
    ASSERT_TRUE(s.WaitForRuns(id, 3, kGuard));
    s.Stop();
    EXPECT_GE(runs, 3);
}

}  // namespace
}  // namespace tarn
