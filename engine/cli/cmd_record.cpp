// `tapegrid record`: a strategy run as a paper-trading session over a feed, with the recorder attached.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/cli/stop_signals.h"
#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/live/paper_feed.h"
#include "engine/live/paper_session.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "engine/synthetic/market_generator.h"
#include "io/csv/ohlcv_csv_import.h"
#include "io/hdf5/recorder_observer.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/session_recorder.h"
#include "io/json/replay_json.h"
#include "io/store/recording_store.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

struct Feed {
    std::vector<SymbolBars> symbols;
    std::string description;
};

Feed load_feed(const po::variables_map& options) {
    const int sources = static_cast<int>(options.count("csv")) + static_cast<int>(options.count("from")) +
                        static_cast<int>(options.count("synthetic"));
    if (sources != 1) throw UserError("name exactly one feed: --csv FILE..., --from REC or --synthetic");
    Feed feed;
    if (options.count("csv")) {
        feed.symbols = import_ohlcv_csv_files(options["csv"].as<std::vector<std::string>>(), {}, CsvImportOptions{})
                           .recording.bars;
        feed.description = "paper session over CSV files";
    } else if (options.count("from")) {
        const std::string path = resolve_recording(options["from"].as<std::string>(), store_directory(options));
        Recording source = load_recording(path, LoadOptions{.events = false});
        feed.symbols = std::move(source.bars);
        feed.description = "paper session over the bars of recording " + source.info.recording_id;
    } else {
        MarketGeneratorOptions generator;
        generator.symbols = count_option(options, "symbols", 1, 100000);
        generator.bars = count_option(options, "bars", 1, UINT64_MAX);
        generator.seed = count_option(options, "seed", 0, UINT64_MAX);
        feed.symbols = generate_market(generator).bars;
        feed.description = fmt::format("paper session over a synthetic market (seed {})", generator.seed);
    }
    return feed;
}

// A file named with -o, else a new file named by its recording id in the store.
std::string record_target(const po::variables_map& options) {
    if (options.count("output")) return options["output"].as<std::string>();
    std::string store = store_directory(options);
    std::error_code error;
    std::filesystem::create_directories(store, error);
    if (error) throw UserError(store + ": cannot create the store directory: " + error.message());
    return store;
}

CommandLine record_command_line() {
    CommandLine line;
    line.usage = "tapegrid record --strategy NAME [--set k=v ...] (--csv FILE... | --from REC | --synthetic) [-o FILE]";
    line.description =
        "Runs a strategy as a paper-trading session over a feed, bar by bar as if live, with the recorder attached:\n"
        "every bar with the indicators the strategy computed, every SIGNAL_DETECTED with its reasons, every order,\n"
        "fill and position, and on stop the session's trades, pnl and win rate. Ctrl-C stops it cleanly and keeps the\n"
        "recording (status interrupted); open positions close at the last close either way.";
    line.options.add_options()("strategy", po::value<std::string>()->required(),
                               "the strategy (tapegrid strategies lists them)")(
        "set", po::value<std::vector<std::string>>()->composing(), "NAME=VALUE: a parameter (repeatable)")(
        "csv", po::value<std::vector<std::string>>()->multitoken(), "feed: OHLCV CSV files, one symbol each")(
        "from", po::value<std::string>(), "feed: the bars of a recording")(
        "synthetic", "feed: a seeded synthetic market (--symbols, --bars, --seed)")(
        "symbols", po::value<Count>()->default_value(Count{3}, "3"), "synthetic feed: symbols")(
        "bars", po::value<Count>()->default_value(Count{5000}, "5000"), "synthetic feed: bars per symbol")(
        "seed", po::value<Count>()->default_value(Count{42}, "42"), "synthetic feed: seed")(
        "speed", po::value<double>()->default_value(0.0),
        "pace the feed X times faster than its timestamps (0: as fast as possible; waits are capped at 10 s)")(
        "output,o", po::value<std::string>(), "the recording file (default: a new file in the store)")(
        "instance", po::value<std::int64_t>()->default_value(1), "the instance id recorded")(
        "session", po::value<std::string>(), "the session id recorded (default: paper-<time>)")(
        "description", po::value<std::string>(), "the recording's description")(
        "tag", po::value<std::vector<std::string>>()->composing(), "a tag (repeatable)")(
        "flush-records", po::value<Count>()->default_value(Count{10000}, "10000"),
        "flush after this many records (0: never)")("flush-ms", po::value<Count>()->default_value(Count{1000}, "1000"),
                                                    "flush after this many milliseconds (0: never)");
    add_store_option(line);
    add_json_option(line);
    return line;
}

void print_recorded(const SessionRecorder& recorder, const SessionOutcome& outcome, std::size_t bars_fed, bool json) {
    const RecordingInfo info = recorder.get_recording_info();
    if (json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", info.recording_id},
                                    {"path", recorder.path()},
                                    {"status", std::string(to_string(info.status))},
                                    {"bars_fed", bars_fed},
                                    {"total_events_recorded", info.total_events_recorded},
                                    {"original_trades", outcome.trades},
                                    {"original_pnl", outcome.pnl},
                                    {"original_win_rate", outcome.win_rate}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << fmt::format(
            "recorded {} ({}): {} bars, {} events; {} trades, pnl {:.4f}, win rate {:.1f}%\n  {}\n", info.recording_id,
            to_string(info.status), bars_fed, info.total_events_recorded, outcome.trades, outcome.pnl, outcome.win_rate,
            recorder.path());
    }
}

}  // namespace

int run_record(const Arguments& arguments) {
    CommandLine line = record_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;

    const std::string strategy_name = (*options)["strategy"].as<std::string>();
    const StrategyInfo& strategy = find_strategy(strategy_name);
    const ParamSet params =
        apply_overrides(strategy, default_params(strategy.params), parse_assignments(*options, "set"), "--set");
    const FeedPacing pacing{(*options)["speed"].as<double>()};
    if (!(pacing.speed >= 0)) throw UserError("--speed: expected a number >= 0");
    const Feed feed = load_feed(*options);
    // A symbol too short to ever signal would make the recording impossible to replay.
    check_warm_up(strategy_name, prepare_replay_data(feed.symbols, std::nullopt), params);

    std::vector<std::string> symbols;
    for (const auto& bars : feed.symbols) symbols.push_back(bars.symbol);
    const std::string session_id =
        options->count("session") ? (*options)["session"].as<std::string>() : "paper-" + format_iso8601(now_ns());
    const FlushPolicy policy{count_option(*options, "flush-records", 0, UINT64_MAX),
                             std::chrono::milliseconds(count_option(*options, "flush-ms", 0, 86'400'000))};
    SessionRecorder recorder(record_target(*options), session_id, (*options)["instance"].as<std::int64_t>(),
                             strategy_name, params_to_json(strategy, params), symbols, policy);
    RecorderObserver observer(recorder);
    const auto session = PaperSession::create(strategy_name, params, symbols, observer);

    std::size_t bars_fed = 0;
    bool interrupted = false;
    try {
        const StopSignals signals;
        bars_fed = feed_session(feed.symbols, *session, pacing, signals.flag());
        session->finish();  // open positions close at each symbol's last close, stopped or not
        interrupted = signals.stop_requested();
    } catch (const std::exception& error) {
        recorder.mark_failed(error.what());
        throw;
    }
    const SessionOutcome outcome = session->outcome();
    recorder.update_summary_stats(outcome.trades, outcome.pnl, outcome.win_rate);
    const std::string description =
        options->count("description") ? (*options)["description"].as<std::string>() : feed.description;
    if (interrupted) {
        recorder.mark_interrupted(description + " (stopped by the user)");
    } else {
        recorder.stop_recording(description, options->count("tag") ? (*options)["tag"].as<std::vector<std::string>>()
                                                                   : std::vector<std::string>{});
    }
    print_recorded(recorder, outcome, bars_fed, options->count("json") > 0);
    return interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace tapegrid::cli
