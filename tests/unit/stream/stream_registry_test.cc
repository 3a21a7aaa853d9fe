#include "stream/stream_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace tarn::stream {
namespace {

class StreamRegistryTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = ::testing::TempDir() + "registry_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::filesystem::remove_all(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<StreamRegistry> OpenRegistry() {
        StreamRegistryOptions o;
        o.dir = dir_ + "/streams";
        o.clock = &clock_;
        auto r = StreamRegistry::Open(o);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return r.ok() ? std::move(r).value() : nullptr;
    }

    static CreateStreamRequest Req(std::string name, uint32_t shards) {
        CreateStreamRequest r;
        r.name = std::move(name);
        r.shard_count = shards;
        return r;
    }

    std::string dir_;
    ManualClock clock_;
};

TEST_F(StreamRegistryTest, CreateThenActiveDescribeFindList) {
    auto reg = OpenRegistry();
    auto created = reg->Create(Req("orders", 3));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(created->status, StreamStatus::kCreating);
    EXPECT_EQ(created->creation_ms, 1704067200000);
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/streams/orders/stream.json"));
    reg->WaitForTransitions();
    auto d = reg->Describe("orders");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->status, StreamStatus::kActive);
    EXPECT_EQ(d->shards.size(), 3u);
    auto by_arn = reg->Find("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
    ASSERT_TRUE(by_arn.ok());
    EXPECT_EQ(by_arn->name, "orders");
    EXPECT_FALSE(reg->Find("arn:aws:kinesis:eu-west-1:000000000000:stream/orders").ok());
    auto missing = reg->Describe("nope");
    EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(missing.status().message(), "Stream nope under account 000000000000 not found.");

    auto dup = reg->Create(Req("orders", 1));
    EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(dup.status().message(), "Stream orders under account 000000000000 already exists.");
    EXPECT_EQ(reg->Create(Req("bad name", 1)).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(reg->Create(Req("zero", 0)).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(reg->Create(Req("many", 501)).status().code(), StatusCode::kInvalidArgument);
    CreateStreamRequest no_count;
    no_count.name = "nocount";
    EXPECT_EQ(reg->Create(no_count).status().code(), StatusCode::kInvalidArgument);
    no_count.mode = StreamMode::kOnDemand;
    auto od = reg->Create(no_count);
    ASSERT_TRUE(od.ok());
    EXPECT_EQ(od->shards.size(), kOnDemandDefaultShards);
    EXPECT_EQ(od->mode, StreamMode::kOnDemand);
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/streams/zero"));

    for (std::string n : {"b", "a", "c", "d"}) ASSERT_TRUE(reg->Create(Req(n, 1)).ok());
    auto p1 = reg->List("", 3);
    ASSERT_TRUE(p1.ok());
    EXPECT_EQ(p1->names, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(p1->has_more);
    auto p2 = reg->List("c", 3);
    EXPECT_EQ(p2->names, (std::vector<std::string>{"d", "nocount", "orders"}));
    EXPECT_FALSE(p2->has_more);
    EXPECT_TRUE(reg->List("orders", 3)->names.empty());
    EXPECT_FALSE(reg->List("", 0).ok());
}

TEST_F(StreamRegistryTest, ReopenSeesSameStreams) {
    StreamMetadata before;
    {
        auto reg = OpenRegistry();
        CreateStreamRequest r = Req("events", 2);
        r.tags = {{"team", "lake"}};
        ASSERT_TRUE(reg->Create(r).ok());
        reg->WaitForTransitions();
        auto u = reg->Update("events", [](StreamMetadata& m) {
            TARN_RETURN_IF_ERROR(m.IncreaseRetention(72));
            return m.SplitShard("shardId-000000000001", "300000000000000000000000000000000000000",
                                {}, nullptr);
        });
        ASSERT_TRUE(u.ok()) << u.status().ToString();
        EXPECT_EQ(u->status, StreamStatus::kUpdating);
        reg->WaitForTransitions();
        before = *reg->Describe("events");
        EXPECT_EQ(before.status, StreamStatus::kActive);
        // A failed change changes nothing.
        auto bad =
            reg->Update("events", [](StreamMetadata& m) { return m.DecreaseRetention(100); });
        EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(reg->Update("nope", [](StreamMetadata&) { return Status::Ok(); }).status().code(),
                  StatusCode::kNotFound);
    }
    auto reg = OpenRegistry();
    auto after = reg->Describe("events");
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, before);
    EXPECT_EQ(after->retention_hours, 72u);
    EXPECT_EQ(after->tags.at("team"), "lake");
    EXPECT_EQ(after->shards.size(), 4u);
    EXPECT_EQ(after->shards[3].parent, 1u);
}

TEST_F(StreamRegistryTest, DeleteRemovesStreamAndFolder) {
    auto reg = OpenRegistry();
    ASSERT_TRUE(reg->Create(Req("gone", 1)).ok());
    ASSERT_TRUE(reg->Delete("gone").ok());
    reg->WaitForTransitions();
    EXPECT_EQ(reg->Describe("gone").status().code(), StatusCode::kNotFound);
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/streams/gone"));
    EXPECT_EQ(reg->Delete("gone").code(), StatusCode::kNotFound);
    ASSERT_TRUE(reg->Create(Req("gone", 2)).ok());  // the name is free again
}

TEST_F(StreamRegistryTest, OpenFinishesInterruptedTransitions) {
    std::filesystem::create_directories(dir_ + "/streams/half");  // a Create cut before its file
    auto creating = StreamMetadata::New("c", 1, StreamMode::kProvisioned, 5, {});
    auto deleting = StreamMetadata::New("d", 1, StreamMode::kProvisioned, 5, {});
    deleting->status = StreamStatus::kDeleting;
    for (auto* m : {&*creating, &*deleting}) {
        std::filesystem::create_directories(dir_ + "/streams/" + m->name);
        ASSERT_TRUE(SaveStreamMetadata(dir_ + "/streams/" + m->name, *m).ok());
    }
    auto reg = OpenRegistry();
    reg->WaitForTransitions();
    EXPECT_EQ(reg->Describe("c")->status, StreamStatus::kActive);
    EXPECT_FALSE(reg->Describe("d").ok());
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/streams/d"));
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/streams/half"));
    EXPECT_EQ(LoadStreamMetadata(dir_ + "/streams/c")->status, StreamStatus::kActive);
}

TEST_F(StreamRegistryTest, GarbageFileFailsOpenWithCorruption) {
    std::filesystem::create_directories(dir_ + "/streams/broken");
    std::ofstream(dir_ + "/streams/broken/stream.json") << "{\"format_version\": 1, \"na";
    StreamRegistryOptions o;
    o.dir = dir_ + "/streams";
    auto r = StreamRegistry::Open(o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_NE(r.status().message().find(dir_ + "/streams/broken/stream.json"), std::string::npos);
}

TEST_F(StreamRegistryTest, ConcurrentCreateOfOneNameHasOneWinner) {
    auto reg = OpenRegistry();
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, exists{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto r = reg->Create(Req("race", 2));
            if (r.ok()) {
                ++ok;
            } else if (r.status().code() == StatusCode::kAlreadyExists) {
                ++exists;
            } else {
                ++other;
            }
            (void)reg->Describe("race");  // readers run alongside
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(exists.load(), kThreads - 1);
    EXPECT_EQ(other.load(), 0);
}

}  // namespace
}  // namespace tarn::stream
