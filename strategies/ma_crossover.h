// ma_crossover: long while the fast moving average is above the slow one (docs/STRATEGIES.md).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/percent_levels.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct MaCrossover {
    static constexpr std::string_view kName = "ma_crossover";
    static constexpr std::string_view kSummary =
        "long while the fast moving average is above the slow one (SMA or EMA); optional % stop and target";

    static constexpr std::string_view kMaTypes[] = {"sma", "ema"};
    static constexpr ParamSpec kParams[] = {
        {.name = "fast_period",
         .type = ParamType::kInt,
         .default_value = 10,
         .min = 1,
         .max = 10000,
         .description = "fast moving average, in bars (smaller than slow_period)",
         .shapes_indicators = true},
        {.name = "slow_period",
         .type = ParamType::kInt,
         .default_value = 30,
         .min = 2,
         .max = 10000,
         .description = "slow moving average, in bars",
         .shapes_indicators = true},
        {.name = "ma_type",
         .type = ParamType::kChoice,
         .default_value = 0,
         .min = 0,
         .max = 1,
         .choices = kMaTypes,
         .description = "simple or exponential moving averages",
         .shapes_indicators = true},
        {.name = "stop_loss_pct",
         .type = ParamType::kFloat,
         .default_value = 0,
         .min = 0,
         .max = 100,
         .max_exclusive = true,
         .description = "stop = entry * (1 - stop_loss_pct/100) (long); 0: no stop"},
        {.name = "take_profit_pct",
         .type = ParamType::kFloat,
         .default_value = 0,
         .min = 0,
         .max = 1000,
         .description = "target = entry * (1 + take_profit_pct/100) (long); 0: no target"},
        {.name = "allow_short",
         .type = ParamType::kBool,
         .default_value = 0,
         .min = 0,
         .max = 1,
         .description = "also sell short when fast crosses below slow"},
    };
    static constexpr std::size_t kFastPeriod = param_index(kParams, "fast_period");
    static constexpr std::size_t kSlowPeriod = param_index(kParams, "slow_period");
    static constexpr std::size_t kMaType = param_index(kParams, "ma_type");
    static constexpr std::size_t kStopLossPct = param_index(kParams, "stop_loss_pct");
    static constexpr std::size_t kTakeProfitPct = param_index(kParams, "take_profit_pct");
    static constexpr std::size_t kAllowShort = param_index(kParams, "allow_short");
    static constexpr double kSma = 0.0, kEma = 1.0;  // ma_type values: indices into kMaTypes

    // fast_period < slow_period.
    static std::optional<std::string> check(const ParamSet& p) {
        if (p[kFastPeriod] >= p[kSlowPeriod])
            return fmt::format("fast_period ({}) must be smaller than slow_period ({})", p[kFastPeriod],
                               p[kSlowPeriod]);
        return std::nullopt;
    }

    enum Series : std::size_t { kFast, kSlow, kSeriesCount };
    static std::array<IndicatorKey, kSeriesCount> indicators(const ParamSet& p) {
        const IndicatorKind kind = p[kMaType] == kEma ? IndicatorKind::kEma : IndicatorKind::kSma;
        std::array<IndicatorKey, kSeriesCount> keys;
        keys[kFast] = {kind, period_of(p[kFastPeriod])};
        keys[kSlow] = {kind, period_of(p[kSlowPeriod])};
        return keys;
    }

    // A cross compares bar t with bar t-1, where both averages exist: from bar slow_period.
    static std::size_t first_signal_bar(const ParamSet& p) { return static_cast<std::size_t>(p[kSlowPeriod]); }

    struct BarInputs {
        double fast, slow, previous_fast, previous_slow;
        bool crossed_up() const { return previous_fast <= previous_slow && fast > slow; }
        bool crossed_down() const { return previous_fast >= previous_slow && fast < slow; }
    };
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<kFast>(i), c.at<kSlow>(i), c.at<kFast>(i - 1), c.at<kSlow>(i - 1)};
    }

    template <int L>
    struct LaneParams {
        using V = typename Lanes<L>::Doubles;
        PercentLevels<L> levels;                 // 0 %: no stop, no target
        typename Lanes<L>::Doubles allow_short;  // 1.0 or 0.0: compared as a double, it gives a mask register directly
    };

    template <int L>
    static LaneParams<L> lane_params(const std::array<const ParamSet*, L>& sets) {
        LaneParams<L> lanes;
        for (int l = 0; l < L; ++l) {
            const ParamSet& p = *sets[l];
            lanes.levels.set(l, p[kStopLossPct], p[kTakeProfitPct], /*zero_means_none=*/true);
            lanes.allow_short[l] = p[kAllowShort];
        }
        return lanes;
    }

    // Long when fast crosses above slow; short (allow_short) when it crosses below.
    template <int L>
    static EntrySignals<L> entry_signals(const BarPrices&, const BarInputs& in, const LaneParams<L>& p) {
        using X = Lanes<L>;
        const auto everywhere = X::splat(0.0) == 0.0;
        if (in.crossed_up()) return {everywhere, X::none()};
        if (in.crossed_down()) return {X::none(), p.allow_short > 0.0};
        return {X::none(), X::none()};
    }

    template <int L>
    static void entry_levels(typename Lanes<L>::Doubles entry, typename Lanes<L>::Doubles direction, const BarPrices&,
                             const BarInputs&, const LaneParams<L>& p, typename Lanes<L>::Doubles& stop,
                             typename Lanes<L>::Doubles& target) {
        p.levels.apply(entry, direction, stop, target);
    }

    // A long closes when fast crosses below slow, a short when it crosses above.
    template <int L>
    static typename Lanes<L>::Mask exit_signal(const BarPrices&, const BarInputs& in, const LaneParams<L>&,
                                               typename Lanes<L>::Doubles direction) {
        if (in.crossed_down()) return direction > 0.0;
        if (in.crossed_up()) return direction < 0.0;
        return Lanes<L>::none();
    }

    static std::vector<std::pair<std::string, double>> recorded_indicators(const SeriesColumns<kSeriesCount>& c,
                                                                           std::size_t i, const ParamSet&) {
        return {{"fast_ma", c.at<kFast>(i)}, {"slow_ma", c.at<kSlow>(i)}};
    }

    static SignalExplanation explain(const BarPrices&, const BarInputs& in, const ParamSet& p, int direction) {
        SignalExplanation why;
        why.indicators = {{"fast_ma", in.fast},
                          {"slow_ma", in.slow},
                          {"previous_fast_ma", in.previous_fast},
                          {"previous_slow_ma", in.previous_slow}};
        why.thresholds = {{"fast_period", p[kFastPeriod]}, {"slow_period", p[kSlowPeriod]}};
        why.signal_strength = in.slow > 0 ? std::clamp(std::abs(in.fast - in.slow) / in.slow * 100.0, 0.0, 1.0) : 0.0;
        why.reasoning = fmt::format("the {}-bar {} ({:.4f}) crossed {} the {}-bar one ({:.4f})", p[kFastPeriod],
                                    p[kMaType] == kEma ? "EMA" : "SMA", in.fast, direction > 0 ? "above" : "below",
                                    p[kSlowPeriod], in.slow);
        return why;
    }
};

}  // namespace tapegrid
