// Exporting a recording to a directory of CSV or JSON files, and reading such a directory back.
#pragma once

#include <cstddef>
#include <string>

#include "engine/core/recording.h"

namespace tapegrid {

enum class ExportFormat { kCsv, kJson };

// Writes into `directory` (created; it must not already hold an export, and no file the export
// would write may be there already; a failed export removes what it created):
//   recording.json       the metadata (recording_info_to_json) and the list of files
//   bars/<SYMBOL>.csv    timestamp,open,high,low,close,volume,sequence,<indicators...>   (or .json, columnar)
//   events.csv           sequence,timestamp,type,symbol,event_data,decision_metadata,market_state (or .json)
// Numbers are written in their shortest exact form, so reading the export back gives the
// same doubles; NaN is an empty CSV field or a JSON null.
void export_recording(const Recording& recording, const std::string& directory, ExportFormat format);

struct ExportSummary {
    std::string recording_id;
    std::size_t symbols = 0;
    std::size_t bars = 0;
    std::size_t events = 0;
};

// The same export from a recording file, streamed: the file is read as load_recording reads it
// (its seal verified, every bar checked) but a batch of rows at a time, and each file is written
// a batch at a time, so memory stays at a few batches whatever the recording's size. The JSON
// bars, which are columnar, are written a column at a time after a first pass has checked every
// row. The files are the same, byte for byte, as export_recording's of the loaded recording.
ExportSummary export_recording_file(const std::string& path, const std::string& directory, ExportFormat format);

// True when `path` is a directory holding an export's recording.json.
bool is_export_directory(const std::string& path);

// Reads an export directory back into a recording, validating it like any other input.
// (io/import/export_directory_import.h streams one into a recording file instead.)
Recording read_export_directory(const std::string& directory);

}  // namespace tapegrid
