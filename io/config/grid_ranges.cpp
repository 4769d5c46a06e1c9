// Range tables to values: evenly stepped, or num values spaced linearly or logarithmically.
#include "io/config/grid_ranges.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace tapegrid {

namespace {

double round_to_12_digits(double value) {
    return std::stod(fmt::format("{:.12g}", value));
}

}  // namespace

std::vector<double> range_values(double start, double stop, double step) {
    std::vector<double> values;
    // Stop is included when a step reaches it: the count tolerates rounding in (stop - start) / step.
    const auto count = static_cast<std::int64_t>(std::floor((stop - start) / step * (1.0 + 1e-12) + 1e-9)) + 1;
    for (std::int64_t i = 0; i < count; ++i)
        values.push_back(round_to_12_digits(start + static_cast<double>(i) * step));
    return values;
}

std::vector<double> spaced_values(double start, double stop, std::int64_t num, bool log) {
    std::vector<double> values;
    for (std::int64_t i = 0; i < num; ++i) {
        const double fraction = num == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(num - 1);
        const double value = log ? start * std::pow(stop / start, fraction) : start + (stop - start) * fraction;
        values.push_back(round_to_12_digits(value));
    }
    return values;
}

}  // namespace tapegrid
