// mean_reversion: buy a close below the lower Bollinger band when RSI is oversold (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/percent_levels.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct MeanReversion {
    static constexpr std::string_view kName = "mean_reversion";
    static constexpr std::string_view kSummary =
        "buy a close below the lower Bollinger band with RSI oversold; fixed % stop and target";

    static constexpr ParamSpec kParams[] = {
        {.name = "bb_period",
         .type = ParamType::kInt,
         .default_value = 20,
         .min = 2,
         .max = 10000,
         .description = "Bollinger window, in bars",
         .shapes_indicators = true},
        {.name = "bb_std",
         .type = ParamType::kFloat,
         .default_value = 2.0,
         .min = 0,
         .max = 100,
         .min_exclusive = true,
         .description = "band width, in population standard deviations"},
        {.name = "rsi_period",
         .type = ParamType::kInt,
         .default_value = 14,
         .min = 1,
         .max = 10000,
         .description = "RSI period (Wilder smoothing), in bars",
         .shapes_indicators = true},
        {.name = "rsi_threshold",
         .type = ParamType::kFloat,
         .default_value = 30,
         .min = 0,
         .max = 100,
         .description = "a long entry needs RSI strictly below this"},
        {.name = "rsi_overbought",
         .type = ParamType::kFloat,
         .default_value = 70,
         .min = 0,
         .max = 100,
         .description = "a short entry (allow_short) needs RSI strictly above this"},
        {.name = "stop_loss_pct",
         .type = ParamType::kFloat,
         .default_value = 1.0,
         .min = 0,
         .max = 100,
         .min_exclusive = true,
         .max_exclusive = true,
         .description = "stop = entry * (1 - stop_loss_pct/100) (long)"},
        {.name = "take_profit_pct",
         .type = ParamType::kFloat,
         .default_value = 2.0,
         .min = 0,
         .max = 1000,
         .min_exclusive = true,
         .description = "target = entry * (1 + take_profit_pct/100) (long)"},
        {.name = "allow_short",
         .type = ParamType::kBool,
         .default_value = 0,
         .min = 0,
         .max = 1,
         .description = "also sell short above the upper band with RSI above rsi_overbought"},
    };
    static constexpr std::size_t kBbPeriod = param_index(kParams, "bb_period");
    static constexpr std::size_t kBbStd = param_index(kParams, "bb_std");
    static constexpr std::size_t kRsiPeriod = param_index(kParams, "rsi_period");
    static constexpr std::size_t kRsiThreshold = param_index(kParams, "rsi_threshold");
    static constexpr std::size_t kRsiOverbought = param_index(kParams, "rsi_overbought");
    static constexpr std::size_t kStopLossPct = param_index(kParams, "stop_loss_pct");
    static constexpr std::size_t kTakeProfitPct = param_index(kParams, "take_profit_pct");
    static constexpr std::size_t kAllowShort = param_index(kParams, "allow_short");

    // The series it reads: the Bollinger mid (a simple mean), its standard deviation, the RSI.
    enum Series : std::size_t { kMid, kSd, kRsi, kSeriesCount };
    static std::array<IndicatorKey, kSeriesCount> indicators(const ParamSet& p) {
        std::array<IndicatorKey, kSeriesCount> keys;
        keys[kMid] = {IndicatorKind::kSma, period_of(p[kBbPeriod])};
        keys[kSd] = {IndicatorKind::kStdDev, period_of(p[kBbPeriod])};
        keys[kRsi] = {IndicatorKind::kRsi, period_of(p[kRsiPeriod])};
        return keys;
    }

    // Both the bands (from bar bb_period - 1) and the RSI (from bar rsi_period) must exist.
    static std::size_t first_signal_bar(const ParamSet& p) {
        return std::max(static_cast<std::size_t>(p[kBbPeriod]) - 1, static_cast<std::size_t>(p[kRsiPeriod]));
    }

    struct BarInputs {
        double mean, sd, rsi;
    };
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<kMid>(i), c.at<kSd>(i), c.at<kRsi>(i)};
    }

    template <int L>
    struct LaneParams {
        using V = typename Lanes<L>::Doubles;
        V bb_std, rsi_threshold, rsi_overbought;
        PercentLevels<L> levels;
        typename Lanes<L>::Doubles allow_short;  // 1.0 or 0.0: compared as a double, it gives a mask register directly
    };

    template <int L>
    static LaneParams<L> lane_params(const std::array<const ParamSet*, L>& sets) {
        LaneParams<L> lanes;
        for (int l = 0; l < L; ++l) {
            const ParamSet& p = *sets[l];
            lanes.bb_std[l] = p[kBbStd];
            lanes.rsi_threshold[l] = p[kRsiThreshold];
            lanes.rsi_overbought[l] = p[kRsiOverbought];
            lanes.levels.set(l, p[kStopLossPct], p[kTakeProfitPct], /*zero_means_none=*/false);
            lanes.allow_short[l] = p[kAllowShort];
        }
        return lanes;
    }

    // Long: close < mid - bb_std * sd and rsi < rsi_threshold. Short (allow_short):
    // close > mid + bb_std * sd and rsi > rsi_overbought.
    template <int L>
    static EntrySignals<L> entry_signals(const BarPrices& bar, const BarInputs& in, const LaneParams<L>& p) {
        using X = Lanes<L>;
        const auto close = X::splat(bar.close);
        const auto rsi = X::splat(in.rsi);
        const auto lower = X::splat(in.mean) - p.bb_std * X::splat(in.sd);
        const auto upper = X::splat(in.mean) + p.bb_std * X::splat(in.sd);
        return {(close < lower) & (rsi < p.rsi_threshold),
                (p.allow_short > 0.0) & (close > upper) & (rsi > p.rsi_overbought)};
    }

    // stop = entry * (1 - stop_loss_pct/100), target = entry * (1 + take_profit_pct/100); mirrored short.
    template <int L>
    static void entry_levels(typename Lanes<L>::Doubles entry, typename Lanes<L>::Doubles direction, const BarPrices&,
                             const BarInputs&, const LaneParams<L>& p, typename Lanes<L>::Doubles& stop,
                             typename Lanes<L>::Doubles& target) {
        p.levels.apply(entry, direction, stop, target);
    }

    // What a live session records at each bar (NaN, in warm-up, is left out).
    static std::vector<std::pair<std::string, double>> recorded_indicators(const SeriesColumns<kSeriesCount>& c,
                                                                           std::size_t i, const ParamSet& p) {
        const BarInputs in = inputs(c, i);
        const double width = p[kBbStd] * in.sd;
        return {{"bb_lower", in.mean - width}, {"bb_mid", in.mean}, {"bb_upper", in.mean + width}, {"rsi", in.rsi}};
    }

    static SignalExplanation explain(const BarPrices& bar, const BarInputs& in, const ParamSet& p, int direction) {
        const double width = p[kBbStd] * in.sd;
        const double lower = in.mean - width, upper = in.mean + width;
        SignalExplanation why;
        why.indicators = {{"bb_lower", lower}, {"bb_mid", in.mean}, {"bb_upper", upper}, {"rsi", in.rsi}};
        if (direction > 0) {
            why.thresholds = {{"rsi_threshold", p[kRsiThreshold]}, {"bb_std", p[kBbStd]}};
            const double band_depth = in.sd > 0 ? std::min(1.0, (lower - bar.close) / in.sd) : 0.0;
            const double rsi_depth = p[kRsiThreshold] > 0 ? (p[kRsiThreshold] - in.rsi) / p[kRsiThreshold] : 0.0;
            why.signal_strength = std::clamp(0.5 * band_depth + 0.5 * rsi_depth, 0.0, 1.0);
            why.reasoning = fmt::format(
                "close {:.4f} below the lower band {:.4f} and RSI {:.2f} < {}: oversold, "
                "expect a return to the mean {:.4f}",
                bar.close, lower, in.rsi, p[kRsiThreshold], in.mean);
        } else {
            why.thresholds = {{"rsi_overbought", p[kRsiOverbought]}, {"bb_std", p[kBbStd]}};
            const double band_depth = in.sd > 0 ? std::min(1.0, (bar.close - upper) / in.sd) : 0.0;
            const double rsi_depth =
                p[kRsiOverbought] < 100 ? (in.rsi - p[kRsiOverbought]) / (100 - p[kRsiOverbought]) : 0.0;
            why.signal_strength = std::clamp(0.5 * band_depth + 0.5 * rsi_depth, 0.0, 1.0);
            why.reasoning = fmt::format(
                "close {:.4f} above the upper band {:.4f} and RSI {:.2f} > {}: overbought, "
                "expect a return to the mean {:.4f}",
                bar.close, upper, in.rsi, p[kRsiOverbought], in.mean);
        }
        return why;
    }
};

}  // namespace tapegrid
