// End to end: searches beyond the grid (random, Bayesian, `tapegrid evaluate`) and the report on
// whether a sweep's winner is real (PSR, DSR, PBO), on markets generated here.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
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
