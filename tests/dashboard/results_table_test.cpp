// Pins reading a sweep's results.csv back as columns (io/results/results_table.h).
#include "io/results/results_table.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/errors.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

// The header sweep_writers writes: combination, the parameters, then metrics.
constexpr const char* kHeader = "combination,bb_period,ma_type,allow_short,total_trades,total_pnl,profit_factor\n";

std::string error_of(const std::string& path, std::size_t max_rows = 100) {
    try {
        read_results_table(path, max_rows);
    } catch (const UserError& error) {
        return error.what();
    }
    return "no error";
}

TEST(ResultsTable, ReadsNumbersChoicesAndEmptyCells) {
    TemporaryDirectory directory;
    const std::string path = directory.file("results.csv");
    testing::write_text(path, std::string(kHeader) +
                                  "0,10,sma,false,5,12.5,inf\n"
                                  "1,20,ema,true,3,,1.5\r\n"
                                  "2,,sma,false,0,-4,nan\n");
    const ResultsTable table = read_results_table(path, 100);
    EXPECT_EQ(table.names, (std::vector<std::string>{"combination", "bb_period", "ma_type", "allow_short",
                                                     "total_trades", "total_pnl", "profit_factor"}));
    EXPECT_EQ(table.is_parameter, (std::vector<bool>{false, true, true, true, false, false, false}));
    EXPECT_EQ(table.rows, 3u);
    EXPECT_FALSE(table.truncated);
    EXPECT_EQ(table.numeric[0], (std::vector<double>{0, 1, 2}));
    ASSERT_EQ(table.numeric[1].size(), 3u);  // a numeric parameter, empty cell as NaN
    EXPECT_EQ(table.numeric[1][0], 10.0);
    EXPECT_EQ(table.numeric[1][1], 20.0);
    EXPECT_TRUE(std::isnan(table.numeric[1][2]));
    EXPECT_TRUE(table.text[1].empty());
    EXPECT_TRUE(table.is_text(2));  // a choice
    EXPECT_EQ(table.text[2], (std::vector<std::string>{"sma", "ema", "sma"}));
    EXPECT_TRUE(table.numeric[2].empty());
    EXPECT_EQ(table.text[3], (std::vector<std::string>{"false", "true", "false"}));
    EXPECT_EQ(table.numeric[4], (std::vector<double>{5, 3, 0}));
    EXPECT_EQ(table.numeric[5][0], 12.5);
    EXPECT_TRUE(std::isnan(table.numeric[5][1]));  // the empty metric cell
    EXPECT_EQ(table.numeric[5][2], -4.0);
    EXPECT_TRUE(std::isinf(table.numeric[6][0]));
    EXPECT_TRUE(std::isnan(table.numeric[6][2]));
}

TEST(ResultsTable, StopsAtMaxRowsAndSaysSo) {
    TemporaryDirectory directory;
    const std::string path = directory.file("results.csv");
    testing::write_text(path, std::string(kHeader) + "0,10,sma,false,5,1,1\n1,20,ema,true,3,2,2\n\n");
    const ResultsTable cut = read_results_table(path, 1);
    EXPECT_EQ(cut.rows, 1u);
    EXPECT_TRUE(cut.truncated);
    EXPECT_EQ(cut.text[2], (std::vector<std::string>{"sma"}));
    const ResultsTable whole = read_results_table(path, 2);  // a trailing blank line is no row
    EXPECT_EQ(whole.rows, 2u);
    EXPECT_FALSE(whole.truncated);
}

TEST(ResultsTable, BadLinesAreNamedWithWhatWasExpected) {
    TemporaryDirectory directory;
    const std::string short_row = directory.file("short.csv");
    testing::write_text(short_row, std::string(kHeader) + "0,10,sma,false,5,1,1\n1,20,ema\n");
    EXPECT_EQ(error_of(short_row), short_row + ":3: expected 7 fields (as the header names), found 3");

    const std::string bad_metric = directory.file("metric.csv");
    testing::write_text(bad_metric, std::string(kHeader) + "0,10,sma,false,5,12abc,1\n");
    EXPECT_EQ(error_of(bad_metric), bad_metric + ":2: total_pnl: expected a number, found '12abc'");

    const std::string not_a_sweep = directory.file("bars.csv");
    testing::write_text(not_a_sweep, "timestamp,open,close\n1,2,3\n");
    EXPECT_NE(error_of(not_a_sweep).find(not_a_sweep + ":1: expected a sweep's results header"), std::string::npos);

    const std::string no_metrics = directory.file("nometrics.csv");
    testing::write_text(no_metrics, "combination,a,b\n0,1,2\n");
    EXPECT_NE(error_of(no_metrics).find(no_metrics + ":1: expected metric columns"), std::string::npos);

    EXPECT_NE(error_of(directory.file("missing.csv")).find("missing.csv: cannot read"), std::string::npos);
}

}  // namespace
}  // namespace tapegrid
