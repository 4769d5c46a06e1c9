// Simple and exponential moving averages.
#pragma once

#include <limits>
#include <vector>

#include "engine/indicators/rolling_window.h"

namespace tapegrid {

enum class MovingAverageType { kSimple, kExponential };

// SMA: the mean of the last N values (RollingWindow::mean), defined from index N-1. EMA: seeded
// at index N-1 with the SMA of the first N values, then ema = alpha * x + (1 - alpha) * ema,
// alpha = 2 / (N + 1): the two products rounded, then their sum (docs/STRATEGIES.md).
class MovingAverage {
  public:
    MovingAverage(MovingAverageType type, std::size_t period)
        : type_(type), period_(period), moments_(period), alpha_(2.0 / (static_cast<double>(period) + 1.0)) {}

    double push(double value) {
        if (type_ == MovingAverageType::kSimple || count_ < period_) {
            moments_.push(value);
            ++count_;
            if (!moments_.ready()) return std::numeric_limits<double>::quiet_NaN();
            ema_ = moments_.mean();
            return ema_;
        }
        ema_ = alpha_ * value + (1.0 - alpha_) * ema_;
        return ema_;
    }

  private:
    MovingAverageType type_;
    std::size_t period_;
    RollingWindow moments_;
    double alpha_;
    double ema_ = 0.0;
    std::size_t count_ = 0;
};

inline std::vector<double> compute_moving_average(const std::vector<double>& values, MovingAverageType type,
                                                  std::size_t period) {
    std::vector<double> average(values.size());
    MovingAverage indicator(type, period);
    for (std::size_t i = 0; i < values.size(); ++i) average[i] = indicator.push(values[i]);
    return average;
}

}  // namespace tapegrid
