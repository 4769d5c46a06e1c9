// Export and import stream: a recording of any size goes through in bounded memory, with the same
// files and the same refusals as the whole-recording forms, batch boundaries included.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "engine/core/errors.h"
#include "io/csv/ohlcv_csv_import.h"
#include "io/export/recording_export.h"
#include "io/hdf5/recording_batch_reader.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "io/import/export_directory_import.h"
#include "io/validation/bars_validation.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_tapegrid;
using testing::TemporaryDirectory;

// The rows a batch holds in the export and in the import (io/export, io/import): the tests put
// their bad rows exactly at its boundary.
constexpr std::size_t kBatchRows = 65536;
constexpr TimestampNs k20240102 = 1'704'153'600 * kNsPerSecond;  // `date -u -d 2024-01-02 +%s`

// FNV-1a over a column's 8-byte values: the columns of two big recordings compared without
// holding both.
template <class T>
std::uint64_t digest(const std::vector<T>& values) {
    static_assert(sizeof(T) == sizeof(std::uint64_t));
    std::uint64_t hash = 14695981039346656037ULL;
    for (const T& value : values) {
        std::uint64_t word = 0;
        std::memcpy(&word, &value, sizeof word);
        hash = (hash ^ word) * 1099511628211ULL;
    }
    return hash;
}

// Each symbol's name, row count and column digests, in order.
std::vector<std::string> bar_digests(const Recording& recording) {
    std::vector<std::string> digests;
    for (const SymbolBars& bars : recording.bars) {
        // Formatted, not concatenated: `" " + string` trips a false -Wrestrict in GCC 12.
        std::string line = fmt::format("{} {}", bars.symbol, bars.size());
        for (const std::uint64_t d : {digest(bars.timestamp_ns), digest(bars.open), digest(bars.high), digest(bars.low),
                                      digest(bars.close), digest(bars.volume), digest(bars.sequence)})
            line += fmt::format(" {}", d);
        // Indicators by name: the JSON export lists them by name, HDF5 in the order recorded.
        std::map<std::string, std::uint64_t> indicators;
        for (const auto& indicator : bars.indicators) indicators[indicator.name] = digest(indicator.values);
        for (const auto& [name, value] : indicators) line += fmt::format(" {}={}", name, value);
        digests.push_back(line);
    }
    return digests;
}

std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

// The files under `directory`, by name relative to it, with their contents.
std::vector<std::pair<std::string, std::string>> directory_files(const std::string& directory) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : fs::recursive_directory_iterator(directory))
        if (entry.is_regular_file())
            files.emplace_back(fs::relative(entry.path(), directory).string(),
                               testing::read_text(entry.path().string()));
    std::sort(files.begin(), files.end());
    return files;
}

// `rows` one-minute bars from `start_ns` on, every price good; one of every seven times has a
// nanosecond fraction, so that times are written with and without one.
SymbolBars minute_bars(const std::string& symbol, std::size_t rows, TimestampNs start_ns, std::int64_t first_sequence) {
    SymbolBars bars;
    bars.symbol = symbol;
    for (std::size_t i = 0; i < rows; ++i) {
        const double base = 100.0 + 0.01 * static_cast<double>(i % 1000);
        bars.timestamp_ns.push_back(start_ns + static_cast<TimestampNs>(i) * kNsPerMinute +
                                    (i % 7 == 0 ? 123'456'789 : 0));
        bars.open.push_back(base);
        bars.high.push_back(base + 1.0 / 3.0);
        bars.low.push_back(base - 0.1);
        bars.close.push_back(base + 0.2);
        bars.volume.push_back(static_cast<double>(i));
        bars.sequence.push_back(first_sequence + static_cast<std::int64_t>(i));
    }
    return bars;
}

// Three symbols, one longer than a batch (with indicators: NaN, infinities, a denormal), one
// that crosses the epoch, one without bars; and more events than a page (their JSON with its keys
// in order, as the JSON export writes them back).
Recording multi_batch_recording() {
    Recording recording = testing::make_sample_recording();
    recording.info.symbols = {"LONG", "EPOCH", "EMPTY"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    SymbolBars long_bars = minute_bars("LONG", kBatchRows + 4464, k20240102, 0);
    IndicatorColumn rsi{"rsi", {}}, odd{"odd \"name\", too", {}};
    for (std::size_t i = 0; i < long_bars.size(); ++i) {
        rsi.values.push_back(i % 3 == 0 ? nan : 30.0 + 0.1 * static_cast<double>(i % 400));
        odd.values.push_back(i % 5 == 0 ? inf : i % 5 == 1 ? -inf : i % 5 == 2 ? 4.9406564584124654e-324 : -0.0);
    }
    long_bars.indicators = {rsi, odd};
    const auto rows = static_cast<std::int64_t>(long_bars.size());
    SymbolBars epoch = minute_bars("EPOCH", 5, -2 * kNsPerMinute - 500'000'000, rows);
    SymbolBars empty{"EMPTY", {}, {}, {}, {}, {}, {}, {}, {}};
    recording.bars = {long_bars, epoch, empty};
    recording.events.clear();
    for (std::size_t i = 0; i < kBatchRows + 100; ++i)
        recording.events.push_back({rows + 5 + static_cast<std::int64_t>(i), k20240102 + static_cast<TimestampNs>(i),
                                    i % 2 == 0 ? "SIGNAL_DETECTED" : "NOTE, \"quoted\"", "LONG",
                                    R"({"n":)" + std::to_string(i) + R"(,"price":100.7})", "{}", R"({"a":[1,2]})"});
    recording.info.total_bars_recorded = rows + 5;
    recording.info.total_events_recorded = static_cast<std::int64_t>(recording.events.size());
    recording.info.event_counts = {{"SIGNAL_DETECTED", (kBatchRows + 100) / 2},
                                   {"NOTE, \"quoted\"", (kBatchRows + 100) / 2}};
    return recording;
}

void expect_same_bars_and_events(const Recording& expected, const Recording& actual) {
    EXPECT_EQ(bar_digests(expected), bar_digests(actual));
    EXPECT_TRUE(expected.events == actual.events) << "the events differ";
}

TEST(StreamingExport, BigRecordingExportsAndImportsBackInBoundedMemory) {
    TemporaryDirectory scratch;
    const std::string original = scratch.file("big.h5");
    const std::string exported = scratch.file("export");
    const std::string imported = scratch.file("again.h5");
    // 4 x 2,000,000 bars: 448 MB of columns, 824 MB of CSV.
    const CommandResult generated = run_tapegrid("generate --symbols 4 --bars 2000000 --seed 3 -o " + quoted(original));
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    const std::string binary = testing::tapegrid_binary();
    const long export_kib = testing::peak_rss_kib(binary + " export " + original + " --format csv -o " + exported);
    const long import_kib = testing::peak_rss_kib(binary + " import " + exported + " -o " + imported);
#if !defined(TAPEGRID_SANITIZED)
    EXPECT_LT(export_kib, 150 * 1024) << "export: peak RSS " << export_kib << " KiB";
    EXPECT_LT(import_kib, 150 * 1024) << "import: peak RSS " << import_kib << " KiB";
#endif
    // One recording in memory at a time: the original's digests, then the copy's.
    std::vector<std::string> digests;
    RecordingInfo info;
    {
        const Recording recording = load_recording(original);
        digests = bar_digests(recording);
        info = recording.info;
    }
    const Recording copy = load_recording(imported);
    EXPECT_EQ(copy.info, info);
    EXPECT_EQ(bar_digests(copy), digests);
    ASSERT_EQ(digests.size(), 4u);
    EXPECT_EQ(digests[0].substr(0, 14), "SYN00 2000000 ");
}

TEST(StreamingExport, WritesTheSameFilesAsTheWholeRecordingsExportAcrossBatches) {
    TemporaryDirectory scratch;
    const Recording recording = multi_batch_recording();
    const std::string file = scratch.file("rec.h5");
    write_recording_file(file, recording);
    const Recording loaded = load_recording(file);
    for (const ExportFormat format : {ExportFormat::kCsv, ExportFormat::kJson}) {
        const std::string name = format == ExportFormat::kCsv ? "csv" : "json";
        SCOPED_TRACE(name);
        const ExportSummary summary = export_recording_file(file, scratch.file("streamed-" + name), format);
        EXPECT_EQ(summary.bars, kBatchRows + 4464 + 5);
        EXPECT_EQ(summary.events, kBatchRows + 100);
        export_recording(loaded, scratch.file("whole-" + name), format);
        const auto streamed = directory_files(scratch.file("streamed-" + name));
        ASSERT_EQ(streamed.size(), 5u);  // recording.json, three bars files, the events
        EXPECT_TRUE(streamed == directory_files(scratch.file("whole-" + name))) << "the exports differ";
        // And back, streamed into a recording file: the same bars and events.
        const std::string again = scratch.file("again-" + name + ".h5");
        const ImportReport report = ExportDirectoryImporter(scratch.file("streamed-" + name)).write(again);
        EXPECT_EQ(report.events, kBatchRows + 100);
        ASSERT_EQ(report.symbols.size(), 3u);
        EXPECT_EQ(report.symbols[0].bars, kBatchRows + 4464);
        EXPECT_EQ(report.symbols[1].first_ns, -2 * kNsPerMinute - 500'000'000 + 123'456'789);
        expect_same_bars_and_events(loaded, load_recording(again));
    }
}

// The message validate_bars gives the whole symbol, or "" when it passes.
std::string whole_error(const SymbolBars& bars) {
    try {
        validate_bars(bars, "f.h5: /market_data/X");
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

std::string batches_error(const SymbolBars& bars, std::size_t batch_rows) {
    BarBatchValidator validator("f.h5: /market_data/X");
    try {
        for (std::size_t first = 0; first < bars.size(); first += batch_rows) {
            SymbolBars batch = minute_bars("X", 0, 0, 0);
            for (std::size_t i = first; i < std::min(bars.size(), first + batch_rows); ++i) {
                batch.timestamp_ns.push_back(bars.timestamp_ns[i]);
                batch.open.push_back(bars.open[i]);
                batch.high.push_back(bars.high[i]);
                batch.low.push_back(bars.low[i]);
                batch.close.push_back(bars.close[i]);
                batch.volume.push_back(bars.volume[i]);
                batch.sequence.push_back(bars.sequence[i]);
            }
            validator.check(batch);
        }
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

TEST(BarBatchValidator, BatchesFailExactlyWhereTheWholeSymbolFails) {
    const SymbolBars good = minute_bars("X", 10, k20240102, 0);
    SymbolBars duplicated = good, earlier = good, sequence = good, inverted = good, negative = good;
    duplicated.timestamp_ns[4] = duplicated.timestamp_ns[3];
    earlier.timestamp_ns[6] = earlier.timestamp_ns[2];
    sequence.sequence[5] = 4;
    inverted.high[7] = 1.0;
    negative.sequence[0] = -1;
    // Worked out by hand: row 3 is 2024-01-02T00:03:00Z, row 4 repeats it.
    EXPECT_EQ(whole_error(duplicated),
              "f.h5: /market_data/X: row 4 (2024-01-02T00:03:00Z): duplicated timestamp 2024-01-02T00:03:00Z "
              "(timestamps must strictly increase)");
    EXPECT_EQ(whole_error(sequence),
              "f.h5: /market_data/X/sequence: row 5: expected sequence numbers >= 0 that increase, found 4 after 4");
    for (std::size_t batch_rows = 1; batch_rows <= 11; ++batch_rows) {
        SCOPED_TRACE("batches of " + std::to_string(batch_rows));
        EXPECT_EQ(batches_error(good, batch_rows), "");
        for (const SymbolBars* bars : {&duplicated, &earlier, &sequence, &inverted, &negative}) {
            EXPECT_NE(whole_error(*bars), "");
            EXPECT_EQ(batches_error(*bars, batch_rows), whole_error(*bars));
        }
    }
}

// A recording file whose LONG symbol repeats, at row kBatchRows (the first of the second batch),
// the timestamp or sequence number of the row before.
std::string recording_with_repeat_at_boundary(const TemporaryDirectory& scratch, const std::string& name,
                                              bool timestamp) {
    Recording recording = multi_batch_recording();
    SymbolBars& bars = recording.bars[0];
    if (timestamp)
        bars.timestamp_ns[kBatchRows] = bars.timestamp_ns[kBatchRows - 1];
    else
        bars.sequence[kBatchRows] = bars.sequence[kBatchRows - 1];
    std::string path = scratch.file(name);
    write_recording_file(path, recording);  // the writer trusts its caller: the readers must refuse it
    return path;
}

std::string load_error(const std::string& path) {
    try {
        load_recording(path);
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

TEST(StreamingExport, ARepeatAtABatchBoundaryIsRefusedAsLoadingRefusesIt) {
    TemporaryDirectory scratch;
    for (const bool timestamp : {true, false}) {
        SCOPED_TRACE(timestamp ? "timestamp" : "sequence");
        const std::string path = recording_with_repeat_at_boundary(scratch, timestamp ? "t.h5" : "s.h5", timestamp);
        const std::string expected = load_error(path);
        EXPECT_NE(expected.find(": /market_data/LONG"), std::string::npos) << expected;
        EXPECT_NE(expected.find("row 65536"), std::string::npos) << expected;
        EXPECT_NE(expected.find(timestamp ? "duplicated timestamp" : "found 65535 after 65535"), std::string::npos)
            << expected;
        // The batch reader passes the first batch, and refuses the second with the same message.
        RecordingBatchReader reader(path);
        SymbolBatchReader bars = reader.open_symbol("LONG");
        SymbolBars batch;
        EXPECT_TRUE(bars.next(kBatchRows, batch));
        try {
            bars.next(kBatchRows, batch);
            ADD_FAILURE() << "the second batch was accepted";
        } catch (const UserError& error) {
            EXPECT_EQ(std::string(error.what()), expected);
        }
        // The export says so and leaves nothing, though it had written the first batch.
        const std::string out = scratch.file("out");
        const CommandResult refused = run_tapegrid("export " + quoted(path) + " --format csv -o " + quoted(out));
        EXPECT_EQ(refused.exit_code, 2) << refused.err;
        EXPECT_NE(refused.err.find(expected), std::string::npos) << refused.err;
        EXPECT_FALSE(fs::exists(out));
    }
}

TEST(StreamingImport, ARepeatAtABatchBoundaryOfAnExportIsRefusedAndNothingWritten) {
    TemporaryDirectory scratch;
    const std::string directory = scratch.file("export");
    export_recording(multi_batch_recording(), directory, ExportFormat::kCsv);
    // Line 1 is the header: row r is line r + 2. Row kBatchRows gets the time of the row before.
    const std::string bars_file = directory + "/bars/LONG.csv";
    std::string text = testing::read_text(bars_file);
    std::size_t line_start = 0;
    for (std::size_t line = 1; line < kBatchRows + 1; ++line) line_start = text.find('\n', line_start) + 1;
    const std::size_t repeat_start = text.find('\n', line_start) + 1;
    const std::string previous_time = text.substr(line_start, text.find(',', line_start) - line_start);
    text.replace(repeat_start, text.find(',', repeat_start) - repeat_start, previous_time);
    testing::write_text(bars_file, text);
    EXPECT_EQ(previous_time, "2024-02-16T12:15:00Z");  // row 65535: 65535 minutes after 2024-01-02

    const CommandResult refused =
        run_tapegrid("import " + quoted(directory) + " -o " + quoted(scratch.file("out/rec.h5")));
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(
        refused.err.find(bars_file + ": row 65536 (2024-02-16T12:15:00Z): duplicated timestamp 2024-02-16T12:15:00Z"),
        std::string::npos)
        << refused.err;
    // Not even the directory the import made for it, nor the partial file in it.
    EXPECT_FALSE(fs::exists(scratch.file("out")));
}

// The export's JSON bars are converted as they are parsed; a file in any other shape is read as a
// document, which accepts what it always accepted and refuses with the same words.
TEST(StreamingImport, JsonBarsOutsideTheExportsLayoutAreReadAsADocument) {
    TemporaryDirectory scratch;
    const std::string directory = scratch.file("export");
    const Recording recording = testing::make_sample_recording();
    export_recording(recording, directory, ExportFormat::kJson);
    const std::string bars_file = directory + "/bars/AAPL.json";
    const std::string text = testing::read_text(bars_file);
    const auto read_with = [&](const std::string& changed) {
        testing::write_text(bars_file, changed);
        try {
            return bar_digests(read_export_directory(directory));
        } catch (const UserError& error) {
            return std::vector<std::string>{error.what()};
        }
    };
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string changed = text;
        changed.replace(changed.find(from), from.size(), to);
        return changed;
    };
    const std::vector<std::string> expected = bar_digests(recording);
    EXPECT_EQ(read_with(text), expected);
    // An unknown key, and a column given twice (the document keeps the last): still read.
    EXPECT_EQ(read_with(replaced("{\"close\":", "{\"note\":[[1],{\"a\":2}],\"close\":")), expected);
    EXPECT_EQ(read_with(replaced("{\"close\":", "{\"open\":[\"x\"],\"close\":")), expected);
    // Refused as the document reader refuses them.
    EXPECT_EQ(read_with(replaced("\"open\":[100.0,", "\"open\":[\"x\",")),
              std::vector<std::string>{bars_file + ": open: expected a number or null, found \"x\""});
    EXPECT_EQ(read_with(replaced("\"indicators\":", "\"indicator\":")),
              std::vector<std::string>{bars_file + ": expected the columnar bars layout of a tapegrid export: "
                                                   "[json.exception.out_of_range.403] key 'indicators' not found"});
    const std::vector<std::string> broken = read_with(text.substr(0, text.size() / 2));
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_EQ(broken[0].find(bars_file + ": not valid JSON: [json.exception.parse_error.101]"), 0u) << broken[0];
}

// A Date,Open,High,Low,Close,Volume file of `rows` one-minute bars from 2024-01-02.
std::string minute_csv(std::size_t rows, std::size_t step_minutes = 1) {
    std::string text = "Date,Open,High,Low,Close,Volume\n";
    for (std::size_t i = 0; i < rows; ++i)
        text += format_iso8601(k20240102 + static_cast<TimestampNs>(i * step_minutes) * kNsPerMinute) +
                ",10,11,9,10.5," + std::to_string(i) + "\n";
    return text;
}

// The time of minute_csv's data row `row` (1-based).
std::string row_time(std::size_t row) {
    return format_iso8601(k20240102 + static_cast<TimestampNs>(row - 1) * kNsPerMinute);
}

// Replaces the data row `row` (1-based: line row + 1) of a minute_csv text.
std::string with_row(const std::string& text, std::size_t row, const std::string& replacement) {
    std::size_t start = 0;
    for (std::size_t line = 1; line <= row; ++line) start = text.find('\n', start) + 1;
    return text.substr(0, start) + replacement + text.substr(text.find('\n', start));
}

TEST(StreamingImport, ABadRowDeepInALargeCsvIsRefusedWithItsLineAndNothingWritten) {
    TemporaryDirectory scratch;
    const std::string csv = scratch.file("deep.csv");
    const std::string good = minute_csv(200'000);
    testing::write_text(csv, with_row(good, 150'000, row_time(150'000) + ",10,8,9,8.5,1"));
    fs::create_directories(scratch.file("out"));
    // Into a directory the import makes: it goes again with the partial file.
    const CommandResult refused =
        run_tapegrid("import " + quoted(csv) + " -o " + quoted(scratch.file("out/new/rec.h5")));
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    // Row 150,000 is line 150,001 (the header is line 1).
    EXPECT_NE(refused.err.find(csv + ":150001: expected low <= high, found low 9 > high 8"), std::string::npos)
        << refused.err;
    EXPECT_TRUE(fs::is_empty(scratch.file("out"))) << "the refused import left a file or a directory";

    // A field that does not parse wins over a bar that breaks a rule, wherever they are, as when
    // the file is read whole; a step back in time deep in the file is refused at its line.
    testing::write_text(csv, with_row(with_row(good, 10, row_time(10) + ",10,8,9,8.5,1"), 190'000,
                                      row_time(190'000) + ",10,x11,9,10,1"));
    const CommandResult garbage = run_tapegrid("import " + quoted(csv) + " -o " + quoted(scratch.file("out/rec.h5")));
    EXPECT_NE(garbage.err.find(csv + ":190001: column 'High': expected a number, found 'x11'"), std::string::npos)
        << garbage.err;
    testing::write_text(csv, with_row(good, 70'000, "2024-01-01T00:00:00Z,10,11,9,10.5,1"));
    const CommandResult back = run_tapegrid("import " + quoted(csv) + " -o " + quoted(scratch.file("out/rec.h5")));
    EXPECT_NE(back.err.find(csv + ":70001: timestamp 2024-01-01T00:00:00Z is before the previous bar's"),
              std::string::npos)
        << back.err;
    EXPECT_TRUE(fs::is_empty(scratch.file("out")));
}

TEST(StreamingImport, CsvFilesAreNumberedInTimeOrderAcrossFilesAsInMemory) {
    TemporaryDirectory scratch;
    // Every minute, and every other minute (a tie on every bar of the second), more rows than a
    // batch of the renumbering; and a newest-first file, turned around in memory.
    const std::string a = scratch.file("aaa.csv"), b = scratch.file("bbb.csv"), c = scratch.file("ccc.csv");
    testing::write_text(a, minute_csv(40'000));
    testing::write_text(b, minute_csv(30'000, 2));
    testing::write_text(c,
                        "Date,Open,High,Low,Close,Adj Close,Volume\n"
                        "2024-06-05,3,3.5,2.5,3.25,3.1,300\n"
                        "2024-06-04,2,2.5,1.5,2.25,,200\n"
                        "2024-06-03,1,1.5,0.5,1.25,1.1,100\n");
    const std::string out = scratch.file("rec.h5");
    const CommandResult imported =
        run_tapegrid("import " + quoted(a) + " " + quoted(b) + " " + quoted(c) + " -o " + quoted(out) + " --json");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_NE(imported.err.find(c + ": rows are newest first; imported in time order"), std::string::npos)
        << imported.err;
    EXPECT_NE(imported.out.find("\"total_bars_recorded\": 70003"), std::string::npos) << imported.out;

    const Recording streamed = load_recording(out);
    const Recording whole = import_ohlcv_csv_files({a, b, c}, {}, {}).recording;
    EXPECT_EQ(streamed.info.symbols, (std::vector<std::string>{"AAA", "BBB", "CCC"}));
    EXPECT_EQ(streamed.info.description, "imported from aaa.csv bbb.csv ccc.csv");
    EXPECT_EQ(bar_digests(streamed), bar_digests(whole));
    // By hand: AAA's and BBB's first bars tie at 00:00 and AAA (named first) wins, so
    // 0 AAA 00:00, 1 BBB 00:00, 2 AAA 00:01, 3 AAA 00:02, 4 BBB 00:02; CCC's bars (in June) come last.
    EXPECT_EQ(streamed.bars[0].sequence[2], 3);
    EXPECT_EQ(streamed.bars[1].sequence[1], 4);
    EXPECT_EQ(streamed.bars[2].sequence[0], 40'000 + 30'000);
}

}  // namespace
}  // namespace tapegrid
