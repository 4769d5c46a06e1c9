// checkpoint.bin round trips: every figure of every kept row comes back with its bits, whatever
// its value (a row with profit and no loss has profit_factor +inf).
#include "io/results/sweep_checkpoint_file.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

#include "engine/core/errors.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

ReplayMetrics metrics_with(double profit_factor, double sharpe) {
    ReplayMetrics m;
    m.total_trades = 4;
    m.winning_trades = 4;
    m.win_rate = 100.0;
    m.total_pnl = 209.28000000000003;
    m.gross_profit = 209.28000000000003;
    m.profit_factor = profit_factor;
    m.average_trade = 52.32000000000001;
    m.max_drawdown = 0.1 + 0.2;  // 0.30000000000000004: not a short decimal
    m.sharpe_ratio = sharpe;
    m.sortino_ratio = std::numeric_limits<double>::quiet_NaN();
    m.final_equity = 100209.28;
    m.periods_per_year = 98280.0;
    m.equity_points = 6240;
    return m;
}

void expect_same_bits(const ReplayMetrics& a, const ReplayMetrics& b) {
    EXPECT_EQ(a.total_trades, b.total_trades);
    EXPECT_EQ(a.winning_trades, b.winning_trades);
    EXPECT_EQ(a.equity_points, b.equity_points);
    for (auto field :
         {&ReplayMetrics::win_rate, &ReplayMetrics::total_pnl, &ReplayMetrics::gross_profit, &ReplayMetrics::gross_loss,
          &ReplayMetrics::profit_factor, &ReplayMetrics::average_trade, &ReplayMetrics::max_drawdown,
          &ReplayMetrics::max_drawdown_pct, &ReplayMetrics::sharpe_ratio, &ReplayMetrics::sortino_ratio,
          &ReplayMetrics::exposure_pct, &ReplayMetrics::final_equity, &ReplayMetrics::periods_per_year})
        EXPECT_EQ(std::bit_cast<std::uint64_t>(a.*field), std::bit_cast<std::uint64_t>(b.*field));
}

TEST(SweepCheckpointFile, RowsWithInfiniteAndNanFiguresComeBackBitForBit) {
    const testing::TemporaryDirectory scratch;
    SweepCheckpoint checkpoint;
    checkpoint.fingerprint = 0x786775d822d29597;
    checkpoint.blocks_per_task = 8;
    checkpoint.tasks_done = 13;
    checkpoint.rows = 712;
    checkpoint.csv_bytes = 123456;
    checkpoint.ranking.kept = {{1, metrics_with(2.203, 4.427)},
                               {2, metrics_with(std::numeric_limits<double>::infinity(), 4.236)},
                               {3, metrics_with(-0.0, -std::numeric_limits<double>::infinity())}};
    checkpoint.ranking.ranked = 712;
    checkpoint.ranking.ahead_of_reference = 5;
    const std::string path = scratch.file("checkpoint.bin");
    save_checkpoint(path, checkpoint);

    const auto loaded = load_checkpoint(path);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->fingerprint, checkpoint.fingerprint);
    EXPECT_EQ(loaded->blocks_per_task, 8u);
    EXPECT_EQ(loaded->tasks_done, 13u);
    EXPECT_EQ(loaded->rows, 712u);
    EXPECT_EQ(loaded->csv_bytes, 123456u);
    EXPECT_EQ(loaded->ranking.ranked, 712u);
    EXPECT_EQ(loaded->ranking.ahead_of_reference, 5u);
    ASSERT_EQ(loaded->ranking.kept.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(loaded->ranking.kept[i].combination, checkpoint.ranking.kept[i].combination);
        expect_same_bits(loaded->ranking.kept[i].metrics, checkpoint.ranking.kept[i].metrics);
    }
    EXPECT_TRUE(std::isinf(loaded->ranking.kept[1].metrics.profit_factor));
    EXPECT_EQ(loaded->source, path);
}

TEST(SweepCheckpointFile, AMissingFileIsNoCheckpointAndATornOneIsAUserError) {
    const testing::TemporaryDirectory scratch;
    EXPECT_FALSE(load_checkpoint(scratch.file("none.bin")).has_value());
    const std::string path = scratch.file("torn.bin");
    std::ofstream(path) << "22 serialization::archive 19 0 0 1234";
    try {
        load_checkpoint(path);
        FAIL() << "a torn checkpoint was read";
    } catch (const UserError& error) {
        EXPECT_NE(std::string(error.what()).find("torn.bin: not a readable sweep checkpoint"), std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace tapegrid
