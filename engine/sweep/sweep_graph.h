// Runs a planned sweep on a TBB flow graph: indicator series, replays, ranking and the writer.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "engine/replay/replay_data.h"
#include "engine/sweep/ranking.h"
#include "engine/sweep/sweep_plan.h"

namespace tapegrid {

// Where every row goes, in task order, from one thread at a time (io/results implements it).
class RowSink {
  public:
    virtual ~RowSink() = default;
    virtual void write(const std::vector<SweepRow>& rows) = 0;
    // Where the output stands once everything written so far is on its way to disk (bytes of
    // results.csv): what a checkpoint records, to cut the output back to on resume.
    virtual std::uint64_t position() { return 0; }
};

struct SweepProgress {
    std::atomic<std::uint64_t> rows{0};
    std::atomic<std::uint64_t> bar_evaluations{0};
    std::atomic<std::uint64_t> tasks{0};
};

struct SweepRunOptions {
    std::size_t threads = 1;
    const std::atomic<bool>* stop = nullptr;  // set (Ctrl-C): no new task starts; running ones finish
    SweepProgress* progress = nullptr;
    std::optional<SweepRow> reference;  // the recording's original parameters, to rank
    // Resuming: the tasks before first_task are done and written, and the ranking stood so.
    std::size_t first_task = 0;
    std::optional<TopRows::State> ranking;
    // Called in task order once a task's rows are written and ranked, with the tasks done so
    // far (counting the resumed ones), the sink's position after them and the ranking: where
    // a checkpoint is taken.
    std::function<void(std::uint64_t tasks_done, std::uint64_t position, const TopRows& ranking)> after_task;
    // Cut every combination's returns into this many blocks and pass, in task order before
    // after_task, each task's per-row block sums and sums of squares (row-major: a row's S sums,
    // then its S sums of squares) to `block_returns`: the matrix of the probability of backtest
    // overfitting (engine/sweep/backtest_overfitting.h). Rows that ran in another process come
    // with none (an empty vector).
    std::size_t return_blocks = 0;
    // Series kept across runs of the graph (engine/sweep/indicator_cache.h): a search's batches.
    std::map<IndicatorKey, std::vector<std::vector<double>>>* carried_series = nullptr;
    std::function<void(const std::vector<double>& sums_and_squares)> block_returns;

    // A sweep shared with other processes (engine/distributed): `next_task` hands out this
    // process's tasks instead of the plan's order (nothing: none left for it), and `remote_rows`
    // runs on a thread of its own while the graph runs, passing the rows of the tasks other
    // processes ran to `deliver` (any order, one call at a time), and returns once no more will
    // come. Rows still reach the sink, the ranking and after_task in task order.
    std::function<std::optional<std::size_t>()> next_task;
    // With their block returns when this sweep keeps them (return_blocks > 0).
    using Deliver =
        std::function<void(std::size_t task, std::vector<SweepRow>&& rows, std::vector<double>&& block_returns)>;
    std::function<void(const Deliver& deliver)> remote_rows;
};

struct SweepRunResult {
    bool interrupted = false;
    std::uint64_t rows = 0;              // written by this run (a resumed run counts its own only)
    std::uint64_t tasks = 0;             // likewise
    std::vector<SweepRow> top;           // best first
    std::uint64_t ranked_rows = 0;       // rows that passed the filters
    std::uint64_t reference_rank = 0;    // 0 when there is no reference
    bool block_returns_complete = true;  // every task this run wrote came with its block returns
    double wall_seconds = 0.0;
};

// Takes one task's rows as the graph's sink node does, in task order: writes them to `sink`,
// passes their block returns on, counts them (and their bar evaluations, when
// `count_evaluations`) in the progress, ranks them and calls after_task. What the windowed
// sweep (engine/sweep/windowed_sweep.h) shares with the graph.
void take_task_rows(std::size_t task, const std::vector<SweepRow>& rows, const std::vector<double>& block_returns,
                    std::uint64_t total_bars, bool count_evaluations, RowSink& sink, const SweepRunOptions& options,
                    TopRows& top, SweepRunResult& result);

// The graph, as it reads (sweep_graph.cpp builds it top to bottom):
//   task_source -> limiter -> indicators -> replays -> sequencer -> sink_node
//                    ^------------------- one task done -------------------'
// indicators makes sure the task's group's series exist (each computed once, in
// parallel over symbols); replays runs the task's lane blocks chunk by chunk; the
// sequencer restores task order, so rows are written and ranked the same way at any thread
// count; the sink node writes them, keeps the top K and calls after_task (checkpoints), in
// one serial body so that a checkpoint never runs ahead of or behind the rows written; the
// limiter bounds the tasks in flight, so memory does not grow with the grid.
SweepRunResult run_sweep(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan, const RankSpec& rank,
                         RowSink& sink, const SweepRunOptions& options);

// A helper process's part of a shared sweep: runs the tasks `next_task` hands out, on
// `threads` threads, until it hands out nothing or `stop` is set, and passes each task's rows to
// `send` (one call at a time, in the order tasks finish), with their block returns when
// `return_blocks` > 0 (SweepRunOptions). Returns the tasks it ran.
using TaskSender =
    std::function<void(std::size_t task, const std::vector<SweepRow>& rows, const std::vector<double>& block_returns)>;
std::uint64_t run_sweep_tasks(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                              std::size_t threads, const std::function<std::optional<std::size_t>()>& next_task,
                              const TaskSender& send, const std::atomic<bool>* stop, std::size_t return_blocks = 0);

// The single-thread replay speed of the plan's first task over a few chunks (its series
// computed beforehand): what the plan's time estimate scales from.
double measure_bar_evaluations_per_second(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                                          std::size_t chunks = 4);

}  // namespace tapegrid
