// The parameters every strategy shares: position size, capital and costs.
#include <limits>

#include "strategies/strategy.h"

namespace tapegrid {

const ParamSpecs& common_params() {
    constexpr double kHuge = 1e15;
    static const ParamSpecs specs = {
        {.name = "position_size",
         .type = ParamType::kFloat,
         .default_value = 10,
         .min = 0,
         .max = kHuge,
         .min_exclusive = true,
         .description = "shares (or units) bought or sold per entry"},
        {.name = "initial_capital",
         .type = ParamType::kFloat,
         .default_value = 100000,
         .min = 0,
         .max = kHuge,
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
    return specs;
}

}  // namespace tapegrid
