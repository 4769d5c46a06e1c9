// `tapegrid replay --verify` of a session that died (SIGKILL) or was stopped (SIGINT): every
// recorded event is checked up to where the recording ends, the positions open then are
// reported, and only a real divergence fails.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/live/paper_feed.h"
#include "engine/live/paper_session.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recorder_observer.h"
#include "io/json/replay_json.h"
#include "strategies/registry.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

nlohmann::json json_of(const testing::CommandResult& result) {
    EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err;
    return nlohmann::json::parse(result.out);
}

// Starts `tapegrid record` on a paced synthetic feed, lets it run for `run_for`, then sends it
// `signal` (by its pid) and waits for it.
void record_then_signal(const std::string& file, std::chrono::milliseconds run_for, int signal) {
    const std::string binary = testing::tapegrid_binary();
    std::vector<std::string> words = {binary,        "record",          "--strategy", "mean_reversion",
                                      "--set",       "bb_std=1.5",      "--set",      "allow_short=true",
                                      "--synthetic", "--symbols",       "3",          "--bars",
                                      "20000",       "--seed",          "7",          "--speed",
                                      "2000000",     "--flush-records", "300",        "-o",
                                      file};
    std::vector<char*> arguments;
    for (auto& word : words) arguments.push_back(word.data());
    arguments.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t child = 0;
    ASSERT_EQ(posix_spawn(&child, binary.c_str(), &actions, nullptr, arguments.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    // The clock starts once the recording has some flushed rows, so that a loaded machine still
    // kills it mid-session (at most 20 s of waiting).
    for (int wait = 0; wait < 2000; ++wait) {
        std::error_code error;
        if (std::filesystem::file_size(file, error) > 256 * 1024 && !error) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(run_for);
    ::kill(child, signal);
    int status = 0;
    ::waitpid(child, &status, 0);
}

// The (symbol, entry time) of every position the recording opened and did not close.
std::set<std::pair<std::string, std::string>> recorded_open_positions(const std::string& file) {
    const auto events = json_of(testing::run_tapegrid("recordings events " + file + " --limit 1000000 --json"));
    std::set<std::pair<std::string, std::string>> open;
    for (const auto& event : events["events"]) {
        const std::string type = event["event_type"];
        const std::string symbol = event["symbol"];
        if (type == "POSITION_OPENED") open.insert({symbol, event["timestamp"].get<std::string>()});
        if (type == "POSITION_CLOSED") open.erase({symbol, event["event_data"]["entry_time"].get<std::string>()});
    }
    return open;
}

TEST(VerifyInterrupted, AKilledSessionVerifiesUpToWhereItEndsAndReportsItsOpenPositions) {
    TemporaryDirectory directory;
    for (const int milliseconds : {50, 300, 600, 900}) {
        const std::string trial = "killed after " + std::to_string(milliseconds) + " ms";
        const std::string file = directory.file("killed-" + std::to_string(milliseconds) + ".h5");
        record_then_signal(file, std::chrono::milliseconds(milliseconds), SIGKILL);
        auto result = testing::run_tapegrid("replay " + file + " --verify --json");
        if (result.exit_code == 2) {  // a flush cut short: recover keeps every complete one
            ASSERT_EQ(testing::run_tapegrid("recover " + file).exit_code, 0) << trial;
            result = testing::run_tapegrid("replay " + file + " --verify --json");
        }
        const auto report = json_of(result);
        EXPECT_EQ(report["verified"], true) << trial << "\n" << report.dump(2);
        EXPECT_EQ(report["ended_early"], true) << trial;
        EXPECT_NE(report["status"], "completed") << trial;
        EXPECT_GT(report["events_checked"].get<int>(), 0) << trial;
        // Every position the recording opened and never closed is reported open at its end,
        // and so is any the replay opens on a last bar whose events were cut off.
        std::set<std::pair<std::string, std::string>> reported;
        for (const auto& position : report["open_at_end"])
            reported.insert({position["symbol"].get<std::string>(), position["entry_time"].get<std::string>()});
        const auto recorded_open = recorded_open_positions(file);
        for (const auto& position : recorded_open)
            EXPECT_TRUE(reported.count(position)) << trial << ": " << position.first << " " << position.second;
        EXPECT_LE(reported.size(), recorded_open.size() + 3) << trial;
    }
}

TEST(VerifyInterrupted, AStoppedSessionClosedItsPositionsAndVerifiesEveryEvent) {
    TemporaryDirectory directory;
    const std::string file = directory.file("stopped.h5");
    record_then_signal(file, std::chrono::milliseconds(800), SIGINT);
    const auto shown = json_of(testing::run_tapegrid("recordings show " + file + " --json"));
    EXPECT_EQ(shown["recording"]["status"], "interrupted");
    const auto report = json_of(testing::run_tapegrid("replay " + file + " --verify --json"));
    EXPECT_EQ(report["verified"], true) << report.dump(2);
    EXPECT_EQ(report["ended_early"], true);
    EXPECT_EQ(report["events_after_end"], 0);  // the stop closed the open positions, and recorded it
    EXPECT_TRUE(recorded_open_positions(file).empty());
}

// A recording that ended early but whose events disagree with the replay before its end still
// fails: here the session's events are recorded with one fill price changed.
class TamperingObserver final : public SessionObserver {
  public:
    TamperingObserver(SessionRecorder& recorder, int fill_to_change) : inner_(recorder), target_(fill_to_change) {}
    void on_bar(const std::string& symbol, TimestampNs time, const BarPrices& bar,
                const std::vector<std::pair<std::string, double>>& indicators) override {
        inner_.on_bar(symbol, time, bar, indicators);
    }
    void on_event(const Event& event) override {
        Event copy = event;
        if (event.type == "ORDER_FILLED" && fills_++ == target_) {
            auto data = nlohmann::json::parse(copy.event_data);
            data["fill_price"] = data["fill_price"].get<double>() + 0.01;
            copy.event_data = data.dump();
        }
        inner_.on_event(copy);
    }

  private:
    RecorderObserver inner_;
    int target_;
    int fills_ = 0;
};

TEST(VerifyInterrupted, ARealDivergenceBeforeTheEndStillFails) {
    TemporaryDirectory directory;
    MarketGeneratorOptions options;
    options.symbols = 2;
    options.bars = 3000;
    options.seed = 5;
    const Recording market = generate_market(options);
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    const ParamSet params = apply_overrides(strategy, default_params(strategy.params), {{"bb_std", "1.5"}}, "test");
    const std::string file = directory.file("tampered.h5");
    {
        SessionRecorder recorder(file, "tampered", 1, "mean_reversion", params_to_json(strategy, params),
                                 market.info.symbols);
        TamperingObserver observer(recorder, 3);
        const auto session = PaperSession::create("mean_reversion", params, market.info.symbols, observer);
        std::atomic<bool> stop{false};
        feed_session(market.bars, *session, {}, stop);
        recorder.mark_interrupted("stopped in a test");  // ended early, positions left open
    }
    const auto report = json_of(testing::run_tapegrid("replay " + file + " --verify --json"));
    EXPECT_EQ(report["verified"], false) << report.dump(2);
    EXPECT_EQ(report["ended_early"], true);
    EXPECT_EQ(report["first_divergence"]["what"], "ORDER_FILLED.fill_price");
}

}  // namespace
}  // namespace tapegrid
