// Replays one parameter set of a strategy over prepared data and returns its figures and trades.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/trade.h"
#include "engine/replay/group_series.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_result.h"

namespace tapegrid {

// A single replay runs at the narrowest lane vector (lanes.h); the second lane repeats the first.
inline constexpr int kSingleLanes = 2;

// `params` must have passed check_params(). A symbol shorter than the strategy's warm-up is a
// UserError (it could never trade, which is almost never what the user meant).
ReplayResult run_replay(std::string_view strategy_name, const ReplayData& data, const ParamSet& params);

// The same, reading its indicator series from `series` (computing those it lacks): replays of
// several parameter sets over the same data share the series they have in common. With
// `returns`, the per-bar portfolio returns its Sharpe ratio is computed from are appended to it.
ReplayResult run_replay(std::string_view strategy_name, const ReplayData& data, const ParamSet& params,
                        OwnedSeries& series, std::vector<double>* returns = nullptr);

// Throws UserError when a symbol has no bar at or after the warm-up.
void check_warm_up(std::string_view strategy_name, const ReplayData& data, const ParamSet& params);
// The same from the symbols' names and bar counts (a recording read a window at a time).
void check_warm_up(std::string_view strategy_name, const std::vector<std::string>& symbols,
                   const std::vector<std::uint64_t>& bars, const ParamSet& params);

// Trades in the order a replay reports them: by entry time, then symbol (stable).
void sort_trades(std::vector<Trade>& trades);

}  // namespace tapegrid
