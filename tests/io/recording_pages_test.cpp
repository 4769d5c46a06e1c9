// Pages of a loaded recording equal the pages read from its file, query for query.
#include "io/store/recording_pages.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/errors.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

void expect_same(const BarPage& a, const BarPage& b) {
    ASSERT_EQ(a.total, b.total);
    ASSERT_EQ(a.bars.size(), b.bars.size());
    for (std::size_t i = 0; i < a.bars.size(); ++i) {
        EXPECT_EQ(a.bars[i].symbol, b.bars[i].symbol);
        EXPECT_EQ(a.bars[i].timestamp_ns, b.bars[i].timestamp_ns);
        EXPECT_EQ(a.bars[i].sequence, b.bars[i].sequence);
        EXPECT_EQ(a.bars[i].close, b.bars[i].close);
        EXPECT_EQ(a.bars[i].volume, b.bars[i].volume);
        ASSERT_EQ(a.bars[i].indicators.size(), b.bars[i].indicators.size());
        for (std::size_t k = 0; k < a.bars[i].indicators.size(); ++k) {
            EXPECT_EQ(a.bars[i].indicators[k].first, b.bars[i].indicators[k].first);
            const double x = a.bars[i].indicators[k].second, y = b.bars[i].indicators[k].second;
            EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y)));
        }
    }
}

TEST(RecordingPages, EqualWhatTheFileReaderGivesForEveryQuery) {
    testing::TemporaryDirectory directory;
    const std::string path = directory.file("sample.h5");
    write_recording_file(path, testing::make_sample_recording());
    const Recording loaded = load_recording(path);
    ASSERT_GE(loaded.bars.size(), 2u);
    const std::string first = loaded.bars[0].symbol, second = loaded.bars[1].symbol;
    const TimestampNs middle = loaded.bars[1].timestamp_ns[loaded.bars[1].size() / 2];

    std::vector<BarQuery> bar_queries;
    for (const std::size_t limit : {1, 3, 100})
        for (const std::size_t offset : {0, 2, 1000}) {
            bar_queries.push_back({std::nullopt, std::nullopt, std::nullopt, limit, offset});
            bar_queries.push_back({second, std::nullopt, std::nullopt, limit, offset});
            bar_queries.push_back({std::nullopt, middle, std::nullopt, limit, offset});
            bar_queries.push_back({first, std::nullopt, middle, limit, offset});
            bar_queries.push_back({std::nullopt, middle, middle, limit, offset});
        }
    for (const auto& query : bar_queries) expect_same(page_bars(loaded, query, path), read_bars(path, query));
    EXPECT_THROW(page_bars(loaded, {"NOPE", std::nullopt, std::nullopt, 10, 0}, path), UserError);

    for (const std::size_t limit : {1, 2, 100})
        for (const std::size_t offset : {0, 1, 50}) {
            for (const auto& type : std::vector<std::optional<std::string>>{std::nullopt, "SIGNAL_DETECTED", "NONE"})
                for (const auto& symbol : std::vector<std::optional<std::string>>{std::nullopt, first}) {
                    const EventQuery query{type, symbol, limit, offset};
                    const EventPage memory = page_events(loaded, query), file = read_events(path, query);
                    EXPECT_EQ(memory.total, file.total);
                    EXPECT_EQ(memory.events, file.events);
                }
        }
}

}  // namespace
}  // namespace tapegrid
