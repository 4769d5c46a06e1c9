// Pins every rule of momentum (docs/STRATEGIES.md).
#include "strategies/momentum.h"

#include <gtest/gtest.h>

#include "tests/strategies/step_harness.h"

namespace tapegrid {
namespace {

using Harness = testing::StepHarness<Momentum>;

// The 20 bars before: highest high 105, lowest low 95, mean volume 1000; ATR 2.
constexpr Momentum::BarInputs kInputs{105.0, 95.0, 1000.0, 2.0};

TEST(Momentum, BuysABreakoutAboveThePriorHighOnHeavyVolume) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs, false, /*volume=*/1600.0);  // ratio 1.6 >= 1.5
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].fill, 106.0);
    EXPECT_EQ(h.sink().entries[0].stop, 106.0 - 2.0 * 2.0);    // atr_stop_mult 2
    EXPECT_EQ(h.sink().entries[0].target, 106.0 + 3.0 * 2.0);  // atr_target_mult 3
}

TEST(Momentum, NeedsTheVolumeRatio) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs, false, 1499.0);  // ratio 1.499 < 1.5
    EXPECT_TRUE(h.sink().entries.empty());
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs, false, 1500.0);  // ratio exactly 1.5
    EXPECT_EQ(h.sink().entries.size(), 1u);
}

TEST(Momentum, NeedsACloseStrictlyAboveThePriorHigh) {
    Harness h;
    h.bar(104.0, 106.0, 103.5, 105.0, kInputs, false, 5000.0);  // close == prior high
    EXPECT_TRUE(h.sink().entries.empty());
}

TEST(Momentum, NoVolumeHistoryMeansNoEntryUnlessTheFilterIsOff) {
    const Momentum::BarInputs silent{105.0, 95.0, 0.0, 2.0};  // the bars before traded nothing
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, silent, false, 0.0);
    EXPECT_TRUE(h.sink().entries.empty());
    Harness no_filter({{"min_volume_ratio", "0"}});
    no_filter.bar(104.0, 106.5, 103.5, 106.0, silent, false, 0.0);
    EXPECT_EQ(no_filter.sink().entries.size(), 1u);
}

TEST(Momentum, ExitsAtTheAtrStopOrTarget) {
    Harness h;
    h.bar(104.0, 106.5, 103.5, 106.0, kInputs, false, 1600.0);  // stop 102, target 112
    h.bar(106.0, 111.0, 103.0, 110.0, kInputs);                 // inside both levels
    EXPECT_TRUE(h.sink().exits.empty());
    h.bar(110.0, 113.0, 109.0, 112.5, kInputs);
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kTakeProfit);
    EXPECT_EQ(h.sink().exits[0].fill, 112.0);
    EXPECT_EQ(h.sink().exits[0].pnl, (112.0 - 106.0) * 10);
}

TEST(Momentum, ShortsABreakdownBelowThePriorLowWhenAllowed) {
    Harness long_only;
    long_only.bar(96.0, 96.5, 93.5, 94.0, kInputs, false, 2000.0);
    EXPECT_TRUE(long_only.sink().entries.empty());
    Harness h({{"allow_short", "true"}});
    h.bar(96.0, 96.5, 93.5, 94.0, kInputs, false, 2000.0);  // close 94 < prior low 95
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].direction, -1);
    EXPECT_EQ(h.stop(), 94.0 + 2.0 * 2.0);    // 98
    EXPECT_EQ(h.target(), 94.0 - 3.0 * 2.0);  // 88
    h.bar(97.0, 99.0, 96.0, 98.5, kInputs);   // high 99 >= stop 98: filled at max(open 97, 98)
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].fill, 98.0);
    EXPECT_EQ(h.sink().exits[0].pnl, -(98.0 - 94.0) * 10);
}

TEST(Momentum, WarmUpIsTheLongestWindow) {
    const ParamSet params =
        apply_overrides(strategy_info<Momentum>(), default_params(strategy_info<Momentum>().params),
                        {{"lookback", "30"}, {"volume_period", "10"}, {"atr_period", "14"}}, "test");
    EXPECT_EQ(Momentum::first_signal_bar(params), 30u);
}

}  // namespace
}  // namespace tapegrid
