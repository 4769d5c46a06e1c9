// Whole series of window means and standard deviations, to the exact definitions of
// docs/STRATEGIES.md, computed many bars at once: what replays and sweeps use (a live session
// computes the same values bar by bar with RollingWindow; both are exact, so they agree bit for bit).
#pragma once

#include <cstddef>

namespace tapegrid {

// out[t] = the exact sum of values[t - window + 1 .. t] divided by window, rounded once; NaN for
// t < window - 1. values >= 0 (prices, volumes).
void window_means(const double* values, std::size_t count, std::size_t window, double* out);

// out[t] = sqrt of the exact mean (rounded once) of the squares (values[i] - means[t])^2, each
// rounded, over the window ending at t; NaN where means[t] is.
void window_standard_deviations(const double* values, std::size_t count, std::size_t window, const double* means,
                                double* out);

}  // namespace tapegrid
