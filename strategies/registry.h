// The strategies tapegrid knows, found by name, and the one place a name becomes a strategy type.
// Adding a strategy: its header, and one line in RegisteredStrategies (docs/STRATEGIES.md).
#pragma once

#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/errors.h"
#include "strategies/breakout.h"
#include "strategies/ma_crossover.h"
#include "strategies/mean_reversion.h"
#include "strategies/momentum.h"
#include "strategies/strategy_contract.h"

namespace tapegrid {

template <class... Strategies>
struct StrategyList {};

// Every strategy's type, once; each is checked against the contract (strategy_contract.h) here.
using RegisteredStrategies = StrategyList<MeanReversion, Momentum, MaCrossover, Breakout>;

template <class... Strategies>
consteval bool contract_holds(StrategyList<Strategies...>) {
    return (check_strategy_contract<Strategies>() && ...);
}
static_assert(contract_holds(RegisteredStrategies{}));

// A strategy's description, built once from its declarations: its own parameters, then the common ones.
template <TradingStrategy Strategy>
const StrategyInfo& strategy_info() {
    static const StrategyInfo info = [] {
        StrategyInfo strategy{std::string(Strategy::kName), std::string(Strategy::kSummary), {}};
        strategy.params.assign(std::begin(Strategy::kParams), std::end(Strategy::kParams));
        strategy.params.insert(strategy.params.end(), std::begin(kCommonParams), std::end(kCommonParams));
        return strategy;
    }();
    return info;
}

// Every registered strategy, in registration order.
std::vector<const StrategyInfo*> all_strategies();

// Throws UserError listing the known strategies when `name` is not one.
const StrategyInfo& find_strategy(std::string_view name);

namespace detail {
template <class F, class First, class... Rest>
decltype(auto) dispatch_strategy(std::string_view name, F& f) {
    if (name == First::kName) return f(First{});
    if constexpr (sizeof...(Rest) > 0) {
        return dispatch_strategy<F, Rest...>(name, f);
    } else {
        find_strategy(name);  // throws the error that lists the known strategies
        throw InternalError("unreachable");
    }
}
template <class F, class... Strategies>
decltype(auto) dispatch_registered(std::string_view name, F& f, StrategyList<Strategies...>) {
    return dispatch_strategy<F, Strategies...>(name, f);
}
}  // namespace detail

// Calls f(Strategy{}) with the registered strategy type named `name`.
template <class F>
decltype(auto) with_strategy(std::string_view name, F&& f) {
    return detail::dispatch_registered(name, f, RegisteredStrategies{});
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
