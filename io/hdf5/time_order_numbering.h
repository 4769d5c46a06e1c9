// Numbering bars in time order across symbols on disk, for a writer that wrote symbol after symbol.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <string>
#include <vector>

namespace tapegrid {

// Rewrites the sequence column of every symbol in `symbols` (groups of `market_data`, each
// written whole) with the bars' places in time order across the symbols, ties going to the
// symbol named first: what make_imported_recording computes in memory, here a k-way merge over
// the timestamp columns read back `batch_rows` at a time, so memory holds two batches per symbol
// whatever the recording's size.
void number_bars_in_time_order(hid_t market_data, const std::vector<std::string>& symbols, std::size_t batch_rows,
                               const std::string& where);

}  // namespace tapegrid
