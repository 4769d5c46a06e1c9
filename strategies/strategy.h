// What every strategy declares and provides; the engine runs them through templates, with no
// virtual call per bar.
//
// A strategy is a struct with static members (see mean_reversion.h for a full example):
//   kName                      its name on the command line and in recordings
//   info()                     StrategyInfo: its parameters (strategy ones, then common_params())
//   indicators(params)         the IndicatorKeys its series come from; combinations with equal
//                              keys share the series, and form one group in a sweep
//   column_count               how many indicator columns inputs() reads, in key order
//   first_signal_bar(params)   the warm-up: the first bar a signal may occur on
//   BarInputs inputs(columns, i)            the shared per-bar inputs
//   LaneParams<L> lane_params(params[L])    the per-combination values, as lane vectors
//   entry_signals<L>(bar, inputs, lanes)    the lanes that want a long, and a short, entry
//   entry_levels<L>(...)                    stop and target of a new position
//   exit_signal<L>(...) (if kHasExitSignal) lanes whose position closes at this close
//   explain(bar, inputs, params, direction) the words and numbers a recorded signal carries
// The same functions run live (one bar at a time) and in replay (over columns), which is what
// makes a replay with the original parameters reproduce a recorded session exactly.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/params.h"

namespace tapegrid {

struct StrategyInfo {
    std::string name;
    std::string summary;
    ParamSpecs params;  // the strategy's own, then the common ones
};

// The parameters every strategy has, appended after its own.
// (Plain constants, not an enum: they are added to each strategy's kCommon offset.)
inline constexpr std::size_t kPositionSize = 0;
inline constexpr std::size_t kInitialCapital = 1;
inline constexpr std::size_t kCommissionPerShare = 2;
inline constexpr std::size_t kSlippageBps = 3;
inline constexpr std::size_t kCommonCount = 4;
const ParamSpecs& common_params();

// One bar's prices, shared by every lane.
struct BarPrices {
    double open, high, low, close, volume;
};

// Why a signal fired, as a recording stores it: indicator values, thresholds, a strength in
// [0, 1] and the reasoning in words.
struct SignalExplanation {
    std::vector<std::pair<std::string, double>> indicators;
    std::vector<std::pair<std::string, double>> thresholds;
    double signal_strength = 0.0;
    std::string reasoning;
};

}  // namespace tapegrid
