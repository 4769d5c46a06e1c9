// End to end: one sweep split into shards (`tapegrid sweep --shard K/N`), joined by `tapegrid
// merge` into exactly what one process writes; merge's refusals; preemption (SIGUSR1, SIGTERM:
// exit 75, then --resume) with the same outputs as an uninterrupted run.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_tapegrid;
using testing::TemporaryDirectory;

// 4 x 3 x 2 x 3 x 3 x 4 = 864 combinations; take_profit_pct >= stop_loss_pct keeps 9 of the 12
// (stop, target) pairs: 648 rows, in 24 indicator groups (bb_period x rsi_period x bb_std) of 27.
const char* const kConfig = R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]

[grid]
bb_period = [10, 15, 20, 25]
rsi_period = [7, 14, 21]
bb_std = [1.5, 2.0]
rsi_threshold = [25, 30, 40]
stop_loss_pct = [0.5, 1, 2]
take_profit_pct = [1, 2, 4, 0.5]

[rank]
by = "sharpe_ratio"
top = 5

[output]
directory = "single"
)";

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

// One market, the config, and the sweep run in one process: what every split must reproduce.
class ShardCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        const auto generated = run_tapegrid("generate --symbols 3 --bars 4000 --seed 9 -o " + file("market.h5"));
        ASSERT_EQ(generated.exit_code, 0) << generated.err;
        testing::write_text(config(), kConfig);
        const auto single = run_tapegrid("sweep " + config() + " --threads 2 --quiet");
        ASSERT_EQ(single.exit_code, 0) << single.err;
    }
    static void TearDownTestSuite() { directory_.reset(); }

    static std::string file(const std::string& name) { return directory_->file(name); }
    static std::string config() { return file("sweep.toml"); }
    static std::string single(const std::string& name) { return file("single/" + name); }

    // Runs every shard of `count` into DIR/shard-K, then merges them into DIR/merged.
    static std::string split_and_merge(const std::string& name, std::size_t count, std::size_t threads) {
        const std::string directory = file(name);
        for (std::size_t k = 0; k < count; ++k) {
            const auto shard = run_tapegrid(fmt_shard(k, count, directory, threads));
            EXPECT_EQ(shard.exit_code, 0) << shard.err;
        }
        const auto merged =
            run_tapegrid("merge " + quoted(directory + "/shard-*") + " --out " + directory + "/merged --quiet");
        EXPECT_EQ(merged.exit_code, 0) << merged.err;
        return directory + "/merged";
    }
    static std::string fmt_shard(std::size_t k, std::size_t count, const std::string& directory, std::size_t threads) {
        return "sweep " + config() + " --quiet --shard " + std::to_string(k) + "/" + std::to_string(count) +
               " --threads " + std::to_string(threads) + " --out " + directory + "/shard-" + std::to_string(k);
    }

    static std::unique_ptr<TemporaryDirectory> directory_;
};
std::unique_ptr<TemporaryDirectory> ShardCli::directory_;

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(testing::read_text(path));
}

TEST_F(ShardCli, MergedShardsAreByteIdenticalToOneProcessForAnyShardCount) {
    const std::string csv = testing::read_text(single("results.csv"));
    const std::string top = testing::read_text(single("top.json"));
    ASSERT_EQ(std::count(csv.begin(), csv.end(), '\n'), 649);  // the header and 648 rows
    // 1 shard, a few, and a prime that cuts inside groups.
    for (const std::size_t count : {1, 3, 7}) {
        SCOPED_TRACE(count);
        const std::string merged = split_and_merge("split-" + std::to_string(count), count, 2);
        EXPECT_EQ(testing::read_text(merged + "/results.csv"), csv);
        EXPECT_EQ(testing::read_text(merged + "/top.json"), top);
        EXPECT_EQ(read_json(merged + "/plan.json")["combinations"], 648);
        // results.h5: the same columns and values, read with h5py.
        const auto read_h5 = [](const std::string& path) {
            const CommandResult read =
                testing::run_command(std::string("/usr/bin/python3 ") + H5PY_SWEEP_READER_SCRIPT + " " + path);
            EXPECT_EQ(read.exit_code, 0) << read.err;
            return read.out;
        };
        const std::string merged_h5 = read_h5(merged + "/results.h5");
        EXPECT_GT(merged_h5.size(), 1000u);
        EXPECT_EQ(merged_h5, read_h5(single("results.h5")));
    }
}

TEST_F(ShardCli, MoreShardsThanRowsLeavesEmptyShardsThatMergeToo) {
    // 2 x 3 = 6 rows in 9 shards: at least 3 shards are empty.
    testing::write_text(file("small.toml"), R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"

[grid]
bb_std = [1.5, 2.5]
stop_loss_pct = [1, 2, 3]

[output]
directory = "small-single"
)");
    ASSERT_EQ(run_tapegrid("sweep " + file("small.toml") + " --quiet").exit_code, 0);
    const std::string d = file("small-split");
    std::size_t empty = 0;
    for (std::size_t k = 0; k < 9; ++k) {
        const std::string out = d + "/shard-" + std::to_string(k);
        const auto shard = run_tapegrid("sweep " + file("small.toml") + " --quiet --threads 1 --shard " +
                                        std::to_string(k) + "/9 --out " + out);
        ASSERT_EQ(shard.exit_code, 0) << shard.err;
        const auto manifest = read_json(out + "/shard.json");
        EXPECT_EQ(manifest["finished"], true);
        empty += manifest["first_row"] == manifest["end_row"];
    }
    EXPECT_GE(empty, 3u);
    const auto merged = run_tapegrid("merge " + quoted(d + "/shard-*") + " --out " + d + "/merged --quiet");
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    EXPECT_EQ(testing::read_text(d + "/merged/results.csv"), testing::read_text(file("small-single/results.csv")));
    EXPECT_EQ(testing::read_text(d + "/merged/top.json"), testing::read_text(file("small-single/top.json")));
}

TEST_F(ShardCli, AShardsManifestSaysWhatItRanAndShardsCoverTheRowsInOrder) {
    const std::string directory = file("manifests");
    std::uint64_t next_row = 0, rows = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        ASSERT_EQ(run_tapegrid(fmt_shard(k, 3, directory, 1)).exit_code, 0);
        const auto manifest = read_json(directory + "/shard-" + std::to_string(k) + "/shard.json");
        EXPECT_EQ(manifest["shard"], k);
        EXPECT_EQ(manifest["shards"], 3);
        EXPECT_EQ(manifest["first_row"], next_row);
        EXPECT_EQ(manifest["finished"], true);
        EXPECT_EQ(manifest["whole_combinations"], 648);
        EXPECT_EQ(manifest["tapegrid_version"], "0.1.0");
        EXPECT_EQ(manifest["config_path"], fs::absolute(config()).lexically_normal().string());
        ASSERT_EQ(manifest["recordings"].size(), 1u);
        EXPECT_EQ(manifest["recordings"][0]["content_hash"].get<std::string>().rfind("xxh3-64-tree-4m:", 0), 0u);
        EXPECT_FALSE(manifest["started_at"].get<std::string>().empty());
        EXPECT_FALSE(manifest["ended_at"].get<std::string>().empty());
        const std::uint64_t end = manifest["end_row"];
        EXPECT_EQ(manifest["rows_written"], end - next_row);
        // A third of the rows is 8 whole groups: the cuts fall on group boundaries.
        EXPECT_EQ(end - next_row, 216u) << k;
        rows += end - next_row;
        next_row = end;
    }
    EXPECT_EQ(rows, 648u);
    // The same config and N always give the same cut.
    ASSERT_EQ(run_tapegrid(fmt_shard(1, 3, file("manifests-again"), 2)).exit_code, 0);
    const auto again = read_json(file("manifests-again/shard-1/shard.json"));
    const auto first = read_json(directory + "/shard-1/shard.json");
    EXPECT_EQ(again["first_row"], first["first_row"]);
    EXPECT_EQ(again["end_row"], first["end_row"]);
    EXPECT_EQ(again["config_fingerprint"], first["config_fingerprint"]);
}

TEST_F(ShardCli, DryRunSizesEveryShard) {
    const CommandResult dry = run_tapegrid("sweep " + config() + " --dry-run --shards 4 --threads 1 --json");
    ASSERT_EQ(dry.exit_code, 0) << dry.err;
    const auto json = nlohmann::json::parse(dry.out);
    ASSERT_EQ(json["shards"].size(), 4u);
    std::uint64_t rows = 0, evaluations = 0;
    for (const auto& shard : json["shards"]) {
        rows += shard["rows"].get<std::uint64_t>();
        evaluations += shard["bar_evaluations"].get<std::uint64_t>();
        EXPECT_GT(shard["estimated_seconds"].get<double>(), 0.0);
        EXPECT_GT(shard["estimated_memory_bytes"].get<std::uint64_t>(), 0u);
    }
    EXPECT_EQ(rows, 648u);
    EXPECT_EQ(evaluations, json["plan"]["bar_evaluations"].get<std::uint64_t>());
    const CommandResult table = run_tapegrid("sweep " + config() + " --dry-run --shards 4 --threads 1");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("4 shards, each on 1 thread"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("3/4"), std::string::npos) << table.out;
}

// A refusal: exit 2, the message, and nothing written where the merge would have written.
void expect_merge_refused(const std::string& arguments, const std::string& out,
                          const std::vector<std::string>& needles) {
    const CommandResult result = run_tapegrid("merge " + arguments + " --out " + out);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    for (const auto& needle : needles)
        EXPECT_NE(result.err.find(needle), std::string::npos) << "expected '" << needle << "' in: " << result.err;
    EXPECT_FALSE(fs::exists(out)) << "merge wrote " << out << " although it refused";
}

TEST_F(ShardCli, MergeRefusesShardsThatAreNotExactlyOneWholeSweep) {
    const std::string d = file("refusals");
    for (std::size_t k = 0; k < 3; ++k) ASSERT_EQ(run_tapegrid(fmt_shard(k, 3, d, 1)).exit_code, 0);
    const std::string s0 = d + "/shard-0", s1 = d + "/shard-1", s2 = d + "/shard-2";
    const std::string out = d + "/merged";
    expect_merge_refused(s0 + " " + s2, out, {"1 of the 3 shards is missing: 1"});
    expect_merge_refused(s0 + " " + s1 + " " + s2 + " " + s1, out, {"shard 1 of 3 is given twice"});
    expect_merge_refused(s0 + " " + d, out, {d + "/shard.json: no shard manifest"});
    expect_merge_refused(quoted(d + "/nothing-*"), out, {"matches no directory"});

    // Another cut of the same sweep.
    ASSERT_EQ(run_tapegrid(fmt_shard(1, 4, d + "/four", 1)).exit_code, 0);
    expect_merge_refused(s0 + " " + d + "/four/shard-1 " + s2, out, {"shard 1 of 4", "shards of different cuts"});
    // Another config (--set changes the effective config).
    ASSERT_EQ(run_tapegrid(fmt_shard(1, 3, d + "/other", 1) + " --set rank.top=3").exit_code, 0);
    expect_merge_refused(s0 + " " + d + "/other/shard-1 " + s2, out, {"come from different sweeps"});

    // An unfinished shard, another tapegrid version, other data: edited manifests.
    const auto edited = [&](const std::string& name, const std::string& field, const nlohmann::json& value) {
        fs::copy(s1, d + "/" + name, fs::copy_options::recursive);
        auto manifest = read_json(d + "/" + name + "/shard.json");
        manifest[field] = value;
        testing::write_text(d + "/" + name + "/shard.json", manifest.dump(2));
        return d + "/" + name;
    };
    expect_merge_refused(s0 + " " + edited("unfinished", "finished", false) + " " + s2, out,
                         {"shard 1 of 3 did not finish", "run it again with --resume"});
    expect_merge_refused(s0 + " " + edited("version", "tapegrid_version", "0.0.9") + " " + s2, out,
                         {"written by tapegrid 0.0.9"});
    auto recordings = read_json(s1 + "/shard.json")["recordings"];
    recordings[0]["content_hash"] = "xxh3-64-tree-4m:0000000000000000";
    expect_merge_refused(s0 + " " + edited("data", "recordings", recordings) + " " + s2, out,
                         {"replayed different data", "xxh3-64-tree-4m:0000000000000000"});
    // A shard's results.csv cut short.
    const std::string cut = edited("cut", "finished", true);
    const std::string csv = testing::read_text(cut + "/results.csv");
    testing::write_text(cut + "/results.csv", csv.substr(0, csv.rfind('\n', csv.size() - 2) + 1));
    const CommandResult short_rows = run_tapegrid("merge " + s0 + " " + cut + " " + s2 + " --out " + d + "/cut-out");
    EXPECT_EQ(short_rows.exit_code, 2);
    EXPECT_NE(short_rows.err.find("cut/results.csv: holds 215 rows; its shard.json says 216"), std::string::npos)
        << short_rows.err;
    EXPECT_FALSE(fs::exists(d + "/cut-out"));  // a merge stopped half-way leaves nothing behind
    // A row whose combination was edited.
    const std::string swapped = edited("swapped", "finished", true);
    std::string rows = testing::read_text(swapped + "/results.csv");
    const std::size_t second_line = rows.find('\n') + 1;
    rows.replace(second_line, rows.find(',', second_line) - second_line, "999999");
    testing::write_text(swapped + "/results.csv", rows);
    const CommandResult edited_row = run_tapegrid("merge " + s0 + " " + swapped + " " + s2 + " --out " + d + "/e-out");
    EXPECT_EQ(edited_row.exit_code, 2);
    EXPECT_NE(edited_row.err.find("is combination 999999; the sweep's plan has combination"), std::string::npos)
        << edited_row.err;
    EXPECT_FALSE(fs::exists(d + "/e-out"));

    // And the three shards merge.
    EXPECT_EQ(run_tapegrid("merge " + s0 + " " + s1 + " " + s2 + " --out " + out + " --quiet").exit_code, 0);
    EXPECT_EQ(testing::read_text(out + "/results.csv"), testing::read_text(single("results.csv")));
}

TEST(ShardArguments, BadShardsAreRefusedWithTheRule) {
    TemporaryDirectory directory;
    testing::write_text(directory.file("s.toml"),
                        "[sweep]\nrecordings = [\"none.h5\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
    for (const std::string shard : {"4/4", "-1/3", "1/0", "abc", "1/", "/3", "1/3/5", "2000000/3000000"}) {
        const CommandResult result = run_tapegrid("sweep " + directory.file("s.toml") + " --shard " + shard);
        EXPECT_EQ(result.exit_code, 2) << shard;
        EXPECT_NE(result.err.find("--shard: expected K/N"), std::string::npos) << shard << ": " << result.err;
    }
    const CommandResult outside = testing::run_command("env -u SLURM_ARRAY_TASK_ID " + testing::tapegrid_binary() +
                                                       " sweep " + directory.file("s.toml") + " --shard auto");
    EXPECT_EQ(outside.exit_code, 2);
    EXPECT_NE(outside.err.find("--shard auto: SLURM_ARRAY_TASK_ID is not set: this is not a Slurm array job"),
              std::string::npos)
        << outside.err;
    const CommandResult value = run_tapegrid("sweep " + directory.file("s.toml") + " --resume=later");
    EXPECT_EQ(value.exit_code, 2);
    EXPECT_NE(value.err.find("--resume: expected no value, or auto"), std::string::npos) << value.err;
}

// ---- Preemption -----------------------------------------------------------------------------

// A sweep long enough to be stopped in the middle: 2 symbols x 60,000 bars, 1,200 combinations
// on one thread.
const char* const kLongConfig = R"([sweep]
recordings = ["long.h5"]
strategy = "mean_reversion"

[grid]
bb_period = [10, 20, 30]
bb_std = [1.5, 2.0, 2.5, 3.0]
rsi_threshold = [20, 25, 30, 35, 40]
stop_loss_pct = [1, 2, 3, 5]
take_profit_pct = [1, 2, 3, 5, 8]

[output]
directory = "long-single"
)";

// Starts `tapegrid ARGS`, waits until results.csv in `out` holds rows, sends `signal`, and
// returns the exit code.
int run_then_signal(const std::vector<std::string>& args, const std::string& out, int signal) {
    const std::string binary = testing::tapegrid_binary();
    std::vector<std::string> words = {binary};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> arguments;
    for (auto& word : words) arguments.push_back(word.data());
    arguments.push_back(nullptr);
    pid_t child = 0;
    EXPECT_EQ(posix_spawn(&child, binary.c_str(), nullptr, nullptr, arguments.data(), environ), 0);
    const std::string csv = out + "/results.csv";
    for (int wait = 0; wait < 60000; ++wait) {
        std::error_code error;
        if (fs::file_size(csv, error) > 600 && !error) break;  // the header and some rows
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(child, signal);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class Preemption : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        ASSERT_EQ(run_tapegrid("generate --symbols 2 --bars 60000 --seed 3 -o " + file("long.h5")).exit_code, 0);
        testing::write_text(file("long.toml"), kLongConfig);
        const auto single = run_tapegrid("sweep " + file("long.toml") + " --threads 1 --quiet");
        ASSERT_EQ(single.exit_code, 0) << single.err;
    }
    static void TearDownTestSuite() { directory_.reset(); }
    static std::string file(const std::string& name) { return directory_->file(name); }
    static std::unique_ptr<TemporaryDirectory> directory_;
};
std::unique_ptr<TemporaryDirectory> Preemption::directory_;

TEST_F(Preemption, SigusrOrSigtermStopsWithExit75AndResumeGivesTheSameOutputs) {
    const std::string csv = testing::read_text(file("long-single/results.csv"));
    const std::string top = testing::read_text(file("long-single/top.json"));
    for (const int signal : {SIGUSR1, SIGTERM}) {
        SCOPED_TRACE(signal);
        const std::string out = file("stopped-" + std::to_string(signal));
        const int code =
            run_then_signal({"sweep", file("long.toml"), "--threads", "1", "--quiet", "--out", out}, out, signal);
        EXPECT_EQ(code, 75);
        const auto plan = read_json(out + "/plan.json");
        EXPECT_EQ(plan["run"]["interrupted"], true);
        EXPECT_LT(plan["run"]["rows"].get<std::uint64_t>(), 1200u);
        // --resume auto finds the checkpoint and finishes the sweep.
        const auto resumed =
            run_tapegrid("sweep " + file("long.toml") + " --threads 1 --quiet --resume auto --out " + out);
        EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
        EXPECT_EQ(testing::read_text(out + "/results.csv"), csv);
        EXPECT_EQ(testing::read_text(out + "/top.json"), top);
    }
    // --resume auto on a directory without a checkpoint starts the sweep.
    const auto fresh =
        run_tapegrid("sweep " + file("long.toml") + " --threads 2 --quiet --resume auto --out " + file("fresh"));
    EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
    EXPECT_EQ(testing::read_text(file("fresh/results.csv")), csv);
}

TEST_F(Preemption, AShardStoppedByTheSchedulerIsRefusedByMergeUntilResumed) {
    const std::string d = file("sharded");
    const auto shard = [&](std::size_t k) {
        return std::vector<std::string>{"sweep",
                                        file("long.toml"),
                                        "--threads",
                                        "1",
                                        "--quiet",
                                        "--shard",
                                        std::to_string(k) + "/2",
                                        "--out",
                                        d + "/shard-" + std::to_string(k)};
    };
    ASSERT_EQ(run_then_signal(shard(0), d + "/shard-0", SIGUSR1), 75);
    EXPECT_EQ(read_json(d + "/shard-0/shard.json")["finished"], false);
    const auto second = shard(1);
    std::string line;
    for (const auto& word : second) line += (line.empty() ? "" : " ") + word;
    ASSERT_EQ(run_tapegrid(line).exit_code, 0);
    const CommandResult refused = run_tapegrid("merge " + d + "/shard-0 " + d + "/shard-1 --out " + d + "/merged");
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("shard 0 of 2 did not finish"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(d + "/merged"));

    const auto resumed = run_tapegrid("sweep " + file("long.toml") +
                                      " --threads 1 --quiet --shard 0/2 --resume --out " + d + "/shard-0");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(read_json(d + "/shard-0/shard.json")["finished"], true);
    const CommandResult merged =
        run_tapegrid("merge " + d + "/shard-0 " + d + "/shard-1 --out " + d + "/merged --quiet");
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    EXPECT_EQ(testing::read_text(d + "/merged/results.csv"), testing::read_text(file("long-single/results.csv")));
    EXPECT_EQ(testing::read_text(d + "/merged/top.json"), testing::read_text(file("long-single/top.json")));
}

}  // namespace
}  // namespace tapegrid
