// `tapegrid evaluate CONFIG --stdin`: tapegrid as an outside optimiser's objective. Parameter sets
// come in as JSON lines, each is answered with its result row as a JSON line; the recordings are
// loaded once and indicator series are shared between the lines that read the same ones.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "engine/core/metric_names.h"
#include "engine/core/printable.h"
#include "engine/replay/replay_runner.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/json/replay_json.h"
#include "io/results/sweep_writers.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

// Series are kept for the lines to come (an optimiser revisits the same periods), up to this many
// keys: past it they are dropped, so that memory does not grow with the lines.
constexpr std::size_t kKeptSeries = 64;

CommandLine evaluate_command_line() {
    CommandLine line;
    line.usage = "tapegrid evaluate CONFIG.toml --stdin [--set key=value ...]";
    line.description =
        "Reads parameter sets as JSON lines on standard input ({\"rsi_threshold\": 25, \"stop_loss_pct\": 0.5}) and\n"
        "answers each with its result row as one JSON line on standard output, in order, flushed at once: an outside\n"
        "optimiser (Optuna, Nevergrad, a loop of your own) drives tapegrid as its objective. The config gives the\n"
        "recordings and the strategy (its [grid] and [rank] are not used, except that a parameter the line leaves out\n"
        "takes the value [grid] fixes, else the strategy's default); the recordings are loaded once. A line that\n"
        "cannot be evaluated is answered with {\"line\": N, \"error\": \"...\"} and the next is read; the exit status\n"
        "is then 2. docs/SEARCH.md has a Python example.";
    line.options.add_options()("stdin", "read the parameter sets from standard input (the only source today)")(
        "set", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: override a config key (repeatable)");
    line.hidden.add_options()("config", po::value<std::string>()->required(), "config");
    line.positional.add("config", 1);
    add_store_option(line);
    return line;
}

// A JSON value as the text a parameter parses (numbers, booleans, choice names).
std::string parameter_text(const std::string& name, const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return value.dump();
    if (value.is_number()) return fmt::format("{}", value.get<double>());
    throw UserError(fmt::format("'{}': expected a number, a boolean or a choice name, found {}", printable(name),
                                printable(value.dump())));
}

// The line's parameter set, checked as a sweep checks a combination: known names, valid values,
// the config's constraints and the strategy's rules.
ParamSet line_params(const SweepSpec& spec, const std::string& text) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        throw UserError("expected a JSON object of parameters, found '" + printable(text.substr(0, 200)) + "'");
    }
    if (!json.is_object())
        throw UserError("expected a JSON object of parameters, found " + printable(json.dump().substr(0, 200)));
    const ParameterGrid& grid = *spec.grid;
    const StrategyInfo& strategy = grid.strategy();
    std::vector<std::pair<std::string, std::string>> texts;
    for (const auto& [name, value] : json.items()) texts.emplace_back(name, parameter_text(name, value));
    ParamSet params = apply_overrides(strategy, grid.base(), texts, "the line");
    check_params(strategy, params);
    if (!grid.admits(params)) throw UserError("the config's constraints do not admit these parameters");
    with_strategy(spec.strategy, [&](auto tag) {
        using Strategy = decltype(tag);
        if constexpr (HasParameterRules<Strategy>)
            if (const auto problem = Strategy::check(params)) throw UserError(*problem);
    });
    return params;
}

nlohmann::json result_json(std::uint64_t line, const StrategyInfo& strategy, const ParamSet& params,
                           const ReplayMetrics& metrics) {
    nlohmann::json row = metrics_json(metrics);
    row["line"] = line;
    row["parameters"] = params_to_json(strategy, params);
    return row;
}

}  // namespace

int run_evaluate(const Arguments& arguments) {
    CommandLine line = evaluate_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    if (!options->count("stdin"))
        throw UserError("evaluate: pass --stdin (parameter sets are read as JSON lines from standard input)");
    const SweepSpec spec = load_sweep_config((*options)["config"].as<std::string>(), parse_assignments(*options, "set"),
                                             store_directory(*options));
    const SweepInput input = load_sweep_input(spec.recordings);
    const ReplayData data = prepare_replay_data(input.symbols, spec.periods_per_year);
    const StrategyInfo& strategy = spec.grid->strategy();
    std::optional<OwnedSeries> series;
    series.emplace(input.symbols);
    bool refused = false;
    std::string text;
    for (std::uint64_t number = 1; std::getline(std::cin, text); ++number) {
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are not parameter sets
        nlohmann::json answer;
        try {
            const ParamSet params = line_params(spec, text);
            if (series->size() > kKeptSeries) series.emplace(input.symbols);
            answer = result_json(number, strategy, params, run_replay(spec.strategy, data, params, *series).metrics);
        } catch (const UserError& error) {
            refused = true;
            answer = {{"line", number}, {"error", error.what()}};
        }
        std::cout << answer.dump() << std::endl;  // flushed: the optimiser waits for each answer
    }
    return refused ? kExitUserError : kExitOk;
}

}  // namespace tapegrid::cli
