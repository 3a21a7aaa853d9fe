// Metrics: counters, gauges and histograms, optionally with labels, rendered in the Prometheus
// text exposition format (version 0.0.4) by api/'s GET /metrics.
//
// Modules register their metrics once (usually in the process-wide MetricsRegistry::Global()) and
// keep the returned references: updating a metric is one relaxed atomic operation, no lock and no
// allocation. Looking up a labelled child (`family.With({...})`) takes a lock: cache the child on
// hot paths. References stay valid for the registry's lifetime.
// Thread-safety: everything may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tarn {

class Counter {
public:
    void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> value_{0};
};

class Gauge {
public:
    void Set(double v) { value_.store(v, std::memory_order_relaxed); }
    void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
    double Value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

class Histogram {
public:
    // `bounds`: strictly increasing upper bounds; +Inf is implicit.
    explicit Histogram(std::vector<double> bounds);
    void Observe(double v);

    const std::vector<double>& bounds() const { return bounds_; }
    // Non-cumulative count of bucket i (i == bounds().size() is the +Inf bucket).
    uint64_t BucketCount(size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
    uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
    double Sum() const { return sum_.load(std::memory_order_relaxed); }

    // Latency buckets in seconds, 100 µs .. 10 s.
    static std::vector<double> LatencyBuckets();

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
    std::atomic<uint64_t> count_{0};
    std::atomic<double> sum_{0};
};

// A metric with label dimensions: one child per distinct tuple of label values.
template <typename M>
class MetricFamily {
public:
    MetricFamily(std::vector<std::string> label_names, std::function<std::unique_ptr<M>()> make)
        : label_names_(std::move(label_names)), make_(std::move(make)) {}

    // REQUIRES: as many values as label names.
    M& With(std::initializer_list<std::string_view> values) {
        std::vector<std::string> key(values.begin(), values.end());
        std::lock_guard lock(mutex_);
        auto it = children_.find(key);
        if (it == children_.end()) it = children_.emplace(std::move(key), make_()).first;
        return *it->second;
    }
    const std::vector<std::string>& label_names() const { return label_names_; }
    // Calls fn(label_values, metric) for each child, in label order.
    template <typename Fn>
    void ForEach(Fn&& fn) const {
        std::lock_guard lock(mutex_);
        for (const auto& [values, metric] : children_) fn(values, *metric);
    }

private:
    std::vector<std::string> label_names_;
    std::function<std::unique_ptr<M>()> make_;
    mutable std::mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<M>> children_;
};

class MetricsRegistry {
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // The process-wide registry that GET /metrics renders.
    static MetricsRegistry& Global();

    // Registering an existing name with the same type and labels returns the existing metric, so
    // two instances of a component share it. `name` must match [a-zA-Z_:][a-zA-Z0-9_:]*.
    Counter& AddCounter(const std::string& name, const std::string& help);
    Gauge& AddGauge(const std::string& name, const std::string& help);
    Histogram& AddHistogram(const std::string& name, const std::string& help,
                            std::vector<double> bounds);
    MetricFamily<Counter>& AddCounterFamily(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names);
    MetricFamily<Gauge>& AddGaugeFamily(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names);
    MetricFamily<Histogram>& AddHistogramFamily(const std::string& name, const std::string& help,
                                                std::vector<std::string> label_names,
                                                std::vector<double> bounds);
    // A metric whose value is computed at each scrape (e.g. process RSS). Registering the same
    // name again replaces the callback.
    enum class CallbackType { kGauge, kCounter };
    void AddCallback(const std::string& name, const std::string& help, CallbackType type,
                     std::function<double()> read);
    // A labelled metric computed at each scrape: `read` returns one sample per tuple of label
    // values (each with as many values as `label_names`), e.g. one per delivery stream, so
    // children come and go with the things they describe. Unlike AddCallback's, `read` runs
    // without the registry's lock held, so it may take locks of its own (even ones held by code
    // that registers metrics). Registering the same name again replaces the callback.
    using LabelledSamples = std::vector<std::pair<std::vector<std::string>, double>>;
    void AddCallbackFamily(const std::string& name, const std::string& help, CallbackType type,
                           std::vector<std::string> label_names,
                           std::function<LabelledSamples()> read);

    // Prometheus text exposition of every metric, sorted by name.
    std::string RenderPrometheus() const;

private:
    struct Entry;
    Entry& FindOrAdd(const std::string& name, const std::string& help, int type,
                     const std::vector<std::string>& labels);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// The process's resident set size in bytes (from /proc/self/statm), 0 when unknown.
uint64_t ProcessResidentBytes();
// CPU seconds (user + system) this process has used.
double ProcessCpuSeconds();
// Open file descriptors of this process.
uint64_t ProcessOpenFds();

}  // namespace tarn
