// Min/max decimation of a series for drawing.
#include "engine/dashboard/decimate.h"

#include <algorithm>
#include <cmath>

namespace tapegrid {

namespace {

void append_point(DecimatedSeries& out, std::span<const std::int64_t> x, std::span<const double> y, std::size_t i) {
    out.x.push_back(x[i]);
    out.y.push_back(y[i]);
}

}  // namespace

DecimatedSeries decimate_min_max(std::span<const std::int64_t> x, std::span<const double> y, std::size_t columns) {
    const std::size_t n = std::min(x.size(), y.size());
    columns = std::max<std::size_t>(columns, 1);
    DecimatedSeries out;
    if (n <= 2 * columns) {
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(y[i])) append_point(out, x, y, i);
        return out;
    }

    std::size_t first = 0, last = n;  // the first and last points that are not NaN
    while (first < n && std::isnan(y[first])) ++first;
    if (first == n) return out;
    do --last;
    while (std::isnan(y[last]));

    out.x.reserve(2 * columns + 2);
    out.y.reserve(2 * columns + 2);
    append_point(out, x, y, first);
    std::size_t emitted = first;  // the last index written: picks are written in index order once
    const auto emit = [&](std::size_t i) {
        if (i > emitted) {
            append_point(out, x, y, i);
            emitted = i;
        }
    };
    for (std::size_t bucket = 0; bucket < columns; ++bucket) {
        const std::size_t begin = bucket * n / columns, end = (bucket + 1) * n / columns;
        std::size_t low = end, high = end;
        for (std::size_t i = begin; i < end; ++i) {
            if (std::isnan(y[i])) continue;
            if (low == end || y[i] < y[low]) low = i;
            if (high == end || y[i] > y[high]) high = i;
        }
        if (low == end) continue;  // a bucket of NaN only
        emit(std::min(low, high));
        emit(std::max(low, high));
    }
    emit(last);
    return out;
}

}  // namespace tapegrid
