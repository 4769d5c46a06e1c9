// How a replay differs from what really happened: totals, and trade by trade, signal by signal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/recording.h"
#include "engine/core/trade.h"
#include "engine/replay/replay_result.h"

namespace tapegrid {

// The recorded session's trades, rebuilt from its POSITION_OPENED / POSITION_CLOSED events
// (a position still open at the end of the recording has no exit and is left out).
std::vector<Trade> trades_from_events(const std::vector<Event>& events);

enum class DiffStatus { kSame, kChanged, kOnlyOriginal, kOnlyReplay };
std::string_view to_string(DiffStatus status);

// One trade, matched by symbol and entry time.
struct TradeDiff {
    DiffStatus status = DiffStatus::kSame;
    std::string symbol;
    TimestampNs entry_time_ns = 0;
    std::optional<Trade> original;
    std::optional<Trade> replay;
    std::vector<std::string>
        changed_fields;  // direction, exit_time, entry_price, exit_price, quantity, pnl, exit_reason
};

// One entry signal, matched by symbol and time.
struct SignalDiff {
    DiffStatus status = DiffStatus::kSame;
    std::string symbol;
    TimestampNs time_ns = 0;
    std::string original_direction;  // LONG, SHORT, or what the recording said
    std::string replay_direction;
};

struct Comparison {
    std::int64_t original_trades = 0, replay_trades = 0, trades_diff = 0;
    double original_pnl = 0, replay_pnl = 0, pnl_diff = 0;
    double original_win_rate = 0, replay_win_rate = 0, win_rate_diff = 0;
    bool original_events_recorded = false;  // false: the recording has no trade events to match
    std::vector<TradeDiff> trades;          // every trade of either side, by entry time
    std::vector<SignalDiff> signals;        // every signal of either side, by time
    std::size_t count(DiffStatus status) const;
    std::size_t count_signals(DiffStatus status) const;
};

Comparison compare_with_original(const RecordingInfo& info, const std::vector<Event>& events,
                                 const ReplayResult& replay);

}  // namespace tapegrid
