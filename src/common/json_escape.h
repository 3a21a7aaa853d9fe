// Appending JSON string literals without a JSON library (for log lines and hot-path writers).
#pragma once

#include <string>
#include <string_view>

namespace tarn {

// Appends `s` as a quoted JSON string: escapes '"', '\\' and control characters; valid UTF-8
// sequences are copied as they are, and each byte that starts no valid sequence becomes \ufffd,
// so the output is valid JSON (RFC 8259 wants UTF-8) whatever `s` holds.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace tarn
