// Small text checks that several modules need (HTTP headers, CSV and JSON field names, SQL
// keywords, Parquet and CSV string validation, error messages): ASCII case-insensitive comparison
// and lowering, one-line excerpts of user text, and strict UTF-8 validation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tarn {

// True when a and b are equal ignoring ASCII case (bytes >= 0x80 compare exactly).
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

// A copy of s with ASCII letters lowered (bytes >= 0x80 kept as they are).
std::string AsciiLower(std::string_view s);

// `text` fit to quote in a one-line error message: control characters and DEL become '?', and
// text longer than `max_bytes` is cut at a UTF-8 character boundary and ends in "...".
std::string OneLineExcerpt(std::string_view text, size_t max_bytes = std::string_view::npos);

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), with an
// ASCII fast path 8 bytes at a time. The offset of the first byte of the first invalid sequence,
// or std::string_view::npos when `s` is valid.
size_t FindInvalidUtf8(std::string_view s);
// The length (2-4) of the valid UTF-8 sequence at p[0] (a byte >= 0x80), with n bytes
// available from p, or 0 when no valid sequence starts there. REQUIRES: n >= 1.
size_t Utf8SequenceLength(const unsigned char* p, size_t n);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

}  // namespace tarn
