// Walk-forward validation over a sweep config's grid (or search).
#include "engine/sweep/walk_forward_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "engine/core/errors.h"
#include "engine/replay/replay_runner.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

// A fold's sweep keeps nothing but its ranking: its rows are not written anywhere.
class RankingOnly final : public SweepOutputs {
  public:
    RowSink& rows() override { return discard_; }
    void close_rows() override {}
    void save_checkpoint(const SweepCheckpoint&) override {}

  private:
    struct Discard final : RowSink {
        void write(const std::vector<SweepRow>&) override {}
    } discard_;
};

// Every symbol's bars before `end_ns`: a window and the history before it, nothing after.
std::vector<SymbolBars> bars_before(const std::vector<SymbolBars>& symbols, TimestampNs end_ns) {
    std::vector<SymbolBars> sliced;
    sliced.reserve(symbols.size());
    for (const SymbolBars& bars : symbols) {
        const auto count = static_cast<std::size_t>(
            std::lower_bound(bars.timestamp_ns.begin(), bars.timestamp_ns.end(), end_ns) - bars.timestamp_ns.begin());
        sliced.push_back(bars.first_rows(count));
    }
    return sliced;
}

// The grid's longest warm-up, taken at every axis's largest value (warm-ups grow with periods).
std::size_t longest_warm_up(const SweepSpec& spec) {
    ParamSet params = spec.grid->base();
    for (const auto& axis : spec.grid->axes())
        params.values[axis.param] = *std::max_element(axis.values.begin(), axis.values.end());
    return with_strategy(spec.strategy, [&](auto tag) { return decltype(tag)::first_signal_bar(params); });
}

// (1 + total return)^(periods_per_year / returns) - 1, in percent.
double annualised_pct(double growth, std::uint64_t returns, double periods_per_year) {
    if (returns == 0 || !(growth > 0.0)) return std::nan("");
    return (std::pow(growth, periods_per_year / static_cast<double>(returns)) - 1.0) * 100.0;
}

void summarise(WalkForwardOutcome& outcome, const std::vector<double>& returns, double periods_per_year) {
    WalkForwardSummary& s = outcome.summary;
    s.periods_per_year = periods_per_year;
    s.returns = returns.size();
    double is_sum = 0.0;
    for (const auto& fold : outcome.folds) {
        if (!fold.chosen) continue;
        ++s.folds_chosen;
        s.total_trades += fold.out_of_sample.total_trades;
        s.winning_trades += fold.out_of_sample.winning_trades;
        s.total_pnl += fold.out_of_sample.total_pnl;
        // Every position is closed at the window's end, so the equity gained is the pnl.
        const double capital = fold.in_sample.final_equity - fold.in_sample.total_pnl;
        is_sum += annualised_pct(
            capital > 0.0 ? fold.in_sample.final_equity / capital : std::nan(""),
            static_cast<std::uint64_t>(std::max<std::int64_t>(fold.in_sample.equity_points - 1, 0)), periods_per_year);
    }
    s.losing_trades = s.total_trades - s.winning_trades;
    s.win_rate =
        s.total_trades > 0 ? 100.0 * static_cast<double>(s.winning_trades) / static_cast<double>(s.total_trades) : 0.0;
    double growth = 1.0, peak = 1.0, mean = 0.0, m2 = 0.0;
    for (std::size_t i = 0; i < returns.size(); ++i) {
        growth *= 1.0 + returns[i];
        peak = std::max(peak, growth);
        s.max_drawdown_pct = std::max(s.max_drawdown_pct, (peak - growth) / peak * 100.0);
        const double delta = returns[i] - mean;
        mean += delta / static_cast<double>(i + 1);
        m2 += delta * (returns[i] - mean);
    }
    s.total_return_pct = (growth - 1.0) * 100.0;
    if (returns.size() >= 2 && m2 > 0.0)
        s.sharpe_ratio = mean / std::sqrt(m2 / static_cast<double>(returns.size() - 1)) * std::sqrt(periods_per_year);
    s.oos_annual_return_pct = annualised_pct(growth, returns.size(), periods_per_year);
    s.is_annual_return_pct = s.folds_chosen > 0 ? is_sum / static_cast<double>(s.folds_chosen) : std::nan("");
    s.efficiency = s.is_annual_return_pct > 0.0 ? s.oos_annual_return_pct / s.is_annual_return_pct : std::nan("");
}

}  // namespace

std::vector<Fold> plan_walk_forward(const SweepSpec& spec, const SweepInput& input) {
    const WalkForwardSpec& walk = *spec.walk_forward;
    const Timeline timeline = build_timeline(input.symbols);
    std::vector<Fold> folds = make_folds(timeline.timestamps, walk);
    if (folds.empty())
        throw UserError(fmt::format(
            "{}: walk_forward: train {} then test {} do not fit in the data ({} timestamps{}): shorten the windows",
            spec.walk_forward_where, describe(walk.train), describe(walk.test), timeline.size(),
            timeline.size() > 0 ? fmt::format(" from {} to {}", format_iso8601(timeline.timestamps.front()),
                                              format_iso8601(timeline.timestamps.back()))
                                : std::string()));
    const std::size_t warm_up = longest_warm_up(spec);
    for (std::size_t k = 0; k < folds.size(); ++k) {
        const std::size_t bars = folds[k].train_end - folds[k].train_begin;
        if (bars <= warm_up)
            throw UserError(fmt::format(
                "{}: walk_forward.train: fold {}'s train window holds {} timestamps; the grid's longest warm-up "
                "needs more than {} (its largest periods): lengthen the train window",
                spec.walk_forward_where, k + 1, bars, warm_up));
    }
    return folds;
}

WalkForwardOutcome run_walk_forward(SweepSpec& spec, const SweepInput& input, const std::vector<Fold>& folds,
                                    const SweepRequest& request, const std::atomic<bool>* stop,
                                    const std::function<void(const WalkForwardFoldResult&)>& on_fold) {
    const auto started = std::chrono::steady_clock::now();
    spec.overfitting.enabled = false;  // the folds' sweeps are means; the outcome is out of sample
    const Timeline timeline = build_timeline(input.symbols);
    const auto& times = timeline.timestamps;
    const double periods_per_year = spec.periods_per_year.value_or(infer_periods_per_year(timeline));
    const auto end_of = [&](std::size_t index) {
        return index < times.size() ? times[index] : std::numeric_limits<TimestampNs>::max();
    };
    WalkForwardOutcome outcome;
    std::vector<double> returns;
    double equity = 1.0;
    for (std::size_t k = 0; k < folds.size(); ++k) {
        if (stop != nullptr && stop->load()) {
            outcome.interrupted = true;
            break;
        }
        const Fold& fold = folds[k];
        WalkForwardFoldResult result;
        result.index = k + 1;
        result.fold = fold;
        result.train_from_ns = times[fold.train_begin];
        result.train_to_ns = times[fold.train_end - 1];
        result.test_from_ns = times[fold.test_begin];
        result.test_to_ns = times[fold.test_end - 1];

        SweepRequest train_request = request;
        train_request.replay_from = result.train_from_ns;
        const SweepRunner runner(spec, SweepInput{bars_before(input.symbols, end_of(fold.train_end)), input.recordings},
                                 train_request);
        RankingOnly outputs;
        const SweepOutcome trained = runner.run(outputs, stop, nullptr);
        if (trained.interrupted) {
            outcome.interrupted = true;
            break;
        }
        result.combinations = trained.rows_written;
        if (!trained.top.empty()) {
            result.chosen = true;
            result.combination = trained.top.front().row.combination;
            result.params = trained.top.front().params;
            result.in_sample = trained.top.front().row.metrics;
            const std::vector<SymbolBars> test_bars = bars_before(input.symbols, end_of(fold.test_end));
            const ReplayData test_data = prepare_replay_data(test_bars, periods_per_year, result.test_from_ns);
            OwnedSeries series(test_bars);
            std::vector<double> test_returns;
            ReplayResult replayed = run_replay(spec.strategy, test_data, result.params, series, &test_returns);
            result.out_of_sample = replayed.metrics;
            result.trades = std::move(replayed.trades);
            for (std::size_t i = 0; i < test_returns.size(); ++i) {
                equity *= 1.0 + test_returns[i];
                outcome.stitched_time_ns.push_back(test_data.timeline.timestamps[i + 1]);
                outcome.stitched_equity.push_back(equity);
            }
            returns.insert(returns.end(), test_returns.begin(), test_returns.end());
        }
        if (on_fold) on_fold(result);
        outcome.folds.push_back(std::move(result));
    }
    summarise(outcome, returns, periods_per_year);
    outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return outcome;
}

}  // namespace tapegrid
