// A recording exported to CSV or JSON files and read back gives every value back, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <string>

#include "engine/core/errors.h"
#include "io/export/recording_export.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryDirectory;

constexpr ExportFormat kFormats[] = {ExportFormat::kCsv, ExportFormat::kJson};

std::string format_name(ExportFormat format) {
    return format == ExportFormat::kCsv ? "csv" : "json";
}

// Doubles compared by bit pattern: NaN equals NaN, -0.0 differs from 0.0, the last bit counts.
void expect_same_bits(const std::vector<double>& expected, const std::vector<double>& actual, const std::string& what) {
    ASSERT_EQ(expected.size(), actual.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(std::memcmp(&expected[i], &actual[i], sizeof(double)), 0)
            << what << "[" << i << "]: expected " << std::hexfloat << expected[i] << ", found " << actual[i];
}

void expect_same_bits(double expected, double actual, const std::string& what) {
    expect_same_bits(std::vector<double>{expected}, std::vector<double>{actual}, what);
}

void expect_same_info(const RecordingInfo& e, const RecordingInfo& a) {
    EXPECT_EQ(e.format_version, a.format_version);
    EXPECT_EQ(e.recording_id, a.recording_id);
    EXPECT_EQ(e.session_id, a.session_id);
    EXPECT_EQ(e.instance_id, a.instance_id);
    EXPECT_EQ(e.strategy_name, a.strategy_name);
    EXPECT_EQ(e.original_parameters, a.original_parameters);
    EXPECT_EQ(e.symbols, a.symbols);
    EXPECT_EQ(e.status, a.status);
    EXPECT_EQ(e.recording_start_time_ns, a.recording_start_time_ns);
    EXPECT_EQ(e.recording_end_time_ns, a.recording_end_time_ns);
    EXPECT_EQ(e.description, a.description);
    EXPECT_EQ(e.tags, a.tags);
    EXPECT_EQ(e.total_bars_recorded, a.total_bars_recorded);
    EXPECT_EQ(e.total_events_recorded, a.total_events_recorded);
    EXPECT_EQ(e.event_counts, a.event_counts);
    EXPECT_EQ(e.original_trades, a.original_trades);
    expect_same_bits(e.original_pnl, a.original_pnl, "original_pnl");
    expect_same_bits(e.original_win_rate, a.original_win_rate, "original_win_rate");
    EXPECT_EQ(e.error_message, a.error_message);
    EXPECT_EQ(e.created_by, a.created_by);
}

// Every field of every bar, indicator and event. Indicator columns are matched by name: HDF5 and
// the JSON export list them by name, the CSV export in the recording's order.
void expect_same_recording(const Recording& expected, const Recording& actual) {
    expect_same_info(expected.info, actual.info);
    ASSERT_EQ(expected.bars.size(), actual.bars.size());
    for (std::size_t s = 0; s < expected.bars.size(); ++s) {
        const SymbolBars& e = expected.bars[s];
        const SymbolBars& a = actual.bars[s];
        SCOPED_TRACE(e.symbol);
        EXPECT_EQ(e.symbol, a.symbol);
        EXPECT_EQ(e.timestamp_ns, a.timestamp_ns);
        EXPECT_EQ(e.sequence, a.sequence);
        expect_same_bits(e.open, a.open, "open");
        expect_same_bits(e.high, a.high, "high");
        expect_same_bits(e.low, a.low, "low");
        expect_same_bits(e.close, a.close, "close");
        expect_same_bits(e.volume, a.volume, "volume");
        std::set<std::string> expected_names, actual_names;
        for (const auto& column : e.indicators) expected_names.insert(column.name);
        for (const auto& column : a.indicators) actual_names.insert(column.name);
        EXPECT_EQ(expected_names, actual_names);
        EXPECT_EQ(e.indicators.size(), a.indicators.size());
        for (const auto& column : e.indicators) {
            const IndicatorColumn* read = a.find_indicator(column.name);
            ASSERT_NE(read, nullptr) << column.name;
            expect_same_bits(column.values, read->values, column.name);
        }
    }
    ASSERT_EQ(expected.events.size(), actual.events.size());
    for (std::size_t i = 0; i < expected.events.size(); ++i) {
        const Event& e = expected.events[i];
        const Event& a = actual.events[i];
        SCOPED_TRACE("event " + std::to_string(i));
        EXPECT_EQ(e.sequence, a.sequence);
        EXPECT_EQ(e.timestamp_ns, a.timestamp_ns);
        EXPECT_EQ(e.type, a.type);
        EXPECT_EQ(e.symbol, a.symbol);
        EXPECT_EQ(e.event_data, a.event_data);
        EXPECT_EQ(e.decision_metadata, a.decision_metadata);
        EXPECT_EQ(e.market_state, a.market_state);
    }
}

Recording export_and_read(const Recording& recording, const std::string& directory, ExportFormat format) {
    export_recording(recording, directory, format);
    return read_export_directory(directory);
}

// One symbol whose values sit where decimal text loses bits most easily.
Recording make_awkward_recording() {
    Recording recording = testing::make_sample_recording();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const double max = std::numeric_limits<double>::max();
    const double denormal_min = std::numeric_limits<double>::denorm_min();
    RecordingInfo& info = recording.info;
    info.symbols = {"ODD.X"};
    info.original_pnl = 0.1 + 0.2;
    info.original_win_rate = 1.0 / 3.0;
    info.description = "line one\nline two, \"quoted\"";
    info.tags = {"a,b", "with space"};
    info.total_bars_recorded = 4;
    SymbolBars bars;
    bars.symbol = "ODD.X";
    // Before 1970 with a 1 ns fraction, the epoch itself, 1 ns after it, and nanoseconds in 2023.
    bars.timestamp_ns = {-86'400'000'000'000 + 1, 0, 1, 1'700'000'000'123'456'789};
    bars.low = {1e-300, 2.2250738585072014e-308, 0.1, denormal_min};
    bars.open = {0.1 + 0.2, std::nextafter(1.0, 0.0), 0.7, 3.141592653589793};
    bars.close = {1.0 / 3.0, 1.0, 9007199254740993.0, 2.718281828459045};
    bars.high = {123456789.123456789, std::nextafter(1.0, 2.0), 1e22, 1e300};
    bars.volume = {denormal_min, max, 0.0, 123456789012345678.0};
    bars.sequence = {0, 1, 2, 9'007'199'254'740'993};
    bars.indicators = {{"weird", {-0.0, inf, nan, 4.9406564584124654e-324}},
                       {"alpha", {-inf, 1e-310, -1.2345678901234567e-5, max}}};
    recording.bars = {bars};
    recording.events = {{9'007'199'254'740'994, 1'700'000'000'123'456'789, "CUSTOM,\"TYPE\"", "",
                         R"({"price":0.30000000000000004,"tiny":1e-300})", R"({"note":"a, \"b\"\nc"})", "{}"}};
    info.total_events_recorded = 1;
    info.event_counts = {{"CUSTOM,\"TYPE\"", 1}};
    return recording;
}

TEST(ExportRoundTrip, SampleRecordingReadsBackIdentically) {
    for (const ExportFormat format : kFormats) {
        SCOPED_TRACE(format_name(format));
        TemporaryDirectory directory;
        const Recording recording = testing::make_sample_recording();
        expect_same_recording(recording, export_and_read(recording, directory.file("out"), format));
    }
}

TEST(ExportRoundTrip, SampleRecordingReadsBackWithNaNPositionsKept) {
    for (const ExportFormat format : kFormats) {
        SCOPED_TRACE(format_name(format));
        TemporaryDirectory directory;
        const Recording read = export_and_read(testing::make_sample_recording(), directory.file("out"), format);
        // make_sample_recording records rsi on even rows only: NaN on rows 1, 3, 5.
        for (const SymbolBars& bars : read.bars) {
            const IndicatorColumn* rsi = bars.find_indicator("rsi");
            ASSERT_NE(rsi, nullptr);
            for (std::size_t i = 0; i < rsi->values.size(); ++i)
                EXPECT_EQ(std::isnan(rsi->values[i]), i % 2 == 1) << bars.symbol << " row " << i;
        }
        ASSERT_EQ(read.bars.size(), 2u);
        EXPECT_EQ(read.bars[0].size(), 6u);
        EXPECT_EQ(read.bars[1].size(), 4u);
    }
}

TEST(ExportRoundTrip, CsvExportWritesShortestExactNumbers) {
    TemporaryDirectory directory;
    export_recording(testing::make_sample_recording(), directory.file("out"), ExportFormat::kCsv);
    for (const char* file : {"recording.json", "bars/AAPL.csv", "bars/MSFT.csv", "events.csv"})
        EXPECT_TRUE(fs::is_regular_file(directory.path() / "out" / file)) << file;
    const std::string text = testing::read_text(directory.file("out/bars/AAPL.csv"));
    // Worked out with Python's repr() of the same sums; an unrecorded rsi is an empty field.
    EXPECT_EQ(text.substr(0, text.find('\n', text.find('\n', text.find('\n') + 1) + 1) + 1),
              "timestamp,open,high,low,close,volume,sequence,rsi,bb_lower\n"
              "2023-11-14T22:13:20Z,100,100.33333333333333,99.9,100.2,1000,0,30,98.5\n"
              "2023-11-14T22:14:20Z,100.25,100.58333333333333,100.15,100.45,2000,1,,98.75\n");
}

TEST(ExportRoundTrip, AwkwardDoublesSurviveBitForBit) {
    for (const ExportFormat format : kFormats) {
        SCOPED_TRACE(format_name(format));
        TemporaryDirectory directory;
        const Recording recording = make_awkward_recording();
        expect_same_recording(recording, export_and_read(recording, directory.file("out"), format));
    }
}

TEST(ExportRoundTrip, SymbolWithoutBarsAndNoEventsReadBackEmpty) {
    for (const ExportFormat format : kFormats) {
        SCOPED_TRACE(format_name(format));
        TemporaryDirectory directory;
        Recording recording = testing::make_sample_recording();
        recording.bars[1] = SymbolBars{"MSFT", {}, {}, {}, {}, {}, {}, {}, {{"rsi", {}}}};
        recording.events.clear();
        recording.info.event_counts.clear();
        recording.info.total_events_recorded = 0;
        recording.info.total_bars_recorded = 6;
        expect_same_recording(recording, export_and_read(recording, directory.file("out"), format));
    }
}

TEST(ExportRoundTrip, HdfFileToExportAndBackKeepsEveryValue) {
    for (const Recording& original : {testing::make_sample_recording(), make_awkward_recording()}) {
        for (const ExportFormat format : kFormats) {
            SCOPED_TRACE(original.info.symbols[0] + " " + format_name(format));
            TemporaryDirectory directory;
            const std::string path = directory.file("rec.h5");
            write_recording_file(path, original);
            const Recording loaded = load_recording(path);
            expect_same_recording(original, loaded);
            const Recording read = export_and_read(loaded, directory.file("out"), format);
            expect_same_recording(original, read);
            // And back into a second HDF5 file: still the same recording.
            write_recording_file(directory.file("again.h5"), read);
            expect_same_recording(original, load_recording(directory.file("again.h5")));
        }
    }
}

TEST(ExportRoundTrip, RefusesDirectoryThatAlreadyHoldsAnExport) {
    for (const ExportFormat format : kFormats) {
        SCOPED_TRACE(format_name(format));
        TemporaryDirectory directory;
        const std::string out = directory.file("out");
        export_recording(testing::make_sample_recording(), out, format);
        EXPECT_TRUE(is_export_directory(out));
        const auto before = testing::snapshot_directory(out);
        const std::string manifest = testing::read_text(out + "/recording.json");
        try {
            export_recording(make_awkward_recording(), out, ExportFormat::kCsv);
            ADD_FAILURE() << "a second export into the same directory was accepted";
        } catch (const UserError& error) {
            EXPECT_NE(std::string(error.what()).find(out + ": already holds an export (recording.json)"),
                      std::string::npos)
                << error.what();
        }
        EXPECT_EQ(testing::snapshot_directory(out), before);
        EXPECT_EQ(testing::read_text(out + "/recording.json"), manifest);
    }
}

TEST(ExportRoundTrip, RefusesPathThatIsAFile) {
    TemporaryDirectory directory;
    const std::string file = directory.file("plain");
    testing::write_text(file, "not a directory");
    try {
        export_recording(testing::make_sample_recording(), file, ExportFormat::kJson);
        ADD_FAILURE() << "exporting over a plain file was accepted";
    } catch (const UserError& error) {
        EXPECT_NE(std::string(error.what()).find(file + ": exists and is not a directory"), std::string::npos)
            << error.what();
    }
    EXPECT_EQ(testing::read_text(file), "not a directory");
    EXPECT_FALSE(is_export_directory(file));
}

}  // namespace
}  // namespace tapegrid
