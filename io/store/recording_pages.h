// Pages of a recording already in memory, exactly as read_events and read_bars
// (io/hdf5/recording_reader.h) give them from its file: the same filters, order and totals.
// `tapegrid serve` keeps recordings loaded and answers from these, with no file access.
#pragma once

#include <string>

#include "engine/core/recording.h"
#include "io/hdf5/recording_reader.h"

namespace tapegrid {

EventPage page_events(const Recording& recording, const EventQuery& query);

// UserError naming `where` for a symbol the recording does not have.
BarPage page_bars(const Recording& recording, const BarQuery& query, const std::string& where);

}  // namespace tapegrid
