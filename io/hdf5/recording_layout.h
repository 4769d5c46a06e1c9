// Names and numbers of the HDF5 recording layout; docs/FORMAT.md describes the same layout.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tapegrid::layout {

// Bump on any change a reader of an older version could misread.
inline constexpr std::int64_t kFormatVersion = 1;

inline constexpr const char* kMarketDataGroup = "market_data";
inline constexpr const char* kIndicatorsGroup = "indicators";
inline constexpr const char* kEventsGroup = "events";
inline constexpr const char* kReplaysGroup = "replays";

// Bar columns, in the order FORMAT.md lists them.
inline constexpr const char* kTimestamp = "timestamp";
inline constexpr const char* kOpen = "open";
inline constexpr const char* kHigh = "high";
inline constexpr const char* kLow = "low";
inline constexpr const char* kClose = "close";
inline constexpr const char* kVolume = "volume";
inline constexpr const char* kSequence = "sequence";

// Event columns.
inline constexpr const char* kEventSequence = "sequence";
inline constexpr const char* kEventTimestamp = "timestamp";
inline constexpr const char* kEventType = "type";
inline constexpr const char* kEventSymbol = "symbol";
inline constexpr const char* kEventData = "event_data";
inline constexpr const char* kDecisionMetadata = "decision_metadata";
inline constexpr const char* kMarketState = "market_state";

// Root attributes (the recording's metadata).
namespace attr {
inline constexpr const char* kFormatVersion = "format_version";
inline constexpr const char* kRecordingId = "recording_id";
inline constexpr const char* kSessionId = "session_id";
inline constexpr const char* kInstanceId = "instance_id";
inline constexpr const char* kStrategyName = "strategy_name";
inline constexpr const char* kOriginalParameters = "original_parameters";
inline constexpr const char* kSymbols = "symbols";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kStartTime = "recording_start_time_ns";
inline constexpr const char* kEndTime = "recording_end_time_ns";
inline constexpr const char* kDescription = "description";
inline constexpr const char* kTags = "tags";
inline constexpr const char* kTotalBars = "total_bars_recorded";
inline constexpr const char* kTotalEvents = "total_events_recorded";
inline constexpr const char* kEventCountTypes = "event_count_types";
inline constexpr const char* kEventCountValues = "event_count_values";
inline constexpr const char* kOriginalTrades = "original_trades";
inline constexpr const char* kOriginalPnl = "original_pnl";
inline constexpr const char* kOriginalWinRate = "original_win_rate";
inline constexpr const char* kErrorMessage = "error_message";
inline constexpr const char* kCreatedBy = "created_by";
}  // namespace attr

// Rows per chunk. Bars: 8192 rows (64 KiB per float64 column) keeps small recordings small
// and large ones readable at disk speed; events are rarer and carry JSON.
inline constexpr std::size_t kBarChunkRows = 8192;
inline constexpr std::size_t kEventChunkRows = 1024;

// Symbols and indicator names become HDF5 link names; io/validation/name_validation.h says which
// names are accepted.

// The suffix of the sidecar file a live recorder keeps beside the recording.
inline constexpr std::string_view kLiveSuffix = ".live";

}  // namespace tapegrid::layout
