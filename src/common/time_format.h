// ISO-8601 formatting and parsing of UTC instants, without locale or time zone database.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn {

// Days since 1970-01-01 of a proleptic Gregorian civil date, and back (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// Appends "YYYY-MM-DDTHH:MM:SS.mmmZ".
void AppendIso8601Millis(std::string& out, std::chrono::system_clock::time_point t);
void AppendIso8601Millis(std::string& out, int64_t unix_millis);
std::string FormatIso8601Millis(int64_t unix_millis);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff…]]" with "Z", "+HH:MM", "-HH:MM" or no offset
// (taken as UTC), to milliseconds since the epoch.
Result<int64_t> ParseIso8601Millis(std::string_view text);

// Parses a duration such as "500ms", "30s", "5m", "2h", "3d" or a sum of them ("1h30m").
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace tarn
