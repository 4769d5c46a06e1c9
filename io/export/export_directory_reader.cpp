// Reading an export back: the manifest's checks, and the bars and events files parsed strictly.
#include "io/export/export_directory_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/export/export_text.h"
#include "io/export/json_bars_stream.h"
#include "io/export/recording_export.h"
#include "io/hdf5/recording_layout.h"
#include "io/json/json_numbers.h"
#include "io/json/recording_info_json.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace fs = std::filesystem;
using export_text::kBarColumns;
using export_text::kEventColumns;

namespace {

constexpr int kExportVersion = 1;

// A CSV field as a number: NaN for an empty field when `allow_empty`, nothing when it is not one.
std::optional<double> csv_double(const std::string& text, bool allow_empty) {
    if (text.empty()) return allow_empty ? std::optional(std::numeric_limits<double>::quiet_NaN()) : std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::int64_t> csv_integer(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// The fields of one CSV line, read strictly; the message of a refusal, which names the file,
// the line and the column, is only made when a field is refused.
class CsvLine {
  public:
    CsvLine(const CsvReader& reader, const std::vector<std::string>& fields) : reader_(reader), fields_(fields) {}

    double number(std::size_t index, std::string_view column, bool allow_empty = false) const {
        if (const auto value = csv_double(fields_[index], allow_empty)) return *value;
        throw UserError(fields_[index].empty() ? where(column) + ": expected a number, found an empty field"
                                               : where(column) + ": expected a number, found '" + fields_[index] + "'");
    }
    std::int64_t integer(std::size_t index, std::string_view column) const {
        if (const auto value = csv_integer(fields_[index])) return *value;
        throw UserError(where(column) + ": expected an integer, found '" + fields_[index] + "'");
    }
    TimestampNs time(std::size_t index, std::string_view column) const {
        if (const auto value = parse_iso8601(fields_[index])) return *value;
        return require_iso8601(fields_[index], where(column));  // throws, saying why
    }
    std::string where() const { return fmt::format("{}:{}", reader_.path(), reader_.line()); }
    std::string where(std::string_view column) const { return fmt::format("{}: {}", where(), column); }

  private:
    const CsvReader& reader_;
    const std::vector<std::string>& fields_;
};

double json_double(const nlohmann::json& value, const std::string& where) {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (value.is_number()) return value.get<double>();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    throw UserError(where + ": expected a number or null, found " + value.dump());
}

// Parsed from the file as it is read, so that its text is never held beside the document.
nlohmann::json parse_json_file(const fs::path& path) {
    std::ifstream in = open_text_file(path.string());
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    }
}

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

}  // namespace

// --- the manifest ------------------------------------------------------------------------

ExportManifest::ExportManifest(const std::string& directory)
    : root_(directory), manifest_path_((root_ / "recording.json").string()) {
    try {
        manifest_ = nlohmann::json::parse(read_text_file(manifest_path_));
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(manifest_path_ + ": not valid JSON: " + error.what());
    }
    // A field of the wrong JSON type is an error of the manifest, like a missing one.
    try {
        if (!manifest_.is_object() || !manifest_.contains("tapegrid_export") ||
            json_whole_number<std::int64_t>(manifest_["tapegrid_export"], manifest_path_ + ": tapegrid_export") !=
                kExportVersion)
            throw UserError(manifest_path_ + ": expected a tapegrid export manifest with tapegrid_export = " +
                            std::to_string(kExportVersion));
        format_ = manifest_.value("format", "");
        if (format_ != "csv" && format_ != "json")
            throw UserError(manifest_path_ + ": field 'format': expected csv or json, found '" + format_ + "'");
        if (!manifest_.contains("recording"))
            throw UserError(manifest_path_ + ": field 'recording': missing; expected the recording's metadata");
        info_ = recording_info_from_json(manifest_["recording"], manifest_path_ + ": recording");
        if (info_.format_version > layout::kFormatVersion)
            throw UserError(manifest_path_ +
                            ": recording: field 'format_version': " + std::to_string(info_.format_version) +
                            " is a newer recording format than this tapegrid reads (up to " +
                            std::to_string(layout::kFormatVersion) + "); use a newer tapegrid");
        info_.format_version = static_cast<int>(layout::kFormatVersion);
        // Each symbol's bars are one file, written once: a symbol listed twice has no one meaning.
        for (auto it = info_.symbols.begin(); it != info_.symbols.end(); ++it)
            if (std::find(std::next(it), info_.symbols.end(), *it) != info_.symbols.end())
                throw UserError(manifest_path_ + ": recording: field 'symbols': '" + *it + "' is listed twice");
        if (!manifest_.contains("bars") || !manifest_["bars"].is_object())
            throw UserError(manifest_path_ + ": field 'bars': expected an object naming each symbol's bars file");
    } catch (const nlohmann::json::exception& error) {
        refuse(error);
    }
}

void ExportManifest::refuse(const std::exception& error) const {
    throw UserError(manifest_path_ + ": expected a tapegrid export manifest: " + error.what());
}

fs::path ExportManifest::bars_file(const std::string& symbol) const {
    try {
        const nlohmann::json& bars = manifest_["bars"];
        if (!bars.contains(symbol) || !bars[symbol].is_string())
            throw UserError(manifest_path_ + ": no bars file listed for symbol '" + symbol + "'");
        return file_inside(root_, bars[symbol].get<std::string>(), manifest_path_ + ": bars of " + symbol);
    } catch (const nlohmann::json::exception& error) {
        refuse(error);
    }
}

fs::path ExportManifest::events_file() const {
    try {
        const nlohmann::json name = manifest_.value("events", nlohmann::json(csv() ? "events.csv" : "events.json"));
        if (!name.is_string()) throw UserError(manifest_path_ + ": field 'events': expected a file name");
        return file_inside(root_, name.get<std::string>(), manifest_path_ + ": events");
    } catch (const nlohmann::json::exception& error) {
        refuse(error);
    }
}

// --- bars ----------------------------------------------------------------------------------

ExportBarsCsvReader::ExportBarsCsvReader(const std::string& symbol, const fs::path& path)
    : symbol_(symbol), reader_(path.string(), ',') {
    if (!reader_.next(header_)) throw UserError(path.string() + ": the file is empty; expected a header line");
    for (std::size_t i = 0; i < std::size(kBarColumns); ++i)
        if (i >= header_.size() || header_[i] != kBarColumns[i])
            throw UserError(fmt::format("{}:1: expected the header to start with {}, found {}", path.string(),
                                        fmt::join(kBarColumns, ","), fmt::join(header_, ",")));
}

bool ExportBarsCsvReader::next(std::size_t max_rows, SymbolBars& batch) {
    const std::size_t indicators = header_.size() - std::size(kBarColumns);
    batch.symbol = symbol_;
    for (auto* column : {&batch.open, &batch.high, &batch.low, &batch.close, &batch.volume}) column->clear();
    batch.timestamp_ns.clear();
    batch.sequence.clear();
    batch.indicators.resize(indicators);
    for (std::size_t k = 0; k < indicators; ++k) {
        batch.indicators[k].name = header_[std::size(kBarColumns) + k];
        batch.indicators[k].values.clear();
    }
    while (batch.size() < max_rows && reader_.next(fields_)) {
        const CsvLine line(reader_, fields_);
        if (fields_.size() != header_.size())
            throw UserError(fmt::format("{}: expected {} fields like the header, found {}", line.where(),
                                        header_.size(), fields_.size()));
        batch.timestamp_ns.push_back(line.time(0, "timestamp"));
        batch.open.push_back(line.number(1, "open"));
        batch.high.push_back(line.number(2, "high"));
        batch.low.push_back(line.number(3, "low"));
        batch.close.push_back(line.number(4, "close"));
        batch.volume.push_back(line.number(5, "volume"));
        batch.sequence.push_back(line.integer(6, "sequence"));
        for (std::size_t k = 0; k < indicators; ++k)
            batch.indicators[k].values.push_back(
                line.number(std::size(kBarColumns) + k, batch.indicators[k].name, /*allow_empty=*/true));
    }
    return batch.size() > 0;
}

SymbolBars read_export_bars_json(const std::string& symbol, const fs::path& path) {
    // The file as the export writes it is converted as it is parsed; any other is read as a
    // document, whose reading says exactly what is wrong with it.
    if (auto bars = read_json_bars_streamed(symbol, path)) return std::move(*bars);
    nlohmann::json json = parse_json_file(path);
    const std::string where = path.string();
    SymbolBars bars;
    bars.symbol = symbol;
    try {
        // Each column leaves the document once converted: the document and the columns are
        // never both whole.
        for (const auto& t : json.at("timestamp"))
            bars.timestamp_ns.push_back(require_iso8601(t.get<std::string>(), where));
        json.erase("timestamp");
        const auto column = [&](const char* name, std::vector<double>& out) {
            const std::string column_where = where + ": " + name;
            for (const auto& v : json.at(name)) out.push_back(json_double(v, column_where));
            json.erase(name);
        };
        column("open", bars.open);
        column("high", bars.high);
        column("low", bars.low);
        column("close", bars.close);
        column("volume", bars.volume);
        bars.sequence = json_whole_numbers<std::int64_t>(json.at("sequence"), where + ": sequence");
        json.erase("sequence");
        for (const auto& [name, values] : json.at("indicators").items()) {
            IndicatorColumn indicator{name, {}};
            const std::string column_where = where + ": " + name;
            for (const auto& v : values) indicator.values.push_back(json_double(v, column_where));
            bars.indicators.push_back(std::move(indicator));
        }
    } catch (const nlohmann::json::exception& error) {
        throw UserError(where + ": expected the columnar bars layout of a tapegrid export: " + error.what());
    }
    return bars;
}

// --- events --------------------------------------------------------------------------------

ExportEventsCsvReader::ExportEventsCsvReader(const fs::path& path) : reader_(path.string(), ',') {
    has_header_ = reader_.next(fields_);  // an empty file: no events
    if (has_header_ && fields_ != std::vector<std::string>(std::begin(kEventColumns), std::end(kEventColumns)))
        throw UserError(fmt::format("{}:1: expected the header {}, found {}", path.string(),
                                    fmt::join(kEventColumns, ","), fmt::join(fields_, ",")));
}

bool ExportEventsCsvReader::next(std::size_t max_events, std::vector<Event>& events) {
    events.clear();
    while (has_header_ && events.size() < max_events && reader_.next(fields_)) {
        const CsvLine line(reader_, fields_);
        if (fields_.size() != std::size(kEventColumns))
            throw UserError(fmt::format("{}: expected {} fields, found {}", line.where(), std::size(kEventColumns),
                                        fields_.size()));
        Event event;
        event.sequence = line.integer(0, "sequence");
        event.timestamp_ns = line.time(1, "timestamp");
        event.type = std::move(fields_[2]);
        event.symbol = std::move(fields_[3]);
        event.event_data = std::move(fields_[4]);
        event.decision_metadata = std::move(fields_[5]);
        event.market_state = std::move(fields_[6]);
        events.push_back(std::move(event));
    }
    return !events.empty();
}

namespace {

Event event_from_json(const nlohmann::json& item, const fs::path& path) {
    Event event;
    event.sequence = json_whole_number<std::int64_t>(item.at("sequence"), path.string() + ": sequence");
    event.timestamp_ns = require_iso8601(item.at("timestamp").get<std::string>(), path.string());
    event.type = item.at("type").get<std::string>();
    event.symbol = item.at("symbol").get<std::string>();
    event.event_data = item.at("event_data").dump();
    event.decision_metadata = item.at("decision_metadata").dump();
    event.market_state = item.at("market_state").dump();
    return event;
}

[[noreturn]] void refuse_events(const fs::path& path, const nlohmann::json::exception& error) {
    throw UserError(path.string() + ": expected an array of events: " + error.what());
}

}  // namespace

void read_export_events_json(const fs::path& path, const std::function<void(Event&&)>& take) {
    using nlohmann::json;
    std::ifstream in = open_text_file(path.string());
    // nlohmann's parser calls back as each value ends; an element of the top-level array
    // (depth 1) is taken, then dropped from the document (the callback returns false).
    bool top_level_array = false;
    const json::parser_callback_t element = [&](int depth, json::parse_event_t event, json& parsed) {
        if (depth == 0 && event == json::parse_event_t::array_start) top_level_array = true;
        const bool ends_value = event == json::parse_event_t::object_end || event == json::parse_event_t::array_end ||
                                event == json::parse_event_t::value;
        if (!top_level_array || depth != 1 || !ends_value) return true;
        try {
            take(event_from_json(parsed, path));
        } catch (const json::exception& error) {
            refuse_events(path, error);
        }
        return false;
    };
    json document;
    try {
        document = json::parse(in, element);
    } catch (const json::parse_error& error) {
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    } catch (const json::out_of_range& error) {  // a number beyond double
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    }
    if (top_level_array) return;
    try {
        for (const auto& item : document) take(event_from_json(item, path));
    } catch (const json::exception& error) {
        refuse_events(path, error);
    }
}

// --- a whole directory, in memory ----------------------------------------------------------

Recording read_export_directory(const std::string& directory) {
    ExportManifest manifest(directory);
    Recording recording;
    recording.info = manifest.info();
    for (const auto& symbol : recording.info.symbols) {
        const fs::path file = manifest.bars_file(symbol);
        SymbolBars bars;
        if (manifest.csv())
            ExportBarsCsvReader(symbol, file).next(std::numeric_limits<std::size_t>::max(), bars);
        else
            bars = read_export_bars_json(symbol, file);
        validate_bars(bars, file.string());
        recording.bars.push_back(std::move(bars));
    }
    const fs::path events_file = manifest.events_file();
    if (manifest.csv())
        ExportEventsCsvReader(events_file).next(std::numeric_limits<std::size_t>::max(), recording.events);
    else
        read_export_events_json(events_file, [&](Event&& event) { recording.events.push_back(std::move(event)); });
    return recording;
}

}  // namespace tapegrid
