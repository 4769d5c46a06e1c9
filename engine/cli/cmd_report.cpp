// `tapegrid report`: the dashboard's pages as self-contained HTML files that open from disk.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/replay/comparison.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/json/recording_info_json.h"
#include "io/json/replay_json.h"
#include "io/results/results_table.h"
#include "io/store/recording_store.h"
#include "io/store/store_json.h"

namespace tapegrid::cli {

namespace {

namespace fs = std::filesystem;

constexpr PageLinks kFile{false};

nlohmann::json read_json_file(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw UserError(path.string() + ": cannot be read; expected a sweep's output directory");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    }
}

std::string sweep_report(const fs::path& directory) {
    const ResultsTable table = read_results_table((directory / "results.csv").string(), kSweepPageRowsRead);
    return sweep_page(read_json_file(directory / "plan.json"), read_json_file(directory / "top.json"), table, kFile);
}

std::string recording_report(const std::string& path, const std::optional<std::string>& replay_id) {
    const Recording recording = load_recording(path);
    if (!replay_id) {
        nlohmann::json info = recording_info_to_json(recording.info);
        info["replays"] = replay_summaries_json(list_replays(path));
        return recording_page(recording, info, kFile);
    }
    const nlohmann::json replay = read_replay(path, *replay_id);
    nlohmann::json original = nlohmann::json::array();
    for (const Trade& trade : trades_from_events(recording.events)) original.push_back(trade_to_json(trade));
    return replay_page(recording_info_to_json(recording.info), replay, original, kFile);
}

// Writes the page under a hidden name next to `out`, then publishes it: link() when nothing may
// be replaced (it fails rather than overwrite), rename() with --overwrite.
void write_page(const fs::path& out, const std::string& html, bool overwrite) {
    std::error_code error;
    if (!overwrite && fs::exists(out, error))
        throw UserError(out.string() + ": already exists; give --overwrite to replace it");
    const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, error))
        throw UserError(out.string() + ": the directory " + parent.string() + " does not exist");
    const fs::path temporary = parent / fmt::format(".{}.{}.partial", out.filename().string(), ::getpid());
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << html;
        file.close();
        if (!file) {
            fs::remove(temporary, error);
            throw UserError(out.string() + ": cannot write the page (disk full, or no permission)");
        }
    }
    if (overwrite) {
        fs::rename(temporary, out, error);
    } else if (::link(temporary.c_str(), out.c_str()) != 0) {
        error = std::error_code(errno, std::generic_category());
    }
    std::error_code ignored;
    if (!overwrite) fs::remove(temporary, ignored);
    if (error) {
        fs::remove(temporary, ignored);
        throw UserError(out.string() + ": cannot write: " + error.message());
    }
}

}  // namespace

int run_report(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid report (REC [--replay ID] | SWEEP_DIR | --recordings) -o FILE.html";
    line.description =
        "Writes a dashboard page as one self-contained HTML file that opens from disk with no network: a\n"
        "recording (prices with its signals, entries and exits, its indicators, its events), a replay\n"
        "against its original (--replay ID: both equity curves, drawdowns, the trades only one of them\n"
        "made, the metrics side by side), a sweep's output directory (heatmaps of any two parameters,\n"
        "a metric's distribution, the top rows), or with --recordings the store's recordings.";
    line.options.add_options()("out,o", po::value<std::string>()->required(), "the HTML file to write")(
        "replay", po::value<std::string>(), "a replay stored in the recording (`tapegrid recordings replays REC`)")(
        "recordings", "the store's recordings as a sortable list")("overwrite", "replace FILE if it exists");
    line.hidden.add_options()("source", po::value<std::string>(), "recording or sweep directory");
    line.positional.add("source", 1);
    add_store_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const fs::path out = (*options)["out"].as<std::string>();
    const bool overwrite = options->count("overwrite") > 0;
    std::string html;
    std::string what;
    if (options->count("recordings")) {
        if (options->count("source") || options->count("replay"))
            throw UserError("--recordings writes the store's list; drop REC and --replay");
        nlohmann::json recordings = nlohmann::json::array();
        for (const auto& stored : list_store(store_directory(*options)))
            if (stored.info) recordings.push_back(recording_info_to_json(*stored.info));
        html = recordings_page(recordings, kFile);
        what = fmt::format("{} recordings", recordings.size());
    } else {
        if (!options->count("source"))
            throw UserError(
                "name what to report: a recording (file or id), a sweep's output directory, or --recordings");
        const std::string source = (*options)["source"].as<std::string>();
        std::error_code error;
        if (fs::is_directory(source, error)) {
            if (options->count("replay")) throw UserError("--replay goes with a recording, not a sweep directory");
            if (!fs::exists(fs::path(source) / "results.csv", error))
                throw UserError(source + ": no results.csv; expected a sweep's output directory");
            html = sweep_report(source);
            what = "sweep " + source;
        } else {
            const std::string path = resolve_recording(source, store_directory(*options));
            std::optional<std::string> replay;
            if (options->count("replay")) replay = (*options)["replay"].as<std::string>();
            html = recording_report(path, replay);
            what = replay ? "replay " + *replay + " of " + path : "recording " + path;
        }
    }
    write_page(out, html, overwrite);
    std::cout << fmt::format("wrote {} ({}, {:.1f} KB)\n", out.string(), what, static_cast<double>(html.size()) / 1024);
    return kExitOk;
}

}  // namespace tapegrid::cli
