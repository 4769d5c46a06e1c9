// Replays stored inside their recording's file, under /replays/<replay_id> (docs/FORMAT.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/replay/session_replayer.h"

namespace tapegrid {

struct ReplaySummary {
    std::string replay_id;
    std::string strategy_name;
    TimestampNs created_at_ns = 0;
    std::string description;
    std::string modified_parameters;  // JSON object text
    std::int64_t total_trades = 0;
    double total_pnl = 0.0;
    double win_rate = 0.0;
    double max_drawdown = 0.0;
    double sharpe_ratio = 0.0;
    std::int64_t trades_diff = 0;
    double pnl_diff = 0.0;
};

// Adds the replay to the recording and returns its replay_id. The recorded data is never
// touched: the file is copied, the replay added to the copy, the copy sealed and renamed over
// the original, so a crash at any point leaves the original whole. Refuses a recording still
// being written or interrupted and not yet recovered.
std::string save_replay(const std::string& recording_path, const ReplayOutcome& outcome,
                        const std::string& description);

// The replays of a recording, oldest first (metadata only).
std::vector<ReplaySummary> list_replays(const std::string& recording_path);

// One stored replay, as `tapegrid replay --json` printed it; UserError when there is none.
nlohmann::json read_replay(const std::string& recording_path, const std::string& replay_id);

}  // namespace tapegrid
