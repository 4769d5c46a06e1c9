// Sweep config parsing and validation (toml++: TOML 1.0 with source positions for every node).
#include "io/config/sweep_config.h"

#include <fmt/format.h>
#include <glob.h>
#include <toml++/toml.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "engine/core/errors.h"
#include "io/store/recording_store.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

double round_to_12_digits(double value) {
    return std::stod(fmt::format("{:.12g}", value));
}

class ConfigReader {
  public:
    ConfigReader(std::string path, const std::vector<std::pair<std::string, std::string>>& overrides)
        : path_(std::move(path)) {
        try {
            root_ = toml::parse_file(path_);
        } catch (const toml::parse_error& error) {
            throw UserError(fmt::format("{}:{}: not valid TOML: {}", path_, error.source().begin.line,
                                        std::string(error.description())));
        } catch (const std::exception& error) {
            throw UserError(path_ + ": cannot read: " + error.what());
        }
        for (const auto& [key, value] : overrides) apply_override(key, value);
    }

    const toml::table& root() const { return root_; }

    std::string where(const toml::node& node, const std::string& key) const {
        // A key under an override (grid.bb_std.step, grid.bb_std[1]) came from --set too: its
        // node's line is in the override's text, not in the file.
        for (const auto& overridden : overridden_)
            if (key == overridden || key.rfind(overridden + ".", 0) == 0 || key.rfind(overridden + "[", 0) == 0)
                return "--set " + key;
        return fmt::format("{}:{}: {}", path_, node.source().begin.line, key);
    }

    [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& message) const {
        throw UserError(fmt::format("{}: {}", where(node, key), message));
    }

    const toml::table& section(const char* name, bool required) {
        const toml::node* node = root_.get(name);
        if (node == nullptr) {
            if (required) throw UserError(fmt::format("{}: missing the [{}] table", path_, name));
            static const toml::table kEmpty;
            return kEmpty;
        }
        if (!node->is_table()) fail(*node, name, "expected a table");
        return *node->as_table();
    }

    void check_keys(const toml::table& table, const std::string& prefix,
                    std::initializer_list<const char*> known) const {
        for (auto&& [key, node] : table) {
            bool found = false;
            for (const char* name : known) found = found || key.str() == name;
            if (!found) {
                std::vector<std::string> names(known.begin(), known.end());
                fail(node, prefix + std::string(key.str()),
                     fmt::format("unknown key; expected one of {}", fmt::join(names, ", ")));
            }
        }
    }

    std::string type_name(const toml::node& node) const {
        switch (node.type()) {
            case toml::node_type::string:
                return fmt::format("the string \"{}\"", *node.value<std::string>());
            case toml::node_type::integer:
                return fmt::format("the integer {}", *node.value<std::int64_t>());
            case toml::node_type::floating_point:
                return fmt::format("the number {}", *node.value<double>());
            case toml::node_type::boolean:
                return *node.value<bool>() ? "true" : "false";
            case toml::node_type::array:
                return "an array";
            case toml::node_type::table:
                return "a table";
            default:
                return "a date or time";
        }
    }

    std::string string(const toml::node& node, const std::string& key) const {
        if (!node.is_string()) fail(node, key, "expected a string, found " + type_name(node));
        return *node.value<std::string>();
    }

    double number(const toml::node& node, const std::string& key) const {
        if (!node.is_number()) fail(node, key, "expected a number, found " + type_name(node));
        return *node.value<double>();
    }

    std::int64_t integer(const toml::node& node, const std::string& key) const {
        if (!node.is_integer()) fail(node, key, "expected an integer, found " + type_name(node));
        return *node.value<std::int64_t>();
    }

    std::vector<std::string> strings(const toml::node& node, const std::string& key) const {
        std::vector<std::string> values;
        if (node.is_string()) return {*node.value<std::string>()};
        if (!node.is_array()) fail(node, key, "expected an array of strings, found " + type_name(node));
        std::size_t i = 0;
        for (const auto& item : *node.as_array()) values.push_back(string(item, fmt::format("{}[{}]", key, i++)));
        return values;
    }

    std::string directory() const { return fs::path(path_).parent_path().string(); }
    const std::string& path() const { return path_; }

    std::string text() const {
        std::ostringstream out;
        out << root_ << '\n';
        return out.str();
    }

  private:
    void apply_override(const std::string& dotted, const std::string& text) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (std::size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
            parts.push_back(dotted.substr(start, dot - start));
        parts.push_back(dotted.substr(start));
        for (const auto& part : parts)
            if (part.empty())
                throw UserError("--set " + dotted + ": expected a dotted key such as rank.by or grid.bb_std");
        toml::table* table = &root_;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            toml::node* next = table->get(parts[i]);
            if (next == nullptr) next = &table->insert_or_assign(parts[i], toml::table{}).first->second;
            if (!next->is_table()) throw UserError("--set " + dotted + ": '" + parts[i] + "' is not a table");
            table = next->as_table();
        }
        toml::table parsed;
        try {
            parsed = toml::parse("value = " + text);
        } catch (const toml::parse_error&) {
            parsed.insert_or_assign("value", text);  // not a TOML value: taken as a string
        }
        table->insert_or_assign(parts.back(), *parsed.get("value"));
        overridden_.insert(dotted);
    }

    std::string path_;
    toml::table root_;
    std::set<std::string> overridden_;
};

// A grid axis's values from a list, a range table or a single value.
std::vector<double> axis_values(const ConfigReader& config, const toml::node& node, const std::string& key,
                                const ParamSpec& spec) {
    const auto convert = [&](const toml::node& item, const std::string& item_key) -> double {
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
    };
    std::vector<double> values;
    if (node.is_array()) {
        std::size_t i = 0;
        for (const auto& item : *node.as_array()) values.push_back(convert(item, fmt::format("{}[{}]", key, i++)));
        if (values.empty()) config.fail(node, key, "expected at least one value, found an empty list");
    } else if (node.is_table()) {
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
        if (spaced) {
            const std::int64_t num = config.integer(*range.get("num"), key + ".num");
            if (num < 1)
                config.fail(*range.get("num"), key + ".num", fmt::format("expected at least 1, found {}", num));
            bool log = false;
            if (const toml::node* flag = range.get("log")) {  // not value_or: log = "true" must not mean linear
                if (!flag->is_boolean())
                    config.fail(*flag, key + ".log", "expected true or false, found " + config.type_name(*flag));
                log = *flag->value<bool>();
            }
            if (log && start <= 0)
                config.fail(*range.get("start"), key + ".start",
                            fmt::format("log spacing needs start > 0, found {}", start));
            values = spaced_values(start, stop, num, log);
        } else {
            const double step = config.number(*range.get("step"), key + ".step");
            if (!(step > 0))
                config.fail(*range.get("step"), key + ".step", fmt::format("range step must be > 0, got {}", step));
            values = range_values(start, stop, step);
        }
        for (const double value : values) {
            if (spec.type == ParamType::kInt && value != std::floor(value))
                config.fail(node, key, fmt::format("{} takes integers, and the range gives {}", spec.name, value));
            if (const auto problem = spec.check(value)) config.fail(node, key, *problem);
        }
    } else {
        values.push_back(convert(node, key));
    }
    std::set<double> seen;
    for (const double value : values)
        if (!seen.insert(value).second)
            config.fail(node, key, fmt::format("the value {} appears twice", spec.format(value)));
    return values;
}

std::vector<std::string> resolve_recordings(const ConfigReader& config, const toml::node& node,
                                            const std::string& store_directory) {
    std::vector<std::string> paths;
    const auto entries = config.strings(node, "sweep.recordings");
    if (entries.empty()) config.fail(node, "sweep.recordings", "expected at least one recording");
    for (const auto& entry : entries) {
        const fs::path relative =
            fs::path(entry).is_absolute() ? fs::path(entry) : fs::path(config.directory()) / entry;
        if (entry.find_first_of("*?[") != std::string::npos) {
            glob_t matches{};
            const int status = ::glob(relative.c_str(), 0, nullptr, &matches);
            std::vector<std::string> found;
            for (std::size_t i = 0; status == 0 && i < matches.gl_pathc; ++i) found.emplace_back(matches.gl_pathv[i]);
            ::globfree(&matches);
            if (found.empty())
                config.fail(node, "sweep.recordings",
                            fmt::format("'{}' matches no file (looked for {})", entry, relative.string()));
            paths.insert(paths.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(relative)) {
            paths.push_back(relative.string());
        } else {
            try {
                paths.push_back(resolve_recording(entry, store_directory));
            } catch (const UserError&) {
                config.fail(node, "sweep.recordings",
                            fmt::format("'{}' is neither a file (looked for {}) nor a recording id in the store {}",
                                        entry, relative.string(), store_directory));
            }
        }
    }
    std::set<std::string> unique;
    for (const auto& path : paths)
        if (!unique.insert(fs::weakly_canonical(path).string()).second)
            config.fail(node, "sweep.recordings", "the recording " + path + " is named twice");
    return paths;
}

RankSpec read_rank(const ConfigReader& config, const toml::table& rank) {
    config.check_keys(rank, "rank.", {"by", "order", "then", "min_trades", "filters", "top"});
    RankSpec spec;
    const auto metric_of = [&](const toml::node& node, const std::string& key) {
        const std::string name = config.string(node, key);
        const auto metric = parse_metric(name);
        if (!metric)
            config.fail(node, key, fmt::format("unknown metric '{}'; expected one of {}", name, list_metric_names()));
        return *metric;
    };
    const auto order_of = [&](const toml::node* node, const std::string& key, Metric metric) {
        if (node == nullptr) return higher_is_better(metric);
        const std::string order = config.string(*node, key);
        if (order != "ascending" && order != "descending")
            config.fail(*node, key, "expected \"ascending\" or \"descending\", found \"" + order + "\"");
        return order == "descending";
    };
    const Metric first = rank.contains("by") ? metric_of(*rank.get("by"), "rank.by") : Metric::kSharpeRatio;
    spec.keys.push_back({first, order_of(rank.get("order"), "rank.order", first)});
    if (const toml::node* then = rank.get("then")) {
        if (!then->is_array())
            config.fail(*then, "rank.then", "expected an array of metric names or {by, order} tables");
        std::size_t i = 0;
        for (const auto& item : *then->as_array()) {
            const std::string key = fmt::format("rank.then[{}]", i++);
            if (item.is_table()) {
                const toml::table& table = *item.as_table();
                config.check_keys(table, key + ".", {"by", "order"});
                if (!table.contains("by")) config.fail(item, key, "a tie-breaker needs 'by'");
                const Metric metric = metric_of(*table.get("by"), key + ".by");
                spec.keys.push_back({metric, order_of(table.get("order"), key + ".order", metric)});
            } else {
                const Metric metric = metric_of(item, key);
                spec.keys.push_back({metric, higher_is_better(metric)});
            }
        }
    }
    if (const toml::node* node = rank.get("min_trades")) {
        spec.min_trades = config.integer(*node, "rank.min_trades");
        if (spec.min_trades < 0) config.fail(*node, "rank.min_trades", "expected 0 or more");
    }
    if (const toml::node* node = rank.get("top")) {
        const std::int64_t top = config.integer(*node, "rank.top");
        if (top < 1 || top > 100000) config.fail(*node, "rank.top", fmt::format("expected 1..100000, found {}", top));
        spec.top = static_cast<std::size_t>(top);
    }
    if (const toml::node* node = rank.get("filters")) {
        const auto texts = config.strings(*node, "rank.filters");
        for (const auto& text : texts) {
            try {
                spec.filters.push_back(Condition::parse(
                    text,
                    [](const std::string& name) -> std::optional<std::size_t> {
                        const auto metric = parse_metric(name);
                        if (!metric) return std::nullopt;
                        for (std::size_t i = 0; i < kAllMetrics.size(); ++i)
                            if (kAllMetrics[i] == *metric) return i;
                        return std::nullopt;
                    },
                    list_metric_names()));
            } catch (const UserError& error) {
                config.fail(*node, "rank.filters", error.what());
            }
        }
    }
    return spec;
}

}  // namespace

std::vector<double> range_values(double start, double stop, double step) {
    std::vector<double> values;
    // Stop is included when a step reaches it: the count tolerates rounding in (stop - start) / step.
    const auto count = static_cast<std::int64_t>(std::floor((stop - start) / step * (1.0 + 1e-12) + 1e-9)) + 1;
    for (std::int64_t i = 0; i < count; ++i)
        values.push_back(round_to_12_digits(start + static_cast<double>(i) * step));
    return values;
}

std::vector<double> spaced_values(double start, double stop, std::int64_t num, bool log) {
    std::vector<double> values;
    for (std::int64_t i = 0; i < num; ++i) {
        const double fraction = num == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(num - 1);
        const double value = log ? start * std::pow(stop / start, fraction) : start + (stop - start) * fraction;
        values.push_back(round_to_12_digits(value));
    }
    return values;
}

SweepSpec load_sweep_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides,
                            const std::string& store_directory) {
    if (!fs::is_regular_file(path)) throw UserError(path + ": no such config file");
    ConfigReader config(path, overrides);
    config.check_keys(config.root(), "", {"sweep", "grid", "rank", "output"});
    const toml::table& sweep = config.section("sweep", true);
    config.check_keys(sweep, "sweep.",
                      {"name", "recordings", "strategy", "constraints", "periods_per_year", "max_combinations"});
    SweepSpec spec;
    spec.config_path = path;
    spec.name =
        sweep.contains("name") ? config.string(*sweep.get("name"), "sweep.name") : fs::path(path).stem().string();
    if (!sweep.contains("strategy")) config.fail(sweep, "sweep", "missing 'strategy'");
    if (!sweep.contains("recordings")) config.fail(sweep, "sweep", "missing 'recordings'");
    const toml::node& strategy_node = *sweep.get("strategy");
    spec.strategy = config.string(strategy_node, "sweep.strategy");
    const StrategyInfo* strategy = nullptr;
    try {
        strategy = &find_strategy(spec.strategy);
    } catch (const UserError& error) {
        config.fail(strategy_node, "sweep.strategy", error.what());
    }
    spec.recordings = resolve_recordings(config, *sweep.get("recordings"), store_directory);
    if (const toml::node* node = sweep.get("periods_per_year")) {
        spec.periods_per_year = config.number(*node, "sweep.periods_per_year");
        if (!(*spec.periods_per_year > 0)) config.fail(*node, "sweep.periods_per_year", "expected a number > 0");
    }
    if (const toml::node* node = sweep.get("max_combinations")) {
        const std::int64_t limit = config.integer(*node, "sweep.max_combinations");
        if (limit < 1) config.fail(*node, "sweep.max_combinations", "expected at least 1");
        spec.max_combinations = static_cast<std::uint64_t>(limit);
    }

    // The grid: every key a parameter of the strategy; lists, ranges or fixed values.
    const toml::table& grid = config.section("grid", true);
    ParamSet base = default_params(strategy->params);
    std::vector<GridAxis> axes;
    for (auto&& [key, node] : grid) {
        const std::string name(key.str());
        const auto index = find_param(strategy->params, name);
        if (!index)
            config.fail(node, "grid." + name,
                        fmt::format("'{}' is not a parameter of {}; its parameters are: {}", name, spec.strategy,
                                    list_param_names(strategy->params)));
        auto values = axis_values(config, node, "grid." + name, strategy->params[*index]);
        // A scalar is a fixed value; a list or a range is an axis, even of one value.
        if (!node.is_array() && !node.is_table())
            base.values[*index] = values[0];
        else
            axes.push_back({*index, std::move(values)});
    }
    if (axes.empty() && grid.empty()) config.fail(grid, "grid", "expected at least one parameter");

    std::vector<Condition> constraints;
    if (const toml::node* node = sweep.get("constraints")) {
        for (const auto& text : config.strings(*node, "sweep.constraints")) {
            try {
                constraints.push_back(Condition::parse(
                    text, [&](const std::string& name) { return find_param(strategy->params, name); },
                    list_param_names(strategy->params)));
            } catch (const UserError& error) {
                config.fail(*node, "sweep.constraints", error.what());
            }
        }
    }
    // Fixed values must be valid together too (ma_crossover: fast_period < slow_period) where
    // no axis varies the parameters involved; the grid's combinations are checked as they run.
    spec.grid = std::make_unique<ParameterGrid>(*strategy, base, std::move(axes), std::move(constraints));

    spec.rank = read_rank(config, config.section("rank", false));
    const toml::table& output = config.section("output", false);
    config.check_keys(output, "output.", {"directory"});
    spec.output_directory =
        output.contains("directory")
            ? (fs::path(config.directory()) / config.string(*output.get("directory"), "output.directory")).string()
            : (fs::path("sweep-out") / spec.name).string();
    spec.config_text = config.text();
    return spec;
}

}  // namespace tapegrid
