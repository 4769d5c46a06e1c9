// Planning a sweep.
#include "engine/sweep/sweep_plan.h"

#include <algorithm>
#include <optional>
#include <set>

#include "strategies/registry.h"

namespace tapegrid {

void cut_tasks(SweepPlan& plan, std::size_t blocks_per_task) {
    plan.tasks.clear();
    std::uint64_t row = 0;
    const std::size_t per_task = kSweepLanes * std::max<std::size_t>(1, blocks_per_task);
    for (std::size_t g = 0; g < plan.groups.size(); ++g) {
        const std::size_t size = plan.groups[g].combinations.size();
        for (std::size_t first = 0; first < size; first += per_task) {
            const std::size_t count = std::min(per_task, size - first);
            plan.tasks.push_back({plan.tasks.size(), g, first, count, row});
            row += count;
        }
    }
}

namespace {

// Plans the combinations `next` hands out (in ascending grid order, until it returns nothing):
// those that pass the constraints and the strategy's rules, grouped by their shaping axes.
template <class Next>
SweepPlan plan_walk(const ParameterGrid& grid, const ReplayData& data, std::size_t blocks_per_task, Next&& next) {
    SweepPlan plan;
    plan.grid_size = grid.size();
    plan.bars = data.total_bars;
    with_strategy(grid.strategy().name, [&](auto tag) {
        using Strategy = decltype(tag);
        ParamSet params = grid.base();
        std::uint64_t current_shaping = UINT64_MAX;
        std::size_t longest_warm_up = 0;
        std::set<IndicatorKey> distinct;
        while (const std::optional<std::uint64_t> next_index = next()) {
            const std::uint64_t index = *next_index;
            grid.fill(index, params);
            if (!grid.admits(params)) {
                ++plan.dropped_by_constraints;
                continue;
            }
            if constexpr (HasParameterRules<Strategy>) {
                if (const auto problem = Strategy::check(params)) {
                    if (plan.dropped_by_rules++ == 0) plan.rule_example = *problem;
                    continue;
                }
            }
            const std::uint64_t shaping = grid.shaping_index(index);
            if (const std::size_t bars = Strategy::first_signal_bar(params); bars >= longest_warm_up) {
                longest_warm_up = bars;
                plan.longest_warm_up_combination = index;
            }
            if (shaping != current_shaping) {
                current_shaping = shaping;
                SweepGroup group;
                for (const auto& key : Strategy::indicators(params)) {
                    group.keys.push_back(key);
                    distinct.insert(key);
                }
                plan.groups.push_back(std::move(group));
            }
            plan.groups.back().combinations.push_back(index);
        }
        plan.distinct_series.assign(distinct.begin(), distinct.end());
    });
    for (const auto& group : plan.groups) plan.combinations += group.combinations.size();
    plan.bar_evaluations = plan.combinations * plan.bars;
    cut_tasks(plan, blocks_per_task);
    plan.estimated_memory_bytes = estimate_memory_bytes(plan);
    return plan;
}

}  // namespace

SweepPlan plan_sweep(const ParameterGrid& grid, const ReplayData& data, std::size_t blocks_per_task) {
    std::uint64_t index = 0;
    return plan_walk(grid, data, blocks_per_task, [&]() -> std::optional<std::uint64_t> {
        if (index == grid.size()) return std::nullopt;
        return index++;
    });
}

SweepPlan plan_combinations(const ParameterGrid& grid, const ReplayData& data, std::span<const std::uint64_t> sorted,
                            std::size_t blocks_per_task) {
    std::size_t position = 0;
    return plan_walk(grid, data, blocks_per_task, [&]() -> std::optional<std::uint64_t> {
        if (position == sorted.size()) return std::nullopt;
        return sorted[position++];
    });
}

bool runnable(const ParameterGrid& grid, std::uint64_t index, ParamSet& scratch) {
    grid.fill(index, scratch);
    if (!grid.admits(scratch)) return false;
    return with_strategy(grid.strategy().name, [&](auto tag) {
        using Strategy = decltype(tag);
        if constexpr (HasParameterRules<Strategy>) return !Strategy::check(scratch).has_value();
        return true;
    });
}

std::uint64_t estimate_memory_bytes(const SweepPlan& plan) {
    // Every distinct series for every bar (a conservative peak: series are freed as their last
    // task ends), the group lists, and each running task's lane blocks and scratch.
    const std::uint64_t series_bytes = plan.distinct_series.size() * plan.bars * sizeof(double);
    return series_bytes + plan.combinations * sizeof(std::uint64_t) + plan.bars * 8 * sizeof(double) +
           (std::uint64_t{64} << 20);
}

}  // namespace tapegrid
