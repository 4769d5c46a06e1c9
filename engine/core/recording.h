// A whole recording in memory: its metadata, its bars per symbol and its events.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"
#include "engine/core/recording_status.h"
#include "engine/core/timestamp.h"

namespace tapegrid {

// The recording's metadata, with the field names of the original system's RecordedSession.
struct RecordingInfo {
    int format_version = 0;
    std::string recording_id;  // UUID
    std::string session_id;
    std::int64_t instance_id = 0;
    std::string strategy_name;
    std::string original_parameters = "{}";  // JSON object text
    std::vector<std::string> symbols;
    RecordingStatus status = RecordingStatus::kRecording;
    TimestampNs recording_start_time_ns = 0;
    TimestampNs recording_end_time_ns = 0;  // 0 while recording
    std::string description;
    std::vector<std::string> tags;
    std::int64_t total_bars_recorded = 0;
    std::int64_t total_events_recorded = 0;
    std::map<std::string, std::int64_t> event_counts;
    std::int64_t original_trades = 0;
    double original_pnl = 0.0;
    double original_win_rate = 0.0;
    std::string error_message;  // why a recording failed
    std::string created_by;     // "tapegrid 0.1.0", or the writing program's name

    bool operator==(const RecordingInfo&) const = default;
};

struct Recording {
    RecordingInfo info;
    std::vector<SymbolBars> bars;  // one entry per symbol, in info.symbols order
    std::vector<Event> events;     // in sequence order

    const SymbolBars* find_symbol(const std::string& symbol) const {
        for (const auto& symbol_bars : bars)
            if (symbol_bars.symbol == symbol) return &symbol_bars;
        return nullptr;
    }
};

}  // namespace tapegrid
