// `tapegrid sweep`: reads its options, then runs engine/sweep's SweepRunner into a SweepDirectory.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/human_units.h"
#include "engine/cli/progress_bar.h"
#include "engine/cli/stop_signals.h"
#include "engine/cli/table.h"
#include "engine/core/errors.h"
#include "engine/sweep/sweep_runner.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/sweep_directory.h"
#include "io/results/sweep_reports.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

void print_plan(const SweepRunner& runner) {
    const SweepSpec& spec = runner.spec();
    const SweepPlan& plan = runner.plan();
    std::cout << fmt::format(
        "plan: {} on {} recording{} ({} symbols, {} bars)\n"
        "      {} combinations ({} in the grid{}{}) in {} groups sharing {} indicator series\n"
        "      {} bar-evaluations on {} thread{}: about {}, about {} of memory\n",
        spec.strategy, spec.recordings.size(), spec.recordings.size() == 1 ? "" : "s", runner.input().symbols.size(),
        plan.bars, plan.combinations, plan.grid_size,
        plan.dropped_by_constraints > 0 ? fmt::format(", {} dropped by constraints", plan.dropped_by_constraints) : "",
        plan.dropped_by_rules > 0 ? fmt::format(", {} by the strategy's rules", plan.dropped_by_rules) : "",
        plan.groups.size(), plan.distinct_series.size(), human_count(static_cast<double>(plan.bar_evaluations)),
        runner.threads(), runner.threads() == 1 ? "" : "s", human_seconds(runner.estimated_seconds()),
        human_count(static_cast<double>(plan.estimated_memory_bytes)) + "B");
}

// The ranked table: the grid's parameters, then the figures users compare first.
void print_ranking(const SweepRunner& runner, const SweepOutcome& outcome) {
    const SweepSpec& spec = runner.spec();
    const ParameterGrid& grid = *spec.grid;
    const StrategyInfo& strategy = grid.strategy();
    std::vector<std::string> header = {"rank"};
    for (const auto& axis : grid.axes()) header.emplace_back(strategy.params[axis.param].name);
    for (const char* metric :
         {"total_trades", "win_rate", "total_pnl", "max_drawdown_pct", "sharpe_ratio", "profit_factor"})
        header.emplace_back(metric);
    Table table(header);
    const auto add = [&](const std::string& rank, const ParamSet& params, const ReplayMetrics& m) {
        std::vector<std::string> cells = {rank};
        for (const auto& axis : grid.axes())
            cells.push_back(strategy.params[axis.param].format(params.values[axis.param]));
        cells.push_back(std::to_string(m.total_trades));
        cells.push_back(fmt::format("{:.1f}", m.win_rate));
        cells.push_back(fmt::format("{:.2f}", m.total_pnl));
        cells.push_back(fmt::format("{:.3f}", m.max_drawdown_pct));
        cells.push_back(fmt::format("{:.3f}", m.sharpe_ratio));
        cells.push_back(std::isfinite(m.profit_factor) ? fmt::format("{:.3f}", m.profit_factor) : "inf");
        table.add_row(cells);
    };
    for (std::size_t i = 0; i < outcome.top.size(); ++i)
        add(std::to_string(i + 1), outcome.top[i].params, outcome.top[i].row.metrics);
    if (outcome.original)
        add(fmt::format("orig #{}", outcome.original->rank), outcome.original->params, outcome.original->metrics);
    std::cout << fmt::format("\ntop {} by {} ({} of {} rows ranked):\n", outcome.top.size(),
                             metric_name(spec.rank.keys.front().metric), outcome.ranked_rows, outcome.rows_written);
    table.print(std::cout);
    std::cout << std::flush;
}

void print_summary(const SweepRunner& runner, const SweepOutcome& outcome, const SweepDirectory& directory) {
    const double evaluations = static_cast<double>(outcome.rows_this_run * runner.data().total_bars);
    std::cerr << fmt::format(
        "sweep: {} combinations, {} bar-evaluations in {} ({}bar-evals/s, {} thread{}){}; results in {}\n",
        outcome.rows_this_run, human_count(evaluations), human_seconds(outcome.wall_seconds),
        human_count(outcome.bar_evaluations_per_second), runner.threads(), runner.threads() == 1 ? "" : "s",
        outcome.interrupted ? ", INTERRUPTED (what ran is kept; --resume carries on)" : "", directory.path().string());
    if (outcome.resumed_at_task > 0)
        std::cerr << fmt::format("(resumed after {} of {} tasks)\n", outcome.resumed_at_task,
                                 runner.plan().tasks.size());
}

CommandLine sweep_command_line() {
    CommandLine line;
    line.usage = "tapegrid sweep CONFIG.toml [--threads N] [--top K] [--out DIR] [--set key=value ...]";
    line.description =
        "Replays a strategy over recordings across a whole parameter grid, on every core, and ranks the outcomes.\n"
        "The config names the recordings, the strategy, the grid (lists, {start, stop, step} ranges, {start, stop,\n"
        "num, log} spacings, fixed values), constraints, the ranking and the output (docs/SWEEP.md). Everything is\n"
        "checked before any work; the plan is printed first. --out DIR gets results.csv and results.h5 (every\n"
        "combination), top.json (the best with their trades), config.toml and plan.json. Ctrl-C stops cleanly and\n"
        "keeps what was written.";
    line.options.add_options()(
        "threads",
        po::value<Count>()->default_value(Count{std::max(1u, std::thread::hardware_concurrency())},
                                          std::to_string(std::max(1u, std::thread::hardware_concurrency()))),
        "worker threads")("top", po::value<Count>(), "how many ranked rows to show and keep in top.json (rank.top)")(
        "out", po::value<std::string>(), "the output directory (output.directory)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "KEY=VALUE: override a config key, e.g. rank.by=total_pnl or grid.bb_std=[1.5,2.0] (repeatable)")(
        "force", "run a grid above the combination limit (sweep.max_combinations)")(
        "overwrite", "replace the results of an earlier sweep in the output directory")(
        "resume", "carry on a sweep that stopped (Ctrl-C, a crash) from its checkpoint in the output directory")(
        "dry-run", "print the plan and stop")("quiet", "no progress bar and no summary line");
    line.hidden.add_options()("config", po::value<std::string>()->required(), "config");
    line.positional.add("config", 1);
    add_store_option(line);
    add_json_option(line);
    return line;
}

}  // namespace

int run_sweep(const Arguments& arguments) {
    CommandLine line = sweep_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    auto overrides = parse_assignments(*options, "set");
    if (options->count("top")) {
        overrides.emplace_back("rank.top", std::to_string(count_option(*options, "top", 1, 100000)));
    }
    const bool json = options->count("json") > 0;
    const bool quiet = options->count("quiet") > 0;
    const bool dry_run = options->count("dry-run") > 0;

    SweepSpec spec = load_sweep_config((*options)["config"].as<std::string>(), overrides, store_directory(*options));
    if (options->count("out")) spec.output_directory = (*options)["out"].as<std::string>();
    SweepRequest request;
    request.threads = count_option(*options, "threads", 1, 1024);
    request.force = options->count("force") > 0;
    if (options->count("resume")) request.resume_from = SweepDirectory::checkpoint_to_resume(spec.output_directory);
    const SweepRunner runner(spec, load_sweep_input(spec.recordings), request);

    if ((!quiet || dry_run) && !json) print_plan(runner);
    if (dry_run) {
        if (json) std::cout << nlohmann::json{{"success", true}, {"plan", sweep_plan_json(runner)}}.dump(2) << '\n';
        return kExitOk;
    }

    SweepDirectory directory(spec.output_directory, runner, options->count("overwrite") > 0);
    SweepOutcome outcome;
    {
        const StopSignals signals;
        SweepProgress progress;
        ProgressBar bar(progress, runner.plan().combinations - runner.rows_before(),
                        !quiet && !json && ::isatty(STDERR_FILENO));
        outcome = runner.run(directory, &signals.flag(), &progress);
    }
    directory.finish(outcome);

    if (json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"output_directory", directory.path().string()},
                                    {"plan", directory.plan_json()},
                                    {"top", directory.top_json()["top"]},
                                    {"original", directory.top_json()["original"]}}
                         .dump(2)
                  << '\n';
    } else {
        print_ranking(runner, outcome);
        if (!quiet) print_summary(runner, outcome, directory);
    }
    return outcome.interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace tapegrid::cli
