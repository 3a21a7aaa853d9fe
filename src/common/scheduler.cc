#include "common/scheduler.h"

#include <exception>

#include "common/logging.h"

namespace tarn {

namespace {

// The task whose run executes on this thread (for Remove from inside a run).
thread_local const void* tls_current_task = nullptr;

}  // namespace

struct Scheduler::Task {
    enum class State : uint8_t { kIdle, kQueued, kRunning };

    TaskId id = TaskId::kNone;
    std::string name;
    std::optional<Schedule> schedule;
    Work work;  // read by the running worker without mu_; replaced only while no run executes

    // Guarded by Scheduler::mu_.
    State state = State::kIdle;
    bool rerun = false;
    bool removed = false;
    bool destroy_after_run = false;  // removed from inside its own run: the worker drops `work`
    uint64_t runs_started = 0;
    uint64_t runs_succeeded = 0;
    uint64_t runs_failed = 0;
    Status last_status;
    std::optional<TimePoint> last_start;
    std::optional<TimePoint> last_end;
    std::optional<TimePoint> next_due;

    uint64_t runs_finished() const { return runs_succeeded + runs_failed; }
};

Scheduler::Scheduler(Options options)
    : name_(options.name),
      clock_(options.clock != nullptr ? options.clock : SystemClock::Instance()),
      pool_(ThreadPool::Options{options.num_workers, 0, options.name}) {
    timer_thread_ = std::thread([this] {
        SetCurrentThreadName(name_ + "-timer");
        TimerLoop();
    });
}

Scheduler::~Scheduler() { Stop(); }

TaskId Scheduler::Add(std::string name, std::optional<Schedule> schedule, Work work) {
    auto task = std::make_shared<Task>();
    task->name = std::move(name);
    task->schedule = std::move(schedule);
    task->work = std::move(work);
    TaskId id;
    {
        std::lock_guard<std::mutex> lock(mu_);
        id = static_cast<TaskId>(next_id_++);
        task->id = id;
        if (task->schedule && !stopping_) {
            Result<TimePoint> due = task->schedule->NextAfter(clock_->Now());
            if (due.ok()) {
                task->next_due = *due;
            } else {
                TARN_LOG_WARN("scheduler.schedule_exhausted",
                              {{"task", task->name}, {"error", due.status().message()}});
            }
        }
        tasks_.emplace(id, std::move(task));
    }
    timer_cv_.notify_all();
    return id;
}

Status Scheduler::Dispatch(const std::shared_ptr<Task>& task) {
    if (stopping_ || task->removed) return Status::Ok();
    switch (task->state) {
        case Task::State::kQueued:
            return Status::Ok();  // the queued run has not started: it covers this request
        case Task::State::kRunning:
            task->rerun = true;
            return Status::Ok();
        case Task::State::kIdle:
            break;
    }
    task->state = Task::State::kQueued;
    Status submitted = pool_.Submit([this, task] { RunTask(task); });
    if (!submitted.ok()) task->state = Task::State::kIdle;
    return submitted;
}

Status Scheduler::Trigger(TaskId id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::Unavailable("scheduler is stopped");
    auto it = tasks_.find(id);
    if (it == tasks_.end()) {
        return Status::NotFound("no task " + std::to_string(static_cast<uint64_t>(id)));
    }
    return Dispatch(it->second);
}

void Scheduler::RunTask(const std::shared_ptr<Task>& task) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_ || task->removed) {  // dropped while queued
            task->state = Task::State::kIdle;
            task->rerun = false;
            done_cv_.notify_all();
            return;
        }
        task->state = Task::State::kRunning;
        ++task->runs_started;
        task->last_start = clock_->Now();
    }

    Status status;
    bool threw = false;
    tls_current_task = task.get();
    try {
        status = task->work();
    } catch (const std::exception& e) {
        threw = true;
        status = Status::Internal("task '" + task->name + "' threw: " + e.what());
    } catch (...) {
        threw = true;
        status = Status::Internal("task '" + task->name + "' threw a non-std exception");
    }
    tls_current_task = nullptr;

    if (threw) {
        TARN_LOG_ERROR("scheduler.task_exception",
                       {{"task", task->name}, {"error", status.message()}});
    } else if (!status.ok()) {
        TARN_LOG_WARN("scheduler.task_failed", {{"task", task->name},
                                                {"code", StatusCodeName(status.code())},
                                                {"error", status.message()}});
    }

    Work doomed;  // a closure removed during its own run, destroyed outside the lock
    {
        std::lock_guard<std::mutex> lock(mu_);
        task->last_end = clock_->Now();
        ++(status.ok() ? task->runs_succeeded : task->runs_failed);
        task->last_status = std::move(status);
        task->state = Task::State::kIdle;
        if (task->destroy_after_run) {
            doomed = std::move(task->work);
        } else if (task->rerun) {
            task->rerun = false;
            // Only fails when the pool is shutting down, i.e. during Stop(): nothing to do then.
            (void)Dispatch(task);
        }
        done_cv_.notify_all();
    }
}

Status Scheduler::Remove(TaskId id) {
    Work doomed;
    {
        std::unique_lock<std::mutex> lock(mu_);
        auto it = tasks_.find(id);
        if (it == tasks_.end()) {
            return Status::NotFound("no task " + std::to_string(static_cast<uint64_t>(id)));
        }
        std::shared_ptr<Task> task = it->second;
        tasks_.erase(it);
        task->removed = true;
        task->rerun = false;
        task->next_due.reset();
        if (tls_current_task == task.get()) {
            task->destroy_after_run = true;  // can't wait for our own run
        } else {
            done_cv_.wait(lock, [&] { return task->state != Task::State::kRunning; });
            // A queued run will see `removed` and skip without touching `work`.
            doomed = std::move(task->work);
        }
        done_cv_.notify_all();  // WaitForRuns callers on this task give up
    }
    return Status::Ok();
}

void Scheduler::Stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        for (auto& [id, task] : tasks_) {
            task->rerun = false;
            task->next_due.reset();
        }
    }
    timer_cv_.notify_all();
    done_cv_.notify_all();
    if (pool_.InWorker()) return;  // can't wait for our own run; the destructor finishes
    std::call_once(stop_once_, [&] {
        timer_thread_.join();
        pool_.Shutdown();  // queued runs skip (stopping_), running ones are waited for
    });
}

bool Scheduler::stopping() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopping_;
}

void Scheduler::TimerLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
        const TimePoint now = clock_->Now();
        TimePoint deadline = TimePoint::max();
        for (auto& [id, task] : tasks_) {
            if (!task->next_due) continue;
            if (*task->next_due <= now) {
                if (Status s = Dispatch(task); !s.ok()) {
                    TARN_LOG_ERROR("scheduler.dispatch_failed",
                                   {{"task", task->name}, {"error", s.message()}});
                }
                Result<TimePoint> next = task->schedule->NextAfter(now);
                if (next.ok()) {
                    task->next_due = *next;
                } else {
                    task->next_due.reset();
                    TARN_LOG_WARN("scheduler.schedule_exhausted",
                                  {{"task", task->name}, {"error", next.status().message()}});
                }
            }
            if (task->next_due && *task->next_due < deadline) deadline = *task->next_due;
        }
        clock_->WaitUntil(lock, timer_cv_, deadline);
    }
}

TaskInfo Scheduler::Snapshot(const Task& task) {
    TaskInfo info;
    info.id = task.id;
    info.name = task.name;
    info.schedule = task.schedule ? task.schedule->text() : std::string();
    info.runs_started = task.runs_started;
    info.runs_succeeded = task.runs_succeeded;
    info.runs_failed = task.runs_failed;
    info.last_status = task.last_status;
    info.last_start = task.last_start;
    info.last_end = task.last_end;
    info.next_due = task.next_due;
    info.queued = task.state == Task::State::kQueued;
    info.running = task.state == Task::State::kRunning;
    info.rerun_pending = task.rerun;
    return info;
}

std::vector<TaskInfo> Scheduler::Tasks() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<TaskInfo> out;
    out.reserve(tasks_.size());
    for (const auto& [id, task] : tasks_) out.push_back(Snapshot(*task));
    return out;
}

Result<TaskInfo> Scheduler::Info(TaskId id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) {
        return Status::NotFound("no task " + std::to_string(static_cast<uint64_t>(id)));
    }
    return Snapshot(*it->second);
}

bool Scheduler::WaitForRuns(TaskId id, uint64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return false;
    std::shared_ptr<Task> task = it->second;
    done_cv_.wait_for(lock, timeout, [&] {
        if (task->runs_finished() >= n) return true;
        // Nothing more can come: removed or stopped, and no run queued or running.
        return (task->removed || stopping_) && task->state == Task::State::kIdle;
    });
    return task->runs_finished() >= n;
}

}  // namespace tarn
