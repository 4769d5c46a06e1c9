// `tapegrid import`: OHLCV CSV files, or a tapegrid export directory, to a recording.
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/timestamp.h"
#include "engine/core/uuid.h"
#include "io/csv/ohlcv_csv_options.h"
#include "io/export/recording_export.h"
#include "io/import/csv_files_import.h"
#include "io/import/export_directory_import.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

namespace {

// +HH:MM or -HH:MM, hours 0..23 and minutes 0..59 (parse_iso8601 checks both), or Z.
TimestampNs parse_utc_offset(const std::string& text) {
    const auto parsed = parse_iso8601("1970-01-01T00:00:00" + text);
    if (!parsed || (text.size() != 6 && text != "Z"))
        throw UserError("--utc-offset: expected +HH:MM or -HH:MM (hours 00..23, minutes 00..59), found '" +
                        printable(text) + "'");
    return -*parsed;  // "1970-01-01T00:00:00+01:00" is 3600 s before the epoch
}

std::map<std::string, std::string> parse_column_map(const std::vector<std::string>& entries) {
    std::map<std::string, std::string> map;
    for (const auto& entry : entries) {
        const auto equals = entry.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size())
            throw UserError("--map " + entry + ": expected FIELD=COLUMN, e.g. --map close=Last");
        map[entry.substr(0, equals)] = entry.substr(equals + 1);
    }
    return map;
}

CsvImportOptions csv_options(const po::variables_map& options) {
    CsvImportOptions csv;
    if (options.count("map")) csv.column_map = parse_column_map(options["map"].as<std::vector<std::string>>());
    csv.timestamp_format = options["timestamp-format"].as<std::string>();
    if (options.count("utc-offset")) csv.utc_offset_ns = parse_utc_offset(options["utc-offset"].as<std::string>());
    if (options.count("delimiter")) csv.delimiter = options["delimiter"].as<char>();
    csv.no_volume = options.count("no-volume") > 0;
    return csv;
}

void print_imported(const RecordingInfo& info, const ImportReport& report, const std::string& path, bool json) {
    if (json) {
        nlohmann::json symbols = nlohmann::json::object();
        for (const auto& symbol : report.symbols) symbols[symbol.symbol] = symbol.bars;
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", info.recording_id},
                                    {"path", path},
                                    {"bars_per_symbol", symbols},
                                    {"total_bars_recorded", info.total_bars_recorded},
                                    {"total_events_recorded", report.events},
                                    {"notes", report.notes}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << "wrote " << path << "\n  recording_id " << info.recording_id << '\n';
        for (const auto& symbol : report.symbols) {
            std::cout << "  " << symbol.symbol << ": " << symbol.bars << " bars";
            if (symbol.bars > 0)
                std::cout << ", " << format_iso8601(symbol.first_ns) << " .. " << format_iso8601(symbol.last_ns);
            std::cout << '\n';
        }
        if (report.events > 0) std::cout << "  " << report.events << " events\n";
    }
}

CommandLine import_command_line() {
    CommandLine line;
    line.usage = "tapegrid import CSV... [-o FILE] [options]   |   tapegrid import EXPORT_DIR [-o FILE]";
    line.description =
        "Reads OHLCV CSV files into one recording, a symbol per file. Recognised headers: Date, Time,\n"
        "Timestamp/Datetime, Open, High, Low, Close, Volume (any case); other numeric columns (Adj Close,\n"
        "OpenInterest, ...) are kept as indicator columns. Dates and times are ISO 8601 unless\n"
        "--timestamp-format says otherwise; times without a zone are UTC unless --utc-offset says otherwise.\n"
        "Given a directory written by `tapegrid export`, it restores that recording (same recording_id).\n"
        "Without -o the recording goes into the store. Nothing is written when any input is bad.";
    line.options.add_options()("symbol", po::value<std::vector<std::string>>()->composing(),
                               "symbol for each file, in order (default: the file name up to its first - _ or .)")(
        "output,o", po::value<std::string>(), "the recording file to write (must not exist)")(
        "map", po::value<std::vector<std::string>>()->composing(),
        "FIELD=COLUMN: read FIELD (timestamp, date, time, open, high, low, close, volume) from COLUMN")(
        "timestamp-format", po::value<std::string>()->default_value(""),
        "strptime-like pattern (%Y %m %d %H %M %S %f %b %y), or epoch_s, epoch_ms, epoch_us, epoch_ns")(
        "utc-offset", po::value<std::string>(), "the file's times are local at this offset, e.g. +01:00")(
        "delimiter", po::value<char>(), "field delimiter (default: guessed from the header)")(
        "no-volume", "the files have no volume column: record volume 0")("description", po::value<std::string>(),
                                                                         "the recording's description")(
        "tag", po::value<std::vector<std::string>>()->composing(), "a tag for the recording (repeatable)")(
        "new-id", "give a restored export a new recording_id");
    line.hidden.add_options()("inputs", po::value<std::vector<std::string>>(), "inputs");
    line.positional.add("inputs", -1);
    add_store_option(line);
    add_json_option(line);
    return line;
}

}  // namespace

int run_import(const Arguments& arguments) {
    CommandLine line = import_command_line();
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    if (!options->count("inputs"))
        throw UserError("expected at least one CSV file or export directory (usage: " + line.usage + ")");
    const auto inputs = (*options)["inputs"].as<std::vector<std::string>>();

    // The inputs are read as they are written: an export directory's manifest, or nothing of the
    // CSV files, is read here; write() reads the rest a batch at a time.
    std::unique_ptr<RecordingImporter> importer;
    if (inputs.size() == 1 && is_export_directory(inputs[0])) {
        importer = std::make_unique<ExportDirectoryImporter>(inputs[0]);
        if (options->count("new-id")) importer->info().recording_id = make_uuid_v4();
    } else {
        const auto symbols =
            options->count("symbol") ? (*options)["symbol"].as<std::vector<std::string>>() : std::vector<std::string>{};
        importer = std::make_unique<CsvFilesImporter>(inputs, symbols, csv_options(*options));
    }
    RecordingInfo& info = importer->info();
    if (options->count("description")) info.description = (*options)["description"].as<std::string>();
    if (options->count("tag")) info.tags = (*options)["tag"].as<std::vector<std::string>>();

    const std::string path = options->count("output") ? (*options)["output"].as<std::string>()
                                                      : store_path_for(store_directory(*options), info.recording_id);
    if (!options->count("output") && std::filesystem::exists(path))
        throw UserError("recording " + info.recording_id + " is already in the store (" + path +
                        "); pass --new-id to import it as a new recording");
    const ImportReport report = importer->write(path);
    for (const auto& note : report.notes) std::cerr << "note: " << note << '\n';
    print_imported(info, report, path, options->count("json") > 0);
    return kExitOk;
}

}  // namespace tapegrid::cli
