// A whole sweep from its spec and recordings: plan, checks, the flow graph, checkpoints, the best
// rows with their trades. Every front door (the CLI today; shards, MPI ranks, a server) calls this.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/core/trade.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_result.h"
#include "engine/sweep/memory_path.h"
#include "engine/sweep/sweep_checkpoint.h"
#include "engine/sweep/sweep_graph.h"
#include "engine/sweep/sweep_input.h"
#include "engine/sweep/sweep_plan.h"
#include "engine/sweep/sweep_shards.h"
#include "engine/sweep/sweep_spec.h"

namespace tapegrid {

// What a front door asks of a sweep beyond its spec.
struct SweepRequest {
    std::size_t threads = 1;
    bool force = false;                          // run a grid above spec.max_combinations
    std::optional<SweepCheckpoint> resume_from;  // carry on a stopped sweep
    std::optional<ShardSpec> shard;              // run only this shard's rows (engine/sweep/sweep_shards.h)
    // Replay from this timestamp on, the bars before it warming the indicators up (a walk-forward
    // train window).
    std::optional<TimestampNs> replay_from;
    // In memory, or a window at a time, and why (engine/sweep/memory_path.h): what the front
    // door chose when it opened the input; the plan reports it.
    MemoryPath memory;
};

// The whole sweep that a shard is a part of.
struct WholeSweep {
    std::uint64_t combinations = 0;
    std::uint64_t bar_evaluations = 0;
    std::vector<ShardRange> shards;  // every shard's rows, when sharded
};

// Where a sweep's results go (io/results/sweep_directory is the CLI's).
class SweepOutputs {
  public:
    virtual ~SweepOutputs() = default;
    // Receives every row in task order; when resuming, the rows before the checkpoint are there already.
    virtual RowSink& rows() = 0;
    // Everything written to rows() is on disk.
    virtual void close_rows() = 0;
    virtual void save_checkpoint(const SweepCheckpoint& checkpoint) = 0;
    // Receives every task's block returns (SweepRunOptions::block_returns), in task order; kept
    // in memory unless the outputs keep them elsewhere.
    virtual void write_block_returns(const std::vector<double>& sums_and_squares) {
        block_returns_.insert(block_returns_.end(), sums_and_squares.begin(), sums_and_squares.end());
    }
    // Every row's block returns written so far, a resumed run's earlier rows included where the
    // outputs kept them (row-major: a row's S sums, then its S sums of squares).
    virtual std::vector<double> read_block_returns() { return block_returns_; }

  private:
    std::vector<double> block_returns_;
};

// How a sweep is shared with other processes (engine/distributed/mpi_sweep does it over MPI):
// this process coordinates, runs tasks itself, and takes the others' rows.
class TaskSharing {
  public:
    virtual ~TaskSharing() = default;
    // This process's next task (nothing: none left, or the sweep is stopping).
    virtual std::optional<std::size_t> next_task() = 0;
    // Runs on a thread of its own while this process's graph runs: hands tasks to the other
    // processes and passes their rows to `deliver`; returns once every other process is done.
    virtual void serve(const SweepRunOptions::Deliver& deliver) = 0;
};

// A ranked row, with the parameters and trades users look at first.
struct RankedRow {
    SweepRow row;
    ParamSet params;
    std::vector<Trade> trades;
    // Its per-bar returns: kept for the first row only (the overfitting report's PSR), from the
    // same replay that gives its trades.
    std::vector<double> returns;
};

// One evaluation of a search, in the order they ran (trace.csv).
struct SearchTraceEntry {
    std::uint64_t evaluation = 0;  // 1, 2, ...
    std::uint64_t round = 0;       // the batch it was proposed in, from 1
    SweepRow row;
    bool ranked = false;           // passed min_trades and the filters
    std::optional<SweepRow> best;  // the best ranked row so far, this one included
};

// The recordings' original parameters, ranked among the grid's rows.
struct OriginalRow {
    ParamSet params;
    ReplayMetrics metrics;
    std::optional<std::uint64_t> combination;  // its grid index, when the grid holds it
    std::uint64_t rank = 0;
};

struct SweepOutcome {
    std::vector<RankedRow> top;  // best first
    std::optional<OriginalRow> original;
    std::uint64_t ranked_rows = 0;   // rows that passed the filters
    std::uint64_t rows_written = 0;  // in all, the resumed ones included
    std::uint64_t tasks_done = 0;    // likewise
    std::uint64_t rows_this_run = 0;
    std::size_t resumed_at_task = 0;
    bool interrupted = false;
    double wall_seconds = 0.0;
    double bar_evaluations_per_second = 0.0;  // this run's
    // Whether the best row is skill or luck; nothing when switched off, interrupted or no row ranked.
    std::optional<OverfittingReport> overfitting;
    std::vector<SearchTraceEntry> trace;  // a search's evaluations
};

class SweepRunner {
  public:
    // Checks that the sweep can run, then plans it, or throws UserError: a grid above the
    // combination limit without `force` (counted from its axes, before it is walked) or too large
    // to plan at all, a checkpoint taken by another sweep, no combination left after the
    // constraints, a symbol shorter than the longest warm-up. Then times a short calibration run.
    // `spec` must outlive the runner (it reads the grid and the ranking from it).
    SweepRunner(const SweepSpec& spec, SweepInput input, const SweepRequest& request);
    SweepRunner(const SweepRunner&) = delete;  // data_ points into input_
    SweepRunner& operator=(const SweepRunner&) = delete;

    const SweepSpec& spec() const { return spec_; }
    const SweepInput& input() const { return input_; }
    const ReplayData& data() const { return data_; }
    const SweepPlan& plan() const { return plan_; }
    std::size_t threads() const { return request_.threads; }
    const MemoryPath& memory() const { return request_.memory; }
    // Whether the recordings are read a window at a time (SweepInput::windows).
    bool windowed() const { return input_.windows != nullptr; }
    // The symbols side by side, in memory or windowed.
    std::size_t symbol_count() const {
        return input_.windows ? input_.windows->layout().symbols.size() : input_.symbols.size();
    }
    std::size_t blocks_per_task() const { return blocks_per_task_; }
    std::uint64_t fingerprint() const { return fingerprint_; }
    // Of the effective config and the recordings alone: equal in every shard of one sweep.
    std::uint64_t config_fingerprint() const { return config_fingerprint_; }
    const std::optional<ShardSpec>& shard() const { return request_.shard; }
    // The whole sweep (for a shard, plan() holds only its own rows).
    const WholeSweep& whole() const { return whole_; }
    double estimated_seconds() const { return estimated_seconds_; }
    // Whether this sweep searches the grid (random or Bayesian) rather than running all of it.
    bool searches() const { return spec_.search.method != SearchMethod::kGrid && !search_runs_grid_; }
    // What the plan says about the search (a budget that covers the grid runs the grid), or "".
    const std::string& search_note() const { return search_note_; }
    // The checkpoint this sweep resumes from, if it does.
    const std::optional<SweepCheckpoint>& resume_checkpoint() const { return request_.resume_from; }
    // Rows already written by the run this one resumes (0 for a fresh sweep).
    std::uint64_t rows_before() const { return request_.resume_from ? request_.resume_from->rows : 0; }

    // Runs the tasks not yet done into `outputs`, checkpointing at most every second and at the
    // end. `stop` (a signal) lets running tasks finish and starts no more: what ran is kept.
    // With `sharing`, the tasks are shared with other processes as it says (their rows are
    // written and ranked here, in task order, as if they had run here).
    SweepOutcome run(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress,
                     TaskSharing* sharing = nullptr) const;

    // A helper process of a shared sweep: runs the tasks `next_task` hands out and passes their
    // rows to `send`; writes nothing. Returns the tasks it ran.
    std::uint64_t run_tasks(const std::function<std::optional<std::size_t>()>& next_task, const TaskSender& send,
                            const std::atomic<bool>* stop) const;

    // Takes rows that ran elsewhere (the shards' results, in shard order) as this sweep's own:
    // writes them to `outputs`, ranks them, replays the best, and reports on overfitting from the
    // block returns the outputs were given (write_block_returns, in the rows' order) before. `next_batch` fills its
    // argument with the next rows and returns false after the last. Throws UserError when the rows are not exactly the
    // plan's, in its order (`source` names them in the message).
    using RowBatches = std::function<bool(std::vector<SweepRow>& rows)>;
    SweepOutcome adopt_rows(SweepOutputs& outputs, const RowBatches& next_batch) const;

  private:
    void refuse_oversized_grid() const;
    // Searches, resuming and walk-forward windows need every row before the last window: refused.
    void refuse_what_windows_cannot_do() const;
    // The plan's speed estimate from the first chunks' bars.
    double measure_first_window() const;
    // The whole timeline's length, in memory or read a window at a time.
    std::uint64_t timeline_size() const;
    // Replays of `params` with their trades, in memory or window by window; the first one's
    // per-bar returns into `first_returns`.
    std::vector<ReplayResult> replay(const std::vector<ParamSet>& params,
                                     std::vector<double>* first_returns = nullptr) const;
    SweepOutcome run_windowed(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress) const;
    // The checkpoint once `tasks_done` tasks are written, the output at `position`.
    SweepCheckpoint checkpoint_after(std::uint64_t tasks_done, std::uint64_t position, const TopRows& ranking) const;
    // What every run does once its graph (or its windows) ended: the top rows' trades, the
    // overfitting report of a whole sweep that ran to its end, the original's rank, the counts.
    void finish_run(SweepOutputs& outputs, const SweepRunResult& result, const SweepCheckpoint& latest,
                    std::size_t first_task, SweepOutcome& outcome) const;
    // The recordings' original parameters, without their metrics.
    std::optional<OriginalRow> original_params() const;
    void plan_search();
    // The options every run of the graph shares: threads, stop, progress, the original row to
    // rank, and the block returns sent to `outputs`.
    SweepRunOptions run_options(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress,
                                const std::optional<OriginalRow>& original) const;
    SweepOutcome run_search(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress) const;
    // PSR, DSR and PBO once every row ran, unless switched off or nothing ranked.
    void assess(SweepOutputs& outputs, bool block_returns_complete, std::uint64_t rows, SweepOutcome& outcome) const;
    std::optional<OriginalRow> original_row() const;
    std::vector<RankedRow> replay_top_rows(const std::vector<SweepRow>& top) const;
    // `block_returns`: every row's, or empty with `why_missing`.
    OverfittingReport assess_top_row(const RankedRow& top, std::vector<double> block_returns,
                                     const std::string& why_missing, std::uint64_t trials) const;

    const SweepSpec& spec_;
    SweepInput input_;
    SweepRequest request_;
    ReplayData data_;
    SweepPlan plan_;
    std::size_t blocks_per_task_ = 1;
    std::uint64_t fingerprint_ = 0;
    std::uint64_t config_fingerprint_ = 0;
    WholeSweep whole_;
    double estimated_seconds_ = 0.0;
    bool search_runs_grid_ = false;
    std::string search_note_;
};

}  // namespace tapegrid
