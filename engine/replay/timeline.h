// The portfolio's timeline: the union of the symbols' timestamps, and where each bar falls on it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/core/bars.h"

namespace tapegrid {

struct Timeline {
    std::vector<TimestampNs> timestamps;                      // sorted, distinct
    std::vector<std::vector<std::uint32_t>> position_of_bar;  // per symbol, per bar: index in timestamps

    std::size_t size() const { return timestamps.size(); }
};

// With `from`, only the timestamps from it on; the bars before it get position 0 (never read).
Timeline build_timeline(const std::vector<SymbolBars>& symbols, std::optional<TimestampNs> from = std::nullopt);

// Bars per year for annualising: 252 trading days times the average number of portfolio
// timestamps per UTC calendar day that has any (daily bars: 252; 390 one-minute bars a day:
// 98,280). docs/METRICS.md.
double infer_periods_per_year(const Timeline& timeline);

}  // namespace tapegrid
