// OHLCV CSV files into a new recording file, a file and a batch of rows at a time.
#pragma once

#include <string>
#include <vector>

#include "io/csv/ohlcv_csv_options.h"
#include "io/import/recording_importer.h"

namespace tapegrid {

// The streaming form of import_ohlcv_csv_files then write_recording_file: the same recording
// (a symbol per file, sequence numbers in time order across the files), the same notes and the
// same refusals, with memory holding a batch of rows whatever the files' sizes. Each file is read
// once: its rows are parsed, checked and written a batch at a time; a bad row is reported once
// the file has been read to its end, so that a field that does not parse wins over a bar that
// breaks a rule, as when the file is read whole. The sequence numbers, which depend on every
// file, are renumbered on disk at the end (RecordingFileWriter::number_bars_in_time_order).
//
// One case holds a whole file in memory: a file whose first two rows go back in time may be
// newest first, and is turned around (or refused) only once all its rows are known.
class CsvFilesImporter final : public RecordingImporter {
  public:
    // Checks that `symbols` names every file or none (UserError otherwise) and makes the
    // recording's metadata (a new id, "imported from" the files' names); no file is read yet.
    CsvFilesImporter(std::vector<std::string> paths, std::vector<std::string> symbols, CsvImportOptions options);

    RecordingInfo& info() override { return info_; }
    ImportReport write(const std::string& path) override;

  private:
    std::vector<std::string> paths_;
    std::vector<std::string> symbols_;
    CsvImportOptions options_;
    RecordingInfo info_;
};

}  // namespace tapegrid
