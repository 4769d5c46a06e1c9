// A recording process killed with SIGKILL at random moments loses nothing it had flushed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "engine/core/errors.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_recovery.h"
#include "tests/io/crash_test_data.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace tapegrid {
namespace {

struct Flushed {
    std::size_t bars = 0;
    std::size_t events = 0;
};

// Starts the child, lets it record for `run_for`, kills it with SIGKILL and returns the
// counts of the last flush it reported.
Flushed record_then_kill(const std::string& path, std::size_t per_flush, std::chrono::microseconds run_for) {
    int pipe_ends[2];
    EXPECT_EQ(::pipe(pipe_ends), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
    const std::string per_flush_text = std::to_string(per_flush);
    char* arguments[] = {const_cast<char*>(RECORDER_CRASH_CHILD), const_cast<char*>(path.c_str()),
                         const_cast<char*>(per_flush_text.c_str()), nullptr};
    pid_t child = 0;
    EXPECT_EQ(posix_spawn(&child, RECORDER_CRASH_CHILD, &actions, nullptr, arguments, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_ends[1]);
    std::this_thread::sleep_for(run_for);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::string output;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
        output.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_ends[0]);
    Flushed flushed;
    // The last complete line wins; a line cut by the kill is ignored.
    std::size_t line_start = 0;
    for (std::size_t end; (end = output.find('\n', line_start)) != std::string::npos; line_start = end + 1) {
        unsigned long bars = 0, events = 0;
        if (std::sscanf(output.c_str() + line_start, "flushed %lu %lu", &bars, &events) == 2) flushed = {bars, events};
    }
    return flushed;
}

void expect_holds_flushed_rows(const Recording& recording, const Flushed& flushed, const std::string& trial) {
    ASSERT_EQ(recording.bars.size(), 2u) << trial;
    std::size_t bars = 0;
    for (int s = 0; s < 2; ++s) {
        const SymbolBars& columns = recording.bars[static_cast<std::size_t>(s)];
        bars += columns.size();
        const IndicatorColumn* rsi = columns.find_indicator("rsi");
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const crash_test::Bar expected = crash_test::bar(s, i);
            ASSERT_EQ(columns.timestamp_ns[i], expected.timestamp_ns) << trial << " row " << i;
            ASSERT_EQ(columns.close[i], expected.close) << trial << " row " << i;
            ASSERT_EQ(columns.volume[i], expected.volume) << trial << " row " << i;
            ASSERT_NE(rsi, nullptr);
            ASSERT_EQ(rsi->values[i], expected.rsi) << trial << " row " << i;
        }
    }
    EXPECT_GE(bars, flushed.bars) << trial;
    EXPECT_GE(recording.events.size(), flushed.events) << trial;
    for (std::size_t e = 0; e < recording.events.size(); ++e)
        ASSERT_EQ(recording.events[e].event_data, "{\"bar\":" + std::to_string(e * 10) + "}") << trial;
}

TEST(RecorderCrash, SigkillAtRandomMomentsKeepsEveryFlushedRecord) {
    const char* override_trials = std::getenv("TAPEGRID_CRASH_TRIALS");
    const int trials = override_trials != nullptr ? std::atoi(override_trials) : 40;
    std::mt19937 random(20261125);
    std::uniform_int_distribution<int> delay_us(2'000, 150'000);
    std::uniform_int_distribution<int> flush_every(50, 5'000);
    int opened_directly = 0;
    std::size_t most_bars = 0;
    for (int trial = 0; trial < trials; ++trial) {
        testing::TemporaryDirectory directory;
        const std::string path = directory.file("killed.h5");
        const std::string name = "trial " + std::to_string(trial);
        const Flushed flushed = record_then_kill(path, static_cast<std::size_t>(flush_every(random)),
                                                 std::chrono::microseconds(delay_us(random)));
        if (!std::filesystem::exists(path)) continue;  // killed before the file was created
        // The file opens as it is and reads as interrupted. When the kill landed in the middle
        // of a flush, reading its columns may fail: the message must then point to recover.
        EXPECT_EQ(read_recording_info(path).status, RecordingStatus::kInterrupted) << name;
        try {
            const Recording recording = load_recording(path);
            EXPECT_EQ(recording.info.status, RecordingStatus::kInterrupted) << name;
            expect_holds_flushed_rows(recording, flushed, name);
            ++opened_directly;
        } catch (const UserError& error) {
            EXPECT_NE(std::string(error.what()).find("`tapegrid recover " + path + "` keeps every complete record"),
                      std::string::npos)
                << name << ": " << error.what();
        }
        // `tapegrid recover` makes the interruption permanent and keeps the rows.
        const RecoveryReport report = recover_recording(path);
        EXPECT_TRUE(report.changed) << name;
        const Recording recovered = load_recording(path);
        EXPECT_EQ(recovered.info.status, RecordingStatus::kInterrupted) << name;
        EXPECT_EQ(static_cast<std::size_t>(recovered.info.total_bars_recorded),
                  recovered.bars[0].size() + recovered.bars[1].size())
            << name;
        expect_holds_flushed_rows(recovered, flushed, name + " after recover");
        most_bars = std::max(most_bars, flushed.bars);
    }
    std::printf("%d of %d killed recordings opened directly; all opened after recover\n", opened_directly, trials);
    EXPECT_GT(opened_directly, trials / 2);
    EXPECT_GT(most_bars, 0u);  // the kills did land after flushes
}

}  // namespace
}  // namespace tapegrid
