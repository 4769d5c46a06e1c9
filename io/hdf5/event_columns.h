// The /events columns of a recording opened for reading, read a range of rows at a time.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/core/event.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"

namespace tapegrid {

struct EventColumns {
    h5::Handle group, sequence, timestamp;
    h5::StringColumn type, symbol, event_data, decision_metadata, market_state;
    std::size_t rows = 0;
};

// Opens every event column; throws UserError naming the file and column when one is missing or
// their lengths differ.
EventColumns open_event_columns(hid_t file, const std::string& path);

// Reads the rows [first, first + count) of every event column into events.
std::vector<Event> read_event_rows(const EventColumns& columns, std::size_t first, std::size_t count,
                                   const std::string& path);

}  // namespace tapegrid
