// Reading an export directory back: its manifest, each symbol's bars file (CSV a batch at a
// time, JSON whole) and its events file (CSV a page at a time), every value checked.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"
#include "engine/core/recording.h"
#include "io/csv/csv_reader.h"

namespace tapegrid {

// An export's recording.json.
class ExportManifest {
  public:
    // Reads `directory`/recording.json and checks the export version, the format and the
    // recording's metadata (a newer format_version is refused); UserError naming the manifest
    // and the field.
    explicit ExportManifest(const std::string& directory);

    bool csv() const { return format_ == "csv"; }
    RecordingInfo& info() { return info_; }
    const RecordingInfo& info() const { return info_; }

    // The file the manifest lists for `symbol`'s bars, or events: a relative name that stays
    // inside the export's directory (no '..', no absolute path, no link out of it), checked
    // when asked for, as a reader reaches it.
    std::filesystem::path bars_file(const std::string& symbol) const;
    std::filesystem::path events_file() const;

  private:
    [[noreturn]] void refuse(const std::exception& error) const;

    std::filesystem::path root_;
    std::string manifest_path_;
    nlohmann::json manifest_;
    std::string format_;
    RecordingInfo info_;
};

// One symbol's bars CSV file, a batch of rows at a time. Rows are parsed (a field that is not
// a number or a time is refused with its line); checking them as bars is the caller's
// (BarBatchValidator, with the file as `where`).
class ExportBarsCsvReader {
  public:
    // Reads the header: the bar columns, then the indicators.
    ExportBarsCsvReader(const std::string& symbol, const std::filesystem::path& path);

    // Up to `max_rows` more rows into `batch` (replacing its rows); false after the last.
    bool next(std::size_t max_rows, SymbolBars& batch);

  private:
    std::string symbol_;
    CsvReader reader_;
    std::vector<std::string> header_;
    std::vector<std::string> fields_;
};

// A bars JSON file, whole: its layout is columnar, so no row is complete before the last column.
// The export's own layout is converted as it is parsed (json_bars_stream.h), so memory holds the
// columns, not a document of them.
SymbolBars read_export_bars_json(const std::string& symbol, const std::filesystem::path& path);

// The events CSV file, a page at a time.
class ExportEventsCsvReader {
  public:
    explicit ExportEventsCsvReader(const std::filesystem::path& path);

    // Up to `max_events` more events into `events` (replacing them); false after the last.
    bool next(std::size_t max_events, std::vector<Event>& events);

  private:
    CsvReader reader_;
    std::vector<std::string> fields_;
    bool has_header_ = false;
};

// The events JSON file, each event given to `take` as the file is parsed: an array's events
// leave the document once taken, so that memory holds one event at a time. (A file whose top
// level is not an array is read whole, as before, and refused unless it is one event's fields.)
void read_export_events_json(const std::filesystem::path& path, const std::function<void(Event&&)>& take);

}  // namespace tapegrid
