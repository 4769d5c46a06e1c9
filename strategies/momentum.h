// momentum: buy a breakout above the N-bar high on heavy volume; ATR-based stop and target (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/strategy.h"

namespace tapegrid {

struct Momentum {
    static constexpr std::string_view kName = "momentum";
    static constexpr std::string_view kSummary =
        "buy a close above the N-bar high on heavy volume; ATR-based stop and target";

    static constexpr ParamSpec kParams[] = {
        {.name = "lookback",
         .type = ParamType::kInt,
         .default_value = 20,
         .min = 1,
         .max = 10000,
         .description = "breakout window: the bars before the current one",
         .shapes_indicators = true},
        {.name = "volume_period",
         .type = ParamType::kInt,
         .default_value = 20,
         .min = 1,
         .max = 10000,
         .description = "bars in the average volume the volume ratio divides by",
         .shapes_indicators = true},
        {.name = "min_volume_ratio",
         .type = ParamType::kFloat,
         .default_value = 1.5,
         .min = 0,
         .max = 1000,
         .description = "an entry needs volume >= this times the average volume (0: no volume filter)"},
        {.name = "atr_period",
         .type = ParamType::kInt,
         .default_value = 14,
         .min = 1,
         .max = 10000,
         .description = "ATR period (Wilder smoothing), in bars",
         .shapes_indicators = true},
        {.name = "atr_stop_mult",
         .type = ParamType::kFloat,
         .default_value = 2.0,
         .min = 0,
         .max = 100,
         .min_exclusive = true,
         .description = "stop = entry - atr_stop_mult * ATR (long)"},
        {.name = "atr_target_mult",
         .type = ParamType::kFloat,
         .default_value = 3.0,
         .min = 0,
         .max = 100,
         .min_exclusive = true,
         .description = "target = entry + atr_target_mult * ATR (long)"},
        {.name = "allow_short",
         .type = ParamType::kBool,
         .default_value = 0,
         .min = 0,
         .max = 1,
         .description = "also sell short a close below the N-bar low"},
    };
    static constexpr std::size_t kLookback = param_index(kParams, "lookback");
    static constexpr std::size_t kVolumePeriod = param_index(kParams, "volume_period");
    static constexpr std::size_t kMinVolumeRatio = param_index(kParams, "min_volume_ratio");
    static constexpr std::size_t kAtrPeriod = param_index(kParams, "atr_period");
    static constexpr std::size_t kAtrStopMult = param_index(kParams, "atr_stop_mult");
    static constexpr std::size_t kAtrTargetMult = param_index(kParams, "atr_target_mult");
    static constexpr std::size_t kAllowShort = param_index(kParams, "allow_short");

    enum Series : std::size_t { kPriorHigh, kPriorLow, kPriorVolume, kAtr, kSeriesCount };
    static std::array<IndicatorKey, kSeriesCount> indicators(const ParamSet& p) {
        std::array<IndicatorKey, kSeriesCount> keys;
        keys[kPriorHigh] = {IndicatorKind::kPriorHigh, period_of(p[kLookback])};
        keys[kPriorLow] = {IndicatorKind::kPriorLow, period_of(p[kLookback])};
        keys[kPriorVolume] = {IndicatorKind::kPriorMeanVolume, period_of(p[kVolumePeriod])};
        keys[kAtr] = {IndicatorKind::kAtr, period_of(p[kAtrPeriod])};
        return keys;
    }

    static std::size_t first_signal_bar(const ParamSet& p) {
        return std::max({static_cast<std::size_t>(p[kLookback]), static_cast<std::size_t>(p[kVolumePeriod]),
                         static_cast<std::size_t>(p[kAtrPeriod])});
    }

    struct BarInputs {
        double prior_high, prior_low, prior_volume, atr;
    };
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<kPriorHigh>(i), c.at<kPriorLow>(i), c.at<kPriorVolume>(i), c.at<kAtr>(i)};
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

    static std::vector<std::pair<std::string, double>> recorded_indicators(const SeriesColumns<kSeriesCount>& c,
                                                                           std::size_t i, const ParamSet&) {
        const BarInputs in = inputs(c, i);
        return {{"prior_high", in.prior_high},
                {"prior_low", in.prior_low},
                {"prior_volume", in.prior_volume},
                {"atr", in.atr}};
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
