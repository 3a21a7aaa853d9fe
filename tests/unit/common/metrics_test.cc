#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tarn {
namespace {

TEST(MetricsTest, CounterGaugeRender) {
    MetricsRegistry registry;
    Counter& c = registry.AddCounter("tarn_things_total", "Things done");
    c.Inc();
    c.Inc(4);
    Gauge& g = registry.AddGauge("tarn_level", "A level");
    g.Set(2.5);
    g.Add(-1);
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find("# HELP tarn_things_total Things done\n# TYPE tarn_things_total counter\n"
                        "tarn_things_total 5\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("# TYPE tarn_level gauge\ntarn_level 1.5\n"), std::string::npos) << text;
}

TEST(MetricsTest, SameNameReturnsSameMetric) {
    MetricsRegistry registry;
    Counter& a = registry.AddCounter("tarn_x_total", "x");
    Counter& b = registry.AddCounter("tarn_x_total", "x");
    EXPECT_EQ(&a, &b);
}

TEST(MetricsTest, LabelledFamiliesEscapeValues) {
    MetricsRegistry registry;
    auto& family = registry.AddCounterFamily("tarn_req_total", "Requests", {"route", "code"});
    family.With({"/a", "200"}).Inc(2);
    family.With({"we\"ird\\\n", "500"}).Inc();
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find("tarn_req_total{route=\"/a\",code=\"200\"} 2\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("tarn_req_total{route=\"we\\\"ird\\\\\\n\",code=\"500\"} 1\n"),
              std::string::npos)
        << text;
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
    MetricsRegistry registry;
    auto& family = registry.AddHistogramFamily("tarn_lat_seconds", "Latency", {"route"}, {0.1, 1});
    Histogram& h = family.With({"/x"});
    h.Observe(0.05);
    h.Observe(0.1);  // on the bound: counts as <= 0.1
    h.Observe(0.5);
    h.Observe(3);
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find("tarn_lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("tarn_lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("tarn_lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"),
              std::string::npos);
    EXPECT_NE(text.find("tarn_lat_seconds_sum{route=\"/x\"} 3.65\n"), std::string::npos) << text;
    EXPECT_NE(text.find("tarn_lat_seconds_count{route=\"/x\"} 4\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
    MetricsRegistry registry;
    Counter& c = registry.AddCounter("tarn_c_total", "c");
    Histogram& h = registry.AddHistogram("tarn_h", "h", {1});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                c.Inc();
                h.Observe(0.5);
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(c.Value(), 40000u);
    EXPECT_EQ(h.Count(), 40000u);
    EXPECT_DOUBLE_EQ(h.Sum(), 20000.0);
}

TEST(MetricsTest, CallbacksAndProcessStats) {
    MetricsRegistry registry;
    registry.AddCallback("process_resident_memory_bytes", "RSS",
                         MetricsRegistry::CallbackType::kGauge,
                         [] { return static_cast<double>(ProcessResidentBytes()); });
    EXPECT_GT(ProcessResidentBytes(), 1u << 20);
    EXPECT_GT(ProcessOpenFds(), 2u);
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(
        text.find("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "),
        std::string::npos);
}

// Samples follow the callback's answer at each scrape, and the callback may register metrics
// (it runs without the registry's lock).
TEST(MetricsTest, CallbackFamilyIsReadAtEachScrape) {
    MetricsRegistry registry;
    MetricsRegistry::LabelledSamples samples = {{{"a"}, 1}, {{"b\"x"}, 2.5}};
    registry.AddCallbackFamily("tarn_things_total", "Things.",
                               MetricsRegistry::CallbackType::kCounter, {"thing"}, [&] {
                                   registry.AddCounter("tarn_other_total", "Other.");
                                   return samples;
                               });
    std::string text = registry.RenderPrometheus();
    EXPECT_NE(text.find("# TYPE tarn_things_total counter\ntarn_things_total{thing=\"a\"} 1\n"
                        "tarn_things_total{thing=\"b\\\"x\"} 2.5\n"),
              std::string::npos)
        << text;
    samples = {{{"c"}, 7}};
    text = registry.RenderPrometheus();
    EXPECT_EQ(text.find("thing=\"a\""), std::string::npos) << text;
    EXPECT_NE(text.find("tarn_things_total{thing=\"c\"} 7\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace tarn
