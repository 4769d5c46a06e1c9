// A sweep, as a config file describes it once validated: recordings, strategy, grid, ranking, output.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/sweep/overfitting_report.h"
#include "engine/sweep/parameter_grid.h"
#include "engine/sweep/ranking.h"
#include "engine/sweep/search_spec.h"
#include "engine/sweep/walk_forward_folds.h"

namespace tapegrid {

struct SweepSpec {
    std::string name;
    std::string config_path;              // where it came from, for messages and the copy in the output
    std::string config_text;              // the effective config (after --set), as TOML
    std::vector<std::string> recordings;  // resolved file paths
    std::string strategy;
    std::unique_ptr<ParameterGrid> grid;
    RankSpec rank;
    std::optional<double> periods_per_year;
    std::string output_directory;
    std::uint64_t max_combinations = 100'000;  // a bigger grid needs --force
    OverfittingSpec overfitting;
    SearchSpec search;
    // [walk_forward], when the config has one; `walk_forward_where` is its "file:line" for messages.
    std::optional<WalkForwardSpec> walk_forward;
    std::string walk_forward_where;
};

}  // namespace tapegrid
