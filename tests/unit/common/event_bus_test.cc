#include "common/event_bus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "testing/gate.h"
#include "testing/log_capture.h"
#include "testing/wait.h"

namespace tarn {
namespace {

using Subscription = EventBus::Subscription;

using tarn::testing::CapturedLog;
using tarn::testing::Eventually;
using tarn::testing::Gate;

// Test-local event types (the real ones belong to later modules).
struct TableCommitted {
    std::string table;
    int objects = 0;
};
struct CrawlDone {
    std::string table;
};
struct Ping {
    int n = 0;
};

TEST(EventBusTest, DeliversByExactType) {
    EventBus bus;
    std::vector<std::string> committed;
    std::vector<std::string> crawled;
    Subscription a = bus.Subscribe<TableCommitted>([&](const TableCommitted& e) {
        committed.push_back(e.table + ":" + std::to_string(e.objects));
    });
    Subscription b =
        bus.Subscribe<CrawlDone>([&](const CrawlDone& e) { crawled.push_back(e.table); });
    EXPECT_EQ(bus.Publish(TableCommitted{"raw.events", 3}), 1u);
    EXPECT_EQ(bus.Publish(CrawlDone{"raw.clicks"}), 1u);
    const TableCommitted as_const{"raw.more", 1};
    EXPECT_EQ(bus.Publish(as_const), 1u);  // a const event routes to the same type
    EXPECT_EQ(bus.Publish(Ping{1}), 0u);   // nobody listens
    EXPECT_EQ(committed, (std::vector<std::string>{"raw.events:3", "raw.more:1"}));
    EXPECT_EQ(crawled, (std::vector<std::string>{"raw.clicks"}));
    EXPECT_EQ(bus.SubscriberCount<TableCommitted>(), 1u);
    EXPECT_EQ(bus.SubscriberCount<Ping>(), 0u);
}

TEST(EventBusTest, EverySubscriberInSubscriptionOrder) {
    EventBus bus;
    std::vector<int> order;
    Subscription s1 = bus.Subscribe<Ping>([&](const Ping& p) { order.push_back(10 + p.n); });
    Subscription s2 = bus.Subscribe<Ping>([&](const Ping& p) { order.push_back(20 + p.n); });
    Subscription s3 = bus.Subscribe<Ping>([&](const Ping& p) { order.push_back(30 + p.n); });
    EXPECT_EQ(bus.Publish(Ping{1}), 3u);
    EXPECT_EQ(order, (std::vector<int>{11, 21, 31}));
}

TEST(EventBusTest, UnsubscribeAndDestructionStopDelivery) {
    EventBus bus;
    int a_calls = 0, b_calls = 0;
    Subscription a = bus.Subscribe<Ping>([&](const Ping&) { ++a_calls; });
    {
        Subscription b = bus.Subscribe<Ping>([&](const Ping&) { ++b_calls; });
        bus.Publish(Ping{});
        EXPECT_EQ(bus.SubscriberCount<Ping>(), 2u);
    }
    bus.Publish(Ping{});
    EXPECT_EQ(b_calls, 1);
    EXPECT_EQ(a_calls, 2);
    EXPECT_TRUE(a.active());
    a.Unsubscribe();
    EXPECT_FALSE(a.active());
    a.Unsubscribe();  // idempotent
    EXPECT_EQ(bus.Publish(Ping{}), 0u);
    EXPECT_EQ(a_calls, 2);
    EXPECT_EQ(bus.SubscriberCount<Ping>(), 0u);
}

TEST(EventBusTest, SubscriptionsMove) {
    EventBus bus;
    int first = 0, second = 0;
    Subscription a = bus.Subscribe<Ping>([&](const Ping&) { ++first; });
    Subscription moved(std::move(a));
    EXPECT_FALSE(a.active());  // NOLINT(bugprone-use-after-move): testing the moved-from state
    EXPECT_TRUE(moved.active());
    bus.Publish(Ping{});
    EXPECT_EQ(first, 1);

    // Move-assigning over an active subscription ends the old one.
    moved = bus.Subscribe<Ping>([&](const Ping&) { ++second; });
    bus.Publish(Ping{});
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 1);
    EXPECT_EQ(bus.SubscriberCount<Ping>(), 1u);

    Subscription empty;
    EXPECT_FALSE(empty.active());
    std::vector<Subscription> held;
    held.push_back(std::move(moved));
    bus.Publish(Ping{});
    EXPECT_EQ(second, 2);
}

TEST(EventBusTest, UnsubscribeWaitsForARunningHandlerOnAnotherThread) {
    EventBus bus;
    Gate gate;
    std::atomic<bool> handler_done{false};
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> watch = token;
    Subscription sub = bus.Subscribe<Ping>([&, token](const Ping&) {
        gate.Enter();
        handler_done = true;
    });
    token.reset();
    std::thread publisher([&] { bus.Publish(Ping{}); });
    ASSERT_TRUE(gate.WaitInside(1));

    bool done_when_unsubscribed = false;
    bool handler_destroyed_when_unsubscribed = false;
    std::thread unsubscriber([&] {
        sub.Unsubscribe();
        done_when_unsubscribed = handler_done;
        handler_destroyed_when_unsubscribed = watch.expired();
    });
    // Unsubscribe removes the handler from the bus before it waits; only then let it finish.
    ASSERT_TRUE(Eventually([&] { return bus.SubscriberCount<Ping>() == 0; }));
    gate.Open();
    unsubscriber.join();
    publisher.join();
    EXPECT_TRUE(done_when_unsubscribed);
    EXPECT_TRUE(handler_destroyed_when_unsubscribed);
}

TEST(EventBusTest, AHandlerMayUnsubscribeItself) {
    EventBus bus;
    int calls = 0;
    std::optional<Subscription> sub;
    sub = bus.Subscribe<Ping>([&](const Ping&) {
        ++calls;
        sub->Unsubscribe();  // must not wait for itself
    });
    EXPECT_EQ(bus.Publish(Ping{}), 1u);
    EXPECT_EQ(bus.Publish(Ping{}), 0u);
    EXPECT_EQ(calls, 1);
}

TEST(EventBusTest, AHandlerMayUnsubscribeAHandlerFurtherUpItsStack) {
    // Ping's handler publishes CrawlDone, whose handler unsubscribes the Ping handler that is
    // still running on this thread: no deadlock, and no further Ping deliveries.
    EventBus bus;
    int pings = 0;
    Subscription ping_sub = bus.Subscribe<Ping>([&](const Ping&) {
        ++pings;
        bus.Publish(CrawlDone{"t"});
    });
    Subscription crawl_sub =
        bus.Subscribe<CrawlDone>([&](const CrawlDone&) { ping_sub.Unsubscribe(); });
    EXPECT_EQ(bus.Publish(Ping{}), 1u);
    EXPECT_EQ(bus.Publish(Ping{}), 0u);
    EXPECT_EQ(pings, 1);
}

TEST(EventBusTest, HandlersMayPublishAndSubscribe) {
    EventBus bus;
    std::vector<std::string> crawled;
    std::vector<Subscription> late;
    int late_calls = 0;
    Subscription crawl =
        bus.Subscribe<CrawlDone>([&](const CrawlDone& e) { crawled.push_back(e.table); });
    Subscription commit = bus.Subscribe<TableCommitted>([&](const TableCommitted& e) {
        bus.Publish(CrawlDone{e.table});  // a handler that publishes
        late.push_back(bus.Subscribe<TableCommitted>([&](const TableCommitted&) { ++late_calls; }));
    });
    EXPECT_EQ(bus.Publish(TableCommitted{"raw.events", 1}), 1u);
    EXPECT_EQ(crawled, (std::vector<std::string>{"raw.events"}));
    EXPECT_EQ(late_calls, 0);  // subscribed during the publish: sees only later events
    EXPECT_EQ(bus.Publish(TableCommitted{"raw.clicks", 1}), 2u);
    EXPECT_EQ(late_calls, 1);
    EXPECT_EQ(crawled.size(), 2u);
}

TEST(EventBusTest, AThrowingHandlerIsLoggedAndOthersStillRun) {
    CapturedLog log;
    EventBus bus;
    int after = 0;
    Subscription bad = bus.Subscribe<Ping>([](const Ping&) { throw std::runtime_error("nope"); });
    Subscription good = bus.Subscribe<Ping>([&](const Ping&) { ++after; });
    EXPECT_EQ(bus.Publish(Ping{}), 2u);
    const std::vector<std::string> lines = log.Lines();
    EXPECT_EQ(after, 1);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("event_bus.handler_exception"), std::string::npos);
    EXPECT_NE(lines[0].find("nope"), std::string::npos);
}

TEST(EventBusTest, ASubscriptionMayOutliveItsBus) {
    Subscription sub;
    {
        EventBus bus;
        sub = bus.Subscribe<Ping>([](const Ping&) {});
        EXPECT_EQ(bus.Publish(Ping{}), 1u);
    }
    EXPECT_TRUE(sub.active());
    sub.Unsubscribe();
    EXPECT_FALSE(sub.active());
}

TEST(EventBusTest, ConcurrentPublishSubscribeUnsubscribe) {
    // Stress (bounded): publishers and churning subscribers. Each subscriber's handler uses state
    // that is marked dead right after Unsubscribe returns; a call after that is a violation (and a
    // use-after-free under ASan, since the state is freed).
    EventBus bus;
    std::atomic<int> violations{0};
    std::atomic<bool> stop{false};
    std::atomic<long> delivered{0};
    Subscription steady = bus.Subscribe<Ping>([&](const Ping&) { ++delivered; });

    std::vector<std::thread> threads;
    for (int p = 0; p < 2; ++p) {
        threads.emplace_back([&] {
            while (!stop) {
                bus.Publish(Ping{1});
                bus.Publish(CrawlDone{"x"});
            }
        });
    }
    struct State {
        std::atomic<bool> dead{false};
        std::atomic<int> calls{0};
    };
    std::vector<std::thread> churners;
    for (int c = 0; c < 3; ++c) {
        churners.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                auto state = std::make_unique<State>();
                State* raw = state.get();
                Subscription sub = bus.Subscribe<Ping>([&violations, raw](const Ping&) {
                    if (raw->dead) ++violations;
                    ++raw->calls;
                    if (raw->dead) ++violations;
                });
                if (i % 2 == 0) std::this_thread::yield();
                sub.Unsubscribe();
                raw->dead = true;
                state.reset();  // freed: a late call would be a heap-use-after-free
            }
        });
    }
    for (std::thread& t : churners) t.join();
    stop = true;
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(violations, 0);
    EXPECT_GT(delivered, 0);
    EXPECT_EQ(bus.SubscriberCount<Ping>(), 1u);
}

TEST(EventBusTest, ConcurrentPublishersAllDeliver) {
    EventBus bus;
    std::atomic<int> sum{0};
    Subscription sub = bus.Subscribe<Ping>([&](const Ping& p) { sum += p.n; });
    std::vector<std::thread> publishers;
    for (int t = 0; t < 4; ++t) {
        publishers.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) bus.Publish(Ping{1});
        });
    }
    for (std::thread& t : publishers) t.join();
    EXPECT_EQ(sum, 4000);
}

}  // namespace
}  // namespace tarn
