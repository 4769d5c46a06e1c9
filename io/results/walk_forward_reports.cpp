// walkforward.json, folds.csv and oos_equity.csv.
#include "io/results/walk_forward_reports.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"
#include "engine/core/metric_names.h"
#include "io/json/replay_json.h"
#include "io/results/sweep_writers.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw UserError(path.string() + ": cannot write");
}

}  // namespace

nlohmann::json walk_forward_json(const SweepSpec& spec, const WalkForwardOutcome& outcome) {
    const StrategyInfo& strategy = spec.grid->strategy();
    const WalkForwardSpec& walk = *spec.walk_forward;
    nlohmann::json folds = nlohmann::json::array();
    for (const auto& fold : outcome.folds) {
        nlohmann::json trades = nlohmann::json::array();
        for (const auto& trade : fold.trades) trades.push_back(trade_to_json(trade));
        folds.push_back({{"fold", fold.index},
                         {"train",
                          {{"from", format_iso8601(fold.train_from_ns)},
                           {"to", format_iso8601(fold.train_to_ns)},
                           {"bars", fold.fold.train_end - fold.fold.train_begin}}},
                         {"test",
                          {{"from", format_iso8601(fold.test_from_ns)},
                           {"to", format_iso8601(fold.test_to_ns)},
                           {"bars", fold.fold.test_end - fold.fold.test_begin}}},
                         {"combinations", fold.combinations},
                         {"chosen", fold.chosen},
                         {"combination", fold.chosen ? nlohmann::json(fold.combination) : nullptr},
                         {"parameters", fold.chosen ? params_to_json(strategy, fold.params) : nullptr},
                         {"in_sample", fold.chosen ? metrics_json(fold.in_sample) : nullptr},
                         {"out_of_sample", fold.chosen ? metrics_json(fold.out_of_sample) : nullptr},
                         {"positions", trades}});
    }
    const WalkForwardSummary& s = outcome.summary;
    return {{"strategy", spec.strategy},
            {"rank_by", metric_name(spec.rank.keys.front().metric)},
            {"walk_forward",
             {{"train", walk.train.text},
              {"test", walk.test.text},
              {"step", walk.step.text},
              {"mode", walk_forward_mode_name(walk.mode)}}},
            {"folds", folds},
            {"out_of_sample",
             {{"folds_chosen", s.folds_chosen},
              {"total_trades", s.total_trades},
              {"winning_trades", s.winning_trades},
              {"losing_trades", s.losing_trades},
              {"win_rate", s.win_rate},
              {"total_pnl", s.total_pnl},
              {"total_return_pct", finite_or_null(s.total_return_pct)},
              {"max_drawdown_pct", finite_or_null(s.max_drawdown_pct)},
              {"sharpe_ratio", finite_or_null(s.sharpe_ratio)},
              {"annual_return_pct", finite_or_null(s.oos_annual_return_pct)},
              {"returns", s.returns},
              {"periods_per_year", s.periods_per_year}}},
            {"in_sample_annual_return_pct", finite_or_null(s.is_annual_return_pct)},
            {"walk_forward_efficiency", finite_or_null(s.efficiency)},
            {"interrupted", outcome.interrupted},
            {"wall_seconds", outcome.wall_seconds}};
}

void check_walk_forward_directory(const std::string& directory, bool overwrite) {
    if (!overwrite && fs::exists(fs::path(directory) / "walkforward.json"))
        throw UserError(directory +
                        ": already holds a walk-forward's results; pass --overwrite to replace them, or "
                        "--out another directory");
}

void write_walk_forward(const std::string& directory, const SweepSpec& spec, const WalkForwardOutcome& outcome,
                        bool overwrite) {
    check_walk_forward_directory(directory, overwrite);
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) throw UserError(directory + ": cannot create the output directory: " + error.message());
    const fs::path path(directory);
    write_file(path / "walkforward.json", walk_forward_json(spec, outcome).dump(2) + "\n");
    const StrategyInfo& strategy = spec.grid->strategy();
    std::string csv = "fold,train_from,train_to,test_from,test_to,combination";
    // Appended piece by piece: `"," + string` trips GCC 12's -Wrestrict (a false positive).
    for (const auto& axis : spec.grid->axes()) {
        csv += ',';
        csv += strategy.params[axis.param].name;
    }
    for (const char* side : {"is", "oos"})
        for (const char* metric : {"total_trades", "total_pnl", "sharpe_ratio", "max_drawdown_pct"})
            csv += fmt::format(",{}_{}", side, metric);
    csv += '\n';
    for (const auto& fold : outcome.folds) {
        csv += fmt::format("{},{},{},{},{},", fold.index, format_iso8601(fold.train_from_ns),
                           format_iso8601(fold.train_to_ns), format_iso8601(fold.test_from_ns),
                           format_iso8601(fold.test_to_ns));
        if (!fold.chosen) {
            csv += std::string(spec.grid->axes().size() + 8, ',') + '\n';
            continue;
        }
        csv += std::to_string(fold.combination);
        for (const auto& axis : spec.grid->axes()) {
            csv += ',';
            csv += strategy.params[axis.param].format(fold.params.values[axis.param]);
        }
        for (const ReplayMetrics* m : {&fold.in_sample, &fold.out_of_sample})
            csv += fmt::format(",{},{},{},{}", m->total_trades, m->total_pnl, m->sharpe_ratio, m->max_drawdown_pct);
        csv += '\n';
    }
    write_file(path / "folds.csv", csv);
    std::string equity = "timestamp,equity\n";
    for (std::size_t i = 0; i < outcome.stitched_time_ns.size(); ++i)
        equity += fmt::format("{},{}\n", format_iso8601(outcome.stitched_time_ns[i]), outcome.stitched_equity[i]);
    write_file(path / "oos_equity.csv", equity);
}

}  // namespace tapegrid
