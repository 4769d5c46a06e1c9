// Indicator series by key: streamed bar by bar, or computed over a symbol's columns with the same code.
#include "engine/indicators/indicator_key.h"

#include <fmt/format.h>

#include <optional>

#include "engine/core/errors.h"
#include "engine/indicators/atr.h"
#include "engine/indicators/moving_average.h"
#include "engine/indicators/rolling_extreme.h"
#include "engine/indicators/rolling_moments.h"
#include "engine/indicators/rsi.h"

namespace tapegrid {

std::string IndicatorKey::describe() const {
    static const char* const kNames[] = {"mean_std", "rsi",        "sma",       "ema",
                                         "atr",      "prior_high", "prior_low", "prior_volume"};
    return fmt::format("{}({})", kNames[static_cast<int>(kind)], period);
}

struct StreamingIndicator::State {
    std::optional<RollingMoments> moments;
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
        case IndicatorKind::kMeanStd:
        case IndicatorKind::kPriorVolume:
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

std::size_t StreamingIndicator::columns() const {
    return key_.kind == IndicatorKind::kMeanStd ? 2 : 1;
}

void StreamingIndicator::push(double high, double low, double close, double volume, double* out) {
    State& s = *state_;
    switch (key_.kind) {
        case IndicatorKind::kMeanStd:
            s.moments->push(close);
            out[0] = s.moments->mean();
            out[1] = s.moments->standard_deviation();
            return;
        case IndicatorKind::kPriorVolume:
            // The mean of the volumes before this bar: read before the bar joins the window.
            out[0] = s.moments->mean();
            s.moments->push(volume);
            return;
        case IndicatorKind::kRsi:
            out[0] = s.rsi->push(close);
            return;
        case IndicatorKind::kSma:
        case IndicatorKind::kEma:
            out[0] = s.average->push(close);
            return;
        case IndicatorKind::kAtr:
            out[0] = s.atr->push(high, low, close);
            return;
        case IndicatorKind::kPriorHigh:
            out[0] = s.prior_high->push(high);
            return;
        case IndicatorKind::kPriorLow:
            out[0] = s.prior_low->push(low);
            return;
    }
}

IndicatorColumns compute_indicator(const IndicatorKey& key, const SymbolBars& bars) {
    StreamingIndicator indicator(key);
    IndicatorColumns columns(indicator.columns(), std::vector<double>(bars.size()));
    double values[2];
    for (std::size_t i = 0; i < bars.size(); ++i) {
        indicator.push(bars.high[i], bars.low[i], bars.close[i], bars.volume[i], values);
        for (std::size_t c = 0; c < columns.size(); ++c) columns[c][i] = values[c];
    }
    return columns;
}

}  // namespace tapegrid
