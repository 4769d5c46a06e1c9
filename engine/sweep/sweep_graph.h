// Runs a planned sweep on a TBB flow graph: indicator series, replays, ranking and the writer.
#pragma once

#include <atomic>
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
};

struct SweepRunResult {
    bool interrupted = false;
    std::uint64_t rows = 0;
    std::uint64_t tasks = 0;
    std::vector<SweepRow> top;         // best first
    std::uint64_t ranked_rows = 0;     // rows that passed the filters
    std::uint64_t reference_rank = 0;  // 0 when there is no reference
    double wall_seconds = 0.0;
};

// The graph, as it reads (sweep_graph.cpp builds it top to bottom):
//   task_source -> limiter -> indicator_node -> replay_node -> sequencer -> writer_node
//                                                                        \-> rank_node
// indicator_node makes sure the task's group's series exist (each computed once, in
// parallel over symbols); replay_node runs the task's lane blocks chunk by chunk; the
// sequencer restores task order, so rows reach the writer and the ranking the same way at any
// thread count; the limiter bounds the tasks in flight, so memory does not grow with the grid.
SweepRunResult run_sweep(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan, const RankSpec& rank,
                         RowSink& sink, const SweepRunOptions& options);

// Replays one task of the plan and returns its rows (what replay_node does), for callers that
// run tasks elsewhere: a calibration run, a test, another process.
std::vector<SweepRow> run_sweep_task(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                                     const SweepTask& task, std::size_t max_chunks = static_cast<std::size_t>(-1));

// The single-thread replay speed of the plan's first task over a few chunks (its series
// computed beforehand): what the plan's time estimate scales from.
double measure_bar_evaluations_per_second(const ReplayData& data, const ParameterGrid& grid, const SweepPlan& plan,
                                          std::size_t chunks = 4);

}  // namespace tapegrid
