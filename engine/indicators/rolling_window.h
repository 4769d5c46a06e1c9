// The last N values with their exact sum: the mean and population standard deviation of a window,
// to the letter of docs/STRATEGIES.md ("Indicator arithmetic").
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "engine/indicators/exact_sum.h"

namespace tapegrid {

class RollingWindow {
  public:
    explicit RollingWindow(std::size_t window) : window_(window), ring_(window, 0.0) {}

    void push(double value) {
        if (count_ == window_)
            sum_.add(-ring_[next_]);  // exact: the sum forgets it without a trace
        else
            ++count_;
        ring_[next_] = value;
        sum_.add(value);
        next_ = next_ + 1 == window_ ? 0 : next_ + 1;
    }

    bool ready() const { return count_ == window_; }

    // The exact sum of the window divided by N, rounded once; NaN until N values came.
    double mean() const {
        return ready() ? sum_.quotient(static_cast<double>(window_)) : std::numeric_limits<double>::quiet_NaN();
    }

    // The population variance: the exact mean of the double-computed squared deviations from
    // mean() ((x - mean) * (x - mean), each rounded). A window of equal values gives exactly 0.
    // O(N): the deviations change with the mean.
    double variance() const {
        if (!ready()) return std::numeric_limits<double>::quiet_NaN();
        const double mid = mean();
        const double* values = ring_.data();
        return exact_mean_of_nonnegatives(window_, [&](std::size_t i) {
            const double deviation = values[i] - mid;
            return deviation * deviation;
        });
    }
    double standard_deviation() const { return std::sqrt(variance()); }

    std::size_t window() const { return window_; }

  private:
    std::size_t window_;
    std::vector<double> ring_;
    ExactSum sum_;
    std::size_t count_ = 0;
    std::size_t next_ = 0;  // where the next value goes
};

}  // namespace tapegrid
