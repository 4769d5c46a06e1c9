// Pages of a loaded recording.
#include "io/store/recording_pages.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/core/errors.h"

namespace tapegrid {

EventPage page_events(const Recording& recording, const EventQuery& query) {
    EventPage page;
    for (const Event& event : recording.events) {
        if (query.type && event.type != *query.type) continue;
        if (query.symbol && event.symbol != *query.symbol) continue;
        if (page.total++ < query.offset || page.events.size() >= query.limit) continue;
        page.events.push_back(event);
    }
    return page;
}

BarPage page_bars(const Recording& recording, const BarQuery& query, const std::string& where) {
    if (query.symbol && !recording.find_symbol(*query.symbol))
        throw UserError(fmt::format("{}: no symbol '{}' in this recording (it has: {})", where, *query.symbol,
                                    fmt::join(recording.info.symbols, ", ")));
    struct Candidate {
        std::int64_t sequence;
        const SymbolBars* bars;
        std::size_t row;
    };
    std::vector<Candidate> candidates;
    for (const SymbolBars& bars : recording.bars) {
        if (query.symbol && bars.symbol != *query.symbol) continue;
        // Timestamps strictly increase within a symbol: the window is one range of rows.
        const auto first = query.from_ns
                               ? std::lower_bound(bars.timestamp_ns.begin(), bars.timestamp_ns.end(), *query.from_ns)
                               : bars.timestamp_ns.begin();
        const auto last = query.to_ns
                              ? std::upper_bound(bars.timestamp_ns.begin(), bars.timestamp_ns.end(), *query.to_ns)
                              : bars.timestamp_ns.end();
        for (auto row = first; row < last; ++row) {
            const auto index = static_cast<std::size_t>(row - bars.timestamp_ns.begin());
            candidates.push_back({bars.sequence[index], &bars, index});
        }
    }
    // Symbols come in the recording's order, as the file reader takes them.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.sequence < b.sequence; });
    BarPage page;
    page.total = candidates.size();
    const std::size_t begin = std::min(query.offset, candidates.size());
    const std::size_t end = std::min(candidates.size(), begin + query.limit);
    for (std::size_t i = begin; i < end; ++i) {
        const SymbolBars& bars = *candidates[i].bars;
        const std::size_t row = candidates[i].row;
        BarRow bar{bars.symbol,      bars.timestamp_ns[row], bars.open[row],
                   bars.high[row],   bars.low[row],          bars.close[row],
                   bars.volume[row], bars.sequence[row],     {}};
        for (const auto& indicator : bars.indicators)
            bar.indicators.emplace_back(indicator.name, indicator.values[row]);
        page.bars.push_back(std::move(bar));
    }
    return page;
}

}  // namespace tapegrid
