// Pins every metric of docs/METRICS.md with numbers worked out by hand (or, for the square
// roots, with Python's statistics module: noted beside each).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/replay/equity_stats.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "strategies/registry.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

// Capital 100 and equity changes 0, +10, -20, +5, +15: equity 100, 110, 90, 95, 110.
ReplayMetrics curve_metrics(double periods_per_year) {
    EquityStats<2> stats(EquityStats<2>::Row::Constant(100.0));
    const double changes[] = {0.0, 10.0, -20.0, 5.0, 15.0};
    std::vector<Lanes<2>::Doubles> lanes;
    for (const double change : changes) lanes.push_back(Lanes<2>::splat(change));
    stats.add_chunk(lanes.data(), 2);  // in two chunks, as a long replay would hand them over
    stats.add_chunk(lanes.data() + 2, 3);
    ReplayMetrics metrics;
    stats.finish(0, periods_per_year, metrics);
    return metrics;
}

// The same curve's 4 returns (0.1, -2/11, 1/18, 3/19) cut into 3 blocks: block b holds returns
// [floor(4b/3), floor(4(b+1)/3)) = [0, 1), [1, 2), [2, 4). Its sums: 0.1; -2/11; 1/18 + 3/19.
// The sums are kept per lane, whatever the chunks; and with 5 blocks (more than returns) the
// empty ones are zero: [0, 0), [0, 1), [1, 2), [2, 3), [3, 4).
TEST(Metrics, BlockSumsOfTheReturns) {
    const double changes[] = {0.0, 10.0, -20.0, 5.0, 15.0};
    std::vector<Lanes<2>::Doubles> lanes;
    for (const double change : changes) lanes.push_back(Lanes<2>::splat(change));
    EquityStats<2> three(EquityStats<2>::Row::Constant(100.0), ReturnBlocking{4, 3});
    three.add_chunk(lanes.data(), 3);
    three.add_chunk(lanes.data() + 3, 2);
    std::vector<double> both;
    three.block_returns(1, both);
    ASSERT_EQ(both.size(), 6u);  // 3 sums, then 3 sums of squares
    const std::vector<double> sums(both.begin(), both.begin() + 3), squares(both.begin() + 3, both.end());
    EXPECT_DOUBLE_EQ(sums[0], 110.0 / 100.0 - 1.0);
    EXPECT_DOUBLE_EQ(sums[1], 90.0 / 110.0 - 1.0);
    EXPECT_DOUBLE_EQ(sums[2], (95.0 / 90.0 - 1.0) + (110.0 / 95.0 - 1.0));
    EXPECT_DOUBLE_EQ(squares[2],
                     (95.0 / 90.0 - 1.0) * (95.0 / 90.0 - 1.0) + (110.0 / 95.0 - 1.0) * (110.0 / 95.0 - 1.0));
    EquityStats<2> five(EquityStats<2>::Row::Constant(100.0), ReturnBlocking{4, 5});
    five.add_chunk(lanes.data(), 5);
    both.clear();
    five.block_returns(0, both);
    ASSERT_EQ(both.size(), 10u);
    EXPECT_EQ(both[0], 0.0);
    EXPECT_EQ(both[1], 110.0 / 100.0 - 1.0);  // 0.1 as the replay computes it
    EXPECT_DOUBLE_EQ(both[4], 110.0 / 95.0 - 1.0);
    // Keeping blocks changes none of the curve's figures.
    ReplayMetrics with_blocks;
    five.finish(0, 252.0, with_blocks);
    EXPECT_EQ(with_blocks.sharpe_ratio, curve_metrics(252.0).sharpe_ratio);
}

TEST(Metrics, DrawdownIsMeasuredFromTheRunningPeak) {
    const ReplayMetrics m = curve_metrics(252.0);
    // Peaks 100, 110, 110, 110, 110; drawdowns 0, 0, 20, 15, 0.
    EXPECT_DOUBLE_EQ(m.max_drawdown, 20.0);
    EXPECT_DOUBLE_EQ(m.max_drawdown_pct, 20.0 / 110.0 * 100.0);  // 18.1818...%
    EXPECT_DOUBLE_EQ(m.final_equity, 110.0);
    EXPECT_EQ(m.equity_points, 5);
}

TEST(Metrics, SharpeAndSortinoAreAnnualisedFromPerPeriodReturns) {
    const ReplayMetrics m = curve_metrics(252.0);
    // Returns 0.1, -2/11, 1/18, 3/19: mean 0.032591..., sample std (ddof 1) 0.147720...;
    // sharpe = mean / std * sqrt(252) = 3.5023458101456 (Python: statistics.stdev).
    EXPECT_NEAR(m.sharpe_ratio, 3.5023458101456, 1e-12);
    // Downside deviation sqrt(((-2/11)^2) / 4) = 1/11 = 0.0909...; sortino = mean / (1/11) * sqrt(252)
    // = 5.74638618087363.
    EXPECT_NEAR(m.sortino_ratio, 5.74638618087363, 1e-12);
    // Annualisation scales both by sqrt(periods_per_year).
    EXPECT_NEAR(curve_metrics(1.0).sharpe_ratio, 3.5023458101456 / std::sqrt(252.0), 1e-12);
}

TEST(Metrics, RatiosAreZeroWithoutVariation) {
    EquityStats<2> stats(EquityStats<2>::Row::Constant(1000.0));
    const Lanes<2>::Doubles flat[] = {Lanes<2>::splat(0.0), Lanes<2>::splat(0.0), Lanes<2>::splat(0.0)};
    stats.add_chunk(flat, 3);
    ReplayMetrics m;
    stats.finish(0, 252.0, m);
    EXPECT_EQ(m.sharpe_ratio, 0.0);
    EXPECT_EQ(m.sortino_ratio, 0.0);
    EXPECT_EQ(m.max_drawdown, 0.0);
}

// ma_crossover with fast SMA(1) (the close) and slow SMA(2) over flat bars (open = high = low
// = close): long from a close that rose after one that did not, out at a close that fell.
ReplayResult crossover_replay(const std::vector<double>& closes) {
    const std::vector<SymbolBars> symbols{testing::flat_daily_bars("TEST", closes)};
    const ReplayData data = prepare_replay_data(symbols, 252.0);
    const StrategyInfo& strategy = strategy_info<MaCrossover>();
    return run_replay(MaCrossover::kName, data,
                      apply_overrides(strategy, default_params(strategy.params),
                                      {{"fast_period", "1"}, {"slow_period", "2"}}, "test"));
}

// The hand-worked series of tests/strategies/ma_crossover_test.cpp (trades -5, +10, 0), with
// its equity: 100000 for bars 0-3, 99995 for 4-6 (the first trade lost 5), 100015 at bar 7
// (long from 10, close 12: +20 open), 100005 for bars 8-9.
ReplayResult hand_worked_replay() {
    return crossover_replay({10, 9, 8, 9, 8.5, 8, 10, 12, 11, 11.5});
}

TEST(Metrics, TradeCountsWinRateAndProfitFactor) {
    const ReplayMetrics m = hand_worked_replay().metrics;
    EXPECT_EQ(m.total_trades, 3);
    EXPECT_EQ(m.winning_trades, 1);  // pnl > 0
    EXPECT_EQ(m.losing_trades, 2);   // pnl <= 0: the -5 and the 0
    EXPECT_DOUBLE_EQ(m.win_rate, 100.0 / 3.0);
    EXPECT_EQ(m.total_pnl, 5.0);
    EXPECT_EQ(m.gross_profit, 10.0);
    EXPECT_EQ(m.gross_loss, 5.0);
    EXPECT_EQ(m.profit_factor, 2.0);
    EXPECT_DOUBLE_EQ(m.average_trade, 5.0 / 3.0);
}

TEST(Metrics, ExposureCountsBarsHeldAtTheClose) {
    // Held at the close of bars 3, 6 and 7 (bar 9's entry closed at the same close): 3 of 10.
    EXPECT_DOUBLE_EQ(hand_worked_replay().metrics.exposure_pct, 30.0);
}

TEST(Metrics, EquityCurveOfAReplayIsMarkedToMarket) {
    const ReplayMetrics m = hand_worked_replay().metrics;
    // Peak 100015 (bar 7), then 100005: the deepest drawdown is 10, i.e. 10/100015 of the peak.
    EXPECT_DOUBLE_EQ(m.max_drawdown, 10.0);
    EXPECT_DOUBLE_EQ(m.max_drawdown_pct, 10.0 / 100015.0 * 100.0);
    EXPECT_DOUBLE_EQ(m.final_equity, 100005.0);
    // Returns over the 10 points (Python, statistics.stdev): sharpe 1.0920918231028016,
    // sortino 2.367899147409479.
    EXPECT_NEAR(m.sharpe_ratio, 1.0920918231028016, 1e-9);
    EXPECT_NEAR(m.sortino_ratio, 2.367899147409479, 1e-9);
}

TEST(Metrics, ProfitFactorIsInfiniteWithProfitsAndNoLosses) {
    // Long at 9 (bar 3), out at 9.5 (bar 5): one trade of +5, nothing lost.
    const ReplayMetrics m = crossover_replay({10, 9, 8, 9, 10, 9.5}).metrics;
    EXPECT_EQ(m.total_trades, 1);
    EXPECT_EQ(m.total_pnl, 5.0);
    EXPECT_EQ(m.gross_loss, 0.0);
    EXPECT_EQ(m.profit_factor, std::numeric_limits<double>::infinity());
    EXPECT_EQ(m.win_rate, 100.0);
}

TEST(Metrics, NoTradesMeansZeroes) {
    const ReplayMetrics m = crossover_replay({10, 9, 8, 7, 6}).metrics;  // never rises: no cross
    EXPECT_EQ(m.total_trades, 0);
    EXPECT_EQ(m.win_rate, 0.0);
    EXPECT_EQ(m.profit_factor, 0.0);
    EXPECT_EQ(m.average_trade, 0.0);
    EXPECT_EQ(m.final_equity, 100000.0);
}

TEST(Metrics, PeriodsPerYearFollowTheBarsPerDay) {
    std::vector<SymbolBars> symbols(2);
    // 3 days of 390 one-minute bars for one symbol, the other the same days at other minutes.
    for (std::size_t s = 0; s < 2; ++s) {
        symbols[s].symbol = std::string(1, static_cast<char>('A' + s));
        for (int day = 0; day < 3; ++day)
            for (int minute = 0; minute < 390; ++minute)
                symbols[s].timestamp_ns.push_back((day + 10) * kNsPerDay +
                                                  (minute * 2 + static_cast<int>(s)) * kNsPerMinute);
    }
    // 2 * 390 distinct timestamps a day: 252 * 780.
    EXPECT_DOUBLE_EQ(infer_periods_per_year(build_timeline(symbols)), 252.0 * 780.0);
}

}  // namespace
}  // namespace tapegrid
