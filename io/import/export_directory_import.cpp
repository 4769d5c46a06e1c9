// The streaming export import: each symbol's bars checked and written in batches, then the events.
#include "io/import/export_directory_import.h"

#include <algorithm>
#include <utility>

#include "io/hdf5/recording_file_writer.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace {

// Rows per batch, and events per page.
constexpr std::size_t kBatchRows = std::size_t{1} << 16;

std::size_t chunk_rows_for(std::size_t first_batch_rows) {
    return std::clamp<std::size_t>(first_batch_rows, 1024, kBatchRows);
}

void write_csv_bars(const std::string& symbol, const std::filesystem::path& file, RecordingFileWriter& writer,
                    ImportReport& report) {
    ExportBarsCsvReader reader(symbol, file);
    BarBatchValidator validator(file.string());
    SymbolBars batch;
    bool first = true;
    while (reader.next(kBatchRows, batch)) {
        validator.check(batch);
        if (std::exchange(first, false)) writer.set_bar_chunk_rows(chunk_rows_for(batch.size()));
        writer.append_bars(batch);
        report.count(batch);
    }
}

void write_json_bars(const std::string& symbol, const std::filesystem::path& file, RecordingFileWriter& writer,
                     ImportReport& report) {
    const SymbolBars bars = read_export_bars_json(symbol, file);
    validate_bars(bars, file.string());
    writer.set_bar_chunk_rows(chunk_rows_for(bars.size()));
    writer.append_bars(bars);
    report.count(bars);
}

void write_events(const ExportManifest& manifest, RecordingFileWriter& writer, ImportReport& report) {
    const std::filesystem::path file = manifest.events_file();
    if (manifest.csv()) {
        ExportEventsCsvReader reader(file);
        std::vector<Event> page;
        while (reader.next(kBatchRows, page)) {
            writer.append_events(page);
            report.events += page.size();
        }
        return;
    }
    std::vector<Event> page;
    read_export_events_json(file, [&](Event&& event) {
        page.push_back(std::move(event));
        if (page.size() == kBatchRows) {
            writer.append_events(page);
            page.clear();
        }
        ++report.events;
    });
    writer.append_events(page);
}

}  // namespace

ImportReport ExportDirectoryImporter::write(const std::string& path) {
    ImportReport report;
    // Symbols join the metadata as they are written, each with chunks that fit its size.
    RecordingInfo written = manifest_.info();
    written.symbols.clear();
    write_recording_file(path, written, kBatchRows, [&](RecordingFileWriter& writer) {
        for (const auto& symbol : manifest_.info().symbols) {
            const std::filesystem::path file = manifest_.bars_file(symbol);
            written.symbols.push_back(symbol);
            report.start_symbol(symbol);
            if (manifest_.csv())
                write_csv_bars(symbol, file, writer, report);
            else
                write_json_bars(symbol, file, writer, report);
            writer.close_symbol(symbol);
        }
        write_events(manifest_, writer, report);
    });
    return report;
}

}  // namespace tapegrid
