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
#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_recovery.h"
#include "io/hdf5/session_recorder.h"
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

// A kill inside a flush can land between the deletion of a metadata attribute whose size changes
// and its creation anew (CI saw event_count_types with 1 entry beside event_count_values with 0).
// The torn file is made here on purpose: a writer process flushes once and dies, then the pair is
// torn and the status deleted as such a kill leaves them. The file still reads as interrupted,
// with the counts of the last completed flush (the sidecar's), and recover recounts the rows.
TEST(RecorderCrash, MetadataTornByAKillMidFlushReadsFromTheLastCompletedFlush) {
    testing::TemporaryDirectory directory;
    const std::string path = directory.file("torn.h5");
    const pid_t writer = ::fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {
        SessionRecorder recorder(path, "torn", 7, "mean_reversion", nullptr, {crash_test::symbol(0)});
        for (std::size_t i = 0; i < 3; ++i) {
            const crash_test::Bar bar = crash_test::bar(0, i);
            recorder.record_market_data(crash_test::symbol(0), bar.timestamp_ns, bar.open, bar.high, bar.low, bar.close,
                                        bar.volume, {{"rsi", bar.rsi}});
        }
        recorder.record_event("SIGNAL_DETECTED", crash_test::symbol(0), crash_test::bar(0, 1).timestamp_ns,
                              {{"bar", 0}}, {{"reasoning", "torn"}});
        recorder.flush();
        ::_exit(0);  // dies as a kill would: no finish, the sidecar stays
    }
    int status = 0;
    ASSERT_EQ(::waitpid(writer, &status, 0), writer);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    {
        h5::Handle file = h5::open_file<InternalError>(path, H5F_ACC_RDWR, H5P_DEFAULT, path);
        h5::write_attribute(file.get(), layout::attr::kEventCountTypes,
                            std::vector<std::string>{"ORDER_PLACED", "SIGNAL_DETECTED"});
        ASSERT_GE(H5Adelete(file.get(), layout::attr::kStatus), 0);
    }
    const RecordingInfo info = read_recording_info(path);
    EXPECT_EQ(info.status, RecordingStatus::kInterrupted);
    EXPECT_EQ(info.event_counts, (std::map<std::string, std::int64_t>{{"SIGNAL_DETECTED", 1}}));
    const Recording recording = load_recording(path);
    EXPECT_EQ(recording.bars[0].size(), 3u);
    EXPECT_EQ(recording.events.size(), 1u);
    const RecoveryReport report = recover_recording(path);
    EXPECT_TRUE(report.changed);
    EXPECT_EQ(report.info.event_counts, (std::map<std::string, std::int64_t>{{"SIGNAL_DETECTED", 1}}));
    EXPECT_EQ(load_recording(path).events.size(), 1u);
}

// The same pair torn in a recording that ended is damage, not a crash: refused with both lengths.
TEST(RecorderCrash, MetadataTornInAFinishedRecordingIsRefused) {
    testing::TemporaryDirectory directory;
    const std::string path = directory.file("finished.h5");
    {
        SessionRecorder recorder(path, "done", 8, "mean_reversion", nullptr, {crash_test::symbol(0)});
        const crash_test::Bar bar = crash_test::bar(0, 0);
        recorder.record_market_data(crash_test::symbol(0), bar.timestamp_ns, bar.open, bar.high, bar.low, bar.close,
                                    bar.volume, {{"rsi", bar.rsi}});
        recorder.stop_recording();
    }
    {
        h5::Handle file = h5::open_file<InternalError>(path, H5F_ACC_RDWR, H5P_DEFAULT, path);
        h5::write_attribute(file.get(), layout::attr::kEventCountTypes, std::vector<std::string>{"ORDER_PLACED"});
    }
    try {
        read_recording_info(path);
        FAIL() << "a torn pair in a finished recording was accepted";
    } catch (const UserError& error) {
        EXPECT_NE(
            std::string(error.what()).find("'event_count_types' (1 entries) and 'event_count_values' (0 entries)"),
            std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace tapegrid
