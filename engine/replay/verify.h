// `replay --verify`: does a replay with the original parameters reproduce the recorded session exactly?
#pragma once

#include <optional>
#include <string>

#include "engine/core/recording.h"
#include "engine/replay/replay_result.h"

namespace tapegrid {

struct Divergence {
    std::string symbol;
    TimestampNs time_ns = 0;
    std::string what;  // "SIGNAL_DETECTED.entry_price", "an extra POSITION_OPENED in the recording", ...
    std::string recorded;
    std::string replayed;
};

struct VerifyReport {
    std::size_t events_checked = 0;
    std::size_t trades_replayed = 0;
    std::optional<Divergence> first_divergence;  // the earliest in time
    bool ok() const { return !first_divergence.has_value(); }
};

// Rebuilds, from the replay's trades, the events a live session would have recorded
// (engine/replay/trade_events.h) and compares them with the recording's SIGNAL_DETECTED,
// ORDER_PLACED, ORDER_FILLED, POSITION_OPENED and POSITION_CLOSED events, symbol by symbol:
// same type, same bar, and every event_data field equal (prices and quantities to the bit).
VerifyReport verify_replay(const Recording& recording, const ReplayResult& replay);

}  // namespace tapegrid
