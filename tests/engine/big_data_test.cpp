// Big recordings in bounded memory: the union timeline by k-way merge, the market generator a
// batch at a time, and `tapegrid generate`'s peak memory whatever the recording's size.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine/replay/timeline.h"
#include "engine/synthetic/market_generator.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

SymbolBars bars_at(std::vector<TimestampNs> times) {
    SymbolBars bars;
    bars.timestamp_ns = std::move(times);
    return bars;
}

// What the merge must equal: every timestamp, sorted and made distinct, and each bar's index in it.
Timeline sorted_timeline(const std::vector<SymbolBars>& symbols, TimestampNs from) {
    Timeline timeline;
    for (const auto& bars : symbols)
        for (const TimestampNs t : bars.timestamp_ns)
            if (t >= from) timeline.timestamps.push_back(t);
    std::sort(timeline.timestamps.begin(), timeline.timestamps.end());
    timeline.timestamps.erase(std::unique(timeline.timestamps.begin(), timeline.timestamps.end()),
                              timeline.timestamps.end());
    for (const auto& bars : symbols) {
        auto& positions = timeline.position_of_bar.emplace_back();
        for (const TimestampNs t : bars.timestamp_ns)
            positions.push_back(t < from ? 0
                                         : static_cast<std::uint32_t>(std::lower_bound(timeline.timestamps.begin(),
                                                                                       timeline.timestamps.end(), t) -
                                                                      timeline.timestamps.begin()));
    }
    return timeline;
}

TEST(Timeline, MergesTheSymbolsTimestampsInOrderAndPlacesEveryBar) {
    // Shared timestamps, a symbol that starts late, one that ends early, one with no bars.
    const std::vector<SymbolBars> symbols = {bars_at({10, 20, 30, 40, 50}), bars_at({20, 25, 30, 60}), bars_at({5, 10}),
                                             bars_at({}), bars_at({40, 45, 50, 55, 60, 70})};
    const Timeline timeline = build_timeline(symbols);
    EXPECT_EQ(timeline.timestamps, (std::vector<TimestampNs>{5, 10, 20, 25, 30, 40, 45, 50, 55, 60, 70}));
    EXPECT_EQ(timeline.position_of_bar[0], (std::vector<std::uint32_t>{1, 2, 4, 5, 7}));
    EXPECT_EQ(timeline.position_of_bar[1], (std::vector<std::uint32_t>{2, 3, 4, 9}));
    EXPECT_EQ(timeline.position_of_bar[2], (std::vector<std::uint32_t>{0, 1}));
    EXPECT_TRUE(timeline.position_of_bar[3].empty());
    EXPECT_EQ(timeline.position_of_bar[4], (std::vector<std::uint32_t>{5, 6, 7, 8, 9, 10}));

    // From 30 on: the bars before it stay off the timeline (position 0, never read).
    const Timeline from = build_timeline(symbols, 30);
    EXPECT_EQ(from.timestamps, (std::vector<TimestampNs>{30, 40, 45, 50, 55, 60, 70}));
    EXPECT_EQ(from.position_of_bar[0], (std::vector<std::uint32_t>{0, 0, 0, 1, 3}));
    EXPECT_EQ(from.position_of_bar[2], (std::vector<std::uint32_t>{0, 0}));
    EXPECT_TRUE(build_timeline({}).timestamps.empty());
}

TEST(Timeline, EqualsSortingEveryTimestampOnAGeneratedMarket) {
    // Symbols with different calendars (1-minute and 5-minute bars, different starts), so that
    // the merge meets both shared and interleaved timestamps.
    std::vector<SymbolBars> symbols;
    for (std::size_t s = 0; s < 7; ++s) {
        MarketGeneratorOptions options;
        options.symbols = 1;
        options.bars = 3000 + 500 * s;
        options.seed = s;
        options.interval_ns = (s % 2 == 0 ? 1 : 5) * kNsPerMinute;
        options.start_ns = days_from_civil(2024, 1, 2 + static_cast<int>(s)) * kNsPerDay;
        symbols.push_back(generate_market(options).bars[0]);
    }
    for (const TimestampNs from : {TimestampNs{0}, symbols[3].timestamp_ns[1234]}) {
        const Timeline merged = build_timeline(symbols, from == 0 ? std::nullopt : std::optional(from));
        const Timeline sorted = sorted_timeline(symbols, from);
        EXPECT_EQ(merged.timestamps, sorted.timestamps);
        EXPECT_EQ(merged.position_of_bar, sorted.position_of_bar);
    }
}

TEST(MarketGenerator, BatchesOfAnySizeGiveTheWholeMarketsBars) {
    MarketGeneratorOptions options;
    options.symbols = 3;
    options.bars = 10'000;
    options.seed = 9;
    const Recording whole = generate_market(options);
    for (const std::size_t batch_rows : {std::size_t{1}, std::size_t{977}, std::size_t{65536}}) {
        for (std::size_t s = 0; s < options.symbols; ++s) {
            SymbolBarStream stream(options, s);
            SymbolBars batch, joined;
            joined.symbol = whole.bars[s].symbol;
            while (stream.next(batch_rows, batch)) {
                EXPECT_LE(batch.size(), batch_rows);
                joined.timestamp_ns.insert(joined.timestamp_ns.end(), batch.timestamp_ns.begin(),
                                           batch.timestamp_ns.end());
                joined.open.insert(joined.open.end(), batch.open.begin(), batch.open.end());
                joined.high.insert(joined.high.end(), batch.high.begin(), batch.high.end());
                joined.low.insert(joined.low.end(), batch.low.begin(), batch.low.end());
                joined.close.insert(joined.close.end(), batch.close.begin(), batch.close.end());
                joined.volume.insert(joined.volume.end(), batch.volume.begin(), batch.volume.end());
                joined.sequence.insert(joined.sequence.end(), batch.sequence.begin(), batch.sequence.end());
            }
            EXPECT_EQ(joined, whole.bars[s]) << "batches of " << batch_rows << ", symbol " << s;
        }
    }
    EXPECT_EQ(synthetic_market_info(options).symbols, (std::vector<std::string>{"SYN00", "SYN01", "SYN02"}));
    EXPECT_EQ(synthetic_market_info(options).total_bars_recorded, 30'000);
}

TEST(GenerateCli, WritesARecordingMuchLargerThanItsMemory) {
    testing::TemporaryDirectory scratch;
    const std::string path = scratch.file("big.h5");
    // 4 x 2,000,000 bars: 448 MB of columns. The generator writes a symbol at a time, a batch at
    // a time, and seals the file a window at a time.
    const long kib = testing::peak_rss_kib(std::string(TAPEGRID_BINARY) +
                                           " generate --symbols 4 --bars 2000000 --seed 3 -o " + path);
#if !defined(TAPEGRID_SANITIZED)
    EXPECT_LT(kib, 150 * 1024) << "peak RSS " << kib << " KiB";
#endif
    const testing::CommandResult shown = testing::run_tapegrid("recordings show " + path + " --json");
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("\"total_bars_recorded\": 8000000"), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace tapegrid
