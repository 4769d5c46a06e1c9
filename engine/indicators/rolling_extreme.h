// The highest (or lowest) of the N values before the current one.
#pragma once

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace tapegrid {

// A monotonic queue in a fixed ring (no allocation per value): O(1) amortised per value.
// push(x) returns the extreme of the N values pushed before x (x itself excluded: a breakout
// compares a bar with the bars before it), NaN until N values came before.
template <bool kHighest>
class PriorExtreme {
  public:
    explicit PriorExtreme(std::size_t period) : period_(period), ring_(period + 1) {}

    double push(double value) {
        // Entries older than the window [index - period, index - 1] leave from the front.
        while (size_ > 0 && ring_[head_].first + period_ < index_) {
            head_ = advance(head_, 1);
            --size_;
        }
        const double result = index_ >= period_ ? ring_[head_].second : std::numeric_limits<double>::quiet_NaN();
        // Entries the new value dominates can never be the extreme again.
        while (size_ > 0) {
            const double last = ring_[advance(head_, size_ - 1)].second;
            if (kHighest ? last > value : last < value) break;
            --size_;
        }
        ring_[advance(head_, size_)] = {index_, value};
        ++size_;
        ++index_;
        return result;
    }

  private:
    std::size_t advance(std::size_t position, std::size_t steps) const {
        position += steps;
        return position >= ring_.size() ? position - ring_.size() : position;
    }

    std::size_t period_;
    std::vector<std::pair<std::size_t, double>> ring_;  // the queue, from head_, size_ entries
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::size_t index_ = 0;
};

template <bool kHighest>
std::vector<double> compute_prior_extreme(const std::vector<double>& values, std::size_t period) {
    std::vector<double> extreme(values.size());
    PriorExtreme<kHighest> indicator(period);
    for (std::size_t i = 0; i < values.size(); ++i) extreme[i] = indicator.push(values[i]);
    return extreme;
}

}  // namespace tapegrid
