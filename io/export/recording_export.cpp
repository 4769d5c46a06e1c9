// Recording export to CSV or JSON files, and the reader that imports an export again.
#include "io/export/recording_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/csv/csv_reader.h"
#include "io/hdf5/recording_layout.h"
#include "io/json/json_numbers.h"
#include "io/json/recording_info_json.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

constexpr int kExportVersion = 1;
const char* const kBarColumns[] = {"timestamp", "open", "high", "low", "close", "volume", "sequence"};
const char* const kEventColumns[] = {"sequence",   "timestamp",         "type",        "symbol",
                                     "event_data", "decision_metadata", "market_state"};

std::string csv_quote(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string csv_number(double value) {
    return std::isnan(value) ? std::string() : fmt::format("{}", value);
}

nlohmann::json json_number(double value) {
    if (std::isnan(value)) return nullptr;
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();  // the last buffer's write can fail too (a full disk, a file size limit)
    if (!out) throw UserError(path.string() + ": cannot write: " + std::strerror(errno));
}

// What one export creates, removed again unless it finishes: a failed export leaves no half of
// itself behind, and it writes over nothing (every file it would write must be new).
class ExportFiles {
  public:
    ExportFiles() = default;
    ExportFiles(const ExportFiles&) = delete;
    ExportFiles& operator=(const ExportFiles&) = delete;
    ~ExportFiles() {
        if (finished_) return;
        std::error_code ignored;  // a directory that holds something else stays
        std::for_each(created_.rbegin(), created_.rend(), [&](const fs::path& path) { fs::remove(path, ignored); });
    }

    // `directory` and its missing parents.
    void make_directory(const fs::path& directory) {
        std::vector<fs::path> missing;
        for (fs::path at = directory; !at.empty() && !fs::exists(at); at = at.parent_path()) missing.push_back(at);
        std::for_each(missing.rbegin(), missing.rend(), [&](const fs::path& at) {
            fs::create_directory(at);
            created_.push_back(at);
        });
    }
    // A file the export will write; refused when something is already there.
    fs::path new_file(const fs::path& path) {
        if (fs::exists(fs::symlink_status(path)))
            throw UserError(path.string() +
                            ": already exists; an export writes only new files (choose another "
                            "directory, or remove it)");
        created_.push_back(path);
        return created_.back();
    }
    void finish() { finished_ = true; }

  private:
    std::vector<fs::path> created_;
    bool finished_ = false;
};

void write_bars_csv(const SymbolBars& bars, const fs::path& path) {
    std::string text;
    text += fmt::format("{}", fmt::join(kBarColumns, ","));
    for (const auto& indicator : bars.indicators) text += fmt::format(",{}", csv_quote(indicator.name));
    text += '\n';
    for (std::size_t i = 0; i < bars.size(); ++i) {
        text += fmt::format("{},{},{},{},{},{},{}", format_iso8601(bars.timestamp_ns[i]), bars.open[i], bars.high[i],
                            bars.low[i], bars.close[i], bars.volume[i], bars.sequence[i]);
        for (const auto& indicator : bars.indicators) text += fmt::format(",{}", csv_number(indicator.values[i]));
        text += '\n';
    }
    write_file(path, text);
}

void write_bars_json(const SymbolBars& bars, const fs::path& path) {
    nlohmann::json json;
    json["symbol"] = bars.symbol;
    auto& times = json["timestamp"] = nlohmann::json::array();
    for (const auto t : bars.timestamp_ns) times.push_back(format_iso8601(t));
    const auto column = [](const std::vector<double>& values) {
        nlohmann::json array = nlohmann::json::array();
        for (const double v : values) array.push_back(json_number(v));
        return array;
    };
    json["open"] = column(bars.open);
    json["high"] = column(bars.high);
    json["low"] = column(bars.low);
    json["close"] = column(bars.close);
    json["volume"] = column(bars.volume);
    json["sequence"] = bars.sequence;
    json["indicators"] = nlohmann::json::object();
    for (const auto& indicator : bars.indicators) json["indicators"][indicator.name] = column(indicator.values);
    write_file(path, json.dump() + "\n");
}

void write_events_csv(const std::vector<Event>& events, const fs::path& path) {
    std::string text = fmt::format("{}\n", fmt::join(kEventColumns, ","));
    for (const auto& e : events)
        text += fmt::format("{},{},{},{},{},{},{}\n", e.sequence, format_iso8601(e.timestamp_ns), csv_quote(e.type),
                            csv_quote(e.symbol), csv_quote(e.event_data), csv_quote(e.decision_metadata),
                            csv_quote(e.market_state));
    write_file(path, text);
}

void write_events_json(const std::vector<Event>& events, const fs::path& path) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& e : events) {
        array.push_back({{"sequence", e.sequence},
                         {"timestamp", format_iso8601(e.timestamp_ns)},
                         {"type", e.type},
                         {"symbol", e.symbol},
                         {"event_data", parse_json_object(e.event_data, "event_data")},
                         {"decision_metadata", parse_json_object(e.decision_metadata, "decision_metadata")},
                         {"market_state", parse_json_object(e.market_state, "market_state")}});
    }
    write_file(path, array.dump() + "\n");
}

// --- reading an export back -------------------------------------------------------------

double read_csv_double(const std::string& text, bool allow_empty, const std::string& where) {
    if (text.empty()) {
        if (allow_empty) return std::numeric_limits<double>::quiet_NaN();
        throw UserError(where + ": expected a number, found an empty field");
    }
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw UserError(where + ": expected a number, found '" + text + "'");
    return value;
}

std::int64_t read_csv_integer(const std::string& text, const std::string& where) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw UserError(where + ": expected an integer, found '" + text + "'");
    return value;
}

TimestampNs read_time(const std::string& text, const std::string& where) {
    return require_iso8601(text, where);
}

SymbolBars read_bars_csv(const std::string& symbol, const fs::path& path) {
    CsvReader reader(path.string(), ',');
    std::vector<std::string> header, fields;
    if (!reader.next(header)) throw UserError(path.string() + ": the file is empty; expected a header line");
    for (std::size_t i = 0; i < std::size(kBarColumns); ++i)
        if (i >= header.size() || header[i] != kBarColumns[i])
            throw UserError(fmt::format("{}:1: expected the header to start with {}, found {}", path.string(),
                                        fmt::join(kBarColumns, ","), fmt::join(header, ",")));
    SymbolBars bars;
    bars.symbol = symbol;
    for (std::size_t i = std::size(kBarColumns); i < header.size(); ++i) bars.indicators.push_back({header[i], {}});
    while (reader.next(fields)) {
        const std::string where = fmt::format("{}:{}", path.string(), reader.line());
        if (fields.size() != header.size())
            throw UserError(
                fmt::format("{}: expected {} fields like the header, found {}", where, header.size(), fields.size()));
        bars.timestamp_ns.push_back(read_time(fields[0], where + ": timestamp"));
        bars.open.push_back(read_csv_double(fields[1], false, where + ": open"));
        bars.high.push_back(read_csv_double(fields[2], false, where + ": high"));
        bars.low.push_back(read_csv_double(fields[3], false, where + ": low"));
        bars.close.push_back(read_csv_double(fields[4], false, where + ": close"));
        bars.volume.push_back(read_csv_double(fields[5], false, where + ": volume"));
        bars.sequence.push_back(read_csv_integer(fields[6], where + ": sequence"));
        for (std::size_t k = 0; k < bars.indicators.size(); ++k)
            bars.indicators[k].values.push_back(
                read_csv_double(fields[std::size(kBarColumns) + k], true, where + ": " + bars.indicators[k].name));
    }
    return bars;
}

double json_double(const nlohmann::json& value, const std::string& where) {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (value.is_number()) return value.get<double>();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    throw UserError(where + ": expected a number or null, found " + value.dump());
}

SymbolBars read_bars_json(const std::string& symbol, const fs::path& path) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(read_text_file(path.string()));
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    }
    const std::string where = path.string();
    SymbolBars bars;
    bars.symbol = symbol;
    try {
        for (const auto& t : json.at("timestamp")) bars.timestamp_ns.push_back(read_time(t.get<std::string>(), where));
        const auto column = [&](const char* name, std::vector<double>& out) {
            for (const auto& v : json.at(name)) out.push_back(json_double(v, where + ": " + name));
        };
        column("open", bars.open);
        column("high", bars.high);
        column("low", bars.low);
        column("close", bars.close);
        column("volume", bars.volume);
        bars.sequence = json_whole_numbers<std::int64_t>(json.at("sequence"), where + ": sequence");
        for (const auto& [name, values] : json.at("indicators").items()) {
            IndicatorColumn indicator{name, {}};
            for (const auto& v : values) indicator.values.push_back(json_double(v, where + ": " + name));
            bars.indicators.push_back(std::move(indicator));
        }
    } catch (const nlohmann::json::exception& error) {
        throw UserError(where + ": expected the columnar bars layout of a tapegrid export: " + error.what());
    }
    return bars;
}

std::vector<Event> read_events_csv(const fs::path& path) {
    CsvReader reader(path.string(), ',');
    std::vector<std::string> header, fields;
    std::vector<Event> events;
    if (!reader.next(header)) return events;
    if (header != std::vector<std::string>(std::begin(kEventColumns), std::end(kEventColumns)))
        throw UserError(fmt::format("{}:1: expected the header {}, found {}", path.string(),
                                    fmt::join(kEventColumns, ","), fmt::join(header, ",")));
    while (reader.next(fields)) {
        const std::string where = fmt::format("{}:{}", path.string(), reader.line());
        if (fields.size() != header.size())
            throw UserError(fmt::format("{}: expected {} fields, found {}", where, header.size(), fields.size()));
        Event event;
        event.sequence = read_csv_integer(fields[0], where + ": sequence");
        event.timestamp_ns = read_time(fields[1], where + ": timestamp");
        event.type = fields[2];
        event.symbol = fields[3];
        event.event_data = fields[4];
        event.decision_metadata = fields[5];
        event.market_state = fields[6];
        events.push_back(std::move(event));
    }
    return events;
}

std::vector<Event> read_events_json(const fs::path& path) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(read_text_file(path.string()));
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    }
    std::vector<Event> events;
    try {
        for (const auto& item : json) {
            Event event;
            event.sequence = json_whole_number<std::int64_t>(item.at("sequence"), path.string() + ": sequence");
            event.timestamp_ns = read_time(item.at("timestamp").get<std::string>(), path.string());
            event.type = item.at("type").get<std::string>();
            event.symbol = item.at("symbol").get<std::string>();
            event.event_data = item.at("event_data").dump();
            event.decision_metadata = item.at("decision_metadata").dump();
            event.market_state = item.at("market_state").dump();
            events.push_back(std::move(event));
        }
    } catch (const nlohmann::json::exception& error) {
        throw UserError(path.string() + ": expected an array of events: " + error.what());
    }
    return events;
}

}  // namespace

void export_recording(const Recording& recording, const std::string& directory, ExportFormat format) {
    const fs::path root(directory);
    if (fs::exists(root / "recording.json"))
        throw UserError(directory + ": already holds an export (recording.json); choose another directory");
    if (fs::exists(root) && !fs::is_directory(root)) throw UserError(directory + ": exists and is not a directory");
    const bool csv = format == ExportFormat::kCsv;
    const char* extension = csv ? ".csv" : ".json";
    nlohmann::json manifest;
    manifest["tapegrid_export"] = kExportVersion;
    manifest["format"] = csv ? "csv" : "json";
    manifest["recording"] = recording_info_to_json(recording.info);
    manifest["bars"] = nlohmann::json::object();
    manifest["events"] = std::string("events") + extension;
    for (const auto& bars : recording.bars)
        manifest["bars"][bars.symbol] = fmt::format("bars/{}{}", bars.symbol, extension);

    // Every path checked before the first byte is written.
    ExportFiles files;
    files.make_directory(root / "bars");
    std::vector<fs::path> bar_files;
    for (const auto& bars : recording.bars)
        bar_files.push_back(files.new_file(root / manifest["bars"][bars.symbol].get<std::string>()));
    const fs::path events_file = files.new_file(root / manifest["events"].get<std::string>());
    const fs::path manifest_file = files.new_file(root / "recording.json");

    for (std::size_t s = 0; s < recording.bars.size(); ++s) {
        if (csv)
            write_bars_csv(recording.bars[s], bar_files[s]);
        else
            write_bars_json(recording.bars[s], bar_files[s]);
    }
    if (csv)
        write_events_csv(recording.events, events_file);
    else
        write_events_json(recording.events, events_file);
    // The manifest last: a directory without it is an unfinished export, never read back.
    write_file(manifest_file, manifest.dump(2) + "\n");
    files.finish();
}

bool is_export_directory(const std::string& path) {
    return fs::is_directory(path) && fs::exists(fs::path(path) / "recording.json");
}

namespace {

// A file a manifest names: a relative path that stays inside the export's directory (no '..',
// no absolute path, no link out of it), or UserError naming the manifest's field.
fs::path file_inside(const fs::path& root, const std::string& name, const std::string& where) {
    const fs::path relative(name);
    bool climbs = relative.is_absolute() || name.empty();
    for (const auto& part : relative) climbs |= part == "..";
    if (climbs)
        throw UserError(where + ": '" + printable(name) +
                        "' is not a file inside the export's directory (expected a relative name without '..')");
    fs::path path = root / relative;
    std::error_code error;
    const fs::path resolved = fs::weakly_canonical(path, error);
    const fs::path resolved_root = fs::weakly_canonical(root, error);
    const auto [root_end, unused] = std::mismatch(resolved_root.begin(), resolved_root.end(), resolved.begin());
    if (root_end != resolved_root.end())
        throw UserError(where + ": '" + printable(name) + "' leads out of the export's directory (a link)");
    return path;
}

// The recording a parsed manifest describes, with its bars and events read.
Recording read_manifest(const fs::path& root, const nlohmann::json& manifest, const std::string& manifest_path) {
    if (!manifest.is_object() || !manifest.contains("tapegrid_export") ||
        json_whole_number<std::int64_t>(manifest["tapegrid_export"], manifest_path + ": tapegrid_export") !=
            kExportVersion)
        throw UserError(manifest_path + ": expected a tapegrid export manifest with tapegrid_export = " +
                        std::to_string(kExportVersion));
    const std::string format = manifest.value("format", "");
    if (format != "csv" && format != "json")
        throw UserError(manifest_path + ": field 'format': expected csv or json, found '" + format + "'");
    Recording recording;
    if (!manifest.contains("recording"))
        throw UserError(manifest_path + ": field 'recording': missing; expected the recording's metadata");
    recording.info = recording_info_from_json(manifest["recording"], manifest_path + ": recording");
    if (recording.info.format_version > layout::kFormatVersion)
        throw UserError(manifest_path +
                        ": recording: field 'format_version': " + std::to_string(recording.info.format_version) +
                        " is a newer recording format than this tapegrid reads (up to " +
                        std::to_string(layout::kFormatVersion) + "); use a newer tapegrid");
    recording.info.format_version = static_cast<int>(layout::kFormatVersion);
    if (!manifest.contains("bars") || !manifest["bars"].is_object())
        throw UserError(manifest_path + ": field 'bars': expected an object naming each symbol's bars file");
    for (const auto& symbol : recording.info.symbols) {
        if (!manifest["bars"].contains(symbol) || !manifest["bars"][symbol].is_string())
            throw UserError(manifest_path + ": no bars file listed for symbol '" + symbol + "'");
        const fs::path file =
            file_inside(root, manifest["bars"][symbol].get<std::string>(), manifest_path + ": bars of " + symbol);
        SymbolBars bars = format == "csv" ? read_bars_csv(symbol, file) : read_bars_json(symbol, file);
        validate_bars(bars, file.string());
        recording.bars.push_back(std::move(bars));
    }
    const nlohmann::json events_name =
        manifest.value("events", nlohmann::json(format == "csv" ? "events.csv" : "events.json"));
    if (!events_name.is_string()) throw UserError(manifest_path + ": field 'events': expected a file name");
    const fs::path events_file = file_inside(root, events_name.get<std::string>(), manifest_path + ": events");
    recording.events = format == "csv" ? read_events_csv(events_file) : read_events_json(events_file);
    return recording;
}

}  // namespace

Recording read_export_directory(const std::string& directory) {
    const fs::path root(directory);
    const std::string manifest_path = (root / "recording.json").string();
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(read_text_file(manifest_path));
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(manifest_path + ": not valid JSON: " + error.what());
    }
    // A field of the wrong JSON type is an error of the manifest, like a missing one.
    try {
        return read_manifest(root, manifest, manifest_path);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(manifest_path + ": expected a tapegrid export manifest: " + error.what());
    }
}

}  // namespace tapegrid
