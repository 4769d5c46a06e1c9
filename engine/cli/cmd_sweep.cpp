// `tapegrid sweep`: a strategy replayed over recordings across a whole parameter grid, ranked.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/table.h"
#include "engine/core/errors.h"
#include "engine/replay/replay_runner.h"
#include "engine/replay/session_replayer.h"
#include "engine/sweep/sweep_graph.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/recording_reader.h"
#include "io/json/replay_json.h"
#include "io/results/sweep_checkpoint.h"
#include "io/results/sweep_writers.h"
#include "io/store/recording_store.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> stop_requested{false};
extern "C" void request_sweep_stop(int) {
    stop_requested = true;
}

constexpr std::uint64_t kNoCombination = UINT64_MAX;

// The recordings' bars side by side; a symbol name that two recordings share is kept apart
// as SYMBOL@<first 8 characters of the recording id>.
std::vector<SymbolBars> load_bars(const SweepSpec& spec, std::vector<RecordingInfo>& infos) {
    std::vector<SymbolBars> symbols;
    std::map<std::string, int> seen;
    std::vector<Recording> recordings;
    for (const auto& path : spec.recordings) {
        recordings.push_back(load_recording(path, LoadOptions{.events = false}));
        for (const auto& bars : recordings.back().bars) ++seen[bars.symbol];
    }
    for (auto& recording : recordings) {
        infos.push_back(recording.info);
        for (auto& bars : recording.bars) {
            if (seen[bars.symbol] > 1)
                bars.symbol = fmt::format("{}@{}", bars.symbol, recording.info.recording_id.substr(0, 8));
            symbols.push_back(std::move(bars));
        }
    }
    return symbols;
}

// The recordings' original parameters, when they all recorded this strategy with the same ones.
std::optional<ParamSet> original_params(const SweepSpec& spec, const std::vector<RecordingInfo>& infos) {
    std::optional<std::string> text;
    for (const auto& info : infos) {
        if (info.strategy_name != spec.strategy) return std::nullopt;
        if (text && *text != info.original_parameters) return std::nullopt;
        text = info.original_parameters;
    }
    if (!text) return std::nullopt;
    return recorded_params(find_strategy(spec.strategy), *text);
}

// The grid index of `params`, or kNoCombination when the grid does not hold them.
std::uint64_t grid_index_of(const ParameterGrid& grid, const ParamSet& params) {
    std::uint64_t index = 0;
    for (const auto& axis : grid.axes()) {
        const auto found = std::find(axis.values.begin(), axis.values.end(), params.values[axis.param]);
        if (found == axis.values.end()) return kNoCombination;
        index = index * axis.values.size() + static_cast<std::uint64_t>(found - axis.values.begin());
    }
    return grid.at(index) == params ? index : kNoCombination;
}

void check_warm_up_for_grid(const SweepSpec& spec, const SweepPlan& plan, const ReplayData& data) {
    ParamSet longest;
    std::size_t warm_up = 0;
    with_strategy(spec.strategy, [&](auto tag) {
        for (const auto& group : plan.groups) {
            const ParamSet params = spec.grid->at(group.combinations.front());
            const std::size_t bars = decltype(tag)::first_signal_bar(params);
            if (bars >= warm_up) warm_up = bars, longest = params;
        }
    });
    if (!plan.groups.empty()) check_warm_up(spec.strategy, data, longest);
}

std::string human_count(double value) {
    if (value >= 1e9) return fmt::format("{:.2f} G", value / 1e9);
    if (value >= 1e6) return fmt::format("{:.1f} M", value / 1e6);
    if (value >= 1e3) return fmt::format("{:.1f} k", value / 1e3);
    return fmt::format("{:.0f}", value);
}

std::string human_seconds(double seconds) {
    if (seconds < 1) return fmt::format("{:.0f} ms", seconds * 1000);
    if (seconds < 120) return fmt::format("{:.1f} s", seconds);
    if (seconds < 7200) return fmt::format("{:.1f} min", seconds / 60);
    return fmt::format("{:.1f} h", seconds / 3600);
}

class ProgressBar {
  public:
    ProgressBar(const SweepProgress& progress, std::uint64_t combinations, bool enabled)
        : progress_(progress), combinations_(combinations), enabled_(enabled) {
        if (enabled_) thread_ = std::thread([this] { loop(); });
    }
    ~ProgressBar() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        done_ = true;
        thread_.join();
        std::cerr << '\r' << std::string(100, ' ') << '\r' << std::flush;
    }

  private:
    void loop() {
        const auto start = std::chrono::steady_clock::now();
        while (!done_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double rows = static_cast<double>(progress_.rows.load());
            const double fraction = combinations_ > 0 ? rows / static_cast<double>(combinations_) : 1.0;
            const double rate = static_cast<double>(progress_.bar_evaluations.load()) / std::max(elapsed, 1e-9);
            const int filled = static_cast<int>(fraction * 30);
            const std::string eta = fraction > 0 ? human_seconds(elapsed / fraction - elapsed) : "-";
            std::cerr << fmt::format("\r[{}{}] {:5.1f}%  {}/{} combinations  {}bar-evals/s  ETA {}   ",
                                     std::string(static_cast<std::size_t>(filled), '#'),
                                     std::string(static_cast<std::size_t>(30 - filled), '.'), fraction * 100,
                                     progress_.rows.load(), combinations_, human_count(rate), eta)
                      << std::flush;
        }
    }

    const SweepProgress& progress_;
    std::uint64_t combinations_;
    bool enabled_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

nlohmann::json plan_json(const SweepSpec& spec, const SweepPlan& plan, std::size_t threads, double estimated_seconds) {
    nlohmann::json series = nlohmann::json::array();
    for (const auto& key : plan.distinct_series) series.push_back(key.describe());
    return {{"name", spec.name},
            {"strategy", spec.strategy},
            {"recordings", spec.recordings},
            {"grid_size", plan.grid_size},
            {"combinations", plan.combinations},
            {"dropped_by_constraints", plan.dropped_by_constraints},
            {"dropped_by_rules", plan.dropped_by_rules},
            {"bars", plan.bars},
            {"bar_evaluations", plan.bar_evaluations},
            {"groups", plan.groups.size()},
            {"tasks", plan.tasks.size()},
            {"distinct_series", series},
            {"threads", threads},
            {"estimated_seconds", estimated_seconds},
            {"estimated_memory_bytes", plan.estimated_memory_bytes}};
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw UserError(path.string() + ": cannot write");
}

}  // namespace

int run_sweep(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid sweep CONFIG.toml [--threads N] [--top K] [--out DIR] [--set key=value ...]";
    line.description =
        "Replays a strategy over recordings across a whole parameter grid, on every core, and ranks the outcomes.\n"
        "The config names the recordings, the strategy, the grid (lists, {start, stop, step} ranges, {start, stop,\n"
        "num, log} spacings, fixed values), constraints, the ranking and the output (docs/SWEEP.md). Everything is\n"
        "checked before any work; the plan is printed first. --out DIR gets results.csv and results.h5 (every\n"
        "combination), top.json (the best with their trades), config.toml and plan.json. Ctrl-C stops cleanly and\n"
        "keeps what was written.";
    line.options.add_options()(
        "threads", po::value<std::size_t>()->default_value(std::max(1u, std::thread::hardware_concurrency())),
        "worker threads")("top", po::value<std::size_t>(),
                          "how many ranked rows to show and keep in top.json (rank.top)")(
        "out", po::value<std::string>(), "the output directory (output.directory)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "KEY=VALUE: override a config key, e.g. rank.by=total_pnl or grid.bb_std=[1.5,2.0] (repeatable)")(
        "force", "run a grid above the combination limit (sweep.max_combinations)")(
        "overwrite", "replace the results of an earlier sweep in the output directory")(
        "resume", "carry on a sweep that stopped (Ctrl-C, a crash) from its checkpoint in the output directory")(
        "dry-run", "print the plan and stop")("quiet", "no progress bar and no summary line");
    line.hidden.add_options()("config", po::value<std::string>()->required(), "config");
    line.positional.add("config", 1);
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    auto overrides = parse_assignments(*options, "set");
    if (options->count("top")) {
        const std::size_t top = (*options)["top"].as<std::size_t>();
        if (top < 1 || top > 100000) throw UserError(fmt::format("--top: expected 1..100000, found {}", top));
        overrides.emplace_back("rank.top", std::to_string(top));
    }
    const std::size_t threads = std::max<std::size_t>(1, (*options)["threads"].as<std::size_t>());
    const bool json = options->count("json") > 0;
    const bool quiet = options->count("quiet") > 0;

    SweepSpec spec = load_sweep_config((*options)["config"].as<std::string>(), overrides, store_directory(*options));
    if (options->count("out")) spec.output_directory = (*options)["out"].as<std::string>();
    std::vector<RecordingInfo> infos;
    const std::vector<SymbolBars> symbols = load_bars(spec, infos);
    const ReplayData data = prepare_replay_data(symbols, spec.periods_per_year);
    const ParameterGrid& grid = *spec.grid;

    // A resumed sweep carries on from its checkpoint, with the same tasks.
    const fs::path out = fs::path(spec.output_directory).lexically_normal();
    const std::string checkpoint_path = (out / "checkpoint.bin").string();
    std::optional<SweepCheckpoint> checkpoint;
    if (options->count("resume")) {
        checkpoint = load_checkpoint(checkpoint_path);
        if (!checkpoint)
            throw UserError(out.string() + ": no checkpoint.bin to resume from; run the sweep without --resume");
    }

    // Plan: combinations, groups, tasks; then the checks that need it.
    // A fresh sweep sizes its tasks from the number of one-block tasks (at least 8 per thread).
    SweepPlan plan = plan_sweep(grid, data, checkpoint ? checkpoint->blocks_per_task : 1);
    const std::size_t blocks_per_task = checkpoint ? static_cast<std::size_t>(checkpoint->blocks_per_task)
                                                   : std::clamp<std::size_t>(plan.tasks.size() / (8 * threads), 1, 8);
    if (!checkpoint) cut_tasks(plan, blocks_per_task);
    std::vector<std::string> recording_ids;
    for (const auto& info : infos) recording_ids.push_back(info.recording_id);
    const std::uint64_t fingerprint =
        sweep_fingerprint(spec.config_text, recording_ids, plan.combinations, plan.tasks.size(), blocks_per_task);
    if (checkpoint && checkpoint->fingerprint != fingerprint)
        throw UserError(checkpoint_path +
                        ": was taken by a sweep with another config, other recordings or another plan; run without "
                        "--resume (and with --overwrite) to start again");
    if (plan.combinations == 0)
        throw UserError(fmt::format(
            "{}: no combination of the grid's {} passes the constraints{}", spec.config_path, plan.grid_size,
            plan.dropped_by_rules > 0 ? " and the strategy's rules (" + plan.rule_example + ")" : ""));
    check_warm_up_for_grid(spec, plan, data);
    if (plan.combinations > spec.max_combinations && !options->count("force"))
        throw UserError(
            fmt::format("{}: the grid has {} combinations, above the limit of {} (sweep.max_combinations); "
                        "pass --force to run it, or raise the limit",
                        spec.config_path, plan.combinations, spec.max_combinations));

    // A short calibration run of the first task gives the time estimate (assuming the threads
    // scale linearly, which they do to within a few percent: docs/PERFORMANCE.md).
    const double single_thread_rate = measure_bar_evaluations_per_second(data, grid, plan);
    const double estimated_seconds =
        static_cast<double>(plan.bar_evaluations) / std::max(single_thread_rate, 1.0) / static_cast<double>(threads);

    if ((!quiet || options->count("dry-run")) && !json) {
        std::cout << fmt::format(
            "plan: {} on {} recording{} ({} symbols, {} bars)\n"
            "      {} combinations ({} in the grid{}{}) in {} groups sharing {} indicator series\n"
            "      {} bar-evaluations on {} thread{}: about {}, about {} of memory\n",
            spec.strategy, spec.recordings.size(), spec.recordings.size() == 1 ? "" : "s", symbols.size(), plan.bars,
            plan.combinations, plan.grid_size,
            plan.dropped_by_constraints > 0 ? fmt::format(", {} dropped by constraints", plan.dropped_by_constraints)
                                            : "",
            plan.dropped_by_rules > 0 ? fmt::format(", {} by the strategy's rules", plan.dropped_by_rules) : "",
            plan.groups.size(), plan.distinct_series.size(), human_count(static_cast<double>(plan.bar_evaluations)),
            threads, threads == 1 ? "" : "s", human_seconds(estimated_seconds),
            human_count(static_cast<double>(plan.estimated_memory_bytes)) + "B");
    }
    if (options->count("dry-run")) {
        if (json)
            std::cout << nlohmann::json{{"success", true}, {"plan", plan_json(spec, plan, threads, estimated_seconds)}}
                             .dump(2)
                      << '\n';
        return kExitOk;
    }

    // Outputs: never over an earlier sweep's results unless asked.
    if (!checkpoint && fs::exists(out / "results.csv") && !options->count("overwrite")) {
        const auto earlier = load_checkpoint(checkpoint_path);
        const bool unfinished = earlier && earlier->fingerprint == fingerprint && earlier->tasks_done < plan.tasks.size();
        throw UserError(out.string() + ": already holds the results of a sweep" +
                        (unfinished ? " that stopped before the end; pass --resume to carry it on, --overwrite to start again"
                                    : "; pass --overwrite to replace them, or --out another directory"));
    }
    std::error_code error;
    fs::create_directories(out, error);
    if (error) throw UserError(out.string() + ": cannot create the output directory: " + error.message());
    write_text(out / "config.toml", spec.config_text);
    nlohmann::json plan_file = plan_json(spec, plan, threads, estimated_seconds);
    write_text(out / "plan.json", plan_file.dump(2) + "\n");

    // The original parameters' row, to show where they rank.
    std::optional<ParamSet> original = original_params(spec, infos);
    SweepRunOptions run;
    run.threads = threads;
    run.stop = &stop_requested;
    SweepProgress progress;
    run.progress = &progress;
    if (original) {
        const ReplayResult replay = run_replay(spec.strategy, data, *original);
        run.reference = SweepRow{grid_index_of(grid, *original), replay.metrics};
    }

    // Resuming: results.h5 is rebuilt from the rows results.csv held at the checkpoint (the
    // CSV is cut back to them), and the ranking restored; then the remaining tasks run.
    const std::string csv_path = (out / "results.csv").string();
    Hdf5ResultsWriter hdf5((out / "results.h5").string(), grid, spec.config_text);
    if (checkpoint) {
        hdf5.write(read_results_csv(csv_path, grid, checkpoint->rows));
        run.first_task = static_cast<std::size_t>(checkpoint->tasks_done);
        run.ranking = checkpoint->ranking;
    }
    CsvResultsWriter csv(csv_path, grid, checkpoint ? std::optional(checkpoint->csv_bytes) : std::nullopt);
    FanOutSink sink({&csv, &hdf5});
    // A checkpoint at most every second, and after the last task written.
    SweepCheckpoint latest = checkpoint.value_or(SweepCheckpoint{fingerprint, blocks_per_task, 0, 0, 0, {}});
    auto last_saved = std::chrono::steady_clock::now();
    run.after_task = [&](std::uint64_t tasks_done, std::uint64_t position, const TopRows& ranking) {
        const SweepTask& last = plan.tasks[tasks_done - 1];
        latest = {fingerprint, blocks_per_task, tasks_done, last.first_row + last.count, position, ranking.state()};
        if (std::chrono::steady_clock::now() - last_saved >= std::chrono::seconds(1)) {
            save_checkpoint(checkpoint_path, latest);
            last_saved = std::chrono::steady_clock::now();
        }
    };
    stop_requested = false;
    std::signal(SIGINT, request_sweep_stop);
    std::signal(SIGTERM, request_sweep_stop);
    SweepRunResult result;
    {
        ProgressBar bar(progress, plan.combinations - latest.rows, !quiet && !json && ::isatty(STDERR_FILENO));
        result = tapegrid::run_sweep(data, grid, plan, spec.rank, sink, run);
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    csv.close();
    hdf5.close();
    save_checkpoint(checkpoint_path, latest);

    // top.json: the best rows with their trades (each replayed once more, recording trades).
    const StrategyInfo& strategy = find_strategy(spec.strategy);
    nlohmann::json top = nlohmann::json::array();
    for (std::size_t i = 0; i < result.top.size(); ++i) {
        nlohmann::json row = sweep_row_json(grid, result.top[i]);
        row["rank"] = i + 1;
        nlohmann::json trades = nlohmann::json::array();
        for (const auto& trade : run_replay(spec.strategy, data, grid.at(result.top[i].combination)).trades)
            trades.push_back(trade_to_json(trade));
        row["positions"] = trades;
        top.push_back(std::move(row));
    }
    nlohmann::json original_json = nullptr;
    if (original && run.reference) {
        original_json = {{"parameters", params_to_json(strategy, *original)},
                         {"rank", result.reference_rank},
                         {"in_grid", run.reference->combination != kNoCombination}};
        for (const Metric metric : kAllMetrics)
            original_json[std::string(metric_name(metric))] =
                finite_or_null(metric_value(run.reference->metrics, metric));
    }
    nlohmann::json rank_json = nlohmann::json::array();
    for (const auto& key : spec.rank.keys)
        rank_json.push_back({{"by", metric_name(key.metric)}, {"order", key.descending ? "descending" : "ascending"}});
    write_text(out / "top.json", nlohmann::json{{"strategy", spec.strategy},
                                                {"rank_by", rank_json},
                                                {"ranked_rows", result.ranked_rows},
                                                {"top", top},
                                                {"original", original_json},
                                                {"interrupted", result.interrupted}}
                                         .dump(2) +
                                     "\n");
    const double rate = static_cast<double>(result.rows * data.total_bars) / std::max(result.wall_seconds, 1e-9);
    plan_file["run"] = {{"rows", latest.rows},
                        {"tasks", latest.tasks_done},
                        {"resumed_at_task", run.first_task},
                        {"rows_this_run", result.rows},
                        {"interrupted", result.interrupted},
                        {"wall_seconds", result.wall_seconds},
                        {"bar_evaluations_per_second", rate}};
    write_text(out / "plan.json", plan_file.dump(2) + "\n");

    if (json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"output_directory", out.string()},
                                    {"plan", plan_file},
                                    {"top", top},
                                    {"original", original_json}}
                         .dump(2)
                  << '\n';
        return result.interrupted ? kExitInterrupted : kExitOk;
    }
    // The ranked table: the grid's parameters, then the figures users compare first.
    std::vector<std::string> header = {"rank"};
    for (const auto& axis : grid.axes()) header.emplace_back(strategy.params[axis.param].name);
    for (const char* metric :
         {"total_trades", "win_rate", "total_pnl", "max_drawdown_pct", "sharpe_ratio", "profit_factor"})
        header.emplace_back(metric);
    Table table(header);
    const auto add = [&](const std::string& rank, const ParamSet& params, const ReplayMetrics& m) {
        std::vector<std::string> cells = {rank};
        for (const auto& axis : grid.axes())
            cells.push_back(strategy.params[axis.param].format(params.values[axis.param]));
        cells.push_back(std::to_string(m.total_trades));
        cells.push_back(fmt::format("{:.1f}", m.win_rate));
        cells.push_back(fmt::format("{:.2f}", m.total_pnl));
        cells.push_back(fmt::format("{:.3f}", m.max_drawdown_pct));
        cells.push_back(fmt::format("{:.3f}", m.sharpe_ratio));
        cells.push_back(std::isfinite(m.profit_factor) ? fmt::format("{:.3f}", m.profit_factor) : "inf");
        table.add_row(cells);
    };
    for (std::size_t i = 0; i < result.top.size(); ++i)
        add(std::to_string(i + 1), grid.at(result.top[i].combination), result.top[i].metrics);
    if (original && run.reference)
        add(fmt::format("orig #{}", result.reference_rank), *original, run.reference->metrics);
    std::cout << fmt::format("\ntop {} by {} ({} of {} rows ranked):\n", result.top.size(),
                             metric_name(spec.rank.keys.front().metric), result.ranked_rows, latest.rows);
    table.print(std::cout);
    std::cout << std::flush;
    if (!quiet)
        std::cerr << fmt::format(
            "sweep: {} combinations, {} bar-evaluations in {} ({}bar-evals/s, {} thread{}){}; "
            "results in {}\n",
            result.rows, human_count(static_cast<double>(result.rows * data.total_bars)),
            human_seconds(result.wall_seconds), human_count(rate), threads, threads == 1 ? "" : "s",
            result.interrupted ? ", INTERRUPTED (what ran is kept; --resume carries on)" : "", out.string());
    if (!quiet && run.first_task > 0)
        std::cerr << fmt::format("(resumed after {} of {} tasks)\n", run.first_task, plan.tasks.size());
    return result.interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace tapegrid::cli
