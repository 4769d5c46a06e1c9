// What every replay of a recording shares: its bars, its timeline and how the timeline splits into chunks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/core/bars.h"
#include "engine/replay/timeline.h"

namespace tapegrid {

// Replays walk the timeline a chunk of timestamps at a time, every symbol's bars of the chunk
// before the next chunk: a chunk's bars (10 symbols x 1,024 timestamps, with their indicator
// columns) stay in the L2 cache while every combination of a block runs over them. The chunk
// size is fixed: the order in which trades add up depends on it, and results must not depend
// on anything but the inputs.
inline constexpr std::size_t kTimelineChunk = 1024;

struct ReplayData {
    const std::vector<SymbolBars>* symbols = nullptr;  // validated (io/validation), not owned
    Timeline timeline;
    double periods_per_year = 252.0;
    std::size_t total_bars = 0;
    // Per symbol: the first bar of each chunk, and the bar count at the end (chunks + 1 entries).
    std::vector<std::vector<std::uint32_t>> chunk_first_bar;
    // A window of a recording read a part at a time (engine/replay/bar_windows.h): bar i of
    // symbol s here is bar bar_offset[s] + i of the whole recording, whose last bar is
    // last_bar[s]. Empty when the bars are the whole recording. total_bars and
    // periods_per_year are then the whole recording's.
    std::vector<std::size_t> bar_offset;
    std::vector<std::size_t> last_bar;

    std::size_t chunk_count() const { return (timeline.size() + kTimelineChunk - 1) / kTimelineChunk; }
};

// `periods_per_year`: nothing infers it from the timeline (timeline.h). With `replay_from`, the
// timeline holds only the timestamps from it on: replays trade and mark their equity from there,
// while the bars before it still feed the indicators (a walk-forward window, warmed up).
ReplayData prepare_replay_data(const std::vector<SymbolBars>& symbols, std::optional<double> periods_per_year,
                               std::optional<TimestampNs> replay_from = std::nullopt);

}  // namespace tapegrid
