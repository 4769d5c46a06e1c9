// mean_reversion's parameter declarations.
#include "strategies/mean_reversion.h"

namespace tapegrid {

const StrategyInfo& MeanReversion::info() {
    static const StrategyInfo info = [] {
        StrategyInfo strategy;
        strategy.name = kName;
        strategy.summary = "buy a close below the lower Bollinger band with RSI oversold; fixed % stop and target";
        strategy.params = {
            {.name = "bb_period",
             .type = ParamType::kInt,
             .default_value = 20,
             .min = 2,
             .max = 10000,
             .description = "Bollinger window, in bars",
             .shapes_indicators = true},
            {.name = "bb_std",
             .type = ParamType::kFloat,
             .default_value = 2.0,
             .min = 0,
             .max = 100,
             .min_exclusive = true,
             .description = "band width, in population standard deviations"},
            {.name = "rsi_period",
             .type = ParamType::kInt,
             .default_value = 14,
             .min = 1,
             .max = 10000,
             .description = "RSI period (Wilder smoothing), in bars",
             .shapes_indicators = true},
            {.name = "rsi_threshold",
             .type = ParamType::kFloat,
             .default_value = 30,
             .min = 0,
             .max = 100,
             .description = "a long entry needs RSI strictly below this"},
            {.name = "rsi_overbought",
             .type = ParamType::kFloat,
             .default_value = 70,
             .min = 0,
             .max = 100,
             .description = "a short entry (allow_short) needs RSI strictly above this"},
            {.name = "stop_loss_pct",
             .type = ParamType::kFloat,
             .default_value = 1.0,
             .min = 0,
             .max = 100,
             .min_exclusive = true,
             .max_exclusive = true,
             .description = "stop = entry * (1 - stop_loss_pct/100) (long)"},
            {.name = "take_profit_pct",
             .type = ParamType::kFloat,
             .default_value = 2.0,
             .min = 0,
             .max = 1000,
             .min_exclusive = true,
             .description = "target = entry * (1 + take_profit_pct/100) (long)"},
            {.name = "allow_short",
             .type = ParamType::kBool,
             .default_value = 0,
             .min = 0,
             .max = 1,
             .description = "also sell short above the upper band with RSI above rsi_overbought"},
        };
        strategy.params.insert(strategy.params.end(), common_params().begin(), common_params().end());
        return strategy;
    }();
    return info;
}

}  // namespace tapegrid
