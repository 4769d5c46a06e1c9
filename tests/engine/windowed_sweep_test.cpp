// A recording read a window at a time gives the rows, block returns, trades and returns the whole
// recording in memory gives, to the bit: every strategy, symbols that start late, end early and
// skip bars, windows of one chunk and of several.
#include "engine/sweep/windowed_sweep.h"

#include <gtest/gtest.h>

#include <cstring>

#include "engine/replay/replay_runner.h"
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

bool same_bits(const ReplayMetrics& a, const ReplayMetrics& b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Bars of `from` whose row index passes `keep`.
SymbolBars keep_rows(const SymbolBars& from, const std::function<bool(std::size_t)>& keep) {
    SymbolBars bars;
    bars.symbol = from.symbol;
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (!keep(i)) continue;
        bars.timestamp_ns.push_back(from.timestamp_ns[i]);
        bars.open.push_back(from.open[i]);
        bars.high.push_back(from.high[i]);
        bars.low.push_back(from.low[i]);
        bars.close.push_back(from.close[i]);
        bars.volume.push_back(from.volume[i]);
    }
    return bars;
}

// Four symbols: one whole, one starting late and ending early, one with every seventh bar
// missing, one with its first 9,000 bars only.
const std::vector<SymbolBars>& market() {
    static const std::vector<SymbolBars> bars = [] {
        MarketGeneratorOptions options;
        options.symbols = 4;
        options.bars = 12'000;
        options.seed = 11;
        const std::vector<SymbolBars> whole = generate_market(options).bars;
        return std::vector<SymbolBars>{
            whole[0],
            keep_rows(whole[1], [](std::size_t i) { return i >= 1'500 && i < 11'200; }),
            keep_rows(whole[2], [](std::size_t i) { return i % 7 != 3; }),
            keep_rows(whole[3], [](std::size_t i) { return i < 9'000; }),
        };
    }();
    return bars;
}

ParameterGrid grid_of(std::string_view strategy) {
    const StrategyInfo& info = find_strategy(strategy);
    const auto axis = [&](std::string_view name, std::vector<double> values) {
        for (std::size_t p = 0; p < info.params.size(); ++p)
            if (info.params[p].name == name) return GridAxis{p, std::move(values)};
        throw InternalError("no parameter " + std::string(name));
    };
    std::vector<GridAxis> axes;
    if (strategy == "mean_reversion")
        axes = {axis("bb_period", {10, 30}), axis("bb_std", {1.5, 2.5}), axis("rsi_period", {7, 14}),
                axis("rsi_threshold", {25, 35}), axis("allow_short", {0, 1})};
    else if (strategy == "ma_crossover")
        axes = {axis("fast_period", {5, 12}), axis("slow_period", {30, 60}), axis("ma_type", {0, 1}),
                axis("allow_short", {0, 1})};
    else if (strategy == "momentum")
        axes = {axis("lookback", {10, 40}), axis("volume_period", {10, 30}), axis("atr_period", {7, 14}),
                axis("allow_short", {0, 1})};
    else
        axes = {axis("channel_period", {20, 55}), axis("exit_period", {10, 20}), axis("atr_period", {7, 20}),
                axis("allow_short", {0, 1})};
    return ParameterGrid(info, default_params(info.params), std::move(axes), {});
}

struct Outcome {
    std::vector<SweepRow> rows;
    std::vector<double> block_returns;
    ReplayMetrics reference;
};

SweepRunOptions options_into(std::vector<double>& block_returns, std::size_t threads) {
    SweepRunOptions options;
    options.threads = threads;
    options.return_blocks = 6;
    options.block_returns = [&block_returns](const std::vector<double>& values) {
        block_returns.insert(block_returns.end(), values.begin(), values.end());
    };
    return options;
}

Outcome in_memory(const ParameterGrid& grid, const ParamSet& reference) {
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, 2);
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}};
    CollectingSink sink;
    Outcome outcome;
    run_sweep(data, grid, plan, rank, sink, options_into(outcome.block_returns, 2));
    outcome.rows = sink.rows;
    outcome.reference = run_replay(grid.strategy().name, data, reference).metrics;
    return outcome;
}

Outcome windowed(const ParameterGrid& grid, const ParamSet& reference, std::uint64_t window, std::size_t threads) {
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    const SweepPlan plan = plan_sweep(grid, data, 2);
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}};
    CollectingSink sink;
    Outcome outcome;
    InMemoryBarWindows source(market(), window);
    WindowedReference original{reference, UINT64_MAX, {}};
    const SweepRunResult result = run_windowed_sweep(source, data.periods_per_year, grid, plan, rank, sink,
                                                     options_into(outcome.block_returns, threads), &original);
    EXPECT_FALSE(result.interrupted);
    EXPECT_EQ(result.rows, plan.combinations);
    outcome.rows = sink.rows;
    outcome.reference = original.metrics;
    return outcome;
}

class WindowedSweep : public ::testing::TestWithParam<const char*> {};

TEST_P(WindowedSweep, GivesTheInMemoryRowsBitForBitThroughManyWindows) {
    const ParameterGrid grid = grid_of(GetParam());
    const ParamSet reference = grid.at(grid.size() / 2);
    const Outcome expected = in_memory(grid, reference);
    ASSERT_EQ(expected.rows.size(), grid.size());
    std::int64_t trades = 0;
    for (const auto& row : expected.rows) trades += row.metrics.total_trades;
    EXPECT_GT(trades, 100) << "a sweep that never trades would prove nothing";
    // 12,000 timestamps: 12 windows of one chunk, 4 of three chunks (the last one short), and one.
    for (const std::uint64_t window : {1024u, 3000u, 20000u})
        for (const std::size_t threads : {1u, 2u}) {
            const Outcome got = windowed(grid, reference, window, threads);
            ASSERT_EQ(got.rows.size(), expected.rows.size());
            for (std::size_t r = 0; r < got.rows.size(); ++r) {
                EXPECT_EQ(got.rows[r].combination, expected.rows[r].combination);
                EXPECT_TRUE(same_bits(got.rows[r].metrics, expected.rows[r].metrics))
                    << GetParam() << " window " << window << " row " << r << ": sharpe "
                    << got.rows[r].metrics.sharpe_ratio << " against " << expected.rows[r].metrics.sharpe_ratio;
            }
            EXPECT_EQ(got.block_returns, expected.block_returns) << "window " << window;
            EXPECT_TRUE(same_bits(got.reference, expected.reference)) << "window " << window;
        }
}

TEST_P(WindowedSweep, ReplaysGiveTheInMemoryTradesAndReturns) {
    const ParameterGrid grid = grid_of(GetParam());
    const ReplayData data = prepare_replay_data(market(), std::nullopt);
    std::vector<ParamSet> params = {grid.at(0), grid.at(grid.size() - 1), grid.at(grid.size() / 3)};
    InMemoryBarWindows source(market(), 2048);
    std::vector<double> windowed_returns;
    const auto got = replay_windowed(source, data.periods_per_year, grid.strategy().name, params, 2, &windowed_returns);
    ASSERT_EQ(got.size(), params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        OwnedSeries series(market());
        std::vector<double> returns;
        const ReplayResult expected = run_replay(grid.strategy().name, data, params[i], series, &returns);
        EXPECT_TRUE(same_bits(got[i].metrics, expected.metrics)) << i;
        ASSERT_EQ(got[i].trades.size(), expected.trades.size()) << i;
        for (std::size_t t = 0; t < expected.trades.size(); ++t) {
            const Trade& a = got[i].trades[t];
            const Trade& b = expected.trades[t];
            EXPECT_EQ(a.symbol, b.symbol);
            EXPECT_EQ(a.entry_bar, b.entry_bar);
            EXPECT_EQ(a.exit_bar, b.exit_bar);
            EXPECT_EQ(a.entry_time_ns, b.entry_time_ns);
            EXPECT_EQ(a.exit_time_ns, b.exit_time_ns);
            EXPECT_EQ(a.entry_price, b.entry_price);
            EXPECT_EQ(a.exit_price, b.exit_price);
            EXPECT_EQ(a.pnl, b.pnl);
            EXPECT_EQ(a.exit_reason, b.exit_reason);
        }
        if (i == 0) {
            EXPECT_EQ(windowed_returns, returns);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryStrategy, WindowedSweep,
                         ::testing::Values("mean_reversion", "ma_crossover", "momentum", "breakout"));

TEST(WindowLayout, CountsTheTimelineAndCutsItAtWholeChunks) {
    // Three symbols: 0 at every even minute, 1 at every third, 2 at minutes 5..9 only.
    std::vector<SymbolBars> symbols(3);
    for (TimestampNs minute = 0; minute < 6000; ++minute) {
        const auto add = [&](SymbolBars& bars) {
            bars.timestamp_ns.push_back(minute * 60'000'000'000);
            for (auto* column : {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume}) column->push_back(1.0);
        };
        if (minute % 2 == 0) add(symbols[0]);
        if (minute % 3 == 0) add(symbols[1]);
        if (minute >= 5 && minute < 10) add(symbols[2]);
    }
    const ReplayData whole = prepare_replay_data(symbols, std::nullopt);
    const InMemoryBarWindows windows(symbols, 1000);  // rounded up to 1,024
    const WindowLayout& layout = windows.layout();
    EXPECT_EQ(layout.window_timestamps, 1024u);
    EXPECT_EQ(layout.timestamps, whole.timeline.size());
    EXPECT_EQ(layout.inferred_periods_per_year(), whole.periods_per_year);
    ASSERT_EQ(layout.window_count(), whole.chunk_count());
    for (std::size_t w = 0; w < layout.window_count(); ++w) {
        EXPECT_EQ(layout.window_start[w], whole.timeline.timestamps[w * 1024]);
        for (std::size_t s = 0; s < 3; ++s) EXPECT_EQ(layout.first_row[w][s], whole.chunk_first_bar[s][w]) << w;
    }
    for (std::size_t s = 0; s < 3; ++s) EXPECT_EQ(layout.first_row.back()[s], symbols[s].size());
}

}  // namespace
}  // namespace tapegrid
