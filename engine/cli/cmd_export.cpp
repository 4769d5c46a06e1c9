// `tapegrid export`: a recording to CSV or JSON files.
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "io/export/recording_export.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

int run_export(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid export REC --format csv|json -o DIR";
    line.description =
        "Writes a recording (a file, or an id in the store) to DIR: recording.json (metadata), bars/<SYMBOL>.csv\n"
        "or .json (one file per symbol, with its indicator columns) and events.csv or .json. `tapegrid import DIR`\n"
        "reads it back to the same data.";
    line.options.add_options()("format", po::value<std::string>()->default_value("csv"), "csv or json")(
        "output,o", po::value<std::string>()->required(), "the directory to write (created; must not hold an export)");
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string format_text = (*options)["format"].as<std::string>();
    if (format_text != "csv" && format_text != "json")
        throw UserError("--format: expected csv or json, found '" + format_text + "'");
    const std::string path = recording_path(*options);
    const std::string directory = (*options)["output"].as<std::string>();
    const ExportSummary exported =
        export_recording_file(path, directory, format_text == "csv" ? ExportFormat::kCsv : ExportFormat::kJson);
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", exported.recording_id},
                                    {"directory", directory},
                                    {"format", format_text}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << "exported " << exported.recording_id << " to " << directory << " (" << format_text
                  << "): " << exported.symbols << " symbols, " << exported.bars << " bars, " << exported.events
                  << " events\n";
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
