// SessionRecorder: what a live trading loop calls to record bars, signals, orders and positions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/recording.h"

namespace tapegrid {

class RecordingFileWriter;

// When buffered records reach the file: after `every_records` records, or at the first record
// `every` after the last flush, whichever comes first (0 turns a rule off). A flush appends
// the buffers and calls H5Fflush, after which a crash of the process loses nothing recorded
// before it. A loop that goes quiet should call flush() itself.
struct FlushPolicy {
    std::size_t every_records = 10'000;
    std::chrono::milliseconds every{1000};
};

struct IndicatorValue {
    std::string_view name;
    double value;
};

class SessionRecorder {
  public:
    // Starts a recording in `path`: a new file when it ends in .h5, else a store directory
    // (created if needed) that gets `<path>/<recording_id>.h5`. The recording is `recording`
    // until stop_recording().
    SessionRecorder(const std::string& path, std::string session_id, std::int64_t instance_id,
                    std::string strategy_name, const nlohmann::json& strategy_parameters,
                    std::vector<std::string> symbols, FlushPolicy flush_policy = {});
    // A recorder destroyed while still recording (an exception, a clean Ctrl-C) flushes what
    // it has and marks the recording `interrupted`.
    ~SessionRecorder();
    SessionRecorder(const SessionRecorder&) = delete;
    SessionRecorder& operator=(const SessionRecorder&) = delete;

    // One OHLCV bar and the indicators computed at it. Bars of a symbol must come in strictly
    // increasing time; a bad bar is refused with a UserError and nothing is recorded.
    void record_market_data(const std::string& symbol, TimestampNs timestamp_ns, double open, double high, double low,
                            double close, double volume, std::span<const IndicatorValue> indicators = {});
    void record_market_data(const std::string& symbol, TimestampNs timestamp_ns, double open, double high, double low,
                            double close, double volume, std::initializer_list<IndicatorValue> indicators) {
        record_market_data(symbol, timestamp_ns, open, high, low, close, volume,
                           std::span<const IndicatorValue>(indicators.begin(), indicators.size()));
    }

    void record_signal_detected(const std::string& symbol, TimestampNs timestamp_ns, const std::string& signal_type,
                                double entry_price, double stop_loss, double take_profit,
                                const nlohmann::json& indicators, double signal_strength, const std::string& reasoning,
                                const nlohmann::json& market_state = nlohmann::json::object(),
                                const nlohmann::json& extra_metadata = nlohmann::json::object());
    void record_order_placed(const std::string& symbol, TimestampNs timestamp_ns, const std::string& order_id,
                             const std::string& side, double quantity, const std::string& order_type, double price,
                             const nlohmann::json& market_state = nlohmann::json::object());
    void record_order_filled(const std::string& symbol, TimestampNs timestamp_ns, const std::string& order_id,
                             const std::string& side, double quantity, double fill_price, double commission,
                             const nlohmann::json& market_state = nlohmann::json::object());
    void record_position_opened(const std::string& symbol, TimestampNs timestamp_ns, double entry_price,
                                double quantity, const std::string& direction, double stop_loss, double take_profit,
                                const nlohmann::json& market_state = nlohmann::json::object());
    void record_position_closed(const std::string& symbol, TimestampNs timestamp_ns, double entry_price,
                                double exit_price, double quantity, const std::string& direction, double pnl,
                                double pnl_pct, const std::string& exit_reason,
                                const nlohmann::json& market_state = nlohmann::json::object());
    void record_scan_cycle(TimestampNs timestamp_ns, std::int64_t symbols_scanned, std::int64_t signals_found,
                           const nlohmann::json& details = nlohmann::json::object());
    // Any event type the caller names.
    void record_event(const std::string& type, const std::string& symbol, TimestampNs timestamp_ns,
                      const nlohmann::json& event_data,
                      const nlohmann::json& decision_metadata = nlohmann::json::object(),
                      const nlohmann::json& market_state = nlohmann::json::object());

    // An event whose JSON fields are already text (event.sequence is ignored: the recorder numbers it).
    void record_event(const Event& event);

    // The live session's own outcome, kept as original_trades, original_pnl, original_win_rate.
    void update_summary_stats(std::int64_t trades, double pnl, double win_rate);

    // Writes the buffered records now.
    void flush();

    // Ends the recording: flushes, stores the counts and outcome, marks it `completed`.
    void stop_recording(const std::string& description = "", const std::vector<std::string>& tags = {});
    // Ends the recording as `failed`, keeping everything recorded and the message.
    void mark_failed(const std::string& message);
    // Ends the recording as `interrupted` (the user stopped the session).
    void mark_interrupted(const std::string& description = "");

    RecordingInfo get_recording_info() const;
    const std::string& recording_id() const { return info_.recording_id; }
    const std::string& path() const { return path_; }
    bool is_recording() const { return info_.status == RecordingStatus::kRecording; }

  private:
    struct SymbolBuffer;

    SymbolBuffer& buffer_for(const std::string& symbol);
    void append_event(std::string_view type, const std::string& symbol, TimestampNs timestamp_ns,
                      const nlohmann::json& event_data, const nlohmann::json& decision_metadata,
                      const nlohmann::json& market_state);
    void after_record();
    void finish(RecordingStatus status);
    void require_recording(const char* what) const;
    void write_sidecar();

    std::string path_;
    RecordingInfo info_;
    FlushPolicy flush_policy_;
    std::unique_ptr<RecordingFileWriter> writer_;
    std::vector<std::unique_ptr<SymbolBuffer>> buffers_;
    std::vector<Event> pending_events_;
    std::size_t pending_records_ = 0;
    std::size_t events_written_ = 0;
    std::int64_t next_sequence_ = 0;
    std::chrono::steady_clock::time_point last_flush_;
};

}  // namespace tapegrid
