// An import into a new recording file, streamed: what it will write, and what it wrote.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/recording.h"

namespace tapegrid {

// One symbol's bars as written: their count and time span.
struct ImportedSymbol {
    std::string symbol;
    std::size_t bars = 0;
    TimestampNs first_ns = 0;
    TimestampNs last_ns = 0;
};

// What an import wrote, for its report: the rows themselves are gone once written.
struct ImportReport {
    std::vector<ImportedSymbol> symbols;
    std::size_t events = 0;
    std::vector<std::string> notes;  // what the import decided on the user's behalf, in order

    // Starts `symbol`'s entry; then counts its batches, given in time order.
    void start_symbol(const std::string& symbol);
    void count(const SymbolBars& batch);
};

// An import, opened: its recording's metadata is known (and may be changed: a description, tags,
// a new id) before write() reads the inputs and writes the file.
class RecordingImporter {
  public:
    virtual ~RecordingImporter() = default;

    virtual RecordingInfo& info() = 0;
    // Writes the recording to `path`, which must not exist, a batch at a time through
    // write_recording_file: under a temporary name, published only when every input was good,
    // so that nothing is written when any input is bad.
    virtual ImportReport write(const std::string& path) = 0;
};

}  // namespace tapegrid
