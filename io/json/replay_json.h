// A replay's outcome as JSON, with the field names of the original API (docs/REPLAY.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/core/recording.h"
#include "engine/replay/session_replayer.h"
#include "strategies/strategy.h"

namespace tapegrid {

// Parameter values typed as the spec says: numbers, booleans, choice names.
nlohmann::json params_to_json(const StrategyInfo& strategy, const ParamSet& params);

nlohmann::json trade_to_json(const Trade& trade);

// Every field of a replay: identity, parameters, metrics, positions and the comparison.
// `replay_id` and `description` may be empty (not saved).
nlohmann::json replay_to_json(const ReplayOutcome& outcome, const RecordingInfo& recording,
                              const std::string& replay_id, const std::string& description, TimestampNs created_at_ns);

// profit_factor is +inf when there are profits and no losses: JSON has no infinity, so it
// is written as null.
nlohmann::json finite_or_null(double value);

}  // namespace tapegrid
