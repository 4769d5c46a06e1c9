// How to read an OHLCV CSV file: the choices `tapegrid import` offers for files it cannot guess.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/core/timestamp.h"

namespace tapegrid {

struct CsvImportOptions {
    std::optional<std::string> symbol;  // default: symbol_from_file_name(path)
    // Field -> header name, for fields whose header is not one tapegrid recognises.
    // Fields: timestamp (date and time in one column), date, time, open, high, low, close, volume.
    std::map<std::string, std::string> column_map;
    // "" (ISO 8601 dates and times), a strptime-like pattern (%Y %m %d %H %M %S %f %b %y %%),
    // or epoch_s, epoch_ms, epoch_us, epoch_ns.
    std::string timestamp_format;
    // Times without a zone in the file are local times at this offset from UTC.
    TimestampNs utc_offset_ns = 0;
    std::optional<char> delimiter;  // default: sniffed from the header line
    bool no_volume = false;         // the file has no volume column: record volume 0
};

}  // namespace tapegrid
