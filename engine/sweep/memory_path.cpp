// Choosing between the in-memory and the windowed sweep.
#include "engine/sweep/memory_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/system_memory.h"
#include "engine/sweep/sweep_plan.h"
#include "engine/sweep/windowed_sweep.h"
#include "strategies/registry.h"

namespace tapegrid {

std::uint64_t default_memory_limit() {
    const std::uint64_t memory = physical_memory_bytes();
    return memory > 0 ? memory / 2 : std::uint64_t{8} << 30;
}

namespace {

struct SeriesCount {
    std::size_t distinct = 0;   // over the grid
    std::size_t per_group = 0;  // the most one combination reads
};

// The series of the grid's combinations of shaping axes, constraints not applied (an upper
// bound), without walking the grid: a grid too large to run is refused later, and must not
// take long to refuse. Beyond kEnumerated shaping combinations, each is counted as new.
SeriesCount count_series(const ParameterGrid& grid) {
    constexpr std::uint64_t kEnumerated = 100'000;
    const std::uint64_t shaping = grid.size() / std::max<std::uint64_t>(1, grid.inner_size());
    return with_strategy(grid.strategy().name, [&](auto tag) {
        using Strategy = decltype(tag);
        SeriesCount count;
        count.per_group = Strategy::kSeriesCount;
        if (shaping > kEnumerated) {
            count.distinct = static_cast<std::size_t>(
                std::min<std::uint64_t>(shaping * Strategy::kSeriesCount, std::uint64_t{1} << 30));
            return count;
        }
        std::set<IndicatorKey> keys;
        ParamSet params = grid.base();
        for (std::uint64_t k = 0; k < shaping; ++k) {
            grid.fill(k * grid.inner_size(), params);
            for (const auto& key : Strategy::indicators(params)) keys.insert(key);
        }
        count.distinct = keys.size();
        return count;
    });
}

}  // namespace

MemoryPath choose_memory_path(const SweepSpec& spec, const InputSize& input, std::size_t threads, std::uint64_t limit,
                              std::optional<std::uint64_t> forced_window) {
    MemoryPath path;
    path.limit_bytes = limit;
    const SeriesCount series = count_series(*spec.grid);
    const std::size_t in_flight = 2 * std::max<std::size_t>(1, threads) + 2;  // run_sweep's limiter
    const std::size_t live_series = std::min(series.distinct, in_flight * series.per_group);
    // Columns; each bar's place on the timeline and a timestamp at most per bar; the live series.
    path.in_memory_bytes = input.column_bytes + input.bars * (sizeof(std::uint32_t) + sizeof(TimestampNs)) +
                           input.bars * live_series * sizeof(double);
    const std::size_t window_series = std::max<std::size_t>(1, series.distinct);
    if (forced_window) {
        path.windowed = true;
        path.window_timestamps = std::max<std::uint64_t>(
            kTimelineChunk, (*forced_window + kTimelineChunk - 1) / kTimelineChunk * kTimelineChunk);
        path.reason = fmt::format("read in windows of {} timestamps (--window-timestamps)", path.window_timestamps);
    } else if (path.in_memory_bytes > limit) {
        path.windowed = true;
        path.window_timestamps = window_timestamps_within(limit / 2, input.symbols, window_series);
        path.reason = fmt::format(
            "read in windows of {} timestamps: in memory the recordings and their series would take {}, above "
            "the memory limit of {} (--memory-limit)",
            path.window_timestamps, human_bytes(static_cast<double>(path.in_memory_bytes)),
            human_bytes(static_cast<double>(limit)));
    } else {
        path.reason = fmt::format("in memory: {} of the memory limit of {} (--memory-limit)",
                                  human_bytes(static_cast<double>(path.in_memory_bytes)),
                                  human_bytes(static_cast<double>(limit)));
    }
    return path;
}

std::uint64_t parse_byte_size(const std::string& text, const std::string& option) {
    std::size_t used = 0;
    double number = 0.0;
    try {
        number = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    std::string unit = text.substr(used);
    if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
    if (unit.size() == 2 && (unit.back() == 'i')) unit.pop_back();  // GiB, MiB: the same powers of 2
    double scale = 0.0;
    if (unit.empty())
        scale = 1.0;
    else if (unit == "K" || unit == "k")
        scale = 1024.0;
    else if (unit == "M" || unit == "m")
        scale = 1024.0 * 1024.0;
    else if (unit == "G" || unit == "g")
        scale = 1024.0 * 1024.0 * 1024.0;
    else if (unit == "T" || unit == "t")
        scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
    const double bytes = number * scale;
    if (used == 0 || scale == 0.0 || !std::isfinite(bytes) || bytes < 1.0 || bytes > 1e18)
        throw UserError(fmt::format("{}: expected a size such as 8G, 512M or 1.5GiB (powers of 1024), found '{}'",
                                    option, printable(text)));
    return static_cast<std::uint64_t>(bytes);
}

}  // namespace tapegrid
