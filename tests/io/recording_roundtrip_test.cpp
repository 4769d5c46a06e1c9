// Writing a recording to HDF5 and reading it back gives every value back, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/core/errors.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

// Doubles compared by bit pattern, so that NaN equals NaN and -0.0 differs from 0.0.
void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b, const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i)
        EXPECT_EQ(std::memcmp(&a[i], &b[i], sizeof(double)), 0) << what << "[" << i << "]: " << a[i] << " vs " << b[i];
}

void expect_same_recording(const Recording& expected, const Recording& actual) {
    EXPECT_EQ(expected.info, actual.info);
    ASSERT_EQ(expected.bars.size(), actual.bars.size());
    for (std::size_t s = 0; s < expected.bars.size(); ++s) {
        const SymbolBars& e = expected.bars[s];
        const SymbolBars& a = actual.bars[s];
        EXPECT_EQ(e.symbol, a.symbol);
        EXPECT_EQ(e.timestamp_ns, a.timestamp_ns);
        EXPECT_EQ(e.sequence, a.sequence);
        expect_same_bits(e.open, a.open, e.symbol + " open");
        expect_same_bits(e.high, a.high, e.symbol + " high");
        expect_same_bits(e.low, a.low, e.symbol + " low");
        expect_same_bits(e.close, a.close, e.symbol + " close");
        expect_same_bits(e.volume, a.volume, e.symbol + " volume");
        ASSERT_EQ(e.indicators.size(), a.indicators.size());
        for (const auto& indicator : e.indicators) {
            const IndicatorColumn* read = a.find_indicator(indicator.name);
            ASSERT_NE(read, nullptr) << indicator.name;
            expect_same_bits(indicator.values, read->values, e.symbol + " " + indicator.name);
        }
    }
    EXPECT_EQ(expected.events, actual.events);
}

TEST(RecordingRoundTrip, SampleRecordingReadsBackIdentically) {
    TemporaryDirectory directory;
    const Recording recording = testing::make_sample_recording();
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, recording);
    Recording read = load_recording(path);
    Recording expected = recording;
    expected.info.format_version = 1;
    expect_same_recording(expected, read);
}

TEST(RecordingRoundTrip, MetadataAloneMatchesTheFullLoad) {
    TemporaryDirectory directory;
    const Recording recording = testing::make_sample_recording();
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, recording);
    EXPECT_EQ(read_recording_info(path), load_recording(path).info);
}

TEST(RecordingRoundTrip, SyntheticRecordingReadsBackIdentically) {
    TemporaryDirectory directory;
    MarketGeneratorOptions options;
    options.symbols = 3;
    options.bars = 20'000;  // spans several chunks
    options.seed = 7;
    Recording recording = generate_market(options);
    recording.info.format_version = 1;
    const std::string path = directory.file("synthetic.h5");
    write_recording_file(path, recording);
    expect_same_recording(recording, load_recording(path));
}

TEST(RecordingRoundTrip, BarsOnlyLoadSkipsEvents) {
    TemporaryDirectory directory;
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, testing::make_sample_recording());
    const Recording read = load_recording(path, LoadOptions{.events = false});
    EXPECT_TRUE(read.events.empty());
    EXPECT_EQ(read.bars.size(), 2u);
}

TEST(RecordingRoundTrip, NeverOverwritesAnExistingFile) {
    TemporaryDirectory directory;
    const std::string path = directory.file("sample.h5");
    testing::write_text(path, "precious");
    EXPECT_THROW(write_recording_file(path, testing::make_sample_recording()), UserError);
    EXPECT_EQ(testing::read_text(path), "precious");
}

TEST(RecordingRoundTrip, EventPagesFilterAndCountTotals) {
    TemporaryDirectory directory;
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, testing::make_sample_recording());
    EventPage all = read_events(path, {});
    EXPECT_EQ(all.total, 3u);
    ASSERT_EQ(all.events.size(), 3u);
    EXPECT_EQ(all.events[0].type, "SIGNAL_DETECTED");
    EventPage positions =
        read_events(path, EventQuery{.type = std::nullopt, .symbol = "AAPL", .limit = 1, .offset = 1});
    EXPECT_EQ(positions.total, 3u);
    ASSERT_EQ(positions.events.size(), 1u);
    EXPECT_EQ(positions.events[0].type, "POSITION_OPENED");
    EventPage closed = read_events(path, EventQuery{.type = "POSITION_CLOSED"});
    EXPECT_EQ(closed.total, 1u);
    EXPECT_EQ(closed.events[0].event_data, R"({"exit_price":101.95,"pnl":12.5})");
}

TEST(RecordingRoundTrip, BarPagesFollowRecordingOrderWithTotals) {
    TemporaryDirectory directory;
    const Recording recording = testing::make_sample_recording();
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, recording);
    // Sequences: AAPL rows 0..5 are 0..5, MSFT rows 0..3 are 6..9.
    BarPage page = read_bars(path, BarQuery{.limit = 2, .offset = 5});
    EXPECT_EQ(page.total, 10u);
    ASSERT_EQ(page.bars.size(), 2u);
    EXPECT_EQ(page.bars[0].symbol, "AAPL");
    EXPECT_EQ(page.bars[0].sequence, 5);
    EXPECT_EQ(page.bars[1].symbol, "MSFT");
    EXPECT_DOUBLE_EQ(page.bars[1].open, 110.0);
    // MSFT's bars sit at minutes 2..5; from minute 3 to 4 leaves two.
    const TimestampNs start = recording.info.recording_start_time_ns;
    BarPage window = read_bars(
        path, BarQuery{.symbol = "MSFT", .from_ns = start + 3 * kNsPerMinute, .to_ns = start + 4 * kNsPerMinute});
    EXPECT_EQ(window.total, 2u);
    ASSERT_EQ(window.bars.size(), 2u);
    EXPECT_DOUBLE_EQ(window.bars[0].close, 110.25 + 0.2);
    ASSERT_EQ(window.bars[0].indicators.size(), 2u);
    EXPECT_THROW(read_bars(path, BarQuery{.symbol = "GOOG"}), UserError);
}

}  // namespace
}  // namespace tapegrid
