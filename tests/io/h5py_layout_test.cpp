// A recording read with Python's h5py, following docs/FORMAT.md only, holds the values tapegrid wrote.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "io/hdf5/recording_file_writer.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

// Debian's python3-h5py belongs to /usr/bin/python3, which may not be first on PATH.
std::string python_with_h5py() {
    for (const char* candidate : {"/usr/bin/python3", "python3"})
        if (testing::run_command(std::string(candidate) + " -c 'import h5py'").exit_code == 0) return candidate;
    return "";
}

TEST(H5pyLayout, PythonReadsEveryDocumentedField) {
    const std::string python = python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "python3 with h5py (Debian package python3-h5py) is not installed";
    testing::TemporaryDirectory directory;
    const Recording recording = testing::make_sample_recording();
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, recording);
    const auto result = testing::run_command(python + " " + H5PY_READER_SCRIPT + " " + path);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto read = nlohmann::json::parse(result.out);

    EXPECT_EQ(read["format_version"], 1);
    EXPECT_EQ(read["recording_id"], recording.info.recording_id);
    EXPECT_EQ(read["instance_id"], 3);
    EXPECT_EQ(read["strategy_name"], "mean_reversion");
    EXPECT_EQ(read["original_parameters"]["rsi_threshold"], 30);
    EXPECT_EQ(read["symbols"], (std::vector<std::string>{"AAPL", "MSFT"}));
    EXPECT_EQ(read["status"], "completed");
    EXPECT_EQ(read["recording_start_time_ns"], 1'700'000'000'000'000'000);
    EXPECT_EQ(read["tags"], (std::vector<std::string>{"test", "sample"}));
    EXPECT_EQ(read["description"], recording.info.description);
    EXPECT_EQ(read["event_counts"]["SIGNAL_DETECTED"], 1);
    EXPECT_EQ(read["original_pnl"], 12.5);

    // MSFT: 4 bars from minute 2; open = 110 + 0.25 i, close = open + 0.2, volume = 1000 (i + 1).
    const auto& msft = read["market_data"]["MSFT"];
    EXPECT_EQ(msft["timestamp"][0], 1'700'000'120'000'000'000);
    EXPECT_EQ(msft["open"], (std::vector<double>{110.0, 110.25, 110.5, 110.75}));
    EXPECT_EQ(msft["close"][3], 110.75 + 0.2);
    EXPECT_EQ(msft["volume"], (std::vector<double>{1000, 2000, 3000, 4000}));
    EXPECT_EQ(msft["sequence"], (std::vector<int>{6, 7, 8, 9}));
    // rsi is recorded on even rows only (30 + i); odd rows are NaN, read as null.
    EXPECT_EQ(msft["indicators"]["rsi"][0], 30.0);
    EXPECT_TRUE(msft["indicators"]["rsi"][1].is_null());
    EXPECT_EQ(msft["indicators"]["rsi"][2], 32.0);
    EXPECT_EQ(read["market_data"]["AAPL"]["indicators"]["bb_lower"][0], 98.5);

    ASSERT_EQ(read["events"].size(), 3u);
    EXPECT_EQ(read["events"][0]["type"], "SIGNAL_DETECTED");
    EXPECT_EQ(read["events"][0]["sequence"], 10);
    EXPECT_EQ(read["events"][0]["decision_metadata"]["rsi"], 28.5);
    EXPECT_EQ(read["events"][2]["event_data"]["pnl"], 12.5);
    EXPECT_TRUE(read["replays"].empty());
}

}  // namespace
}  // namespace tapegrid
