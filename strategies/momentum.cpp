// momentum's parameter declarations.
#include "strategies/momentum.h"

namespace tapegrid {

const StrategyInfo& Momentum::info() {
    static const StrategyInfo info = [] {
        StrategyInfo strategy;
        strategy.name = kName;
        strategy.summary = "buy a close above the N-bar high on heavy volume; ATR-based stop and target";
        strategy.params = {
            {.name = "lookback",
             .type = ParamType::kInt,
             .default_value = 20,
             .min = 1,
             .max = 10000,
             .description = "breakout window: the bars before the current one",
             .shapes_indicators = true},
            {.name = "volume_period",
             .type = ParamType::kInt,
             .default_value = 20,
             .min = 1,
             .max = 10000,
             .description = "bars in the average volume the volume ratio divides by",
             .shapes_indicators = true},
            {.name = "min_volume_ratio",
             .type = ParamType::kFloat,
             .default_value = 1.5,
             .min = 0,
             .max = 1000,
             .description = "an entry needs volume >= this times the average volume (0: no volume filter)"},
            {.name = "atr_period",
             .type = ParamType::kInt,
             .default_value = 14,
             .min = 1,
             .max = 10000,
             .description = "ATR period (Wilder smoothing), in bars",
             .shapes_indicators = true},
            {.name = "atr_stop_mult",
             .type = ParamType::kFloat,
             .default_value = 2.0,
             .min = 0,
             .max = 100,
             .min_exclusive = true,
             .description = "stop = entry - atr_stop_mult * ATR (long)"},
            {.name = "atr_target_mult",
             .type = ParamType::kFloat,
             .default_value = 3.0,
             .min = 0,
             .max = 100,
             .min_exclusive = true,
             .description = "target = entry + atr_target_mult * ATR (long)"},
            {.name = "allow_short",
             .type = ParamType::kBool,
             .default_value = 0,
             .min = 0,
             .max = 1,
             .description = "also sell short a close below the N-bar low"},
        };
        strategy.params.insert(strategy.params.end(), common_params().begin(), common_params().end());
        return strategy;
    }();
    return info;
}

}  // namespace tapegrid
