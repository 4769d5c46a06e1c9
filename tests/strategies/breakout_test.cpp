// Pins every rule of breakout (docs/STRATEGIES.md), with values worked out by hand.
#include "strategies/breakout.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "tests/strategies/step_harness.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using Harness = testing::StepHarness<Breakout>;

// The 20 bars before: highest high 105, lowest low 95; the 10 bars before: highest high 103,
// lowest low 98; ATR 2.
constexpr Breakout::BarInputs kInputs{105.0, 95.0, 103.0, 98.0, 2.0};

TEST(Breakout, BuysACloseAboveTheChannelHighWithAnAtrStopAndNoTarget) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs);
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].direction, 1);
    EXPECT_EQ(h.sink().entries[0].fill, 106.0);
    EXPECT_EQ(h.stop(), 106.0 - 2.0 * 2.0);  // atr_mult 2 x ATR 2
    EXPECT_EQ(h.target(), INFINITY);
}

TEST(Breakout, NeedsACloseStrictlyBeyondTheChannel) {
    Harness h({{"allow_short", "true"}});
    h.bar(104.0, 107.0, 103.0, 105.0, kInputs);  // close == channel high; the high above it does not count
    h.bar(96.0, 97.0, 94.0, 95.0, kInputs);      // close == channel low
    EXPECT_TRUE(h.sink().entries.empty());
}

TEST(Breakout, ExitsAtTheCloseBelowTheExitChannelLow) {
    Harness h({{"atr_mult", "0"}});  // no stop: only the exit channel closes the position
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs);
    EXPECT_EQ(h.stop(), -INFINITY);            // none: no price reaches it
    h.bar(100.0, 101.0, 97.0, 98.0, kInputs);  // close == exit low 98: not below it
    EXPECT_TRUE(h.sink().exits.empty());
    h.bar(100.0, 101.0, 97.0, 97.5, kInputs);  // close 97.5 < 98
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kSignal);
    EXPECT_EQ(h.sink().exits[0].fill, 97.5);
    EXPECT_EQ(h.sink().exits[0].pnl, (97.5 - 106.0) * 10);
    EXPECT_EQ(h.direction(), 0.0);
}

TEST(Breakout, StopFillsAtTheStopOrAtAnOpenThatGapsThroughIt) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs);  // stop 102
    h.bar(103.0, 104.0, 101.0, 103.5, kInputs);  // low 101 <= 102: filled at min(open 103, 102)
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kStopLoss);
    EXPECT_EQ(h.sink().exits[0].fill, 102.0);
    EXPECT_EQ(h.sink().exits[0].pnl, (102.0 - 106.0) * 10);

    Harness gap;
    gap.bar(104.0, 106.5, 103.5, 106.0, kInputs);
    gap.bar(100.0, 101.0, 99.0, 100.5, kInputs);  // opens below the stop: filled at the open 100
    ASSERT_EQ(gap.sink().exits.size(), 1u);
    EXPECT_EQ(gap.sink().exits[0].fill, 100.0);
}

TEST(Breakout, LetsAWinnerRunWithoutATarget) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs);
    h.bar(106.0, 1000.0, 105.0, 900.0, kInputs);
    EXPECT_TRUE(h.sink().exits.empty());
}

TEST(Breakout, ShortsBelowTheChannelLowAndCoversAboveTheExitHighWhenAllowed) {
    Harness long_only;
    long_only.bar(96.0, 96.5, 93.5, 94.0, kInputs);
    EXPECT_TRUE(long_only.sink().entries.empty());

    Harness h({{"allow_short", "true"}, {"atr_mult", "3"}});
    h.bar(96.0, 96.5, 93.5, 94.0, kInputs);  // close 94 < channel low 95
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].direction, -1);
    EXPECT_EQ(h.stop(), 94.0 + 3.0 * 2.0);   // 100
    EXPECT_EQ(h.target(), -INFINITY);        // none
    h.bar(99.0, 99.5, 98.5, 99.0, kInputs);  // below the stop 100 and not above the exit high 103
    EXPECT_TRUE(h.sink().exits.empty());
    Harness covered({{"allow_short", "true"}, {"atr_mult", "0"}});
    covered.bar(96.0, 96.5, 93.5, 94.0, kInputs);
    EXPECT_EQ(covered.stop(), INFINITY);
    covered.bar(103.0, 104.0, 102.5, 103.5, kInputs);  // close 103.5 > exit high 103
    ASSERT_EQ(covered.sink().exits.size(), 1u);
    EXPECT_EQ(covered.sink().exits[0].reason, ExitReason::kSignal);
    EXPECT_EQ(covered.sink().exits[0].pnl, -(103.5 - 94.0) * 10);
}

TEST(Breakout, WarmUpIsTheLongestWindow) {
    const auto params = [](const char* channel, const char* exit, const char* atr) {
        return apply_overrides(strategy_info<Breakout>(), default_params(strategy_info<Breakout>().params),
                               {{"channel_period", channel}, {"exit_period", exit}, {"atr_period", atr}}, "test");
    };
    EXPECT_EQ(Breakout::first_signal_bar(params("20", "10", "14")), 20u);
    EXPECT_EQ(Breakout::first_signal_bar(params("5", "30", "14")), 30u);
    EXPECT_EQ(Breakout::first_signal_bar(params("5", "3", "14")), 14u);
}

// Whole replays over flat bars (high = low = close) 10, 9, 8, 9, 8.5, 8, 10, 12, 11, 11.5 with
// channel_period 2, exit_period 1, no stop; from bar 2 (the warm-up):
//   long only: bar 6: 10 > max(8.5, 8): long at 10; bar 7: 12 is not < 10; bar 8: 11 < 12:
//   exit at 11 (+10). Nothing else breaks out (bar 3: 9 > max(9, 8) fails, equal is not above).
//   with shorts: bar 2: 8 < min(10, 9): short at 8; bar 3: 9 > 8: cover at 9 (-10); bar 5:
//   8 < min(9, 8.5): short at 8; bar 6: 10 > 8: cover at 10 (-20), and 10 > max(8.5, 8): long
//   at 10; bar 8: exit at 11 (+10). Total -20.
TEST(Breakout, ReplaysAHandWorkedSeries) {
    std::vector<SymbolBars> symbols{testing::flat_daily_bars("TEST", testing::kHandWorkedCloses)};
    const ReplayData data = prepare_replay_data(symbols, 252.0);
    const auto replay = [&](const char* allow_short) {
        const ParamSet params =
            apply_overrides(strategy_info<Breakout>(), default_params(strategy_info<Breakout>().params),
                            {{"channel_period", "2"},
                             {"exit_period", "1"},
                             {"atr_period", "1"},
                             {"atr_mult", "0"},
                             {"allow_short", allow_short}},
                            "test");
        return run_replay(Breakout::kName, data, params);
    };
    const ReplayResult long_only = replay("false");
    ASSERT_EQ(long_only.trades.size(), 1u);
    EXPECT_EQ(long_only.trades[0].entry_bar, 6u);
    EXPECT_EQ(long_only.trades[0].exit_bar, 8u);
    EXPECT_EQ(long_only.trades[0].exit_reason, ExitReason::kSignal);
    EXPECT_EQ(long_only.trades[0].pnl, 10.0);

    const ReplayResult both = replay("true");
    ASSERT_EQ(both.trades.size(), 3u);
    EXPECT_EQ(both.trades[0].direction, -1);
    EXPECT_EQ(both.trades[0].entry_bar, 2u);
    EXPECT_EQ(both.trades[0].exit_bar, 3u);
    EXPECT_EQ(both.trades[0].pnl, -10.0);
    EXPECT_EQ(both.trades[1].entry_bar, 5u);
    EXPECT_EQ(both.trades[1].pnl, -20.0);
    EXPECT_EQ(both.trades[2].direction, 1);
    EXPECT_EQ(both.trades[2].entry_price, 10.0);
    EXPECT_EQ(both.trades[2].pnl, 10.0);
    EXPECT_EQ(both.metrics.total_pnl, -20.0);
    EXPECT_EQ(both.metrics.winning_trades, 1);
}

}  // namespace
}  // namespace tapegrid
