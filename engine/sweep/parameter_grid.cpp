// The parameter grid.
#include "engine/sweep/parameter_grid.h"

#include <algorithm>

#include "engine/core/errors.h"

namespace tapegrid {

ParameterGrid::ParameterGrid(const StrategyInfo& strategy, ParamSet base, std::vector<GridAxis> axes,
                             std::vector<Condition> constraints)
    : strategy_(&strategy), base_(std::move(base)), axes_(std::move(axes)), constraints_(std::move(constraints)) {
    std::stable_sort(axes_.begin(), axes_.end(), [&](const GridAxis& a, const GridAxis& b) {
        const bool a_shapes = strategy.params[a.param].shapes_indicators;
        const bool b_shapes = strategy.params[b.param].shapes_indicators;
        if (a_shapes != b_shapes) return a_shapes;
        return a.param < b.param;
    });
    for (const auto& axis : axes_) {
        if (axis.values.empty()) throw InternalError("grid axis without values");
        if (size_ > UINT64_MAX / axis.values.size()) throw UserError("the grid has more than 2^64 combinations");
        size_ *= axis.values.size();
        if (!strategy.params[axis.param].shapes_indicators) inner_size_ *= axis.values.size();
    }
}

void ParameterGrid::fill(std::uint64_t index, ParamSet& params) const {
    params = base_;
    for (std::size_t a = axes_.size(); a-- > 0;) {
        const GridAxis& axis = axes_[a];
        params.values[axis.param] = axis.values[index % axis.values.size()];
        index /= axis.values.size();
    }
}

ParamSet ParameterGrid::at(std::uint64_t index) const {
    ParamSet params;
    fill(index, params);
    return params;
}

std::optional<std::uint64_t> ParameterGrid::index_of(const ParamSet& params) const {
    std::uint64_t index = 0;
    for (const auto& axis : axes_) {
        const auto found = std::find(axis.values.begin(), axis.values.end(), params.values[axis.param]);
        if (found == axis.values.end()) return std::nullopt;
        index = index * axis.values.size() + static_cast<std::uint64_t>(found - axis.values.begin());
    }
    // The values off the axes must be the base's.
    if (at(index) != params) return std::nullopt;
    return index;
}

bool ParameterGrid::admits(const ParamSet& params) const {
    for (const auto& constraint : constraints_) {
        const auto holds = constraint.check(params.values.data());
        if (!holds) {
            // Keeping or dropping every such combination would both be a silent guess.
            std::string values;
            for (const std::size_t variable : constraint.variables())
                values += (values.empty() ? "" : ", ") + std::string(strategy_->params[variable].name) + "=" +
                          strategy_->params[variable].format(params.values[variable]);
            throw UserError("constraint '" + constraint.text() + "' is undefined (a division by zero) at " + values +
                            "; write it without the division (a / c < b as a < b * c, where c > 0)");
        }
        if (!*holds) return false;
    }
    return true;
}

}  // namespace tapegrid
