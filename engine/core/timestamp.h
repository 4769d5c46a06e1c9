// Timestamps: int64 nanoseconds since the Unix epoch, UTC, and their ISO 8601 text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tapegrid {

using TimestampNs = std::int64_t;

inline constexpr TimestampNs kNsPerSecond = 1'000'000'000;
inline constexpr TimestampNs kNsPerMinute = 60 * kNsPerSecond;
inline constexpr TimestampNs kNsPerHour = 60 * kNsPerMinute;
inline constexpr TimestampNs kNsPerDay = 24 * kNsPerHour;

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

// "2024-01-02T14:30:00Z", with a fraction only when the time has one (up to 9 digits).
std::string format_iso8601(TimestampNs timestamp_ns);

// Accepts "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]" with an optional "Z" or
// "+HH:MM"/"-HH:MM" offset; a time without an offset is taken as UTC.
// Returns nothing when the text is not such a timestamp.
std::optional<TimestampNs> parse_iso8601(std::string_view text);

// The current wall-clock time.
TimestampNs now_ns();

// "30d", "12h", "15m", "45s" (or a plain number of days) to nanoseconds.
std::optional<TimestampNs> parse_duration(std::string_view text);

}  // namespace tapegrid
