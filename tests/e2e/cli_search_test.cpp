// End to end: searches beyond the grid (random, Bayesian, `tapegrid evaluate`) and the report on
// whether a sweep's winner is real (PSR, DSR, PBO), on markets generated here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/random.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::run_tapegrid;
using testing::TemporaryDirectory;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::stringstream stream(text);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
    return cells;
}

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(testing::read_text(path));
}

// One symbol of one-minute bars as CSV: close follows `next(previous close)`; open is the
// previous close, high and low bracket both.
template <class Next>
std::string market_csv(std::size_t bars, Next&& next) {
    std::string csv = "timestamp,open,high,low,close,volume\n";
    double close = 100.0;
    for (std::size_t i = 0; i < bars; ++i) {
        const double open = close;
        close = next(close);
        const double high = std::max(open, close) * 1.0005, low = std::min(open, close) * 0.9995;
        csv += std::to_string(1'600'000'000 + 60 * static_cast<std::int64_t>(i)) + "," + std::to_string(open) + "," +
               std::to_string(high) + "," + std::to_string(low) + "," + std::to_string(close) + ",1000\n";
    }
    return csv;
}

// Imports `csv` as one recording at `path`.
void import_market(const TemporaryDirectory& scratch, const std::string& csv, const std::string& path) {
    testing::write_text(scratch.file("AAA.csv"), csv);
    const auto imported = run_tapegrid("import " + scratch.file("AAA.csv") + " --timestamp-format epoch_s -o " + path);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

// 5 x 4 x 5 = 100 combinations of mean_reversion.
std::string grid_config(const std::string& recording, const std::string& extra = "") {
    return "[sweep]\nrecordings = [\"" + recording +
           "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_period = [10, 15, 20, 25, 30]\nbb_std = [1.0, 1.5, 2.0, "
           "2.5]\nrsi_threshold = [30, 35, 40, 45, 50]\nstop_loss_pct = 1\ntake_profit_pct = 0.5\n[rank]\nby = "
           "\"sharpe_ratio\"\n" +
           extra;
}

// Pure random walks: no combination has an edge, so the combination chosen in sample ranks
// anywhere out of sample: PBO is 0.5 in expectation. One walk alone scatters widely (its
// combinations are few independent bets: 0.09 to 0.84 over eight walks of this grid), so the
// test takes eight walks: their mean PBO is near one half, and no winner's deflated Sharpe ratio
// is significant.
TEST(WinnerIsReal, RandomWalksSweptOverAGridAreOverfit) {
    TemporaryDirectory scratch;
    double pbo_sum = 0.0;
    constexpr int kWalks = 8;
    for (int walk = 0; walk < kWalks; ++walk) {
        Xoshiro256 random(100 + static_cast<std::uint64_t>(walk));
        const std::string name = "walk" + std::to_string(walk);
        import_market(scratch,
                      market_csv(20'000, [&](double close) { return close * (1.0 + 0.001 * random.normal()); }),
                      scratch.file(name + ".h5"));
        testing::write_text(scratch.file(name + ".toml"),
                            "[sweep]\nrecordings = [\"" + name +
                                ".h5\"]\nstrategy = \"ma_crossover\"\n[grid]\nfast_period = [2, 3, 5, 8, 13, 21]\n"
                                "slow_period = [10, 20, 30, 50, 80, 120]\nma_type = [\"sma\", \"ema\"]\nallow_short = "
                                "true\n[rank]\nby = \"sharpe_ratio\"\n");
        const auto swept =
            run_tapegrid("sweep " + scratch.file(name + ".toml") + " --threads 2 --quiet --out " + scratch.file(name));
        ASSERT_EQ(swept.exit_code, 0) << swept.err;
        const nlohmann::json report = read_json(scratch.file(name + "/top.json")).at("overfitting");
        EXPECT_LT(report.at("deflated_sharpe_ratio").get<double>(), 0.95) << report.dump(2);
        EXPECT_EQ(report.at("trials"), 66);  // 6 x 6 x 2, less the 6 x 2 with fast >= slow
        EXPECT_EQ(report.at("pbo").at("splits_evaluated"), 12870);
        EXPECT_EQ(read_json(scratch.file(name + "/plan.json")).at("run").at("overfitting"), report);
        pbo_sum += report.at("pbo").at("pbo").get<double>();
    }
    EXPECT_NEAR(pbo_sum / kWalks, 0.5, 0.2);
}

// An Ornstein-Uhlenbeck price (each bar pulls 30% of the way back to 100): mean reversion has a
// real, steady edge, strongest for the combinations that trade most. The in-sample best stays
// among the best out of sample: a low PBO, and a deflated Sharpe ratio near 1.
TEST(WinnerIsReal, APlantedEdgeIsNot) {
    TemporaryDirectory scratch;
    Xoshiro256 random(12);
    import_market(
        scratch,
        market_csv(20'000, [&](double close) { return close + 0.3 * (100.0 - close) + 0.1 * random.normal(); }),
        scratch.file("edge.h5"));
    testing::write_text(scratch.file("sweep.toml"), grid_config("edge.h5"));
    const auto swept =
        run_tapegrid("sweep " + scratch.file("sweep.toml") + " --threads 2 --out " + scratch.file("out"));
    ASSERT_EQ(swept.exit_code, 0) << swept.err;
    const nlohmann::json report = read_json(scratch.file("out/top.json")).at("overfitting");
    EXPECT_LT(report.at("pbo").at("pbo").get<double>(), 0.1) << report.dump(2);
    EXPECT_EQ(report.at("pbo").at("splits_total"), 12870);
    EXPECT_EQ(report.at("trials"), 100);
    EXPECT_NE(swept.out.find("PBO "), std::string::npos) << swept.out;  // under the table

    // results.h5 holds the combination x block matrix, row i the table's row i: from its sums, each
    // row's per-bar Sharpe ratio is the sharpe_ratio column over sqrt(periods_per_year).
    if (testing::run_command("python3 -c 'import h5py, numpy'").exit_code != 0) return;  // h5py is optional
    testing::write_text(scratch.file("check.py"), R"(import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["overfitting"]
sums, squares, counts = g["block_sums"][:], g["block_squares"][:], g["block_counts"][:]
assert sums.shape == (100, 16) and squares.shape == (100, 16) and counts.shape == (16,), (sums.shape, counts.shape)
n = counts.sum()
mean = sums.sum(axis=1) / n
sharpe = mean / np.sqrt((squares.sum(axis=1) - sums.sum(axis=1) * mean) / (n - 1))
expected = f["sharpe_ratio"][:] / np.sqrt(f["periods_per_year"][:])
assert np.allclose(sharpe, expected, rtol=1e-7, atol=1e-12), np.abs(sharpe - expected).max()
assert len(g["logits"]) == 12870 and abs(np.mean(g["logits"][:] <= 0) - g.attrs["pbo"]) < 1e-12
print(int(n))
)");
    const auto checked =
        testing::run_command("python3 " + scratch.file("check.py") + " " + scratch.file("out/results.h5"));
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
    EXPECT_EQ(checked.out, std::to_string(report.at("returns").get<std::int64_t>()) + "\n");
    EXPECT_GT(report.at("deflated_sharpe_ratio").get<double>(), 0.95) << report.dump(2);
    EXPECT_GT(report.at("probabilistic_sharpe_ratio").get<double>(), 0.99);
}

}  // namespace
}  // namespace tapegrid

namespace tapegrid {
namespace {

// A daily market whose drift turns at day `turn`: up before, down after, with a 30-day swing of
// 3% on top, so that the moving averages cross (ma_crossover enters on a cross) in both regimes.
std::string regime_change_csv(std::size_t days, std::size_t turn, std::uint64_t seed) {
    Xoshiro256 random(seed);
    std::string csv = "timestamp,open,high,low,close,volume\n";
    double level = 100.0, close = 100.0;
    for (std::size_t i = 0; i < days; ++i) {
        const double open = close;
        level *= 1.0 + (i < turn ? 0.003 : -0.003) + 0.005 * random.normal();
        close = level * (1.0 + 0.03 * std::sin(2.0 * 3.141592653589793 * static_cast<double>(i) / 30.0));
        csv += std::to_string(1'420'070'400 + 86'400 * static_cast<std::int64_t>(i)) + "," + std::to_string(open) +
               "," + std::to_string(std::max(open, close) * 1.002) + "," +
               std::to_string(std::min(open, close) * 0.998) + "," + std::to_string(close) + ",1000\n";
    }
    return csv;
}

const char* const kWalkForwardGrid = R"(strategy = "ma_crossover"
[grid]
fast_period = [5, 10]
slow_period = [30, 60]
allow_short = [false, true]
[rank]
by = "total_pnl"
[walk_forward]
train = "1y"
test = "3M"
)";

// Up for 1,000 days from 2015-01-01, then down: a fold trained on the rise keeps to longs, one
// trained on the fall sells short too; every test window starts where its train window ends.
TEST(WalkForward, FoldsFollowAPlantedRegimeChange) {
    TemporaryDirectory scratch;
    import_market(scratch, regime_change_csv(2000, 1000, 5), scratch.file("regimes.h5"));
    testing::write_text(scratch.file("wf.toml"),
                        std::string("[sweep]\nrecordings = [\"regimes.h5\"]\n") + kWalkForwardGrid);
    const auto run =
        run_tapegrid("walkforward " + scratch.file("wf.toml") + " --threads 2 --out " + scratch.file("out"));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const nlohmann::json report = read_json(scratch.file("out/walkforward.json"));
    const auto& folds = report.at("folds");
    ASSERT_GE(folds.size(), 15u);           // 2000 days: (2000 - 365) / 91 complete folds, give or take a month
    const std::string turn = "2017-09-27";  // day 1000
    std::size_t before = 0, after = 0;
    for (const auto& fold : folds) {
        ASSERT_TRUE(fold.at("chosen").get<bool>());
        const std::string train_to = fold.at("train").at("to"), train_from = fold.at("train").at("from");
        EXPECT_LT(train_to, fold.at("test").at("from").get<std::string>());
        if (train_to < turn) {
            EXPECT_FALSE(fold.at("parameters").at("allow_short").get<bool>()) << fold.dump();
            ++before;
        } else if (train_from > turn) {
            EXPECT_TRUE(fold.at("parameters").at("allow_short").get<bool>()) << fold.dump();
            ++after;
        }
    }
    EXPECT_GE(before, 4u);
    EXPECT_GE(after, 4u);
    // The stitched record: every test bar once, the folds' trades and pnl added up.
    std::int64_t trades = 0;
    double pnl = 0.0;
    for (const auto& fold : folds) {
        trades += fold.at("out_of_sample").at("total_trades").get<std::int64_t>();
        pnl += fold.at("out_of_sample").at("total_pnl").get<double>();
    }
    EXPECT_EQ(report.at("out_of_sample").at("total_trades"), trades);
    EXPECT_NEAR(report.at("out_of_sample").at("total_pnl").get<double>(), pnl, 1e-9 * std::abs(pnl) + 1e-9);
    EXPECT_TRUE(report.at("walk_forward_efficiency").is_number());
    EXPECT_EQ(lines_of(testing::read_text(scratch.file("out/folds.csv"))).size(), folds.size() + 1);
}

// No fold reads a bar after its test window: appending 300 days of a wild market after the data
// leaves every fold the shorter recording has exactly as it was.
TEST(WalkForward, NoFoldReadsTheFuture) {
    TemporaryDirectory scratch;
    const std::string csv = regime_change_csv(1200, 1000, 6);
    import_market(scratch, csv, scratch.file("short.h5"));
    std::string longer = csv;
    Xoshiro256 random(7);
    double close = 100.0;
    for (std::size_t i = 1200; i < 1500; ++i) {
        const double open = close;
        close *= 1.0 + 0.05 * random.normal();
        longer += std::to_string(1'420'070'400 + 86'400 * static_cast<std::int64_t>(i)) + "," + std::to_string(open) +
                  "," + std::to_string(std::max(open, close) * 1.01) + "," +
                  std::to_string(std::min(open, close) * 0.99) + "," + std::to_string(close) + ",1000\n";
    }
    import_market(scratch, longer, scratch.file("long.h5"));
    for (const char* name : {"short", "long"}) {
        testing::write_text(scratch.file(std::string(name) + ".toml"),
                            std::string("[sweep]\nrecordings = [\"") + name + ".h5\"]\n" + kWalkForwardGrid);
        const auto run = run_tapegrid("walkforward " + scratch.file(std::string(name) + ".toml") +
                                      " --threads 1 --quiet --out " + scratch.file(name));
        ASSERT_EQ(run.exit_code, 0) << run.err;
    }
    const auto short_folds = read_json(scratch.file("short/walkforward.json")).at("folds");
    const auto long_folds = read_json(scratch.file("long/walkforward.json")).at("folds");
    ASSERT_GT(long_folds.size(), short_folds.size());
    for (std::size_t k = 0; k < short_folds.size(); ++k) EXPECT_EQ(short_folds[k], long_folds[k]) << "fold " << k + 1;
}

TEST(WalkForward, RefusesWindowsThatDoNotFitAndWritesNothing) {
    TemporaryDirectory scratch;
    import_market(scratch, regime_change_csv(400, 200, 8), scratch.file("m.h5"));
    const auto refused = [&](const std::string& walk_forward, const std::string& needle) {
        testing::write_text(scratch.file("bad.toml"), std::string("[sweep]\nrecordings = [\"m.h5\"]\n") +
                                                          "strategy = \"ma_crossover\"\n[grid]\nfast_period = [5, "
                                                          "10]\nslow_period = [30, 60]\n[walk_forward]\n" +
                                                          walk_forward);
        const auto run = run_tapegrid("walkforward " + scratch.file("bad.toml") + " --out " + scratch.file("out"));
        EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
        EXPECT_NE(run.err.find(needle), std::string::npos) << run.err;
        EXPECT_FALSE(fs::exists(scratch.file("out")));
    };
    refused("train = \"2y\"\ntest = \"3M\"\n", "do not fit in the data");
    refused("train = 50\ntest = 20\n", "longest warm-up");  // slow_period 60 needs more than 50 bars
    refused("train = \"1y\"\ntest = \"3X\"\n", "bad.toml:9: walk_forward.test");
    refused("train = \"1y\"\ntest = 0\n", "walk_forward.test");
    refused("test = \"3M\"\n", "missing 'train'");
    refused("train = \"6M\"\ntest = \"3M\"\nmode = \"sliding\"\n", "walk_forward.mode");
}

}  // namespace
}  // namespace tapegrid

namespace tapegrid {
namespace {

// 4 x 4 x 4 x 3 = 192 combinations of mean_reversion; the constraint keeps 144.
const char* const kSearchConfig = R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]
[grid]
bb_period = [10, 15, 20, 25]
bb_std = [1.5, 2.0, 2.5, 3.0]
stop_loss_pct = [0.5, 1, 2, 4]
take_profit_pct = [1, 2, 4]
[rank]
by = "sharpe_ratio"
)";

class SearchCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        const auto generated = run_tapegrid("generate --symbols 2 --bars 4000 --seed 9 -o " + file("market.h5"));
        ASSERT_EQ(generated.exit_code, 0) << generated.err;
        testing::write_text(file("search.toml"), kSearchConfig);
    }
    static void TearDownTestSuite() { directory_.reset(); }
    static std::string file(const std::string& name) { return directory_->file(name); }
    static testing::CommandResult sweep(const std::string& out, const std::string& arguments) {
        return run_tapegrid("sweep " + file("search.toml") + " --quiet --out " + file(out) + " " + arguments);
    }
    static std::unique_ptr<TemporaryDirectory> directory_;
};
std::unique_ptr<TemporaryDirectory> SearchCli::directory_;

// Same config and seed: the same proposals and rows at 1 and 2 threads; every row a distinct
// combination the constraint admits; the trace lists them in order with the best so far.
TEST_F(SearchCli, SearchesAreDeterministicAtAnyThreadCount) {
    for (const char* method : {"random", "bayesian"}) {
        const std::string settings =
            std::string("--set search.method=") + method + " --set search.budget=40 --set search.seed=3";
        const std::string one = std::string(method) + "-1", two = std::string(method) + "-2";
        ASSERT_EQ(sweep(one, settings + " --threads 1").exit_code, 0);
        ASSERT_EQ(sweep(two, settings + " --threads 2").exit_code, 0);
        const std::string rows = testing::read_text(file(one + "/results.csv"));
        EXPECT_EQ(rows, testing::read_text(file(two + "/results.csv"))) << method;
        EXPECT_EQ(testing::read_text(file(one + "/trace.csv")), testing::read_text(file(two + "/trace.csv")));
        const auto lines = lines_of(rows);
        ASSERT_EQ(lines.size(), 41u) << method;
        const auto trace = lines_of(testing::read_text(file(one + "/trace.csv")));
        ASSERT_EQ(trace.size(), 41u);
        std::set<std::string> combinations;
        double best = -1e300;
        const auto header = cells_of(trace[0]);
        const auto column = [&](const std::string& name) {
            return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
        };
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const auto row = cells_of(lines[i]);
            const auto entry = cells_of(trace[i]);
            EXPECT_TRUE(combinations.insert(row[0]).second) << "repeated combination " << row[0];
            EXPECT_EQ(entry[column("combination")], row[0]);  // the trace is the rows' order
            EXPECT_EQ(entry[column("evaluation")], std::to_string(i));
            EXPECT_GE(std::stod(entry[column("take_profit_pct")]), std::stod(entry[column("stop_loss_pct")]));
            const double so_far = std::stod(entry[column("best_sharpe_ratio")]);
            EXPECT_GE(so_far, best);
            EXPECT_GE(so_far, std::stod(entry[column("sharpe_ratio")]));
            best = so_far;
        }
        const nlohmann::json plan = read_json(file(one + "/plan.json"));
        EXPECT_EQ(plan.at("search").at("method"), method);
        EXPECT_EQ(plan.at("run").at("rows"), 40);
        EXPECT_EQ(read_json(file(one + "/top.json")).at("overfitting").at("trials"), 40);
    }
    // Another seed proposes other combinations.
    ASSERT_EQ(sweep("random-seed4", "--set search.method=random --set search.budget=40 --set search.seed=4").exit_code,
              0);
    EXPECT_NE(testing::read_text(file("random-seed4/results.csv")), testing::read_text(file("random-1/results.csv")));
}

// A budget that covers the grid runs the grid, and says so.
TEST_F(SearchCli, ABudgetAboveTheGridRunsTheGrid) {
    const auto run = run_tapegrid("sweep " + file("search.toml") + " --out " + file("covered") +
                                  " --set search.method=random --set search.budget=500");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("covers the grid's 192 combinations: running the grid"), std::string::npos) << run.out;
    EXPECT_EQ(lines_of(testing::read_text(file("covered/results.csv"))).size(), 145u);
    EXPECT_FALSE(fs::exists(file("covered/trace.csv")));
}

TEST_F(SearchCli, BadSearchAndOverfittingSettingsAreRefusedBeforeAnyWork) {
    const auto refused = [&](const std::string& table, const std::string& needle) {
        testing::write_text(file("bad.toml"), std::string(kSearchConfig) + table);
        const auto run = run_tapegrid("sweep " + file("bad.toml") + " --out " + file("refused"));
        EXPECT_EQ(run.exit_code, 2) << table << run.out << run.err;
        EXPECT_NE(run.err.find(needle), std::string::npos) << run.err;
        EXPECT_FALSE(fs::exists(file("refused"))) << table;
    };
    refused("[search]\nmethod = \"random\"\nbudget = 0\n", "bad.toml:14: search.budget: a budget of 0");
    refused("[search]\nmethod = \"annealing\"\nbudget = 5\n", "bad.toml:13: search.method: expected \"grid\"");
    refused("[search]\nmethod = \"random\"\n", "missing 'budget'");
    refused("[search]\nmethod = \"random\"\nbudget = 5\ninitial = 2\n", "search.initial: applies to method");
    refused("[search]\nbudget = 5\n", "search.budget: applies to method");
    refused("[overfitting]\nblocks = 15\n", "bad.toml:13: overfitting.blocks: expected an even number");
    refused("[overfitting]\nblocks = 0\n", "overfitting.blocks");
    refused("[overfitting]\nenabled = 1\n", "overfitting.enabled: expected true or false");
    testing::write_text(file("fixed.toml"),
                        "[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_period = "
                        "20\n[search]\nmethod = \"bayesian\"\nbudget = 5\n");
    const auto empty = run_tapegrid("sweep " + file("fixed.toml") + " --out " + file("refused"));
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_NE(empty.err.find("the search space is empty"), std::string::npos) << empty.err;
}

// `tapegrid evaluate --stdin` answers each line with the row a sweep gives the same parameters,
// a bad line with an error (and exit 2 at the end), and drives the documented Python example.
TEST_F(SearchCli, EvaluateAnswersJsonLinesWithTheSweepsRows) {
    ASSERT_EQ(sweep("grid", "--threads 2").exit_code, 0);
    const auto rows = lines_of(testing::read_text(file("grid/results.csv")));
    const auto header = cells_of(rows[0]);
    const auto at = [&](const std::vector<std::string>& row, const std::string& name) {
        return row[static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin())];
    };
    std::string input;
    for (const std::size_t r : {1, 77}) {
        const auto row = cells_of(rows[r]);
        input += "{\"bb_period\": " + at(row, "bb_period") + ", \"bb_std\": " + at(row, "bb_std") +
                 ", \"stop_loss_pct\": " + at(row, "stop_loss_pct") +
                 ", \"take_profit_pct\": " + at(row, "take_profit_pct") + "}\n";
    }
    input += "{\"bb_period\": -3}\nnot json\n";
    testing::write_text(file("lines.jsonl"), input);
    // In a shell of its own: run_command gives the command /dev/null as its standard input.
    const auto run = testing::run_command("sh -c '" + testing::tapegrid_binary() + " evaluate " + file("search.toml") +
                                          " --stdin < " + file("lines.jsonl") + "'");
    EXPECT_EQ(run.exit_code, 2) << run.err;
    const auto answers = lines_of(run.out);
    ASSERT_EQ(answers.size(), 4u) << run.out;
    for (std::size_t i = 0; i < 2; ++i) {
        const nlohmann::json answer = nlohmann::json::parse(answers[i]);
        const auto row = cells_of(rows[i == 0 ? 1 : 77]);
        EXPECT_EQ(answer.at("line"), i + 1);
        EXPECT_EQ(answer.at("sharpe_ratio").get<double>(), std::stod(at(row, "sharpe_ratio")));
        EXPECT_EQ(answer.at("total_pnl").get<double>(), std::stod(at(row, "total_pnl")));
        EXPECT_EQ(answer.at("total_trades").get<std::int64_t>(), std::stoll(at(row, "total_trades")));
    }
    EXPECT_NE(nlohmann::json::parse(answers[2]).at("error").get<std::string>().find("bb_period"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(answers[3]).at("line"), 4);

    testing::write_text(file("example.toml"),
                        "[sweep]\nrecordings = [\"market.h5\"]\nstrategy = \"mean_reversion\"\n[grid]\n"
                        "bb_period = 20\n");
    const auto example = testing::run_command(std::string("python3 ") + COORDINATE_SEARCH_EXAMPLE + " " +
                                              testing::tapegrid_binary() + " " + file("example.toml"));
    ASSERT_EQ(example.exit_code, 0) << example.err;
    const nlohmann::json found = nlohmann::json::parse(example.out);
    EXPECT_GT(found.at("evaluations").get<int>(), 5);
    EXPECT_TRUE(found.at("sharpe_ratio").is_number());
}

}  // namespace
}  // namespace tapegrid
