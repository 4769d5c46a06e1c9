// What an export reads: a recording's metadata, each symbol's bars a batch (or a column) at a
// time, and its events a page at a time; from a recording in memory or from its file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/recording.h"
#include "io/hdf5/recording_batch_reader.h"

namespace tapegrid {

// One symbol's bars.
class ExportSymbolSource {
  public:
    virtual ~ExportSymbolSource() = default;

    virtual std::size_t rows() const = 0;
    virtual const std::vector<std::string>& indicator_names() const = 0;
    // The next batch of rows in order, its indicators in indicator_names() order, checked as
    // loading checks them; nullptr after the last.
    virtual const SymbolBars* next_batch() = 0;
    // Rows [first, first + count) of one column, once next_batch() has passed every row.
    virtual std::span<const std::int64_t> integers(BarField field, std::size_t first, std::size_t count) = 0;
    virtual std::span<const double> numbers(BarField field, std::size_t first, std::size_t count) = 0;
    virtual std::span<const double> indicator(std::size_t index, std::size_t first, std::size_t count) = 0;
};

class ExportSource {
  public:
    virtual ~ExportSource() = default;

    virtual const RecordingInfo& info() const = 0;
    // The symbols with bars to export, in order.
    virtual const std::vector<std::string>& symbols() const = 0;
    virtual std::unique_ptr<ExportSymbolSource> open_symbol(std::size_t index) = 0;
    virtual std::size_t event_count() = 0;
    virtual std::vector<Event> events(std::size_t first, std::size_t count) = 0;
};

// A recording in memory, exported as it is (loading checked it): one batch per symbol.
std::unique_ptr<ExportSource> memory_export_source(const Recording& recording);

// A recording file, read as load_recording reads it but `batch_rows` rows at a time
// (recording_batch_reader.h), so that memory holds a batch, whatever the file's size.
std::unique_ptr<ExportSource> file_export_source(const std::string& path, std::size_t batch_rows);

}  // namespace tapegrid
