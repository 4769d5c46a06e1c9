// How a sweep splits into work: groups of combinations that share indicator series, and tasks.
//
// A task is a pure function of the grid, the recordings and its index: tasks can run in any
// order, on any thread (or, later, any process), and their rows are written in task order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/indicators/indicator_key.h"
#include "engine/replay/replay_data.h"
#include "engine/sweep/parameter_grid.h"

namespace tapegrid {

// Combinations that read the same indicator series, in grid order.
struct SweepGroup {
    std::vector<IndicatorKey> keys;
    std::vector<std::uint64_t> combinations;  // grid indices
};

struct SweepTask {
    std::size_t index = 0;
    std::size_t group = 0;
    std::size_t first = 0;  // position of its first combination in the group
    std::size_t count = 0;
    std::uint64_t first_row = 0;  // its first row in the output table
};

struct SweepPlan {
    std::uint64_t grid_size = 0;     // the product of the axes
    std::uint64_t combinations = 0;  // what will run
    std::uint64_t dropped_by_constraints = 0;
    std::uint64_t dropped_by_rules = 0;  // e.g. ma_crossover with fast_period >= slow_period
    std::string rule_example;            // the first rule that dropped one
    std::uint64_t bars = 0;              // all symbols' bars, per combination
    std::uint64_t bar_evaluations = 0;   // bars x combinations
    std::vector<IndicatorKey> distinct_series;
    std::vector<SweepGroup> groups;
    std::vector<SweepTask> tasks;
    std::uint64_t estimated_memory_bytes = 0;
    std::uint64_t longest_warm_up_combination = 0;  // the grid index whose warm-up is the longest
};

// The plan's block of combinations: the widest lane count any target runs (AVX-512). A
// narrower target runs each block as several kernels of kNativeLanes (engine/core/lanes.h), so
// plans, tasks and shard cuts are the same on every machine.
inline constexpr std::size_t kSweepLanes = 8;

// Walks the grid once (never storing a combination's values), keeps those that pass the
// constraints and the strategy's own rules, groups them, and cuts each group into tasks of up
// to `blocks_per_task` blocks of kSweepLanes lanes.
SweepPlan plan_sweep(const ParameterGrid& grid, const ReplayData& data, std::size_t blocks_per_task);

// The same for the combinations `sorted` lists (ascending grid indices): a search's batch.
SweepPlan plan_combinations(const ParameterGrid& grid, const ReplayData& data, std::span<const std::uint64_t> sorted,
                            std::size_t blocks_per_task);

// Whether combination `index` passes the constraints and the strategy's rules (`scratch` receives its values).
bool runnable(const ParameterGrid& grid, std::uint64_t index, ParamSet& scratch);

// What the plan's groups, series and running tasks take in memory (a conservative peak).
std::uint64_t estimate_memory_bytes(const SweepPlan& plan);

// Cuts the plan's groups into tasks of up to `blocks_per_task` blocks again (the groups stay).
void cut_tasks(SweepPlan& plan, std::size_t blocks_per_task);

}  // namespace tapegrid
