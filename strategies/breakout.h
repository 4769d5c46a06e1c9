// breakout: a Donchian channel breakout with an opposite-channel exit and an ATR stop (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/strategy.h"

namespace tapegrid {

struct Breakout {
    static constexpr std::string_view kName = "breakout";
    static constexpr std::string_view kSummary =
        "Donchian channel breakout: enter beyond the N-bar high (low); exit on the opposite M-bar channel or an ATR "
        "stop";

    static constexpr ParamSpec kParams[] = {
        {.name = "channel_period",
         .type = ParamType::kInt,
         .default_value = 20,
         .min = 1,
         .max = 10000,
         .description = "entry channel: a long needs a close above the highest high of this many bars before",
         .shapes_indicators = true},
        {.name = "exit_period",
         .type = ParamType::kInt,
         .default_value = 10,
         .min = 1,
         .max = 10000,
         .description = "exit channel: a long exits at a close below the lowest low of this many bars before",
         .shapes_indicators = true},
        {.name = "atr_period",
         .type = ParamType::kInt,
         .default_value = 20,
         .min = 1,
         .max = 10000,
         .description = "ATR period (Wilder smoothing), in bars",
         .shapes_indicators = true},
        {.name = "atr_mult",
         .type = ParamType::kFloat,
         .default_value = 2.0,
         .min = 0,
         .max = 100,
         .description = "stop = entry - atr_mult * ATR (long); 0: no stop"},
        {.name = "allow_short",
         .type = ParamType::kBool,
         .default_value = 0,
         .min = 0,
         .max = 1,
         .description = "also sell short a close below the lowest low of channel_period bars"},
    };
    static constexpr std::size_t kChannelPeriod = param_index(kParams, "channel_period");
    static constexpr std::size_t kExitPeriod = param_index(kParams, "exit_period");
    static constexpr std::size_t kAtrPeriod = param_index(kParams, "atr_period");
    static constexpr std::size_t kAtrMult = param_index(kParams, "atr_mult");
    static constexpr std::size_t kAllowShort = param_index(kParams, "allow_short");

    // The entry channel, the exit channel (both over the bars before the current one) and the ATR.
    enum Series : std::size_t { kChannelHigh, kChannelLow, kExitHigh, kExitLow, kAtr, kSeriesCount };
    static std::array<IndicatorKey, kSeriesCount> indicators(const ParamSet& p) {
        std::array<IndicatorKey, kSeriesCount> keys;
        keys[kChannelHigh] = {IndicatorKind::kPriorHigh, period_of(p[kChannelPeriod])};
        keys[kChannelLow] = {IndicatorKind::kPriorLow, period_of(p[kChannelPeriod])};
        keys[kExitHigh] = {IndicatorKind::kPriorHigh, period_of(p[kExitPeriod])};
        keys[kExitLow] = {IndicatorKind::kPriorLow, period_of(p[kExitPeriod])};
        keys[kAtr] = {IndicatorKind::kAtr, period_of(p[kAtrPeriod])};
        return keys;
    }

    // Both channels need their bars before the current one; the ATR exists from bar atr_period.
    static std::size_t first_signal_bar(const ParamSet& p) {
        return std::max({static_cast<std::size_t>(p[kChannelPeriod]), static_cast<std::size_t>(p[kExitPeriod]),
                         static_cast<std::size_t>(p[kAtrPeriod])});
    }

    struct BarInputs {
        double channel_high, channel_low, exit_high, exit_low, atr;
    };
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<kChannelHigh>(i), c.at<kChannelLow>(i), c.at<kExitHigh>(i), c.at<kExitLow>(i), c.at<kAtr>(i)};
    }

    template <int L>
    struct LaneParams {
        using V = typename Lanes<L>::Doubles;
        V atr_mult;
        V has_stop;     // 1.0 or 0.0 (atr_mult 0: no stop)
        V allow_short;  // 1.0 or 0.0: compared as a double, it gives a mask register directly
    };

    template <int L>
    static LaneParams<L> lane_params(const std::array<const ParamSet*, L>& sets) {
        LaneParams<L> lanes;
        for (int l = 0; l < L; ++l) {
            const ParamSet& p = *sets[l];
            lanes.atr_mult[l] = p[kAtrMult];
            lanes.has_stop[l] = p[kAtrMult] > 0.0 ? 1.0 : 0.0;
            lanes.allow_short[l] = p[kAllowShort];
        }
        return lanes;
    }

    // Long: close > the highest high of the channel_period bars before. Short (allow_short):
    // close < the lowest low of those bars.
    template <int L>
    static EntrySignals<L> entry_signals(const BarPrices& bar, const BarInputs& in, const LaneParams<L>& p) {
        using X = Lanes<L>;
        const auto close = X::splat(bar.close);
        return {close > X::splat(in.channel_high), (p.allow_short > 0.0) & (close < X::splat(in.channel_low))};
    }

    // stop = entry - atr_mult * ATR (long), entry + atr_mult * ATR (short); no target. A level that
    // is not set is one no price reaches: -inf below a long, +inf above a short (and the reverse
    // for the missing target), shown as null in JSON and "-" in tables.
    template <int L>
    static void entry_levels(typename Lanes<L>::Doubles entry, typename Lanes<L>::Doubles direction, const BarPrices&,
                             const BarInputs& in, const LaneParams<L>& p, typename Lanes<L>::Doubles& stop,
                             typename Lanes<L>::Doubles& target) {
        using X = Lanes<L>;
        constexpr double kNever = std::numeric_limits<double>::infinity();
        const auto distance = p.atr_mult * X::splat(in.atr);
        const auto is_long = direction > 0.0;
        const auto with_stop = p.has_stop > 0.0;
        stop = is_long ? (with_stop ? entry - distance : X::splat(-kNever))
                       : (with_stop ? entry + distance : X::splat(kNever));
        target = is_long ? X::splat(kNever) : X::splat(-kNever);
    }

    // A long closes at a close below the lowest low of the exit_period bars before; a short at a
    // close above their highest high.
    template <int L>
    static typename Lanes<L>::Mask exit_signal(const BarPrices& bar, const BarInputs& in, const LaneParams<L>&,
                                               typename Lanes<L>::Doubles direction) {
        using X = Lanes<L>;
        const auto close = X::splat(bar.close);
        return ((direction > 0.0) & (close < X::splat(in.exit_low))) |
               ((direction < 0.0) & (close > X::splat(in.exit_high)));
    }

    static std::vector<std::pair<std::string, double>> recorded_indicators(const SeriesColumns<kSeriesCount>& c,
                                                                           std::size_t i, const ParamSet&) {
        const BarInputs in = inputs(c, i);
        return {{"channel_high", in.channel_high},
                {"channel_low", in.channel_low},
                {"exit_high", in.exit_high},
                {"exit_low", in.exit_low},
                {"atr", in.atr}};
    }

    // Strength: how far beyond the channel the close is, in ATRs, capped at 1.
    static SignalExplanation explain(const BarPrices& bar, const BarInputs& in, const ParamSet& p, int direction) {
        const double level = direction > 0 ? in.channel_high : in.channel_low;
        SignalExplanation why;
        why.indicators = {{"channel_high", in.channel_high}, {"channel_low", in.channel_low}, {"atr", in.atr}};
        why.thresholds = {{"channel_period", p[kChannelPeriod]}, {"atr_mult", p[kAtrMult]}};
        why.signal_strength = in.atr > 0 ? std::clamp(std::abs(bar.close - level) / in.atr, 0.0, 1.0) : 0.0;
        why.reasoning =
            fmt::format("close {:.4f} broke {} the {}-bar {} {:.4f}; exit on the {}-bar {}", bar.close,
                        direction > 0 ? "above" : "below", p[kChannelPeriod], direction > 0 ? "high" : "low", level,
                        p[kExitPeriod], direction > 0 ? "low" : "high");
        return why;
    }
};

}  // namespace tapegrid
