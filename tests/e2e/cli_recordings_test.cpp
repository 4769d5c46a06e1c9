// End to end: generate, import, list, show, page, export, delete, prune and watch a live recording.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::run_tapegrid;
using testing::TemporaryDirectory;

nlohmann::json json_of(const testing::CommandResult& result) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
}

TEST(CliRecordings, GenerateListShowAndPage) {
    TemporaryDirectory store;
    const std::string s = " --store " + store.path().string();
    const auto generated = json_of(run_tapegrid("generate --symbols 3 --bars 500 --seed 9 --json" + s));
    const std::string id = generated["recording_id"];
    EXPECT_EQ(generated["total_bars_recorded"], 1500);
    json_of(run_tapegrid("generate --symbols 1 --bars 10 --seed 1 --json" + s));

    const auto listed = json_of(run_tapegrid("recordings list --json" + s));
    EXPECT_EQ(listed["count"], 2);
    EXPECT_EQ(listed["recordings"][0]["status"], "completed");
    const auto tagged = json_of(run_tapegrid("recordings list --tag synthetic --status completed --json" + s));
    EXPECT_EQ(tagged["count"], 2);
    EXPECT_EQ(json_of(run_tapegrid("recordings list --instance 5 --json" + s))["count"], 0);

    const auto shown = json_of(run_tapegrid("recordings show " + id.substr(0, 8) + " --json" + s));
    EXPECT_EQ(shown["recording"]["recording_id"], id);
    EXPECT_EQ(shown["recording"]["total_bars_recorded"], 1500);
    EXPECT_EQ(shown["recording"]["symbols"], (std::vector<std::string>{"SYN00", "SYN01", "SYN02"}));

    // Generated bars interleave the symbols: sequence = bar * 3 + symbol.
    const auto page = json_of(run_tapegrid("recordings bars " + id + " --limit 4 --offset 3 --json" + s));
    EXPECT_EQ(page["total"], 1500);
    ASSERT_EQ(page["market_data"].size(), 4u);
    EXPECT_EQ(page["market_data"][0]["symbol"], "SYN00");
    EXPECT_EQ(page["market_data"][0]["sequence"], 3);
    EXPECT_EQ(page["market_data"][0]["timestamp"], "2024-01-02T14:32:00Z");  // the second bar
    const auto one_symbol = json_of(run_tapegrid("recordings bars " + id +
                                                 " --symbol SYN02 --from 2024-01-02T14:35:00Z --to "
                                                 "2024-01-02T14:40:00Z --json" +
                                                 s));
    EXPECT_EQ(one_symbol["total"], 6);

    const auto human = run_tapegrid("recordings list" + s);
    EXPECT_EQ(human.exit_code, 0);
    EXPECT_NE(human.out.find(id), std::string::npos);
    EXPECT_NE(human.out.find("2 recordings in"), std::string::npos);
}

TEST(CliRecordings, ImportShowsNotesAndEventsPage) {
    const auto data = testing::shared_real_data();
    if (!data) GTEST_SKIP() << "../shared/data/real is not present";
    TemporaryDirectory directory;
    const std::string file = directory.file("futures.h5");
    const auto result =
        run_tapegrid("import " + (*data / "2006-01-02-volume-min-001.txt").string() + " --symbol FDAX -o " + file);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("reading the field after Date as the time of day"), std::string::npos) << result.err;
    const auto bars = json_of(run_tapegrid("recordings bars " + file + " --limit 1 --json"));
    EXPECT_EQ(bars["total"], 30889);
    EXPECT_EQ(bars["market_data"][0]["timestamp"], "2006-01-02T09:01:00Z");
    EXPECT_EQ(bars["market_data"][0]["open"], 3602.0);
    EXPECT_EQ(bars["market_data"][0]["indicators"]["open_interest"], 0.0);
    const auto events = json_of(run_tapegrid("recordings events " + file + " --json"));
    EXPECT_EQ(events["total"], 0);
}

TEST(CliRecordings, DeleteAndPruneAskOrTakeYes) {
    TemporaryDirectory store;
    const std::string s = " --store " + store.path().string();
    const std::string id = json_of(run_tapegrid("generate --symbols 1 --bars 10 --json" + s))["recording_id"];
    // Without a terminal and without --yes, nothing is deleted.
    const auto refused = run_tapegrid("recordings delete " + id + s);
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("pass --yes"), std::string::npos);
    EXPECT_EQ(json_of(run_tapegrid("recordings list --json" + s))["count"], 1);
    // A recording made just now is not older than a day.
    EXPECT_TRUE(json_of(run_tapegrid("recordings prune --older-than 1d --yes --json" + s))["deleted"].empty());
    const auto dry = json_of(run_tapegrid("recordings prune --older-than 0s --dry-run --json" + s));
    EXPECT_EQ(dry["deleted"].size(), 1u);
    EXPECT_EQ(json_of(run_tapegrid("recordings list --json" + s))["count"], 1);
    EXPECT_EQ(json_of(run_tapegrid("recordings delete " + id + " --yes --json" + s))["deleted"][0], id);
    EXPECT_EQ(json_of(run_tapegrid("recordings list --json" + s))["count"], 0);
    EXPECT_EQ(run_tapegrid("recordings prune --older-than soon" + s).exit_code, 2);
}

TEST(CliRecordings, ActiveShowsTheRecordingBeingWritten) {
    TemporaryDirectory store;
    const std::string s = " --store " + store.path().string();
    const std::string file = store.file("live.h5");
    const pid_t child = ::fork();
    if (child == 0) {
        ::execl(RECORDER_CRASH_CHILD, RECORDER_CRASH_CHILD, file.c_str(), "1000", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Wait for the first flush to reach the sidecar.
    for (int i = 0; i < 200 && !std::filesystem::exists(file + ".live"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto active = json_of(run_tapegrid("recordings active --instance 42 --json" + s));
    const auto none = json_of(run_tapegrid("recordings active --instance 7 --json" + s));
    const auto listed = json_of(run_tapegrid("recordings list --json" + s));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ASSERT_FALSE(active["recording"].is_null()) << active.dump();
    EXPECT_EQ(active["recording"]["status"], "recording");
    EXPECT_EQ(active["recording"]["strategy_name"], "mean_reversion");
    EXPECT_EQ(active["recording"]["pid"], child);
    EXPECT_TRUE(none["recording"].is_null());
    EXPECT_EQ(listed["recordings"][0]["status"], "recording");
    // Once the writer is gone the same file reads as interrupted, and recover makes it so.
    EXPECT_EQ(json_of(run_tapegrid("recordings show " + file + " --json"))["recording"]["status"], "interrupted");
    EXPECT_TRUE(json_of(run_tapegrid("recordings active --instance 42 --json" + s))["recording"].is_null());
    const auto recovered = json_of(run_tapegrid("recover " + file + " --json"));
    EXPECT_TRUE(recovered["recovered"]);
    EXPECT_FALSE(std::filesystem::exists(file + ".live"));
    EXPECT_FALSE(json_of(run_tapegrid("recover " + file + " --json"))["recovered"]);
}

}  // namespace
}  // namespace tapegrid
