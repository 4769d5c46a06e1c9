// Building the union timeline.
#include "engine/replay/timeline.h"

#include <algorithm>

#include "engine/core/errors.h"

namespace tapegrid {

Timeline build_timeline(const std::vector<SymbolBars>& symbols, std::optional<TimestampNs> from) {
    Timeline timeline;
    std::size_t total = 0;
    for (const auto& bars : symbols) total += bars.size();
    timeline.timestamps.reserve(total);
    for (const auto& bars : symbols) {
        const auto first = from ? std::lower_bound(bars.timestamp_ns.begin(), bars.timestamp_ns.end(), *from)
                                : bars.timestamp_ns.begin();
        timeline.timestamps.insert(timeline.timestamps.end(), first, bars.timestamp_ns.end());
    }
    std::sort(timeline.timestamps.begin(), timeline.timestamps.end());
    timeline.timestamps.erase(std::unique(timeline.timestamps.begin(), timeline.timestamps.end()),
                              timeline.timestamps.end());
    if (timeline.timestamps.size() > UINT32_MAX) throw UserError("more than 4 billion distinct timestamps");
    timeline.position_of_bar.resize(symbols.size());
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        const auto& times = symbols[s].timestamp_ns;
        auto& positions = timeline.position_of_bar[s];
        positions.resize(times.size());
        std::size_t cursor = 0;  // both lists are sorted: one forward walk
        for (std::size_t i = 0; i < times.size(); ++i) {
            if (from && times[i] < *from) continue;  // before the timeline: position 0, never read
            while (timeline.timestamps[cursor] < times[i]) ++cursor;
            positions[i] = static_cast<std::uint32_t>(cursor);
        }
    }
    return timeline;
}

double infer_periods_per_year(const Timeline& timeline) {
    if (timeline.timestamps.empty()) return 252.0;
    std::size_t days = 0;
    std::int64_t previous_day = INT64_MIN;
    for (const TimestampNs t : timeline.timestamps) {
        const std::int64_t day = t >= 0 ? t / kNsPerDay : (t - kNsPerDay + 1) / kNsPerDay;
        if (day != previous_day) ++days;
        previous_day = day;
    }
    return 252.0 * static_cast<double>(timeline.timestamps.size()) / static_cast<double>(days);
}

}  // namespace tapegrid
