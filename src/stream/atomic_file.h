// Small whole files written atomically and durably (stream.json, consumers.json): the text goes
// to `<path>.tmp`, is fsynced, renamed over `<path>`, and the folder is fsynced; so a crash
// leaves either the old file or the new one, never a torn mix.
//
// Thread-safety: functions; callers serialize writers of one path.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::stream {

// REQUIRES: `dir` exists. Errors from Status::FromErrno naming the file.
Status WriteFileAtomically(const std::string& dir, std::string_view file_name,
                           std::string_view text);
// The whole file; NotFound "<path> does not exist" when missing.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace tarn::stream
