// The parts of the NDJSON scanner (ndjson_kernel.inc) that do not depend on simdjson's kernel:
// record positions, the bounded error log, and the byte-level helpers for finding records.
//
// Thread-safety: none.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "format/ndjson_reader.h"

namespace tarn::format::ndjson_internal {

struct RecordPosition {
    uint64_t line = 0;    // 1-based
    uint64_t column = 0;  // 1-based byte offset in the line
};

// The bounded list of reported errors, with counts.
class ErrorLog {
public:
    ErrorLog(std::string name, size_t max_reported, NdjsonStats* stats)
        : name_(std::move(name)), max_reported_(max_reported), stats_(stats) {}

    const std::string& name() const { return name_; }
    // Whether the next error would be kept (so callers build messages only then).
    bool WillReport() const { return errors_.size() < max_reported_; }
    // Keeps "<name>: line L, column C: <what>" when below the bound; else counts it unreported.
    void Add(NdjsonError::Kind kind, const RecordPosition& at, std::string_view what);
    const std::vector<NdjsonError>& errors() const { return errors_; }

private:
    std::string name_;
    size_t max_reported_;
    NdjsonStats* stats_;
    std::vector<NdjsonError> errors_;
};

// ": invalid JSON (<simdjson's message>)", to follow "skipped a malformed record".
std::string SimdjsonReason(simdjson::error_code error);

struct ScannerLimits {
    size_t max_record_bytes;
    size_t max_line_bytes;
    size_t chunk_bytes;
    uint64_t first_line = 1;  // the number of the input's first line, in messages
};

// The offset of the '{' of the next "}{" (whitespace allowed between) in line[from, end), or npos.
size_t FindObjectBoundary(std::string_view line, size_t from);
// The offset of the first non-whitespace byte of line[from, end), or line.size().
size_t SkipJsonWhitespace(std::string_view line, size_t from);

}  // namespace tarn::format::ndjson_internal
