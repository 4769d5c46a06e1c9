// `tapegrid walkforward CONFIG`: walk-forward validation of a sweep config's grid (or search):
// chosen on each train window, replayed on the test window after it, stitched out of sample.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/stop_signals.h"
#include "engine/cli/table.h"
#include "engine/core/errors.h"
#include "engine/core/metric_names.h"
#include "engine/sweep/walk_forward_runner.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/walk_forward_reports.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

CommandLine walkforward_command_line() {
    CommandLine line;
    line.usage = "tapegrid walkforward CONFIG.toml [--threads N] [--out DIR] [--set key=value ...]";
    line.description =
        "Walk-forward validation (docs/SEARCH.md): the config's [walk_forward] cuts the recordings' timeline into "
        "folds\n"
        "(train, test and step as durations such as \"2y\", \"6M\", \"30d\", or bar counts; mode rolling or "
        "anchored).\n"
        "On each fold the grid (or [search]) runs on the train window, its best row by rank.by is replayed on the\n"
        "test window that follows (indicators warmed up on the bars before it, no later bar read), and the test\n"
        "windows are stitched into one out-of-sample record. --out DIR (default: output.directory + \"-walkforward\")\n"
        "gets walkforward.json, folds.csv and oos_equity.csv.";
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    line.options.add_options()("threads", po::value<Count>()->default_value(Count{cores}, std::to_string(cores)),
                               "worker threads")("out", po::value<std::string>(), "the output directory")(
        "set", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: override a config key (repeatable)")(
        "force", "run a grid above the combination limit (sweep.max_combinations)")(
        "overwrite", "replace an earlier walk-forward's results in the output directory")("quiet",
                                                                                          "print nothing but errors");
    line.hidden.add_options()("config", po::value<std::string>()->required(), "config");
    line.positional.add("config", 1);
    add_store_option(line);
    add_json_option(line);
    return line;
}

std::string number(double value, const char* format) {
    return std::isfinite(value) ? fmt::format(fmt::runtime(format), value) : std::string("n/a");
}

void print_outcome(const SweepSpec& spec, const WalkForwardOutcome& outcome, const std::string& out) {
    const StrategyInfo& strategy = spec.grid->strategy();
    std::vector<std::string> header = {"fold", "train", "test"};
    for (const auto& axis : spec.grid->axes()) header.emplace_back(strategy.params[axis.param].name);
    for (const char* column : {"IS sharpe", "OOS sharpe", "OOS trades", "OOS pnl"}) header.emplace_back(column);
    Table table(header);
    const auto day = [](TimestampNs t) { return format_iso8601(t).substr(0, 10); };
    for (const auto& fold : outcome.folds) {
        std::vector<std::string> cells = {std::to_string(fold.index),
                                          day(fold.train_from_ns) + ".." + day(fold.train_to_ns),
                                          day(fold.test_from_ns) + ".." + day(fold.test_to_ns)};
        for (const auto& axis : spec.grid->axes())
            cells.push_back(fold.chosen ? strategy.params[axis.param].format(fold.params.values[axis.param]) : "-");
        cells.push_back(fold.chosen ? number(fold.in_sample.sharpe_ratio, "{:.3f}") : "none ranked");
        cells.push_back(fold.chosen ? number(fold.out_of_sample.sharpe_ratio, "{:.3f}") : "-");
        cells.push_back(fold.chosen ? std::to_string(fold.out_of_sample.total_trades) : "-");
        cells.push_back(fold.chosen ? fmt::format("{:.2f}", fold.out_of_sample.total_pnl) : "-");
        table.add_row(cells);
    }
    std::cout << fmt::format("\nwalk-forward: {} folds, best by {} in sample, replayed out of sample:\n",
                             outcome.folds.size(), metric_name(spec.rank.keys.front().metric));
    table.print(std::cout);
    const WalkForwardSummary& s = outcome.summary;
    std::cout << fmt::format(
        "out of sample, stitched: {} trades, win rate {:.1f}%, total_pnl {:.2f}, return {}%, max_drawdown_pct {}, "
        "sharpe_ratio {}\n"
        "walk-forward efficiency {} (annualised return {}% out of sample over {}% in sample); results in {}\n",
        s.total_trades, s.win_rate, s.total_pnl, number(s.total_return_pct, "{:.2f}"),
        number(s.max_drawdown_pct, "{:.3f}"), number(s.sharpe_ratio, "{:.3f}"), number(s.efficiency, "{:.2f}"),
        number(s.oos_annual_return_pct, "{:.2f}"), number(s.is_annual_return_pct, "{:.2f}"), out);
}

}  // namespace

int run_walkforward(const Arguments& arguments) {
    CommandLine line = walkforward_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    SweepSpec spec = load_sweep_config((*options)["config"].as<std::string>(), parse_assignments(*options, "set"),
                                       store_directory(*options));
    if (!spec.walk_forward)
        throw UserError(spec.config_path +
                        ": has no [walk_forward] table; add one with train and test windows (docs/SEARCH.md)");
    const std::string out =
        options->count("out") ? (*options)["out"].as<std::string>() : spec.output_directory + "-walkforward";
    const bool overwrite = options->count("overwrite") > 0;
    const bool json = options->count("json") > 0, quiet = options->count("quiet") > 0 || json;
    check_walk_forward_directory(out, overwrite);
    const SweepInput input = load_sweep_input(spec.recordings);
    const std::vector<Fold> folds = plan_walk_forward(spec, input);
    SweepRequest request;
    request.threads = count_option(*options, "threads", 1, 4096);
    request.force = options->count("force") > 0;
    if (!quiet)
        std::cout << fmt::format("walk-forward: {} folds of train {}, test {}, step {} ({})\n", folds.size(),
                                 describe(spec.walk_forward->train), describe(spec.walk_forward->test),
                                 describe(spec.walk_forward->step), walk_forward_mode_name(spec.walk_forward->mode));
    const StopSignals signals;
    const WalkForwardOutcome outcome =
        run_walk_forward(spec, input, folds, request, &signals.flag(), [&](const WalkForwardFoldResult& fold) {
            if (!quiet) std::cout << fmt::format("  fold {} of {} done\n", fold.index, folds.size()) << std::flush;
        });
    write_walk_forward(out, spec, outcome, true);
    if (json)
        std::cout << walk_forward_json(spec, outcome).dump(2) << '\n';
    else if (!quiet)
        print_outcome(spec, outcome, out);
    return outcome.interrupted ? signals.exit_code() : kExitOk;
}

}  // namespace tapegrid::cli
