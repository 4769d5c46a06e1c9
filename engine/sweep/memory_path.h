// Whether a sweep holds its recordings in memory or reads them a window at a time, and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/sweep/sweep_spec.h"

namespace tapegrid {

// What the recordings hold, from their metadata (io/hdf5/recording_windows.h measures it).
struct InputSize {
    std::size_t symbols = 0;
    std::uint64_t bars = 0;
    std::uint64_t column_bytes = 0;  // every column as a whole recording in memory holds it
};

struct MemoryPath {
    bool windowed = false;
    std::uint64_t window_timestamps = 0;  // when windowed
    std::uint64_t limit_bytes = 0;
    std::uint64_t in_memory_bytes = 0;  // what holding the recordings and their series would take
    std::string reason;                 // a line for the plan
};

// The default --memory-limit: half of the machine's memory (the rest for the system, the page
// cache and other jobs); 8 GiB when the system does not say.
std::uint64_t default_memory_limit();

// In memory when the recordings' columns, their timeline and the indicator series a run keeps
// live at once (those of the tasks in flight, at most every distinct one) fit in `limit`;
// else windows sized so that their bars and every series of the grid fit in half of it (the
// rest for HDF5's chunk caches, 1 MiB per open column, the top rows' trades, the lane state and
// the allocator: measured, a window's peak is about 1.4 times its bars and series). `forced_window`
// (--window-timestamps) reads windows of that length whatever the size.
MemoryPath choose_memory_path(const SweepSpec& spec, const InputSize& input, std::size_t threads, std::uint64_t limit,
                              std::optional<std::uint64_t> forced_window);

// "8G", "512M", "1.5GiB", "1000000000": bytes; UserError naming `option` otherwise.
std::uint64_t parse_byte_size(const std::string& text, const std::string& option);

}  // namespace tapegrid
