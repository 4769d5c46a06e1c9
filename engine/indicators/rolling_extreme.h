// The highest (or lowest) of the N values before the current one.
#pragma once

#include <cstddef>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

namespace tapegrid {

// A monotonic deque: O(1) amortised per value. push(x) returns the extreme of the N values
// pushed before x (x itself excluded: a breakout compares a bar with the bars before it),
// NaN until N values came before.
template <bool kHighest>
class PriorExtreme {
  public:
    explicit PriorExtreme(std::size_t period) : period_(period) {}

    double push(double value) {
        while (!window_.empty() && window_.front().first + period_ < index_) window_.pop_front();
        const double result = index_ >= period_ ? window_.front().second : std::numeric_limits<double>::quiet_NaN();
        while (!window_.empty() && (kHighest ? window_.back().second <= value : window_.back().second >= value))
            window_.pop_back();
        window_.emplace_back(index_, value);
        ++index_;
        return result;
    }

  private:
    std::size_t period_;
    std::size_t index_ = 0;
    std::deque<std::pair<std::size_t, double>> window_;
};

template <bool kHighest>
std::vector<double> compute_prior_extreme(const std::vector<double>& values, std::size_t period) {
    std::vector<double> extreme(values.size());
    PriorExtreme<kHighest> indicator(period);
    for (std::size_t i = 0; i < values.size(); ++i) extreme[i] = indicator.push(values[i]);
    return extreme;
}

}  // namespace tapegrid
