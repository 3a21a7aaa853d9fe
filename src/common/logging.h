// Structured logging: one JSON object per line on stderr, one line per notable event.
//
//   TARN_LOG_INFO("server.listening", {{"host", host}, {"port", port}});
//   ->
//   {"ts":"2026-11-25T20:17:27.123Z","level":"info","event":"server.listening","host":"127.0.0.1","port":4566}
//
// Events are dotted lowercase names ("<area>.<what>"), fields are flat key/value pairs whose values
// are strings, integers, doubles or booleans. Lines below the current level cost one comparison.
// Thread-safety: every function may be called from any thread; lines are never interleaved.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace tarn {

enum class LogLevel : uint8_t { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

struct LogField {
    // Strings are views: the field list lives only for the logging call's full expression.
    using Value = std::variant<std::string_view, int64_t, uint64_t, double, bool>;
    std::string_view key;
    Value value;

    LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
    LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, bool v) : key(k), value(v) {}
    LogField(std::string_view k, double v) : key(k), value(v) {}
    template <typename I>
    requires std::is_integral_v<I> &&(!std::is_same_v<I, bool>)LogField(std::string_view k, I v)
        : key(k) {
        if constexpr (std::is_signed_v<I>) {
            value = static_cast<int64_t>(v);
        } else {
            value = static_cast<uint64_t>(v);
        }
    }
};

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// Parses "debug", "info", "warn", "error", "off"; false when unknown.
bool ParseLogLevel(std::string_view text, LogLevel* level);

// Where lines go; stderr by default. REQUIRES: `sink` outlives all logging. Tests use this to
// capture lines; nullptr restores stderr.
class LogSink {
public:
    virtual ~LogSink() = default;
    virtual void Write(std::string_view line) = 0;  // `line` ends with '\n'
};
void SetLogSink(LogSink* sink);

// Formats and writes one line. Prefer the macros, which skip formatting below the level.
void LogEvent(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);
// The line LogEvent would write, without the trailing newline (exposed for tests).
std::string FormatLogLine(LogLevel level, std::string_view event,
                          std::initializer_list<LogField> fields);

inline bool LogEnabled(LogLevel level) { return level >= GetLogLevel(); }

}  // namespace tarn

#define TARN_LOG_(level, event, ...)                                                \
    do {                                                                            \
        if (::tarn::LogEnabled(level)) ::tarn::LogEvent(level, event, __VA_ARGS__); \
    } while (0)
#define TARN_LOG_DEBUG(event, ...) TARN_LOG_(::tarn::LogLevel::kDebug, event, __VA_ARGS__)
#define TARN_LOG_INFO(event, ...) TARN_LOG_(::tarn::LogLevel::kInfo, event, __VA_ARGS__)
#define TARN_LOG_WARN(event, ...) TARN_LOG_(::tarn::LogLevel::kWarn, event, __VA_ARGS__)
#define TARN_LOG_ERROR(event, ...) TARN_LOG_(::tarn::LogLevel::kError, event, __VA_ARGS__)
