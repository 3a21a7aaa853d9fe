#include "common/logging.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>

#include "common/json_escape.h"
#include "common/time_format.h"

namespace tarn {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<LogSink*> g_sink{nullptr};
std::mutex g_write_mutex;

std::string_view LevelName(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug:
            return "debug";
        case LogLevel::kInfo:
            return "info";
        case LogLevel::kWarn:
            return "warn";
        case LogLevel::kError:
            return "error";
        case LogLevel::kOff:
            return "off";
    }
    return "info";
}

template <typename N>
void AppendNumber(std::string& out, N value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, end);
}

void AppendValue(std::string& out, const LogField::Value& value) {
    struct Visitor {
        std::string& out;
        void operator()(std::string_view s) const { AppendJsonString(out, s); }
        void operator()(int64_t v) const { AppendNumber(out, v); }
        void operator()(uint64_t v) const { AppendNumber(out, v); }
        void operator()(double v) const {
            // JSON has no NaN/Infinity: write them as strings so the line stays valid JSON.
            if (v != v || v - v != 0) {
                AppendJsonString(out, v != v ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
            } else {
                AppendNumber(out, v);
            }
        }
        void operator()(bool v) const { out += v ? "true" : "false"; }
    };
    std::visit(Visitor{out}, value);
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(level, std::memory_order_relaxed); }
LogLevel GetLogLevel() { return g_level.load(std::memory_order_relaxed); }

bool ParseLogLevel(std::string_view text, LogLevel* level) {
    for (LogLevel l :
         {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError, LogLevel::kOff}) {
        if (text == LevelName(l)) {
            *level = l;
            return true;
        }
    }
    return false;
}

void SetLogSink(LogSink* sink) { g_sink.store(sink); }

std::string FormatLogLine(LogLevel level, std::string_view event,
                          std::initializer_list<LogField> fields) {
    std::string line;
    line.reserve(128);
    line += "{\"ts\":\"";
    AppendIso8601Millis(line, std::chrono::system_clock::now());
    line += "\",\"level\":\"";
    line += LevelName(level);
    line += "\",\"event\":";
    AppendJsonString(line, event);
    for (const LogField& field : fields) {
        line += ',';
        AppendJsonString(line, field.key);
        line += ':';
        AppendValue(line, field.value);
    }
    line += '}';
    return line;
}

void LogEvent(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
    std::string line = FormatLogLine(level, event, fields);
    line += '\n';
    std::lock_guard lock(g_write_mutex);
    if (LogSink* sink = g_sink.load()) {
        sink->Write(line);
        return;
    }
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) return;  // nowhere left to report a failure to log
        p += n;
        left -= static_cast<size_t>(n);
    }
}

}  // namespace tarn
