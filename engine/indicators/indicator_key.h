// Names an indicator series by kind and arguments, so that equal series are computed once and shared.
#pragma once

#include <array>
#include <compare>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/bars.h"

namespace tapegrid {

enum class IndicatorKind : int {
    kMeanStd,      // columns: mean, population std dev of the last N closes (Bollinger)
    kRsi,          // column: Wilder RSI(N) of close
    kSma,          // column: simple moving average(N) of close
    kEma,          // column: exponential moving average(N) of close
    kAtr,          // column: Wilder ATR(N)
    kPriorHigh,    // column: highest high of the N bars before
    kPriorLow,     // column: lowest low of the N bars before
    kPriorVolume,  // column: mean volume of the N bars before
};

struct IndicatorKey {
    IndicatorKind kind = IndicatorKind::kMeanStd;
    int period = 0;

    auto operator<=>(const IndicatorKey&) const = default;
    std::string describe() const;  // "rsi(14)"
};

// The columns of a series for one symbol, each as long as the symbol's bars (NaN in warm-up).
using IndicatorColumns = std::vector<std::vector<double>>;

// One series, bar by bar: what a live session runs as bars arrive. compute_indicator() runs
// this same class over the recorded columns, so live and replay values agree to the last bit.
class StreamingIndicator {
  public:
    explicit StreamingIndicator(const IndicatorKey& key);
    ~StreamingIndicator();
    StreamingIndicator(StreamingIndicator&&) noexcept;
    StreamingIndicator& operator=(StreamingIndicator&&) noexcept;

    // Takes the next bar and writes the series' values at it (NaN in warm-up) to out[0..columns).
    void push(double high, double low, double close, double volume, double* out);
    std::size_t columns() const;

  private:
    struct State;
    IndicatorKey key_;
    std::unique_ptr<State> state_;
};

// The whole series over a symbol's recorded bars.
IndicatorColumns compute_indicator(const IndicatorKey& key, const SymbolBars& bars);

}  // namespace tapegrid
