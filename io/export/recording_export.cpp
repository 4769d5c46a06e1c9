// Recording export: the manifest, then each symbol's bars and the events, a batch at a time.
#include "io/export/recording_export.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/errors.h"
#include "io/export/export_files.h"
#include "io/export/export_source.h"
#include "io/export/export_text.h"
#include "io/json/recording_info_json.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

constexpr int kExportVersion = 1;
// Rows per batch (and events per page): a few MB of text, whatever the recording's size.
constexpr std::size_t kBatchRows = std::size_t{1} << 16;

void write_bars_csv(ExportSymbolSource& bars, const fs::path& path) {
    ExportFile file(path);
    file.write(export_text::bars_csv_header(bars.indicator_names()));
    std::string text;
    while (const SymbolBars* batch = bars.next_batch()) {
        text.clear();
        export_text::append_bars_csv(*batch, text);
        file.write(text);
    }
    file.close();
}

// One JSON array, written a batch of rows at a time; `append` adds rows [first, first + count).
template <class Append>
void write_json_array(ExportFile& file, std::size_t rows, const Append& append) {
    std::string text = "[";
    for (std::size_t first = 0; first < rows || first == 0; first += kBatchRows) {
        append(first, std::min(kBatchRows, rows - first), first > 0, text);
        if (first + kBatchRows >= rows) text += ']';
        file.write(text);
        text.clear();
    }
}

// The document nlohmann's dump() would give the whole symbol: an object's keys in sorted
// order, so close, high, indicators (by name), low, open, sequence, symbol, timestamp, volume.
// Written a column at a time; every row is checked first, so that no bad row is exported.
void write_bars_json(ExportSymbolSource& bars, const std::string& symbol, const fs::path& path) {
    while (bars.next_batch() != nullptr) {
    }
    const std::size_t rows = bars.rows();
    ExportFile file(path);
    const auto numbers = [&](BarField field) {
        write_json_array(file, rows, [&](std::size_t first, std::size_t count, bool continued, std::string& text) {
            export_text::append_json_numbers(bars.numbers(field, first, count), continued, text);
        });
    };
    const auto key = [&](const char* name) { file.write(fmt::format("\"{}\":", name)); };
    file.write("{");
    key("close"), numbers(BarField::kClose), file.write(",");
    key("high"), numbers(BarField::kHigh), file.write(",");
    key("indicators"), file.write("{");
    // As a JSON object holds them: sorted by name, the last of two equal names kept.
    std::map<std::string, std::size_t> indicators;
    for (std::size_t i = 0; i < bars.indicator_names().size(); ++i) indicators[bars.indicator_names()[i]] = i;
    for (auto it = indicators.begin(); it != indicators.end(); ++it) {
        if (it != indicators.begin()) file.write(",");
        file.write(export_text::json_string(it->first) + ":");
        write_json_array(file, rows, [&](std::size_t first, std::size_t count, bool continued, std::string& text) {
            export_text::append_json_numbers(bars.indicator(it->second, first, count), continued, text);
        });
    }
    file.write("},");
    key("low"), numbers(BarField::kLow), file.write(",");
    key("open"), numbers(BarField::kOpen), file.write(",");
    key("sequence");
    write_json_array(file, rows, [&](std::size_t first, std::size_t count, bool continued, std::string& text) {
        export_text::append_json_integers(bars.integers(BarField::kSequence, first, count), continued, text);
    });
    file.write(",");
    key("symbol"), file.write(export_text::json_string(symbol) + ",");
    key("timestamp");
    write_json_array(file, rows, [&](std::size_t first, std::size_t count, bool continued, std::string& text) {
        export_text::append_json_times(bars.integers(BarField::kTimestamp, first, count), continued, text);
    });
    file.write(",");
    key("volume"), numbers(BarField::kVolume), file.write("}\n");
    file.close();
}

void write_events(ExportSource& source, bool csv, const fs::path& path) {
    ExportFile file(path);
    const std::size_t count = source.event_count();
    if (csv) {
        file.write(export_text::events_csv_header());
        std::string text;
        for (std::size_t first = 0; first < count; first += kBatchRows) {
            text.clear();
            export_text::append_events_csv(source.events(first, std::min(kBatchRows, count - first)), text);
            file.write(text);
        }
    } else {
        write_json_array(file, count, [&](std::size_t first, std::size_t page, bool continued, std::string& text) {
            export_text::append_json_events(source.events(first, page), continued, text);
        });
        file.write("\n");
    }
    file.close();
}

ExportSummary export_source(ExportSource& source, const std::string& directory, ExportFormat format) {
    const fs::path root(directory);
    if (fs::exists(root / "recording.json"))
        throw UserError(directory + ": already holds an export (recording.json); choose another directory");
    if (fs::exists(root) && !fs::is_directory(root)) throw UserError(directory + ": exists and is not a directory");
    const bool csv = format == ExportFormat::kCsv;
    const char* extension = csv ? ".csv" : ".json";
    const std::vector<std::string>& symbols = source.symbols();
    nlohmann::json manifest;
    manifest["tapegrid_export"] = kExportVersion;
    manifest["format"] = csv ? "csv" : "json";
    manifest["recording"] = recording_info_to_json(source.info());
    manifest["bars"] = nlohmann::json::object();
    manifest["events"] = std::string("events") + extension;
    for (const auto& symbol : symbols) manifest["bars"][symbol] = fmt::format("bars/{}{}", symbol, extension);

    // Every path checked before the first byte is written.
    ExportFiles files;
    files.make_directory(root / "bars");
    std::vector<fs::path> bar_files;
    bar_files.reserve(symbols.size());
    for (const auto& symbol : symbols)
        bar_files.push_back(files.new_file(root / manifest["bars"][symbol].get<std::string>()));
    const fs::path events_file = files.new_file(root / manifest["events"].get<std::string>());
    const fs::path manifest_file = files.new_file(root / "recording.json");

    ExportSummary summary{source.info().recording_id, symbols.size(), 0, 0};
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        const auto bars = source.open_symbol(s);
        if (csv)
            write_bars_csv(*bars, bar_files[s]);
        else
            write_bars_json(*bars, symbols[s], bar_files[s]);
        summary.bars += bars->rows();
    }
    write_events(source, csv, events_file);
    summary.events = source.event_count();
    // The manifest last: a directory without it is an unfinished export, never read back.
    ExportFile manifest_out(manifest_file);
    manifest_out.write(manifest.dump(2) + "\n");
    manifest_out.close();
    files.finish();
    return summary;
}

}  // namespace

void export_recording(const Recording& recording, const std::string& directory, ExportFormat format) {
    const auto source = memory_export_source(recording);
    export_source(*source, directory, format);
}

ExportSummary export_recording_file(const std::string& path, const std::string& directory, ExportFormat format) {
    const auto source = file_export_source(path, kBatchRows);
    return export_source(*source, directory, format);
}

bool is_export_directory(const std::string& path) {
    return fs::is_directory(path) && fs::exists(fs::path(path) / "recording.json");
}

}  // namespace tapegrid
