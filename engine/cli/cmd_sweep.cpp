// `tapegrid sweep`: reads its options, then runs engine/sweep's SweepRunner into a SweepDirectory.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/human_units.h"
#include "engine/cli/progress_bar.h"
#include "engine/cli/slurm_environment.h"
#include "engine/cli/stop_signals.h"
#include "engine/cli/sweep_views.h"
#include "engine/cli/table.h"
#include "engine/core/errors.h"
#include "engine/core/printable.h"
#if TAPEGRID_WITH_MPI
#include "engine/distributed/mpi_sweep.h"
#endif
#include "engine/sweep/sweep_runner.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/sweep_directory.h"
#include "io/results/sweep_reports.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

void print_plan(const SweepRunner& runner) {
    const SweepSpec& spec = runner.spec();
    const SweepPlan& plan = runner.plan();
    std::cout << fmt::format("plan: {} on {} recording{} ({} symbols, {} bars)\n", spec.strategy,
                             spec.recordings.size(), spec.recordings.size() == 1 ? "" : "s", runner.symbol_count(),
                             plan.bars);
    if (runner.searches())  // its groups and tasks are planned batch by batch
        std::cout << fmt::format(
            "      {} of the grid's {} combinations, searched; {} indicator series in its first "
            "batch\n",
            plan.combinations, plan.grid_size, plan.distinct_series.size());
    else
        std::cout << fmt::format(
            "      {} combinations ({} in the grid{}{}) in {} groups sharing {} indicator series\n", plan.combinations,
            plan.grid_size,
            plan.dropped_by_constraints > 0 ? fmt::format(", {} dropped by constraints", plan.dropped_by_constraints)
                                            : "",
            plan.dropped_by_rules > 0 ? fmt::format(", {} by the strategy's rules", plan.dropped_by_rules) : "",
            plan.groups.size(), plan.distinct_series.size());
    std::cout << fmt::format("      {} bar-evaluations on {} thread{}: about {}, about {} of memory\n",
                             human_count(static_cast<double>(plan.bar_evaluations)), runner.threads(),
                             runner.threads() == 1 ? "" : "s", human_seconds(runner.estimated_seconds()),
                             human_count(static_cast<double>(plan.estimated_memory_bytes)) + "B");
    if (!runner.memory().reason.empty()) std::cout << "      recordings " << runner.memory().reason << '\n';
    if (!runner.search_note().empty()) std::cout << "      " << runner.search_note() << '\n';
}

void print_summary(const SweepRunner& runner, const SweepOutcome& outcome, const SweepDirectory& directory) {
    const double evaluations = static_cast<double>(outcome.rows_this_run * runner.data().total_bars);
    std::cerr << fmt::format(
        "sweep: {} combinations, {} bar-evaluations in {} ({}bar-evals/s, {} thread{}){}; results in {}\n",
        outcome.rows_this_run, human_count(evaluations), human_seconds(outcome.wall_seconds),
        human_count(outcome.bar_evaluations_per_second), runner.threads(), runner.threads() == 1 ? "" : "s",
        outcome.interrupted
            ? (runner.searches()   ? ", INTERRUPTED (what ran is kept; a search cannot resume yet)"
               : runner.windowed() ? ", INTERRUPTED (read a window at a time, no row exists before the last "
                                     "window: no row was written; run it again)"
                                   : ", INTERRUPTED (what ran is kept; --resume carries on)")
            : "",
        directory.path().string());
    if (outcome.resumed_at_task > 0)
        std::cerr << fmt::format("(resumed after {} of {} tasks)\n", outcome.resumed_at_task,
                                 runner.plan().tasks.size());
}

#if TAPEGRID_WITH_MPI
std::unique_ptr<MpiSweep> start_mpi() {
    return std::make_unique<MpiSweep>();
}

// A rank other than 0: runs tasks for rank 0 until it has none left.
int help_rank_zero(MpiSweep& mpi, const SweepRunner& runner) {
    const StopSignals signals;
    try {
        mpi.help(runner, &signals.flag());
    } catch (const std::exception& error) {
        std::cerr << "tapegrid sweep: rank " << mpi.rank() << ": " << error.what() << "; ending the MPI job\n";
        mpi.abort(kExitInternalError);
    }
    mpi.barrier();
    return signals.stop_requested() ? signals.exit_code() : kExitOk;
}

// What sharing the tasks cost rank 0 (docs/HPC.md quotes these figures).
void print_traffic(const MpiSweep& mpi, const SweepRunner& runner, const MpiTraffic& traffic) {
    const double per_task =
        traffic.tasks_dealt > 0 ? traffic.serve_seconds / static_cast<double>(traffic.tasks_dealt) : 0.0;
    std::cerr << fmt::format(
        "mpi: {} ranks x {} thread{}; rank 0 dealt {} of {} tasks to the others and took in {} of their rows "
        "({}B, {} B per task); serving took {:.1f} us per task dealt ({:.3f} s in all)\n",
        mpi.ranks(), runner.threads(), runner.threads() == 1 ? "" : "s", traffic.tasks_dealt,
        runner.plan().tasks.size(), traffic.row_messages, human_count(static_cast<double>(traffic.row_bytes)),
        traffic.row_messages > 0 ? traffic.row_bytes / traffic.row_messages : 0, per_task * 1e6, traffic.serve_seconds);
}
#else
// Built without MPI: every use of it is refused before any work.
struct MpiTraffic {};
struct MpiSweep {
    bool coordinator() const { return true; }
    bool agree(bool go) { return go; }
    void barrier() {}
    [[noreturn]] void abort(int) { std::abort(); }
    std::unique_ptr<TaskSharing> coordinate(std::size_t, std::size_t, const std::atomic<bool>*, MpiTraffic*) {
        return nullptr;
    }
};
std::unique_ptr<MpiSweep> start_mpi() {
    throw UserError(
        "--mpi: this tapegrid was built without MPI; install openmpi-bin, libopenmpi-dev and "
        "libboost-mpi-dev (scripts/setup.sh does) and build it again");
}
int help_rank_zero(MpiSweep&, const SweepRunner&) {
    return kExitOk;
}
void print_traffic(const MpiSweep&, const SweepRunner&, const MpiTraffic&) {}
#endif

// --dry-run --shards N: what each shard of N would run, to size an array job before submitting it.
void print_shards(const SweepRunner& runner, std::size_t count, bool json) {
    const SweepPlan& plan = runner.plan();
    const std::vector<ShardRange> shards = cut_shards(plan, count);
    nlohmann::json list = nlohmann::json::array();
    Table table({"shard", "rows", "first_row", "bar-evaluations", "time", "memory"});
    for (std::size_t k = 0; k < shards.size(); ++k) {
        SweepPlan part = plan;
        restrict_plan(part, shards[k], runner.blocks_per_task());
        const double share = plan.combinations == 0
                                 ? 0.0
                                 : static_cast<double>(shards[k].rows()) / static_cast<double>(plan.combinations);
        const double seconds = runner.estimated_seconds() * share;
        list.push_back({{"shard", k},
                        {"first_row", shards[k].first_row},
                        {"end_row", shards[k].end_row},
                        {"rows", shards[k].rows()},
                        {"bar_evaluations", part.bar_evaluations},
                        {"groups", part.groups.size()},
                        {"estimated_seconds", seconds},
                        {"estimated_memory_bytes", part.estimated_memory_bytes}});
        table.add_row({fmt::format("{}/{}", k, count), std::to_string(shards[k].rows()),
                       std::to_string(shards[k].first_row), human_count(static_cast<double>(part.bar_evaluations)),
                       human_seconds(seconds), human_count(static_cast<double>(part.estimated_memory_bytes)) + "B"});
    }
    if (json) {
        std::cout << nlohmann::json{{"success", true}, {"plan", sweep_plan_json(runner)}, {"shards", list}}.dump(2)
                  << '\n';
        return;
    }
    std::cout << fmt::format("\n{} shards, each on {} thread{} (times scale with the threads a shard gets):\n", count,
                             runner.threads(), runner.threads() == 1 ? "" : "s");
    table.print(std::cout);
}

CommandLine sweep_command_line() {
    CommandLine line;
    line.usage = "tapegrid sweep CONFIG.toml [--threads N] [--top K] [--out DIR] [--set key=value ...]";
    line.description =
        "Replays a strategy over recordings across a whole parameter grid, on every core, and ranks the outcomes.\n"
        "The config names the recordings, the strategy, the grid (lists, {start, stop, step} ranges, {start, stop,\n"
        "num, log} spacings, fixed values), constraints, the ranking and the output (docs/SWEEP.md). Everything is\n"
        "checked before any work; the plan is printed first. --out DIR gets results.csv and results.h5 (every\n"
        "combination), top.json (the best with their trades), config.toml and plan.json; under the table, whether\n"
        "rank 1 is real (PSR, DSR, PBO: [overfitting]). A [search] table (method random or bayesian, budget, seed)\n"
        "evaluates part of the grid and adds trace.csv (docs/SEARCH.md). Ctrl-C stops cleanly and keeps what was\n"
        "written.";
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const auto slurm_cpus = slurm_cpus_per_task(process_environment());
    line.options.add_options()("threads",
                               po::value<Count>()->default_value(Count{slurm_cpus.value_or(cores)},
                                                                 std::to_string(slurm_cpus.value_or(cores))),
                               "worker threads (default: SLURM_CPUS_PER_TASK where Slurm sets it, else every core)")(
        "top", po::value<Count>(), "how many ranked rows to show and keep in top.json (rank.top)")(
        "out", po::value<std::string>(), "the output directory (output.directory)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "KEY=VALUE: override a config key, e.g. rank.by=total_pnl or grid.bb_std=[1.5,2.0] (repeatable)")(
        "force", "run a grid above the combination limit (sweep.max_combinations)")(
        "overwrite", "replace the results of an earlier sweep in the output directory")(
        "resume", po::value<std::string>()->implicit_value("yes"),
        "carry on a sweep that stopped (Ctrl-C, a crash, a preemption) from its checkpoint in the output directory; "
        "--resume auto: resume where a checkpoint exists, else start")(
        "shard", po::value<std::string>(),
        "K/N: run only shard K (from 0) of N into --out, for `tapegrid merge` to join; auto: this Slurm array "
        "task's shard (docs/HPC.md)")("shards", po::value<Count>(),
                                      "N: with --dry-run, what each of N shards would run")(
        "mpi", "run as one of the ranks of an MPI job: mpirun -n R tapegrid sweep CONFIG --mpi (docs/HPC.md)")(
        "memory-limit", po::value<std::string>(),
        "SIZE (8G, 512M): above it, the recordings are read a window at a time instead of held in memory "
        "(default: half of this machine's memory; docs/PERFORMANCE.md)")(
        "window-timestamps", po::value<Count>(),
        "N: read the recordings in windows of N timestamps (rounded up to 1,024) whatever their size")(
        "dry-run", "print the plan and stop")("quiet", "no progress bar and no summary line");
    line.hidden.add_options()("config", po::value<std::string>()->required(), "config");
    line.positional.add("config", 1);
    add_store_option(line);
    add_json_option(line);
    return line;
}

// What the options ask for, read and checked before the config is: a bad --shard or --resume
// is reported first.
struct SweepOptions {
    std::string config_path;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::string store;
    std::optional<std::string> out;
    SweepRequest request;
    std::string resume;  // "", "yes" or "auto"
    std::optional<std::size_t> shards;
    bool json = false, quiet = false, dry_run = false, overwrite = false, mpi = false;
    std::uint64_t memory_limit = 0;
    std::optional<std::uint64_t> window_timestamps;
};

SweepOptions read_options(const po::variables_map& options) {
    SweepOptions read;
    read.config_path = options["config"].as<std::string>();
    read.overrides = parse_assignments(options, "set");
    if (options.count("top"))
        read.overrides.emplace_back("rank.top", std::to_string(count_option(options, "top", 1, 100000)));
    read.store = store_directory(options);
    if (options.count("out")) read.out = options["out"].as<std::string>();
    read.json = options.count("json") > 0;
    read.quiet = options.count("quiet") > 0;
    read.dry_run = options.count("dry-run") > 0;
    read.overwrite = options.count("overwrite") > 0;
    read.mpi = options.count("mpi") > 0;
    read.request.threads = count_option(options, "threads", 1, 1024);
    read.request.force = options.count("force") > 0;
    read.memory_limit = options.count("memory-limit")
                            ? parse_byte_size(options["memory-limit"].as<std::string>(), "--memory-limit")
                            : default_memory_limit();
    if (options.count("window-timestamps"))
        read.window_timestamps = count_option(options, "window-timestamps", 1, std::uint64_t{1} << 40);
    if (options.count("shard")) {
        const std::string shard = options["shard"].as<std::string>();
        read.request.shard = shard == "auto" ? shard_from_slurm_array(process_environment()) : parse_shard(shard);
    }
    if (options.count("shards")) {
        if (!read.dry_run)
            throw UserError("--shards N sizes an array with --dry-run; to run a shard, give --shard K/N");
        read.shards = count_option(options, "shards", 1, kMaxShards);
    }
    read.resume = options.count("resume") ? options["resume"].as<std::string>() : "";
    if (!read.resume.empty() && read.resume != "yes" && read.resume != "auto")
        throw UserError("--resume: expected no value, or auto (resume where a checkpoint exists, else start); found '" +
                        printable(read.resume) + "'");
    if (read.mpi && read.request.shard)
        throw UserError("--mpi and --shard: give one (an MPI job runs the whole sweep)");
    return read;
}

// The config with the options applied, and the checkpoint to resume from where one is asked for.
SweepSpec load_spec(SweepOptions& read) {
    SweepSpec spec = load_sweep_config(read.config_path, read.overrides, read.store);
    if (read.out) {
        spec.output_directory = *read.out;
    } else if (read.request.shard) {  // each shard a directory of its own
        spec.output_directory += fmt::format("/shard-{}", read.request.shard->index);
    }
    if (read.resume == "yes" || (read.resume == "auto" && SweepDirectory::has_checkpoint(spec.output_directory)))
        read.request.resume_from = SweepDirectory::checkpoint_to_resume(spec.output_directory);
    return spec;
}

// --dry-run: the plan (printed already), and with --shards N what each shard would run.
int print_dry_run(const SweepRunner& runner, const SweepOptions& read) {
    if (read.shards)
        print_shards(runner, *read.shards, read.json);
    else if (read.json)
        std::cout << nlohmann::json{{"success", true}, {"plan", sweep_plan_json(runner)}}.dump(2) << '\n';
    return kExitOk;
}

// The outputs, opened by the only process or by rank 0 of an MPI job, which tells the other
// ranks whether it could.
std::unique_ptr<SweepDirectory> open_outputs(const SweepRunner& runner, const SweepSpec& spec, const SweepOptions& read,
                                             MpiSweep* mpi) {
    std::unique_ptr<SweepDirectory> directory;
    try {
        const SweepOrigin origin{read.config_path, read.overrides, read.store};
        directory = std::make_unique<SweepDirectory>(spec.output_directory, runner, read.overwrite, origin);
    } catch (...) {
        if (mpi) mpi->agree(false);
        throw;
    }
    if (mpi) mpi->agree(true);
    return directory;
}

// Runs the sweep into `directory` until it ends or a signal stops it; returns the exit code a
// stop gives. In an MPI job, rank 0 deals tasks to the other ranks as it runs its own.
int run_into(const SweepRunner& runner, SweepDirectory& directory, const SweepOptions& read, MpiSweep* mpi,
             SweepOutcome& outcome, MpiTraffic& traffic) {
    int stopped_exit_code = kExitInterrupted;
    try {
        const StopSignals signals;
        SweepProgress progress;
        ProgressBar bar(progress, runner.plan().combinations - runner.rows_before(),
                        !read.quiet && !read.json && ::isatty(STDERR_FILENO));
        std::unique_ptr<TaskSharing> sharing;
        if (mpi)
            sharing = mpi->coordinate(runner.resume_checkpoint() ? runner.resume_checkpoint()->tasks_done : 0,
                                      runner.plan().tasks.size(), &signals.flag(), &traffic);
        outcome = runner.run(directory, &signals.flag(), &progress, sharing.get());
        stopped_exit_code = signals.exit_code();
    } catch (const std::exception& error) {
        if (!mpi) throw;
        std::cerr << "tapegrid sweep: rank 0: " << error.what() << "; ending the MPI job\n";
        mpi->abort(kExitInternalError);
    }
    if (mpi) mpi->barrier();
    directory.finish(outcome);
    return stopped_exit_code;
}

void print_outcome(const SweepRunner& runner, const SweepOutcome& outcome, const SweepDirectory& directory,
                   const SweepOptions& read, const MpiSweep* mpi, const MpiTraffic& traffic, int stopped_exit_code) {
    if (read.json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"output_directory", directory.path().string()},
                                    {"plan", directory.plan_json()},
                                    {"top", directory.top_json()["top"]},
                                    {"original", directory.top_json()["original"]},
                                    {"overfitting", directory.top_json()["overfitting"]}}
                         .dump(2)
                  << '\n';
    } else {
        print_sweep_ranking(runner, outcome);
        if (!read.quiet) print_summary(runner, outcome, directory);
        if (!read.quiet && mpi) print_traffic(*mpi, runner, traffic);
    }
    if (outcome.interrupted && stopped_exit_code == kExitTemporaryFailure && !runner.windowed())
        std::cerr << fmt::format(
            "sweep: stopped by the scheduler's signal after {} of {} tasks; the checkpoint is "
            "written: run the same command with --resume to finish (exit {})\n",
            outcome.tasks_done, runner.plan().tasks.size(), kExitTemporaryFailure);
}

}  // namespace

int run_sweep(const Arguments& given) {
    // `--resume CONFIG` must not read CONFIG as --resume's value: `auto` is the only one.
    Arguments arguments = given;
    for (std::size_t i = 0; i < arguments.size(); ++i)
        if (arguments[i] == "--resume" && (i + 1 == arguments.size() || arguments[i + 1] != "auto"))
            arguments[i] = "--resume=yes";
    CommandLine line = sweep_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    SweepOptions read = read_options(*options);
    const std::unique_ptr<MpiSweep> mpi = read.mpi ? start_mpi() : nullptr;
    const SweepSpec spec = load_spec(read);
    const SweepRunner runner(spec, open_sweep_input(spec, read.request, read.memory_limit, read.window_timestamps),
                             read.request);
    if (mpi && !mpi->coordinator()) {  // rank 0 speaks for the job; the others run tasks for it
        if (read.dry_run) return kExitOk;
        if (!mpi->agree(false)) return kExitUserError;  // rank 0 could not open the outputs, and says why
        return help_rank_zero(*mpi, runner);
    }
    if ((!read.quiet || read.dry_run) && !read.json) print_plan(runner);
    if (read.dry_run) return print_dry_run(runner, read);

    const std::unique_ptr<SweepDirectory> directory = open_outputs(runner, spec, read, mpi.get());
    SweepOutcome outcome;
    MpiTraffic traffic;
    const int stopped_exit_code = run_into(runner, *directory, read, mpi.get(), outcome, traffic);
    print_outcome(runner, outcome, *directory, read, mpi.get(), traffic, stopped_exit_code);
    return outcome.interrupted ? stopped_exit_code : kExitOk;
}

}  // namespace tapegrid::cli
