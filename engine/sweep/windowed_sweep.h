// Sweeps and replays of a recording read a window at a time (engine/replay/bar_windows.h): any
// length in bounded memory, with the rows the whole recording in memory gives, bit for bit.
//
// The in-memory graph runs each task over the whole timeline, then the next task; here every
// task runs over one window, then every task over the next: each task's lane blocks (positions,
// trade totals, equity figures) carry from window to window, and a lane block sees the same
// chunks in the same order as in memory. The rows exist once the last window has run; they
// are then written, ranked and passed on in task order as the graph does.
#pragma once

#include <atomic>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/core/metrics.h"
#include "engine/replay/bar_windows.h"
#include "engine/replay/replay_result.h"
#include "engine/sweep/sweep_graph.h"

namespace tapegrid {

// The recording's original parameters, replayed in the same pass and ranked among the rows.
struct WindowedReference {
    ParamSet params;
    std::uint64_t combination = UINT64_MAX;  // its grid index, or one no row has
    ReplayMetrics metrics;                   // out
};

// Runs every task of `plan` over the windows of `source` on options.threads threads (the tasks
// of a window in parallel), then takes their rows in task order as run_sweep does. Resuming
// (options.first_task, ranking) and sharing with other processes are not supported: the rows
// exist only once the last window has run. `stop` is checked between windows; a stopped run
// writes nothing and says interrupted.
SweepRunResult run_windowed_sweep(BarWindowSource& source, double periods_per_year, const ParameterGrid& grid,
                                  const SweepPlan& plan, const RankSpec& rank, RowSink& sink,
                                  const SweepRunOptions& options, WindowedReference* reference = nullptr);

// Replays of `params` over the windows, with their trades, as run_replay gives them over the
// whole recording; the first one's per-bar returns are appended to `first_returns` when given.
std::vector<ReplayResult> replay_windowed(BarWindowSource& source, double periods_per_year,
                                          std::string_view strategy_name, const std::vector<ParamSet>& params,
                                          std::size_t threads, std::vector<double>* first_returns = nullptr);

// The bytes one timestamp of a window may need, with `symbols` symbols and `series` indicator
// series: at most a bar per symbol, each with its columns (time, prices, volume), its place on
// the timeline and a value per series, and the timestamp itself.
std::uint64_t window_bytes_per_timestamp(std::size_t symbols, std::size_t series);

// The longest window (a whole number of chunks, at least one) whose bars and series fit in
// `bytes`.
std::uint64_t window_timestamps_within(std::uint64_t bytes, std::size_t symbols, std::size_t series);

}  // namespace tapegrid
