// One indicator series computed bar by bar, live or over recorded columns, with the same code.
#pragma once

#include <memory>
#include <vector>

#include "engine/core/bars.h"
#include "engine/indicators/indicator_key.h"

namespace tapegrid {

// What a live session runs as bars arrive. compute_indicator() runs this same class over the
// recorded columns, so live and replay values agree to the last bit.
class StreamingIndicator {
  public:
    explicit StreamingIndicator(const IndicatorKey& key);
    ~StreamingIndicator();
    StreamingIndicator(StreamingIndicator&&) noexcept;
    StreamingIndicator& operator=(StreamingIndicator&&) noexcept;

    // Takes the next bar and returns the series' value at it (NaN in warm-up).
    double push(double high, double low, double close, double volume);

  private:
    struct State;
    IndicatorKey key_;
    std::unique_ptr<State> state_;
};

// The whole series over a symbol's recorded bars, as long as they are.
std::vector<double> compute_indicator(const IndicatorKey& key, const SymbolBars& bars);

// The same for a kStdDev key, given the SMA series of the same period (compute_indicator of
// {kSma, key.period}): the deviations are taken around it, so it need not be computed twice.
std::vector<double> compute_standard_deviation(const IndicatorKey& key, const SymbolBars& bars,
                                               const std::vector<double>& means);

}  // namespace tapegrid
