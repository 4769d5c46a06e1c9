// Whole series of window means and standard deviations, to the exact definitions of
// docs/STRATEGIES.md, computed many bars at once: what replays and sweeps use (a live session
// computes the same values bar by bar with RollingWindow; both are exact, so they agree bit for bit).
#pragma once

#include <cstddef>

namespace tapegrid {

// out[t] = the exact sum of values[t - window + 1 .. t], correctly rounded, divided by window;
// NaN for t < window - 1. values >= 0 (prices, volumes).
void window_means(const double* values, std::size_t count, std::size_t window, double* out);

// out[t] = sqrt of (the exact sum of (values[i] - means[t])^2, each square rounded, over the
// window ending at t, correctly rounded) / window; NaN where means[t] is.
void window_standard_deviations(const double* values, std::size_t count, std::size_t window, const double* means,
                                double* out);

}  // namespace tapegrid
