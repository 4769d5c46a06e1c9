// The [grid] table and sweep.constraints: which parameter sets of the strategy a sweep runs.
#pragma once

#include <toml++/toml.h>

#include <memory>

#include "engine/sweep/parameter_grid.h"
#include "io/config/config_reader.h"
#include "strategies/strategy.h"

namespace tapegrid {

// Reads `grid`: every key a parameter of `strategy`; a list or a range is an axis, a single
// value fixes the parameter. `constraints` (sweep.constraints, or null) are conditions over the
// parameters that each combination must meet. Fails on the first bad key or value.
std::unique_ptr<ParameterGrid> read_grid(const ConfigReader& config, const toml::table& grid,
                                         const toml::node* constraints, const StrategyInfo& strategy);

}  // namespace tapegrid
