// End to end: `tapegrid sweep` over a generated market: its tables, the ranking, determinism,
// guards and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::run_tapegrid;
using testing::TemporaryDirectory;

// 2 x 2 x 2 x 3 x 4 x 2 = 192 combinations. take_profit_pct >= stop_loss_pct keeps the
// pairs (0.5; 0.5, 1, 2, 4), (1; 1, 2, 4), (2; 2, 4): 9 of 12, so 192 / 12 * 9 = 144 run.
const char* const kConfig = R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]

[grid]
bb_period = [10, 20]
bb_std = [1.5, 2.0]
rsi_period = 14
rsi_threshold = [30, 40]
stop_loss_pct = [0.5, 1, 2]
take_profit_pct = [0.5, 1, 2, 4]
allow_short = [false, true]

[rank]
by = "sharpe_ratio"
top = 5

[output]
directory = "out"
)";
constexpr std::size_t kGridSize = 192;
constexpr std::size_t kRows = 144;
constexpr std::size_t kTop = 5;

const std::vector<std::string> kColumns = {
    "combination",   "bb_period",        "bb_std",         "rsi_period",    "rsi_threshold",   "rsi_overbought",
    "stop_loss_pct", "take_profit_pct",  "allow_short",    "position_size", "initial_capital", "commission_per_share",
    "slippage_bps",  "total_trades",     "winning_trades", "losing_trades", "win_rate",        "total_pnl",
    "max_drawdown",  "max_drawdown_pct", "sharpe_ratio",   "sortino_ratio", "profit_factor",   "average_trade",
    "gross_profit",  "gross_loss",       "exposure_pct",   "final_equity"};

struct Csv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    std::size_t column(const std::string& name) const {
        const auto found = std::find(header.begin(), header.end(), name);
        EXPECT_NE(found, header.end()) << name;
        return static_cast<std::size_t>(found - header.begin());
    }
};

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    for (std::string cell; std::getline(stream, cell, separator);) cells.push_back(cell);
    return cells;
}

Csv read_csv(const std::string& path) {
    Csv csv;
    const auto lines = split(testing::read_text(path), '\n');
    if (lines.empty()) return csv;
    csv.header = split(lines[0], ',');
    for (std::size_t i = 1; i < lines.size(); ++i) {
        csv.rows.push_back(split(lines[i], ','));
        EXPECT_EQ(csv.rows.back().size(), csv.header.size()) << "line " << i + 1;
    }
    return csv;
}

// A CSV cell as a number: booleans are 0 and 1, "inf" is infinity; shortest round-trip text parses
// back exactly.
double number(const std::string& cell) {
    if (cell == "true") return 1;
    if (cell == "false") return 0;
    char* end = nullptr;
    const double value = std::strtod(cell.c_str(), &end);
    EXPECT_TRUE(!cell.empty() && *end == '\0') << "not a number: '" << cell << "'";
    return value;
}

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(testing::read_text(path));
}

// A user error: exit 2 and stderr that mentions `needle`.
void expect_user_error(const testing::CommandResult& result, const std::string& needle) {
    EXPECT_EQ(result.exit_code, 2) << "stdout: " << result.out << "\nstderr: " << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << "expected '" << needle << "' in: " << result.err;
}

std::string python_with_h5py() {
    for (const char* candidate : {"/usr/bin/python3", "python3"})
        if (testing::run_command(std::string(candidate) + " -c 'import h5py'").exit_code == 0) return candidate;
    return "";
}

// One generated market and one sweep of kConfig, shared by the tests that only read them.
class SweepCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        first_ = std::make_unique<testing::CommandResult>();  // exit -1 until the sweep runs
        const auto generated = run_tapegrid("generate --symbols 3 --bars 3000 --seed 5 -o " + file("market.h5"));
        ASSERT_EQ(generated.exit_code, 0) << generated.err;
        testing::write_text(config(), kConfig);
        *first_ = run_tapegrid("sweep " + config() + " --threads 2 --quiet");
    }
    static void TearDownTestSuite() { directory_.reset(); }

    static std::string file(const std::string& name) { return directory_->file(name); }
    static std::string config() { return file("sweep.toml"); }
    static std::string out(const std::string& name) { return file("out/" + name); }
    static const testing::CommandResult& first() { return *first_; }

    static std::unique_ptr<TemporaryDirectory> directory_;
    static std::unique_ptr<testing::CommandResult> first_;
};
std::unique_ptr<TemporaryDirectory> SweepCli::directory_;
std::unique_ptr<testing::CommandResult> SweepCli::first_;

TEST_F(SweepCli, ResultsCsvHasEveryParameterAndMetricAndOneRowPerAdmittedCombination) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const Csv csv = read_csv(out("results.csv"));
    EXPECT_EQ(csv.header, kColumns);
    ASSERT_EQ(csv.rows.size(), kRows);
    const std::size_t stop = csv.column("stop_loss_pct"), target = csv.column("take_profit_pct");
    std::set<std::vector<std::string>> parameter_sets;
    std::set<std::string> combinations;
    for (const auto& row : csv.rows) {
        EXPECT_GE(number(row[target]), number(row[stop])) << row[0];
        EXPECT_EQ(row[csv.column("rsi_period")], "14");      // fixed
        EXPECT_EQ(row[csv.column("rsi_overbought")], "70");  // default
        EXPECT_TRUE(row[csv.column("allow_short")] == "true" || row[csv.column("allow_short")] == "false");
        parameter_sets.insert(std::vector<std::string>(row.begin() + 1, row.begin() + 13));
        combinations.insert(row[0]);
        EXPECT_LT(number(row[0]), static_cast<double>(kGridSize));
    }
    EXPECT_EQ(parameter_sets.size(), kRows);  // every admitted combination once
    EXPECT_EQ(combinations.size(), kRows);
}

TEST_F(SweepCli, ResultsH5HoldsTheCsvTable) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const std::string python = python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "python3 with h5py (Debian package python3-h5py) is not installed";
    const auto result = testing::run_command(python + " " + H5PY_SWEEP_READER_SCRIPT + " " + out("results.h5"));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto h5 = nlohmann::json::parse(result.out);
    EXPECT_EQ(h5["strategy_name"], "mean_reversion");
    EXPECT_EQ(h5["columns"].get<std::vector<std::string>>(), kColumns);
    const Csv csv = read_csv(out("results.csv"));
    for (std::size_t c = 0; c < csv.header.size(); ++c) {
        const auto& column = h5["values"][csv.header[c]];
        ASSERT_EQ(column.size(), csv.rows.size()) << csv.header[c];
        for (std::size_t r = 0; r < csv.rows.size(); ++r) {
            const std::string& cell = csv.rows[r][c];
            if (column[r].is_string()) {
                EXPECT_EQ(column[r].get<std::string>(), cell) << csv.header[c] << " row " << r;
            } else {
                EXPECT_EQ(column[r].get<double>(), number(cell)) << csv.header[c] << " row " << r;
            }
        }
    }
}

// docs/FORMAT.md's route from results.h5 into pandas, run as written, gives results.csv's table
// (read with pandas.read_csv) value for value: for a boolean parameter (mean_reversion's
// allow_short) and a choice (ma_crossover's ma_type).
TEST_F(SweepCli, ResultsH5ReadsIntoPandasAsFormatMdShows) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const auto pandas = testing::run_command("/usr/bin/python3 -c 'import h5py, pandas'");
    ASSERT_EQ(pandas.exit_code, 0) << "python3-pandas and python3-h5py (scripts/setup.sh installs them): "
                                   << pandas.err;
    testing::write_text(file("ma.toml"), R"([sweep]
recordings = ["market.h5"]
strategy = "ma_crossover"

[grid]
fast_period = [5, 10]
slow_period = [20, 30]
ma_type = ["sma", "ema"]
allow_short = [false, true]

[output]
directory = "out-ma"
)");
    const auto ma = run_tapegrid("sweep " + file("ma.toml") + " --threads 2 --quiet");
    ASSERT_EQ(ma.exit_code, 0) << ma.err;
    const auto mean_reversion =
        testing::run_command(std::string("/usr/bin/python3 ") + PANDAS_SWEEP_READER_SCRIPT + " " + file("out"));
    ASSERT_EQ(mean_reversion.exit_code, 0) << mean_reversion.err;
    EXPECT_EQ(mean_reversion.out, "rows 144, columns 28, choice columns []\n");
    const auto crossover =
        testing::run_command(std::string("/usr/bin/python3 ") + PANDAS_SWEEP_READER_SCRIPT + " " + file("out-ma"));
    ASSERT_EQ(crossover.exit_code, 0) << crossover.err;
    EXPECT_EQ(crossover.out, "rows 16, columns 26, choice columns ['ma_type']\n");
}

TEST_F(SweepCli, TopJsonIsTheCsvSortedBySharpeDescending) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const auto top = read_json(out("top.json"))["top"];
    ASSERT_EQ(top.size(), kTop);
    // Ranked independently from the CSV: sharpe descending, ties by the lower combination.
    const Csv csv = read_csv(out("results.csv"));
    std::vector<std::pair<double, double>> ranked;  // (sharpe, combination)
    for (const auto& row : csv.rows) ranked.emplace_back(number(row[csv.column("sharpe_ratio")]), number(row[0]));
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (std::size_t i = 0; i < top.size(); ++i) {
        EXPECT_EQ(top[i]["rank"], i + 1);
        if (i + 1 < top.size()) {
            EXPECT_GE(top[i]["sharpe_ratio"].get<double>(), top[i + 1]["sharpe_ratio"].get<double>());
        }
        EXPECT_EQ(top[i]["combination"].get<double>(), ranked[i].second) << i;
        EXPECT_EQ(top[i]["sharpe_ratio"].get<double>(), ranked[i].first) << i;
        EXPECT_TRUE(top[i]["parameters"].is_object());
        EXPECT_TRUE(top[i]["positions"].is_array());
        EXPECT_EQ(top[i]["positions"].size(), top[i]["total_trades"].get<std::size_t>());
    }
}

TEST_F(SweepCli, BestRowEqualsASingleReplayWithItsParameters) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const auto best = read_json(out("top.json"))["top"].at(0);
    std::string settings;
    for (const auto& [name, value] : best["parameters"].items()) settings += " --set " + name + "=" + value.dump();
    const auto replay =
        run_tapegrid("replay " + file("market.h5") + " --strategy mean_reversion" + settings + " --json");
    ASSERT_EQ(replay.exit_code, 0) << replay.err;
    const auto json = nlohmann::json::parse(replay.out);
    EXPECT_EQ(json["total_trades"].get<double>(), best["total_trades"].get<double>());
    EXPECT_EQ(json["total_pnl"].get<double>(), best["total_pnl"].get<double>());
    EXPECT_EQ(json["sharpe_ratio"].get<double>(), best["sharpe_ratio"].get<double>());
}

TEST_F(SweepCli, PlanAndConfigAreWrittenBesideTheResults) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    EXPECT_TRUE(fs::is_regular_file(out("config.toml")));
    const auto plan = read_json(out("plan.json"));
    EXPECT_EQ(plan["combinations"], kRows);
    EXPECT_EQ(plan["grid_size"], kGridSize);
    EXPECT_EQ(plan["dropped_by_constraints"], kGridSize - kRows);
    EXPECT_EQ(plan["combinations"], read_csv(out("results.csv")).rows.size());
}

TEST_F(SweepCli, OneThreadGivesTheSameResultsAsTwo) {
    ASSERT_EQ(first().exit_code, 0) << first().err;
    const auto single = run_tapegrid("sweep " + config() + " --threads 1 --quiet --out " + file("single"));
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_EQ(testing::read_text(file("single/results.csv")), testing::read_text(out("results.csv")));
    EXPECT_EQ(read_json(file("single/top.json"))["top"], read_json(out("top.json"))["top"]);
}

TEST_F(SweepCli, DryRunPrintsThePlanAndWritesNothing) {
    const auto dry = run_tapegrid("sweep " + config() + " --dry-run --out " + file("dry"));
    ASSERT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("plan: mean_reversion on 1 recording (3 symbols, 9000 bars)"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("144 combinations (192 in the grid, 48 dropped by constraints)"), std::string::npos)
        << dry.out;
    EXPECT_FALSE(fs::exists(file("dry")));
}

TEST_F(SweepCli, EarlierResultsNeedOverwrite) {
    const std::string again = file("again");
    ASSERT_EQ(run_tapegrid("sweep " + config() + " --threads 2 --quiet --out " + again).exit_code, 0);
    const auto before = testing::snapshot_directory(again);
    const std::string csv = testing::read_text(again + "/results.csv");
    const auto refused = run_tapegrid("sweep " + config() + " --threads 2 --quiet --out " + again);
    expect_user_error(refused, "--overwrite");
    EXPECT_EQ(testing::snapshot_directory(again), before);
    EXPECT_EQ(testing::read_text(again + "/results.csv"), csv);
    const auto replaced = run_tapegrid("sweep " + config() + " --threads 2 --quiet --overwrite --out " + again);
    EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
    EXPECT_EQ(testing::read_text(again + "/results.csv"), csv);
}

TEST_F(SweepCli, GridAboveTheLimitNeedsForce) {
    const std::string big = file("big");
    const std::string command =
        "sweep " + config() + " --threads 2 --quiet --set sweep.max_combinations=10 --out " + big;
    const auto refused = run_tapegrid(command);
    expect_user_error(refused, "--force");
    // Counted from the axes (2 x 2 x 2 x 3 x 4 x 2), before the constraints drop 48, before any walk.
    EXPECT_NE(refused.err.find("the grid has 192 combinations (before its constraints)"), std::string::npos)
        << refused.err;
    EXPECT_FALSE(fs::exists(big));
    const auto forced = run_tapegrid(command + " --force");
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(read_csv(big + "/results.csv").rows.size(), kRows);
}

TEST_F(SweepCli, ConfigErrorsNameThePathAndLineAndCreateNothing) {
    std::string text = kConfig;
    text.replace(text.find("bb_std = [1.5, 2.0]"), 19,
                 "bb_std = { start = 1, stop = 2, step = -0.5 }");  // line 8
    const std::string bad = file("bad.toml");
    testing::write_text(bad, text);
    const auto result = run_tapegrid("sweep " + bad + " --quiet --out " + file("bad-out"));
    expect_user_error(result, "");
    EXPECT_EQ(
        result.err.rfind("tapegrid sweep: error: " + bad + ":8: grid.bb_std.step: range step must be > 0, got -0.5", 0),
        0u)
        << result.err;
    EXPECT_FALSE(fs::exists(file("bad-out")));
    // An unknown metric from --set names the override, not a line.
    const auto metric = run_tapegrid("sweep " + config() + " --quiet --set rank.by=pnl --out " + file("bad-out"));
    expect_user_error(metric, "--set rank.by: unknown metric 'pnl'");
    EXPECT_FALSE(fs::exists(file("bad-out")));
}

// ---- A recording with original parameters: the sweep shows where they rank -----------------

TEST(SweepCliRecording, OriginalParametersAreRankedAndMatchTheirGridRow) {
    TemporaryDirectory directory;
    const auto recorded = run_tapegrid(
        "record --strategy mean_reversion --synthetic --symbols 2 --bars 3000 --seed 9 -o " + directory.file("rec.h5"));
    ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
    // The defaults (bb_period 20, bb_std 2, rsi_threshold 30, stop 1, target 2) are in the grid:
    // 2^5 = 32 rows.
    testing::write_text(directory.file("rec.toml"), R"([sweep]
recordings = ["rec.h5"]
strategy = "mean_reversion"
[grid]
bb_period = [10, 20]
bb_std = [2.0, 2.5]
rsi_threshold = [30, 35]
stop_loss_pct = [1, 2]
take_profit_pct = [2, 4]
[output]
directory = "out"
)");
    const auto swept = run_tapegrid("sweep " + directory.file("rec.toml") + " --threads 2 --quiet");
    ASSERT_EQ(swept.exit_code, 0) << swept.err;
    const auto original = read_json(directory.file("out/top.json"))["original"];
    ASSERT_TRUE(original.is_object());
    EXPECT_EQ(original["in_grid"], true);
    const auto rank = original["rank"].get<std::uint64_t>();
    EXPECT_GE(rank, 1u);
    EXPECT_NE(swept.out.find("\norig #" + std::to_string(rank) + " "), std::string::npos) << swept.out;

    const Csv csv = read_csv(directory.file("out/results.csv"));
    ASSERT_EQ(csv.rows.size(), 32u);
    const std::map<std::string, double> defaults = {
        {"bb_period", 20}, {"bb_std", 2}, {"rsi_threshold", 30}, {"stop_loss_pct", 1}, {"take_profit_pct", 2}};
    const std::vector<std::string>* match = nullptr;
    for (const auto& row : csv.rows) {
        bool same = true;
        for (const auto& [name, value] : defaults) same = same && number(row[csv.column(name)]) == value;
        if (same) match = &row;
    }
    ASSERT_NE(match, nullptr);
    for (std::size_t c = csv.column("total_trades"); c < csv.header.size(); ++c) {
        const auto& value = original[csv.header[c]];
        if (value.is_null()) {
            EXPECT_FALSE(std::isfinite(number((*match)[c]))) << csv.header[c];
        } else {
            EXPECT_EQ(value.get<double>(), number((*match)[c])) << csv.header[c];
        }
    }
    // Its rank, worked out from the CSV: 1 + the rows with a higher sharpe (ties: a lower
    // combination first).
    const std::size_t sharpe = csv.column("sharpe_ratio");
    std::uint64_t ahead = 0;
    for (const auto& row : csv.rows) {
        if (&row == match) continue;
        const double s = number(row[sharpe]), own = number((*match)[sharpe]);
        if (s > own || (s == own && number(row[0]) < number((*match)[0]))) ++ahead;
    }
    EXPECT_EQ(rank, ahead + 1);
}

}  // namespace
}  // namespace tapegrid

namespace tapegrid {
namespace {

// A sweep that ran to the end can be "resumed": its outputs are derived again, the same.
TEST(CliSweepResume, ResumingAFinishedSweepChangesNothingAndMismatchesAreRefused) {
    testing::TemporaryDirectory directory;
    const std::string market = directory.file("market.h5");
    ASSERT_EQ(testing::run_tapegrid("generate --symbols 2 --bars 2000 --seed 4 -o " + market).exit_code, 0);
    const std::string config = directory.file("sweep.toml");
    testing::write_text(config,
                        "[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n\n[grid]\n"
                        "bb_std = [1.5, 2.0]\nrsi_threshold = [30, 40]\nstop_loss_pct = [1, 2]\n\n"
                        "[output]\ndirectory = \"out\"\n");
    const auto first = testing::run_tapegrid("sweep " + config + " --quiet");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const std::string csv = testing::read_text(directory.file("out/results.csv"));
    const auto again = testing::run_tapegrid("sweep " + config + " --quiet --resume");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(testing::read_text(directory.file("out/results.csv")), csv);
    EXPECT_EQ(again.out, first.out);  // the same ranked table

    // Another grid cannot resume this sweep's checkpoint.
    const auto other = testing::run_tapegrid("sweep " + config + " --quiet --resume --set grid.bb_std=[2.5]");
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.err.find("checkpoint.bin: was taken by a sweep with another config"), std::string::npos)
        << other.err;
    // Nothing to resume from.
    const auto none = testing::run_tapegrid("sweep " + config + " --quiet --resume --out " + directory.file("empty"));
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("no checkpoint.bin to resume from"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace tapegrid
