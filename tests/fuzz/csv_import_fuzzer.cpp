// Fuzzes the OHLCV CSV importer: a file's bytes with importer options taken from the input's first bytes.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include "io/csv/ohlcv_csv_import.h"
#include "io/validation/bars_validation.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace tapegrid;

// What `tapegrid import` can be told: --timestamp-format, --delimiter, --map, --no-volume,
// --utc-offset (+HH:MM, so within a day), --symbol.
constexpr const char* kTimestampFormats[] = {"",
                                             "",
                                             "%Y-%m-%d",
                                             "%d/%m/%Y %H:%M",
                                             "%Y%m%d %H%M%S",
                                             "%m/%d/%y",
                                             "%b %d %Y",
                                             "%Y-%m-%dT%H:%M:%S.%f%z",
                                             "epoch_s",
                                             "epoch_ms",
                                             "epoch_us",
                                             "epoch_ns"};
constexpr char kDelimiters[] = {',', ';', '\t', '|', ' ', ':', '"', '\n'};
constexpr std::pair<const char*, const char*> kColumnMaps[] = {
    {"close", "Last"}, {"date", "Day"},  {"timestamp", "Time"}, {"volume", "Vol"},
    {"open", "Close"}, {"time", "Hour"}, {"high", "High"},      {"bogus", "X"}};

// Byte 0: the timestamp format; byte 1: the UTC offset in quarter hours (-24 h .. +24 h);
// byte 2: the delimiter (sniffed when its top bit is clear); byte 3: --no-volume and --symbol;
// byte 4: which --map entries (a bit each). The rest is the file.
CsvImportOptions read_options(fuzz::FuzzInput& input) {
    CsvImportOptions options;
    options.timestamp_format = input.pick(kTimestampFormats);
    const int quarter_hours = static_cast<int>(input.byte() % 193) - 96;
    options.utc_offset_ns = static_cast<TimestampNs>(quarter_hours) * 15 * kNsPerMinute;
    const std::uint8_t delimiter = input.byte();
    if (delimiter & 0x80) options.delimiter = kDelimiters[delimiter % std::size(kDelimiters)];
    const std::uint8_t flags = input.byte();
    options.no_volume = flags & 1;
    if (flags & 2) options.symbol = "FUZZ";
    const std::uint8_t maps = input.byte();
    for (std::size_t i = 0; i < std::size(kColumnMaps); ++i)
        if (maps & (1u << i)) options.column_map[kColumnMaps[i].first] = kColumnMaps[i].second;
    return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fuzz::ScratchDirectory scratch("tapegrid-fuzz-csv");
    static const std::string path = scratch.file("fuzz-1995-2014.csv");
    fuzz::FuzzInput input(data, size);
    const CsvImportOptions options = read_options(input);
    fuzz::write_file(path, input.rest());
    fuzz::expect_only_user_errors("import_ohlcv_csv", [&] {
        const CsvImportResult result = import_ohlcv_csv(path, options);
        // Imported bars are trusted from here on, so they must pass the checks every loader applies.
        try {
            validate_bars(result.bars, path);
        } catch (const UserError& error) {
            fuzz::report_unexpected("validate_bars after import_ohlcv_csv", "rejection of imported bars", error.what());
        }
        make_imported_recording({result.bars}, "fuzz");
    });
    return 0;
}
