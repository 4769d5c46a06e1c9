// `tapegrid strategies`: the strategies and their parameters, from their own declarations.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/cli/table.h"
#include "engine/core/errors.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

int run_strategies(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid strategies [NAME] [--json]";
    line.description = "Lists the strategies, or one strategy's parameters with their defaults and valid ranges.";
    line.hidden.add_options()("name", po::value<std::string>(), "strategy");
    line.positional.add("name", 1);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    std::vector<const StrategyInfo*> shown;
    if (options->count("name"))
        shown.push_back(&find_strategy((*options)["name"].as<std::string>()));
    else
        shown = all_strategies();
    if (options->count("json")) {
        nlohmann::json json = nlohmann::json::array();
        for (const auto* strategy : shown) {
            nlohmann::json params = nlohmann::json::array();
            for (const auto& spec : strategy->params)
                params.push_back({{"name", spec.name},
                                  {"default", spec.format(spec.default_value)},
                                  {"valid", spec.describe_range()},
                                  {"description", spec.description}});
            json.push_back({{"name", strategy->name}, {"summary", strategy->summary}, {"parameters", params}});
        }
        std::cout << nlohmann::json{{"success", true}, {"strategies", json}}.dump(2) << '\n';
        return kExitOk;
    }
    for (const auto* strategy : shown) {
        std::cout << strategy->name << ": " << strategy->summary << "\n\n";
        Table table({"parameter", "default", "valid", "meaning"});
        for (const auto& spec : strategy->params)
            table.add_row({std::string(spec.name), spec.format(spec.default_value), spec.describe_range(), std::string(spec.description)});
        table.print(std::cout);
        std::cout << '\n';
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
