// End to end: `tapegrid sweep` over recordings read a window at a time (--window-timestamps, or a
// --memory-limit they do not fit in) writes the files the in-memory sweep writes, byte for byte,
// says in its plan which path it took and why, and refuses what it cannot do.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::run_tapegrid;
using testing::TemporaryDirectory;

// Two recordings side by side: a recorded session (its original parameters are ranked) and a
// generated market whose symbol names it shares (kept apart as SYMBOL@id).
class WindowedSweepCli : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto recorded = run_tapegrid(
            "record --strategy mean_reversion --synthetic --symbols 2 --bars 5000 "
            "--seed 9 -o " +
            directory_.file("rec.h5"));
        ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
        const auto generated =
            run_tapegrid("generate --symbols 3 --bars 4000 --seed 4 -o " + directory_.file("gen.h5"));
        ASSERT_EQ(generated.exit_code, 0) << generated.err;
        testing::write_text(directory_.file("sweep.toml"), R"([sweep]
recordings = ["rec.h5", "gen.h5"]
strategy = "mean_reversion"
[grid]
bb_period = [10, 20]
bb_std = [2.0, 2.5]
rsi_threshold = [30, 35]
stop_loss_pct = [1, 2]
take_profit_pct = [2, 4]
[rank]
top = 4
)");
    }

    testing::CommandResult sweep(const std::string& out, const std::string& options) {
        return run_tapegrid("sweep " + directory_.file("sweep.toml") + " --threads 2 --out " + directory_.file(out) +
                            " " + options);
    }

    void expect_same_files(const std::string& a, const std::string& b) {
        // results.h5 holds the same table as results.csv; HDF5 stamps its objects with the time.
        for (const char* name : {"results.csv", "top.json", "block_returns.bin"})
            EXPECT_EQ(testing::read_text(directory_.file(a + "/" + name)),
                      testing::read_text(directory_.file(b + "/" + name)))
                << name << " differs between " << a << " and " << b;
    }

    nlohmann::json memory_of(const std::string& out) {
        return nlohmann::json::parse(testing::read_text(directory_.file(out + "/plan.json")))["memory"];
    }

    TemporaryDirectory directory_;
};

TEST_F(WindowedSweepCli, WritesTheInMemoryFilesByteForByteAndSaysWhy) {
    const auto whole = sweep("whole", "");
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_NE(whole.out.find("recordings in memory: "), std::string::npos) << whole.out;
    EXPECT_EQ(memory_of("whole")["path"], "in_memory");

    // 5,000 timestamps in windows of 1,024: five windows, the last one short.
    const auto forced = sweep("forced", "--window-timestamps 1000");
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_NE(forced.out.find("recordings read in windows of 1024 timestamps (--window-timestamps)"), std::string::npos)
        << forced.out;
    EXPECT_EQ(memory_of("forced")["window_timestamps"], 1024);
    expect_same_files("whole", "forced");

    // Above a memory limit the recordings do not fit in, the windows are sized to it.
    const auto limited = sweep("limited", "--memory-limit 1M");
    ASSERT_EQ(limited.exit_code, 0) << limited.err;
    EXPECT_NE(limited.out.find("above the memory limit of 1 MiB (--memory-limit)"), std::string::npos) << limited.out;
    EXPECT_EQ(memory_of("limited")["path"], "windows");
    expect_same_files("whole", "limited");
}

TEST_F(WindowedSweepCli, RanksTheRecordedParametersInTheSamePass) {
    // One recording: its original parameters (the defaults, in the grid) are ranked among the rows.
    testing::write_text(directory_.file("sweep.toml"), R"([sweep]
recordings = ["rec.h5"]
strategy = "mean_reversion"
[grid]
bb_period = [10, 20]
bb_std = [2.0, 2.5]
rsi_threshold = [30, 35]
)");
    ASSERT_EQ(sweep("whole", "").exit_code, 0);
    const auto forced = sweep("forced", "--window-timestamps 2048");
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    expect_same_files("whole", "forced");
    const auto top = nlohmann::json::parse(testing::read_text(directory_.file("forced/top.json")));
    ASSERT_TRUE(top["original"].is_object()) << top.dump();
    EXPECT_EQ(top["original"]["in_grid"], true);
    EXPECT_GE(top["original"]["rank"].get<int>(), 1);
}

TEST_F(WindowedSweepCli, RefusesWhatNeedsEveryRowBeforeTheLastWindow) {
    const auto search = sweep("search", "--window-timestamps 1024 --set search.method=random --set search.budget=8");
    EXPECT_EQ(search.exit_code, 2) << search.err;
    EXPECT_NE(search.err.find("a random search cannot run when its recordings are read a window at a time"),
              std::string::npos)
        << search.err;
    const auto done = sweep("done", "--window-timestamps 1024");
    ASSERT_EQ(done.exit_code, 0) << done.err;
    const auto resume = sweep("done", "--window-timestamps 1024 --resume");
    EXPECT_EQ(resume.exit_code, 2) << resume.err;
    EXPECT_NE(resume.err.find("--resume: a sweep cannot resume when its recordings are read a window at a time"),
              std::string::npos)
        << resume.err;
    for (const char* bad : {"--memory-limit lots", "--memory-limit 0", "--memory-limit 5X"}) {
        const auto refused = sweep("bad", bad);
        EXPECT_EQ(refused.exit_code, 2) << bad;
        EXPECT_NE(refused.err.find("--memory-limit: expected a size such as 8G"), std::string::npos) << refused.err;
    }
    const auto zero = sweep("zero", "--window-timestamps 0");
    EXPECT_EQ(zero.exit_code, 2) << zero.err;
}

}  // namespace
}  // namespace tapegrid
