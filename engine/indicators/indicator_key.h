// Names an indicator series by kind and period, so that equal series are computed once and shared.
#pragma once

#include <compare>
#include <string>

namespace tapegrid {

// Every kind is one column of values per bar (NaN in warm-up).
enum class IndicatorKind : int {
    kSma,              // simple moving average of the last N closes
    kStdDev,           // population standard deviation of the last N closes
    kEma,              // exponential moving average of close
    kRsi,              // Wilder RSI of close
    kAtr,              // Wilder ATR
    kPriorHigh,        // highest high of the N bars before
    kPriorLow,         // lowest low of the N bars before
    kPriorMeanVolume,  // mean volume of the N bars before
};

struct IndicatorKey {
    IndicatorKind kind = IndicatorKind::kSma;
    int period = 0;  // 0: not set (a strategy that leaves a series unset fails its contract test)

    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted comparison's 0.
    auto operator<=>(const IndicatorKey&) const = default;
    std::string describe() const;  // "rsi(14)"
};

}  // namespace tapegrid
