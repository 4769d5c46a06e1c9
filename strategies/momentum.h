// momentum: buy a breakout above the N-bar high on heavy volume; ATR-based stop and target (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "engine/indicators/indicator_key.h"
#include "engine/replay/lanes.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct Momentum {
    static constexpr const char* kName = "momentum";
    static constexpr bool kHasExitSignal = false;

    enum Param : std::size_t {
        kLookback,
        kVolumePeriod,
        kMinVolumeRatio,
        kAtrPeriod,
        kAtrStopMult,
        kAtrTargetMult,
        kAllowShort,
        kCommon
    };

    static const StrategyInfo& info();

    static std::array<IndicatorKey, 4> indicators(const ParamSet& p) {
        const int lookback = static_cast<int>(p[kLookback]);
        return {IndicatorKey{IndicatorKind::kPriorHigh, lookback}, IndicatorKey{IndicatorKind::kPriorLow, lookback},
                IndicatorKey{IndicatorKind::kPriorVolume, static_cast<int>(p[kVolumePeriod])},
                IndicatorKey{IndicatorKind::kAtr, static_cast<int>(p[kAtrPeriod])}};
    }
    static constexpr std::size_t kColumnCount = 4;  // prior high, prior low, prior mean volume, atr

    static std::size_t first_signal_bar(const ParamSet& p) {
        return std::max({static_cast<std::size_t>(p[kLookback]), static_cast<std::size_t>(p[kVolumePeriod]),
                         static_cast<std::size_t>(p[kAtrPeriod])});
    }

    struct BarInputs {
        double prior_high, prior_low, prior_volume, atr;
    };
    static BarInputs inputs(const double* const* columns, std::size_t i) {
        return {columns[0][i], columns[1][i], columns[2][i], columns[3][i]};
    }

    // volume / mean volume of the volume_period bars before; 0 when they traded nothing.
    static double volume_ratio(const BarPrices& bar, const BarInputs& in) {
        return in.prior_volume > 0.0 ? bar.volume / in.prior_volume : 0.0;
    }

    template <int L>
    struct LaneParams {
        using V = typename Lanes<L>::Doubles;
        V min_volume_ratio, atr_stop_mult, atr_target_mult;
        typename Lanes<L>::Doubles allow_short;  // 1.0 or 0.0: compared as a double, it gives a mask register directly
    };

    template <int L>
    static LaneParams<L> lane_params(const std::array<const ParamSet*, L>& sets) {
        LaneParams<L> lanes;
        for (int l = 0; l < L; ++l) {
            const ParamSet& p = *sets[l];
            lanes.min_volume_ratio[l] = p[kMinVolumeRatio];
            lanes.atr_stop_mult[l] = p[kAtrStopMult];
            lanes.atr_target_mult[l] = p[kAtrTargetMult];
            lanes.allow_short[l] = p[kAllowShort];
        }
        return lanes;
    }

    // Long: close > the highest high of the lookback bars before and volume ratio >=
    // min_volume_ratio. Short (allow_short): close < the lowest low of those bars, same volume rule.
    template <int L>
    static EntrySignals<L> entry_signals(const BarPrices& bar, const BarInputs& in, const LaneParams<L>& p) {
        using X = Lanes<L>;
        const auto heavy = X::splat(volume_ratio(bar, in)) >= p.min_volume_ratio;
        return {heavy & (X::splat(bar.close) > X::splat(in.prior_high)),
                heavy & (p.allow_short > 0.0) & (X::splat(bar.close) < X::splat(in.prior_low))};
    }

    // stop = entry - atr_stop_mult * ATR, target = entry + atr_target_mult * ATR; mirrored short.
    template <int L>
    static void entry_levels(typename Lanes<L>::Doubles entry, typename Lanes<L>::Doubles direction, const BarPrices&,
                             const BarInputs& in, const LaneParams<L>& p, typename Lanes<L>::Doubles& stop,
                             typename Lanes<L>::Doubles& target) {
        const auto atr = Lanes<L>::splat(in.atr);
        const auto is_long = direction > 0.0;
        stop = is_long ? entry - p.atr_stop_mult * atr : entry + p.atr_stop_mult * atr;
        target = is_long ? entry + p.atr_target_mult * atr : entry - p.atr_target_mult * atr;
    }

    template <int L>
    static typename Lanes<L>::Mask exit_signal(const BarPrices&, const BarInputs&, const LaneParams<L>&,
                                               typename Lanes<L>::Doubles) {
        return Lanes<L>::none();
    }

    static std::vector<std::pair<std::string, double>> recorded_indicators(const double* const* columns, std::size_t i,
                                                                           const ParamSet&) {
        return {{"prior_high", columns[0][i]},
                {"prior_low", columns[1][i]},
                {"prior_volume", columns[2][i]},
                {"atr", columns[3][i]}};
    }

    static SignalExplanation explain(const BarPrices& bar, const BarInputs& in, const ParamSet& p, int direction) {
        const double ratio = volume_ratio(bar, in);
        SignalExplanation why;
        why.indicators = {
            {"prior_high", in.prior_high}, {"prior_low", in.prior_low}, {"volume_ratio", ratio}, {"atr", in.atr}};
        why.thresholds = {{"min_volume_ratio", p[kMinVolumeRatio]}, {"lookback", p[kLookback]}};
        const double level = direction > 0 ? in.prior_high : in.prior_low;
        const double breakout = in.atr > 0 ? std::min(1.0, std::abs(bar.close - level) / in.atr) : 0.0;
        const double volume = p[kMinVolumeRatio] > 0 ? std::min(1.0, ratio / (2.0 * p[kMinVolumeRatio])) : 1.0;
        why.signal_strength = std::clamp(0.5 * breakout + 0.5 * volume, 0.0, 1.0);
        why.reasoning = fmt::format("close {:.4f} broke {} the {}-bar {} {:.4f} on {:.2f}x average volume (needs {})",
                                    bar.close, direction > 0 ? "above" : "below", p[kLookback],
                                    direction > 0 ? "high" : "low", level, ratio, p[kMinVolumeRatio]);
        return why;
    }
};

}  // namespace tapegrid
