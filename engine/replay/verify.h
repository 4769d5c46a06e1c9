// `replay --verify`: does a replay with the original parameters reproduce the recorded session exactly?
#pragma once

#include <optional>
#include <string>
#include <vector>

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
    // A recording that ended before its session did (status interrupted, failed or still
    // recording: stopped, killed, crashed) is checked up to where it ends:
    bool ended_early = false;
    std::size_t events_after_end = 0;  // the replay's events at a symbol's last recorded bar that the recording lacks
    // Positions open when the recording ended: their close is not in it (cut off, or the session
    // never got to the end of its data), or came only from the end of the data. As the replay
    // closes them.
    std::vector<Trade> open_at_end;
    bool ok() const { return !first_divergence.has_value(); }
};

// Rebuilds, from the replay's trades, the events a live session would have recorded
// (engine/replay/trade_events.h) and compares them with the recording's SIGNAL_DETECTED,
// ORDER_PLACED, ORDER_FILLED, POSITION_OPENED and POSITION_CLOSED events, symbol by symbol:
// same type, same bar, and every event_data field equal (prices and quantities to the bit).
// For a recording that ended early, the events the replay produces after the last recorded one
// of a symbol are expected to be missing only at that symbol's last recorded bar: the events of
// the bar being written when the session died, and the end_of_data closes it never reached.
VerifyReport verify_replay(const Recording& recording, const ReplayResult& replay);

}  // namespace tapegrid
