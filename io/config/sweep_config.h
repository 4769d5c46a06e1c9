// Sweep config files (TOML): parsed and validated before any work, every error with its file, line and key.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/sweep_spec.h"
#include "io/config/grid_ranges.h"  // range_values, spaced_values, part of this header's API

namespace tapegrid {

// Reads `path`, applies `overrides` ("rank.by=total_pnl", "grid.bb_std=[1.5, 2.0]": a dotted key
// and a TOML value), and checks everything: unknown keys, the strategy and its parameters,
// empty, inverted or non-integer ranges, values out of a parameter's range, duplicates,
// constraints and filters, metric names. Recordings are resolved (paths and globs relative to
// the config file's directory, or recording ids in `store_directory`). Throws UserError as
// "file:line: key: what was expected, what was found".
SweepSpec load_sweep_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides,
                            const std::string& store_directory);

}  // namespace tapegrid
