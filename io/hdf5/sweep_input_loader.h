// Loads the recordings a sweep names (bars only) and puts them side by side.
#pragma once

#include <string>
#include <vector>

#include "engine/sweep/sweep_input.h"

namespace tapegrid {

SweepInput load_sweep_input(const std::vector<std::string>& recording_paths);

}  // namespace tapegrid
