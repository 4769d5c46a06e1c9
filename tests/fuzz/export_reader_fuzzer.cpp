// Fuzzes reading an export directory back: one file of a valid CSV or JSON export replaced by the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "io/export/recording_export.h"
#include "tests/fuzz/fuzz_recordings.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace tapegrid;

// A CSV and a JSON export of the tiny recording, made once; each input replaces one of their
// files, which is put back afterwards.
struct Exports {
    fuzz::ScratchDirectory scratch{"tapegrid-fuzz-export"};
    std::string csv = scratch.file("csv");
    std::string json = scratch.file("json");

    Exports() {
        const Recording recording = fuzz::make_tiny_recording();
        export_recording(recording, csv, ExportFormat::kCsv);
        export_recording(recording, json, ExportFormat::kJson);
    }
};

// Byte 0 picks the export (bit 0: csv or json) and the file (the rest, modulo 4); the rest of
// the input is that file's new content.
constexpr std::array<const char*, 4> kFiles = {"recording.json", "bars/SYN00", "bars/SYN01", "events"};

std::string file_of(std::uint8_t selector, const Exports& exports) {
    const bool csv = (selector & 1) == 0;
    std::string file = kFiles[(selector >> 1) % kFiles.size()];
    if (file != "recording.json") file += csv ? ".csv" : ".json";
    return (csv ? exports.csv : exports.json) + "/" + file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Exports exports;
    fuzz::FuzzInput input(data, size);
    const std::uint8_t selector = input.byte();
    const std::string path = file_of(selector, exports);
    const std::string directory = (selector & 1) == 0 ? exports.csv : exports.json;
    static std::map<std::string, std::string> originals;
    if (!originals.count(path)) originals[path] = fuzz::read_file(path);
    const std::string& original = originals[path];
    fuzz::write_file(path, input.rest());
    fuzz::expect_only_user_errors("read_export_directory", [&] { read_export_directory(directory); });
    fuzz::write_file(path, original);
    return 0;
}
