// A sweep that searches its grid: batches proposed (engine/sweep/search_proposer.h), each run
// on the sweep's flow graph as a small plan of its own, ranked on across batches.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "engine/core/errors.h"
#include "engine/core/system_memory.h"
#include "engine/replay/replay_runner.h"
#include "engine/sweep/indicator_cache.h"
#include "engine/sweep/search_proposer.h"
#include "engine/sweep/sweep_runner.h"

namespace tapegrid {

namespace {

// Passes every row on to the outputs and keeps a copy for the proposer and the trace.
class CapturingSink final : public RowSink {
  public:
    explicit CapturingSink(RowSink& out) : out_(out) {}
    void write(const std::vector<SweepRow>& rows) override {
        out_.write(rows);
        captured_.insert(captured_.end(), rows.begin(), rows.end());
    }
    std::uint64_t position() override { return out_.position(); }
    std::vector<SweepRow> take() { return std::exchange(captured_, {}); }

  private:
    RowSink& out_;
    std::vector<SweepRow> captured_;
};

// What the proposer maximises: the first ranking key's metric, negated when it ranks ascending.
// Rows the filters drop, and values that are not finite, are clamped into the range of the
// finite ranked values, so that the Gaussian process sees neither infinities nor a good value
// for a row that cannot rank.
std::vector<SearchObservation> observations(const RankSpec& rank, const std::vector<SearchTraceEntry>& trace) {
    const RankKey& key = rank.keys.front();
    std::vector<double> raw(trace.size());
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const double value = metric_value(trace[i].row.metrics, key.metric);
        raw[i] = key.descending ? value : -value;
        if (std::isfinite(raw[i]) && trace[i].ranked) {
            low = std::min(low, raw[i]);
            high = std::max(high, raw[i]);
        }
    }
    if (!std::isfinite(low)) low = high = 0.0;  // nothing ranked yet: every row looks the same
    std::vector<SearchObservation> observed(trace.size());
    for (std::size_t i = 0; i < trace.size(); ++i) {
        double value = raw[i];
        if (!trace[i].ranked || std::isnan(value) || value == -std::numeric_limits<double>::infinity())
            value = low;
        else if (value == std::numeric_limits<double>::infinity())
            value = high;
        observed[i] = {trace[i].row.combination, value};
    }
    return observed;
}

}  // namespace

void SweepRunner::plan_search() {
    const ParameterGrid& grid = *spec_.grid;
    const SearchSpec& search = spec_.search;
    if (request_.resume_from)
        throw UserError(spec_.config_path + ": a search cannot be resumed yet; run it again (with --overwrite)");
    if (request_.shard)
        throw UserError(spec_.config_path +
                        ": a search cannot be split into shards (its batches depend on each "
                        "other); run it whole");
    if (search.budget > spec_.max_combinations && !request_.force)
        throw UserError(
            fmt::format("{}: the search's budget of {} is above the limit of {} (sweep.max_combinations); "
                        "pass --force to run it, or raise the limit",
                        spec_.config_path, search.budget, spec_.max_combinations));
    // The plan of the first batch (the same proposals the run starts with) stands for the whole:
    // its speed gives the estimate, its warm-up the first check.
    SearchProposer proposer(grid, search);
    const std::vector<std::uint64_t> first = proposer.next(search.batch, {});
    if (first.empty())
        throw UserError(
            fmt::format("{}: no combination of the grid's {} passes the constraints and the strategy's rules",
                        spec_.config_path, grid.size()));
    const SweepPlan sample = plan_combinations(grid, data_, first, 1);
    check_warm_up(spec_.strategy, data_, grid.at(sample.longest_warm_up_combination));
    plan_.grid_size = grid.size();
    plan_.bars = data_.total_bars;
    plan_.combinations = search.budget;
    plan_.bar_evaluations = search.budget * data_.total_bars;
    plan_.distinct_series = sample.distinct_series;
    plan_.estimated_memory_bytes = sample.estimated_memory_bytes;
    whole_.combinations = plan_.combinations;
    whole_.bar_evaluations = plan_.bar_evaluations;
    std::vector<std::string> recording_ids;
    for (const auto& info : input_.recordings) recording_ids.push_back(info.recording_id);
    config_fingerprint_ = sweep_fingerprint(spec_.config_text, recording_ids, plan_.combinations, 0, 0);
    fingerprint_ = config_fingerprint_;
    search_note_ = fmt::format(
        "a {} search of {} of the grid's {} combinations, seed {}, in batches of {}{}",
        search_method_name(search.method), search.budget, grid.size(), search.seed, search.batch,
        search.method == SearchMethod::kBayesian ? fmt::format(" after {} random ones", search.initial) : "");
    const double single_thread_rate = measure_bar_evaluations_per_second(data_, grid, sample);
    estimated_seconds_ = static_cast<double>(plan_.bar_evaluations) / std::max(single_thread_rate, 1.0) /
                         static_cast<double>(request_.threads);
}

SweepOutcome SweepRunner::run_search(SweepOutputs& outputs, const std::atomic<bool>* stop,
                                     SweepProgress* progress) const {
    const auto started = std::chrono::steady_clock::now();
    const ParameterGrid& grid = *spec_.grid;
    const SearchSpec& search = spec_.search;
    SweepOutcome outcome;
    outcome.original = original_row();
    SearchProposer proposer(grid, search);
    CapturingSink capture(outputs.rows());
    SweepRunOptions options = run_options(outputs, stop, progress, outcome.original);
    TopRows::State ranking;
    options.after_task = [&ranking](std::uint64_t, std::uint64_t, const TopRows& top) { ranking = top.state(); };
    // The batches read the same series again and again: they are kept from one batch to the
    // next, up to a quarter of the machine's memory (then dropped and computed again as needed).
    CarriedSeries carried;
    options.carried_series = &carried;
    const std::uint64_t memory = physical_memory_bytes();
    const std::uint64_t carried_limit = memory > 0 ? memory / 4 : std::uint64_t{1} << 30;
    std::vector<SweepRow> best;
    std::uint64_t rows = 0, tasks = 0, round = 0;
    bool block_returns_complete = true;
    std::optional<SweepRow> best_so_far;
    while (rows < search.budget) {
        if (stop != nullptr && stop->load()) {
            outcome.interrupted = true;
            break;
        }
        const std::vector<std::uint64_t> batch = proposer.next(
            std::min<std::uint64_t>(search.batch, search.budget - rows), observations(spec_.rank, outcome.trace));
        if (batch.empty()) break;  // every runnable combination was evaluated
        ++round;
        const SweepPlan plan = plan_combinations(grid, data_, batch, 1);
        check_warm_up(spec_.strategy, data_, grid.at(plan.longest_warm_up_combination));
        if (rows > 0) options.ranking = ranking;
        const SweepRunResult result = run_sweep(data_, grid, plan, spec_.rank, capture, options);
        block_returns_complete = block_returns_complete && result.block_returns_complete;
        for (SweepRow& row : capture.take()) {
            SearchTraceEntry entry{outcome.trace.size() + 1, round, row, passes_filters(spec_.rank, row.metrics), {}};
            if (entry.ranked && (!best_so_far || ranks_before(spec_.rank, row, *best_so_far))) best_so_far = row;
            entry.best = best_so_far;
            outcome.trace.push_back(entry);
        }
        rows += result.rows;
        tasks += result.tasks;
        std::uint64_t carried_bytes = 0;
        for (const auto& [key, series] : carried)
            for (const auto& column : series) carried_bytes += column.size() * sizeof(double);
        if (carried_bytes > carried_limit) carried.clear();
        best = result.top;
        outcome.ranked_rows = result.ranked_rows;
        if (outcome.original) outcome.original->rank = result.reference_rank;
        if (result.interrupted) {
            outcome.interrupted = true;
            break;
        }
    }
    outputs.close_rows();
    // The proposals' time included: a search is as fast as its batches and its optimiser together.
    outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    outcome.top = replay_top_rows(best);
    outcome.rows_written = rows;
    outcome.rows_this_run = rows;
    outcome.tasks_done = tasks;
    outcome.bar_evaluations_per_second =
        static_cast<double>(rows * data_.total_bars) / std::max(outcome.wall_seconds, 1e-9);
    if (!outcome.interrupted) assess(outputs, block_returns_complete, rows, outcome);
    return outcome;
}

}  // namespace tapegrid
