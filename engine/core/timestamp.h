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

// What an int64 count of nanoseconds since 1970 can hold: from 1677-09-21T00:12:43.145224192Z to
// 2262-04-11T23:47:16.854775807Z. A time outside it is refused, never wrapped around.
inline constexpr const char* kTimestampRange = "1677-09-21T00:12:44Z .. 2262-04-11T23:47:16Z";

// Accepts "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]" with an optional "Z" or
// "+HH:MM"/"-HH:MM" offset (hours 0..23, minutes 0..59); a time without an offset is UTC.
// Returns nothing when the text is not such a timestamp, or is one outside kTimestampRange.
std::optional<TimestampNs> parse_iso8601(std::string_view text);

// Why parse_iso8601 refused `text`, for messages: "is outside the range of timestamps
// tapegrid stores (...)" or "is not an ISO 8601 date or time".
std::string iso8601_problem(std::string_view text);

// parse_iso8601, or UserError "<where>: '<text>' is not an ISO 8601 date or time (like 2024-01-02
// or 2024-01-02T14:30:00Z)" / "... is outside the range of timestamps tapegrid stores (...)".
TimestampNs require_iso8601(std::string_view text, const std::string& where);

// a + b and count * unit, or nothing when the result leaves the int64 range.
std::optional<TimestampNs> checked_add(TimestampNs a, TimestampNs b);
std::optional<TimestampNs> checked_multiply(std::int64_t count, TimestampNs unit);

// The current wall-clock time.
TimestampNs now_ns();

// "30d", "12h", "15m", "45s" (or a plain number of days) to nanoseconds.
std::optional<TimestampNs> parse_duration(std::string_view text);

}  // namespace tapegrid
