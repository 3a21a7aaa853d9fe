// Scheduler: periodic and on-demand background tasks (delivery flushes, crawls, ETL jobs,
// compaction) on a bounded worker pool.
//
// A task is a name, an optional Schedule and a `Status()` closure. One timing thread watches the
// due times on the injected Clock and hands runs to a ThreadPool of `num_workers` threads; runs
// never execute on the timing thread, so a long run delays other tasks only when every worker is
// busy.
//
// Run rules:
//   - At most one run of a task at a time.
//   - A trigger or due time that arrives while a run is *running* sets one "run again" mark:
//   exactly
//     one more run starts after the current one, however many arrived (never a pile-up, never
//     lost). One that arrives while a run is *queued* (waiting for a worker) is covered by that
//     run, which has not started yet.
//   - Due times that pass while the scheduler is late (busy pool, a big clock step) are coalesced:
//     one run, and the next due time is the schedule's first fire time after *now*.
//   - A run returning non-OK is logged ("scheduler.task_failed") and counted; an exception escaping
//     the closure is caught, logged ("scheduler.task_exception"), counted as failed with an
//     Internal status. Either way the task keeps its schedule.
//   - A task has a due time only while its Schedule has a next fire time; a schedule that runs out
//     (an AWS cron whose years are past) leaves the task on-demand only and is logged once.
//
// Thread-safety: every method may be called from any thread, including from inside a task's run,
// except where noted (the destructor). Closures run on worker threads; they must be thread-safe
// with respect to whatever else touches their captures.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/schedule.h"
#include "common/status.h"
#include "common/thread_pool.h"

namespace tarn {

// Identifies a task within one Scheduler. Ids are never reused; 0 is never a task.
enum class TaskId : uint64_t { kNone = 0 };

// A snapshot of one task, for status pages and /metrics.
struct TaskInfo {
    using TimePoint = Clock::TimePoint;

    TaskId id = TaskId::kNone;
    std::string name;
    std::string schedule;  // Schedule::text(), empty for an on-demand task
    uint64_t runs_started = 0;
    uint64_t runs_succeeded = 0;
    uint64_t runs_failed = 0;  // non-OK status or exception
    Status last_status;        // of the last finished run; OK before the first one
    std::optional<TimePoint> last_start;
    std::optional<TimePoint> last_end;
    std::optional<TimePoint> next_due;  // none: on-demand only (or removed, or stopped)
    bool queued = false;                // a run waits for a worker
    bool running = false;               // a run is executing
    bool rerun_pending = false;         // one more run will follow the running one
};

class Scheduler {
public:
    using TimePoint = Clock::TimePoint;
    using Work = std::function<Status()>;

    struct Options {
        size_t num_workers = 2;  // concurrent runs at most; 0 is taken as 1
        // Does not take ownership. REQUIRES: outlives the Scheduler. nullptr: SystemClock.
        Clock* clock = nullptr;
        std::string name = "tarn-sched";  // thread names "<name>-timer", "<name>-<i>"
    };

    explicit Scheduler(Options options);
    explicit Scheduler(size_t num_workers, Clock* clock = nullptr)
        : Scheduler(Options{num_workers, clock, "tarn-sched"}) {}
    // Stop(). REQUIRES: not called from inside a task's run.
    ~Scheduler();

    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Registers a task. With a schedule its first due time is schedule->NextAfter(clock->Now());
    // without one it runs only when triggered. Tasks added after Stop() are listed but never run.
    TaskId Add(std::string name, std::optional<Schedule> schedule, Work work);

    // Asks for a run as soon as a worker is free (see the run rules above for a running task).
    // NotFound for an unknown or removed id; Unavailable after Stop().
    Status Trigger(TaskId id);

    // Unregisters a task: no run starts after this call, and when it returns no run is executing
    // and the closure has been destroyed. Called from inside the task's own run it can't wait for
    // that run; it returns at once and the closure is destroyed when the run ends. NotFound for an
    // unknown or already removed id.
    Status Remove(TaskId id);

    // Clean shutdown: no new run starts, queued runs are dropped, running runs are waited for and
    // all threads are joined. Idempotent; concurrent callers all return after the shutdown. Called
    // from inside a run it only stops new runs and returns (it can't wait for itself); the
    // destructor then finishes the job.
    void Stop();
    // True once Stop() began. Long runs may poll it to finish early.
    bool stopping() const;

    // All registered tasks, ordered by id.
    std::vector<TaskInfo> Tasks() const;
    // NotFound for an unknown or removed id.
    Result<TaskInfo> Info(TaskId id) const;

    // For tests: blocks until the task has *finished* at least `n` runs in total (succeeded +
    // failed), then true. False when `timeout` (real time) passes first, when the id is unknown or
    // already removed, or when the task is removed or the scheduler stopped while waiting with
    // fewer runs and none still coming.
    bool WaitForRuns(TaskId id, uint64_t n, std::chrono::milliseconds timeout);

private:
    struct Task;

    // REQUIRES: mu_ held. Starts or coalesces a run; errors only when the pool refuses.
    Status Dispatch(const std::shared_ptr<Task>& task);
    void RunTask(const std::shared_ptr<Task>& task);
    void TimerLoop();
    static TaskInfo Snapshot(const Task& task);

    const std::string name_;
    Clock* const clock_;
    mutable std::mutex mu_;
    std::condition_variable timer_cv_;  // tasks or stopping_ changed: the timing thread re-plans
    std::condition_variable done_cv_;   // a run ended or was dropped (Remove, WaitForRuns)
    std::map<TaskId, std::shared_ptr<Task>> tasks_;  // guarded by mu_
    uint64_t next_id_ = 1;                           // guarded by mu_
    bool stopping_ = false;                          // guarded by mu_
    std::once_flag stop_once_;
    ThreadPool pool_;
    std::thread timer_thread_;  // started last in the constructor
};

}  // namespace tarn
