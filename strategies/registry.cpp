// The strategy registry.
#include "strategies/registry.h"

#include <fmt/format.h>

namespace tapegrid {

namespace {
template <class... Strategies>
std::vector<const StrategyInfo*> infos_of(StrategyList<Strategies...>) {
    return {&strategy_info<Strategies>()...};
}
}  // namespace

std::vector<const StrategyInfo*> all_strategies() {
    return infos_of(RegisteredStrategies{});
}

const StrategyInfo& find_strategy(std::string_view name) {
    std::vector<std::string> names;
    for (const auto* strategy : all_strategies()) {
        if (strategy->name == name) return *strategy;
        names.push_back(strategy->name);
    }
    throw UserError(fmt::format("unknown strategy '{}'; expected one of {}", name, fmt::join(names, ", ")));
}

void check_params(const StrategyInfo& strategy, const ParamSet& params) {
    if (params.values.size() != strategy.params.size())
        throw InternalError(fmt::format("{}: {} parameter values for {} parameters", strategy.name,
                                        params.values.size(), strategy.params.size()));
    for (std::size_t i = 0; i < params.values.size(); ++i)
        if (const auto problem = strategy.params[i].check(params.values[i])) throw UserError(*problem);
    with_strategy(strategy.name, [&](auto tag) {
        using Strategy = decltype(tag);
        if constexpr (HasParameterRules<Strategy>)
            if (const auto problem = Strategy::check(params)) throw UserError(*problem);
    });
}

ParamSet apply_overrides(const StrategyInfo& strategy, ParamSet base,
                         const std::vector<std::pair<std::string, std::string>>& overrides, const std::string& source) {
    for (const auto& [name, text] : overrides) {
        const auto index = find_param(strategy.params, name);
        if (!index)
            throw UserError(fmt::format("{}: '{}' is not a parameter of {}; its parameters are: {}", source, name,
                                        strategy.name, list_param_names(strategy.params)));
        try {
            base.values[*index] = strategy.params[*index].parse(text);
        } catch (const UserError& error) {
            throw UserError(fmt::format("{}: {}", source, error.what()));
        }
    }
    check_params(strategy, base);
    return base;
}

std::vector<std::pair<std::string, std::string>> describe_params(const StrategyInfo& strategy, const ParamSet& params) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < strategy.params.size(); ++i)
        pairs.emplace_back(strategy.params[i].name, strategy.params[i].format(params.values[i]));
    return pairs;
}

}  // namespace tapegrid
