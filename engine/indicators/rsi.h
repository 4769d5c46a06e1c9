// The relative strength index with Wilder's smoothing.
#pragma once

#include <limits>
#include <vector>

#include "engine/indicators/wilder_average.h"

namespace tapegrid {

// d = close[t] - close[t-1]; gains max(d, 0) and losses max(-d, 0) are Wilder-averaged;
// RSI = 100 - 100 / (1 + avg_gain / avg_loss), and 100 when avg_loss is 0. Defined from bar N.
class Rsi {
  public:
    explicit Rsi(std::size_t period) : gains_(period), losses_(period) {}

    double push(double close) {
        if (has_previous_) {
            const double change = close - previous_;
            gains_.push(change > 0.0 ? change : 0.0);
            losses_.push(change < 0.0 ? -change : 0.0);
        }
        previous_ = close;
        has_previous_ = true;
        if (!gains_.ready()) return std::numeric_limits<double>::quiet_NaN();
        if (losses_.value() == 0.0) return 100.0;
        return 100.0 - 100.0 / (1.0 + gains_.value() / losses_.value());
    }

  private:
    WilderAverage gains_, losses_;
    double previous_ = 0.0;
    bool has_previous_ = false;
};

inline std::vector<double> compute_rsi(const std::vector<double>& close, std::size_t period) {
    std::vector<double> rsi(close.size());
    Rsi indicator(period);
    for (std::size_t i = 0; i < close.size(); ++i) rsi[i] = indicator.push(close[i]);
    return rsi;
}

}  // namespace tapegrid
