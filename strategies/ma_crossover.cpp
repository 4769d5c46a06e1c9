// ma_crossover's parameter declarations.
#include "strategies/ma_crossover.h"

namespace tapegrid {

const StrategyInfo& MaCrossover::info() {
    static const StrategyInfo info = [] {
        StrategyInfo strategy;
        strategy.name = kName;
        strategy.summary =
            "long while the fast moving average is above the slow one (SMA or EMA); optional % stop and target";
        strategy.params = {
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
             .choices = {"sma", "ema"},
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
        strategy.params.insert(strategy.params.end(), common_params().begin(), common_params().end());
        return strategy;
    }();
    return info;
}

}  // namespace tapegrid
