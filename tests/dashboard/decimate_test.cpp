// Pins min/max decimation (engine/dashboard/decimate.h): the points a chart of a given width keeps.
#include "engine/dashboard/decimate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace tapegrid {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::int64_t> iota_x(std::size_t n) {
    std::vector<std::int64_t> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::int64_t>(i);
    return x;
}

TEST(Decimate, TenPointsIntoTwoColumnsKeepEachBucketsExtremesAndTheEnds) {
    // Buckets [0,5) and [5,10): the first has its min at 1 and max at 4, the second its max at 6
    // and min at 7; the first (0) and last (9) points are kept as well.
    const std::vector<double> y = {5, 1, 7, 3, 9, 2, 8, 0, 6, 4};
    const DecimatedSeries out = decimate_min_max(iota_x(10), y, 2);
    EXPECT_EQ(out.x, (std::vector<std::int64_t>{0, 1, 4, 6, 7, 9}));
    EXPECT_EQ(out.y, (std::vector<double>{5, 1, 9, 8, 0, 4}));
}

TEST(Decimate, ShortSeriesIsUnchangedButForNaN) {
    const std::vector<double> y = {3, 1, 4, 1};
    const DecimatedSeries same = decimate_min_max(iota_x(4), y, 2);
    EXPECT_EQ(same.x, (std::vector<std::int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(same.y, y);
    const DecimatedSeries dropped = decimate_min_max(iota_x(3), std::vector<double>{1, kNaN, 3}, 5);
    EXPECT_EQ(dropped.x, (std::vector<std::int64_t>{0, 2}));
    EXPECT_EQ(dropped.y, (std::vector<double>{1, 3}));
}

TEST(Decimate, NaNIsIgnoredAndTheFirstAndLastRealPointsKept) {
    // Bucket [0,4) = NaN,2,1,5: min at 2, max at 3; bucket [4,9) = 4,3,0,6,NaN: min at 6, max at 7.
    // The first real point is 1, the last 7.
    const std::vector<double> y = {kNaN, 2, 1, 5, 4, 3, 0, 6, kNaN};
    const DecimatedSeries out = decimate_min_max(iota_x(9), y, 2);
    EXPECT_EQ(out.x, (std::vector<std::int64_t>{1, 2, 3, 6, 7}));
    EXPECT_EQ(out.y, (std::vector<double>{2, 1, 5, 0, 6}));
}

TEST(Decimate, FlatBucketKeepsOnePoint) {
    const std::vector<double> y(10, 1.0);
    const DecimatedSeries out = decimate_min_max(iota_x(10), y, 2);
    EXPECT_EQ(out.x, (std::vector<std::int64_t>{0, 5, 9}));
}

TEST(Decimate, AllNaNGivesNothing) {
    const std::vector<double> y(100, kNaN);
    EXPECT_TRUE(decimate_min_max(iota_x(100), y, 4).x.empty());
}

TEST(Decimate, MillionPointsFitTheColumnsAndKeepTheGlobalExtremes) {
    const std::size_t n = 1'000'000;
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = std::sin(static_cast<double>(i) * 0.001);
    y[123'457] = 50.0;   // the global maximum
    y[876'543] = -50.0;  // the global minimum
    const DecimatedSeries out = decimate_min_max(iota_x(n), y, 1200);
    EXPECT_LE(out.x.size(), 2 * 1200 + 2);
    EXPECT_GE(out.x.size(), 1200u);
    EXPECT_EQ(out.x.front(), 0);
    EXPECT_EQ(out.x.back(), static_cast<std::int64_t>(n - 1));
    EXPECT_TRUE(std::is_sorted(out.x.begin(), out.x.end()));
    EXPECT_NE(std::find(out.x.begin(), out.x.end(), 123'457), out.x.end());
    EXPECT_NE(std::find(out.x.begin(), out.x.end(), 876'543), out.x.end());
    EXPECT_EQ(*std::max_element(out.y.begin(), out.y.end()), 50.0);
    EXPECT_EQ(*std::min_element(out.y.begin(), out.y.end()), -50.0);
}

}  // namespace
}  // namespace tapegrid
