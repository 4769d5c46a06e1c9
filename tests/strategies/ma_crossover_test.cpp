// Pins every rule of ma_crossover (docs/STRATEGIES.md).
#include "strategies/ma_crossover.h"

#include <gtest/gtest.h>

#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "tests/strategies/step_harness.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using Harness = testing::StepHarness<MaCrossover>;

// {fast, slow, previous fast, previous slow}
constexpr MaCrossover::BarInputs kCrossUp{10.5, 10.0, 9.9, 10.0};
constexpr MaCrossover::BarInputs kCrossDown{9.5, 10.0, 10.1, 10.0};
constexpr MaCrossover::BarInputs kAbove{10.6, 10.0, 10.5, 10.0};

TEST(MaCrossover, BuysWhenFastCrossesAboveSlow) {
    Harness h;
    h.bar(10.0, 10.4, 9.9, 10.3, kAbove);  // already above: no cross
    EXPECT_TRUE(h.sink().entries.empty());
    h.bar(10.0, 10.4, 9.9, 10.3, kCrossUp);
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].fill, 10.3);
}

TEST(MaCrossover, AnEqualPreviousBarCountsAsBelow) {
    Harness h;
    h.bar(10.0, 10.4, 9.9, 10.3, {10.5, 10.0, 10.0, 10.0});  // previous fast == previous slow
    EXPECT_EQ(h.sink().entries.size(), 1u);
}

TEST(MaCrossover, ExitsAtTheCloseWhenFastCrossesBackBelow) {
    Harness h;
    h.bar(10.0, 10.4, 9.9, 10.3, kCrossUp);
    h.bar(10.3, 10.5, 10.0, 10.1, kAbove);
    h.bar(10.1, 10.2, 9.6, 9.8, kCrossDown);
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kSignal);
    EXPECT_EQ(h.sink().exits[0].fill, 9.8);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (9.8 - 10.3) * 10);
    EXPECT_EQ(h.direction(), 0.0);  // long only: no short on the way down
}

TEST(MaCrossover, ReversesIntoAShortWhenAllowed) {
    Harness h({{"allow_short", "true"}});
    h.bar(10.0, 10.4, 9.9, 10.3, kCrossUp);
    h.bar(10.1, 10.2, 9.6, 9.8, kCrossDown);  // the long exits at 9.8, a short opens at 9.8
    ASSERT_EQ(h.sink().exits.size(), 1u);
    ASSERT_EQ(h.sink().entries.size(), 2u);
    EXPECT_EQ(h.sink().entries[1].direction, -1);
    EXPECT_EQ(h.sink().entries[1].fill, 9.8);
    h.bar(9.8, 10.3, 9.7, 10.2, kCrossUp);  // and back: the short exits, a long opens
    ASSERT_EQ(h.sink().exits.size(), 2u);
    EXPECT_DOUBLE_EQ(h.sink().exits[1].pnl, -(10.2 - 9.8) * 10);
    EXPECT_EQ(h.direction(), 1.0);
}

TEST(MaCrossover, HasNoStopOrTargetUnlessSet) {
    Harness h;
    h.bar(10.0, 10.4, 9.9, 10.3, kCrossUp);
    EXPECT_EQ(h.stop(), -INFINITY);  // levels no price reaches: null in JSON, "-" in tables
    EXPECT_EQ(h.target(), INFINITY);
    h.bar(10.3, 30.0, 1.0, 10.4, kAbove);  // a huge range: nothing closes the position
    EXPECT_TRUE(h.sink().exits.empty());

    Harness stopped({{"stop_loss_pct", "5"}, {"take_profit_pct", "10"}});
    stopped.bar(10.0, 10.4, 9.9, 10.3, kCrossUp);
    EXPECT_DOUBLE_EQ(stopped.stop(), 10.3 * 0.95);
    EXPECT_DOUBLE_EQ(stopped.target(), 10.3 * 1.10);
    stopped.bar(10.0, 10.1, 9.7, 9.8, kAbove);  // low 9.7 <= stop 9.785
    ASSERT_EQ(stopped.sink().exits.size(), 1u);
    EXPECT_EQ(stopped.sink().exits[0].reason, ExitReason::kStopLoss);
}

TEST(MaCrossover, FastMustBeShorterThanSlow) {
    EXPECT_THROW(apply_overrides(strategy_info<MaCrossover>(), default_params(strategy_info<MaCrossover>().params),
                                 {{"fast_period", "30"}, {"slow_period", "30"}}, "test"),
                 UserError);
}

// A whole replay with fast SMA(1) (the close) and slow SMA(2): fast > slow exactly when the
// close rose. Closes 10, 9, 8, 9, 8.5, 8, 10, 12, 11, 11.5:
//   bar 3: 9 > 8 after 8 <= 9: cross up, long at 9
//   bar 4: 8.5 < 9 after 9 >= 8: cross down, exit at 8.5 (pnl -5)
//   bar 6: 10 > 8 after 8 <= 8.5: long at 10;  bar 8: 11 < 12 after 12 >= 10: exit at 11 (+10)
//   bar 9: 11.5 > 11 after 11 <= 12: long at 11.5, closed at the same close: end of data (0)
TEST(MaCrossover, ReplaysAHandWorkedSeries) {
    const SymbolBars bars = testing::flat_daily_bars("TEST", testing::kHandWorkedCloses);
    std::vector<SymbolBars> symbols{bars};
    const ReplayData data = prepare_replay_data(symbols, 252.0);
    const ParamSet params =
        apply_overrides(strategy_info<MaCrossover>(), default_params(strategy_info<MaCrossover>().params),
                        {{"fast_period", "1"}, {"slow_period", "2"}}, "test");
    const ReplayResult result = run_replay(MaCrossover::kName, data, params);
    ASSERT_EQ(result.trades.size(), 3u);
    EXPECT_EQ(result.trades[0].entry_bar, 3u);
    EXPECT_EQ(result.trades[0].exit_bar, 4u);
    EXPECT_EQ(result.trades[0].pnl, -5.0);
    EXPECT_EQ(result.trades[1].entry_price, 10.0);
    EXPECT_EQ(result.trades[1].exit_price, 11.0);
    EXPECT_EQ(result.trades[1].pnl, 10.0);
    EXPECT_EQ(result.trades[2].exit_reason, ExitReason::kEndOfData);
    EXPECT_EQ(result.trades[2].pnl, 0.0);
    EXPECT_EQ(result.metrics.total_pnl, 5.0);
}

}  // namespace
}  // namespace tapegrid
