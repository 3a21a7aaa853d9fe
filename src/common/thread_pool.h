// ThreadPool: a fixed number of worker threads running submitted closures in FIFO order.
//
// The pool bounds concurrency: at most num_threads() closures run at once; the rest wait in the
// queue, which may itself be bounded (max_queued) so producers get ResourceExhausted instead of
// growing memory without limit. The Scheduler runs its tasks on one; the query engine's admission
// control can use another.
//
// A closure that throws is caught on the worker, logged ("thread_pool.task_exception") and
// dropped; the worker keeps running. Closures should return Status-bearing results through their
// own captures.
//
// Thread-safety: all methods may be called from any thread, including from inside a closure,
// except Shutdown(), WaitIdle() and the destructor (REQUIRES: not called from one of this pool's
// workers, which would wait for or join itself).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace tarn {

class ThreadPool {
public:
    struct Options {
        size_t num_threads = 2;  // 0 is taken as 1
        size_t max_queued = 0;   // closures waiting (not running); 0 = unbounded
        // Worker thread names are "<name>-<i>", cut to the 15 characters Linux allows.
        std::string name = "tarn-pool";
    };

    explicit ThreadPool(Options options);
    explicit ThreadPool(size_t num_threads) : ThreadPool(Options{num_threads, 0, "tarn-pool"}) {}
    // Shutdown().
    ~ThreadPool();

    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // Queues `fn` to run on a worker. Unavailable after Shutdown() began; ResourceExhausted when
    // max_queued closures are already waiting. On error `fn` is destroyed without running.
    Status Submit(std::function<void()> fn);

    // Stops accepting closures, runs every closure already queued, waits for them and joins the
    // workers. Idempotent; concurrent callers all return after the workers are joined.
    void Shutdown();

    // Blocks until the queue is empty and no closure is running. Closures submitted meanwhile are
    // waited for too. REQUIRES: not called from one of this pool's workers.
    void WaitIdle();

    size_t num_threads() const { return workers_.size(); }
    size_t queued() const;   // waiting, not running
    size_t running() const;  // running now

    // True when called from one of this pool's workers.
    bool InWorker() const;

private:
    void WorkerLoop();

    const Options options_;
    mutable std::mutex mu_;
    std::condition_variable work_cv_;          // queue non-empty or shutting down
    std::condition_variable idle_cv_;          // a closure finished
    std::deque<std::function<void()>> queue_;  // guarded by mu_
    size_t running_ = 0;                       // guarded by mu_
    bool shutting_down_ = false;               // guarded by mu_
    std::vector<std::thread> workers_;         // fixed after construction until joined
    std::once_flag join_once_;
};

// Names the calling thread (shown by top -H, gdb, perf); cut to the 15 characters Linux allows.
// A no-op where unsupported.
void SetCurrentThreadName(const std::string& name);

}  // namespace tarn
