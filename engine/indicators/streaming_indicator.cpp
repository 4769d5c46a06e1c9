// Indicator series by key: streamed bar by bar, or computed over a symbol's columns with the same code.
#include "engine/indicators/streaming_indicator.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "engine/core/errors.h"
#include "engine/core/large_buffers.h"
#include "engine/indicators/atr.h"
#include "engine/indicators/moving_average.h"
#include "engine/indicators/rolling_extreme.h"
#include "engine/indicators/rolling_window.h"
#include "engine/indicators/rsi.h"
#include "engine/indicators/window_statistics.h"

namespace tapegrid {

struct StreamingIndicator::State {
    std::optional<RollingWindow> moments;
    std::optional<Rsi> rsi;
    std::optional<MovingAverage> average;
    std::optional<AverageTrueRange> atr;
    std::optional<PriorExtreme<true>> prior_high;
    std::optional<PriorExtreme<false>> prior_low;
};

StreamingIndicator::StreamingIndicator(const IndicatorKey& key) : key_(key), state_(std::make_unique<State>()) {
    if (key.period < 1) throw InternalError("indicator " + key.describe() + ": period must be >= 1");
    const auto period = static_cast<std::size_t>(key.period);
    switch (key.kind) {
        case IndicatorKind::kStdDev:
        case IndicatorKind::kPriorMeanVolume:
            state_->moments.emplace(period);
            break;
        case IndicatorKind::kRsi:
            state_->rsi.emplace(period);
            break;
        case IndicatorKind::kSma:
            state_->average.emplace(MovingAverageType::kSimple, period);
            break;
        case IndicatorKind::kEma:
            state_->average.emplace(MovingAverageType::kExponential, period);
            break;
        case IndicatorKind::kAtr:
            state_->atr.emplace(period);
            break;
        case IndicatorKind::kPriorHigh:
            state_->prior_high.emplace(period);
            break;
        case IndicatorKind::kPriorLow:
            state_->prior_low.emplace(period);
            break;
    }
}

StreamingIndicator::~StreamingIndicator() = default;
StreamingIndicator::StreamingIndicator(StreamingIndicator&&) noexcept = default;
StreamingIndicator& StreamingIndicator::operator=(StreamingIndicator&&) noexcept = default;

double StreamingIndicator::push(double high, double low, double close, double volume) {
    State& s = *state_;
    switch (key_.kind) {
        case IndicatorKind::kStdDev:
            s.moments->push(close);
            return s.moments->standard_deviation();
        case IndicatorKind::kPriorMeanVolume: {
            // The mean of the volumes before this bar: read before the bar joins the window.
            const double before = s.moments->mean();
            s.moments->push(volume);
            return before;
        }
        case IndicatorKind::kRsi:
            return s.rsi->push(close);
        case IndicatorKind::kSma:
        case IndicatorKind::kEma:
            return s.average->push(close);
        case IndicatorKind::kAtr:
            return s.atr->push(high, low, close);
        case IndicatorKind::kPriorHigh:
            return s.prior_high->push(high);
        case IndicatorKind::kPriorLow:
            return s.prior_low->push(low);
    }
    return 0.0;
}

std::vector<double> compute_indicator(const IndicatorKey& key, const SymbolBars& bars) {
    const std::size_t count = bars.size();
    const auto period = static_cast<std::size_t>(std::max(key.period, 1));
    // Window means and deviations, many bars at once; exact like the streaming classes, so equal.
    switch (key.kind) {
        case IndicatorKind::kSma: {
            auto values = large_vector<double>(count);
            window_means(bars.close.data(), count, period, values.data());
            return values;
        }
        case IndicatorKind::kStdDev: {
            auto means = large_vector<double>(count);
            window_means(bars.close.data(), count, period, means.data());
            return compute_standard_deviation(key, bars, means);
        }
        case IndicatorKind::kPriorMeanVolume: {
            // The mean of the volumes before each bar: the window ending one bar earlier.
            auto values = large_vector<double>(count);
            if (count == 0) return values;
            window_means(bars.volume.data(), count - 1, period, values.data() + 1);
            values[0] = std::numeric_limits<double>::quiet_NaN();
            return values;
        }
        default:
            break;
    }
    auto values = large_vector<double>(count);
    StreamingIndicator indicator(key);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = indicator.push(bars.high[i], bars.low[i], bars.close[i], bars.volume[i]);
    return values;
}

std::vector<double> compute_standard_deviation(const IndicatorKey& key, const SymbolBars& bars,
                                               const std::vector<double>& means) {
    auto values = large_vector<double>(bars.size());
    window_standard_deviations(bars.close.data(), bars.size(), static_cast<std::size_t>(std::max(key.period, 1)),
                               means.data(), values.data());
    return values;
}

}  // namespace tapegrid
