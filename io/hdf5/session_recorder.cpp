// SessionRecorder: buffers records in columns and appends them to the HDF5 file on its flush policy.
#include "io/hdf5/session_recorder.h"

#include <filesystem>
#include <limits>

#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_seal.h"
#include "io/validation/bars_validation.h"
#include "io/validation/name_validation.h"

namespace tapegrid {

// The bars of one symbol recorded since the last flush, as columns ready to append.
struct SessionRecorder::SymbolBuffer {
    SymbolBars pending;
    TimestampNs last_timestamp_ns = 0;
    bool has_previous = false;
};

namespace {

// A path ending in .h5 names the file; any other is a store, created when it is not there yet
// (the README's `SessionRecorder("recordings", ...)` on a fresh machine), as `tapegrid record`
// creates its store.
std::string recording_path_for(const std::string& path, const std::string& recording_id) {
    const std::filesystem::path given(path);
    if (!std::filesystem::is_directory(given)) {
        if (given.extension() == ".h5" || std::filesystem::exists(given)) return path;
        std::error_code error;
        std::filesystem::create_directories(given, error);
        if (error) throw UserError(path + ": cannot create the store directory: " + error.message());
    }
    return (given / (recording_id + ".h5")).string();
}

}  // namespace

namespace {

// A JSON value as the text a recording keeps ("{}" for null); UserError naming `what` when it
// holds text that is not UTF-8, which no JSON output could show later.
std::string json_text(const nlohmann::json& value, const std::string& what) {
    if (value.is_null()) return "{}";
    try {
        return value.dump();
    } catch (const nlohmann::json::type_error& error) {
        throw UserError(what + ": holds text that is not UTF-8 (" + error.what() + ")");
    }
}

}  // namespace

SessionRecorder::SessionRecorder(const std::string& path, std::string session_id, std::int64_t instance_id,
                                 std::string strategy_name, const nlohmann::json& strategy_parameters,
                                 std::vector<std::string> symbols, FlushPolicy flush_policy)
    : flush_policy_(flush_policy) {
    if (!strategy_parameters.is_object() && !strategy_parameters.is_null())
        throw UserError("strategy parameters: expected a JSON object, found " + strategy_parameters.dump());
    for (const auto& symbol : symbols) require_valid_name(symbol, "symbol");
    info_.format_version = static_cast<int>(layout::kFormatVersion);
    info_.recording_id = make_uuid_v4();
    info_.session_id = std::move(session_id);
    info_.instance_id = instance_id;
    info_.strategy_name = std::move(strategy_name);
    info_.original_parameters = json_text(strategy_parameters, "strategy parameters");
    info_.symbols = std::move(symbols);
    info_.status = RecordingStatus::kRecording;
    info_.recording_start_time_ns = now_ns();
    info_.created_by = std::string("tapegrid ") + kVersion;
    path_ = recording_path_for(path, info_.recording_id);
    if (std::filesystem::exists(path_))
        throw UserError(path_ + ": already exists; tapegrid never overwrites a recording");
    // The file is laid out under a hidden name and shown under its own only once it is
    // complete, so that a crash at any moment never leaves a half-made recording behind.
    const std::string temporary = temporary_path_for(path_);
    writer_ = std::make_unique<RecordingFileWriter>(temporary, info_, layout::kBarChunkRows);
    for (const auto& symbol : info_.symbols) buffer_for(symbol);
    writer_->flush();
    publish_file(temporary, path_);
    write_sidecar();
    last_flush_ = std::chrono::steady_clock::now();
}

SessionRecorder::~SessionRecorder() {
    if (!writer_) return;
    try {
        if (is_recording()) {
            finish(RecordingStatus::kInterrupted);
        } else {
            writer_->close();
        }
    } catch (...) {
        // A destructor must not throw; the file keeps what its last flush wrote.
    }
}

SessionRecorder::SymbolBuffer& SessionRecorder::buffer_for(const std::string& symbol) {
    for (auto& buffer : buffers_)
        if (buffer->pending.symbol == symbol) return *buffer;
    require_valid_name(symbol, "symbol");
    auto buffer = std::make_unique<SymbolBuffer>();
    buffer->pending.symbol = symbol;
    buffer->pending.reserve(std::min<std::size_t>(flush_policy_.every_records, 1 << 16));
    if (std::find(info_.symbols.begin(), info_.symbols.end(), symbol) == info_.symbols.end())
        info_.symbols.push_back(symbol);
    buffers_.push_back(std::move(buffer));
    return *buffers_.back();
}

void SessionRecorder::require_recording(const char* what) const {
    if (!writer_ || !is_recording())
        throw UserError(std::string(what) + ": the recording " + info_.recording_id + " has ended (" +
                        std::string(to_string(info_.status)) + ")");
}

void SessionRecorder::record_market_data(const std::string& symbol, TimestampNs timestamp_ns, double open, double high,
                                         double low, double close, double volume,
                                         std::span<const IndicatorValue> indicators) {
    require_recording("record_market_data");
    SymbolBuffer& buffer = buffer_for(symbol);
    if (const auto problem =
            check_bar(buffer.last_timestamp_ns, buffer.has_previous, timestamp_ns, open, high, low, close, volume))
        throw UserError("record_market_data(" + symbol + ", " + format_iso8601(timestamp_ns) + "): " + *problem);
    SymbolBars& pending = buffer.pending;
    const std::size_t row = pending.size();
    pending.timestamp_ns.push_back(timestamp_ns);
    pending.open.push_back(open);
    pending.high.push_back(high);
    pending.low.push_back(low);
    pending.close.push_back(close);
    pending.volume.push_back(volume);
    pending.sequence.push_back(next_sequence_++);
    constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
    for (auto& column : pending.indicators) column.values.push_back(kMissing);
    for (const auto& indicator : indicators) {
        IndicatorColumn* column = nullptr;
        for (auto& candidate : pending.indicators)
            if (candidate.name == indicator.name) column = &candidate;
        if (column == nullptr) {
            require_valid_name(indicator.name, "indicator", "record_market_data(" + symbol + ")");
            pending.indicators.push_back({std::string(indicator.name), std::vector<double>(row + 1, kMissing)});
            column = &pending.indicators.back();
        }
        column->values.back() = indicator.value;
    }
    buffer.last_timestamp_ns = timestamp_ns;
    buffer.has_previous = true;
    ++info_.total_bars_recorded;
    after_record();
}

void SessionRecorder::append_event(std::string_view type, const std::string& symbol, TimestampNs timestamp_ns,
                                   const nlohmann::json& event_data, const nlohmann::json& decision_metadata,
                                   const nlohmann::json& market_state) {
    require_recording("record_event");
    if (type.empty()) throw UserError("record_event: the event type must not be empty");
    Event event;
    event.sequence = next_sequence_++;
    event.timestamp_ns = timestamp_ns;
    event.type = std::string(type);
    event.symbol = symbol;
    event.event_data = json_text(event_data, "record_event(" + event.type + "): event_data");
    event.decision_metadata = json_text(decision_metadata, "record_event(" + event.type + "): decision_metadata");
    event.market_state = json_text(market_state, "record_event(" + event.type + "): market_state");
    pending_events_.push_back(std::move(event));
    ++info_.total_events_recorded;
    ++info_.event_counts[std::string(type)];
    after_record();
}

void SessionRecorder::record_signal_detected(const std::string& symbol, TimestampNs timestamp_ns,
                                             const std::string& signal_type, double entry_price, double stop_loss,
                                             double take_profit, const nlohmann::json& indicators,
                                             double signal_strength, const std::string& reasoning,
                                             const nlohmann::json& market_state, const nlohmann::json& extra_metadata) {
    nlohmann::json data = {{"signal_type", signal_type},
                           {"entry_price", entry_price},
                           {"stop_loss", stop_loss},
                           {"take_profit", take_profit},
                           {"signal_strength", signal_strength}};
    nlohmann::json metadata = extra_metadata.is_object() ? extra_metadata : nlohmann::json::object();
    metadata["indicators"] = indicators;
    metadata["signal_strength"] = signal_strength;
    metadata["reasoning"] = reasoning;
    append_event(event_type::kSignalDetected, symbol, timestamp_ns, data, metadata, market_state);
}

void SessionRecorder::record_order_placed(const std::string& symbol, TimestampNs timestamp_ns,
                                          const std::string& order_id, const std::string& side, double quantity,
                                          const std::string& order_type, double price,
                                          const nlohmann::json& market_state) {
    append_event(
        event_type::kOrderPlaced, symbol, timestamp_ns,
        {{"order_id", order_id}, {"side", side}, {"quantity", quantity}, {"order_type", order_type}, {"price", price}},
        nlohmann::json::object(), market_state);
}

void SessionRecorder::record_order_filled(const std::string& symbol, TimestampNs timestamp_ns,
                                          const std::string& order_id, const std::string& side, double quantity,
                                          double fill_price, double commission, const nlohmann::json& market_state) {
    append_event(event_type::kOrderFilled, symbol, timestamp_ns,
                 {{"order_id", order_id},
                  {"side", side},
                  {"quantity", quantity},
                  {"fill_price", fill_price},
                  {"commission", commission}},
                 nlohmann::json::object(), market_state);
}

void SessionRecorder::record_position_opened(const std::string& symbol, TimestampNs timestamp_ns, double entry_price,
                                             double quantity, const std::string& direction, double stop_loss,
                                             double take_profit, const nlohmann::json& market_state) {
    append_event(event_type::kPositionOpened, symbol, timestamp_ns,
                 {{"entry_price", entry_price},
                  {"quantity", quantity},
                  {"direction", direction},
                  {"stop_loss", stop_loss},
                  {"take_profit", take_profit}},
                 nlohmann::json::object(), market_state);
}

void SessionRecorder::record_position_closed(const std::string& symbol, TimestampNs timestamp_ns, double entry_price,
                                             double exit_price, double quantity, const std::string& direction,
                                             double pnl, double pnl_pct, const std::string& exit_reason,
                                             const nlohmann::json& market_state) {
    append_event(event_type::kPositionClosed, symbol, timestamp_ns,
                 {{"entry_price", entry_price},
                  {"exit_price", exit_price},
                  {"quantity", quantity},
                  {"direction", direction},
                  {"pnl", pnl},
                  {"pnl_pct", pnl_pct},
                  {"exit_reason", exit_reason}},
                 nlohmann::json::object(), market_state);
}

void SessionRecorder::record_scan_cycle(TimestampNs timestamp_ns, std::int64_t symbols_scanned,
                                        std::int64_t signals_found, const nlohmann::json& details) {
    append_event(event_type::kScanCycle, "", timestamp_ns,
                 {{"symbols_scanned", symbols_scanned}, {"signals_found", signals_found}, {"details", details}},
                 nlohmann::json::object(), nlohmann::json::object());
}

void SessionRecorder::record_event(const std::string& type, const std::string& symbol, TimestampNs timestamp_ns,
                                   const nlohmann::json& event_data, const nlohmann::json& decision_metadata,
                                   const nlohmann::json& market_state) {
    append_event(type, symbol, timestamp_ns, event_data, decision_metadata, market_state);
}

void SessionRecorder::record_event(const Event& event) {
    require_recording("record_event");
    if (event.type.empty()) throw UserError("record_event: the event type must not be empty");
    Event stored = event;
    stored.sequence = next_sequence_++;
    pending_events_.push_back(std::move(stored));
    ++info_.total_events_recorded;
    ++info_.event_counts[event.type];
    after_record();
}

void SessionRecorder::update_summary_stats(std::int64_t trades, double pnl, double win_rate) {
    info_.original_trades = trades;
    info_.original_pnl = pnl;
    info_.original_win_rate = win_rate;
}

void SessionRecorder::after_record() {
    ++pending_records_;
    if (flush_policy_.every_records != 0 && pending_records_ >= flush_policy_.every_records) {
        flush();
        return;
    }
    if (flush_policy_.every.count() != 0 && std::chrono::steady_clock::now() - last_flush_ >= flush_policy_.every)
        flush();
}

void SessionRecorder::flush() {
    if (!writer_) return;
    for (auto& buffer : buffers_) {
        SymbolBars& pending = buffer->pending;
        if (pending.size() == 0) continue;
        writer_->append_bars(pending);
        pending.timestamp_ns.clear();
        pending.open.clear();
        pending.high.clear();
        pending.low.clear();
        pending.close.clear();
        pending.volume.clear();
        pending.sequence.clear();
        for (auto& column : pending.indicators) column.values.clear();
    }
    writer_->append_events(pending_events_);
    events_written_ += pending_events_.size();
    pending_events_.clear();
    writer_->write_info(info_);
    writer_->flush();
    pending_records_ = 0;
    last_flush_ = std::chrono::steady_clock::now();
    if (is_recording()) write_sidecar();
}

// Written only after H5Fflush returned: the committed counts never run ahead of the file.
void SessionRecorder::write_sidecar() {
    CommittedRows committed;
    for (const auto& buffer : buffers_)
        committed.bars[buffer->pending.symbol] = writer_->symbol_rows(buffer->pending.symbol);
    committed.events = events_written_;
    write_live_status(path_, info_, committed);
}

void SessionRecorder::finish(RecordingStatus status) {
    info_.status = status;
    info_.recording_end_time_ns = now_ns();
    flush();
    writer_->close();
    writer_.reset();
    seal_recording(path_);
    remove_live_status(path_);
}

void SessionRecorder::stop_recording(const std::string& description, const std::vector<std::string>& tags) {
    require_recording("stop_recording");
    info_.description = description;
    info_.tags = tags;
    finish(RecordingStatus::kCompleted);
}

void SessionRecorder::mark_failed(const std::string& message) {
    require_recording("mark_failed");
    info_.error_message = message;
    finish(RecordingStatus::kFailed);
}

void SessionRecorder::mark_interrupted(const std::string& description) {
    require_recording("mark_interrupted");
    if (!description.empty()) info_.description = description;
    finish(RecordingStatus::kInterrupted);
}

RecordingInfo SessionRecorder::get_recording_info() const {
    return info_;
}

}  // namespace tapegrid
