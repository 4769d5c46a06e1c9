// Sweep config files (TOML): parsed and validated before any work, every error with its file, line and key.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/sweep_spec.h"

namespace tapegrid {

// Reads `path`, applies `overrides` ("rank.by=total_pnl", "grid.bb_std=[1.5, 2.0]": a dotted key
// and a TOML value), and checks everything: unknown keys, the strategy and its parameters,
// empty, inverted or non-integer ranges, values out of a parameter's range, duplicates,
// constraints and filters, metric names. Recordings are resolved (paths and globs relative to
// the config file's directory, or recording ids in `store_directory`). Throws UserError as
// "file:line: key: what was expected, what was found".
SweepSpec load_sweep_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides,
                            const std::string& store_directory);

// The values a range table gives (exposed for tests): {start, stop, step} with stop included
// when reached, or {start, stop, num[, log]}; values are rounded to 12 significant digits so
// that 0.1 steps give 0.3, not 0.30000000000000004.
std::vector<double> range_values(double start, double stop, double step);
std::vector<double> spaced_values(double start, double stop, std::int64_t num, bool log);

}  // namespace tapegrid
