// SweepRunner into a SweepDirectory, stopped and resumed at its edges.
#include "engine/sweep/sweep_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "io/config/sweep_config.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/sweep_directory.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

// Runs `config` into `out`, stopped before it starts when `stopped`, resuming from the
// directory's checkpoint when `resume`. Returns the outcome.
SweepOutcome run_into(const std::string& config, const std::string& store, const std::string& out, bool stopped,
                      bool resume) {
    SweepSpec spec = load_sweep_config(config, {}, store);
    spec.output_directory = out;
    SweepRequest request;
    request.threads = 2;
    if (resume) request.resume_from = SweepDirectory::checkpoint_to_resume(out);
    const SweepRunner runner(spec, load_sweep_input(spec.recordings), request);
    SweepDirectory directory(out, runner, false);
    const std::atomic<bool> stop{stopped};
    const SweepOutcome outcome = runner.run(directory, &stop, nullptr);
    directory.finish(outcome);
    return outcome;
}

// A sweep stopped before its first task ended (a signal during its start, a cancel from the
// server) resumes to exactly the rows of one uninterrupted run: its checkpoint must still place
// the rows after results.csv's header, not at byte 0.
TEST(SweepRunner, AStopBeforeTheFirstTaskResumesToTheSameResults) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const testing::CommandResult generated =
        testing::run_tapegrid("generate --symbols 2 --bars 3000 --seed 3 --store " + store + " --json");
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    const std::string id = nlohmann::json::parse(generated.out).at("recording_id");
    testing::write_text(scratch.file("sweep.toml"),
                        "[sweep]\nrecordings = [\"" + id +
                            "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [1.5, 2.0, 2.5]\nrsi_threshold = "
                            "[25, 30, 35]\n");

    const SweepOutcome stopped = run_into(scratch.file("sweep.toml"), store, scratch.file("stopped"), true, false);
    EXPECT_TRUE(stopped.interrupted);
    EXPECT_EQ(stopped.tasks_done, 0u);
    const SweepCheckpoint checkpoint = SweepDirectory::checkpoint_to_resume(scratch.file("stopped"));
    const std::string header = testing::read_text(scratch.file("stopped/results.csv"));
    EXPECT_EQ(checkpoint.csv_bytes, header.size());  // after the header, where the first row goes
    EXPECT_EQ(header.rfind("combination,", 0), 0u);

    const SweepOutcome resumed = run_into(scratch.file("sweep.toml"), store, scratch.file("stopped"), false, true);
    EXPECT_FALSE(resumed.interrupted);
    run_into(scratch.file("sweep.toml"), store, scratch.file("whole"), false, false);
    EXPECT_EQ(testing::read_text(scratch.file("stopped/results.csv")),
              testing::read_text(scratch.file("whole/results.csv")));
}

}  // namespace
}  // namespace tapegrid
