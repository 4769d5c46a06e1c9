// OHLCV CSV files to bars: Yahoo-style, Date+Time, user-mapped columns and timestamp formats.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/recording.h"
#include "io/csv/csv_columns.h"     // snake_case, part of the importer's API
#include "io/csv/csv_timestamps.h"  // parse_with_format, part of the importer's API
#include "io/csv/ohlcv_csv_options.h"

namespace tapegrid {

struct CsvImportResult {
    SymbolBars bars;
    std::vector<std::string> notes;  // what the importer decided on the user's behalf
};

// Reads one file. Columns other than the timestamp and OHLCV ones that hold numbers are kept
// as indicator columns, named in snake_case ("Adj Close" -> adj_close), so nothing is lost.
// Every row is checked (bars_validation.h); errors name the file, the line, the column,
// what was expected and what was found.
CsvImportResult import_ohlcv_csv(const std::string& path, const CsvImportOptions& options);

// "orcl-1995-2014.txt" -> "ORCL": the file name up to its first '-', '_', '.' or space, upper-cased.
std::string symbol_from_file_name(const std::string& path);

// A completed recording holding the given symbols' bars, with sequence numbers in time order
// across symbols (ties in the order given) and the metadata of an import.
Recording make_imported_recording(std::vector<SymbolBars> symbols, const std::string& description);

struct CsvFilesImport {
    Recording recording;             // described as "imported from" the files' names
    std::vector<std::string> notes;  // every file's notes, in order
};

// Several files as one recording, a symbol per file: `symbols` names them in order, or is empty
// (each file's symbol then comes from its name). UserError for a directory among the files, or
// a symbol count that does not match.
CsvFilesImport import_ohlcv_csv_files(const std::vector<std::string>& paths, const std::vector<std::string>& symbols,
                                      CsvImportOptions options);

}  // namespace tapegrid
