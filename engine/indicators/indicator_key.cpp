// Indicator keys in words, for plans and messages.
#include "engine/indicators/indicator_key.h"

#include <fmt/format.h>

namespace tapegrid {

std::string IndicatorKey::describe() const {
    static const char* const kNames[] = {"sma", "std_dev",    "ema",       "rsi",
                                         "atr", "prior_high", "prior_low", "prior_mean_volume"};
    return fmt::format("{}({})", kNames[static_cast<int>(kind)], period);
}

}  // namespace tapegrid
