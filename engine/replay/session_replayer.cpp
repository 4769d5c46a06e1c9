// SessionReplayer.
#include "engine/replay/session_replayer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "engine/replay/replay_runner.h"
#include "strategies/registry.h"

namespace tapegrid {

// The recording's original_parameters as name=value texts.
std::vector<std::pair<std::string, std::string>> parameter_texts(const std::string& json_text) {
    std::vector<std::pair<std::string, std::string>> texts;
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(json_text.empty() ? std::string("{}") : json_text);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(std::string("original_parameters: not valid JSON: ") + error.what());
    }
    if (!json.is_object()) throw UserError("original_parameters: expected a JSON object, found " + json.dump());
    for (const auto& [name, value] : json.items()) {
        if (value.is_boolean())
            texts.emplace_back(name, value.get<bool>() ? "true" : "false");
        else if (value.is_string())
            texts.emplace_back(name, value.get<std::string>());
        else if (value.is_number())
            texts.emplace_back(name, fmt::format("{}", value.get<double>()));
        else
            throw UserError("original_parameters: '" + name + "': expected a number, a boolean or a string, found " +
                            value.dump());
    }
    return texts;
}

ParamSet recorded_params(const StrategyInfo& strategy, const std::string& original_parameters) {
    return apply_overrides(strategy, default_params(strategy.params), parameter_texts(original_parameters),
                           "the recording's original_parameters");
}

SessionReplayer::SessionReplayer(Recording recording, std::optional<double> periods_per_year)
    : recording_(std::move(recording)) {
    std::size_t bars = 0;
    for (const auto& symbol : recording_.bars) bars += symbol.size();
    if (bars == 0) throw UserError("recording " + recording_.info.recording_id + " has no bars to replay");
    data_ = prepare_replay_data(recording_.bars, periods_per_year);
}

void SessionReplayer::set_parameter(const std::string& name, const std::string& value) {
    overrides_.emplace_back(name, value);
}

void SessionReplayer::set_parameter(const std::string& name, double value) {
    overrides_.emplace_back(name, fmt::format("{}", value));
}

void SessionReplayer::set_parameters(const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) set_parameter(name, value);
}

ParamSet SessionReplayer::original_params(const std::string& strategy_name) const {
    const StrategyInfo& strategy = find_strategy(strategy_name);
    // The recording's parameters count only for the strategy it recorded.
    if (strategy_name != recording_.info.strategy_name) return default_params(strategy.params);
    return recorded_params(strategy, recording_.info.original_parameters);
}

std::pair<std::string, ParamSet> SessionReplayer::resolve(const std::string& strategy_name) const {
    const std::string name = !strategy_name.empty() ? strategy_name : recording_.info.strategy_name;
    if (name.empty())
        throw UserError("recording " + recording_.info.recording_id +
                        " has no strategy (imported or generated market data); name one with --strategy");
    const StrategyInfo& strategy = find_strategy(name);
    return {name, apply_overrides(strategy, original_params(name), overrides_, "--set")};
}

ReplayOutcome SessionReplayer::replay(const std::string& strategy_name) const {
    auto [name, params] = resolve(strategy_name);
    ReplayOutcome outcome;
    outcome.original_params = original_params(name);
    const StrategyInfo& strategy = find_strategy(name);
    for (std::size_t i = 0; i < strategy.params.size(); ++i)
        if (params.values[i] != outcome.original_params.values[i])
            outcome.modified_parameters.emplace_back(strategy.params[i].name,
                                                     strategy.params[i].format(params.values[i]));
    outcome.result = run_replay(name, data_, params);
    outcome.comparison = compare_with_original(recording_.info, recording_.events, outcome.result);
    return outcome;
}

}  // namespace tapegrid
