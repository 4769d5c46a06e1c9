// Reading recordings: metadata alone (fast, for listings), everything (validated), or a page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/recording.h"

namespace tapegrid {

// Reads only the root attributes. A file whose status says `recording` but whose writer is
// gone reads as `interrupted`; a file still being written is described from its live sidecar.
RecordingInfo read_recording_info(const std::string& path);

struct LoadOptions {
    bool events = true;       // false: bars only (what a replay needs)
    bool verify_seal = true;  // false only to reseal a file another program changed
};

// Loads every column with one read each into contiguous arrays and validates them
// (io/validation/bars_validation.h); throws UserError naming the file and dataset.
Recording load_recording(const std::string& path, const LoadOptions& options = {});

struct EventQuery {
    std::optional<std::string> type;
    std::optional<std::string> symbol;
    std::size_t limit = 100;
    std::size_t offset = 0;
};

struct EventPage {
    std::size_t total = 0;  // events matching the filters, over all pages
    std::vector<Event> events;
};

EventPage read_events(const std::string& path, const EventQuery& query);

struct BarQuery {
    std::optional<std::string> symbol;
    std::optional<TimestampNs> from_ns;  // inclusive
    std::optional<TimestampNs> to_ns;    // inclusive
    std::size_t limit = 100;
    std::size_t offset = 0;
};

struct BarRow {
    std::string symbol;
    TimestampNs timestamp_ns = 0;
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
    std::int64_t sequence = 0;
    std::vector<std::pair<std::string, double>> indicators;
};

struct BarPage {
    std::size_t total = 0;     // bars matching the filters, over all pages
    std::vector<BarRow> bars;  // in recording order (sequence)
};

BarPage read_bars(const std::string& path, const BarQuery& query);

}  // namespace tapegrid
