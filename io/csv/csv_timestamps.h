// Time text in CSV files to UTC nanoseconds: ISO 8601, strptime-like patterns and epoch counts.
#pragma once

#include <optional>
#include <string>

#include "engine/core/timestamp.h"

namespace tapegrid {

// One time read from text: the time, or nothing with the reason.
struct TimeReading {
    std::optional<TimestampNs> time;
    bool out_of_range = false;  // the text is a time, but one outside kTimestampRange
};

// Parses `text` in `format`: "" for ISO 8601, a strptime-like pattern (parse_with_format), or
// epoch_s, epoch_ms, epoch_us, epoch_ns. Text that names no zone is a local time `utc_offset_ns`
// ahead of UTC. Throws UserError for an unknown epoch unit.
TimeReading parse_timestamp(const std::string& text, const std::string& format, TimestampNs utc_offset_ns);

// Parses `text` with a strptime-like pattern. `has_zone` tells whether the text named its zone (%z).
TimeReading parse_with_format(const std::string& text, const std::string& format, bool& has_zone);

// "09:30" or "09:30:00": the time of day a row holds after its date when the header names only the date.
bool looks_like_time_of_day(const std::string& text);

}  // namespace tapegrid
