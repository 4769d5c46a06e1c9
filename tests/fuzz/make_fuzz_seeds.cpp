// Writes the generated seed files of the fuzz corpora: HDF5 recordings and export files.
//
//   tapegrid_fuzz_seeds DIR    (scripts/fuzz.sh seeds DIR; tests/fuzz/corpus/ holds the result)
//
// recording_loader/: sealed completed recordings and one whose writer was killed after a flush.
// export_reader/: each file of a CSV and a JSON export, behind the selector byte that
// export_reader_fuzzer.cpp reads first.
#include <cstdio>
#include <filesystem>
#include <string>

#include "io/export/recording_export.h"
#include "tests/fuzz/fuzz_recordings.h"
#include "tests/fuzz/fuzz_support.h"

namespace fs = std::filesystem;
using namespace tapegrid;

namespace {

void write_recording_seeds(const fs::path& directory) {
    fs::create_directories(directory);
    const auto fresh = [&](const char* name) {
        const fs::path path = directory / name;
        fs::remove(path);
        return path.string();
    };
    // One symbol with events, and two without: every HDF5 dataset costs a few KB of headers and
    // chunk index, and the seeds should stay well under 64 KB.
    fuzz::write_sealed_recording(fresh("completed-sealed.h5"), fuzz::make_tiny_recording(1, /*events=*/true));
    fuzz::write_killed_recording(fresh("interrupted-unsealed.h5"), fuzz::make_tiny_recording(1, /*events=*/true));
    fuzz::write_sealed_recording(fresh("completed-sealed-two-symbols.h5"), fuzz::make_tiny_recording(2, false));
}

// The selector byte: bit 0 the format (0 csv, 1 json), bits 1.. the file, as the harness reads it.
void write_export_seeds(const fs::path& directory) {
    fs::create_directories(directory);
    const fuzz::ScratchDirectory scratch("tapegrid-fuzz-seeds");
    const Recording recording = fuzz::make_tiny_recording();
    const char* files[] = {"recording.json", "bars/SYN00", "bars/SYN01", "events"};
    for (const int json : {0, 1}) {
        const std::string exported = scratch.file(json ? "json" : "csv");
        export_recording(recording, exported, json ? ExportFormat::kJson : ExportFormat::kCsv);
        for (int file = 0; file < 4; ++file) {
            std::string name = files[file];
            if (file > 0) name += json ? ".json" : ".csv";
            const char selector = static_cast<char>(json | (file << 1));
            std::string seed_name = std::string(json ? "json-" : "csv-") + name;
            for (char& c : seed_name)
                if (c == '/') c = '-';
            fuzz::write_file((directory / seed_name).string(),
                             std::string(1, selector) + fuzz::read_file(exported + "/" + name));
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const fs::path root = argv[1];
    write_recording_seeds(root / "recording_loader");
    write_export_seeds(root / "export_reader");
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            std::printf("%8ju  %s\n", static_cast<std::uintmax_t>(entry.file_size()), entry.path().c_str());
    return 0;
}
