// Creates a recording file and appends bars and events to it; the recorder and importers use it.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"
#include "engine/core/recording.h"
#include "io/hdf5/hdf5_handle.h"

namespace tapegrid {

class RecordingFileWriter {
  public:
    // Creates `path`, which must not exist (nothing is ever overwritten), with the layout of
    // docs/FORMAT.md and the metadata of `info`.
    RecordingFileWriter(const std::string& path, const RecordingInfo& info, std::size_t bar_chunk_rows);
    ~RecordingFileWriter();
    RecordingFileWriter(const RecordingFileWriter&) = delete;
    RecordingFileWriter& operator=(const RecordingFileWriter&) = delete;

    // Appends the rows of `batch` to its symbol's columns (created on first use). Indicator
    // columns new to the symbol are created and back-filled with NaN for earlier rows; known
    // indicators absent from the batch are filled with NaN for its rows.
    void append_bars(const SymbolBars& batch);
    void append_events(std::span<const Event> events);
    // Rows per chunk of the columns created from now on (a writer of symbol after symbol can
    // fit each symbol's chunks to its size).
    void set_bar_chunk_rows(std::size_t rows) { bar_chunk_rows_ = rows; }
    // The symbol's bars are all written: its columns are closed, so that HDF5 keeps none of
    // their chunks in memory (a writer of symbol after symbol stays in bounded memory).
    void close_symbol(const std::string& symbol);

    // Renumbers the bars of `symbols`, each written whole and closed, in time order across them
    // (ties to the symbol named first): for an importer that writes file after file, whose
    // sequence numbers depend on every file (time_order_numbering.h).
    void number_bars_in_time_order(const std::vector<std::string>& symbols);

    // Rewrites every metadata attribute from `info`.
    void write_info(const RecordingInfo& info);

    // Writes everything HDF5 holds in memory to the file, so that a crash loses nothing before it.
    void flush();
    void close();

    const std::string& path() const { return path_; }
    std::size_t symbol_rows(const std::string& symbol) const;

  private:
    struct SymbolColumns;
    struct EventColumns;

    SymbolColumns& columns_for(const std::string& symbol);

    std::string path_;
    std::size_t bar_chunk_rows_;
    h5::Handle file_;
    h5::Handle market_data_;
    std::map<std::string, std::unique_ptr<SymbolColumns>> symbols_;
    std::unique_ptr<EventColumns> events_;
};

// A hidden name beside `path` to build a file under before publish_file() shows it.
std::string temporary_path_for(const std::string& path);

// Gives the finished temporary file its final name, atomically and without ever replacing
// an existing file (UserError when `path` exists). The temporary name is gone afterwards.
void publish_file(const std::string& temporary, const std::string& path);

// Writes a whole in-memory recording to a new file, atomically: it is written under a
// temporary name beside `path` and renamed into place only when complete.
void write_recording_file(const std::string& path, const Recording& recording);

// The same for a recording whose rows `fill` appends a batch at a time (a generator, an
// importer): memory stays bounded by the batches, whatever the file's size. `info` is written
// first and again after `fill`, which may update it (counts, end time).
void write_recording_file(const std::string& path, RecordingInfo& info, std::size_t chunk_rows,
                          const std::function<void(RecordingFileWriter&)>& fill);

}  // namespace tapegrid
