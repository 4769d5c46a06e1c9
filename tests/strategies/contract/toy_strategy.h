// A smallest valid strategy, for the contract's tests: each CONTRACT_VIOLATION breaks one rule.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/strategy.h"

namespace tapegrid::testing {

struct ToyStrategy {
#if CONTRACT_VIOLATION != 1  // 1: no kName
    static constexpr std::string_view kName = "toy";
#endif
    static constexpr std::string_view kSummary = "buys a close above its moving average";

    static constexpr ParamSpec kParams[] = {
        {.name = "period",
         .type = ParamType::kInt,
         .default_value = 10,
         .min = 1,
         .max = 100,
         .description = "moving average, in bars",
         .shapes_indicators = true},
#if CONTRACT_VIOLATION == 2  // 2: a name declared twice
        {.name = "period", .type = ParamType::kInt, .default_value = 10, .min = 1, .max = 100, .description = "again"},
#endif
#if CONTRACT_VIOLATION == 3  // 3: a default outside its range
        {.name = "margin", .type = ParamType::kFloat, .default_value = 5, .min = 0, .max = 1, .description = "x"},
#endif
#if CONTRACT_VIOLATION == 4  // 4: a name the common parameters already have
        {.name = "position_size",
         .type = ParamType::kFloat,
         .default_value = 1,
         .min = 0,
         .max = 9,
         .description = "x"},
#endif
    };
#if CONTRACT_VIOLATION == 5  // 5: an index looked up by a name the specs do not declare
    static constexpr std::size_t kPeriod = param_index(kParams, "perod");
#else
    static constexpr std::size_t kPeriod = param_index(kParams, "period");
#endif

    enum Series : std::size_t { kAverage, kSeriesCount };
#if CONTRACT_VIOLATION == 6  // 6: indicators() gives more series than kSeriesCount
    static std::array<IndicatorKey, 2> indicators(const ParamSet& p) {
        return {IndicatorKey{IndicatorKind::kSma, period_of(p[kPeriod])}, IndicatorKey{IndicatorKind::kEma, 3}};
    }
#else
    static std::array<IndicatorKey, kSeriesCount> indicators(const ParamSet& p) {
        return {IndicatorKey{IndicatorKind::kSma, period_of(p[kPeriod])}};
    }
#endif
    static std::size_t first_signal_bar(const ParamSet& p) {
        return static_cast<std::size_t>(p[kPeriod]) - 1;
    }

    struct BarInputs {
        double average;
    };
#if CONTRACT_VIOLATION == 7  // 7: inputs() reads a series beyond kSeriesCount
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<1>(i)};
    }
#else
    static BarInputs inputs(const SeriesColumns<kSeriesCount>& c, std::size_t i) {
        return {c.at<kAverage>(i)};
    }
#endif

    template <int L>
    struct LaneParams {};
    template <int L>
    static LaneParams<L> lane_params(const std::array<const ParamSet*, L>&) {
        return {};
    }
    template <int L>
    static EntrySignals<L> entry_signals(const BarPrices& bar, const BarInputs& in, const LaneParams<L>&) {
        return {Lanes<L>::splat(bar.close) > Lanes<L>::splat(in.average), Lanes<L>::none()};
    }
#if CONTRACT_VIOLATION != 8  // 8: no entry_levels
    template <int L>
    static void entry_levels(typename Lanes<L>::Doubles, typename Lanes<L>::Doubles, const BarPrices&, const BarInputs&,
                             const LaneParams<L>&, typename Lanes<L>::Doubles& stop,
                             typename Lanes<L>::Doubles& target) {
        stop = Lanes<L>::splat(0.0);
        target = Lanes<L>::splat(1e300);
    }
#endif
    static std::vector<std::pair<std::string, double>> recorded_indicators(const SeriesColumns<kSeriesCount>& c,
                                                                           std::size_t i, const ParamSet&) {
        return {{"average", c.at<kAverage>(i)}};
    }
    static SignalExplanation explain(const BarPrices&, const BarInputs&, const ParamSet&, int) {
        return {};
    }
};

}  // namespace tapegrid::testing
