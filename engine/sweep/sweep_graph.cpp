// The sweep's flow graph.
#include "engine/sweep/sweep_graph.h"

#include <tbb/flow_graph.h>
#include <tbb/global_control.h>

#include <chrono>
#include <exception>
#include <thread>

#include "engine/replay/group_series.h"
#include "engine/replay/lane_block.h"
#include "engine/sweep/indicator_cache.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

struct TaskRows {
    std::size_t task = 0;
    std::vector<SweepRow> rows;
    bool local = true;  // run by this process's graph (not another process's)
    // Per row, its S block sums then its S block sums of squares (empty: not kept).
    std::vector<double> block_returns;
};

ReturnBlocking return_blocking(const ReplayData& data, std::size_t blocks) {
    return {data.timeline.size() > 0 ? data.timeline.size() - 1 : 0, blocks};
}

// Runs `task`'s combinations, kNativeLanes at a time (the plan's blocks of kSweepLanes split in
// two on an AVX2 machine: the same rows, at the register width), over every chunk of the
// timeline; the chunk's bars are reused by every block of the task while they are in cache.
template <class Strategy, class SeriesOf>
std::vector<SweepRow> replay_task(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                                  const SweepTask& task, SeriesOf&& series_of, std::size_t max_chunks,
                                  const ReturnBlocking& blocking = {}, std::vector<double>* block_returns = nullptr) {
    constexpr int L = kNativeLanes;
    constexpr auto kLanes = static_cast<std::size_t>(L);
    const SweepGroup& group = plan.groups[task.group];
    std::vector<ParamSet> params(task.count);
    for (std::size_t i = 0; i < task.count; ++i) grid.fill(group.combinations[task.first + i], params[i]);
    std::vector<const ParamSet*> pointers(task.count);
    for (std::size_t i = 0; i < task.count; ++i) pointers[i] = &params[i];
    const std::size_t symbols = data.symbols->size();
    const auto columns = assemble_columns<Strategy>(params[0], symbols, series_of);
    std::vector<LaneBlock<Strategy, L>> blocks;
    blocks.reserve((task.count + kLanes - 1) / kLanes);
    for (std::size_t first = 0; first < task.count; first += kLanes)
        blocks.emplace_back(
            std::span<const ParamSet* const>(pointers.data() + first, std::min(kLanes, task.count - first)), symbols,
            blocking);
    std::vector<typename Lanes<L>::Doubles> changes(kTimelineChunk);
    NullTradeSink sink;
    const std::size_t chunks = std::min(max_chunks, data.chunk_count());
    for (std::size_t chunk = 0; chunk < chunks; ++chunk)
        for (auto& block : blocks) block.run_chunk(data, columns, chunk, changes.data(), sink);
    std::vector<SweepRow> rows;
    rows.reserve(task.count);
    for (std::size_t b = 0; b < blocks.size(); ++b)
        for (int lane = 0; lane < blocks[b].active_lanes(); ++lane)
            rows.push_back({group.combinations[task.first + b * kLanes + static_cast<std::size_t>(lane)],
                            blocks[b].metrics(lane, data)});
    if (block_returns != nullptr && blocking.blocks > 0) {
        block_returns->reserve(task.count * 2 * blocking.blocks);
        for (auto& block : blocks)
            for (int lane = 0; lane < block.active_lanes(); ++lane) block.block_returns(lane, *block_returns);
    }
    return rows;
}

// The two nodes every sweep graph runs a task through, in parallel: its group's indicator
// series made sure of (indicators), then its lane blocks over the whole timeline (replays).
struct ReplayStages {
    tbb::flow::function_node<std::size_t, std::size_t> indicators;
    tbb::flow::function_node<std::size_t, TaskRows> replays;

    ReplayStages(tbb::flow::graph& graph, IndicatorCache& cache, const ReplayData& data, const ParameterGrid& grid,
                 const SweepPlan& plan, std::size_t return_blocks = 0)
        : indicators(graph, tbb::flow::unlimited,
                     [&cache, &plan](std::size_t task) {
                         for (const auto& key : plan.groups[plan.tasks[task].group].keys) cache.acquire(key);
                         return task;
                     }),
          replays(graph, tbb::flow::unlimited, [&cache, &data, &grid, &plan, return_blocks](std::size_t index) {
              const SweepTask& task = plan.tasks[index];
              const auto series_of = [&](const IndicatorKey& key) -> const SymbolSeries& { return cache.acquire(key); };
              TaskRows rows{index, {}, true, {}};
              rows.rows = with_strategy(grid.strategy().name, [&](auto tag) {
                  return replay_task<decltype(tag)>(data, grid, plan, task, series_of, static_cast<std::size_t>(-1),
                                                    return_blocking(data, return_blocks), &rows.block_returns);
              });
              for (const auto& key : plan.groups[task.group].keys) cache.release(key);
              return rows;
          }) {
        tbb::flow::make_edge(indicators, replays);
    }
};

}  // namespace

double measure_bar_evaluations_per_second(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                                          std::size_t max_chunks) {
    if (plan.tasks.empty()) return 0.0;
    const std::size_t chunks = std::min<std::size_t>(max_chunks, data.chunk_count());
    if (chunks < data.chunk_count()) {
        // The first chunks' bars, copied: their series cost a few chunks' work, not the whole
        // recording's (a 50-million-bar recording would compute its series twice).
        std::vector<SymbolBars> prefix;
        prefix.reserve(data.symbols->size());
        for (std::size_t s = 0; s < data.symbols->size(); ++s)
            prefix.push_back((*data.symbols)[s].first_rows(data.chunk_first_bar[s][chunks]));
        const std::optional<TimestampNs> from =
            data.timeline.size() > 0 ? std::optional(data.timeline.timestamps.front()) : std::nullopt;
        const ReplayData sample = prepare_replay_data(prefix, data.periods_per_year, from);
        return measure_bar_evaluations_per_second(sample, grid, plan, sample.chunk_count());
    }
    const SweepTask& task = plan.tasks.front();
    OwnedSeries series(*data.symbols);
    for (const auto& key : plan.groups[task.group].keys) series(key);  // computed before the clock starts
    const auto start = std::chrono::steady_clock::now();
    with_strategy(grid.strategy().name,
                  [&](auto tag) { return replay_task<decltype(tag)>(data, grid, plan, task, series, chunks); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double evaluations = static_cast<double>(task.count) * static_cast<double>(data.total_bars);
    return evaluations / std::max(seconds, 1e-9);
}

void take_task_rows(std::size_t task, const std::vector<SweepRow>& rows, const std::vector<double>& block_returns,
                    std::uint64_t total_bars, bool count_evaluations, RowSink& sink, const SweepRunOptions& options,
                    TopRows& top, SweepRunResult& result) {
    sink.write(rows);
    if (options.block_returns) {
        if (block_returns.empty()) result.block_returns_complete = false;
        options.block_returns(block_returns);
    }
    result.rows += rows.size();
    ++result.tasks;
    if (options.progress != nullptr) {
        options.progress->rows += rows.size();
        if (count_evaluations) options.progress->bar_evaluations += rows.size() * total_bars;
        ++options.progress->tasks;
    }
    for (const auto& row : rows) top.add(row);
    if (options.after_task) options.after_task(task + 1, sink.position(), top);
}

SweepRunResult run_sweep(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan, const RankSpec& rank,
                         RowSink& sink, const SweepRunOptions& options) {
    namespace flow = tbb::flow;
    const auto started = std::chrono::steady_clock::now();
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                std::max<std::size_t>(1, options.threads));
    IndicatorCache cache(plan, *data.symbols, options.carried_series);
    TopRows top(rank);
    if (options.reference) top.set_reference(*options.reference);
    if (options.ranking) top.restore(*options.ranking);
    SweepRunResult result;
    std::size_t next_task = options.first_task;

    flow::graph graph;
    // Tasks in plan order (or as a shared sweep hands them out), until they run out or the user stops.
    flow::input_node<std::size_t> task_source(graph, [&](tbb::flow_control& control) -> std::size_t {
        if (options.stop != nullptr && options.stop->load()) {
            control.stop();
            return 0;
        }
        if (options.next_task) {
            if (const auto task = options.next_task()) return *task;
            control.stop();
            return 0;
        }
        if (next_task >= plan.tasks.size()) {
            control.stop();
            return 0;
        }
        return next_task++;
    });
    // At most a few tasks per thread in flight: memory stays bounded whatever the grid's size.
    flow::limiter_node<std::size_t> limiter(graph, 2 * std::max<std::size_t>(1, options.threads) + 2);
    ReplayStages stages(graph, cache, data, grid, plan, options.return_blocks);
    flow::sequencer_node<TaskRows> sequencer(graph,
                                             [&](const TaskRows& rows) { return rows.task - options.first_task; });
    // Writing, ranking and the checkpoint's bookkeeping in one serial node, in the sequencer's
    // order. Not a serial writer node followed by a ranking node: a serial function_node starts
    // its next body before it passes the current output on (oneTBB's apply_body_impl_bypass), so
    // its successor can receive task k+1 before task k, and a checkpoint would then describe
    // fewer rows than were written.
    using SinkNode = flow::multifunction_node<TaskRows, std::tuple<flow::continue_msg>>;
    SinkNode sink_node(graph, flow::serial, [&](const TaskRows& rows, SinkNode::output_ports_type& ports) {
        take_task_rows(rows.task, rows.rows, rows.block_returns, data.total_bars, true, sink, options, top, result);
        // Only this process's own tasks free a place in the limiter.
        if (rows.local) std::get<0>(ports).try_put(flow::continue_msg());
    });

    flow::make_edge(task_source, limiter);
    flow::make_edge(limiter, stages.indicators);
    flow::make_edge(stages.replays, sequencer);
    flow::make_edge(sequencer, sink_node);
    flow::make_edge(flow::output_port<0>(sink_node), limiter.decrementer());

    // Other processes' rows enter the sequencer from a thread of their own; the graph waits for
    // that thread as for a node of its own.
    std::thread receiver;
    std::exception_ptr receiver_error;
    if (options.remote_rows) {
        graph.reserve_wait();
        receiver = std::thread([&] {
            try {
                options.remote_rows(
                    [&](std::size_t task, std::vector<SweepRow>&& rows, std::vector<double>&& block_returns) {
                        sequencer.try_put(TaskRows{task, std::move(rows), false, std::move(block_returns)});
                    });
            } catch (...) {
                receiver_error = std::current_exception();
            }
            graph.release_wait();
        });
    }
    task_source.activate();
    graph.wait_for_all();
    if (receiver.joinable()) receiver.join();
    if (receiver_error) std::rethrow_exception(receiver_error);

    result.interrupted = options.first_task + result.tasks < plan.tasks.size();
    result.top = top.best();
    result.ranked_rows = top.ranked_rows();
    result.reference_rank = top.reference_rank();
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::uint64_t run_sweep_tasks(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                              std::size_t threads, const std::function<std::optional<std::size_t>()>& next_task,
                              const TaskSender& send, const std::atomic<bool>* stop, std::size_t return_blocks) {
    namespace flow = tbb::flow;
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, std::max<std::size_t>(1, threads));
    IndicatorCache cache(plan, *data.symbols);
    std::uint64_t ran = 0;
    flow::graph graph;
    flow::input_node<std::size_t> task_source(graph, [&](tbb::flow_control& control) -> std::size_t {
        const auto task = stop != nullptr && stop->load() ? std::nullopt : next_task();
        if (!task) {
            control.stop();
            return 0;
        }
        return *task;
    });
    flow::limiter_node<std::size_t> limiter(graph, 2 * std::max<std::size_t>(1, threads) + 2);
    ReplayStages stages(graph, cache, data, grid, plan, return_blocks);
    flow::function_node<TaskRows, flow::continue_msg> send_node(graph, flow::serial, [&](const TaskRows& rows) {
        send(rows.task, rows.rows, rows.block_returns);
        ++ran;
        return flow::continue_msg();
    });
    flow::make_edge(task_source, limiter);
    flow::make_edge(limiter, stages.indicators);
    flow::make_edge(stages.replays, send_node);
    flow::make_edge(send_node, limiter.decrementer());
    task_source.activate();
    graph.wait_for_all();
    return ran;
}

}  // namespace tapegrid
