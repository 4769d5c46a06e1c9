// `tapegrid replay`: a recording replayed with modified parameters, compared with the original.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/cli/recording_views.h"
#include "engine/cli/replay_view.h"
#include "engine/core/errors.h"
#include "engine/replay/session_replayer.h"
#include "engine/replay/verify.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/json/replay_json.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

namespace {

// A position the recording left open, as the report lists it.
nlohmann::json open_position_json(const Trade& trade) {
    return {{"symbol", trade.symbol},
            {"direction", trade.direction_name()},
            {"entry_time", format_iso8601(trade.entry_time_ns)},
            {"entry_price", trade.entry_price},
            {"quantity", trade.quantity},
            {"stop_loss", finite_or_null(trade.stop_loss)},
            {"take_profit", finite_or_null(trade.take_profit)},
            {"replay_exit",
             {{"time", format_iso8601(trade.exit_time_ns)},
              {"price", trade.exit_price},
              {"reason", std::string(to_string(trade.exit_reason))},
              {"pnl", trade.pnl}}}};
}

void print_verify_json(const SessionReplayer& replayer, const VerifyReport& report) {
    const RecordingInfo& info = replayer.recording().info;
    nlohmann::json json = {{"success", true},
                           {"recording_id", info.recording_id},
                           {"status", std::string(to_string(info.status))},
                           {"verified", report.ok()},
                           {"events_checked", report.events_checked},
                           {"trades_replayed", report.trades_replayed},
                           {"ended_early", report.ended_early}};
    if (report.ended_early) {
        json["events_after_end"] = report.events_after_end;
        nlohmann::json open = nlohmann::json::array();
        for (const Trade& trade : report.open_at_end) open.push_back(open_position_json(trade));
        json["open_at_end"] = open;
    }
    if (report.first_divergence) {
        const Divergence& d = *report.first_divergence;
        json["first_divergence"] = {{"symbol", d.symbol},
                                    {"time", format_iso8601(d.time_ns)},
                                    {"what", d.what},
                                    {"recorded", d.recorded},
                                    {"replayed", d.replayed}};
    }
    std::cout << json.dump(2) << '\n';
}

void print_verify_text(const SessionReplayer& replayer, const VerifyReport& report) {
    if (!report.ok()) {
        const Divergence& d = *report.first_divergence;
        std::cout << fmt::format("DIVERGES at {} {}: {}\n  recorded: {}\n  replayed: {}\n", d.symbol,
                                 format_iso8601(d.time_ns), d.what, d.recorded, d.replayed);
        return;
    }
    std::cout << fmt::format(
        "verified: the replay with the original parameters reproduces all {} recorded trade events ({} trades) "
        "exactly\n",
        report.events_checked, report.trades_replayed);
    if (!report.ended_early) return;
    std::cout << fmt::format(
        "the recording ended early (status {}): checked up to where it ends; {} event{} of its last bars were not "
        "recorded\n{} position{} open when it ended (as the replay closes {}):\n",
        to_string(replayer.recording().info.status), report.events_after_end, report.events_after_end == 1 ? "" : "s",
        report.open_at_end.size(), report.open_at_end.size() == 1 ? " was" : "s were",
        report.open_at_end.size() == 1 ? "it" : "them");
    for (const Trade& t : report.open_at_end)
        std::cout << fmt::format("  {} {} since {} at {:.4f}; the replay closes it at {} at {:.4f} ({}), pnl {:.4f}\n",
                                 t.symbol, t.direction_name(), format_iso8601(t.entry_time_ns), t.entry_price,
                                 format_iso8601(t.exit_time_ns), t.exit_price, to_string(t.exit_reason), t.pnl);
}

int verify(const SessionReplayer& replayer, const po::variables_map& options) {
    const ReplayOutcome outcome = replayer.replay();
    const VerifyReport report = verify_replay(replayer.recording(), outcome.result);
    if (options.count("json"))
        print_verify_json(replayer, report);
    else
        print_verify_text(replayer, report);
    return report.ok() ? kExitOk : 1;
}

}  // namespace

int run_replay(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid replay REC [--strategy NAME] [--set k=v ...] [--save] [--verify] [--json]";
    line.description =
        "Replays a recording with modified parameters (unset ones keep their recorded values), recomputing every\n"
        "indicator from the recorded bars, and compares the outcome with the original session: totals, and trade\n"
        "by trade, signal by signal. --save stores the replay inside the recording (the recorded data is never\n"
        "changed). --verify replays with the original parameters and checks that every recorded signal, order,\n"
        "fill and position comes out the same; it exits 1 at the first divergence.";
    line.options.add_options()("strategy", po::value<std::string>(),
                               "replay with this strategy (default: the recording's)")(
        "set", po::value<std::vector<std::string>>()->composing(), "NAME=VALUE: change a parameter (repeatable)")(
        "save", "store the replay in the recording")("description", po::value<std::string>()->default_value(""),
                                                     "a description stored with --save")(
        "verify", "check that the original parameters reproduce the recorded session exactly")(
        "periods-per-year", po::value<double>(), "annualisation for sharpe and sortino (default: from the bars)")(
        "positions", po::value<Count>()->default_value(Count{20}, "20"),
        "positions listed in the table (--json lists all)");
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    std::optional<double> periods_per_year;
    if (options->count("periods-per-year")) {
        periods_per_year = (*options)["periods-per-year"].as<double>();
        if (!(*periods_per_year > 0)) throw UserError("--periods-per-year: expected a number > 0");
    }
    const auto overrides = parse_assignments(*options, "set");
    if (!(*options)["description"].defaulted() && !options->count("save"))
        throw UserError("--description is stored with the replay: add --save");
    if (options->count("verify") && (!overrides.empty() || options->count("strategy") || options->count("save")))
        throw UserError(
            "--verify replays with the recording's own strategy and parameters; drop --set, --strategy and --save");

    const std::string path = recording_path(*options);
    SessionReplayer replayer(load_recording(path), periods_per_year);
    for (const auto& [name, value] : overrides) replayer.set_parameter(name, value);
    if (options->count("verify")) return verify(replayer, *options);

    const std::string strategy = options->count("strategy") ? (*options)["strategy"].as<std::string>() : "";
    const ReplayOutcome outcome = replayer.replay(strategy);
    std::string replay_id;
    const std::string description = (*options)["description"].as<std::string>();
    if (options->count("save")) replay_id = save_replay(path, outcome, description);
    if (options->count("json")) {
        nlohmann::json json = replay_to_json(outcome, replayer.recording().info, replay_id, description, now_ns());
        json["success"] = true;
        json["saved"] = !replay_id.empty();
        std::cout << json.dump(2) << '\n';
    } else {
        print_replay(std::cout, outcome, replayer.recording().info, count_option(*options, "positions", 0, UINT64_MAX),
                     10);
        if (!replay_id.empty()) std::cout << "\nsaved as replay " << replay_id << " in " << path << '\n';
    }
    return kExitOk;
}

int run_replays(const Arguments& arguments) {
    if (arguments.empty() || arguments[0] != "show") {
        if (!arguments.empty() && (arguments[0] == "--help" || arguments[0] == "-h")) {
            std::cout << "usage: tapegrid replays show REC REPLAY_ID [--json]\n\nShows a replay stored with `tapegrid "
                         "replay --save`; `tapegrid recordings replays REC` lists them.\n";
            return kExitOk;
        }
        throw UserError("expected `tapegrid replays show REC REPLAY_ID`");
    }
    CommandLine line;
    line.usage = "tapegrid replays show REC REPLAY_ID [--json]";
    line.description = "Shows a replay stored in a recording by `tapegrid replay --save`.";
    line.hidden.add_options()("rec", po::value<std::string>()->required(), "recording")(
        "replay", po::value<std::string>()->required(), "replay id");
    line.positional.add("rec", 1).add("replay", 1);
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(Arguments(arguments.begin() + 1, arguments.end()), line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    const nlohmann::json replay = read_replay(path, (*options)["replay"].as<std::string>());
    if (options->count("json")) {
        nlohmann::json json = replay;
        json["success"] = true;
        std::cout << json.dump(2) << '\n';
        return kExitOk;
    }
    std::vector<std::pair<std::string, std::string>> fields;
    for (const char* key : {"replay_id", "recording_id", "strategy_name", "created_at", "description"})
        fields.emplace_back(key, replay.value(key, nlohmann::json("")).is_string() ? replay[key].get<std::string>()
                                                                                   : replay[key].dump());
    fields.emplace_back("modified_parameters", replay["modified_parameters"].dump());
    for (const char* key : {"total_trades", "winning_trades", "losing_trades", "win_rate", "total_pnl", "max_drawdown",
                            "max_drawdown_pct", "sharpe_ratio", "sortino_ratio", "profit_factor", "exposure_pct"})
        fields.emplace_back(key, replay[key].dump());
    const auto& c = replay["comparison"];
    for (const char* key : {"trades_diff", "pnl_diff", "win_rate_diff"}) fields.emplace_back(key, c[key].dump());
    fields.emplace_back("positions", std::to_string(replay["positions"].size()));
    print_fields(std::cout, fields);
    return kExitOk;
}

}  // namespace tapegrid::cli
