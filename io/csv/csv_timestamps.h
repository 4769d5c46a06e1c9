// Time text in CSV files to UTC nanoseconds: ISO 8601, strptime-like patterns and epoch counts.
#pragma once

#include <optional>
#include <string>

#include "engine/core/timestamp.h"

namespace tapegrid {

// Parses `text` in `format`: "" for ISO 8601, a strptime-like pattern (parse_with_format), or
// epoch_s, epoch_ms, epoch_us, epoch_ns. Text that names no zone is a local time `utc_offset_ns`
// ahead of UTC. Nothing when the text does not match; throws UserError for an unknown epoch unit.
std::optional<TimestampNs> parse_timestamp(const std::string& text, const std::string& format,
                                           TimestampNs utc_offset_ns);

// Parses `text` with a strptime-like pattern; nothing when it does not match.
// `has_zone` tells whether the text named its zone (%z).
std::optional<TimestampNs> parse_with_format(const std::string& text, const std::string& format, bool& has_zone);

// "09:30" or "09:30:00": the time of day a row holds after its date when the header names only the date.
bool looks_like_time_of_day(const std::string& text);

}  // namespace tapegrid
