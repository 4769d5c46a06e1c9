// The types a strategy is written with: its description, a bar's prices, entry signals on lanes,
// the explanation of a signal. What a strategy must provide is the concept in strategy_contract.h.
#pragma once

#include <array>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/lanes.h"
#include "engine/core/params.h"
#include "engine/indicators/indicator_key.h"
#include "engine/indicators/series_columns.h"
#include "strategies/common_params.h"

namespace tapegrid {

// A strategy as the rest of tapegrid sees it at run time, built from its declarations.
struct StrategyInfo {
    std::string name;
    std::string summary;
    ParamSpecs params;  // the strategy's own (Strategy::kParams), then kCommonParams
};

// Where the common parameters start in a strategy's parameter set.
template <class Strategy>
inline constexpr std::size_t kCommonOffset = std::size(Strategy::kParams);

// One bar's prices, shared by every lane.
struct BarPrices {
    double open, high, low, close, volume;
};

// The lanes that want to enter a long, and a short, position at this close.
template <int L>
struct EntrySignals {
    typename Lanes<L>::Mask go_long;
    typename Lanes<L>::Mask go_short;
};

// Why a signal fired, as a recording stores it: indicator values, thresholds, a strength in
// [0, 1] and the reasoning in words.
struct SignalExplanation {
    std::vector<std::pair<std::string, double>> indicators;
    std::vector<std::pair<std::string, double>> thresholds;
    double signal_strength = 0.0;
    std::string reasoning;
};

// An indicator period from an integer parameter's value.
inline int period_of(double value) {
    return static_cast<int>(value);
}

}  // namespace tapegrid
