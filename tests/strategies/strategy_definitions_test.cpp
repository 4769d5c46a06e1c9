// Every strategy's replay against a plain bar-by-bar backtester written from docs/STRATEGIES.md
// alone (execution order, levels, costs, warm-up, indicators), trade for trade and bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/core/trade.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "io/csv/ohlcv_csv_import.h"
#include "strategies/registry.h"
#include "tests/strategies/reference_backtest.h"
#include "tests/support/cent_grid_bars.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using reference::Overrides;
using reference::ParameterCase;
using reference::reference_trades;
using reference::ReferenceSeries;

// ---- Comparing with the engine ---------------------------------------------------------------

std::string show(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

std::string describe(const Trade& t) {
    return t.symbol + " " + t.direction_name() + " bars " + std::to_string(t.entry_bar) + ".." +
           std::to_string(t.exit_bar) + " " + std::string(to_string(t.exit_reason)) + " entry " + show(t.entry_price) +
           " exit " + show(t.exit_price) + " stop " + show(t.stop_loss) + " target " + show(t.take_profit) + " pnl " +
           show(t.pnl);
}

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// The first field in which the engine's trade leaves the reference's, or nothing.
std::optional<std::string> first_difference(const Trade& e, const Trade& a) {
    if (e.symbol != a.symbol) return "symbol";
    if (e.direction != a.direction) return "direction";
    if (e.entry_bar != a.entry_bar || e.entry_time_ns != a.entry_time_ns) return "entry bar";
    if (e.exit_bar != a.exit_bar || e.exit_time_ns != a.exit_time_ns) return "exit bar";
    if (e.exit_reason != a.exit_reason) return "exit reason";
    for (const auto& [x, y, name] : {std::tuple{e.entry_price, a.entry_price, "entry price"},
                                     {e.exit_price, a.exit_price, "exit price"},
                                     {e.stop_loss, a.stop_loss, "stop loss"},
                                     {e.take_profit, a.take_profit, "take profit"},
                                     {e.quantity, a.quantity, "quantity"},
                                     {e.pnl, a.pnl, "pnl"},
                                     {e.pnl_pct, a.pnl_pct, "pnl_pct"}})
        if (!same_bits(x, y)) return std::string(name) + " (" + show(x) + " vs " + show(y) + ")";
    return std::nullopt;
}

::testing::AssertionResult same_trades(const std::vector<Trade>& expected, const std::vector<Trade>& actual) {
    for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i)
        if (const auto field = first_difference(expected[i], actual[i]))
            return ::testing::AssertionFailure()
                   << "trade " << i << " differs in " << *field << "\n  definition: " << describe(expected[i])
                   << "\n  engine:     " << describe(actual[i]);
    if (expected.size() != actual.size()) {
        const auto& longer = expected.size() > actual.size() ? expected : actual;
        return ::testing::AssertionFailure()
               << expected.size() << " trades by the definition, " << actual.size() << " by the engine; first extra ("
               << (expected.size() > actual.size() ? "definition" : "engine")
               << "): " << describe(longer[std::min(expected.size(), actual.size())]);
    }
    return ::testing::AssertionSuccess();
}

std::string describe(const ParameterCase& c) {
    std::string text = c.strategy;
    for (const auto& [name, value] : c.overrides) text += " " + name + "=" + value;
    return text;
}

// Symbols replayed alone and together: the engine's trades against the reference's, per symbol
// computed once and merged by entry time, then symbol, as the replay orders them.
class DifferentialReplay {
  public:
    // The replay data point into this object's own columns: it stays where it was built.
    explicit DifferentialReplay(std::vector<SymbolBars> symbols) : symbols_(std::move(symbols)) {
        for (const SymbolBars& bars : symbols_) {
            series_.emplace(bars.symbol, ReferenceSeries(bars));
            alone_.push_back({bars});
        }
        for (const auto& market : alone_) data_.push_back(prepare_replay_data(market, 252.0));
        data_.push_back(prepare_replay_data(symbols_, 252.0));
    }
    DifferentialReplay(const DifferentialReplay&) = delete;
    DifferentialReplay& operator=(const DifferentialReplay&) = delete;

    struct Tally {
        int replays = 0;
        std::size_t trades = 0;  // the reference's, over every replay
    };

    // Stops after a few parameter sets that differ.
    Tally expect_cases_trade_as_written(const std::vector<ParameterCase>& cases) {
        Tally tally;
        int differing_cases = 0;
        for (const ParameterCase& c : cases) {
            std::vector<std::vector<Trade>> per_symbol;
            for (const SymbolBars& bars : symbols_)
                per_symbol.push_back(reference_trades(c, bars, series_.at(bars.symbol)));
            const StrategyInfo& info = find_strategy(c.strategy);
            const ParamSet params = apply_overrides(info, default_params(info.params), c.overrides, "test");
            bool differs = false;
            for (std::size_t m = 0; m < data_.size(); ++m) {
                const bool together = m == alone_.size();
                std::vector<Trade> expected;
                for (std::size_t s = 0; s < symbols_.size(); ++s)
                    if (together || s == m) expected.insert(expected.end(), per_symbol[s].begin(), per_symbol[s].end());
                std::stable_sort(expected.begin(), expected.end(), [](const Trade& a, const Trade& b) {
                    return std::tie(a.entry_time_ns, a.symbol) < std::tie(b.entry_time_ns, b.symbol);
                });
                const auto same = same_trades(expected, run_replay(c.strategy, data_[m], params).trades);
                EXPECT_TRUE(same) << describe(c) << " on " << (together ? "all symbols" : symbols_[m].symbol);
                differs = differs || !same;
                ++tally.replays;
                tally.trades += expected.size();
            }
            if (differs && ++differing_cases == 5) {
                ADD_FAILURE() << "stopped after 5 parameter sets that differ";
                break;
            }
        }
        return tally;
    }

    std::vector<Trade> reference(const ParameterCase& c, const std::string& symbol) {
        for (const SymbolBars& bars : symbols_)
            if (bars.symbol == symbol) return reference_trades(c, bars, series_.at(symbol));
        throw std::logic_error("no symbol " + symbol);
    }

  private:
    std::vector<SymbolBars> symbols_;
    std::map<std::string, ReferenceSeries> series_;
    std::vector<std::vector<SymbolBars>> alone_;
    std::vector<ReplayData> data_;
};

// ---- The parameter sets ------------------------------------------------------------------------

// The overrides with more appended.
Overrides with(Overrides overrides, const Overrides& more) {
    overrides.insert(overrides.end(), more.begin(), more.end());
    return overrides;
}

const Overrides kSomeCosts = {{"commission_per_share", "0.01"}, {"slippage_bps", "5"}};
const Overrides kOtherCosts = {{"commission_per_share", "0.005"}, {"slippage_bps", "12.5"}, {"position_size", "7"}};

std::vector<ParameterCase> ma_crossover_cases() {
    std::vector<ParameterCase> cases;
    const auto add = [&](Overrides overrides) { cases.push_back({"ma_crossover", std::move(overrides)}); };
    for (const auto& [fast, slow] : std::vector<std::pair<int, int>>{{1, 2}, {2, 3}, {3, 7}})
        for (const char* type : {"sma", "ema"})
            for (const char* shorts : {"true", "false"})
                add({{"fast_period", std::to_string(fast)},
                     {"slow_period", std::to_string(slow)},
                     {"ma_type", type},
                     {"allow_short", shorts}});
    for (const auto& [fast, slow] :
         std::vector<std::pair<int, int>>{{2, 5}, {4, 9}, {5, 20}, {10, 30}, {15, 16}, {20, 50}, {1, 60}, {7, 8}})
        for (const char* type : {"sma", "ema"})
            for (const char* shorts : {"true", "false"})
                add({{"fast_period", std::to_string(fast)},
                     {"slow_period", std::to_string(slow)},
                     {"ma_type", type},
                     {"allow_short", shorts}});
    const Overrides quick = {{"fast_period", "3"}, {"slow_period", "7"}, {"allow_short", "true"}};
    add(with(quick, {{"stop_loss_pct", "1"}, {"take_profit_pct", "2"}}));
    add(with(quick, {{"ma_type", "ema"}, {"stop_loss_pct", "2"}}));
    add(with(quick, {{"take_profit_pct", "3"}}));
    add({{"fast_period", "1"}, {"slow_period", "2"}, {"stop_loss_pct", "0.5"}, {"take_profit_pct", "0.5"}});
    add(with({{"fast_period", "1"}, {"slow_period", "2"}, {"allow_short", "true"}}, kSomeCosts));
    add(with(with(quick, {{"ma_type", "ema"}}), kOtherCosts));
    add(with({{"allow_short", "true"}, {"stop_loss_pct", "1.5"}, {"take_profit_pct", "4"}}, kSomeCosts));
    return cases;
}

std::vector<ParameterCase> momentum_cases() {
    std::vector<ParameterCase> cases;
    const auto add = [&](Overrides overrides) { cases.push_back({"momentum", std::move(overrides)}); };
    const char* atr_periods[] = {"1", "5", "14"};
    for (int lookback = 1; lookback <= 3; ++lookback)
        for (int volume_period = 1; volume_period <= 3; ++volume_period)
            for (const char* ratio : {"0", "1.5"})
                for (const char* shorts : {"true", "false"})
                    add({{"lookback", std::to_string(lookback)},
                         {"volume_period", std::to_string(volume_period)},
                         {"min_volume_ratio", ratio},
                         {"atr_period", atr_periods[(lookback + volume_period) % 3]},
                         {"allow_short", shorts}});
    add({});
    add({{"min_volume_ratio", "1"}, {"allow_short", "true"}});
    add({{"lookback", "55"},
         {"volume_period", "10"},
         {"min_volume_ratio", "2"},
         {"atr_period", "20"},
         {"atr_stop_mult", "1.5"},
         {"atr_target_mult", "4"}});
    add({{"lookback", "5"},
         {"volume_period", "60"},
         {"min_volume_ratio", "0.8"},
         {"atr_period", "60"},
         {"allow_short", "true"},
         {"atr_stop_mult", "0.5"},
         {"atr_target_mult", "0.75"}});
    add(with({{"lookback", "2"}, {"volume_period", "2"}, {"min_volume_ratio", "0"}, {"allow_short", "true"}},
             kSomeCosts));
    add(with({{"lookback", "10"}, {"volume_period", "5"}, {"min_volume_ratio", "1.2"}}, kOtherCosts));
    return cases;
}

std::vector<ParameterCase> mean_reversion_cases() {
    std::vector<ParameterCase> cases;
    const auto add = [&](Overrides overrides) { cases.push_back({"mean_reversion", std::move(overrides)}); };
    const char* widths[] = {"0.5", "1", "1.5", "2", "2.5", "3"};
    const char* thresholds[] = {"30", "40", "50"};
    const char* overboughts[] = {"70", "60", "50"};
    const char* stops[] = {"1", "2", "0.5"};
    const char* targets[] = {"2", "3", "5"};
    for (int bb_period = 2; bb_period <= 30; ++bb_period)
        for (int k = 0; k < 3; ++k) {
            const int i = 2 * bb_period + k;
            add({{"bb_period", std::to_string(bb_period)},
                 {"bb_std", widths[i % 6]},
                 {"rsi_period", std::to_string(1 + i % 20)},
                 {"rsi_threshold", thresholds[i % 3]},
                 {"rsi_overbought", overboughts[(i / 3) % 3]},
                 {"stop_loss_pct", stops[(i / 2) % 3]},
                 {"take_profit_pct", targets[(i / 5) % 3]},
                 {"allow_short", k == 1 ? "false" : "true"}});
        }
    for (const char* stop : {"1", "2"})
        for (const char* target : {"2", "3"}) add({{"stop_loss_pct", stop}, {"take_profit_pct", target}});
    add({{"allow_short", "true"}});
    add(with({{"bb_std", "1"}, {"rsi_threshold", "45"}, {"allow_short", "true"}, {"rsi_overbought", "55"}},
             kSomeCosts));
    add(with({{"bb_period", "10"}, {"bb_std", "1.5"}, {"rsi_period", "5"}, {"rsi_threshold", "40"}}, kOtherCosts));
    return cases;
}

std::vector<ParameterCase> breakout_cases() {
    std::vector<ParameterCase> cases;
    const auto add = [&](Overrides overrides) { cases.push_back({"breakout", std::move(overrides)}); };
    const char* atr_periods[] = {"1", "5", "14", "20"};
    const char* multiples[] = {"2", "1.5", "0.5", "3"};
    for (int channel = 1; channel <= 20; ++channel)
        for (int j = 0; j < 4; ++j)
            add({{"channel_period", std::to_string(channel)},
                 {"exit_period", std::to_string(1 + (channel * 7 + j) % 20)},
                 {"atr_period", atr_periods[(channel + j) % 4]},
                 {"atr_mult", j < 2 ? "0" : multiples[channel % 4]},
                 {"allow_short", j % 2 == 0 ? "false" : "true"}});
    add({});
    add(with({{"channel_period", "10"}, {"exit_period", "5"}, {"allow_short", "true"}}, kSomeCosts));
    add(with({{"channel_period", "3"}, {"exit_period", "2"}, {"atr_mult", "0"}, {"allow_short", "true"}}, kOtherCosts));
    return cases;
}

// ---- The data ----------------------------------------------------------------------------------

DifferentialReplay* real_daily_replay() {
    static const std::optional<std::vector<SymbolBars>> symbols = []() -> std::optional<std::vector<SymbolBars>> {
        const auto directory = testing::shared_real_data();
        if (!directory) return std::nullopt;
        std::vector<SymbolBars> loaded;
        for (const char* file : {"orcl-1995-2014.txt", "nvda-1999-2014.txt", "yhoo-1996-2014.txt"})
            loaded.push_back(import_ohlcv_csv((*directory / file).string(), CsvImportOptions{}).bars);
        return loaded;
    }();
    if (!symbols) return nullptr;
    static DifferentialReplay replay(*symbols);
    return &replay;
}

// Two cent-grid symbols, the second starting 300 days later: flat runs make averages tie.
DifferentialReplay& cent_grid_replay() {
    static DifferentialReplay replay([] {
        SymbolBars later = testing::cent_grid_bars("LATE", 3000, 77);
        for (auto& time : later.timestamp_ns) time += 300 * 86'400'000'000'000LL;
        return std::vector<SymbolBars>{testing::cent_grid_bars("GRID", 3500, 20240607), later};
    }());
    return replay;
}

constexpr const char* kNoRealData = "../shared/data/real is not beside the repository";

// ---- The tests -----------------------------------------------------------------------------------

// The reference backtester itself, against figures the docs give (not the engine's output).
TEST(StrategyDefinitions, ReferenceBacktesterGivesTheDocumentedCheckFigures) {
    DifferentialReplay* replay = real_daily_replay();
    if (replay == nullptr) GTEST_SKIP() << kNoRealData;
    const ParameterCase fastest{"ma_crossover", {{"fast_period", "1"}, {"slow_period", "2"}, {"allow_short", "true"}}};
    EXPECT_EQ(replay->reference(fastest, "ORCL").size(), 2557u);
    EXPECT_EQ(replay->reference(fastest, "NVDA").size(), 1995u);
    // ../shared/docs/reference-strategy.md: trades and total_pnl, to 7 decimals.
    struct Figure {
        const char* symbol;
        const char* stop;
        const char* target;
        std::size_t trades;
        double total_pnl;
    };
    for (const Figure& f : {Figure{"ORCL", "1", "2", 44, 2.5051415}, Figure{"ORCL", "1", "3", 44, 17.4893757},
                            Figure{"ORCL", "2", "2", 43, 11.826225}, Figure{"ORCL", "2", "3", 43, 23.2214592},
                            Figure{"NVDA", "1", "2", 68, 14.3619202}}) {
        const auto trades =
            replay->reference({"mean_reversion", {{"stop_loss_pct", f.stop}, {"take_profit_pct", f.target}}}, f.symbol);
        double total = 0;
        for (const Trade& trade : trades) total += trade.pnl;
        EXPECT_EQ(trades.size(), f.trades) << f.symbol << " " << f.stop << "/" << f.target;
        EXPECT_NEAR(total, f.total_pnl, 5.1e-8) << f.symbol << " " << f.stop << "/" << f.target;
    }
}

TEST(StrategyDefinitions, MeanReversionTradesAsWrittenOnRealDailyData) {
    DifferentialReplay* replay = real_daily_replay();
    if (replay == nullptr) GTEST_SKIP() << kNoRealData;
    const auto cases = mean_reversion_cases();
    const auto tally = replay->expect_cases_trade_as_written(cases);
    EXPECT_EQ(tally.replays, 4 * static_cast<int>(cases.size()));  // each symbol alone, and the three together
    EXPECT_GT(tally.trades, 100 * cases.size());
}

TEST(StrategyDefinitions, MomentumTradesAsWrittenOnRealDailyData) {
    DifferentialReplay* replay = real_daily_replay();
    if (replay == nullptr) GTEST_SKIP() << kNoRealData;
    const auto cases = momentum_cases();
    const auto tally = replay->expect_cases_trade_as_written(cases);
    EXPECT_EQ(tally.replays, 4 * static_cast<int>(cases.size()));  // each symbol alone, and the three together
    EXPECT_GT(tally.trades, 100 * cases.size());
}

TEST(StrategyDefinitions, MaCrossoverTradesAsWrittenOnRealDailyData) {
    DifferentialReplay* replay = real_daily_replay();
    if (replay == nullptr) GTEST_SKIP() << kNoRealData;
    const auto cases = ma_crossover_cases();
    const auto tally = replay->expect_cases_trade_as_written(cases);
    EXPECT_EQ(tally.replays, 4 * static_cast<int>(cases.size()));  // each symbol alone, and the three together
    EXPECT_GT(tally.trades, 100 * cases.size());
}

TEST(StrategyDefinitions, BreakoutTradesAsWrittenOnRealDailyData) {
    DifferentialReplay* replay = real_daily_replay();
    if (replay == nullptr) GTEST_SKIP() << kNoRealData;
    const auto cases = breakout_cases();
    const auto tally = replay->expect_cases_trade_as_written(cases);
    EXPECT_EQ(tally.replays, 4 * static_cast<int>(cases.size()));  // each symbol alone, and the three together
    EXPECT_GT(tally.trades, 100 * cases.size());
}

// Flat runs of equal closes: averages of equal windows that equal the close and each other (a tie,
// no cross), channels that equal the close (no breakout), zero true ranges (stops at the entry)
// and bars without volume.
TEST(StrategyDefinitions, EveryStrategyTradesAsWrittenOnCentGridPricesWithTies) {
    std::vector<ParameterCase> cases;
    for (auto more : {ma_crossover_cases(), momentum_cases(), mean_reversion_cases(), breakout_cases()})
        cases.insert(cases.end(), more.begin(), more.end());
    const auto tally = cent_grid_replay().expect_cases_trade_as_written(cases);
    EXPECT_EQ(tally.replays, 3 * static_cast<int>(cases.size()));
    EXPECT_GT(tally.trades, 100 * cases.size());
}

}  // namespace
}  // namespace tapegrid
