// Sweep configs: ranges, lists and fixed values, the grid's axes, constraints, ranking, overrides,
// and every error with its place.
#include "io/config/sweep_config.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "engine/core/errors.h"
#include "engine/replay/replay_data.h"
#include "engine/sweep/sweep_plan.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "strategies/registry.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;
using Values = std::vector<double>;

// Lines 1-4; a grid's first line is line 5.
const std::string kHeader =
    "[sweep]\n"
    "recordings = [\"market.h5\"]\n"
    "strategy = \"mean_reversion\"\n"
    "[grid]\n";

// A directory with a small recording (market.h5) beside the configs written into it.
class ConfigDirectory {
  public:
    ConfigDirectory() {
        MarketGeneratorOptions options;
        options.symbols = 1;
        options.bars = 300;
        options.seed = 3;
        market_ = generate_market(options);
        write_recording_file(directory_.file("market.h5"), market_);
    }

    std::string write(const std::string& text, const std::string& name = "sweep.toml") const {
        const std::string path = directory_.file(name);
        testing::write_text(path, text);
        return path;
    }
    SweepSpec load(const std::string& text, const Overrides& overrides = {}) const {
        return load_sweep_config(write(text), overrides, store());
    }
    // The UserError message loading `text` gives (a failure when it loads).
    std::string error(const std::string& text, const Overrides& overrides = {}) const {
        try {
            load(text, overrides);
        } catch (const UserError& error) {
            return error.what();
        }
        ADD_FAILURE() << "loaded without an error:\n" << text;
        return "";
    }
    std::string file(const std::string& name) const { return directory_.file(name); }
    std::string path() const { return directory_.file("sweep.toml"); }
    std::string store() const { return directory_.file("store"); }
    const std::filesystem::path& directory() const { return directory_.path(); }
    const Recording& market() const { return market_; }

  private:
    testing::TemporaryDirectory directory_;
    Recording market_;
};

std::size_t param(const char* name) {
    return *find_param(find_strategy("mean_reversion").params, name);
}

// The values of the grid's axis for `name` (empty when it is not an axis).
Values axis(const SweepSpec& spec, const char* name) {
    for (const auto& axis : spec.grid->axes())
        if (axis.param == param(name)) return axis.values;
    return {};
}

// ---- Ranges -------------------------------------------------------------------------------

TEST(SweepConfig, RangeIncludesStopWhenReached) {
    EXPECT_EQ(range_values(1.5, 3.0, 0.5), (Values{1.5, 2.0, 2.5, 3.0}));
    EXPECT_EQ(range_values(10, 30, 10), (Values{10, 20, 30}));
}

TEST(SweepConfig, RangeOfTenthsGivesTheDecimalLiterals) {
    // 0.1 + 2 * 0.1 is 0.30000000000000004 in doubles: rounding to 12 digits gives the literal 0.3.
    EXPECT_EQ(range_values(0.1, 0.3, 0.1), (Values{0.1, 0.2, 0.3}));
    EXPECT_EQ(range_values(0.1, 0.7, 0.3), (Values{0.1, 0.4, 0.7}));
}

TEST(SweepConfig, RangeNeverExceedsAStopTheStepMisses) {
    EXPECT_EQ(range_values(1, 2, 0.4), (Values{1, 1.4, 1.8}));
    EXPECT_EQ(range_values(10, 25, 10), (Values{10, 20}));
    EXPECT_EQ(range_values(5, 5, 1), (Values{5}));
}

TEST(SweepConfig, LogSpacingMultipliesByAConstantRatio) {
    EXPECT_EQ(spaced_values(0.5, 4, 4, true), (Values{0.5, 1, 2, 4}));  // ratio 2
    EXPECT_EQ(spaced_values(1, 1000, 4, true), (Values{1, 10, 100, 1000}));
}

TEST(SweepConfig, LinearSpacingIncludesBothEnds) {
    EXPECT_EQ(spaced_values(10, 30, 5, false), (Values{10, 15, 20, 25, 30}));
    EXPECT_EQ(spaced_values(0, 1, 3, false), (Values{0, 0.5, 1}));
    EXPECT_EQ(spaced_values(7, 9, 1, false), (Values{7}));
}

// ---- The grid -----------------------------------------------------------------------------

TEST(SweepConfig, GridTakesListsRangesAndSpacings) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader +
                                          "bb_period = { start = 10, stop = 30, step = 10 }\n"
                                          "bb_std = { start = 1.5, stop = 3.0, step = 0.5 }\n"
                                          "rsi_threshold = [25, 30, 35]\n"
                                          "take_profit_pct = { start = 0.5, stop = 4, num = 4, log = true }\n");
    EXPECT_EQ(spec.strategy, "mean_reversion");
    EXPECT_EQ(spec.name, "sweep");  // the file's stem when sweep.name is absent
    EXPECT_EQ(spec.recordings, (std::vector<std::string>{directory.file("market.h5")}));
    EXPECT_EQ(axis(spec, "bb_period"), (Values{10, 20, 30}));
    EXPECT_EQ(axis(spec, "bb_std"), (Values{1.5, 2.0, 2.5, 3.0}));
    EXPECT_EQ(axis(spec, "rsi_threshold"), (Values{25, 30, 35}));
    EXPECT_EQ(axis(spec, "take_profit_pct"), (Values{0.5, 1, 2, 4}));
    EXPECT_EQ(spec.grid->size(), 3u * 4 * 3 * 4);
}

TEST(SweepConfig, ScalarIsAFixedBaseValueNotAnAxis) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader +
                                          "rsi_period = 7\n"
                                          "position_size = 100\n"
                                          "allow_short = true\n"
                                          "bb_std = [2.5]\n");  // a one-value list stays an axis
    ASSERT_EQ(spec.grid->axes().size(), 1u);
    EXPECT_EQ(axis(spec, "bb_std"), (Values{2.5}));
    const ParamSet& base = spec.grid->base();
    EXPECT_EQ(base[param("rsi_period")], 7);
    EXPECT_EQ(base[param("position_size")], 100);
    EXPECT_EQ(base[param("allow_short")], 1);
    EXPECT_EQ(base[param("bb_period")], 20);  // unnamed parameters keep their defaults
    EXPECT_EQ(spec.grid->size(), 1u);
}

TEST(SweepConfig, BoolAndChoiceListsBecomeIndexAxes) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(
        "[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"ma_crossover\"\n[grid]\n"
        "allow_short = [false, true]\n"
        "ma_type = [\"sma\", \"ema\"]\n");
    const ParamSpecs& params = find_strategy("ma_crossover").params;
    ASSERT_EQ(spec.grid->axes().size(), 2u);
    // ma_type shapes the moving averages, so it comes first although it is listed second.
    EXPECT_EQ(spec.grid->axes()[0].param, *find_param(params, "ma_type"));
    EXPECT_EQ(spec.grid->axes()[0].values, (Values{0, 1}));
    EXPECT_EQ(spec.grid->axes()[1].param, *find_param(params, "allow_short"));
    EXPECT_EQ(spec.grid->axes()[1].values, (Values{0, 1}));
}

TEST(SweepConfig, IndicatorShapingAxesComeFirstThenDeclarationOrder) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader +
                                          "stop_loss_pct = [1, 2]\n"
                                          "rsi_period = [7, 14, 21]\n"
                                          "bb_std = [1.5, 2]\n"
                                          "bb_period = [10, 20]\n");
    std::vector<std::size_t> order;
    for (const auto& axis : spec.grid->axes()) order.push_back(axis.param);
    EXPECT_EQ(order, (std::vector<std::size_t>{param("bb_period"), param("rsi_period"), param("bb_std"),
                                               param("stop_loss_pct")}));
    // The last axis varies fastest: index 1 changes stop_loss_pct, index 2 bb_std, index 4
    // rsi_period.
    EXPECT_EQ(spec.grid->at(1)[param("stop_loss_pct")], 2);
    EXPECT_EQ(spec.grid->at(2)[param("bb_std")], 2);
    EXPECT_EQ(spec.grid->at(4)[param("rsi_period")], 14);
    EXPECT_EQ(spec.grid->at(12)[param("bb_period")], 20);
}

TEST(SweepConfig, ConstraintsDropCombinationsBeforeAnyWork) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(
        "[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n"
        "constraints = [\"take_profit_pct >= 2 * stop_loss_pct\", \"rsi_threshold < 35\"]\n"
        "[grid]\n"
        "rsi_threshold = [25, 30, 35]\n"
        "stop_loss_pct = [0.5, 1, 2]\n"
        "take_profit_pct = [1, 2, 3]\n");
    ParamSet params = spec.grid->base();
    params.values[param("rsi_threshold")] = 30;
    params.values[param("stop_loss_pct")] = 1;
    params.values[param("take_profit_pct")] = 2;
    EXPECT_TRUE(spec.grid->admits(params));  // 2 >= 2 * 1
    params.values[param("take_profit_pct")] = 1.5;
    EXPECT_FALSE(spec.grid->admits(params));
    // take_profit >= 2 stop_loss: sl 0.5 -> tp 1, 2, 3; sl 1 -> 2, 3; sl 2 -> none: 5 of 9 pairs,
    // times the 2 thresholds below 35: 10 of 27.
    const ReplayData data = prepare_replay_data(directory.market().bars, std::nullopt);
    const SweepPlan plan = plan_sweep(*spec.grid, data, 1);
    EXPECT_EQ(plan.grid_size, 27u);
    EXPECT_EQ(plan.combinations, 10u);
    EXPECT_EQ(plan.dropped_by_constraints, 17u);
}

// ---- Ranking ------------------------------------------------------------------------------

TEST(SweepConfig, RankDefaultsToSharpeDescendingTopTen) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader + "bb_std = [1.5, 2]\n");
    ASSERT_EQ(spec.rank.keys.size(), 1u);
    EXPECT_EQ(spec.rank.keys[0].metric, Metric::kSharpeRatio);
    EXPECT_TRUE(spec.rank.keys[0].descending);
    EXPECT_EQ(spec.rank.min_trades, 0);
    EXPECT_TRUE(spec.rank.filters.empty());
    EXPECT_EQ(spec.rank.top, 10u);
}

TEST(SweepConfig, RankOrderDefaultsFollowWhetherHigherIsBetter) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader + "bb_std = [1.5, 2]\n" +
                                          "[rank]\n"
                                          "by = \"total_pnl\"\n"
                                          "order = \"ascending\"\n"
                                          "then = [\"max_drawdown\", { by = \"sharpe_ratio\", order = \"ascending\" },"
                                          " { by = \"win_rate\" }, \"losing_trades\"]\n"
                                          "min_trades = 20\n"
                                          "top = 5\n");
    ASSERT_EQ(spec.rank.keys.size(), 5u);
    const std::vector<std::pair<Metric, bool>> expected = {{Metric::kTotalPnl, false},
                                                           {Metric::kMaxDrawdown, false},
                                                           {Metric::kSharpeRatio, false},
                                                           {Metric::kWinRate, true},
                                                           {Metric::kLosingTrades, false}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(spec.rank.keys[i].metric, expected[i].first) << i;
        EXPECT_EQ(spec.rank.keys[i].descending, expected[i].second) << i;
    }
    EXPECT_EQ(spec.rank.min_trades, 20);
    EXPECT_EQ(spec.rank.top, 5u);
    const SweepSpec by_drawdown = directory.load(kHeader + "bb_std = [1.5, 2]\n[rank]\nby = \"max_drawdown_pct\"\n");
    EXPECT_FALSE(by_drawdown.rank.keys[0].descending);
}

TEST(SweepConfig, RankFiltersAndMinTradesDecideWhichRowsRank) {
    ConfigDirectory directory;
    const SweepSpec spec = directory.load(kHeader + "bb_std = [1.5, 2]\n" +
                                          "[rank]\nmin_trades = 20\n"
                                          "filters = [\"max_drawdown_pct <= 5\", \"win_rate > 40\"]\n");
    EXPECT_EQ(spec.rank.filters.size(), 2u);
    ReplayMetrics metrics;
    metrics.total_trades = 20;
    metrics.max_drawdown_pct = 5;
    metrics.win_rate = 41;
    EXPECT_TRUE(passes_filters(spec.rank, metrics));
    metrics.total_trades = 19;
    EXPECT_FALSE(passes_filters(spec.rank, metrics));
    metrics.total_trades = 20;
    metrics.max_drawdown_pct = 5.5;
    EXPECT_FALSE(passes_filters(spec.rank, metrics));
    metrics.max_drawdown_pct = 1;
    metrics.win_rate = 40;
    EXPECT_FALSE(passes_filters(spec.rank, metrics));
}

// ---- Overrides ----------------------------------------------------------------------------

TEST(SweepConfig, OverridesApplyOnTopOfTheFile) {
    ConfigDirectory directory;
    const std::string text = kHeader + "bb_std = [1.5, 2.0, 2.5]\nbb_period = [10, 20]\n" +
                             "[rank]\nby = \"sharpe_ratio\"\n[output]\ndirectory = \"first\"\n";
    const SweepSpec spec = directory.load(
        text,
        {{"rank.by", "total_pnl"}, {"grid.bb_std", "[1.5, 2.0]"}, {"output.directory", "\"x\""}, {"rank.top", "3"}});
    EXPECT_EQ(spec.rank.keys[0].metric, Metric::kTotalPnl);
    EXPECT_EQ(spec.rank.top, 3u);
    EXPECT_EQ(axis(spec, "bb_std"), (Values{1.5, 2.0}));
    EXPECT_EQ(axis(spec, "bb_period"), (Values{10, 20}));  // untouched
    // Relative to the config file's directory, like the file's own output.directory.
    EXPECT_EQ(spec.output_directory, (directory.directory() / "x").string());
    // The effective config, overrides applied, is what the output keeps.
    EXPECT_NE(spec.config_text.find("total_pnl"), std::string::npos);
}

// ---- Errors: each names the file, the line and the key ------------------------------------

TEST(SweepConfigErrors, NotTomlNamesTheLine) {
    ConfigDirectory directory;
    const std::string message = directory.error("[sweep]\nstrategy = \"mean_reversion\"\nthis is not toml\n");
    EXPECT_EQ(message.rfind(directory.path() + ":3: not valid TOML: ", 0), 0u) << message;
}

// Found by the sweep_config fuzzer: a file name longer than the system allows threw
// std::filesystem_error (an internal error) instead of saying what was wrong with the entry.
TEST(SweepConfigErrors, ARecordingNameTooLongForTheFileSystemIsAUserError) {
    ConfigDirectory directory;
    const std::string name = std::string(300, '7') + ".h5";
    const std::string message = directory.error("[sweep]\nrecordings = [\"" + name +
                                                "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [1.5]\n");
    EXPECT_EQ(message.rfind(directory.path() + ":2: sweep.recordings: '7777", 0), 0u) << message;
    EXPECT_NE(message.find("(303 bytes in all)' cannot be read (looked for "), std::string::npos) << message;
    EXPECT_NE(message.find("File name too long"), std::string::npos) << message;
}

TEST(SweepConfigErrors, UnknownKeysNameTheirTableAndTheValidKeys) {
    ConfigDirectory directory;
    EXPECT_EQ(
        directory.error("colour = 1\n" + kHeader + "bb_std = [1.5]\n"),
        directory.path() +
            ":1: colour: unknown key; expected one of sweep, grid, rank, output, overfitting, search, walk_forward");
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\nthreads = 4\n"
                              "[grid]\nbb_std = [1.5]\n"),
              directory.path() +
                  ":4: sweep.threads: unknown key; expected one of name, recordings, strategy, "
                  "constraints, periods_per_year, max_combinations");
    EXPECT_EQ(directory.error(kHeader + "bb_std = [1.5]\n[rank]\nby = \"total_pnl\"\nlimit = 3\n"),
              directory.path() +
                  ":8: rank.limit: unknown key; expected one of by, order, then, min_trades, "
                  "filters, top");
    EXPECT_EQ(directory.error(kHeader + "bb_std = [1.5]\n[output]\ndir = \"x\"\n"),
              directory.path() + ":7: output.dir: unknown key; expected one of directory");
    EXPECT_EQ(directory.error(kHeader + "bb_std = { start = 1, stop = 2, stpe = 0.5 }\n"),
              directory.path() + ":5: grid.bb_std.stpe: unknown key; expected one of start, stop, step");
}

TEST(SweepConfigErrors, MissingTablesAndStrategy) {
    ConfigDirectory directory;
    EXPECT_EQ(directory.error("[grid]\nbb_std = [1.5]\n"), directory.path() + ": missing the [sweep] table");
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n"),
              directory.path() + ": missing the [grid] table");
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"market.h5\"]\n[grid]\nbb_std = [1.5]\n"),
              directory.path() + ":1: sweep: missing 'strategy'");
    EXPECT_EQ(
        directory.error("[sweep]\nrecordings = [\"market.h5\"]\nstrategy = "
                        "\"mean_revert\"\n[grid]\nbb_std = [1.5]\n"),
        directory.path() + ":3: sweep.strategy: unknown strategy 'mean_revert'; expected one of " + [] {
            std::string names;
            for (const auto* strategy : all_strategies()) names += (names.empty() ? "" : ", ") + strategy->name;
            return names;
        }());
}

TEST(SweepConfigErrors, GridKeyThatIsNotAParameterListsTheParameters) {
    ConfigDirectory directory;
    EXPECT_EQ(directory.error(kHeader + "bb_std = [1.5]\nbb_width = [2]\n"),
              directory.path() +
                  ":6: grid.bb_width: 'bb_width' is not a parameter of mean_reversion; its parameters "
                  "are: bb_period, bb_std, rsi_period, rsi_threshold, rsi_overbought, stop_loss_pct, "
                  "take_profit_pct, allow_short, position_size, initial_capital, commission_per_share, "
                  "slippage_bps");
}

TEST(SweepConfigErrors, BadAxisValuesNameTheKeyAndWhatWasFound) {
    ConfigDirectory directory;
    const std::string at5 = directory.path() + ":5: ";
    EXPECT_EQ(directory.error(kHeader + "bb_std = []\n"),
              at5 + "grid.bb_std: expected at least one value, found an empty list");
    EXPECT_EQ(directory.error(kHeader + "bb_std = { start = 3, stop = 2, step = 0.5 }\n"),
              at5 + "grid.bb_std.stop: the range is inverted: stop (2) is below start (3)");
    EXPECT_EQ(directory.error(kHeader + "bb_std = { start = 1, stop = 2, step = -0.5 }\n"),
              at5 + "grid.bb_std.step: range step must be > 0, got -0.5");
    EXPECT_EQ(directory.error(kHeader + "bb_std = { start = 1, stop = 2, step = 0 }\n"),
              at5 + "grid.bb_std.step: range step must be > 0, got 0");
    EXPECT_EQ(directory.error(kHeader + "bb_std = [0, 1]\n"),
              at5 + "grid.bb_std[0]: bb_std: expected a number in (0, 100], found 0");
    EXPECT_EQ(directory.error(kHeader + "rsi_threshold = { start = 90, stop = 110, step = 10 }\n"),
              at5 + "grid.rsi_threshold: rsi_threshold: expected a number in [0, 100], found 110");
    EXPECT_EQ(directory.error(kHeader + "bb_period = { start = 10, stop = 20, step = 2.5 }\n"),
              at5 + "grid.bb_period: bb_period takes integers, and the range gives 12.5");
    EXPECT_EQ(directory.error(kHeader + "rsi_threshold = [30, 35, 30]\n"),
              at5 + "grid.rsi_threshold: the value 30 appears twice");
    EXPECT_EQ(directory.error(kHeader + "bb_std = [1.5, \"wide\"]\n"),
              at5 + "grid.bb_std[1]: expected a number, found the string \"wide\"");
    EXPECT_EQ(directory.error(kHeader + "allow_short = [false, 1]\n"),
              at5 + "grid.allow_short[1]: expected true or false, found the integer 1");
    // A quoted flag is an error, not a silent linear spacing.
    EXPECT_EQ(directory.error(kHeader + "bb_std = { start = 1, stop = 4, num = 3, log = \"true\" }\n"),
              at5 + "grid.bb_std.log: expected true or false, found the string \"true\"");
}

TEST(SweepConfigErrors, BadRankingNamesTheMetricOrTheFilter) {
    ConfigDirectory directory;
    const std::string grid = kHeader + "bb_std = [1.5]\n[rank]\n";  // rank keys from line 7
    const std::string unknown = directory.error(grid + "by = \"profit\"\n");
    EXPECT_EQ(unknown.rfind(directory.path() + ":7: rank.by: unknown metric 'profit'; expected one of total_trades, "
                                               "winning_trades, losing_trades, win_rate, total_pnl, max_drawdown, ",
                            0),
              0u)
        << unknown;
    EXPECT_EQ(directory.error(grid + "filters = [\"max_drawdown_pct 5\"]\n"),
              directory.path() +
                  ":7: rank.filters: condition 'max_drawdown_pct 5': at character 18: expected a "
                  "comparison (<, <=, >, >=, == or !=), found '5'");
    EXPECT_EQ(directory.error(grid + "top = 0\n"), directory.path() + ":7: rank.top: expected 1..100000, found 0");
    EXPECT_EQ(directory.error(grid + "then = [\"sharpe_ratio\", \"pnl\"]\n")
                  .rfind(directory.path() + ":7: rank.then[1]: unknown metric 'pnl'", 0),
              0u);
}

TEST(SweepConfigErrors, ConstraintWithAnUnknownParameterListsTheParameters) {
    ConfigDirectory directory;
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n"
                              "constraints = [\"take_profit >= stop_loss_pct\"]\n[grid]\nbb_std = [1.5]\n"),
              directory.path() +
                  ":4: sweep.constraints: condition 'take_profit >= stop_loss_pct': unknown name "
                  "'take_profit'; expected one of bb_period, bb_std, rsi_period, rsi_threshold, "
                  "rsi_overbought, stop_loss_pct, take_profit_pct, allow_short, position_size, "
                  "initial_capital, commission_per_share, slippage_bps");
}

TEST(SweepConfigErrors, RecordingsThatMatchNothing) {
    ConfigDirectory directory;
    const std::string rest = "strategy = \"mean_reversion\"\n[grid]\nbb_std = [1.5]\n";
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"nope.h5\"]\n" + rest),
              directory.path() + ":2: sweep.recordings: 'nope.h5' is neither a file (looked for " +
                  directory.file("nope.h5") + ") nor a recording id in the store " + directory.store());
    EXPECT_EQ(directory.error("[sweep]\nrecordings = [\"*.hdf5\"]\n" + rest),
              directory.path() + ":2: sweep.recordings: '*.hdf5' matches no file (looked for " +
                  directory.file("*.hdf5") + ")");
    // A glob that matches finds the file.
    EXPECT_EQ(directory.load("[sweep]\nrecordings = [\"mark*.h5\"]\n" + rest).recordings,
              (std::vector<std::string>{directory.file("market.h5")}));
}

TEST(SweepConfigErrors, OverrideErrorsNameTheSetKey) {
    ConfigDirectory directory;
    const std::string text = kHeader + "bb_std = [1.5, 2.0]\n";
    EXPECT_EQ(directory.error(text, {{"rank.by", "profit"}}).rfind("--set rank.by: unknown metric 'profit'", 0), 0u);
    EXPECT_EQ(directory.error(text, {{"grid.bb_std", "[1.5, 1.5]"}}), "--set grid.bb_std: the value 1.5 appears twice");
    EXPECT_EQ(directory.error(text, {{"grid.bb_std", "{ start = 1, stop = 2, step = -0.5 }"}}),
              "--set grid.bb_std.step: range step must be > 0, got -0.5");
    // An item of an overridden list is the override's too: no line of the file is to blame.
    EXPECT_EQ(directory.error(text, {{"grid.bb_std", "[1.5, -1]"}}),
              "--set grid.bb_std[1]: bb_std: expected a number in (0, 100], found -1");
    EXPECT_EQ(directory.error(text, {{"grid.bb_width", "[2]"}})
                  .rfind("--set grid.bb_width: 'bb_width' is not a parameter", 0),
              0u);
}

}  // namespace
}  // namespace tapegrid
