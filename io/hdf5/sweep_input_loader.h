// Loads the recordings a sweep names (bars only) and puts them side by side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sweep/sweep_input.h"
#include "engine/sweep/sweep_runner.h"

namespace tapegrid {

SweepInput load_sweep_input(const std::vector<std::string>& recording_paths);

// The spec's recordings, in memory or read a window at a time as choose_memory_path decides
// from their size, `limit` and `forced_window`; the choice goes into request.memory.
SweepInput open_sweep_input(const SweepSpec& spec, SweepRequest& request, std::uint64_t limit,
                            std::optional<std::uint64_t> forced_window);

}  // namespace tapegrid
