// The sweep runner: planning and its checks, then the graph with checkpoints, then the best rows' trades.
#include "engine/sweep/sweep_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "engine/core/errors.h"
#include "engine/core/system_memory.h"
#include "engine/replay/replay_runner.h"
#include "engine/replay/session_replayer.h"
#include "engine/sweep/windowed_sweep.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

// A fresh sweep sizes its tasks from the number of one-block tasks: at least 8 per thread, at
// most 8 blocks each; a resumed one keeps its checkpoint's size, so that its tasks are the same.
std::size_t choose_blocks_per_task(const SweepPlan& one_block_plan, std::size_t threads) {
    return std::clamp<std::size_t>(one_block_plan.tasks.size() / (8 * threads), 1, 8);
}

}  // namespace

SweepRunner::SweepRunner(const SweepSpec& spec, SweepInput input, const SweepRequest& request)
    : spec_(spec), input_(std::move(input)), request_(request) {
    request_.threads = std::max<std::size_t>(1, request_.threads);
    if (input_.windows) {
        refuse_what_windows_cannot_do();
        const WindowLayout& layout = input_.windows->layout();
        data_.total_bars = static_cast<std::size_t>(layout.total_bars());
        data_.periods_per_year = spec_.periods_per_year.value_or(layout.inferred_periods_per_year());
    } else {
        data_ = prepare_replay_data(input_.symbols, spec_.periods_per_year, request_.replay_from);
    }
    const ParameterGrid& grid = *spec_.grid;
    const auto& resume = request_.resume_from;
    if (spec_.search.method != SearchMethod::kGrid) {
        if (spec_.search.budget >= grid.size()) {
            search_runs_grid_ = true;
            search_note_ =
                fmt::format("the {} search's budget of {} covers the grid's {} combinations: running the grid",
                            search_method_name(spec_.search.method), spec_.search.budget, grid.size());
        } else {
            plan_search();
            return;
        }
    }
    refuse_oversized_grid();
    try {
        plan_ = plan_sweep(grid, data_, 1);  // one-block tasks: what the task size is chosen from
    } catch (const UserError& error) {       // a constraint undefined at some combination
        throw UserError(spec_.config_path + ": " + error.what());
    }
    whole_.combinations = plan_.combinations;
    whole_.bar_evaluations = plan_.bar_evaluations;
    if (request_.shard) {
        whole_.shards = cut_shards(plan_, request_.shard->count);
        restrict_plan(plan_, whole_.shards[request_.shard->index], 1);
    }
    blocks_per_task_ =
        resume ? static_cast<std::size_t>(resume->blocks_per_task) : choose_blocks_per_task(plan_, request_.threads);
    cut_tasks(plan_, blocks_per_task_);

    std::vector<std::string> recording_ids;
    for (const auto& info : input_.recordings) recording_ids.push_back(info.recording_id);
    config_fingerprint_ = sweep_fingerprint(spec_.config_text, recording_ids, whole_.combinations, 0, 0);
    // A shard's checkpoint is its own: resuming shard 1 of 4 from shard 2's is refused.
    const std::string shard_text =
        request_.shard ? fmt::format("\nshard {}/{}", request_.shard->index, request_.shard->count) : "";
    fingerprint_ = sweep_fingerprint(spec_.config_text + shard_text, recording_ids, plan_.combinations,
                                     plan_.tasks.size(), blocks_per_task_);
    if (resume && resume->fingerprint != fingerprint_)
        throw UserError(resume->source +
                        ": was taken by a sweep with another config, other recordings or another plan; run without "
                        "--resume (and with --overwrite) to start again");
    if (whole_.combinations == 0)
        throw UserError(fmt::format(
            "{}: no combination of the grid's {} passes the constraints{}", spec_.config_path, plan_.grid_size,
            plan_.dropped_by_rules > 0 ? " and the strategy's rules (" + plan_.rule_example + ")" : ""));
    if (input_.windows)
        check_warm_up(spec_.strategy, input_.windows->layout().symbols, input_.windows->layout().bars,
                      grid.at(plan_.longest_warm_up_combination));
    else
        check_warm_up(spec_.strategy, data_, grid.at(plan_.longest_warm_up_combination));

    // The threads scale linearly to within a few percent (docs/PERFORMANCE.md), so a short
    // single-thread run of the first task gives the estimate.
    const double single_thread_rate =
        input_.windows ? measure_first_window() : measure_bar_evaluations_per_second(data_, grid, plan_);
    estimated_seconds_ = static_cast<double>(plan_.bar_evaluations) / std::max(single_thread_rate, 1.0) /
                         static_cast<double>(request_.threads);
}

void SweepRunner::refuse_what_windows_cannot_do() const {
    // The rows exist only once the last window has run: nothing to resume from, no batch of a
    // search ranked before the next, no window of a walk-forward to start from.
    const std::string why = " when its recordings are read a window at a time (they do not fit in --memory-limit)";
    if (spec_.search.method != SearchMethod::kGrid && spec_.search.budget < spec_.grid->size())
        throw UserError(spec_.config_path + ": a " + search_method_name(spec_.search.method) + " search cannot run" +
                        why + "; run the grid, or raise --memory-limit");
    if (request_.resume_from) throw UserError("--resume: a sweep cannot resume" + why);
    if (request_.replay_from) throw UserError(spec_.config_path + ": a walk-forward cannot run" + why);
}

double SweepRunner::measure_first_window() const {
    // The first chunks' bars, as in memory: no symbol has more bars than timestamps in them.
    constexpr std::uint64_t kSampleRows = 4 * kTimelineChunk;
    BarWindowSource& source = *input_.windows;
    const WindowLayout& layout = source.layout();
    std::vector<SymbolBars> bars(layout.symbols.size());
    for (std::size_t s = 0; s < bars.size(); ++s)
        source.read(s, 0, std::min(kSampleRows, layout.first_row.size() > 1 ? layout.first_row[1][s] : 0), bars[s]);
    const ReplayData first = prepare_replay_data(bars, data_.periods_per_year);
    return measure_bar_evaluations_per_second(first, *spec_.grid, plan_);
}

std::uint64_t SweepRunner::timeline_size() const {
    return input_.windows ? input_.windows->layout().timestamps : data_.timeline.size();
}

std::vector<ReplayResult> SweepRunner::replay(const std::vector<ParamSet>& params,
                                              std::vector<double>* first_returns) const {
    if (input_.windows)
        return replay_windowed(*input_.windows, data_.periods_per_year, spec_.strategy, params, request_.threads,
                               first_returns);
    // Replayed in the order of their indicator keys so that rows sharing a series run together;
    // a series is freed once no later row reads it.
    std::vector<std::vector<IndicatorKey>> keys;
    keys.reserve(params.size());
    for (const ParamSet& set : params)
        keys.push_back(with_strategy(spec_.strategy, [&](auto tag) {
            const auto group = decltype(tag)::indicators(set);
            return std::vector<IndicatorKey>(group.begin(), group.end());
        }));
    std::vector<std::size_t> order(params.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::map<IndicatorKey, std::size_t> last_reader;
    for (std::size_t i = 0; i < order.size(); ++i)
        for (const auto& key : keys[order[i]]) last_reader[key] = i;
    OwnedSeries series(*data_.symbols);
    std::vector<ReplayResult> results(params.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const bool first = order[i] == 0;
        if (first && first_returns != nullptr) first_returns->reserve(data_.timeline.size());
        results[order[i]] =
            run_replay(spec_.strategy, data_, params[order[i]], series, first ? first_returns : nullptr);
        for (const auto& key : keys[order[i]])
            if (last_reader.at(key) == i) series.release(key);
    }
    return results;
}

void SweepRunner::refuse_oversized_grid() const {
    // Counted from the axes' sizes, before the grid is walked: walking 10^12 combinations would
    // take hours before any other check could speak. The limit applies to the whole grid,
    // constraints not applied.
    const std::uint64_t size = spec_.grid->size();
    if (size > spec_.max_combinations && !request_.force)
        throw UserError(
            fmt::format("{}: the grid has {} combinations (before its constraints), above the limit of {} "
                        "(sweep.max_combinations); pass --force to run it, or raise the limit",
                        spec_.config_path, size, spec_.max_combinations));
    // Even forced, the plan keeps 8 bytes per combination it runs.
    const double plan_bytes = static_cast<double>(size) * 8.0;
    const std::uint64_t memory = physical_memory_bytes();
    if (memory > 0 && plan_bytes > 0.5 * static_cast<double>(memory))
        throw UserError(
            fmt::format("{}: the grid has {} combinations; planning them would need {} of this "
                        "machine's {}: split the grid into several sweeps",
                        spec_.config_path, size, human_bytes(plan_bytes), human_bytes(static_cast<double>(memory))));
}

std::vector<RankedRow> SweepRunner::replay_top_rows(const std::vector<SweepRow>& top) const {
    // Each row replayed once more to keep its trades; the first row's returns come from the same replay.
    std::vector<RankedRow> rows;
    std::vector<ParamSet> params;
    for (const SweepRow& row : top) {
        rows.push_back({row, spec_.grid->at(row.combination), {}, {}});
        params.push_back(rows.back().params);
    }
    std::vector<ReplayResult> replays = replay(params, rows.empty() ? nullptr : &rows.front().returns);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].trades = std::move(replays[i].trades);
    return rows;
}

void SweepRunner::assess(SweepOutputs& outputs, bool block_returns_complete, std::uint64_t rows,
                         SweepOutcome& outcome) const {
    if (!spec_.overfitting.enabled || outcome.top.empty()) return;
    std::vector<double> block_returns = outputs.read_block_returns();
    std::string why_missing;
    if (!block_returns_complete)
        why_missing = "rows that ran in other processes carry no block returns";
    else if (block_returns.size() != rows * 2 * spec_.overfitting.blocks)
        why_missing =
            "the block returns of some rows were not kept (a run resumed from an older version's "
            "checkpoint, or a shard without block_returns.bin)";
    if (!why_missing.empty()) block_returns.clear();
    outcome.overfitting = assess_top_row(outcome.top.front(), std::move(block_returns), why_missing, rows);
}

OverfittingReport SweepRunner::assess_top_row(const RankedRow& top, std::vector<double> block_returns,
                                              const std::string& why_missing, std::uint64_t trials) const {
    std::shared_ptr<BlockReturns> matrix;
    if (why_missing.empty()) {
        // Row-major [S sums, S squares] per row, as the kernel hands them over, into the two matrices.
        const std::size_t blocks = spec_.overfitting.blocks;
        matrix = std::make_shared<BlockReturns>();
        matrix->blocks = blocks;
        for (std::size_t b = 0; b < blocks; ++b)
            matrix->counts.push_back(block_start(timeline_size() - 1, blocks, b + 1) -
                                     block_start(timeline_size() - 1, blocks, b));
        const std::size_t rows = block_returns.size() / (2 * blocks);
        matrix->sums.resize(rows * blocks);
        matrix->squares.resize(rows * blocks);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t b = 0; b < blocks; ++b) {
                matrix->sums[r * blocks + b] = block_returns[r * 2 * blocks + b];
                matrix->squares[r * blocks + b] = block_returns[r * 2 * blocks + blocks + b];
            }
    }
    return assess_overfitting(top.row.combination, top.returns, trials, matrix, why_missing, spec_.overfitting);
}

std::optional<OriginalRow> SweepRunner::original_row() const {
    std::optional<OriginalRow> original = original_params();
    if (original) original->metrics = replay({original->params}).front().metrics;
    return original;
}

std::optional<OriginalRow> SweepRunner::original_params() const {
    // Only when every recording recorded this strategy with the same parameters.
    std::optional<std::string> text;
    for (const auto& info : input_.recordings) {
        if (info.strategy_name != spec_.strategy) return std::nullopt;
        if (text && *text != info.original_parameters) return std::nullopt;
        text = info.original_parameters;
    }
    if (!text) return std::nullopt;
    OriginalRow original;
    original.params = recorded_params(find_strategy(spec_.strategy), *text);
    original.combination = spec_.grid->index_of(original.params);
    return original;
}

namespace {

// The original parameters' row, ranked among the grid's: its index one no grid row has when the
// grid does not hold it.
SweepRow reference_row(const OriginalRow& original) {
    return SweepRow{original.combination.value_or(UINT64_MAX), original.metrics};
}

}  // namespace

SweepRunOptions SweepRunner::run_options(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress,
                                         const std::optional<OriginalRow>& original) const {
    SweepRunOptions options;
    options.threads = request_.threads;
    options.stop = stop;
    options.progress = progress;
    if (original) options.reference = reference_row(*original);
    if (spec_.overfitting.enabled) {
        options.return_blocks = spec_.overfitting.blocks;
        options.block_returns = [&outputs](const std::vector<double>& values) { outputs.write_block_returns(values); };
    }
    return options;
}

SweepOutcome SweepRunner::run(SweepOutputs& outputs, const std::atomic<bool>* stop, SweepProgress* progress,
                              TaskSharing* sharing) const {
    if (searches()) {
        if (sharing != nullptr)
            throw UserError(spec_.config_path +
                            ": a search runs in one process (its next batch depends on the last); "
                            "run it without --mpi");
        return run_search(outputs, stop, progress);
    }
    if (input_.windows) {
        if (sharing != nullptr)
            throw UserError(spec_.config_path +
                            ": a sweep whose recordings are read a window at a time runs in one process; run it "
                            "without --mpi, or in shards");
        return run_windowed(outputs, stop, progress);
    }
    const ParameterGrid& grid = *spec_.grid;
    const auto& resume = request_.resume_from;
    SweepOutcome outcome;
    outcome.original = original_row();

    SweepRunOptions options = run_options(outputs, stop, progress, outcome.original);
    if (resume) {
        options.first_task = static_cast<std::size_t>(resume->tasks_done);
        options.ranking = resume->ranking;
    }
    if (sharing != nullptr) {
        options.next_task = [sharing] { return sharing->next_task(); };
        options.remote_rows = [sharing](const SweepRunOptions::Deliver& deliver) { sharing->serve(deliver); };
    }
    SweepCheckpoint latest = resume.value_or(SweepCheckpoint{fingerprint_, blocks_per_task_, 0, 0, 0, {}, {}});
    auto last_saved = std::chrono::steady_clock::now();
    options.after_task = [&](std::uint64_t tasks_done, std::uint64_t position, const TopRows& ranking) {
        latest = checkpoint_after(tasks_done, position, ranking);
        if (std::chrono::steady_clock::now() - last_saved >= std::chrono::seconds(1)) {
            outputs.save_checkpoint(latest);
            last_saved = std::chrono::steady_clock::now();
        }
    };
    const SweepRunResult result = run_sweep(data_, grid, plan_, spec_.rank, outputs.rows(), options);
    outputs.close_rows();
    // A run stopped before its first task ended has nothing to add to the checkpoint the outputs
    // hold (the one they saved on opening, or the one this run resumed from), and `latest` would
    // not even know where their rows stand: saved, it would send a resume back to byte 0 of the
    // rows, header and all.
    if (latest.tasks_done > options.first_task) outputs.save_checkpoint(latest);

    finish_run(outputs, result, latest, options.first_task, outcome);
    return outcome;
}

SweepCheckpoint SweepRunner::checkpoint_after(std::uint64_t tasks_done, std::uint64_t position,
                                              const TopRows& ranking) const {
    const SweepTask& last = plan_.tasks[tasks_done - 1];
    return {fingerprint_, blocks_per_task_, tasks_done, last.first_row + last.count, position, ranking.state(), {}};
}

void SweepRunner::finish_run(SweepOutputs& outputs, const SweepRunResult& result, const SweepCheckpoint& latest,
                             std::size_t first_task, SweepOutcome& outcome) const {
    outcome.top = replay_top_rows(result.top);
    // A shard's rows are part of a sweep: `tapegrid merge` reports on the whole (one shard of one
    // is the whole already).
    const bool part = request_.shard && request_.shard->count > 1;
    if (!result.interrupted && !part) assess(outputs, result.block_returns_complete, latest.rows, outcome);
    if (outcome.original) outcome.original->rank = result.reference_rank;
    outcome.ranked_rows = result.ranked_rows;
    outcome.rows_written = latest.rows;
    outcome.tasks_done = latest.tasks_done;
    outcome.rows_this_run = result.rows;
    outcome.resumed_at_task = first_task;
    outcome.interrupted = result.interrupted;
    outcome.wall_seconds = result.wall_seconds;
    outcome.bar_evaluations_per_second =
        static_cast<double>(result.rows * data_.total_bars) / std::max(result.wall_seconds, 1e-9);
}

SweepOutcome SweepRunner::run_windowed(SweepOutputs& outputs, const std::atomic<bool>* stop,
                                       SweepProgress* progress) const {
    SweepOutcome outcome;
    std::optional<WindowedReference> reference;
    if (const auto original = original_params())
        reference = WindowedReference{original->params, original->combination.value_or(UINT64_MAX), {}};
    SweepRunOptions options = run_options(outputs, stop, progress, std::nullopt);
    SweepCheckpoint latest{fingerprint_, blocks_per_task_, 0, 0, 0, {}, {}};
    options.after_task = [&](std::uint64_t tasks_done, std::uint64_t position, const TopRows& ranking) {
        latest = checkpoint_after(tasks_done, position, ranking);
    };
    const SweepRunResult result =
        run_windowed_sweep(*input_.windows, data_.periods_per_year, *spec_.grid, plan_, spec_.rank, outputs.rows(),
                           options, reference ? &*reference : nullptr);
    outputs.close_rows();
    if (latest.tasks_done > 0) outputs.save_checkpoint(latest);
    if (reference) {
        outcome.original = OriginalRow{reference->params, reference->metrics, std::nullopt, 0};
        if (reference->combination != UINT64_MAX) outcome.original->combination = reference->combination;
    }
    // Interrupted, it has no rows: nothing ranked, so nothing to replay or assess.
    finish_run(outputs, result, latest, 0, outcome);
    return outcome;
}

std::uint64_t SweepRunner::run_tasks(const std::function<std::optional<std::size_t>()>& next_task,
                                     const TaskSender& send, const std::atomic<bool>* stop) const {
    if (input_.windows)
        throw UserError(spec_.config_path +
                        ": a sweep whose recordings are read a window at a time runs in one "
                        "process; run it without --mpi, or in shards");
    return run_sweep_tasks(data_, *spec_.grid, plan_, request_.threads, next_task, send, stop,
                           spec_.overfitting.enabled ? spec_.overfitting.blocks : 0);
}

SweepOutcome SweepRunner::adopt_rows(SweepOutputs& outputs, const RowBatches& next_batch) const {
    const auto started = std::chrono::steady_clock::now();
    SweepOutcome outcome;
    outcome.original = original_row();
    TopRows top(spec_.rank);
    if (outcome.original) top.set_reference(reference_row(*outcome.original));
    // Every row must be the plan's next combination: rows from another grid, a missing or a
    // repeated shard would otherwise rank silently.
    std::size_t group = 0, position = 0;
    std::uint64_t rows = 0;
    std::vector<SweepRow> batch;
    while (next_batch(batch)) {
        for (const SweepRow& row : batch) {
            while (group < plan_.groups.size() && position == plan_.groups[group].combinations.size()) {
                ++group;
                position = 0;
            }
            if (group == plan_.groups.size())
                throw UserError(fmt::format("more rows than the sweep's {} combinations (row {} is combination {})",
                                            plan_.combinations, rows + 1, row.combination));
            const std::uint64_t expected = plan_.groups[group].combinations[position++];
            if (row.combination != expected)
                throw UserError(fmt::format("row {} is combination {}; the sweep's plan has combination {} there",
                                            rows + 1, row.combination, expected));
            top.add(row);
            ++rows;
        }
        outputs.rows().write(batch);
    }
    if (rows != plan_.combinations)
        throw UserError(fmt::format("{} rows; the sweep has {} combinations", rows, plan_.combinations));
    const std::uint64_t written = outputs.rows().position();
    outputs.close_rows();
    outputs.save_checkpoint({fingerprint_, blocks_per_task_, plan_.tasks.size(), rows, written, top.state(), {}});
    outcome.top = replay_top_rows(top.best());
    assess(outputs, true, rows, outcome);
    if (outcome.original) outcome.original->rank = top.reference_rank();
    outcome.ranked_rows = top.ranked_rows();
    outcome.rows_written = rows;
    outcome.tasks_done = plan_.tasks.size();
    outcome.rows_this_run = rows;
    outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return outcome;
}

}  // namespace tapegrid
