// Sweep config loading: the [sweep] table and the order in which every section is read and checked.
#include "io/config/sweep_config.h"

#include <filesystem>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/config/config_reader.h"
#include "io/config/grid_section.h"
#include "io/config/rank_section.h"
#include "io/config/recording_paths.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace fs = std::filesystem;

SweepSpec load_sweep_config(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides,
                            const std::string& store_directory) {
    if (fs::is_directory(path)) throw UserError(path + ": is a directory; expected a sweep config file (.toml)");
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
