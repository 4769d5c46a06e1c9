// The grid: a strategy's parameters as lists, ranges or fixed values, each checked against its spec.
#include "io/config/grid_section.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "engine/core/errors.h"
#include "io/config/grid_ranges.h"

namespace tapegrid {

namespace {

// More values than anyone sweeps on one axis, and few enough to hold: a grid is counted from its
// axes' sizes before it is walked, so the axes themselves must be bounded first.
constexpr std::int64_t kMaxAxisValues = 1'000'000;

// One value of a parameter, as its type reads it (true/false, a choice's name, a number), in range.
double axis_value(const ConfigReader& config, const toml::node& item, const std::string& item_key,
                  const ParamSpec& spec) {
    double value = 0;
    switch (spec.type) {
        case ParamType::kBool:
            if (!item.is_boolean())
                config.fail(item, item_key, "expected true or false, found " + config.type_name(item));
            value = *item.value<bool>() ? 1.0 : 0.0;
            break;
        case ParamType::kChoice:
            try {
                value = spec.parse(config.string(item, item_key));
            } catch (const UserError& error) {
                config.fail(item, item_key, error.what());
            }
            break;
        default:
            value = config.number(item, item_key);
    }
    if (const auto problem = spec.check(value)) config.fail(item, item_key, *problem);
    return value;
}

// The values of a range table: {start, stop, step} or {start, stop, num[, log]}.
std::vector<double> range_table_values(const ConfigReader& config, const toml::node& node, const std::string& key,
                                       const ParamSpec& spec) {
    const toml::table& range = *node.as_table();
    const bool spaced = range.contains("num");
    if (spaced)
        config.check_keys(range, key + ".", {"start", "stop", "num", "log"});
    else
        config.check_keys(range, key + ".", {"start", "stop", "step"});
    for (const char* needed : {"start", "stop", spaced ? "num" : "step"})
        if (!range.contains(needed))
            config.fail(
                node, key,
                fmt::format("a range needs start, stop and {}; '{}' is missing", spaced ? "num" : "step", needed));
    const double start = config.number(*range.get("start"), key + ".start");
    const double stop = config.number(*range.get("stop"), key + ".stop");
    if (start > stop)
        config.fail(*range.get("stop"), key + ".stop",
                    fmt::format("the range is inverted: stop ({}) is below start ({})", stop, start));
    std::vector<double> values;
    if (spaced) {
        const std::int64_t num = config.integer(*range.get("num"), key + ".num");
        if (num < 1) config.fail(*range.get("num"), key + ".num", fmt::format("expected at least 1, found {}", num));
        bool log = false;
        if (const toml::node* flag = range.get("log")) {  // not value_or: log = "true" must not mean linear
            if (!flag->is_boolean())
                config.fail(*flag, key + ".log", "expected true or false, found " + config.type_name(*flag));
            log = *flag->value<bool>();
        }
        if (log && start <= 0)
            config.fail(*range.get("start"), key + ".start",
                        fmt::format("log spacing needs start > 0, found {}", start));
        if (num > kMaxAxisValues)
            config.fail(*range.get("num"), key + ".num",
                        fmt::format("{} values on one axis; an axis holds at most {}", num, kMaxAxisValues));
        values = spaced_values(start, stop, num, log);
    } else {
        const double step = config.number(*range.get("step"), key + ".step");
        if (!(step > 0))
            config.fail(*range.get("step"), key + ".step", fmt::format("range step must be > 0, got {}", step));
        // Counted before any value is made: a tiny step must not fill memory first.
        const double count = std::floor((stop - start) / step) + 1;
        if (!(count <= static_cast<double>(kMaxAxisValues)))
            config.fail(*range.get("step"), key + ".step",
                        fmt::format("the range gives {:.3g} values; an axis holds at most {}", count, kMaxAxisValues));
        values = range_values(start, stop, step);
    }
    for (const double value : values) {
        if (spec.type == ParamType::kInt && value != std::floor(value))
            config.fail(node, key, fmt::format("{} takes integers, and the range gives {}", spec.name, value));
        if (const auto problem = spec.check(value)) config.fail(node, key, *problem);
    }
    return values;
}

// A grid axis's values from a list, a range table or a single value.
std::vector<double> axis_values(const ConfigReader& config, const toml::node& node, const std::string& key,
                                const ParamSpec& spec) {
    std::vector<double> values;
    if (node.is_array()) {
        std::size_t i = 0;
        for (const auto& item : *node.as_array())
            values.push_back(axis_value(config, item, fmt::format("{}[{}]", key, i++), spec));
        if (values.empty()) config.fail(node, key, "expected at least one value, found an empty list");
    } else if (node.is_table()) {
        values = range_table_values(config, node, key, spec);
    } else {
        values.push_back(axis_value(config, node, key, spec));
    }
    std::set<double> seen;
    for (const double value : values)
        if (!seen.insert(value).second)
            config.fail(node, key, fmt::format("the value {} appears twice", spec.format(value)));
    return values;
}

}  // namespace

std::unique_ptr<ParameterGrid> read_grid(const ConfigReader& config, const toml::table& grid,
                                         const toml::node* constraints_node, const StrategyInfo& strategy) {
    ParamSet base = default_params(strategy.params);
    std::vector<GridAxis> axes;
    for (auto&& [key, node] : grid) {
        const std::string name(key.str());
        const auto index = find_param(strategy.params, name);
        if (!index)
            config.fail(node, "grid." + name,
                        fmt::format("'{}' is not a parameter of {}; its parameters are: {}", name, strategy.name,
                                    list_param_names(strategy.params)));
        auto values = axis_values(config, node, "grid." + name, strategy.params[*index]);
        // A scalar is a fixed value; a list or a range is an axis, even of one value.
        if (!node.is_array() && !node.is_table())
            base.values[*index] = values[0];
        else
            axes.push_back({*index, std::move(values)});
    }
    if (axes.empty() && grid.empty()) config.fail(grid, "grid", "expected at least one parameter");

    std::vector<Condition> constraints;
    if (const toml::node* node = constraints_node) {
        for (const auto& text : config.strings(*node, "sweep.constraints")) {
            try {
                constraints.push_back(Condition::parse(
                    text, [&](const std::string& name) { return find_param(strategy.params, name); },
                    list_param_names(strategy.params)));
            } catch (const UserError& error) {
                config.fail(*node, "sweep.constraints", error.what());
            }
        }
    }
    // Fixed values must be valid together too (ma_crossover: fast_period < slow_period) where
    // no axis varies the parameters involved; the grid's combinations are checked as they run.
    return std::make_unique<ParameterGrid>(strategy, base, std::move(axes), std::move(constraints));
}

}  // namespace tapegrid
