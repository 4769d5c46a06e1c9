// The windowed sweep: every task over a window, window after window, lane state carried between.
#include "engine/sweep/windowed_sweep.h"

#include <malloc.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <set>

#include "engine/core/errors.h"
#include "engine/replay/group_series.h"
#include "engine/replay/lane_block.h"
#include "engine/replay/replay_runner.h"
#include "engine/replay/trade_recorder.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

// One task's combinations and their lane blocks, kept from window to window.
template <class Strategy, int L>
struct TaskLanes {
    std::vector<ParamSet> params;
    std::vector<LaneBlock<Strategy, L>> blocks;
};

template <class Strategy, int L>
TaskLanes<Strategy, L> make_task_lanes(const ParameterGrid& grid, const SweepGroup& group, const SweepTask& task,
                                       std::size_t symbols, const ReturnBlocking& blocking) {
    constexpr auto kLanes = static_cast<std::size_t>(L);
    TaskLanes<Strategy, L> lanes;
    lanes.params.resize(task.count);
    for (std::size_t i = 0; i < task.count; ++i) grid.fill(group.combinations[task.first + i], lanes.params[i]);
    std::vector<const ParamSet*> pointers(task.count);
    for (std::size_t i = 0; i < task.count; ++i) pointers[i] = &lanes.params[i];
    lanes.blocks.reserve((task.count + kLanes - 1) / kLanes);
    for (std::size_t first = 0; first < task.count; first += kLanes)
        lanes.blocks.emplace_back(
            std::span<const ParamSet* const>(pointers.data() + first, std::min(kLanes, task.count - first)), symbols,
            blocking);
    return lanes;
}

// Runs `blocks` over every chunk of the walker's window.
template <class Strategy, int L, class Sink>
void run_window(const WindowWalker& walker, const ParamSet& group_params, std::vector<LaneBlock<Strategy, L>>& blocks,
                Sink& sink) {
    const ReplayData& data = walker.data();
    const auto columns = assemble_columns<Strategy>(group_params, data.symbols->size(), walker.series());
    std::vector<typename Lanes<L>::Doubles> changes(kTimelineChunk);
    for (std::size_t chunk = 0; chunk < data.chunk_count(); ++chunk)
        for (auto& block : blocks) block.run_chunk(data, columns, chunk, changes.data(), sink);
}

template <class Strategy>
SweepRunResult windowed_sweep(BarWindowSource& source, double periods_per_year, const ParameterGrid& grid,
                              const SweepPlan& plan, const RankSpec& rank, RowSink& sink,
                              const SweepRunOptions& options, WindowedReference* reference) {
    constexpr int L = kNativeLanes;
    const auto started = std::chrono::steady_clock::now();
    const WindowLayout& layout = source.layout();
    const std::size_t symbols = layout.symbols.size();
    std::vector<IndicatorKey> keys = plan.distinct_series;
    if (reference != nullptr)
        for (const auto& key : Strategy::indicators(reference->params))
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    WindowWalker walker(source, keys, periods_per_year);
    const ReturnBlocking blocking{walker.returns(), options.return_blocks};

    std::vector<TaskLanes<Strategy, L>> tasks;
    tasks.reserve(plan.tasks.size());
    for (const SweepTask& task : plan.tasks)
        tasks.push_back(make_task_lanes<Strategy, L>(grid, plan.groups[task.group], task, symbols, blocking));
    std::vector<LaneBlock<Strategy, kSingleLanes>> original;
    if (reference != nullptr) {
        const ParamSet* sets[] = {&reference->params};
        original.emplace_back(sets, symbols);
    }

    SweepRunResult result;
    std::uint64_t combinations = 0;
    for (const SweepTask& task : plan.tasks) combinations += task.count;
    while (true) {
        if (options.stop != nullptr && options.stop->load()) {
            result.interrupted = true;
            break;
        }
        if (!walker.next()) break;
        tbb::parallel_for(std::size_t{0}, tasks.size() + original.size(), [&](std::size_t t) {
            NullTradeSink none;
            if (t < tasks.size())
                run_window<Strategy, L>(walker, tasks[t].params[0], tasks[t].blocks, none);
            else
                run_window<Strategy, kSingleLanes>(walker, reference->params, original, none);
        });
        if (options.progress != nullptr) {
            std::uint64_t window_bars = 0;
            for (std::size_t s = 0; s < symbols; ++s)
                window_bars += walker.data().chunk_first_bar[s].back() - walker.data().chunk_first_bar[s].front();
            options.progress->bar_evaluations += window_bars * combinations;
        }
    }
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (result.interrupted) return result;

    // The whole recording's figures (a window's ReplayData carries its total_bars and periods per year).
    ReplayData whole;
    whole.total_bars = static_cast<std::size_t>(layout.total_bars());
    whole.periods_per_year = periods_per_year;
    TopRows top(rank);
    if (reference != nullptr) {
        reference->metrics = original.front().metrics(0, whole);
        top.set_reference(SweepRow{reference->combination, reference->metrics});
    }
    constexpr auto kLanes = static_cast<std::size_t>(L);
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const SweepTask& task = plan.tasks[t];
        const SweepGroup& group = plan.groups[task.group];
        std::vector<SweepRow> rows;
        std::vector<double> block_returns;
        for (std::size_t b = 0; b < tasks[t].blocks.size(); ++b) {
            const auto& block = tasks[t].blocks[b];
            for (int lane = 0; lane < block.active_lanes(); ++lane) {
                rows.push_back({group.combinations[task.first + b * kLanes + static_cast<std::size_t>(lane)],
                                block.metrics(lane, whole)});
                if (blocking.blocks > 0) block.block_returns(lane, block_returns);
            }
        }
        tasks[t].blocks.clear();  // its lane state is in the rows now
        take_task_rows(t, rows, block_returns, whole.total_bars, false, sink, options, top, result);
    }
    result.top = top.best();
    result.ranked_rows = top.ranked_rows();
    result.reference_rank = top.reference_rank();
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

template <class Strategy>
std::vector<ReplayResult> windowed_replays(BarWindowSource& source, double periods_per_year,
                                           std::string_view strategy_name, const std::vector<ParamSet>& params,
                                           std::vector<double>* first_returns) {
    const WindowLayout& layout = source.layout();
    const std::size_t symbols = layout.symbols.size();
    std::vector<IndicatorKey> keys;
    for (const ParamSet& set : params) {
        check_warm_up(strategy_name, layout.symbols, layout.bars, set);
        for (const auto& key : Strategy::indicators(set))
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    WindowWalker walker(source, keys, periods_per_year);
    // One single-lane block per replay, each in a vector of its own for run_window.
    std::vector<std::vector<LaneBlock<Strategy, kSingleLanes>>> blocks(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const ParamSet* sets[] = {&params[i]};
        blocks[i].emplace_back(sets, symbols);
    }
    if (first_returns != nullptr && !blocks.empty()) blocks.front().front().record_returns(first_returns);
    std::vector<TradeRecorder> recorders;
    while (walker.next()) {
        if (recorders.empty())
            for (std::size_t i = 0; i < params.size(); ++i) recorders.emplace_back(walker.data());
        tbb::parallel_for(std::size_t{0}, params.size(), [&](std::size_t i) {
            recorders[i].set_window(walker.data());
            run_window<Strategy, kSingleLanes>(walker, params[i], blocks[i], recorders[i]);
        });
    }
    ReplayData whole;
    whole.total_bars = static_cast<std::size_t>(layout.total_bars());
    whole.periods_per_year = periods_per_year;
    std::vector<ReplayResult> results(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        ReplayResult& result = results[i];
        result.strategy_name = std::string(strategy_name);
        result.params = params[i];
        result.metrics = blocks[i].front().metrics(0, whole);
        if (!recorders.empty()) result.trades = std::move(recorders[i].trades());
        sort_trades(result.trades);
    }
    return results;
}

// A window's columns and series are allocated anew for every window, tens of MB each. glibc
// raises its mmap threshold to the size of the largest block freed (up to 32 MB), after which
// such blocks come from its arenas, one per thread, and freed ones stay there, fragmented: a
// billion-bar sweep grew 4.7 GB above its windows that way. A fixed threshold keeps every large
// block a mapping of its own, returned to the system when freed.
void map_large_blocks() {
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

}  // namespace

SweepRunResult run_windowed_sweep(BarWindowSource& source, double periods_per_year, const ParameterGrid& grid,
                                  const SweepPlan& plan, const RankSpec& rank, RowSink& sink,
                                  const SweepRunOptions& options, WindowedReference* reference) {
    if (options.first_task != 0 || options.ranking || options.next_task || options.remote_rows)
        throw InternalError("run_windowed_sweep: resuming and sharing are not supported");
    map_large_blocks();
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                std::max<std::size_t>(1, options.threads));
    return with_strategy(grid.strategy().name, [&](auto tag) {
        return windowed_sweep<decltype(tag)>(source, periods_per_year, grid, plan, rank, sink, options, reference);
    });
}

std::vector<ReplayResult> replay_windowed(BarWindowSource& source, double periods_per_year,
                                          std::string_view strategy_name, const std::vector<ParamSet>& params,
                                          std::size_t threads, std::vector<double>* first_returns) {
    map_large_blocks();
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, std::max<std::size_t>(1, threads));
    return with_strategy(strategy_name, [&](auto tag) {
        return windowed_replays<decltype(tag)>(source, periods_per_year, strategy_name, params, first_returns);
    });
}

std::uint64_t window_bytes_per_timestamp(std::size_t symbols, std::size_t series) {
    constexpr std::uint64_t kColumns = 6 * sizeof(double);      // time, open, high, low, close, volume
    constexpr std::uint64_t kPosition = sizeof(std::uint32_t);  // its place on the window's timeline
    const std::uint64_t per_bar = kColumns + kPosition + series * sizeof(double);
    return sizeof(TimestampNs) + static_cast<std::uint64_t>(symbols) * per_bar;
}

std::uint64_t window_timestamps_within(std::uint64_t bytes, std::size_t symbols, std::size_t series) {
    const std::uint64_t fit = bytes / window_bytes_per_timestamp(symbols, series);
    return std::max<std::uint64_t>(kTimelineChunk, fit / kTimelineChunk * kTimelineChunk);
}

}  // namespace tapegrid
