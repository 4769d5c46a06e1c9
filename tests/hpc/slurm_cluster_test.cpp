// A real Slurm cluster of one node, started by the test (munged, slurmctld, slurmd from Debian's
// munge and slurm-wlm, everything under a temporary directory, on loopback and ports of its own),
// runs the scripts a user copies from configs/slurm/: an array of shards, the merge after it, and
// a shard stopped by the scheduler's signal and requeued. The outputs are compared byte for byte
// with one process's. The daemons are stopped by their pids, pass or fail.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_command;
using testing::TemporaryDirectory;

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

std::string shell_quoted(const std::string& text) {
    return "'" + text + "'";
}

// The daemons of a one-node cluster, configured and started in `root`.
class SlurmCluster {
  public:
    explicit SlurmCluster(const fs::path& root) : root_(root) {}
    ~SlurmCluster() { stop(); }
    SlurmCluster(const SlurmCluster&) = delete;
    SlurmCluster& operator=(const SlurmCluster&) = delete;

    // Why the cluster cannot start here (not root, packages missing), or "" when it started.
    std::string start() {
        if (::geteuid() != 0) return "the daemons must run as root (CI and the README's set-up run as root)";
        for (const char* program : {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"})
            if (!fs::exists(program))
                return std::string(program) + " is missing: install munge and slurm-wlm (scripts/setup.sh does)";
        const std::string host = trimmed(run_command("hostname -s").out);
        fs::create_directories(root_ / "munge");
        fs::create_directories(root_ / "spool/ctld");
        fs::create_directories(root_ / "spool/d");
        fs::create_directories(root_ / "log");
        // munged refuses a key or directories that others can read or write.
        const std::string key = (root_ / "munge/munge.key").string();
        if (run_command("head -c 1024 /dev/urandom > " + shell_quoted(key) + " && chmod 400 " + shell_quoted(key))
                .exit_code != 0)
            return "cannot write the munge key";
        fs::permissions(root_ / "munge", fs::perms::owner_all);
        socket_ = (root_ / "munge/munge.socket").string();
        pids_.push_back(spawn_daemon({"/usr/sbin/munged", "--foreground", "--force", "--key-file=" + key,
                                      "--socket=" + socket_, "--pid-file=" + (root_ / "munge/munged.pid").string(),
                                      "--log-file=" + (root_ / "log/munged.log").string(),
                                      "--seed-file=" + (root_ / "munge/seed").string()}));
        if (!wait_for_file(socket_)) return "munged did not start: " + log("munged.log");

        // Ports of its own, so that a Slurm already on the machine is left alone.
        std::mt19937 random(static_cast<unsigned>(::getpid()));
        const int port = 20000 + static_cast<int>(random() % 20000);
        conf_ = (root_ / "slurm.conf").string();
        std::ofstream conf(conf_);
        conf << "ClusterName=tapegrid-test\n"
             << "SlurmctldHost=" << host << "(127.0.0.1)\n"
             << "SlurmctldPort=" << port << "\nSlurmdPort=" << port + 1 << "\n"
             << "SlurmUser=root\nSlurmdUser=root\n"
             << "AuthType=auth/munge\nAuthInfo=socket=" << socket_ << "\nCredType=cred/munge\n"
             << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
             << "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
             << "StateSaveLocation=" << (root_ / "spool/ctld").string() << "\n"
             << "SlurmdSpoolDir=" << (root_ / "spool/d").string() << "\n"
             << "SlurmctldPidFile=" << (root_ / "slurmctld.pid").string() << "\n"
             << "SlurmdPidFile=" << (root_ / "slurmd.pid").string() << "\n"
             << "SlurmctldLogFile=" << (root_ / "log/slurmctld.log").string() << "\n"
             << "SlurmdLogFile=" << (root_ / "log/slurmd.log").string() << "\n"
             << "MpiDefault=none\nJobAcctGatherType=jobacct_gather/none\nReturnToService=2\n"
             << "SchedulerType=sched/backfill\nMinJobAge=300\nKillWait=10\n"
             << "NodeName=" << host << " NodeAddr=127.0.0.1 CPUs=" << std::thread::hardware_concurrency()
             << " RealMemory=2000 State=UNKNOWN\n"
             << "PartitionName=test Nodes=" << host << " Default=YES MaxTime=INFINITE State=UP\n";
        conf.close();
        ::setenv("SLURM_CONF", conf_.c_str(), 1);
        pids_.push_back(spawn_daemon({"/usr/sbin/slurmctld", "-D", "-f", conf_}));
        if (!wait_for_file(root_ / "slurmctld.pid")) return "slurmctld wrote no pid file: " + log("slurmctld.log");
        pids_.push_back(spawn_daemon({"/usr/sbin/slurmd", "-D", "-f", conf_}));
        if (!wait_for_file(root_ / "slurmd.pid")) return "slurmd wrote no pid file: " + log("slurmd.log");
        for (int attempt = 0; attempt < 300; ++attempt) {
            if (trimmed(run_command("sinfo -h -o %t").out) == "idle") return "";
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "the node never became idle: " + run_command("sinfo").out + log("slurmctld.log");
    }

    // Stops what start() started, by pid, newest first.
    void stop() {
        for (auto pid = pids_.rbegin(); pid != pids_.rend(); ++pid) {
            if (*pid <= 0) continue;
            ::kill(*pid, SIGTERM);
            int status = 0;
            for (int wait = 0; wait < 100 && ::waitpid(*pid, &status, WNOHANG) == 0; ++wait)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (::waitpid(*pid, &status, WNOHANG) == 0) {
                ::kill(*pid, SIGKILL);
                ::waitpid(*pid, &status, 0);
            }
        }
        pids_.clear();
        ::unsetenv("SLURM_CONF");
    }

    // Waits until every job of the cluster has left the queue (or `seconds` pass).
    bool wait_until_idle(int seconds) const {
        for (int attempt = 0; attempt < seconds * 5; ++attempt) {
            if (trimmed(run_command("squeue -h -o %i").out).empty()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return false;
    }

    std::string log(const std::string& name) const {
        std::ifstream in(root_ / "log" / name);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

  private:
    // Starts a daemon in the foreground as this process's child. The kernel sends it SIGTERM if
    // the test process dies first (a CTest timeout's SIGKILL included), so no daemon outlives
    // the test even when stop() never runs.
    static pid_t spawn_daemon(const std::vector<std::string>& words) {
        std::vector<char*> arguments;
        for (const auto& word : words) arguments.push_back(const_cast<char*>(word.c_str()));
        arguments.push_back(nullptr);
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent) ::_exit(1);  // the test died before prctl took effect
            // Their logs go to their log files; the test's output stays the test's.
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            ::execv(arguments[0], arguments.data());
            ::_exit(127);
        }
        return pid;
    }
    static bool wait_for_file(const fs::path& path) {
        for (int attempt = 0; attempt < 100; ++attempt) {
            // A pid file once written; a socket once it exists.
            std::error_code error;
            if (fs::is_socket(path, error) || fs::file_size(path, error) > 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    fs::path root_;
    std::string socket_, conf_;
    std::vector<pid_t> pids_;
};

const char* const kConfig = R"([sweep]
recordings = ["market.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]

[grid]
bb_period = [10, 20, 30]
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

class SlurmJobs : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        directory_ = std::make_unique<TemporaryDirectory>();
        cluster_ = std::make_unique<SlurmCluster>(directory_->path() / "cluster");
        skip_reason_ = cluster_->start();
        if (!skip_reason_.empty()) return;
        // The jobs find tapegrid on PATH, as a user's would.
        const std::string bin = (directory_->path() / "bin").string();
        fs::create_directories(bin);
        fs::create_symlink(testing::tapegrid_binary(), bin + "/tapegrid");
        path_ = "PATH=" + bin + ":/usr/bin:/bin:/usr/sbin:/sbin ";
        ASSERT_EQ(
            testing::run_tapegrid("generate --symbols 2 --bars 40000 --seed 21 -o " + file("market.h5")).exit_code, 0);
        testing::write_text(file("sweep.toml"), kConfig);
        const CommandResult single = testing::run_tapegrid("sweep " + file("sweep.toml") + " --quiet --threads 2");
        ASSERT_EQ(single.exit_code, 0) << single.err;
    }
    static void TearDownTestSuite() {
        cluster_.reset();  // stops the daemons
        directory_.reset();
    }
    void SetUp() override {
        if (!skip_reason_.empty()) {
            // Where the set-up ran (CI, the README's test command), the cluster must start.
            if (std::getenv("TAPEGRID_REQUIRE_SLURM") != nullptr) FAIL() << skip_reason_;
            GTEST_SKIP() << skip_reason_;
        }
    }

    static std::string file(const std::string& name) { return directory_->file(name); }
    static std::string script(const std::string& name) {
        return std::string(TAPEGRID_SOURCE_DIR) + "/configs/slurm/" + name;
    }
    // sbatch ARGS from the test's directory; the job id.
    static std::string submit(const std::string& arguments) {
        const CommandResult result = run_command("cd " + shell_quoted(directory_->path().string()) + " && " + path_ +
                                                 "sbatch --parsable " + arguments);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return trimmed(result.out.substr(0, result.out.find(';')));
    }

    static std::unique_ptr<TemporaryDirectory> directory_;
    static std::unique_ptr<SlurmCluster> cluster_;
    static std::string skip_reason_, path_;
};
std::unique_ptr<TemporaryDirectory> SlurmJobs::directory_;
std::unique_ptr<SlurmCluster> SlurmJobs::cluster_;
std::string SlurmJobs::skip_reason_, SlurmJobs::path_;

TEST_F(SlurmJobs, AnArrayOfShardsThenTheMergeGiveOneProcesssOutputs) {
    const std::string out = file("array");
    const std::string array =
        submit("--array=0-3 --cpus-per-task=1 " + script("sweep-array.sbatch") + " " + file("sweep.toml") + " " + out);
    ASSERT_FALSE(array.empty());
    const std::string merge = submit("--dependency=afterok:" + array + " " + script("merge.sbatch") + " " + out);
    ASSERT_FALSE(merge.empty());
    ASSERT_TRUE(cluster_->wait_until_idle(300)) << run_command("squeue").out << cluster_->log("slurmctld.log");
    for (int task = 0; task < 4; ++task) {
        const auto manifest = testing::read_text(out + "/shard-" + std::to_string(task) + "/shard.json");
        EXPECT_NE(manifest.find("\"shard\": " + std::to_string(task)), std::string::npos) << manifest;
        EXPECT_NE(manifest.find("\"finished\": true"), std::string::npos) << manifest;
    }
    ASSERT_TRUE(fs::exists(out + "/merged/results.csv"))
        << testing::read_text(file("tapegrid-merge-" + merge + ".out"));
    EXPECT_EQ(testing::read_text(out + "/merged/results.csv"), testing::read_text(file("single/results.csv")));
    EXPECT_EQ(testing::read_text(out + "/merged/top.json"), testing::read_text(file("single/top.json")));
}

TEST_F(SlurmJobs, AnArrayWithAnOffsetAndAStepMapsEveryTaskToItsShard) {
    // Tasks 5, 7 and 9: shards 0, 1 and 2 of 3.
    const std::string out = file("offset");
    const std::string array = submit("--array=5-9:2 --cpus-per-task=1 " + script("sweep-array.sbatch") + " " +
                                     file("sweep.toml") + " " + out);
    const std::string merge = submit("--dependency=afterok:" + array + " " + script("merge.sbatch") + " " + out);
    ASSERT_TRUE(cluster_->wait_until_idle(300)) << run_command("squeue").out;
    for (const auto& [task, shard] : std::vector<std::pair<int, int>>{{5, 0}, {7, 1}, {9, 2}}) {
        const auto manifest = testing::read_text(out + "/shard-" + std::to_string(task) + "/shard.json");
        EXPECT_NE(manifest.find("\"shard\": " + std::to_string(shard) + ","), std::string::npos) << manifest;
        EXPECT_NE(manifest.find("\"shards\": 3,"), std::string::npos) << manifest;
    }
    EXPECT_EQ(testing::read_text(out + "/merged/results.csv"), testing::read_text(file("single/results.csv")))
        << testing::read_text(file("tapegrid-merge-" + merge + ".out"));
}

TEST_F(SlurmJobs, AnMpiJobOfTwoRanksGivesOneProcesssOutputs) {
#if !TAPEGRID_WITH_MPI
    GTEST_SKIP() << "built without MPI";
#endif
    // Root may run mpirun only when asked; a user's job needs neither variable.
    const std::string out = file("mpi");
    const std::string job = submit(
        "--ntasks=2 --cpus-per-task=1 --export=ALL,OMPI_ALLOW_RUN_AS_ROOT=1,OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1,"
        // Under AddressSanitizer, as tests/e2e/cli_mpi_test.cpp explains (ignored otherwise).
        "OMPI_MCA_mca_base_component_disable_dlclose=1,ASAN_OPTIONS=fast_unwind_on_malloc=0:abort_on_error=1 " +
        script("sweep-mpi.sbatch") + " " + file("sweep.toml") + " " + out);
    ASSERT_FALSE(job.empty());
    ASSERT_TRUE(cluster_->wait_until_idle(300)) << run_command("squeue").out;
    const std::string log = testing::read_text(file("tapegrid-mpi-" + job + ".out"));
    ASSERT_TRUE(fs::exists(out + "/results.csv")) << log;
    EXPECT_EQ(testing::read_text(out + "/results.csv"), testing::read_text(file("single/results.csv"))) << log;
    EXPECT_EQ(testing::read_text(out + "/top.json"), testing::read_text(file("single/top.json")));
}

TEST_F(SlurmJobs, AShardSignalledByTheSchedulerExits75IsRequeuedAndFinishes) {
    // One task of a sweep long enough to be stopped in the middle: 4 symbols x 100,000 bars,
    // 6,240 combinations, one thread (2.5 G bar-evaluations: seconds with AVX-512, a minute
    // without, docs/PERFORMANCE.md); a sixteenth of that under the sanitizers, which run it
    // several times slower still (a quarter took 11 minutes under ASan on a loaded AVX2 machine).
#if TAPEGRID_SANITIZED
    const std::string symbols = "1", bars = "25000";
#else
    const std::string symbols = "4", bars = "100000";
#endif
    ASSERT_EQ(
        testing::run_tapegrid("generate --symbols " + symbols + " --bars " + bars + " --seed 8 -o " + file("long.h5"))
            .exit_code,
        0);
    testing::write_text(file("long.toml"), R"([sweep]
recordings = ["long.h5"]
strategy = "mean_reversion"
constraints = ["take_profit_pct >= stop_loss_pct"]

[grid]
bb_period = [10, 15, 20, 25, 30, 35, 40, 45]
bb_std = [1.5, 2.0, 2.5, 3.0]
rsi_period = [7, 14, 21]
rsi_threshold = [20, 25, 30, 35, 40]
stop_loss_pct = [0.5, 1, 2, 3]
take_profit_pct = [1, 2, 3, 4]

[output]
directory = "long-single"
)");
    ASSERT_EQ(testing::run_tapegrid("sweep " + file("long.toml") + " --quiet --threads 1").exit_code, 0);

    const std::string out = file("preempted");
    const std::string job = submit("--array=0-0 --cpus-per-task=1 --open-mode=append " + script("sweep-array.sbatch") +
                                   " " + file("long.toml") + " " + out);
    // Once the shard has written rows, Slurm signals the batch shell, as --signal=B:USR1@120
    // would before a time limit; the script passes it on to tapegrid.
    const std::string csv = out + "/shard-0/results.csv";
    bool running = false;
    for (int attempt = 0; attempt < 3000 && !running; ++attempt) {
        std::error_code error;
        running = fs::file_size(csv, error) > 2000 && !error;
        if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(running) << "the shard never started writing";
    const CommandResult signalled = run_command("scancel --batch --signal=USR1 " + job + "_0");
    ASSERT_EQ(signalled.exit_code, 0) << signalled.err;
    // Slurm holds a requeued job back for a while (its begin time moves on); let it start at
    // once, as an administrator would in a hurry, so that the test takes seconds.
    bool requeued = false;
    for (int attempt = 0; attempt < 600 && !requeued; ++attempt) {
        const std::string state = trimmed(run_command("squeue -h -o %T -j " + job + "_0").out);
        requeued = state == "PENDING";
        if (!requeued) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(requeued) << "the stopped task was not requeued: " << run_command("squeue").out
                          << testing::read_text(file("tapegrid-shard-" + job + "_0.out"));
    // Not in the same second as the stop, though: slurmd revokes the stopped run's credential, and
    // refuses ("already killed") a launch whose credential was issued in the second it revoked
    // the last one (Slurm compares whole seconds; its own hold avoids this by waiting minutes).
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    const CommandResult released = run_command("scontrol update JobId=" + job + "_0 StartTime=now");
    EXPECT_EQ(released.exit_code, 0) << released.err;
    ASSERT_TRUE(cluster_->wait_until_idle(300)) << run_command("squeue").out;
    const std::string log = testing::read_text(file("tapegrid-shard-" + job + "_0.out")) + "\n--- slurmctld.log ---\n" +
                            cluster_->log("slurmctld.log") + "\n--- slurmd.log ---\n" + cluster_->log("slurmd.log");
    // The first run stopped with its checkpoint (exit 75) and was requeued; the second finished.
    EXPECT_NE(log.find("stopped by the scheduler's signal"), std::string::npos) << log;
    const auto manifest = testing::read_text(out + "/shard-0/shard.json");
    ASSERT_NE(manifest.find("\"finished\": true"), std::string::npos) << manifest << log;
    // Compared whole, without a diff of 6,240 rows that would hide the log.
    EXPECT_TRUE(testing::read_text(out + "/shard-0/results.csv") == testing::read_text(file("long-single/results.csv")))
        << log;
    EXPECT_EQ(testing::read_text(out + "/shard-0/top.json"), testing::read_text(file("long-single/top.json")));
}

}  // namespace
}  // namespace tapegrid
