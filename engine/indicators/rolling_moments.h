// The mean and population variance of the last N values, updated in O(1) per value.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace tapegrid {

// A ring of the last N values with their mean and sum of squared deviations (M2), updated by
// the sliding form of Welford's method. Every N values the moments are recomputed exactly
// from the ring (two passes), so that rounding cannot drift over millions of bars. Live
// recording and replay use this same class, so their values agree to the last bit.
class RollingMoments {
  public:
    explicit RollingMoments(std::size_t window) : window_(window), ring_(window, 0.0) {}

    void push(double value) {
        if (count_ < window_) {
            ring_[count_++] = value;
            if (count_ == window_) recompute();
            return;
        }
        const double outgoing = ring_[next_];
        ring_[next_] = value;
        next_ = next_ + 1 == window_ ? 0 : next_ + 1;
        if (next_ == 0) {
            recompute();
            return;
        }
        const double old_mean = mean_;
        mean_ = old_mean + (value - outgoing) / static_cast<double>(window_);
        m2_ += (value - outgoing) * (value - mean_ + outgoing - old_mean);
        if (m2_ < 0.0) m2_ = 0.0;
    }

    bool ready() const { return count_ == window_; }
    double mean() const { return ready() ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
    // Population variance (ddof = 0).
    double variance() const {
        return ready() ? m2_ / static_cast<double>(window_) : std::numeric_limits<double>::quiet_NaN();
    }
    double standard_deviation() const { return std::sqrt(variance()); }
    std::size_t window() const { return window_; }

  private:
    void recompute() {
        double sum = 0.0;
        for (const double v : ring_) sum += v;
        mean_ = sum / static_cast<double>(window_);
        double m2 = 0.0;
        for (const double v : ring_) m2 += (v - mean_) * (v - mean_);
        m2_ = m2;
    }

    std::size_t window_;
    std::vector<double> ring_;
    std::size_t count_ = 0;
    std::size_t next_ = 0;  // where the next value goes once the ring is full
    double mean_ = 0.0;
    double m2_ = 0.0;
};

}  // namespace tapegrid
