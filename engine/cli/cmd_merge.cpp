// `tapegrid merge`: joins the shards of one sweep (tapegrid sweep --shard K/N) into the outputs
// of an ordinary sweep, checking first that they are every part of one sweep.
#include <fmt/format.h>
#include <glob.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/slurm_environment.h"
#include "engine/cli/sweep_views.h"
#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/recording_seal.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/shard_set.h"
#include "io/results/sweep_directory.h"

namespace tapegrid::cli {

namespace {

namespace fs = std::filesystem;

// Each argument is a directory, or a glob pattern (quoted, so that the shell left it alone)
// matching directories; a pattern matching nothing is an error, as a missing directory is.
std::vector<std::string> expand_directories(const std::vector<std::string>& arguments) {
    std::vector<std::string> directories;
    for (const auto& argument : arguments) {
        if (argument.find_first_of("*?[") == std::string::npos || fs::exists(argument)) {
            directories.push_back(argument);
            continue;
        }
        glob_t matches{};
        const int status = ::glob(argument.c_str(), GLOB_ONLYDIR, nullptr, &matches);
        if (status == 0)
            for (std::size_t i = 0; i < matches.gl_pathc; ++i) directories.emplace_back(matches.gl_pathv[i]);
        ::globfree(&matches);
        if (status != 0) throw UserError("'" + printable(argument) + "' matches no directory");
    }
    return directories;
}

CommandLine merge_command_line() {
    CommandLine line;
    line.usage = "tapegrid merge SHARD_DIR... --out DIR [--threads N] [--overwrite]";
    line.description =
        "Joins the output directories of every shard of one sweep (tapegrid sweep CONFIG --shard K/N) into the\n"
        "outputs of one ordinary sweep in --out: results.csv (byte for byte what one process writes), results.h5,\n"
        "top.json (ranked again over every row, the best replayed with their trades), config.toml and plan.json.\n"
        "Directories may be given as a quoted glob ('out/shard-*'). Before writing anything it checks that the\n"
        "shards are all there, each once, finished, from one config, the same recordings and this tapegrid\n"
        "version; it reads the config and the recordings again from where the shards found them (shard.json).";
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads = slurm_cpus_per_task(process_environment()).value_or(cores);
    line.options.add_options()("out", po::value<std::string>()->required(), "the merged sweep's output directory")(
        "threads", po::value<Count>()->default_value(Count{threads}, std::to_string(threads)),
        "threads for the best rows' replays")("overwrite", "replace the results of an earlier sweep in --out")(
        "quiet", "no ranked table");
    line.hidden.add_options()("shards", po::value<std::vector<std::string>>()->required(), "shards");
    line.positional.add("shards", -1);
    add_json_option(line);
    return line;
}

}  // namespace

int run_merge(const Arguments& arguments) {
    CommandLine line = merge_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const bool json = options->count("json") > 0;
    const std::string out = (*options)["out"].as<std::string>();

    const ShardSet shards = read_shard_set(expand_directories((*options)["shards"].as<std::vector<std::string>>()));
    const ShardManifest& first = shards.manifests.front();
    if (!fs::is_regular_file(first.config_path))
        throw UserError(
            fmt::format("{}: the shards' config is no longer there (merge reads it again from where "
                        "the shards found it, as {} says)",
                        first.config_path, (fs::path(shards.directories.front()) / kShardManifestFile).string()));
    SweepSpec spec = load_sweep_config(first.config_path, first.overrides, first.store_directory);
    spec.output_directory = out;
    for (const auto& directory : shards.directories)
        if (fs::exists(out) && fs::equivalent(out, directory))
            throw UserError(out + ": is one of the shards' directories; give --out a directory of its own");
    if (spec.recordings.size() != first.recordings.size())
        throw UserError(fmt::format("{}: now names {} recordings; the shards replayed {}", first.config_path,
                                    spec.recordings.size(), first.recordings.size()));
    for (std::size_t i = 0; i < spec.recordings.size(); ++i)
        if (const std::string hash = content_hash(spec.recordings[i]); hash != first.recordings[i].content_hash)
            throw UserError(
                fmt::format("{}: its content ({}) is not what the shards replayed ({}): the recording "
                            "changed since they ran",
                            spec.recordings[i], hash, first.recordings[i].content_hash));
    SweepRequest request;
    request.threads = count_option(*options, "threads", 1, 1024);
    request.force = true;  // the shards already ran it
    const SweepRunner runner(spec, load_sweep_input(spec.recordings), request);
    if (fmt::format("{:016x}", runner.config_fingerprint()) != first.config_fingerprint)
        throw UserError(
            fmt::format("{}: the config (with the shards' --set values) is not the one the shards ran: "
                        "it changed since",
                        first.config_path));

    // Rows that turn out not to be the plan's (a shard's results.csv edited or cut) stop the
    // merge half-way: a directory it created is removed, so no half-merged sweep is left.
    const bool created = !fs::exists(out);
    std::unique_ptr<SweepDirectory> directory;
    SweepOutcome outcome;
    try {
        directory = std::make_unique<SweepDirectory>(out, runner, options->count("overwrite") > 0);
        // The shards' block returns, in shard order (the rows' order), for the overfitting report.
        if (spec.overfitting.enabled)
            for (const std::string& shard : shards.directories) {
                const fs::path blocks = fs::path(shard) / "block_returns.bin";
                if (fs::exists(blocks)) directory->write_block_returns(read_block_returns_file(blocks.string()));
            }
        ShardRows rows(shards, *spec.grid);
        outcome = runner.adopt_rows(*directory, [&](std::vector<SweepRow>& batch) { return rows.next(batch); });
        directory->finish(outcome);
    } catch (...) {
        directory.reset();
        std::error_code ignored;
        if (created) fs::remove_all(out, ignored);
        throw;
    }

    if (json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"output_directory", directory->path().string()},
                                    {"shards", shards.directories},
                                    {"rows", outcome.rows_written},
                                    {"top", directory->top_json()["top"]},
                                    {"original", directory->top_json()["original"]},
                                    {"overfitting", directory->top_json()["overfitting"]}}
                         .dump(2)
                  << '\n';
    } else if (!options->count("quiet")) {
        print_sweep_ranking(runner, outcome);
        std::cerr << fmt::format("merge: {} shards, {} rows; results in {}\n", shards.directories.size(),
                                 outcome.rows_written, directory->path().string());
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
