#include "format/ndjson_scanner.h"

namespace tarn::format::ndjson_internal {
namespace {

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

void ErrorLog::Add(NdjsonError::Kind kind, const RecordPosition& at, std::string_view what) {
    if (!WillReport()) {
        ++stats_->unreported_errors;
        return;
    }
    std::string message = name_ + ": line " + std::to_string(at.line) + ", column " +
                          std::to_string(at.column) + ": ";
    message.append(what);
    errors_.push_back(NdjsonError{kind, at.line, at.column, std::move(message)});
}

std::string SimdjsonReason(simdjson::error_code error) {
    return std::string(": invalid JSON (") + simdjson::error_message(error) + ")";
}

size_t FindObjectBoundary(std::string_view line, size_t from) {
    while (from < line.size()) {
        const size_t close = line.find('}', from);
        if (close == std::string_view::npos) return std::string_view::npos;
        const size_t open = SkipJsonWhitespace(line, close + 1);
        if (open < line.size() && line[open] == '{') return open;
        from = close + 1;
    }
    return std::string_view::npos;
}

size_t SkipJsonWhitespace(std::string_view line, size_t from) {
    while (from < line.size() && IsJsonWhitespace(line[from])) ++from;
    return from;
}

}  // namespace tarn::format::ndjson_internal
