// A recorded event: a signal, an order, a fill, a position change, or any type the caller names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/timestamp.h"

namespace tapegrid {

// The event types the recorder and the replay know by name; callers may add their own.
namespace event_type {
inline constexpr std::string_view kSignalDetected = "SIGNAL_DETECTED";
inline constexpr std::string_view kOrderPlaced = "ORDER_PLACED";
inline constexpr std::string_view kOrderFilled = "ORDER_FILLED";
inline constexpr std::string_view kPositionOpened = "POSITION_OPENED";
inline constexpr std::string_view kPositionClosed = "POSITION_CLOSED";
inline constexpr std::string_view kScanCycle = "SCAN_CYCLE";
inline constexpr std::string_view kError = "ERROR";
}  // namespace event_type

// event_data, decision_metadata and market_state hold JSON text (an object, or "{}").
struct Event {
    std::int64_t sequence = 0;
    TimestampNs timestamp_ns = 0;
    std::string type;
    std::string symbol;
    std::string event_data = "{}";
    std::string decision_metadata = "{}";
    std::string market_state = "{}";

    bool operator==(const Event&) const = default;
};

}  // namespace tapegrid
