// Helpers behind ValidateKey (storage.h), shared by the stores of this module: segment checks for
// stores that walk keys segment by segment, and quoting of untrusted keys for error messages.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::storage {

bool IsValidUtf8(std::string_view text);

// Why `segment` (one '/'-free part of a key) is not allowed, or "" when it is.
std::string_view SegmentProblem(std::string_view segment);

// `text` in double quotes, with '"', '\\', control and non-UTF-8 bytes escaped as \xNN, cut to
// about 200 bytes: safe to put into a message and a log line.
std::string QuoteForMessage(std::string_view text);

}  // namespace tarn::storage
