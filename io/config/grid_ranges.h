// The values a range table in a sweep's grid gives: {start, stop, step} and {start, stop, num, log}.
#pragma once

#include <cstdint>
#include <vector>

namespace tapegrid {

// The values a range table gives (exposed for tests): {start, stop, step} with stop included
// when reached, or {start, stop, num[, log]}; values are rounded to 12 significant digits so
// that 0.1 steps give 0.3, not 0.30000000000000004.
std::vector<double> range_values(double start, double stop, double step);
std::vector<double> spaced_values(double start, double stop, std::int64_t num, bool log);

}  // namespace tapegrid
