// Wilder's smoothing: the exact mean of the first N inputs, then avg = (avg * (N-1) + x) / N.
#pragma once

#include <cstddef>

#include "engine/indicators/exact_sum.h"

namespace tapegrid {

// Both RSI (on gains and losses) and ATR (on true ranges) smooth this way. Inputs start one
// bar after the series (a change needs a previous close), so the average is defined once N
// inputs have been seen: at bar N. The order of operations is docs/STRATEGIES.md's: each of
// avg * (N-1), + x and / N rounded in turn.
class WilderAverage {
  public:
    explicit WilderAverage(std::size_t period) : period_(period) {}

    void push(double value) {
        if (seen_ < period_) {
            first_inputs_.add(value);
            if (++seen_ == period_) average_ = first_inputs_.quotient(static_cast<double>(period_));
            return;
        }
        average_ = (average_ * static_cast<double>(period_ - 1) + value) / static_cast<double>(period_);
    }

    bool ready() const { return seen_ >= period_; }
    double value() const { return average_; }

  private:
    std::size_t period_;
    std::size_t seen_ = 0;
    ExactSum first_inputs_;
    double average_ = 0.0;
};

}  // namespace tapegrid
