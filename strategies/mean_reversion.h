// mean_reversion: buy a close below the lower Bollinger band when RSI is oversold (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "engine/indicators/indicator_key.h"
#include "engine/replay/lanes.h"
#include "strategies/percent_levels.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct MeanReversion {
    static constexpr const char* kName = "mean_reversion";
    static constexpr bool kHasExitSignal = false;

    enum Param : std::size_t {
        kBbPeriod,
        kBbStd,
        kRsiPeriod,
        kRsiThreshold,
        kRsiOverbought,
        kStopLossPct,
        kTakeProfitPct,
        kAllowShort,
        kCommon  // common_params() follow
    };

    static const StrategyInfo& info();

    static std::array<IndicatorKey, 2> indicators(const ParamSet& p) {
        return {IndicatorKey{IndicatorKind::kMeanStd, static_cast<int>(p[kBbPeriod])},
                IndicatorKey{IndicatorKind::kRsi, static_cast<int>(p[kRsiPeriod])}};
    }
    static constexpr std::size_t kColumnCount = 3;  // mean, std dev, rsi

    // Both the bands (from bar bb_period - 1) and the RSI (from bar rsi_period) must exist.
    static std::size_t first_signal_bar(const ParamSet& p) {
        return std::max(static_cast<std::size_t>(p[kBbPeriod]) - 1, static_cast<std::size_t>(p[kRsiPeriod]));
    }

    struct BarInputs {
        double mean, sd, rsi;
    };
    static BarInputs inputs(const double* const* columns, std::size_t i) {
        return {columns[0][i], columns[1][i], columns[2][i]};
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

    template <int L>
    static typename Lanes<L>::Mask exit_signal(const BarPrices&, const BarInputs&, const LaneParams<L>&,
                                               typename Lanes<L>::Doubles) {
        return Lanes<L>::none();
    }

    // What a live session records at each bar (NaN, in warm-up, is left out).
    static std::vector<std::pair<std::string, double>> recorded_indicators(const double* const* columns, std::size_t i,
                                                                           const ParamSet& p) {
        const double width = p[kBbStd] * columns[1][i];
        return {{"bb_lower", columns[0][i] - width},
                {"bb_mid", columns[0][i]},
                {"bb_upper", columns[0][i] + width},
                {"rsi", columns[2][i]}};
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
