// Preparing a recording's bars for replays.
#include "engine/replay/replay_data.h"

#include <algorithm>

#include "engine/core/errors.h"

namespace tapegrid {

ReplayData prepare_replay_data(const std::vector<SymbolBars>& symbols, std::optional<double> periods_per_year,
                               std::optional<TimestampNs> replay_from) {
    ReplayData data;
    data.symbols = &symbols;
    data.timeline = build_timeline(symbols, replay_from);
    // Each symbol's first bar on the timeline: the bars before it only warm the indicators up.
    std::vector<std::size_t> first_bar(symbols.size(), 0);
    if (replay_from)
        for (std::size_t s = 0; s < symbols.size(); ++s)
            first_bar[s] = static_cast<std::size_t>(
                std::lower_bound(symbols[s].timestamp_ns.begin(), symbols[s].timestamp_ns.end(), *replay_from) -
                symbols[s].timestamp_ns.begin());
    data.periods_per_year = periods_per_year.value_or(infer_periods_per_year(data.timeline));
    const std::size_t chunks = data.chunk_count();
    data.chunk_first_bar.resize(symbols.size());
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        data.total_bars += symbols[s].size() - first_bar[s];
        const auto& positions = data.timeline.position_of_bar[s];
        auto& first = data.chunk_first_bar[s];
        first.assign(chunks + 1, static_cast<std::uint32_t>(positions.size()));
        std::size_t bar = first_bar[s];
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
            while (bar < positions.size() && positions[bar] < chunk * kTimelineChunk) ++bar;
            first[chunk] = static_cast<std::uint32_t>(bar);
        }
    }
    return data;
}

}  // namespace tapegrid
