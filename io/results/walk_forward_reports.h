// A walk-forward's outputs: walkforward.json (every fold and the stitched record), folds.csv
// (a fold per row) and oos_equity.csv (the stitched out-of-sample equity curve).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/sweep/walk_forward_runner.h"

namespace tapegrid {

nlohmann::json walk_forward_json(const SweepSpec& spec, const WalkForwardOutcome& outcome);

// Writes the three files into `directory` (created; UserError when it holds a walk-forward's
// results and `overwrite` is false).
void write_walk_forward(const std::string& directory, const SweepSpec& spec, const WalkForwardOutcome& outcome,
                        bool overwrite);

// Refuses, before any work, a directory that holds a walk-forward's results unless `overwrite`.
void check_walk_forward_directory(const std::string& directory, bool overwrite);

}  // namespace tapegrid
