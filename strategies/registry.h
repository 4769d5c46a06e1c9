// The strategies tapegrid knows, found by name, and a dispatch from a name to the strategy's type.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/errors.h"
#include "strategies/ma_crossover.h"
#include "strategies/mean_reversion.h"
#include "strategies/momentum.h"

namespace tapegrid {

std::vector<const StrategyInfo*> all_strategies();

// Throws UserError listing the known strategies when `name` is not one.
const StrategyInfo& find_strategy(const std::string& name);

// Calls f(Strategy{}) with the strategy type named `name`: the one place a name becomes a type.
template <class F>
decltype(auto) with_strategy(const std::string& name, F&& f) {
    if (name == MeanReversion::kName) return f(MeanReversion{});
    if (name == Momentum::kName) return f(Momentum{});
    if (name == MaCrossover::kName) return f(MaCrossover{});
    find_strategy(name);  // throws the error that lists the known strategies
    throw InternalError("unreachable");
}

// Checks every value against its spec, then the rules between parameters; throws UserError.
void check_params(const StrategyInfo& strategy, const ParamSet& params);

// A parameter set from name=value overrides on top of `base`; an unknown name or a bad value
// is a UserError naming `source` (e.g. "--set" or "original_parameters") and what is valid.
ParamSet apply_overrides(const StrategyInfo& strategy, ParamSet base,
                         const std::vector<std::pair<std::string, std::string>>& overrides, const std::string& source);

// name=value pairs of every parameter, in declaration order ("bb_period=20").
std::vector<std::pair<std::string, std::string>> describe_params(const StrategyInfo& strategy, const ParamSet& params);

}  // namespace tapegrid
