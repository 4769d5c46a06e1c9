// The scalar reference kernel of the benchmarks (bench/reference_kernel.h) gives the sweep's rows
// to the bit, trades, pnl and equity-curve figures alike, at any thread count: what makes its
// timings a fair yardstick for the sweep's.
#include "bench/reference_kernel.h"

#include <gtest/gtest.h>

#include "engine/replay/replay_data.h"
#include "engine/sweep/sweep_graph.h"
#include "engine/synthetic/market_generator.h"
#include "strategies/registry.h"

namespace tapegrid {
namespace {

class CollectingSink final : public RowSink {
  public:
    void write(const std::vector<SweepRow>& rows) override {
        this->rows.insert(this->rows.end(), rows.begin(), rows.end());
    }
    std::vector<SweepRow> rows;
};

const std::vector<SymbolBars>& market() {
    static const std::vector<SymbolBars> bars = [] {
        MarketGeneratorOptions options;
        options.symbols = 4;
        options.bars = 20'000;
        options.seed = 7;
        return generate_market(options).bars;
    }();
    return bars;
}

// 3 x 2 x 2 x 2 x 2 x 2 = 96 combinations, long only (allow_short stays at its default). The 0.25 %
// stop and target are within one bar's range often enough that bars touching both occur: the
// stop-first rule is exercised (exiting at the target first instead fails 240 checks).
ParameterGrid grid() {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    return ParameterGrid(strategy, default_params(strategy.params),
                         {{MeanReversion::kBbPeriod, {10, 20, 30}},
                          {MeanReversion::kBbStd, {1.5, 2.5}},
                          {MeanReversion::kRsiPeriod, {7, 14}},
                          {MeanReversion::kRsiThreshold, {25, 35}},
                          {MeanReversion::kStopLossPct, {0.25, 1.5}},
                          {MeanReversion::kTakeProfitPct, {0.25, 2.0}}},
                         {});
}

bench::ReferenceCombination combination_of(const ParamSet& p) {
    return {.bb_period = static_cast<int>(p[MeanReversion::kBbPeriod]),
            .bb_std = p[MeanReversion::kBbStd],
            .rsi_period = static_cast<int>(p[MeanReversion::kRsiPeriod]),
            .rsi_threshold = p[MeanReversion::kRsiThreshold],
            .stop_loss_pct = p[MeanReversion::kStopLossPct],
            .take_profit_pct = p[MeanReversion::kTakeProfitPct]};
}

bool same_rows(const bench::ReferenceRow& a, const bench::ReferenceRow& b) {
    return a.total_trades == b.total_trades && a.winning_trades == b.winning_trades &&
           a.losing_trades == b.losing_trades && a.total_pnl == b.total_pnl && a.gross_profit == b.gross_profit &&
           a.gross_loss == b.gross_loss && a.final_equity == b.final_equity && a.max_drawdown == b.max_drawdown &&
           a.max_drawdown_pct == b.max_drawdown_pct && a.sharpe_ratio == b.sharpe_ratio &&
           a.sortino_ratio == b.sortino_ratio;
}

struct Sweep {
    std::vector<SweepRow> rows;
    std::vector<bench::ReferenceCombination> combinations;  // of rows, in the same order
    double periods_per_year = 0.0;
};

const Sweep& tapegrid_sweep() {
    static const Sweep sweep = [] {
        const ReplayData data = prepare_replay_data(market(), std::nullopt);
        const ParameterGrid parameter_grid = grid();
        const SweepPlan plan = plan_sweep(parameter_grid, data, 2);
        RankSpec rank;
        rank.keys = {{Metric::kSharpeRatio, true}};
        CollectingSink sink;
        SweepRunOptions options;
        options.threads = 2;
        run_sweep(data, parameter_grid, plan, rank, sink, options);
        Sweep result;
        result.rows = std::move(sink.rows);
        for (const SweepRow& row : result.rows)
            result.combinations.push_back(combination_of(parameter_grid.at(row.combination)));
        result.periods_per_year = data.periods_per_year;
        return result;
    }();
    return sweep;
}

TEST(ReferenceKernel, GivesTheSweepsRows) {
    const Sweep& sweep = tapegrid_sweep();
    ASSERT_EQ(sweep.rows.size(), 96u);
    const auto reference = bench::run_reference_sweep(market(), sweep.combinations, sweep.periods_per_year, 2);
    ASSERT_EQ(reference.size(), sweep.rows.size());
    std::int64_t trades = 0;
    for (std::size_t k = 0; k < reference.size(); ++k) {
        const ReplayMetrics& expected = sweep.rows[k].metrics;
        const bench::ReferenceRow& row = reference[k];
        SCOPED_TRACE("row " + std::to_string(k) + ", combination " + std::to_string(sweep.rows[k].combination));
        EXPECT_EQ(row.total_trades, expected.total_trades);
        EXPECT_EQ(row.winning_trades, expected.winning_trades);
        EXPECT_EQ(row.losing_trades, expected.losing_trades);
        EXPECT_EQ(row.total_pnl, expected.total_pnl);
        EXPECT_EQ(row.gross_profit, expected.gross_profit);
        EXPECT_EQ(row.gross_loss, expected.gross_loss);
        EXPECT_EQ(row.final_equity, expected.final_equity);
        EXPECT_EQ(row.max_drawdown, expected.max_drawdown);
        EXPECT_EQ(row.max_drawdown_pct, expected.max_drawdown_pct);
        EXPECT_EQ(row.sharpe_ratio, expected.sharpe_ratio);
        EXPECT_EQ(row.sortino_ratio, expected.sortino_ratio);
        trades += row.total_trades;
    }
    EXPECT_GT(trades, 100);
}

TEST(ReferenceKernel, RowsDoNotDependOnTheThreadCount) {
    const Sweep& sweep = tapegrid_sweep();
    const auto one = bench::run_reference_sweep(market(), sweep.combinations, sweep.periods_per_year, 1);
    const auto two = bench::run_reference_sweep(market(), sweep.combinations, sweep.periods_per_year, 2);
    ASSERT_EQ(one.size(), two.size());
    for (std::size_t k = 0; k < one.size(); ++k) EXPECT_TRUE(same_rows(one[k], two[k])) << "row " << k;
}

}  // namespace
}  // namespace tapegrid
