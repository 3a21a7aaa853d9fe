#include "common/logging.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "testing/log_capture.h"

namespace tarn {
namespace {

using tarn::testing::CapturedLog;

class LoggingTest : public ::testing::Test {
protected:
    void SetUp() override { SetLogLevel(LogLevel::kInfo); }
    void TearDown() override { SetLogLevel(LogLevel::kInfo); }
    CapturedLog log_;  // installed for the fixture's lifetime
};

TEST_F(LoggingTest, OneJsonObjectPerLine) {
    std::string host = "127.0.0.1";
    TARN_LOG_INFO("server.listening", {{"host", host},
                                       {"port", 4566},
                                       {"tls", false},
                                       {"ratio", 0.5},
                                       {"note", "quote \" and\nnewline"}});
    auto lines = log_.Lines();
    ASSERT_EQ(lines.size(), 1u);
    ASSERT_EQ(lines[0].back(), '\n');
    auto j = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(j["level"], "info");
    EXPECT_EQ(j["event"], "server.listening");
    EXPECT_EQ(j["host"], "127.0.0.1");
    EXPECT_EQ(j["port"], 4566);
    EXPECT_EQ(j["tls"], false);
    EXPECT_EQ(j["ratio"], 0.5);
    EXPECT_EQ(j["note"], "quote \" and\nnewline");
    EXPECT_EQ(j["ts"].get<std::string>().size(), 24u);  // 2026-11-25T20:17:27.123Z
    EXPECT_EQ(lines[0].find('\n'), lines[0].size() - 1);
}

TEST_F(LoggingTest, LevelFilters) {
    TARN_LOG_DEBUG("hidden", {});
    SetLogLevel(LogLevel::kError);
    TARN_LOG_WARN("hidden.too", {});
    TARN_LOG_ERROR("shown", {{"n", 1}});
    auto lines = log_.Lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("\"shown\""), std::string::npos);
}

TEST_F(LoggingTest, NonFiniteDoublesStayValidJson) {
    TARN_LOG_INFO("x", {{"nan", 0.0 / 0.0}, {"inf", 1.0 / 0.0}});
    auto j = nlohmann::json::parse(log_.Lines().at(0));
    EXPECT_EQ(j["nan"], "NaN");
    EXPECT_EQ(j["inf"], "Infinity");
}

TEST_F(LoggingTest, ConcurrentLinesAreNotInterleaved) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i) TARN_LOG_INFO("stress", {{"t", t}, {"i", i}});
        });
    }
    for (auto& th : threads) th.join();
    auto lines = log_.Lines();
    ASSERT_EQ(lines.size(), 800u);
    for (const auto& line : lines) EXPECT_TRUE(nlohmann::json::accept(line)) << line;
}

TEST(LogLevelTest, Parse) {
    LogLevel level;
    EXPECT_TRUE(ParseLogLevel("warn", &level));
    EXPECT_EQ(level, LogLevel::kWarn);
    EXPECT_FALSE(ParseLogLevel("loud", &level));
}

}  // namespace
}  // namespace tarn
