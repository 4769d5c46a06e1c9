// `tapegrid recordings list|show|active|delete|prune` (events and bars: cmd_recordings_pages.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/cli/recording_views.h"
#include "engine/core/errors.h"
#include "engine/core/system_memory.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/partial_files.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/json/recording_info_json.h"
#include "io/store/recording_store.h"
#include "io/store/store_json.h"

namespace tapegrid::cli {

int run_recordings_events(const Arguments& arguments);
int run_recordings_bars(const Arguments& arguments);

namespace {

void print_replays(std::ostream& out, const std::vector<ReplaySummary>& replays) {
    if (replays.empty()) {
        out << "  (none)\n";
        return;
    }
    Table table({"replay_id", "created (UTC)", "strategy", "modified_parameters", "trades", "pnl", "win_rate",
                 "trades_diff", "pnl_diff"});
    for (const auto& r : replays)
        table.add_row({r.replay_id, short_time(r.created_at_ns), r.strategy_name, r.modified_parameters,
                       std::to_string(r.total_trades), fmt::format("{:.2f}", r.total_pnl),
                       fmt::format("{:.1f}%", r.win_rate), fmt::format("{:+d}", r.trades_diff),
                       fmt::format("{:+.2f}", r.pnl_diff)});
    table.print(out);
}

int run_list(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings list [--instance ID] [--status S] [--strategy NAME] [--tag T]";
    line.description = "Lists the recordings of the store, newest first, reading their metadata only.";
    line.options.add_options()("instance", po::value<long long>(), "only this instance's recordings")(
        "status", po::value<std::string>(),
        "only recordings with this status (recording, completed, interrupted, failed)")(
        "strategy", po::value<std::string>(), "only recordings of this strategy")("tag", po::value<std::string>(),
                                                                                  "only recordings with this tag");
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    if (options->count("status") && !parse_recording_status((*options)["status"].as<std::string>()))
        throw UserError("--status: expected recording, completed, interrupted or failed, found '" +
                        (*options)["status"].as<std::string>() + "'");
    const std::string store = store_directory(*options);
    std::vector<StoredRecording> shown;
    std::vector<StoredRecording> unreadable;
    for (auto& stored : list_store(store)) {
        if (!stored.info) {
            unreadable.push_back(std::move(stored));
            continue;
        }
        const RecordingInfo& info = *stored.info;
        if (options->count("instance") && info.instance_id != (*options)["instance"].as<long long>()) continue;
        if (options->count("status") && to_string(info.status) != (*options)["status"].as<std::string>()) continue;
        if (options->count("strategy") && info.strategy_name != (*options)["strategy"].as<std::string>()) continue;
        if (options->count("tag") &&
            std::find(info.tags.begin(), info.tags.end(), (*options)["tag"].as<std::string>()) == info.tags.end())
            continue;
        shown.push_back(std::move(stored));
    }
    const std::vector<StalePartialFile> partials = stale_partial_files(store);
    if (options->count("json")) {
        nlohmann::json recordings = nlohmann::json::array();
        for (const auto& stored : shown) recordings.push_back(stored_recording_json(stored));
        nlohmann::json errors = nlohmann::json::array();
        for (const auto& stored : unreadable) errors.push_back(stored_recording_json(stored));
        nlohmann::json stale = nlohmann::json::array();
        for (const auto& partial : partials)
            stale.push_back({{"path", partial.path}, {"bytes", partial.bytes}, {"writer_pid", partial.pid}});
        std::cout << nlohmann::json{{"success", true},          {"store", store},       {"count", shown.size()},
                                    {"recordings", recordings}, {"unreadable", errors}, {"stale_partial_files", stale}}
                         .dump(2)
                  << '\n';
        return kExitOk;
    }
    if (shown.empty()) {
        std::cout << "no recordings"
                  << (std::filesystem::exists(store) ? "" : " (the store " + store + " does not exist yet)") << '\n';
    } else {
        Table table = recordings_table();
        for (const auto& stored : shown) add_recording_row(table, *stored.info, stored.path);
        table.print(std::cout);
        std::cout << shown.size() << " recording" << (shown.size() == 1 ? "" : "s") << " in " << store << '\n';
    }
    for (const auto& stored : unreadable) std::cerr << "warning: " << stored.error << '\n';
    if (!partials.empty()) {
        double bytes = 0;
        for (const auto& partial : partials) bytes += static_cast<double>(partial.bytes);
        std::cerr << fmt::format(
            "note: {} partial file{} ({}) left by writes that were killed; `tapegrid recordings prune --partials` "
            "removes them\n",
            partials.size(), partials.size() == 1 ? "" : "s", human_bytes(bytes));
    }
    return kExitOk;
}

int run_show(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings show REC";
    line.description = "Shows a recording's metadata, its event counts per type and its replays.";
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    const RecordingInfo info = read_recording_info(path);
    const auto replays = list_replays(path);
    if (options->count("json")) {
        nlohmann::json recording = recording_info_to_json(info);
        recording["path"] = path;
        recording["replays"] = replay_summaries_json(replays);
        std::cout << nlohmann::json{{"success", true}, {"recording", recording}}.dump(2) << '\n';
        return kExitOk;
    }
    print_recording(std::cout, info, path);
    std::cout << "\nreplays:\n";
    print_replays(std::cout, replays);
    return kExitOk;
}

int run_replays_list(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings replays REC [--json]";
    line.description = "Lists the replays stored in a recording by `tapegrid replay --save`.";
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    const auto replays = list_replays(path);
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", read_recording_info(path).recording_id},
                                    {"count", replays.size()},
                                    {"replays", replay_summaries_json(replays)}}
                         .dump(2)
                  << '\n';
        return kExitOk;
    }
    print_replays(std::cout, replays);
    return kExitOk;
}

int run_active(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings active --instance ID";
    line.description =
        "Shows the recording an instance is writing right now, from the live sidecar its recorder\n"
        "rewrites at every flush (the HDF5 file itself stays closed to readers while it is written).";
    line.options.add_options()("instance", po::value<long long>()->required(), "the instance id");
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const long long instance = (*options)["instance"].as<long long>();
    const std::string store = store_directory(*options);
    const std::vector<ActiveRecording> active = active_recordings(store, instance);
    if (options->count("json")) {
        nlohmann::json recordings = nlohmann::json::array();
        for (const auto& recording : active) recordings.push_back(active_recording_json(recording));
        std::cout << nlohmann::json{{"success", true},
                                    {"instance_id", instance},
                                    {"recording", active.empty() ? nlohmann::json(nullptr) : recordings.front()},
                                    {"recordings", recordings}}
                         .dump(2)
                  << '\n';
        return kExitOk;
    }
    if (active.empty()) {
        std::cout << "no active recording for instance " << instance << " in " << store << '\n';
        return kExitOk;
    }
    for (const auto& [path, live] : active) {
        print_recording(std::cout, live.info, path);
        std::cout << "\nwriter: pid " << live.pid << " on " << live.hostname << ", last flush "
                  << short_time(live.heartbeat_ns) << " UTC\n";
    }
    return kExitOk;
}

int run_delete(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings delete REC [--yes]";
    line.description = "Deletes a recording file (asks first unless --yes).";
    line.options.add_options()("yes,y", "do not ask");
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    const RecordingInfo info = read_recording_info(path);
    if (!options->count("yes") &&
        !confirm(fmt::format("Delete recording {} ({}, {} bars, {} events)?", info.recording_id, path,
                             info.total_bars_recorded, info.total_events_recorded))) {
        std::cout << "nothing deleted\n";
        return kExitOk;
    }
    delete_recording(path);
    if (options->count("json"))
        std::cout << nlohmann::json{{"success", true}, {"deleted", {info.recording_id}}}.dump(2) << '\n';
    else
        std::cout << "deleted " << info.recording_id << " (" << path << ")\n";
    return kExitOk;
}

// prune --partials: the stale partial files of the store.
int prune_partials(const po::variables_map& options) {
    const std::vector<StalePartialFile> partials = stale_partial_files(store_directory(options));
    const bool dry_run = options.count("dry-run") > 0;
    if (!dry_run && !partials.empty() && !options.count("yes") &&
        !confirm(fmt::format("Delete {} stale partial file{}?", partials.size(), partials.size() == 1 ? "" : "s"))) {
        std::cout << "nothing deleted\n";
        return kExitOk;
    }
    nlohmann::json deleted = nlohmann::json::array();
    for (const auto& partial : partials) {
        std::error_code ignored;
        if (!dry_run) std::filesystem::remove(partial.path, ignored);
        deleted.push_back(partial.path);
        if (!options.count("json"))
            std::cout << (dry_run ? "would delete " : "deleted ") << partial.path << " (" << partial.bytes
                      << " bytes, writer pid " << partial.pid << " gone)\n";
    }
    if (options.count("json"))
        std::cout << nlohmann::json{{"success", true}, {"dry_run", dry_run}, {"deleted", deleted}}.dump(2) << '\n';
    else
        std::cout << partials.size() << " partial file" << (partials.size() == 1 ? "" : "s")
                  << (dry_run ? " would be deleted\n" : " deleted\n");
    return kExitOk;
}

int run_prune(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings prune (--older-than AGE | --partials) [--yes] [--dry-run]";
    line.description =
        "Deletes the recordings of the store that ended more than AGE ago (30d, 12h, 90m, 2w), or with\n"
        "--partials the hidden partial files that writes killed outright left behind (those whose writer\n"
        "is gone). Recordings being written are never pruned. Asks first unless --yes.";
    line.options.add_options()("older-than", po::value<std::string>(), "age: a number with d, h, m, s or w")(
        "partials", "delete stale partial files instead")("status", po::value<std::string>(),
                                                          "only recordings with this status")(
        "dry-run", "list what would be deleted, delete nothing")("yes,y", "do not ask");
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    if (options->count("partials") == options->count("older-than"))
        throw UserError("name what to prune: --older-than AGE, or --partials (usage: " + line.usage + ")");
    if (options->count("partials")) return prune_partials(*options);
    const std::string age_text = (*options)["older-than"].as<std::string>();
    const auto age = parse_duration(age_text);
    if (!age) throw UserError("--older-than: expected an age like 30d, 12h, 90m or 2w, found '" + age_text + "'");
    const TimestampNs cutoff = now_ns() - *age;
    std::vector<StoredRecording> doomed;
    for (auto& stored : list_store(store_directory(*options))) {
        if (!stored.info || stored.live) continue;
        if (options->count("status") && to_string(stored.info->status) != (*options)["status"].as<std::string>())
            continue;
        const TimestampNs ended = stored.info->recording_end_time_ns != 0 ? stored.info->recording_end_time_ns
                                                                          : stored.info->recording_start_time_ns;
        if (ended < cutoff) doomed.push_back(std::move(stored));
    }
    const bool dry_run = options->count("dry-run") > 0;
    if (!dry_run && !doomed.empty() && !options->count("yes") &&
        !confirm(fmt::format("Delete {} recording{} that ended more than {} ago?", doomed.size(),
                             doomed.size() == 1 ? "" : "s", age_text))) {
        std::cout << "nothing deleted\n";
        return kExitOk;
    }
    nlohmann::json deleted = nlohmann::json::array();
    for (const auto& stored : doomed) {
        if (!dry_run) delete_recording(stored.path);
        deleted.push_back(stored.info->recording_id);
    }
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true}, {"dry_run", dry_run}, {"deleted", deleted}}.dump(2) << '\n';
    } else {
        for (const auto& stored : doomed)
            std::cout << (dry_run ? "would delete " : "deleted ") << stored.info->recording_id << " (" << stored.path
                      << ")\n";
        std::cout << doomed.size() << " recording" << (doomed.size() == 1 ? "" : "s")
                  << (dry_run ? " would be deleted\n" : " deleted\n");
    }
    return kExitOk;
}

}  // namespace

int run_recordings(const Arguments& arguments) {
    struct Action {
        const char* name;
        const char* summary;
        int (*run)(const Arguments&);
    };
    static const Action kActions[] = {
        {"list", "list the store's recordings (--instance, --status, --strategy, --tag)", run_list},
        {"show", "one recording's metadata, event counts and replays", run_show},
        {"events", "a page of a recording's events (--type, --symbol, --limit, --offset)", run_recordings_events},
        {"bars", "a page of a recording's bars (--symbol, --from, --to, --limit, --offset)", run_recordings_bars},
        {"replays", "the replays stored in a recording", run_replays_list},
        {"active", "the recording an instance is writing right now", run_active},
        {"delete", "delete a recording", run_delete},
        {"prune", "delete recordings older than an age", run_prune},
    };
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
        std::cout << "usage: tapegrid recordings ACTION [options]   (ACTION --help for its options)\n\nactions:\n";
        for (const auto& action : kActions) std::cout << fmt::format("  {:<8} {}\n", action.name, action.summary);
        return arguments.empty() ? kExitUserError : kExitOk;
    }
    for (const auto& action : kActions)
        if (arguments[0] == action.name) return action.run(Arguments(arguments.begin() + 1, arguments.end()));
    throw UserError("unknown action '" + arguments[0] +
                    "'; expected list, show, events, bars, replays, active, delete or prune");
}

}  // namespace tapegrid::cli
