// The average true range with Wilder's smoothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/indicators/wilder_average.h"

namespace tapegrid {

// TR[t] = max(high - low, |high - close[t-1]|, |low - close[t-1]|) for t >= 1; the ATR is the
// Wilder average of TR[1..], defined from bar N (like the RSI).
class AverageTrueRange {
  public:
    explicit AverageTrueRange(std::size_t period) : average_(period) {}

    double push(double high, double low, double close) {
        if (has_previous_) {
            const double range =
                std::max({high - low, std::abs(high - previous_close_), std::abs(low - previous_close_)});
            average_.push(range);
        }
        previous_close_ = close;
        has_previous_ = true;
        return average_.ready() ? average_.value() : std::numeric_limits<double>::quiet_NaN();
    }

  private:
    WilderAverage average_;
    double previous_close_ = 0.0;
    bool has_previous_ = false;
};

inline std::vector<double> compute_atr(const std::vector<double>& high, const std::vector<double>& low,
                                       const std::vector<double>& close, std::size_t period) {
    std::vector<double> atr(close.size());
    AverageTrueRange indicator(period);
    for (std::size_t i = 0; i < close.size(); ++i) atr[i] = indicator.push(high[i], low[i], close[i]);
    return atr;
}

}  // namespace tapegrid
