#include "common/thread_pool.h"

#include <exception>

#if defined(__linux__)
#include <pthread.h>
#endif

#include "common/logging.h"

namespace tarn {

namespace {

// The pool whose worker is the current thread, for InWorker().
thread_local const ThreadPool* tls_current_pool = nullptr;

}  // namespace

void SetCurrentThreadName(const std::string& name) {
#if defined(__linux__)
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
#else
    (void)name;
#endif
}

ThreadPool::ThreadPool(Options options) : options_(std::move(options)) {
    const size_t n = options_.num_threads == 0 ? 1 : options_.num_threads;
    workers_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        workers_.emplace_back([this, i] {
            SetCurrentThreadName(options_.name + "-" + std::to_string(i));
            tls_current_pool = this;
            WorkerLoop();
        });
    }
}

ThreadPool::~ThreadPool() { Shutdown(); }

Status ThreadPool::Submit(std::function<void()> fn) {
    {
        std::lock_guard<std::mutex> g(mu_);
        if (shutting_down_) return Status::Unavailable("thread pool is shutting down");
        if (options_.max_queued != 0 && queue_.size() >= options_.max_queued) {
            return Status::ResourceExhausted("thread pool queue is full (" +
                                             std::to_string(options_.max_queued) + " waiting)");
        }
        queue_.push_back(std::move(fn));
    }
    work_cv_.notify_one();
    return Status::Ok();
}

void ThreadPool::WorkerLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
        work_cv_.wait(lock, [&] { return shutting_down_ || !queue_.empty(); });
        if (queue_.empty()) return;  // shutting down and drained
        std::function<void()> fn = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
        lock.unlock();
        try {
            fn();
        } catch (const std::exception& e) {
            TARN_LOG_ERROR("thread_pool.task_exception",
                           {{"pool", options_.name}, {"error", e.what()}});
        } catch (...) {
            TARN_LOG_ERROR("thread_pool.task_exception",
                           {{"pool", options_.name}, {"error", "unknown exception"}});
        }
        fn = nullptr;  // destroy captures outside the lock
        lock.lock();
        --running_;
        if (running_ == 0 && queue_.empty()) idle_cv_.notify_all();
    }
}

void ThreadPool::Shutdown() {
    {
        std::lock_guard<std::mutex> g(mu_);
        shutting_down_ = true;
    }
    work_cv_.notify_all();
    // call_once blocks concurrent callers until the first one has joined.
    std::call_once(join_once_, [&] {
        for (std::thread& t : workers_) t.join();
    });
}

void ThreadPool::WaitIdle() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [&] { return running_ == 0 && queue_.empty(); });
}

size_t ThreadPool::queued() const {
    std::lock_guard<std::mutex> g(mu_);
    return queue_.size();
}

size_t ThreadPool::running() const {
    std::lock_guard<std::mutex> g(mu_);
    return running_;
}

bool ThreadPool::InWorker() const { return tls_current_pool == this; }

}  // namespace tarn
