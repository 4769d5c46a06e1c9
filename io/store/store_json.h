// The store's answers as JSON, with the original API's field names: one builder per answer, shared
// by `tapegrid recordings ... --json` and `tapegrid serve`, so both give the same shapes.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "engine/core/event.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/store/recording_store.h"

namespace tapegrid {

// A listed recording: its metadata and path, or its path and why it could not be read.
nlohmann::json stored_recording_json(const StoredRecording& stored);

// Replay summaries, oldest first: replay_id, strategy_name, created_at, description,
// modified_parameters (an object), total_trades, total_pnl, win_rate, max_drawdown,
// sharpe_ratio, trades_diff, pnl_diff.
nlohmann::json replay_summaries_json(const std::vector<ReplaySummary>& replays);

// One recorded event: sequence, timestamp, event_type, symbol, and event_data, decision_metadata
// and market_state as objects. `where` names the file in an error about its JSON text.
nlohmann::json event_json(const Event& event, const std::string& where);

// A page: success, total (matching rows over all pages), count, offset, limit, and the rows
// under "events" / "market_data".
nlohmann::json event_page_json(const EventPage& page, const EventQuery& query, const std::string& where);
nlohmann::json bar_page_json(const BarPage& page, const BarQuery& query);

// The recording an instance is writing, from its live sidecar: its metadata, path, the writer's
// pid and host, and the time of its last flush.
nlohmann::json active_recording_json(const ActiveRecording& active);

}  // namespace tapegrid
