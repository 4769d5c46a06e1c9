// How a sweep's outcome is shown on the terminal.
#include "engine/cli/sweep_views.h"

#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "engine/cli/table.h"
#include "engine/core/metric_names.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

// The ranked table: the grid's parameters, then the figures users compare first.
void print_sweep_ranking(const SweepRunner& runner, const SweepOutcome& outcome) {
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
    if (outcome.overfitting) print_overfitting(*outcome.overfitting);
    std::cout << std::flush;
}

void print_overfitting(const OverfittingReport& report) {
    const auto number = [](double value, const char* format) {
        return std::isfinite(value) ? fmt::format(fmt::runtime(format), value) : std::string("n/a");
    };
    std::cout << fmt::format("is rank 1 real?  PSR {} (probability its per-bar Sharpe {} > 0 over {} returns)\n",
                             number(report.probabilistic_sharpe, "{:.3f}"), number(report.moments.sharpe, "{:.4f}"),
                             report.moments.count);
    if (report.matrix)
        std::cout << fmt::format("                 DSR {} (against {}, the best of {} trials expected by luck)\n",
                                 number(report.deflated_sharpe, "{:.3f}"),
                                 number(report.expected_maximum_sharpe, "{:.4f}"), report.trials);
    else
        std::cout << "                 DSR not computed: the trials' Sharpe ratios come from the block returns\n";
    if (report.pbo) {
        const PboResult& p = *report.pbo;
        std::cout << fmt::format(
            "                 PBO {} over {}{} of {} splits of {} blocks; OOS Sharpe = {} x IS {:+.4f}; "
            "OOS loss in {:.0f}% of splits\n",
            number(p.pbo, "{:.3f}"), p.splits_evaluated, p.sampled ? " (sampled)" : "", p.splits_total,
            report.matrix ? report.matrix->blocks : 0, number(p.degradation_slope, "{:.3f}"), p.degradation_intercept,
            100.0 * p.probability_of_loss);
    } else {
        std::cout << "                 PBO not computed: " << report.pbo_skipped << '\n';
    }
}

}  // namespace tapegrid::cli
