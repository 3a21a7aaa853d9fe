// Appending JSON string literals without a JSON library (for log lines and hot-path writers).
#pragma once

#include <string>
#include <string_view>

namespace tarn {

// Appends `s` as a quoted JSON string: escapes '"', '\\' and control characters; other bytes,
// including UTF-8 sequences, are copied as they are.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace tarn
