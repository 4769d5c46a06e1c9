// A strategy's parameter grid: axes of values, never materialised; combination i is computed on demand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/params.h"
#include "engine/sweep/expression.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct GridAxis {
    std::size_t param = 0;       // index into the strategy's parameters
    std::vector<double> values;  // each checked against the parameter's spec
};

class ParameterGrid {
  public:
    // Axes are reordered so that parameters that shape indicator series come first (outermost):
    // combinations that share series are then contiguous, and form the sweep's groups.
    ParameterGrid(const StrategyInfo& strategy, ParamSet base, std::vector<GridAxis> axes,
                  std::vector<Condition> constraints);

    // The product of the axes' sizes, constraints not applied.
    std::uint64_t size() const { return size_; }
    // Combination `index` (the last axis varies fastest).
    ParamSet at(std::uint64_t index) const;
    void fill(std::uint64_t index, ParamSet& params) const;
    // The index of the combination equal to `params`, or nothing when the grid does not hold it.
    std::optional<std::uint64_t> index_of(const ParamSet& params) const;
    // Whether every constraint holds for these values.
    bool admits(const ParamSet& params) const;
    // The index of the combination of the shaping axes only (equal for combinations that share series).
    std::uint64_t shaping_index(std::uint64_t index) const { return index / inner_size_; }
    // How many combinations share one combination of the shaping axes (the first has index
    // shaping_index * inner_size()).
    std::uint64_t inner_size() const { return inner_size_; }

    const StrategyInfo& strategy() const { return *strategy_; }
    const ParamSet& base() const { return base_; }
    const std::vector<GridAxis>& axes() const { return axes_; }
    const std::vector<Condition>& constraints() const { return constraints_; }

  private:
    const StrategyInfo* strategy_;
    ParamSet base_;
    std::vector<GridAxis> axes_;
    std::vector<Condition> constraints_;
    std::uint64_t size_ = 1;
    std::uint64_t inner_size_ = 1;  // combinations per shaping-axes combination
};

}  // namespace tapegrid
