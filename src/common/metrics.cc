#include "common/metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tarn {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v) {
    size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<double> Histogram::LatencyBuckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

enum MetricType : int { kCounterType, kGaugeType, kHistogramType, kCallbackType };

struct MetricsRegistry::Entry {
    std::string help;
    int type;
    std::vector<std::string> label_names;
    // Exactly one of these is set: unlabelled metrics are a family with no labels.
    std::unique_ptr<MetricFamily<Counter>> counters;
    std::unique_ptr<MetricFamily<Gauge>> gauges;
    std::unique_ptr<MetricFamily<Histogram>> histograms;
    std::function<double()> callback;
    // Set instead of `callback` for AddCallbackFamily; shared so a scrape calls it unlocked.
    std::shared_ptr<const std::function<LabelledSamples()>> family_callback;
    bool callback_is_counter = false;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry& MetricsRegistry::Global() {
    static MetricsRegistry* registry = new MetricsRegistry();  // never destroyed: used at exit
    return *registry;
}

MetricsRegistry::Entry& MetricsRegistry::FindOrAdd(const std::string& name, const std::string& help,
                                                   int type,
                                                   const std::vector<std::string>& labels) {
    auto it = entries_.find(name);
    if (it != entries_.end()) {
        // A programming error (two components disagree on a metric): fail loudly at startup.
        if (it->second->type != type || it->second->label_names != labels) {
            std::fprintf(stderr,
                         "tarn: internal error: metric '%s' registered twice with "
                         "different shapes\n",
                         name.c_str());
            std::abort();
        }
        return *it->second;
    }
    auto entry = std::make_unique<Entry>();
    entry->help = help;
    entry->type = type;
    entry->label_names = labels;
    return *entries_.emplace(name, std::move(entry)).first->second;
}

MetricFamily<Counter>& MetricsRegistry::AddCounterFamily(const std::string& name,
                                                         const std::string& help,
                                                         std::vector<std::string> label_names) {
    std::lock_guard lock(mutex_);
    Entry& e = FindOrAdd(name, help, kCounterType, label_names);
    if (!e.counters) {
        e.counters = std::make_unique<MetricFamily<Counter>>(
            std::move(label_names), [] { return std::make_unique<Counter>(); });
    }
    return *e.counters;
}

MetricFamily<Gauge>& MetricsRegistry::AddGaugeFamily(const std::string& name,
                                                     const std::string& help,
                                                     std::vector<std::string> label_names) {
    std::lock_guard lock(mutex_);
    Entry& e = FindOrAdd(name, help, kGaugeType, label_names);
    if (!e.gauges) {
        e.gauges = std::make_unique<MetricFamily<Gauge>>(std::move(label_names),
                                                         [] { return std::make_unique<Gauge>(); });
    }
    return *e.gauges;
}

MetricFamily<Histogram>& MetricsRegistry::AddHistogramFamily(const std::string& name,
                                                             const std::string& help,
                                                             std::vector<std::string> label_names,
                                                             std::vector<double> bounds) {
    std::lock_guard lock(mutex_);
    Entry& e = FindOrAdd(name, help, kHistogramType, label_names);
    if (!e.histograms) {
        e.histograms = std::make_unique<MetricFamily<Histogram>>(
            std::move(label_names), [bounds] { return std::make_unique<Histogram>(bounds); });
    }
    return *e.histograms;
}

Counter& MetricsRegistry::AddCounter(const std::string& name, const std::string& help) {
    return AddCounterFamily(name, help, {}).With({});
}
Gauge& MetricsRegistry::AddGauge(const std::string& name, const std::string& help) {
    return AddGaugeFamily(name, help, {}).With({});
}
Histogram& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                         std::vector<double> bounds) {
    return AddHistogramFamily(name, help, {}, std::move(bounds)).With({});
}

void MetricsRegistry::AddCallback(const std::string& name, const std::string& help,
                                  CallbackType type, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    Entry& e = FindOrAdd(name, help, kCallbackType, {});
    e.callback = std::move(read);
    e.callback_is_counter = type == CallbackType::kCounter;
}

void MetricsRegistry::AddCallbackFamily(const std::string& name, const std::string& help,
                                        CallbackType type, std::vector<std::string> label_names,
                                        std::function<LabelledSamples()> read) {
    std::lock_guard lock(mutex_);
    Entry& e = FindOrAdd(name, help, kCallbackType, label_names);
    e.family_callback = std::make_shared<const std::function<LabelledSamples()>>(std::move(read));
    e.callback_is_counter = type == CallbackType::kCounter;
}

namespace {

void AppendDouble(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
    } else if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
    } else {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
        out.append(buf, end);
    }
}

void AppendLabelValue(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

// Appends `{a="x",b="y"` + extra + `}` (or nothing when there are no labels at all).
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra = {}) {
    if (names.empty() && extra.empty()) return;
    out += '{';
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ',';
        out += names[i];
        out += "=\"";
        AppendLabelValue(out, values[i]);
        out += '"';
    }
    if (!extra.empty()) {
        if (!names.empty()) out += ',';
        out += extra;
    }
    out += '}';
}

void AppendHelp(std::string& out, const std::string& name, const std::string& help,
                std::string_view type) {
    out += "# HELP " + name + ' ';
    for (char c : help) out += c == '\n' ? ' ' : c;
    out += "\n# TYPE " + name + ' ';
    out += type;
    out += '\n';
}

}  // namespace

std::string MetricsRegistry::RenderPrometheus() const {
    // Labelled callbacks first, without the lock (see AddCallbackFamily).
    std::vector<std::pair<std::string, std::shared_ptr<const std::function<LabelledSamples()>>>>
        family_reads;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, e] : entries_) {
            if (e->family_callback) family_reads.emplace_back(name, e->family_callback);
        }
    }
    std::map<std::string, LabelledSamples> family_samples;
    for (const auto& [name, read] : family_reads) family_samples[name] = (*read)();

    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
        // Named references, not a structured binding: the lambdas below capture them.
        const std::string& name = entry.first;
        const std::unique_ptr<Entry>& e = entry.second;
        switch (e->type) {
            case kCounterType:
                AppendHelp(out, name, e->help, "counter");
                e->counters->ForEach([&](const auto& values, const Counter& c) {
                    out += name;
                    AppendLabels(out, e->label_names, values);
                    out += ' ' + std::to_string(c.Value()) + '\n';
                });
                break;
            case kGaugeType:
                AppendHelp(out, name, e->help, "gauge");
                e->gauges->ForEach([&](const auto& values, const Gauge& g) {
                    out += name;
                    AppendLabels(out, e->label_names, values);
                    out += ' ';
                    AppendDouble(out, g.Value());
                    out += '\n';
                });
                break;
            case kHistogramType:
                AppendHelp(out, name, e->help, "histogram");
                e->histograms->ForEach([&](const auto& values, const Histogram& h) {
                    uint64_t cumulative = 0;
                    for (size_t i = 0; i <= h.bounds().size(); ++i) {
                        cumulative += h.BucketCount(i);
                        std::string le = "le=\"";
                        if (i == h.bounds().size()) {
                            le += "+Inf";
                        } else {
                            AppendDouble(le, h.bounds()[i]);
                        }
                        le += '"';
                        out += name + "_bucket";
                        AppendLabels(out, e->label_names, values, le);
                        out += ' ' + std::to_string(cumulative) + '\n';
                    }
                    out += name + "_sum";
                    AppendLabels(out, e->label_names, values);
                    out += ' ';
                    AppendDouble(out, h.Sum());
                    out += '\n' + name + "_count";
                    AppendLabels(out, e->label_names, values);
                    out += ' ' + std::to_string(h.Count()) + '\n';
                });
                break;
            case kCallbackType:
                AppendHelp(out, name, e->help, e->callback_is_counter ? "counter" : "gauge");
                if (e->family_callback) {
                    auto it = family_samples.find(name);
                    if (it == family_samples.end()) break;  // registered during this scrape
                    for (const auto& [values, value] : it->second) {
                        if (values.size() != e->label_names.size()) continue;  // a caller bug
                        out += name;
                        AppendLabels(out, e->label_names, values);
                        out += ' ';
                        AppendDouble(out, value);
                        out += '\n';
                    }
                    break;
                }
                out += name + ' ';
                AppendDouble(out, e->callback ? e->callback() : 0.0);
                out += '\n';
                break;
        }
    }
    return out;
}

uint64_t ProcessResidentBytes() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr) return 0;
    unsigned long size_pages = 0, resident_pages = 0;
    const int n = std::fscanf(f, "%lu %lu", &size_pages, &resident_pages);
    std::fclose(f);
    if (n != 2) return 0;
    return static_cast<uint64_t>(resident_pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

double ProcessCpuSeconds() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
    auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

uint64_t ProcessOpenFds() {
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return 0;
    uint64_t count = 0;
    while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    return count > 0 ? count - 1 : 0;  // minus the descriptor opendir itself holds
}

}  // namespace tarn
