// A tapegrid export directory back into a recording file, a batch of rows at a time.
#pragma once

#include <string>

#include "io/export/export_directory_reader.h"
#include "io/import/recording_importer.h"

namespace tapegrid {

// The streaming form of read_export_directory then write_recording_file: the same recording
// (same recording_id unless info() is given a new one) and the same refusals, each bars file
// checked as it is read (BarBatchValidator, naming the file and row), with memory holding a
// batch whatever the export's size. CSV bars and CSV events stream. Two things are read whole:
// a JSON bars file, a symbol at a time (a columnar document has no complete row before its last
// column), and a JSON events file.
class ExportDirectoryImporter final : public RecordingImporter {
  public:
    // Reads and checks the manifest (ExportManifest); the bars and events files are read by write().
    explicit ExportDirectoryImporter(const std::string& directory) : manifest_(directory) {}

    RecordingInfo& info() override { return manifest_.info(); }
    ImportReport write(const std::string& path) override;

  private:
    ExportManifest manifest_;
};

}  // namespace tapegrid
