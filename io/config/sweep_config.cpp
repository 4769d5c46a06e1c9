// Sweep config loading: the [sweep] table and the order in which every section is read and checked.
#include "io/config/sweep_config.h"

#include <fmt/format.h>

#include <filesystem>
#include <limits>
#include <optional>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/config/config_reader.h"
#include "io/config/grid_section.h"
#include "io/config/rank_section.h"
#include "io/config/recording_paths.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

// [overfitting]: enabled, blocks (S, even, 2 to 64), max_split_evaluations, seed.
OverfittingSpec read_overfitting(const ConfigReader& config, const toml::table& table) {
    config.check_keys(table, "overfitting.", {"enabled", "blocks", "max_split_evaluations", "seed"});
    OverfittingSpec spec;
    if (const toml::node* node = table.get("enabled")) {
        if (!node->is_boolean())
            config.fail(*node, "overfitting.enabled", "expected true or false, found " + config.type_name(*node));
        spec.enabled = node->as_boolean()->get();
    }
    if (const toml::node* node = table.get("blocks")) {
        const std::int64_t blocks = config.integer(*node, "overfitting.blocks");
        // Above 64 blocks, C(S, S/2) is past 10^18 splits and the blocks hold too few returns.
        if (blocks < 2 || blocks > 64 || blocks % 2 != 0)
            config.fail(*node, "overfitting.blocks",
                        "expected an even number of blocks from 2 to 64, found " + std::to_string(blocks));
        spec.blocks = static_cast<std::size_t>(blocks);
    }
    if (const toml::node* node = table.get("max_split_evaluations")) {
        const std::int64_t work = config.integer(*node, "overfitting.max_split_evaluations");
        if (work < 1) config.fail(*node, "overfitting.max_split_evaluations", "expected at least 1");
        spec.max_split_evaluations = static_cast<std::uint64_t>(work);
    }
    if (const toml::node* node = table.get("seed")) {
        const std::int64_t seed = config.integer(*node, "overfitting.seed");
        if (seed < 0) config.fail(*node, "overfitting.seed", "expected an integer >= 0");
        spec.seed = static_cast<std::uint64_t>(seed);
    }
    return spec;
}

// [search]: method, budget, seed, initial, batch.
SearchSpec read_search(const ConfigReader& config, const toml::table& table, const ParameterGrid& grid) {
    config.check_keys(table, "search.", {"method", "budget", "seed", "initial", "batch"});
    SearchSpec spec;
    if (const toml::node* node = table.get("method")) {
        const std::string method = config.string(*node, "search.method");
        if (method == "grid")
            spec.method = SearchMethod::kGrid;
        else if (method == "random")
            spec.method = SearchMethod::kRandom;
        else if (method == "bayesian")
            spec.method = SearchMethod::kBayesian;
        else
            config.fail(*node, "search.method",
                        "expected \"grid\", \"random\" or \"bayesian\", found \"" + printable(method) + "\"");
    }
    const auto positive = [&](const char* key, std::int64_t most) -> std::optional<std::uint64_t> {
        const toml::node* node = table.get(key);
        if (node == nullptr) return std::nullopt;
        const std::string name = std::string("search.") + key;
        const std::int64_t value = config.integer(*node, name);
        if (value < 1 || value > most)
            config.fail(*node, name, fmt::format("expected an integer from 1 to {}, found {}", most, value));
        return static_cast<std::uint64_t>(value);
    };
    const toml::node* budget_node = table.get("budget");
    if (spec.method == SearchMethod::kGrid) {
        for (const char* key : {"budget", "seed", "initial", "batch"})
            if (const toml::node* node = table.get(key))
                config.fail(*node, std::string("search.") + key,
                            "applies to method = \"random\" or \"bayesian\"; the grid method runs every combination");
        return spec;
    }
    if (budget_node == nullptr) config.fail(table, "search", "missing 'budget' (how many combinations to evaluate)");
    if (const auto node = budget_node; node != nullptr && config.integer(*node, "search.budget") == 0)
        config.fail(*node, "search.budget", "a budget of 0 evaluates nothing; expected at least 1");
    spec.budget = *positive("budget", std::numeric_limits<std::int64_t>::max());
    if (const toml::node* node = table.get("seed")) {
        const std::int64_t seed = config.integer(*node, "search.seed");
        if (seed < 0) config.fail(*node, "search.seed", "expected an integer >= 0");
        spec.seed = static_cast<std::uint64_t>(seed);
    }
    spec.batch = static_cast<std::size_t>(positive("batch", 4096).value_or(spec.batch));
    if (spec.method == SearchMethod::kBayesian) {
        // By default a tenth of the budget, at least one batch, explores at random first.
        spec.initial = positive("initial", std::numeric_limits<std::int64_t>::max())
                           .value_or(std::max<std::uint64_t>(spec.batch, spec.budget / 10));
    } else if (const toml::node* node = table.get("initial")) {
        config.fail(*node, "search.initial", "applies to method = \"bayesian\" only");
    }
    // A search needs something to search: at least one parameter with two values or more.
    bool swept = false;
    for (const auto& axis : grid.axes()) swept = swept || axis.values.size() > 1;
    if (!swept)
        config.fail(table, "search",
                    "the search space is empty: [grid] gives every parameter a single value; give at least one a "
                    "list or a range");
    return spec;
}

// [walk_forward]: train, test, step (durations such as "2y", "6M", "30d", or bar counts), mode.
WalkForwardSpec read_walk_forward(const ConfigReader& config, const toml::table& table) {
    config.check_keys(table, "walk_forward.", {"train", "test", "step", "mode"});
    const auto length = [&](const char* key) -> std::optional<WindowLength> {
        const toml::node* node = table.get(key);
        if (node == nullptr) return std::nullopt;
        const std::string name = std::string("walk_forward.") + key;
        try {
            if (node->is_integer()) return bar_count(node->as_integer()->get());
            if (node->is_string()) return parse_window_length(node->as_string()->get());
        } catch (const UserError& error) {
            config.fail(*node, name, error.what());
        }
        config.fail(
            *node, name,
            "expected a duration (\"2y\", \"6M\", \"30d\", \"12h\") or a bar count, found " + config.type_name(*node));
    };
    WalkForwardSpec spec;
    const auto train = length("train");
    const auto test = length("test");
    if (!train) config.fail(table, "walk_forward", "missing 'train' (the in-sample window: \"2y\", or a bar count)");
    if (!test) config.fail(table, "walk_forward", "missing 'test' (the out-of-sample window: \"6M\", or a bar count)");
    spec.train = *train;
    spec.test = *test;
    spec.step = length("step").value_or(*test);
    if (const toml::node* node = table.get("mode")) {
        try {
            spec.mode = parse_walk_forward_mode(config.string(*node, "walk_forward.mode"));
        } catch (const UserError& error) {
            config.fail(*node, "walk_forward.mode", error.what());
        }
    }
    return spec;
}

}  // namespace

SweepSpec load_sweep_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides,
                            const std::string& store_directory) {
    if (fs::is_directory(path)) throw UserError(path + ": is a directory; expected a sweep config file (.toml)");
    if (!fs::is_regular_file(path)) throw UserError(path + ": no such config file");
    ConfigReader config(path, overrides);
    config.check_keys(config.root(), "", {"sweep", "grid", "rank", "output", "overfitting", "search", "walk_forward"});
    const toml::table& sweep = config.section("sweep", true);
    config.check_keys(sweep, "sweep.",
                      {"name", "recordings", "strategy", "constraints", "periods_per_year", "max_combinations"});
    SweepSpec spec;
    spec.config_path = path;
    spec.name =
        sweep.contains("name") ? config.string(*sweep.get("name"), "sweep.name") : fs::path(path).stem().string();
    // The name becomes a directory under sweep-out/ when the output names none: one path component.
    if (spec.name.empty() || spec.name == "." || spec.name == ".." ||
        spec.name.find_first_of("/\\") != std::string::npos || first_invalid_utf8(spec.name) != std::string::npos) {
        const std::string message = "expected a name usable as a directory (no '/', not '.' or '..', UTF-8), found '" +
                                    printable(spec.name) + "'";
        if (sweep.contains("name")) config.fail(*sweep.get("name"), "sweep.name", message);
        throw UserError(path + ": the config's file name gives the sweep's name: " + message);
    }
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
    spec.grid = read_grid(config, grid, sweep.get("constraints"), *strategy);

    spec.rank = read_rank(config, config.section("rank", false));
    spec.overfitting = read_overfitting(config, config.section("overfitting", false));
    spec.search = read_search(config, config.section("search", false), *spec.grid);
    if (const toml::node* node = config.root().get("walk_forward")) {
        spec.walk_forward = read_walk_forward(config, config.section("walk_forward", false));
        spec.walk_forward_where = config.where(*node, "walk_forward");
    }
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
