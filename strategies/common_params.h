// The parameters every strategy has after its own: position size, capital and costs.
#pragma once

#include "engine/core/params.h"

namespace tapegrid {

inline constexpr ParamSpec kCommonParams[] = {
    {.name = "position_size",
     .type = ParamType::kFloat,
     .default_value = 10,
     .min = 0,
     .max = 1e15,
     .min_exclusive = true,
     .description = "shares (or units) bought or sold per entry"},
    {.name = "initial_capital",
     .type = ParamType::kFloat,
     .default_value = 100000,
     .min = 0,
     .max = 1e15,
     .min_exclusive = true,
     .description = "starting equity of the portfolio"},
    {.name = "commission_per_share",
     .type = ParamType::kFloat,
     .default_value = 0,
     .min = 0,
     .max = 1e6,
     .description = "commission paid per share on every fill (entry and exit)"},
    {.name = "slippage_bps",
     .type = ParamType::kFloat,
     .default_value = 0,
     .min = 0,
     .max = 10000,
     .max_exclusive = true,
     .description = "fills are this many basis points worse than the price: buys higher, sells lower"},
};

// Their positions after a strategy's own parameters (kCommonOffset<Strategy> + kPositionSize, ...).
inline constexpr std::size_t kPositionSize = param_index(kCommonParams, "position_size");
inline constexpr std::size_t kInitialCapital = param_index(kCommonParams, "initial_capital");
inline constexpr std::size_t kCommissionPerShare = param_index(kCommonParams, "commission_per_share");
inline constexpr std::size_t kSlippageBps = param_index(kCommonParams, "slippage_bps");

}  // namespace tapegrid
