// End to end: `mpirun -n R tapegrid sweep CONFIG --mpi` (Debian's OpenMPI, on this machine):
// the outputs equal one process's at any R; a rank that dies fails the job, and the checkpoint
// it leaves lets --resume finish with another R or without MPI.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_command;
using testing::run_tapegrid;
using testing::TemporaryDirectory;

// mpirun as root needs its consent; more ranks than cores need --oversubscribe. Under
// AddressSanitizer (scripts/sanitize.sh asan), Open MPI's libraries have no frame pointers and
// unload their plugins at MPI_Finalize: the slow unwinder and plugins kept loaded let
// tests/lsan.supp match Open MPI's own leaks (a release build ignores both variables).
const char* const kMpirun =
    "env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 "
    "OMPI_MCA_mca_base_component_disable_dlclose=1 mpirun --allow-run-as-root --oversubscribe --bind-to none";

const char* const kConfig = R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]

[grid]
bb_period = [10, 15, 20, 25]
rsi_period = [7, 14]
bb_std = [1.5, 2.0, 2.5]
rsi_threshold = [25, 30, 40]
stop_loss_pct = [0.5, 1, 2]
take_profit_pct = [1, 2, 4]

[rank]
by = "sharpe_ratio"
top = 5

[output]
directory = "single"
)";

// A sweep long enough to be stopped in the middle: 4 symbols x 100,000 bars, 1,728 combinations.
const char* const kLongConfig = R"([sweep]
recordings = ["long.h5"]
strategy = "mean_reversion"

[grid]
bb_period = [10, 15, 20, 25, 30, 35]
bb_std = [1.5, 2.0, 2.5, 3.0]
rsi_threshold = [20, 25, 30, 35, 40, 45]
stop_loss_pct = [1, 2, 3]
take_profit_pct = [1, 2, 3, 4]

[output]
directory = "long-single"
)";

class MpiSweep : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        ASSERT_EQ(run_tapegrid("generate --symbols 3 --bars 20000 --seed 13 -o " + file("market.h5")).exit_code, 0);
        testing::write_text(file("sweep.toml"), kConfig);
        const CommandResult single = run_tapegrid("sweep " + file("sweep.toml") + " --quiet --threads 2");
        ASSERT_EQ(single.exit_code, 0) << single.err;
        ASSERT_EQ(run_tapegrid("generate --symbols 4 --bars 100000 --seed 14 -o " + file("long.h5")).exit_code, 0);
        testing::write_text(file("long.toml"), kLongConfig);
        const CommandResult long_single = run_tapegrid("sweep " + file("long.toml") + " --quiet --threads 2");
        ASSERT_EQ(long_single.exit_code, 0) << long_single.err;
    }
    static void TearDownTestSuite() { directory_.reset(); }
    void SetUp() override {
#if !TAPEGRID_WITH_MPI
        GTEST_SKIP() << "built without MPI (scripts/setup.sh installs openmpi-bin libopenmpi-dev libboost-mpi-dev)";
#endif
    }
    static std::string file(const std::string& name) {
        return directory_->file(name);
    }
    static CommandResult mpirun(int ranks, const std::string& arguments) {
        return run_command(std::string(kMpirun) + " -n " + std::to_string(ranks) + " " + testing::tapegrid_binary() +
                           " sweep " + file("sweep.toml") + " --mpi " + arguments);
    }
    static std::unique_ptr<TemporaryDirectory> directory_;
};
std::unique_ptr<TemporaryDirectory> MpiSweep::directory_;

TEST_F(MpiSweep, OutputsEqualOneProcessAtAnyNumberOfRanks) {
    const std::string csv = testing::read_text(file("single/results.csv"));
    const std::string top = testing::read_text(file("single/top.json"));
    for (const int ranks : {1, 2, 3}) {
        SCOPED_TRACE(ranks);
        const std::string out = file("ranks-" + std::to_string(ranks));
        const CommandResult result = mpirun(ranks, "--threads 1 --out " + out);
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
        EXPECT_EQ(testing::read_text(out + "/results.csv"), csv);
        EXPECT_EQ(testing::read_text(out + "/top.json"), top);
        // Rank 0 alone reports, and says what the sharing cost.
        EXPECT_EQ(result.out.find("top 5 by sharpe_ratio"), result.out.rfind("top 5 by sharpe_ratio")) << result.out;
        EXPECT_NE(result.err.find("mpi: " + std::to_string(ranks) + " ranks x 1 thread"), std::string::npos)
            << result.err;
    }
}

// Starts `mpirun -n RANKS tapegrid sweep long.toml --mpi --threads 1 --out OUT` and returns
// mpirun's pid once rank 0 has written rows; its stderr goes to OUT.err.
pid_t start_long_job(const std::string& directory, int ranks, const std::string& out) {
    const std::string command = std::string(kMpirun) + " -n " + std::to_string(ranks) + " " +
                                testing::tapegrid_binary() + " sweep " + directory +
                                "/long.toml --mpi --threads 1 "
                                "--quiet --out " +
                                out + " 2>" + out + ".err";
    pid_t pid = 0;
    std::vector<std::string> words = {"/bin/sh", "-c", "exec " + command};
    std::vector<char*> arguments;
    for (auto& word : words) arguments.push_back(word.data());
    arguments.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, arguments.data(), environ), 0);
    for (int attempt = 0; attempt < 12000; ++attempt) {
        std::error_code error;
        if (fs::file_size(out + "/results.csv", error) > 3000 && !error) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pid;
}

// The pid of rank `rank` of the job writing `out` (its environment says OMPI_COMM_WORLD_RANK).
pid_t rank_pid(const std::string& out, int rank) {
    const std::string wanted = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
    for (const auto& entry : fs::directory_iterator("/proc")) {
        std::ifstream command_line(entry.path() / "cmdline");
        const std::string words((std::istreambuf_iterator<char>(command_line)), std::istreambuf_iterator<char>());
        if (words.find("--mpi") == std::string::npos || words.find(out) == std::string::npos ||
            words.find("mpirun") != std::string::npos)
            continue;
        std::ifstream environment(entry.path() / "environ");
        const std::string text((std::istreambuf_iterator<char>(environment)), std::istreambuf_iterator<char>());
        if (text.find(std::string(1, '\0') + wanted + std::string(1, '\0')) != std::string::npos ||
            text.rfind(wanted + std::string(1, '\0'), 0) == 0)
            return static_cast<pid_t>(std::stoi(entry.path().filename().string()));
    }
    return 0;
}

TEST_F(MpiSweep, ARankThatDiesFailsTheJobAndResumeFinishesWithAnotherCount) {
    const std::string out = file("killed");
    const pid_t mpirun_pid = start_long_job(directory_->path().string(), 3, out);
    const pid_t rank_two = rank_pid(out, 2);
    ASSERT_NE(rank_two, 0) << "rank 2 not found";
    ::kill(rank_two, SIGKILL);
    int status = 0;
    ::waitpid(mpirun_pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "the job should fail when a rank dies";
    const std::string err = testing::read_text(out + ".err");
    EXPECT_NE(err.find("rank 2"), std::string::npos) << err;  // mpirun names the rank that died
    const auto plan = testing::read_text(out + "/checkpoint.bin");
    EXPECT_FALSE(plan.empty());

    // The checkpoint covers every task whose rows were written: 2 ranks finish the sweep.
    const CommandResult resumed =
        run_command(std::string(kMpirun) + " -n 2 " + testing::tapegrid_binary() + " sweep " + file("long.toml") +
                    " --mpi --threads 1 --quiet --resume "
                    "--out " +
                    out);
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(testing::read_text(out + "/results.csv"), testing::read_text(file("long-single/results.csv")));
    EXPECT_EQ(testing::read_text(out + "/top.json"), testing::read_text(file("long-single/top.json")));
}

TEST_F(MpiSweep, AnMpiSweepStoppedBySigusr1ExitsWith75AndResumesWithoutMpi) {
    const std::string out = file("stopped");
    const pid_t mpirun_pid = start_long_job(directory_->path().string(), 2, out);
    ::kill(mpirun_pid, SIGUSR1);  // mpirun passes USR1 on to every rank
    int status = 0;
    ::waitpid(mpirun_pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 75);
    const CommandResult resumed = run_tapegrid("sweep " + file("long.toml") + " --quiet --resume --out " + out);
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(testing::read_text(out + "/results.csv"), testing::read_text(file("long-single/results.csv")));
    EXPECT_EQ(testing::read_text(out + "/top.json"), testing::read_text(file("long-single/top.json")));
}

TEST(MpiArguments, MpiAndShardTogetherAreRefused) {
    TemporaryDirectory directory;
    testing::write_text(directory.file("s.toml"),
                        "[sweep]\nrecordings = [\"none.h5\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
    const CommandResult result = run_tapegrid("sweep " + directory.file("s.toml") + " --mpi --shard 0/2");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--mpi and --shard: give one"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace tapegrid
