// How recordings look on the terminal: shared by the `recordings` subcommands.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/cli/table.h"
#include "engine/core/recording.h"

namespace tapegrid::cli {

// "2024-01-02 14:31:00" (UTC, seconds), "-" for 0.
std::string short_time(TimestampNs timestamp_ns);

// One line per recording: id, status, strategy, instance, start, symbols, bars, events, trades, pnl.
Table recordings_table();
void add_recording_row(Table& table, const RecordingInfo& info, const std::string& path);

// The whole metadata block of `recordings show`.
void print_recording(std::ostream& out, const RecordingInfo& info, const std::string& path);

}  // namespace tapegrid::cli
