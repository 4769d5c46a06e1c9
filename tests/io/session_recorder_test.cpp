// The SessionRecorder's API: what it writes, when it flushes, how a recording ends.
#include "io/hdf5/session_recorder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "engine/core/errors.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_reader.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

constexpr TimestampNs kStart = 1'704'205'800'000'000'000;  // 2024-01-02T14:30:00Z

TEST(SessionRecorder, RecordsBarsEventsAndOutcome) {
    TemporaryDirectory directory;
    const std::string path = directory.file("live.h5");
    std::string recording_id;
    {
        SessionRecorder recorder(path, "session-1", 7, "mean_reversion", {{"rsi_threshold", 30}, {"bb_std", 2.5}},
                                 {"AAPL", "MSFT"});
        recording_id = recorder.recording_id();
        recorder.record_market_data("AAPL", kStart, 150.0, 151.0, 149.5, 150.5, 1e6,
                                    {{"rsi", 28.5}, {"bb_lower", 148.0}});
        recorder.record_market_data("MSFT", kStart, 300.0, 301.0, 299.0, 300.5, 2e6);
        recorder.record_signal_detected("AAPL", kStart, "MEAN_REVERSION", 150.5, 149.0, 151.5,
                                        {{"rsi", 28.5}, {"bb_lower", 148.0}}, 0.85,
                                        "Price below BB lower band with oversold RSI");
        recorder.record_order_placed("AAPL", kStart, "order-1", "BUY", 10, "MARKET", 150.5);
        recorder.record_order_filled("AAPL", kStart, "order-1", "BUY", 10, 150.5, 0.0);
        recorder.record_position_opened("AAPL", kStart, 150.5, 10, "LONG", 149.0, 151.5);
        recorder.record_market_data("AAPL", kStart + kNsPerMinute, 150.6, 151.6, 150.2, 151.2, 9e5, {{"rsi", 41.0}});
        recorder.record_position_closed("AAPL", kStart + kNsPerMinute, 150.5, 151.5, 10, "LONG", 10.0, 0.6644518272,
                                        "take_profit");
        recorder.record_scan_cycle(kStart + kNsPerMinute, 2, 1);
        recorder.record_event("HEARTBEAT", "", kStart + kNsPerMinute, {{"ok", true}});
        recorder.update_summary_stats(1, 10.0, 100.0);
        const RecordingInfo live = recorder.get_recording_info();
        EXPECT_EQ(live.status, RecordingStatus::kRecording);
        EXPECT_EQ(live.total_bars_recorded, 3);
        EXPECT_EQ(live.total_events_recorded, 7);
        recorder.stop_recording("morning session", {"high_volatility", "morning_session"});
    }
    const Recording recording = load_recording(path);
    const RecordingInfo& info = recording.info;
    EXPECT_EQ(info.recording_id, recording_id);
    EXPECT_EQ(info.session_id, "session-1");
    EXPECT_EQ(info.instance_id, 7);
    EXPECT_EQ(info.strategy_name, "mean_reversion");
    EXPECT_EQ(info.original_parameters, R"({"bb_std":2.5,"rsi_threshold":30})");
    EXPECT_EQ(info.status, RecordingStatus::kCompleted);
    EXPECT_EQ(info.description, "morning session");
    EXPECT_EQ(info.tags, (std::vector<std::string>{"high_volatility", "morning_session"}));
    EXPECT_EQ(info.total_bars_recorded, 3);
    EXPECT_EQ(info.total_events_recorded, 7);
    const std::map<std::string, std::int64_t> counts = {
        {"HEARTBEAT", 1},       {"ORDER_FILLED", 1}, {"ORDER_PLACED", 1},   {"POSITION_CLOSED", 1},
        {"POSITION_OPENED", 1}, {"SCAN_CYCLE", 1},   {"SIGNAL_DETECTED", 1}};
    EXPECT_EQ(info.event_counts, counts);
    EXPECT_EQ(info.original_trades, 1);
    EXPECT_DOUBLE_EQ(info.original_pnl, 10.0);
    EXPECT_DOUBLE_EQ(info.original_win_rate, 100.0);
    EXPECT_GT(info.recording_end_time_ns, 0);

    const SymbolBars& aapl = recording.bars[0];
    ASSERT_EQ(aapl.size(), 2u);
    EXPECT_EQ(aapl.timestamp_ns[1], kStart + kNsPerMinute);
    EXPECT_DOUBLE_EQ(aapl.close[1], 151.2);
    // Sequences interleave bars and events in the order they were recorded.
    EXPECT_EQ(aapl.sequence, (std::vector<std::int64_t>{0, 6}));
    EXPECT_EQ(recording.bars[1].sequence, (std::vector<std::int64_t>{1}));
    const IndicatorColumn* lower = aapl.find_indicator("bb_lower");
    ASSERT_NE(lower, nullptr);
    EXPECT_DOUBLE_EQ(lower->values[0], 148.0);
    EXPECT_TRUE(std::isnan(lower->values[1]));  // not recorded at the second bar
    EXPECT_DOUBLE_EQ(aapl.find_indicator("rsi")->values[1], 41.0);
    EXPECT_TRUE(recording.bars[1].indicators.empty());

    ASSERT_EQ(recording.events.size(), 7u);
    EXPECT_EQ(recording.events[0].type, "SIGNAL_DETECTED");
    EXPECT_EQ(recording.events[0].sequence, 2);
    const auto metadata = nlohmann::json::parse(recording.events[0].decision_metadata);
    EXPECT_EQ(metadata["reasoning"], "Price below BB lower band with oversold RSI");
    EXPECT_DOUBLE_EQ(metadata["signal_strength"].get<double>(), 0.85);
    EXPECT_DOUBLE_EQ(metadata["indicators"]["rsi"].get<double>(), 28.5);
    const auto closed = nlohmann::json::parse(recording.events[4].event_data);
    EXPECT_EQ(closed["exit_reason"], "take_profit");
    EXPECT_EQ(recording.events[6].type, "HEARTBEAT");
    EXPECT_FALSE(std::filesystem::exists(live_status_path(path)));
}

TEST(SessionRecorder, RefusesBadBarsAndKeepsGoodOnes) {
    TemporaryDirectory directory;
    const std::string path = directory.file("bad.h5");
    SessionRecorder recorder(path, "s", 1, "x", nlohmann::json::object(), {"AAPL"});
    recorder.record_market_data("AAPL", kStart, 10, 11, 9, 10.5, 100);
    EXPECT_THROW(recorder.record_market_data("AAPL", kStart, 10, 11, 9, 10.5, 100), UserError);  // duplicate
    EXPECT_THROW(recorder.record_market_data("AAPL", kStart - 1, 10, 11, 9, 10.5, 100), UserError);
    EXPECT_THROW(recorder.record_market_data("AAPL", kStart + 1, 10, 9, 11, 10.5, 100), UserError);  // high < low
    EXPECT_THROW(recorder.record_market_data("AAPL", kStart + 1, std::nan(""), 11, 9, 10.5, 100), UserError);
    EXPECT_THROW(recorder.record_market_data("A/B", kStart, 10, 11, 9, 10.5, 100), UserError);
    recorder.record_market_data("AAPL", kStart + 1, 10, 11, 9, 10.5, 100);
    recorder.stop_recording();
    EXPECT_EQ(load_recording(path).bars[0].size(), 2u);
    EXPECT_THROW(recorder.record_market_data("AAPL", kStart + 2, 10, 11, 9, 10.5, 100), UserError);  // ended
}

TEST(SessionRecorder, FlushesAfterEveryNRecords) {
    TemporaryDirectory directory;
    const std::string path = directory.file("flush.h5");
    SessionRecorder recorder(path, "s", 2, "x", nullptr, {"AAPL"},
                             FlushPolicy{.every_records = 3, .every = std::chrono::milliseconds(0)});
    for (int i = 0; i < 7; ++i) recorder.record_market_data("AAPL", kStart + i, 10, 11, 9, 10, 1);
    // The live sidecar holds the counts of the last flush: after records 3 and 6.
    const auto live = read_live_status(path);
    ASSERT_TRUE(live.has_value());
    EXPECT_TRUE(is_writer_alive(*live));
    EXPECT_EQ(live->info.total_bars_recorded, 6);
    EXPECT_EQ(read_recording_info(path).status, RecordingStatus::kRecording);  // described from the sidecar
    recorder.stop_recording();
    EXPECT_EQ(read_recording_info(path).total_bars_recorded, 7);
}

TEST(SessionRecorder, FlushesAfterTheTimeLimit) {
    TemporaryDirectory directory;
    const std::string path = directory.file("timed.h5");
    SessionRecorder recorder(path, "s", 2, "x", nullptr, {"AAPL"},
                             FlushPolicy{.every_records = 0, .every = std::chrono::milliseconds(20)});
    recorder.record_market_data("AAPL", kStart, 10, 11, 9, 10, 1);
    EXPECT_EQ(read_live_status(path)->info.total_bars_recorded, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    recorder.record_market_data("AAPL", kStart + 1, 10, 11, 9, 10, 1);
    EXPECT_EQ(read_live_status(path)->info.total_bars_recorded, 2);
    recorder.stop_recording();
}

TEST(SessionRecorder, DestroyedWhileRecordingEndsInterrupted) {
    TemporaryDirectory directory;
    const std::string path = directory.file("dropped.h5");
    {
        SessionRecorder recorder(path, "s", 2, "x", nullptr, {"AAPL"});
        recorder.record_market_data("AAPL", kStart, 10, 11, 9, 10, 1);
    }
    const Recording recording = load_recording(path);
    EXPECT_EQ(recording.info.status, RecordingStatus::kInterrupted);
    EXPECT_EQ(recording.bars[0].size(), 1u);
}

TEST(SessionRecorder, MarkFailedKeepsDataAndMessage) {
    TemporaryDirectory directory;
    const std::string path = directory.file("failed.h5");
    SessionRecorder recorder(path, "s", 2, "x", nullptr, {"AAPL"});
    recorder.record_market_data("AAPL", kStart, 10, 11, 9, 10, 1);
    recorder.mark_failed("broker connection lost");
    const RecordingInfo info = read_recording_info(path);
    EXPECT_EQ(info.status, RecordingStatus::kFailed);
    EXPECT_EQ(info.error_message, "broker connection lost");
    EXPECT_EQ(info.total_bars_recorded, 1);
}

TEST(SessionRecorder, WritesIntoAStoreDirectoryByRecordingId) {
    TemporaryDirectory directory;
    SessionRecorder recorder(directory.path().string(), "s", 2, "x", nullptr, {"AAPL"});
    EXPECT_EQ(recorder.path(), directory.file(recorder.recording_id() + ".h5"));
    recorder.stop_recording();
    EXPECT_TRUE(std::filesystem::exists(recorder.path()));
}

TEST(SessionRecorder, RefusesToOverwriteAFile) {
    TemporaryDirectory directory;
    const std::string path = directory.file("exists.h5");
    testing::write_text(path, "keep me");
    EXPECT_THROW(SessionRecorder(path, "s", 1, "x", nullptr, {"AAPL"}), UserError);
    EXPECT_EQ(testing::read_text(path), "keep me");
}

}  // namespace
}  // namespace tapegrid
