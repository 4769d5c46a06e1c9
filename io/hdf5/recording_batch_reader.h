// Reading a recording a batch at a time: each symbol's bars in batches of rows, checked as
// load_recording checks them, and its events in pages; memory stays bounded by the batch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"
#include "engine/core/recording.h"
#include "io/hdf5/event_columns.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/recording_open.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

// A bar column other than the indicators.
enum class BarField { kTimestamp, kOpen, kHigh, kLow, kClose, kVolume, kSequence };

// One symbol's bars, read a batch of rows at a time.
class SymbolBatchReader {
  public:
    const std::string& symbol() const { return symbol_; }
    std::size_t rows() const { return rows_; }
    const std::vector<std::string>& indicator_names() const { return indicator_names_; }

    // The next batch of up to `max_rows` rows with every column, indicators included, checked
    // as validate_bars checks a whole symbol (rows numbered from the symbol's first, order
    // checked across batches), so a bad row throws the message load_recording gives. False,
    // with `batch` emptied, after the last row.
    bool next(std::size_t max_rows, SymbolBars& batch);

    // Rows [first, first + count) of one column, unchecked: for a writer that goes a column at
    // a time after next() has passed every row. The integer fields are timestamp and sequence.
    void read_field(BarField field, std::size_t first, std::size_t count, std::vector<std::int64_t>& out) const;
    void read_field(BarField field, std::size_t first, std::size_t count, std::vector<double>& out) const;
    void read_indicator(std::size_t index, std::size_t first, std::size_t count, std::vector<double>& out) const;

  private:
    friend class RecordingBatchReader;
    SymbolBatchReader(const RecordingForRows& recording, hid_t market_data, const std::string& symbol);

    template <class T>
    void read_rows(hid_t column, const std::string& name, std::size_t first, std::size_t count,
                   std::vector<T>& out) const;

    std::string symbol_;
    std::string where_;          // "file: /market_data/SYMBOL"
    std::string recovery_hint_;  // RecordingForRows::recovery_hint()
    h5::Handle group_;
    std::array<h5::Handle, 7> fields_;  // by BarField
    std::vector<h5::Handle> indicators_;
    std::vector<std::string> indicator_names_;
    std::size_t rows_ = 0;
    std::size_t next_row_ = 0;
    BarBatchValidator validator_;
};

// A recording opened to be read a batch at a time.
class RecordingBatchReader {
  public:
    // Opens `path` as load_recording does: the seal verified (a completed recording without one
    // refused), a live recorder's file refused, an interrupted recording read up to the rows of
    // its last completed flush. Without `verify_seal`, the seal is not checked (hashing reads
    // the whole file): for what only the metadata and column lengths tell.
    explicit RecordingBatchReader(const std::string& path, bool verify_seal = true);

    const RecordingInfo& info() const { return recording_.info; }

    // The bars of `symbol`, one of info().symbols; UserError when its columns are missing or
    // their lengths differ.
    SymbolBatchReader open_symbol(const std::string& symbol) const;

    // The events, by row: their count, and the rows [first, first + count).
    std::size_t event_rows();
    std::vector<Event> read_events(std::size_t first, std::size_t count);

  private:
    const EventColumns& events();

    RecordingForRows recording_;
    h5::Handle market_data_;
    std::optional<EventColumns> events_;  // opened when first asked for, after the bars
};

}  // namespace tapegrid
