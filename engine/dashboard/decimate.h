// Min/max decimation: a long series cut down to what a chart of a given width can show.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tapegrid {

struct DecimatedSeries {
    std::vector<std::int64_t> x;
    std::vector<double> y;
};

// The points a line chart `columns` wide needs to look like the whole series.
//
// NaN points are dropped first (a chart cannot draw them). When the series has at most
// 2 * columns points it is returned as it is. Otherwise its index range is split into `columns`
// buckets of consecutive points (bucket b holds indices [b*n/columns, (b+1)*n/columns)) and each
// bucket keeps its lowest and its highest point, in their original order (one point when they
// are the same point; the first one wins a tie), so every spike and dip stays visible. The
// series' first and last points are kept as well, so the line spans the whole time range: the
// result has at most 2 * columns + 2 points, in index order. Deterministic. `x` and `y` are
// read up to the shorter of the two; `columns` 0 counts as 1.
DecimatedSeries decimate_min_max(std::span<const std::int64_t> x, std::span<const double> y, std::size_t columns);

}  // namespace tapegrid
