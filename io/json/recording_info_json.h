// RecordingInfo to and from JSON, with the field names of the original system's API.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/core/recording.h"

namespace tapegrid {

// recording_id, session_id, instance_id, strategy_name, original_parameters (an object),
// symbols, status, recording_start_time / recording_end_time (ISO 8601, null when unset),
// description, tags, total_bars_recorded, total_events_recorded, event_counts,
// original_trades, original_pnl, original_win_rate, error_message, format_version, created_by.
nlohmann::json recording_info_to_json(const RecordingInfo& info);

// The inverse; throws UserError naming `where` and the field when a field is missing or mistyped.
RecordingInfo recording_info_from_json(const nlohmann::json& json, const std::string& where);

// Parses JSON text that must be an object; throws UserError naming `where` otherwise.
nlohmann::json parse_json_object(const std::string& text, const std::string& where);

}  // namespace tapegrid
