// Pins every rule of mean_reversion (docs/STRATEGIES.md and ../shared/docs/reference-strategy.md).
#include "strategies/mean_reversion.h"

#include <gtest/gtest.h>

#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "io/csv/ohlcv_csv_import.h"
#include "tests/strategies/step_harness.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using Harness = testing::StepHarness<MeanReversion>;

// mid 100, sd 1, bb_std 2: lower band 98, upper band 102.
constexpr MeanReversion::BarInputs kOversold{100.0, 1.0, 25.0};
constexpr MeanReversion::BarInputs kNeutral{100.0, 1.0, 50.0};
constexpr MeanReversion::BarInputs kOverbought{100.0, 1.0, 75.0};

TEST(MeanReversion, EntersLongAtCloseBelowLowerBandWithRsiBelowThreshold) {
    Harness h;
    h.bar(98.0, 98.5, 97.0, 97.5, kOversold);
    ASSERT_EQ(h.sink().entries.size(), 1u);
    const auto& entry = h.sink().entries[0];
    EXPECT_EQ(entry.fill, 97.5);
    EXPECT_EQ(entry.direction, 1);
    EXPECT_DOUBLE_EQ(entry.stop, 97.5 * 0.99);    // stop_loss_pct 1
    EXPECT_DOUBLE_EQ(entry.target, 97.5 * 1.02);  // take_profit_pct 2
    EXPECT_EQ(entry.quantity, 10.0);
}

TEST(MeanReversion, NeedsRsiStrictlyBelowThreshold) {
    Harness h;
    h.bar(98.0, 98.5, 97.0, 97.5, {100.0, 1.0, 30.0});  // rsi == rsi_threshold
    EXPECT_TRUE(h.sink().entries.empty());
}

TEST(MeanReversion, NeedsCloseStrictlyBelowLowerBand) {
    Harness h;
    h.bar(98.5, 99.0, 97.0, 98.0, kOversold);  // close == lower band
    EXPECT_TRUE(h.sink().entries.empty());
}

TEST(MeanReversion, BandWidthScalesWithBbStd) {
    Harness h({{"bb_std", "3"}});  // lower band 97: a close of 97.5 is not below it
    h.bar(98.0, 98.5, 97.0, 97.5, kOversold);
    EXPECT_TRUE(h.sink().entries.empty());
    h.bar(97.0, 97.0, 96.0, 96.5, kOversold);
    EXPECT_EQ(h.sink().entries.size(), 1u);
}

TEST(MeanReversion, EntryBarIsNotCheckedForExits) {
    Harness h;
    // The bar's low (90) is far below the stop, but the position opens at its close.
    h.bar(98.0, 98.5, 90.0, 97.5, kOversold);
    EXPECT_TRUE(h.sink().exits.empty());
    EXPECT_EQ(h.direction(), 1.0);
}

TEST(MeanReversion, StopWinsWhenBarTouchesBoth) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);  // long 97.5: stop 96.525, target 99.45
    h.bar(97.5, 100.0, 96.0, 98.0, kNeutral);    // high 100 >= target and low 96 <= stop
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kStopLoss);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].fill, 97.5 * 0.99);  // min(open 97.5, stop)
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (97.5 * 0.99 - 97.5) * 10);
}

TEST(MeanReversion, GapThroughStopFillsAtOpen) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);  // stop 96.525
    h.bar(95.0, 96.0, 94.0, 95.5, kNeutral);     // opens below the stop
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].fill, 95.0);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (95.0 - 97.5) * 10);  // -25
}

TEST(MeanReversion, TargetFillsAtTargetOrAtAGapOpen) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);  // target 99.45
    h.bar(98.0, 99.6, 97.8, 99.0, kNeutral);
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kTakeProfit);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].fill, 97.5 * 1.02);  // max(open 98, target)

    Harness gap;
    gap.bar(100.0, 100.0, 97.0, 97.5, kOversold);
    gap.bar(101.0, 101.5, 100.5, 101.0, kNeutral);  // opens above the target
    EXPECT_EQ(gap.sink().exits[0].fill, 101.0);
    EXPECT_DOUBLE_EQ(gap.sink().exits[0].pnl, (101.0 - 97.5) * 10);  // 35
}

TEST(MeanReversion, ReentersAtTheCloseOfTheExitBar) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);  // long 97.5, stop 96.525
    h.bar(97.0, 97.0, 95.0, 95.5, kOversold);    // stopped at 96.525, then oversold again at the close
    ASSERT_EQ(h.sink().exits.size(), 1u);
    ASSERT_EQ(h.sink().entries.size(), 2u);
    EXPECT_EQ(h.sink().entries[1].bar, 1u);
    EXPECT_EQ(h.sink().entries[1].fill, 95.5);
}

TEST(MeanReversion, HoldsOnePositionPerSymbol) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);
    h.bar(97.5, 98.0, 97.0, 97.4, kOversold);  // still oversold, no exit level touched
    EXPECT_EQ(h.sink().entries.size(), 1u);
}

TEST(MeanReversion, EndOfDataClosesAtTheLastClose) {
    Harness h;
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);
    h.bar(97.6, 98.0, 97.2, 97.8, kNeutral, /*last=*/true);
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kEndOfData);
    EXPECT_EQ(h.sink().exits[0].fill, 97.8);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (97.8 - 97.5) * 10);
}

TEST(MeanReversion, ShortsAboveUpperBandOnlyWhenAllowed) {
    Harness long_only;
    long_only.bar(102.0, 103.0, 101.5, 102.5, kOverbought);
    EXPECT_TRUE(long_only.sink().entries.empty());

    Harness h({{"allow_short", "true"}});
    h.bar(102.0, 103.0, 101.5, 102.5, kOverbought);  // close 102.5 > upper 102, rsi 75 > 70
    ASSERT_EQ(h.sink().entries.size(), 1u);
    EXPECT_EQ(h.sink().entries[0].direction, -1);
    EXPECT_DOUBLE_EQ(h.stop(), 102.5 * 1.01);     // above the entry
    EXPECT_DOUBLE_EQ(h.target(), 102.5 * 0.98);   // below it
    h.bar(103.0, 104.0, 102.0, 103.5, kNeutral);  // high 104 >= stop 103.525
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kStopLoss);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].fill, 102.5 * 1.01);  // max(open 103, stop)
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, -(102.5 * 1.01 - 102.5) * 10);
}

TEST(MeanReversion, ShortTargetFillsAtTheLowerOfOpenAndTarget) {
    Harness h({{"allow_short", "true"}});
    h.bar(102.0, 103.0, 101.5, 102.5, kOverbought);  // short 102.5: target 100.45
    h.bar(100.0, 100.2, 99.0, 99.5, kNeutral);       // opens below the target
    ASSERT_EQ(h.sink().exits.size(), 1u);
    EXPECT_EQ(h.sink().exits[0].reason, ExitReason::kTakeProfit);
    EXPECT_EQ(h.sink().exits[0].fill, 100.0);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (102.5 - 100.0) * 10);  // 25
}

TEST(MeanReversion, CommissionAndSlippageWorsenFillsAndPnl) {
    Harness h({{"commission_per_share", "0.01"}, {"slippage_bps", "10"}});
    h.bar(100.0, 100.0, 97.0, 97.5, kOversold);
    const double entry = 97.5 * (1.0 + 10.0 / 10000.0);  // a buy fills 10 bps above the close
    EXPECT_DOUBLE_EQ(h.sink().entries[0].fill, entry);
    EXPECT_DOUBLE_EQ(h.stop(), entry * 0.99);
    h.bar(entry, entry + 3.0, entry - 0.1, entry + 2.0, kNeutral);  // reaches the target
    const double exit = entry * 1.02 * (1.0 - 10.0 / 10000.0);      // a sell fills 10 bps below
    EXPECT_DOUBLE_EQ(h.sink().exits[0].fill, exit);
    EXPECT_DOUBLE_EQ(h.sink().exits[0].pnl, (exit - entry) * 10 - 2 * 0.01 * 10);
}

TEST(MeanReversion, WarmUpIsTheLaterOfBandsAndRsi) {
    const auto params = [](const char* bb, const char* rsi) {
        return apply_overrides(strategy_info<MeanReversion>(), default_params(strategy_info<MeanReversion>().params),
                               {{"bb_period", bb}, {"rsi_period", rsi}}, "test");
    };
    EXPECT_EQ(MeanReversion::first_signal_bar(params("20", "14")), 19u);  // bands from bar 19
    EXPECT_EQ(MeanReversion::first_signal_bar(params("10", "14")), 14u);  // RSI from bar 14
}

TEST(MeanReversion, MatchesTheReferenceCheckFigures) {
    const auto data_directory = testing::shared_real_data();
    if (!data_directory) GTEST_SKIP() << "../shared/data/real is not present";
    struct Case {
        const char* file;
        const char* stop_loss_pct;
        const char* take_profit_pct;
        std::int64_t trades;
        double pnl;
    };
    // ../shared/docs/reference-strategy.md, "Check figures".
    const Case cases[] = {{"orcl-1995-2014.txt", "1", "2", 44, 2.5051415},
                          {"orcl-1995-2014.txt", "1", "3", 44, 17.4893757},
                          {"orcl-1995-2014.txt", "2", "2", 43, 11.826225},
                          {"orcl-1995-2014.txt", "2", "3", 43, 23.2214592},
                          {"nvda-1999-2014.txt", "1", "2", 68, 14.3619202}};
    for (const auto& c : cases) {
        std::vector<SymbolBars> symbols{import_ohlcv_csv((*data_directory / c.file).string(), {}).bars};
        const ReplayData data = prepare_replay_data(symbols, std::nullopt);
        const ParamSet params =
            apply_overrides(strategy_info<MeanReversion>(), default_params(strategy_info<MeanReversion>().params),
                            {{"stop_loss_pct", c.stop_loss_pct}, {"take_profit_pct", c.take_profit_pct}}, "test");
        const ReplayResult result = run_replay(MeanReversion::kName, data, params);
        EXPECT_EQ(result.metrics.total_trades, c.trades)
            << c.file << " " << c.stop_loss_pct << "/" << c.take_profit_pct;
        EXPECT_NEAR(result.metrics.total_pnl, c.pnl, 5e-8)
            << c.file << " " << c.stop_loss_pct << "/" << c.take_profit_pct;
    }
}

}  // namespace
}  // namespace tapegrid
