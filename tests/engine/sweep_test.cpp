// The sweep engine: rows equal single replays, any thread count gives the same rows, a
// hand-worked grid ranks as worked out, constraints and rules drop combinations first.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "engine/core/errors.h"
#include "engine/replay/replay_runner.h"
#include "engine/sweep/sweep_graph.h"
#include "engine/synthetic/market_generator.h"
#include "strategies/registry.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using ::testing::HasSubstr;

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

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
        options.symbols = 3;
        options.bars = 6000;
        options.seed = 17;
        return generate_market(options).bars;
    }();
    return bars;
}

Condition parameter_condition(const StrategyInfo& strategy, const std::string& text) {
    return Condition::parse(
        text, [&](const std::string& name) { return find_param(strategy.params, name); },
        list_param_names(strategy.params));
}

ParameterGrid mean_reversion_grid(std::vector<Condition> constraints = {}) {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    return ParameterGrid(strategy, default_params(strategy.params),
                         {{MeanReversion::kStopLossPct, {0.5, 1.0, 2.0}},
                          {MeanReversion::kBbPeriod, {15, 20}},
                          {MeanReversion::kBbStd, {1.5, 2.0}},
                          {MeanReversion::kRsiThreshold, {30, 40}},
                          {MeanReversion::kTakeProfitPct, {1.0, 2.0, 3.0}},
                          {MeanReversion::kRsiPeriod, {7, 14}}},
                         std::move(constraints));
}

SweepRunResult sweep(const ParameterGrid& grid, std::size_t threads, CollectingSink& sink, const RankSpec& rank,
                     std::size_t blocks_per_task) {
    static const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, blocks_per_task);
    SweepRunOptions options;
    options.threads = threads;
    return run_sweep(data, grid, plan, rank, sink, options);
}

RankSpec by_sharpe(std::size_t top) {
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}, {Metric::kTotalPnl, true}};
    rank.top = top;
    return rank;
}

TEST(SweepGrid, PutsIndicatorParametersOutermost) {
    const ParameterGrid grid = mean_reversion_grid();
    ASSERT_EQ(grid.axes().size(), 6u);
    EXPECT_EQ(grid.axes()[0].param, MeanReversion::kBbPeriod);   // shapes the bands' series
    EXPECT_EQ(grid.axes()[1].param, MeanReversion::kRsiPeriod);  // shapes the RSI's series
    EXPECT_EQ(grid.size(), 3u * 2 * 2 * 2 * 3 * 2);
    // The last axis varies fastest: index 1 differs from index 0 in take_profit_pct only.
    const ParamSet first = grid.at(0), second = grid.at(1);
    EXPECT_EQ(first[MeanReversion::kTakeProfitPct], 1.0);
    EXPECT_EQ(second[MeanReversion::kTakeProfitPct], 2.0);
    EXPECT_EQ(first[MeanReversion::kBbPeriod], second[MeanReversion::kBbPeriod]);
}

TEST(SweepCondition, EvaluatesArithmeticAndSaysWhenUndefined) {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    const Condition condition = parameter_condition(strategy, "take_profit_pct / (stop_loss_pct - 1) > -(2 - 3) * 2");
    ParamSet values = default_params(strategy.params);
    values.values[MeanReversion::kTakeProfitPct] = 6.0;
    values.values[MeanReversion::kStopLossPct] = 3.0;  // 6 / 2 = 3 > 2
    EXPECT_EQ(condition.check(values.values.data()), std::optional<bool>(true));
    values.values[MeanReversion::kStopLossPct] = 4.0;  // 6 / 3 = 2, not > 2
    EXPECT_EQ(condition.check(values.values.data()), std::optional<bool>(false));
    values.values[MeanReversion::kStopLossPct] = 1.0;  // division by zero: undefined, and a filter fails
    EXPECT_EQ(condition.check(values.values.data()), std::nullopt);
    EXPECT_FALSE(condition.holds(values.values.data()));
}

// Parsing and evaluation recurse: nesting and depth are bounded so that no text, however long,
// can overflow the stack (found by the expression fuzzer: 100,000 nested parentheses).
TEST(SweepCondition, RefusesNestingAndDepthThatWouldOverflowTheStack) {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    const auto nested = [](std::size_t levels) {
        return std::string(levels, '(') + "1" + std::string(levels, ')') + " > 0";
    };
    const auto refusal = [&](const std::string& text) -> std::string {
        try {
            parameter_condition(strategy, text);
        } catch (const UserError& error) {
            return error.what();
        }
        return "accepted";
    };
    EXPECT_NO_THROW(parameter_condition(strategy, nested(Condition::kMaxNesting)));
    EXPECT_THAT(refusal(nested(100000)), HasSubstr("expected at most 200 nested parentheses or signs"));
    EXPECT_THAT(refusal(std::string(100000, '-') + "1 > 0"), HasSubstr("expected at most 200 nested parentheses"));
    std::string chain = "1";
    for (int term = 0; term < 100000; ++term) chain += "+1";
    EXPECT_THAT(refusal(chain + " > 0"), HasSubstr("expected a shorter expression (at most 1000 operations deep)"));
    std::string long_but_shallow = "1";
    for (int term = 0; term < 999; ++term) long_but_shallow += "+1";
    const Condition condition = parameter_condition(strategy, long_but_shallow + " == 1000");
    EXPECT_EQ(condition.check(default_params(strategy.params).values.data()), std::optional<bool>(true));
}

TEST(SweepPlan, ConstraintsAndStrategyRulesDropCombinationsBeforeWork) {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    const ParameterGrid grid =
        mean_reversion_grid({parameter_condition(strategy, "take_profit_pct >= 2 * stop_loss_pct")});
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, 1);
    // Pairs (stop, target) with target >= 2 * stop: (0.5: 1, 2, 3), (1: 2, 3), (2: none) -> 5 of 9.
    EXPECT_EQ(plan.combinations, 5u * 2 * 2 * 2 * 2);
    EXPECT_EQ(plan.dropped_by_constraints, 4u * 2 * 2 * 2 * 2);
    EXPECT_EQ(plan.groups.size(), 4u);           // bb_period x rsi_period
    EXPECT_EQ(plan.distinct_series.size(), 6u);  // sma and std_dev of 15 and 20, rsi(7), rsi(14)
    EXPECT_EQ(plan.bar_evaluations, plan.combinations * 18000u);

    const StrategyInfo& crossover = strategy_info<MaCrossover>();
    const ParameterGrid pairs(crossover, default_params(crossover.params),
                              {{MaCrossover::kFastPeriod, {5, 10, 20}}, {MaCrossover::kSlowPeriod, {10, 20}}}, {});
    const SweepPlan crossover_plan = plan_sweep(pairs, data, 1);
    EXPECT_EQ(crossover_plan.combinations, 3u);  // (5,10), (5,20), (10,20)
    EXPECT_EQ(crossover_plan.dropped_by_rules, 3u);
}

TEST(Sweep, EveryRowEqualsASingleReplayBitForBit) {
    const ParameterGrid grid = mean_reversion_grid();
    CollectingSink sink;
    sweep(grid, 2, sink, by_sharpe(5), 2);
    ASSERT_EQ(sink.rows.size(), grid.size());
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    for (std::size_t i = 0; i < sink.rows.size(); i += 7) {
        const SweepRow& row = sink.rows[i];
        const ReplayMetrics single = run_replay(MeanReversion::kName, data, grid.at(row.combination)).metrics;
        EXPECT_EQ(row.metrics.total_trades, single.total_trades) << row.combination;
        for (const Metric metric : kAllMetrics)
            EXPECT_TRUE(same_bits(metric_value(row.metrics, metric), metric_value(single, metric)))
                << "combination " << row.combination << " " << metric_name(metric);
    }
}

// Every strategy sweeps through the same lane kernel: the newest one, breakout (channels shared
// between groups, an exit signal, optional stops and shorts), row for row against single replays.
TEST(Sweep, BreakoutRowsEqualSingleReplaysBitForBit) {
    const StrategyInfo& strategy = strategy_info<Breakout>();
    const ParameterGrid grid(strategy, default_params(strategy.params),
                             {{Breakout::kChannelPeriod, {10, 20}},
                              {Breakout::kExitPeriod, {5, 10}},
                              {Breakout::kAtrMult, {0, 1.5, 3}},
                              {Breakout::kAllowShort, {0, 1}}},
                             {});
    CollectingSink sink;
    sweep(grid, 2, sink, by_sharpe(3), 1);
    ASSERT_EQ(sink.rows.size(), grid.size());
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    for (const SweepRow& row : sink.rows) {
        const ReplayMetrics single = run_replay(Breakout::kName, data, grid.at(row.combination)).metrics;
        EXPECT_GT(single.total_trades, 0) << row.combination;
        for (const Metric metric : kAllMetrics)
            EXPECT_TRUE(same_bits(metric_value(row.metrics, metric), metric_value(single, metric)))
                << "combination " << row.combination << " " << metric_name(metric);
    }
}

TEST(Sweep, ResultsAreIdenticalAtAnyThreadCountAndTaskSize) {
    const ParameterGrid grid = mean_reversion_grid();
    CollectingSink one, two, other_tasks;
    const SweepRunResult a = sweep(grid, 1, one, by_sharpe(10), 8);
    const SweepRunResult b = sweep(grid, 2, two, by_sharpe(10), 8);
    const SweepRunResult c = sweep(grid, 2, other_tasks, by_sharpe(10), 1);
    ASSERT_EQ(one.rows.size(), two.rows.size());
    ASSERT_EQ(one.rows.size(), other_tasks.rows.size());
    for (std::size_t i = 0; i < one.rows.size(); ++i) {
        EXPECT_EQ(one.rows[i].combination, two.rows[i].combination);
        EXPECT_EQ(one.rows[i].combination, other_tasks.rows[i].combination);
        for (const Metric metric : kAllMetrics) {
            EXPECT_TRUE(
                same_bits(metric_value(one.rows[i].metrics, metric), metric_value(two.rows[i].metrics, metric)));
            EXPECT_TRUE(same_bits(metric_value(one.rows[i].metrics, metric),
                                  metric_value(other_tasks.rows[i].metrics, metric)));
        }
    }
    ASSERT_EQ(a.top.size(), 10u);
    for (std::size_t i = 0; i < a.top.size(); ++i) {
        EXPECT_EQ(a.top[i].combination, b.top[i].combination);
        EXPECT_EQ(a.top[i].combination, c.top[i].combination);
    }
}

// The hand-worked ma_crossover series of tests/strategies/ma_crossover_test.cpp: fast SMA(1),
// slow SMA(2) over flat bars, closes 10, 9, 8, 9, 8.5, 8, 10, 12, 11, 11.5. Without a target
// its trades make -5, +10, 0 per 10 shares. With take_profit_pct 10 the second long (from 10)
// reaches 11 at bar 7, whose open 12 is above the target: filled at max(12, 11) = 12, +20.
// So, per position_size q: no target 0.5 q, target 10% 1.5 q.
TEST(Sweep, HandWorkedGridRanksAsWorkedOut) {
    const std::vector<SymbolBars> symbols{testing::flat_daily_bars("TEST", testing::kHandWorkedCloses)};
    const ReplayData data = prepare_replay_data(symbols, 252.0);
    const StrategyInfo& strategy = strategy_info<MaCrossover>();
    ParamSet base = default_params(strategy.params);
    base.values[MaCrossover::kFastPeriod] = 1;
    base.values[MaCrossover::kSlowPeriod] = 2;
    const ParameterGrid grid(
        strategy, base,
        {{kCommonOffset<MaCrossover> + kPositionSize, {10, 20}}, {MaCrossover::kTakeProfitPct, {0, 10}}}, {});
    const SweepPlan plan = plan_sweep(grid, data, 1);
    RankSpec rank;
    rank.keys = {{Metric::kTotalPnl, true}};
    rank.top = 4;
    CollectingSink sink;
    const SweepRunResult result = run_sweep(data, grid, plan, rank, sink, SweepRunOptions{});
    ASSERT_EQ(sink.rows.size(), 4u);
    // Axes in parameter order (take_profit_pct, then position_size), the last varying fastest:
    // (0, 10), (0, 20), (10, 10), (10, 20).
    EXPECT_EQ(sink.rows[0].metrics.total_pnl, 5.0);
    EXPECT_EQ(sink.rows[1].metrics.total_pnl, 10.0);
    EXPECT_EQ(sink.rows[2].metrics.total_pnl, 15.0);
    EXPECT_EQ(sink.rows[3].metrics.total_pnl, 30.0);
    EXPECT_EQ(sink.rows[2].metrics.winning_trades, 1);
    EXPECT_EQ(sink.rows[2].metrics.gross_profit, 20.0);
    ASSERT_EQ(result.top.size(), 4u);
    EXPECT_EQ(result.top[0].combination, 3u);
    EXPECT_EQ(result.top[1].combination, 2u);
    EXPECT_EQ(result.top[2].combination, 1u);
    EXPECT_EQ(result.top[3].combination, 0u);
}

TEST(Sweep, AStoppedSweepResumedFromItsLastTaskGivesTheSameRowsAndRanking) {
    const ParameterGrid grid = mean_reversion_grid();
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, 1);
    ASSERT_GT(plan.tasks.size(), 8u);
    const RankSpec rank = by_sharpe(6);
    CollectingSink whole;
    const SweepRunResult uninterrupted = run_sweep(data, grid, plan, rank, whole, SweepRunOptions{});

    // Stop after the third task is ranked: tasks already in flight still finish, in order.
    std::atomic<bool> stop{false};
    std::uint64_t tasks_done = 0;
    std::optional<TopRows::State> ranking;
    CollectingSink first_part;
    SweepRunOptions first;
    first.threads = 2;
    first.stop = &stop;
    first.after_task = [&](std::uint64_t done, std::uint64_t, const TopRows& top) {
        tasks_done = done;
        ranking = top.state();
        if (done == 3) stop = true;
    };
    const SweepRunResult stopped = run_sweep(data, grid, plan, rank, first_part, first);
    EXPECT_TRUE(stopped.interrupted);
    ASSERT_GE(tasks_done, 3u);
    ASSERT_LT(tasks_done, plan.tasks.size());
    EXPECT_EQ(first_part.rows.size(), plan.tasks[tasks_done - 1].first_row + plan.tasks[tasks_done - 1].count);

    CollectingSink second_part;
    SweepRunOptions second;
    second.first_task = static_cast<std::size_t>(tasks_done);
    second.ranking = ranking;
    const SweepRunResult resumed = run_sweep(data, grid, plan, rank, second_part, second);
    EXPECT_FALSE(resumed.interrupted);
    std::vector<SweepRow> rows = first_part.rows;
    rows.insert(rows.end(), second_part.rows.begin(), second_part.rows.end());
    ASSERT_EQ(rows.size(), whole.rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].combination, whole.rows[i].combination);
        EXPECT_TRUE(same_bits(rows[i].metrics.sharpe_ratio, whole.rows[i].metrics.sharpe_ratio));
    }
    ASSERT_EQ(resumed.top.size(), uninterrupted.top.size());
    for (std::size_t i = 0; i < resumed.top.size(); ++i)
        EXPECT_EQ(resumed.top[i].combination, uninterrupted.top[i].combination);
    EXPECT_EQ(resumed.ranked_rows, uninterrupted.ranked_rows);
}

// A sink whose position is the rows it holds, and whose writes take a varying moment: the
// threads then finish tasks in every order.
class CountingSink final : public RowSink {
  public:
    void write(const std::vector<SweepRow>& rows) override {
        if (rows.front().combination % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        count += rows.size();
    }
    std::uint64_t position() override { return count; }
    std::uint64_t count = 0;
};

TEST(Sweep, EveryCheckpointFollowsTheRowsWrittenTaskByTask) {
    // after_task is what a checkpoint is taken from: it must see tasks 1, 2, 3, ... each with
    // exactly the rows written up to it, however the threads interleave. (Two serial nodes in a
    // row once passed tasks on out of order under load: a finished shard then counted fewer rows.)
    const ParameterGrid grid = mean_reversion_grid();
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, 1);
    ASSERT_GT(plan.tasks.size(), 8u);
    for (int attempt = 0; attempt < 10; ++attempt) {
        CountingSink sink;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
        SweepRunOptions options;
        options.threads = 8;  // more threads than cores: the OS interleaves them too
        options.after_task = [&](std::uint64_t done, std::uint64_t position, const TopRows&) {
            seen.emplace_back(done, position);
        };
        run_sweep(data, grid, plan, by_sharpe(3), sink, options);
        ASSERT_EQ(seen.size(), plan.tasks.size());
        for (std::size_t i = 0; i < seen.size(); ++i) {
            ASSERT_EQ(seen[i].first, i + 1) << "attempt " << attempt;
            ASSERT_EQ(seen[i].second, plan.tasks[i].first_row + plan.tasks[i].count) << "attempt " << attempt;
        }
    }
}

TEST(Ranking, FiltersTieBreakersAndTheReferenceRank) {
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}, {Metric::kMaxDrawdown, false}};
    rank.min_trades = 5;
    rank.filters.push_back(Condition::parse(
        "max_drawdown_pct <= 10",
        [](const std::string& name) -> std::optional<std::size_t> {
            for (std::size_t i = 0; i < kAllMetrics.size(); ++i)
                if (metric_name(kAllMetrics[i]) == name) return i;
            return std::nullopt;
        },
        list_metric_names()));
    rank.top = 2;
    const auto row = [](std::uint64_t combination, std::int64_t trades, double sharpe, double drawdown, double pct) {
        SweepRow r;
        r.combination = combination;
        r.metrics.total_trades = trades;
        r.metrics.sharpe_ratio = sharpe;
        r.metrics.max_drawdown = drawdown;
        r.metrics.max_drawdown_pct = pct;
        return r;
    };
    TopRows top(rank);
    top.set_reference(row(99, 10, 1.5, 50, 1));
    top.add(row(0, 10, 1.0, 50, 1));
    top.add(row(1, 4, 3.0, 10, 1));  // too few trades
    top.add(row(2, 10, 2.0, 80, 1));
    top.add(row(3, 10, 2.0, 40, 1));   // same sharpe as 2, smaller drawdown: ranks first
    top.add(row(4, 10, 5.0, 10, 20));  // drawdown above 10%: filtered
    top.add(row(5, 10, 1.5, 50, 1));   // ties the reference on every key: the lower index ranks first
    const auto best = top.best();
    ASSERT_EQ(best.size(), 2u);
    EXPECT_EQ(best[0].combination, 3u);
    EXPECT_EQ(best[1].combination, 2u);
    EXPECT_EQ(top.ranked_rows(), 4u);
    EXPECT_EQ(top.reference_rank(), 4u);  // behind 3, 2 and 5
}

}  // namespace
}  // namespace tapegrid
