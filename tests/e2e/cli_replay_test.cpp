// End to end: record a paper session, verify it, replay it with other parameters, save and list replays, bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::run_tapegrid;
using testing::TemporaryDirectory;

nlohmann::json json_of(const testing::CommandResult& result) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    if (result.exit_code != 0) return nlohmann::json::object();
    return nlohmann::json::parse(result.out);
}

// A user error: exit 2, a message on stderr that contains `needle`, nothing on stdout.
void expect_user_error(const testing::CommandResult& result, const std::string& needle) {
    EXPECT_EQ(result.exit_code, 2) << "stdout: " << result.out << "\nstderr: " << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << "expected '" << needle << "' in: " << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
}

std::size_t stored_replays(const std::string& recording) {
    return json_of(run_tapegrid("recordings replays " + recording + " --json"))["count"].get<std::size_t>();
}

// The replay's totals agree with its comparison with the original, and the trade-by-trade
// matching accounts for every trade of both sides (the recording holds every original trade).
void expect_consistent_comparison(const nlohmann::json& replay, std::int64_t original_trades, double original_pnl) {
    const auto& c = replay["comparison"];
    EXPECT_EQ(c["original_trades"].get<std::int64_t>(), original_trades);
    EXPECT_NEAR(c["original_pnl"].get<double>(), original_pnl, 1e-9);
    EXPECT_EQ(c["replay_trades"], replay["total_trades"]);
    EXPECT_EQ(c["replay_pnl"], replay["total_pnl"]);
    EXPECT_EQ(c["replay_trades"].get<std::int64_t>() - c["original_trades"].get<std::int64_t>(),
              c["trades_diff"].get<std::int64_t>());
    EXPECT_NEAR(c["replay_pnl"].get<double>() - c["original_pnl"].get<double>(), c["pnl_diff"].get<double>(), 1e-9);
    EXPECT_NEAR(c["replay_win_rate"].get<double>() - c["original_win_rate"].get<double>(),
                c["win_rate_diff"].get<double>(), 1e-9);
    const auto& t = c["trades"];
    const auto same = t["same"].get<std::int64_t>(), changed = t["changed"].get<std::int64_t>();
    EXPECT_EQ(same + changed + t["only_original"].get<std::int64_t>(), original_trades);
    EXPECT_EQ(same + changed + t["only_replay"].get<std::int64_t>(), replay["total_trades"].get<std::int64_t>());
    EXPECT_EQ(replay["positions"].size(), replay["total_trades"].get<std::size_t>());
    // The differences list every trade that is not the same, and only those.
    EXPECT_EQ(static_cast<std::int64_t>(t["differences"].size()),
              changed + t["only_original"].get<std::int64_t>() + t["only_replay"].get<std::int64_t>());
}

// ---- Every strategy: record over real data, verify, replay with a changed parameter ----------

struct StrategyCase {
    std::string strategy;
    std::string record_settings;  // --set ... for the recording
    std::string changed_name, changed_value;
};

void PrintTo(const StrategyCase& c, std::ostream* out) {
    *out << c.strategy << " " << c.record_settings;
}

class RecordAndReplay : public ::testing::TestWithParam<StrategyCase> {};

TEST_P(RecordAndReplay, VerifiesAndReplaysConsistently) {
    const auto data = testing::shared_real_data();
    if (!data) GTEST_SKIP() << "../shared/data/real is not present";
    const StrategyCase& param = GetParam();
    TemporaryDirectory directory;
    const std::string file = directory.file(param.strategy + ".h5");
    std::string csv;
    for (const char* name : {"orcl-1995-2014.txt", "nvda-1999-2014.txt", "yhoo-1996-2014.txt"}) {
        csv += ' ';  // appended piecewise: `" " + string` trips a false -Wrestrict in GCC 12
        csv += (*data / name).string();
    }
    const auto recorded = json_of(run_tapegrid("record --strategy " + param.strategy + " --csv" + csv + " -o " + file +
                                               " " + param.record_settings + " --json"));
    ASSERT_EQ(recorded["status"], "completed");
    EXPECT_EQ(recorded["bars_fed"], 5036 + 4012 + 4713);  // the three files' rows, less their headers
    const auto original_trades = recorded["original_trades"].get<std::int64_t>();
    const double original_pnl = recorded["original_pnl"].get<double>();
    EXPECT_GT(original_trades, 10);

    const auto verified = json_of(run_tapegrid("replay " + file + " --verify --json"));
    EXPECT_EQ(verified["verified"], true) << verified.dump(2);
    EXPECT_EQ(verified["trades_replayed"].get<std::int64_t>(), original_trades);
    EXPECT_EQ(verified["events_checked"], recorded["total_events_recorded"]);

    // No change: every trade matches the original one.
    const auto unchanged = json_of(run_tapegrid("replay " + file + " --json"));
    EXPECT_EQ(unchanged["total_trades"].get<std::int64_t>(), original_trades);
    EXPECT_TRUE(unchanged["modified_parameters"].empty());
    EXPECT_EQ(unchanged["comparison"]["trades"]["same"].get<std::int64_t>(), original_trades);
    EXPECT_NEAR(unchanged["comparison"]["pnl_diff"].get<double>(), 0.0, 1e-9);
    expect_consistent_comparison(unchanged, original_trades, original_pnl);

    const auto changed = json_of(
        run_tapegrid("replay " + file + " --set " + param.changed_name + "=" + param.changed_value + " --json"));
    ASSERT_EQ(changed["modified_parameters"].size(), 1u) << changed["modified_parameters"].dump();
    EXPECT_TRUE(changed["modified_parameters"].contains(param.changed_name));
    const auto& trades = changed["comparison"]["trades"];
    EXPECT_GT(trades["differences"].size(), 0u) << "the changed parameter should change some trades";
    expect_consistent_comparison(changed, original_trades, original_pnl);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStrategy, RecordAndReplay,
    ::testing::Values(StrategyCase{"mean_reversion", "", "rsi_threshold", "40"},
                      // Shorts and costs: the recorded fills carry slippage and commission, and must still verify.
                      StrategyCase{"momentum",
                                   "--set allow_short=true --set commission_per_share=0.005 --set slippage_bps=2",
                                   "lookback", "30"},
                      StrategyCase{"ma_crossover", "--set ma_type=ema", "slow_period", "50"},
                      // Shorts, the channel exit and the ATR stop all record and verify.
                      StrategyCase{"breakout", "--set allow_short=true --set atr_mult=3", "exit_period", "20"}),
    [](const ::testing::TestParamInfo<StrategyCase>& info) { return info.param.strategy; });

// ---- The reference check figures (docs/reference-strategy.md) -------------------------------

TEST(CliReplay, MeanReversionReproducesTheReferenceCheckFiguresOnOrcl) {
    const auto data = testing::shared_real_data();
    if (!data) GTEST_SKIP() << "../shared/data/real is not present";
    TemporaryDirectory directory;
    const std::string file = directory.file("orcl.h5");
    const auto recorded =
        json_of(run_tapegrid("record --strategy mean_reversion --csv " + (*data / "orcl-1995-2014.txt").string() +
                             " -o " + file + " --set stop_loss_pct=1 --set take_profit_pct=2 --json"));
    EXPECT_EQ(recorded["bars_fed"], 5036);
    EXPECT_EQ(recorded["original_trades"], 44);
    EXPECT_NEAR(recorded["original_pnl"].get<double>(), 2.5051415, 1e-7);

    struct Row {
        std::string settings;
        int trades;
        double pnl;
    };
    for (const Row& row : {Row{"--set take_profit_pct=3", 44, 17.4893757},
                           Row{"--set stop_loss_pct=2 --set take_profit_pct=2", 43, 11.826225},
                           Row{"--set stop_loss_pct=2 --set take_profit_pct=3", 43, 23.2214592}}) {
        const auto replay = json_of(run_tapegrid("replay " + file + " " + row.settings + " --json"));
        EXPECT_EQ(replay["total_trades"], row.trades) << row.settings;
        EXPECT_NEAR(replay["total_pnl"].get<double>(), row.pnl, 1e-7) << row.settings;
        EXPECT_NEAR(replay["comparison"]["pnl_diff"].get<double>(), row.pnl - 2.5051415, 1e-7) << row.settings;
    }
}

TEST(CliReplay, MeanReversionReproducesTheReferenceCheckFigureOnNvda) {
    const auto data = testing::shared_real_data();
    if (!data) GTEST_SKIP() << "../shared/data/real is not present";
    TemporaryDirectory directory;
    const std::string file = directory.file("nvda.h5");
    const auto recorded = json_of(run_tapegrid("record --strategy mean_reversion --csv " +
                                               (*data / "nvda-1999-2014.txt").string() + " -o " + file + " --json"));
    EXPECT_EQ(recorded["original_trades"], 68);
    EXPECT_NEAR(recorded["original_pnl"].get<double>(), 14.3619202, 1e-7);
    const auto replay = json_of(run_tapegrid("replay " + file + " --json"));
    EXPECT_EQ(replay["total_trades"], 68);
    EXPECT_NEAR(replay["total_pnl"].get<double>(), 14.3619202, 1e-7);
}

// ---- Synthetic sessions (no real data needed) -----------------------------------------------

// A mean_reversion paper session over a synthetic market, recorded in `directory`.
std::string record_synthetic(const TemporaryDirectory& directory) {
    const std::string file = directory.file("S.h5");
    const auto result = run_tapegrid(
        "record --strategy mean_reversion --synthetic --symbols 2 --bars 3000 --seed 5 -o " + file + " --json");
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return file;
}

TEST(CliReplay, SyntheticSessionVerifiesAndExplainsItsSignals) {
    TemporaryDirectory directory;
    const std::string file = record_synthetic(directory);
    const auto verified = json_of(run_tapegrid("replay " + file + " --verify --json"));
    EXPECT_EQ(verified["verified"], true) << verified.dump(2);
    EXPECT_GT(verified["trades_replayed"].get<int>(), 0);

    const auto page = json_of(run_tapegrid("recordings events " + file + " --type SIGNAL_DETECTED --limit 1 --json"));
    ASSERT_EQ(page["events"].size(), 1u);
    const auto& event = page["events"][0];
    EXPECT_EQ(event["event_type"], "SIGNAL_DETECTED");
    const auto& why = event["decision_metadata"];
    ASSERT_TRUE(why["reasoning"].is_string());
    EXPECT_FALSE(why["reasoning"].get<std::string>().empty());
    ASSERT_TRUE(why["indicators"].is_object());
    EXPECT_TRUE(why["indicators"]["bb_lower"].is_number());
    EXPECT_TRUE(why["indicators"]["rsi"].is_number());
    // A long entry: RSI below the default threshold 30, close below the lower band.
    EXPECT_LT(why["indicators"]["rsi"].get<double>(), 30.0);
    EXPECT_LT(event["market_state"]["close"].get<double>(), why["indicators"]["bb_lower"].get<double>());
    ASSERT_TRUE(why["signal_strength"].is_number());
    EXPECT_GE(why["signal_strength"].get<double>(), 0.0);
    EXPECT_LE(why["signal_strength"].get<double>(), 1.0);
}

TEST(CliReplay, SavedReplayIsListedShownAndLeavesTheRecordingVerifiable) {
    TemporaryDirectory directory;
    const std::string file = record_synthetic(directory);
    EXPECT_EQ(stored_replays(file), 0u);
    const auto saved =
        json_of(run_tapegrid("replay " + file + " --set rsi_threshold=35 --save --description 'looser rsi' --json"));
    EXPECT_EQ(saved["saved"], true);
    ASSERT_TRUE(saved["replay_id"].is_string());
    const std::string id = saved["replay_id"];

    const auto listed = json_of(run_tapegrid("recordings replays " + file + " --json"));
    ASSERT_EQ(listed["count"], 1);
    const auto& entry = listed["replays"][0];
    EXPECT_EQ(entry["replay_id"], id);
    EXPECT_EQ(entry["description"], "looser rsi");
    EXPECT_EQ(entry["modified_parameters"], (nlohmann::json{{"rsi_threshold", 35.0}}));
    EXPECT_EQ(entry["total_trades"], saved["total_trades"]);
    EXPECT_EQ(entry["total_pnl"], saved["total_pnl"]);
    EXPECT_EQ(entry["trades_diff"], saved["comparison"]["trades_diff"]);

    const auto shown = json_of(run_tapegrid("replays show " + file + " " + id + " --json"));
    EXPECT_EQ(shown["replay_id"], id);
    for (const char* key : {"total_trades", "winning_trades", "total_pnl", "win_rate", "max_drawdown", "sharpe_ratio"})
        EXPECT_EQ(shown[key], saved[key]) << key;
    EXPECT_EQ(shown["positions"].size(), saved["positions"].size());
    EXPECT_EQ(shown["comparison"]["trades_diff"], saved["comparison"]["trades_diff"]);

    const auto recording = json_of(run_tapegrid("recordings show " + file + " --json"))["recording"];
    ASSERT_EQ(recording["replays"].size(), 1u);
    EXPECT_EQ(recording["replays"][0]["replay_id"], id);

    // The recorded session is untouched: it still verifies.
    const auto verified = run_tapegrid("replay " + file + " --verify");
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("verified"), std::string::npos) << verified.out;
}

// ---- Bad input: exit 2, a clear message, nothing stored -------------------------------------

TEST(CliReplay, BadParametersAreRefusedAndStoreNothing) {
    TemporaryDirectory directory;
    const std::string file = record_synthetic(directory);
    const auto before = testing::snapshot_directory(directory.path().string());
    struct Case {
        std::string arguments, message;
    };
    const std::vector<Case> cases = {
        {"--strategy nope", "unknown strategy 'nope'; expected one of mean_reversion, momentum, ma_crossover"},
        {"--set rsi_threshold=abc", "rsi_threshold: expected a number, found 'abc'"},
        {"--set nonexistent=1",
         "'nonexistent' is not a parameter of mean_reversion; its parameters are: bb_period, "
         "bb_std, rsi_period, rsi_threshold"},
        {"--set bb_period=1", "bb_period: expected an integer in [2, 10000], found 1"},
        {"--set fast_period=5", "'fast_period' is not a parameter of mean_reversion"},
        {"--strategy ma_crossover --set fast_period=30", "fast_period (30) must be smaller than slow_period (30)"},
        {"--strategy ma_crossover --set fast_period=40 --set slow_period=20",
         "fast_period (40) must be smaller than slow_period (20)"},
        {"--set take_profit_pct", "expected NAME=VALUE"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.arguments);
        expect_user_error(run_tapegrid("replay " + file + " " + c.arguments + " --save --json"), c.message);
    }
    expect_user_error(run_tapegrid("replay " + file + " --verify --set bb_period=10"),
                      "--verify replays with the recording's own strategy and parameters");
    EXPECT_EQ(testing::snapshot_directory(directory.path().string()), before) << "a refused replay changed a file";
    EXPECT_EQ(stored_replays(file), 0u);
}

TEST(CliReplay, RecordingsWithoutStrategyOrTooShortAreRefused) {
    TemporaryDirectory directory;
    const std::string file = directory.file("short.h5");
    ASSERT_EQ(run_tapegrid("generate --symbols 1 --bars 10 --seed 3 -o " + file).exit_code, 0);
    const auto before = testing::snapshot_directory(directory.path().string());
    expect_user_error(run_tapegrid("replay " + file + " --save"), "has no strategy");
    expect_user_error(run_tapegrid("replay " + file + " --save"), "name one with --strategy");
    // bb_period 50: the bands exist from bar 49, the RSI(14) from bar 14, so the warm-up is 49.
    expect_user_error(run_tapegrid("replay " + file + " --strategy mean_reversion --set bb_period=50 --save"),
                      "symbol SYN00 has 10 bars; mean_reversion with these parameters needs at least 50 bars (its "
                      "warm-up is 49 bars before the first possible signal)");
    // The default bb_period 20: warm-up max(20 - 1, 14) = 19.
    expect_user_error(run_tapegrid("replay " + file + " --strategy mean_reversion --save"),
                      "symbol SYN00 has 10 bars; mean_reversion with these parameters needs at least 20 bars (its "
                      "warm-up is 19 bars before the first possible signal)");
    EXPECT_EQ(testing::snapshot_directory(directory.path().string()), before);
    EXPECT_EQ(stored_replays(file), 0u);
}

TEST(CliRecord, BadInputIsRefusedAndCreatesNoFile) {
    TemporaryDirectory directory;
    const std::string csv = directory.file("tiny.csv");
    testing::write_text(csv,
                        "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,0.5,1.5,1.5,100\n"
                        "2020-01-03,1.5,2,1,1.8,1.8,120\n");
    const std::string out = directory.file("never.h5");
    expect_user_error(run_tapegrid("record --strategy nope --csv " + csv + " -o " + out),
                      "unknown strategy 'nope'; expected one of");
    expect_user_error(run_tapegrid("record --strategy momentum --synthetic --csv " + csv + " -o " + out),
                      "name exactly one feed: --csv FILE..., --from REC or --synthetic");
    expect_user_error(run_tapegrid("record --strategy mean_reversion --synthetic --set bb_period=1 -o " + out),
                      "bb_period: expected an integer in [2, 10000], found 1");
    expect_user_error(run_tapegrid("record --strategy ma_crossover --synthetic --set fast_period=30 -o " + out),
                      "fast_period (30) must be smaller than slow_period (30)");
    EXPECT_FALSE(std::filesystem::exists(out));
    // Only the CSV is there: no recording, no live sidecar, no partial file.
    EXPECT_EQ(testing::snapshot_directory(directory.path().string()).size(), 1u);
}

}  // namespace
}  // namespace tapegrid
