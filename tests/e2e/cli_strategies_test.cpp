// `tapegrid strategies`: the parameter tables of docs/STRATEGIES.md are the ones the code declares.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

// The marked tables of a text: from "<!-- parameters of" to "<!-- end of parameters -->".
std::vector<std::string> marked_tables(const std::string& text) {
    std::vector<std::string> tables;
    const std::string begin = "<!-- parameters of ", end = "<!-- end of parameters -->";
    for (std::size_t at = text.find(begin); at != std::string::npos; at = text.find(begin, at + 1)) {
        const std::size_t stop = text.find(end, at);
        if (stop == std::string::npos) break;
        tables.push_back(text.substr(at, stop + end.size() - at));
    }
    return tables;
}

TEST(StrategiesDocs, ParameterTablesAreTheGeneratedOnes) {
    const auto generated = testing::run_tapegrid("strategies --markdown");
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    const std::vector<std::string> expected = marked_tables(generated.out);
    ASSERT_EQ(expected.size(), 5u);  // the common parameters, then four strategies
    const std::string docs = testing::read_text(std::string(TAPEGRID_SOURCE_DIR) + "/docs/STRATEGIES.md");
    const std::vector<std::string> found = marked_tables(docs);
    EXPECT_EQ(found.size(), expected.size()) << "docs/STRATEGIES.md has another number of parameter tables";
    for (const auto& table : expected)
        EXPECT_NE(docs.find(table), std::string::npos)
            << "docs/STRATEGIES.md differs from the code's declarations; paste in the output of "
               "`tapegrid strategies --markdown`:\n"
            << table;
}

TEST(StrategiesCli, OneStrategysMarkdownIsItsOwnTableOnly) {
    const auto result = testing::run_tapegrid("strategies breakout --markdown");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto tables = marked_tables(result.out);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_NE(tables[0].find("| channel_period | 20 | integer [1, 10000] |"), std::string::npos) << tables[0];
    EXPECT_NE(tables[0].find("| atr_mult | 2 | [0, 100] |"), std::string::npos) << tables[0];
    EXPECT_EQ(tables[0].find("position_size"), std::string::npos);
}

TEST(StrategiesCli, AnUnknownNameListsTheKnownOnes) {
    const auto result = testing::run_tapegrid("strategies turtle --markdown");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("expected one of mean_reversion, momentum, ma_crossover, breakout"), std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace tapegrid
